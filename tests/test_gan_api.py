"""/api/gan through Flask's test client: the answer's shape, determinism, the mode counts recounted
from the returned samples, |grad D(x_hat)| against differences of the returned discriminator,
chunks against the long run, bounds, bad input, and a property test over the parameters."""

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradient_flow.app import create_app
from gradient_flow.app.gan_api import FRAMES_MAX
from gradient_flow.losses.ganrecord import frames_between
from gradient_flow.losses.network import build, forward

import gan_formulas as book

SMALL = {"g_width": 16, "d_width": 16, "batch": 32, "steps": 20, "record": 5, "samples": 64, "grid": 11}


def strict_json(response):
    def reject(token):
        raise AssertionError(f"invalid JSON constant {token}")
    return json.loads(response.data, parse_constant=reject)


def ok(client, **params):
    r = client.get("/api/gan", query_string={**SMALL, **params})
    assert r.status_code == 200, r.data[:300]
    return strict_json(r)


def bad(client, words, **params):
    r = client.get("/api/gan", query_string={**SMALL, **params})
    assert r.status_code == 400, r.data[:300]
    message = strict_json(r)["error"]["message"]
    assert words in message, message


def test_the_answer_has_the_issues_shape_one_entry_per_recorded_step(client):
    body = ok(client, loss="wasserstein")
    assert body["steps"] == [0, 5, 10, 15, 20] and body["status"] == "max_steps" and body["next"] is None
    per_step = ("generated", "modes_captured", "quality", "g_loss", "d_loss", "g_grad_norm", "d_grad_norm",
                "g_grad_class", "d_grad_class", "captured", "outcome", "interpolates", "interpolate_grad_norm")
    for key in per_step:
        assert len(body[key]) == 5, key
    assert len(body["modes"]) == 8 and body["std"] == 0.02 and np.array(body["real"]).shape == (64, 2)
    assert np.array(body["d_grid"]["values"]).shape == (5, 11, 11) and body["d_grid"]["label"] == "critic value s(x)"
    assert set(body["g_grad_class"]) <= {"vanishing", "normal", "exploding", "undefined"}


def test_the_same_url_gives_the_same_numbers(client):
    first = client.get("/api/gan", query_string={**SMALL, "seed": 3, "loss": "minimax"})
    again = create_app({"TESTING": True}).test_client().get("/api/gan", query_string={**SMALL, "seed": 3,
                                                                                        "loss": "minimax"})
    assert first.status_code == again.status_code == 200 and first.data == again.data


def test_the_mode_counts_are_what_the_returned_samples_show(client):
    cfg = strict_json(client.get("/api/config"))["gan"]["capture"]
    body = ok(client, data="grid", k=9, std=0.05, steps=300, record=100, g_lr=0.005, d_lr=0.005)
    modes, std = np.array(body["modes"]), body["std"]
    for generated, count, captured, quality in zip(body["generated"], body["modes_captured"], body["captured"],
                                                   body["quality"]):
        x = np.array(generated)
        dist = np.sqrt(((x[:, None, :] - modes[None]) ** 2).sum(axis=2))
        near = dist <= cfg["stds"] * std
        mine = near.sum(axis=0) >= cfg["fair_share"] * len(x) / len(modes)
        assert mine.tolist() == captured and int(mine.sum()) == count
        assert near.any(axis=1).mean() == pytest.approx(quality, abs=1e-15)
    assert max(body["modes_captured"]) > 0  # a recount of zeros would prove little


def test_the_critics_gradient_on_the_interpolates_is_the_returned_critics(client):
    body = ok(client, loss="wasserstein", steps=40, **{"from": 30, "to": 30}, weights=1, record=10)
    assert body["steps"] == [30] and body["weights"]["step"] == 30
    s = body["settings"]
    net = build(2, s["d_depth"], s["d_width"], s["activation"])
    params = tuple(np.array(body["weights"]["discriminator"][n], dtype=float).reshape(shape)
                   for n, shape in zip(net.names, net.shapes))
    x_hat = np.array(body["interpolates"][0])
    fd = book.input_gradient_fd(lambda x: forward(net, params, x).output[:, 0], x_hat)
    np.testing.assert_allclose(body["interpolate_grad_norm"][0], np.sqrt((fd * fd).sum(axis=1)), rtol=1e-7)
    real, fake = np.array(body["interpolate_real"][0]), np.array(body["interpolate_fake"][0])
    eps = (x_hat - fake)[:, 0] / (real - fake)[:, 0]
    np.testing.assert_allclose(x_hat, eps[:, None] * real + (1 - eps[:, None]) * fake, rtol=1e-9, atol=1e-12)


def _walk(client, **params):
    """Fetch a run chunk by chunk, as a page does: from=next until next is null."""
    chunks, start = [], 0
    while start is not None:
        body = ok(client, **params, **{"from": start, "to": min(start + 6, params.get("steps", 20))})
        chunks.append(body)
        start = body["next"]
    return chunks


@pytest.mark.parametrize("budget", [2.0, 0.0], ids=["chunks", "one-step-a-request"])
def test_a_run_fetched_in_chunks_is_the_long_run(budget):
    client = create_app({"TESTING": True, "GAN_BUDGET_S": budget}).test_client()
    params = {"loss": "nonsaturating", "penalty": "r1", "unroll": 1, "steps": 20}
    whole = ok(create_app({"TESTING": True}).test_client(), **params)
    chunks = _walk(client, **params)
    if budget == 0:
        assert {c["status"] for c in chunks[:-1]} == {"time_limit"} and len(chunks) == 21
    keys = [k for k in whole if isinstance(whole[k], list) and k not in ("modes", "real")]
    for key in keys:
        assert sum((c[key] for c in chunks), []) == whole[key], key
    assert chunks[-1]["status"] == "max_steps"


def test_a_chunk_asked_out_of_order_is_replayed_to_the_same_numbers(client):
    whole = ok(client, steps=20)
    ok(client, steps=20, **{"from": 0, "to": 15})  # leaves the state at step 16
    back = ok(client, steps=20, **{"from": 5, "to": 10})  # before it: replayed from the seed
    assert back["steps"] == [5, 10] and back["g_loss"] == whole["g_loss"][1:3]


def test_a_run_that_goes_non_finite_answers_its_status_in_valid_json(client):
    body = ok(client, loss="wasserstein", lam=100, method="gd", d_lr=1, g_lr=1, activation="relu", steps=50)
    assert body["status"] == "diverged" and body["diverged_at"] == body["steps"][-1] and body["next"] is None


@pytest.mark.parametrize("params, words", [
    ({"loss": "minimax", "penalty": "gp"}, "penalty 'gp' is not one the loss 'minimax' takes"),
    ({"loss": "wasserstein", "penalty": "none"}, "takes 'gp'"),
    ({"loss": "hinge"}, "loss must be one of"), ({"data": "spiral"}, "data must be one of"),
    ({"data": "grid", "k": 10}, "k must be one of 4, 9, 16, 25"), ({"d_depth": 5}, "d_depth must lie in [1, 4]"),
    ({"g_width": 4}, "g_width must lie in [8, 128]"), ({"batch": 4096}, "batch must lie in"),
    ({"z_dim": 0}, "z_dim must lie in"), ({"steps": 10**6}, "steps must lie in"),
    ({"std": 0.09, "k": 12}, "balls would overlap"), ({"from": 30}, "from and to must satisfy"),
    ({"steps": 5000, "record": 10}, "at most 100 frames"), ({"beta": 0.5}, "has the option 'beta'"),
    ({"gamma": 2}, "gamma weighs a penalty not chosen"), ({"lr": 0.1}, "unknown parameter 'lr'"),
    ({"g_lr": 0}, "g_lr must lie in (0, 1]"), ({"seed": "x"}, "seed must be an integer"),
])
def test_bad_input_is_a_400_that_names_the_problem(client, params, words):
    bad(client, words, **params)


def test_the_config_declares_the_capture_rule_and_the_openapi_document_the_endpoint(client):
    cfg = strict_json(client.get("/api/config"))["gan"]
    assert cfg["capture"]["stds"] == 3 and cfg["capture"]["fair_share"] == 0.25 and cfg["unroll"] == "surrogate"
    names = {p["name"] for p in cfg["parameters"]}
    assert {"data", "k", "std", "loss", "penalty", "unroll", "from", "to", "lam", "gamma"} <= names
    doc = strict_json(client.get("/api/openapi.json"))
    declared = {p["name"] for p in doc["paths"]["/api/gan"]["get"]["parameters"]}
    assert names | {"beta1", "beta"} <= declared and "surrogate" in doc["paths"]["/api/gan"]["get"]["description"]


PARAMS = st.fixed_dictionaries({"steps": st.integers(0, 6)}, optional={
    "data": st.sampled_from(["ring", "grid", "line"]), "k": st.sampled_from([1, 2, 4, 5, 8, 9, 16, 25, 26]),
    "std": st.sampled_from([0.005, 0.02, 0.05, 0.1]),
    "loss": st.sampled_from(["minimax", "nonsaturating", "wasserstein"]),
    "penalty": st.sampled_from(["none", "gp", "r1"]), "lam": st.floats(0, 100), "gamma": st.floats(0, 100),
    "g_depth": st.integers(1, 4), "d_depth": st.integers(1, 4), "g_width": st.sampled_from([8, 12]),
    "d_width": st.sampled_from([8, 12]), "activation": st.sampled_from(["tanh", "relu", "gelu", "sigmoid"]),
    "z_dim": st.integers(1, 4), "latent": st.sampled_from(["gaussian", "uniform"]),
    "method": st.sampled_from(["gd", "momentum", "adam"]), "g_lr": st.floats(1e-4, 1.0),
    "d_lr": st.floats(1e-4, 1.0), "d_steps": st.integers(1, 3), "unroll": st.integers(0, 2),
    "batch": st.sampled_from([16, 24]), "record": st.integers(1, 4),
    "seed": st.integers(0, 2**31 - 1), "from": st.integers(0, 3),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PARAMS)
def test_any_parameters_get_a_whole_answer_or_a_named_400(client, params):
    query = {"samples": 64, "grid": 11, **params}
    r = client.get("/api/gan", query_string=query)
    body = strict_json(r)  # valid JSON either way: never NaN, never a 500
    if r.status_code == 400:
        assert body["error"]["message"]
        return
    assert r.status_code == 200
    frames = len(body["steps"])
    assert all(len(body[k]) == frames for k in ("generated", "modes_captured", "quality", "g_loss", "d_grad_class"))
    assert body["status"] in ("max_steps", "diverged", "running", "time_limit")
    assert all(0 <= q <= 1 for q in body["quality"]) and all(0 <= c <= len(body["modes"]) for c in
                                                             body["modes_captured"])
    for frame in body["generated"]:
        assert all(p[0] is None or math.isfinite(p[0]) for p in frame)


def test_every_preset_is_a_url_the_endpoint_takes_whole(client):
    presets = strict_json(client.get("/api/config"))["gan"]["presets"]
    assert len(presets) == 4
    for preset in presets:
        query = {**preset["settings"], **preset["options"], "to": 0}  # step 0: the preset's own settings, checked
        r = client.get("/api/gan", query_string=query)
        assert r.status_code == 200, (preset["name"], r.data[:200])
        body = strict_json(r)
        assert body["steps"] == [0] and body["next"] == 1
        steps, every = body["settings"]["steps"], body["settings"]["record"]
        assert frames_between(0, steps, every, steps) <= FRAMES_MAX  # the whole run's frames fit one request
