"""/api/network through Flask's test client: the answer's shape, its numbers, its refusals, and
that whatever arrives the answer is a 200 or a named 400 in valid JSON."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradient_flow.app import create_app
from gradient_flow.app.network_api import OPTIONS
from gradient_flow.losses.gradstats import HISTOGRAM_EDGES
from gradient_flow.losses.netlab import NETWORK_PARAMS, Trainer, train

from test_api import bad, ok, strict_json

SPECS = {p.name: p for p in NETWORK_PARAMS}
SMALL = {"depth": 3, "width": 8, "steps": 40, "record": 10, "samples": 64, "batch": 16}


def get(client, **params):
    return client.get("/api/network", query_string=params)


# -- the answer ---------------------------------------------------------------------------------

def test_the_default_run_has_one_row_per_layer_and_one_entry_per_recorded_step(client):
    body = ok(get(client))
    depth, steps, every = SPECS["depth"].default, SPECS["steps"].default, SPECS["record"].default
    assert [layer["name"] for layer in body["layers"]] == [f"layer{i}" for i in range(1, depth + 1)] + ["output"]
    assert body["steps"] == list(range(0, steps + 1, every))
    assert body["status"] == "max_steps" and body["diverged_at"] is None
    n = len(body["steps"])
    assert len(body["loss"]) == n
    for layer in body["layers"]:
        assert all(len(layer["weight_grad"][k]) == n for k in ("norm", "rms", "mean", "std", "class"))
        assert len(layer["signal_norm"]) == n and len(layer["histogram"]["counts"]) == n
        assert layer["histogram"]["edges"] == list(HISTOGRAM_EDGES)
        assert all(len(c) == len(HISTOGRAM_EDGES) + 2 for c in layer["histogram"]["counts"])
    tanh = body["layers"][0]
    assert len(tanh["saturated"]) == n and tanh["dead"] is None  # tanh saturates, it does not die
    assert body["layers"][-1]["saturated"] is None  # the output layer is linear
    assert len(body["boundary"]["p"]) == len(body["boundary"]["y"])
    assert all(len(row) == len(body["boundary"]["x"]) for row in body["boundary"]["p"])


def test_the_answer_is_the_labs_run_for_the_same_settings(client):
    query = {**SMALL, "activation": "relu", "init": "he", "method": "momentum", "beta": 0.5, "seed": 7}
    body = ok(get(client, **query))
    direct = train({k: v for k, v in query.items() if k != "beta"}, {"beta": 0.5}, budget_s=60)
    assert body["loss"] == direct["loss"]
    assert [layer["weight_grad"] for layer in body["layers"]] == [layer["weight_grad"] for layer in direct["layers"]]
    assert body["options"] == {"beta": 0.5}


def test_the_first_recorded_norms_are_the_norms_of_the_initial_gradient(client):
    """Step 0's numbers, against NumPy's norm of the gradient a fresh trainer computes on the first batch."""
    body = ok(get(client, **SMALL, task="regression", activation="gelu", seed=3))
    trainer = Trainer({**SMALL, "task": "regression", "activation": "gelu", "seed": 3})
    trainer.evaluate()
    weights = [g for name, g in zip(trainer.net.names, trainer.grads) if name.endswith(".weight")]
    assert [layer["weight_grad"]["norm"][0] for layer in body["layers"]] == pytest.approx(
        [np.linalg.norm(w) for w in weights], rel=1e-12)
    assert [layer["weight_grad"]["rms"][0] for layer in body["layers"]] == pytest.approx(
        [np.sqrt(np.mean(w * w)) for w in weights], rel=1e-12)
    assert len(body["boundary"]["x"]) == len(body["boundary"]["y"])  # regression: the fitted curve


def test_the_same_query_gives_the_same_numbers_and_a_second_asking_is_served_from_the_cache(app, client):
    first = get(client, **SMALL, seed=11)
    assert len(app.extensions["network_runs"]) == 1
    again = get(client, **SMALL, seed=11)
    assert first.status_code == again.status_code == 200 and first.data == again.data
    assert len(app.extensions["network_runs"]) == 1


def test_a_diverging_run_says_where_and_keeps_what_was_recorded(client):
    body = ok(get(client, activation="linear", init="normal", gain=4, method="gd", lr=10, depth=6))
    assert body["status"] == "diverged"
    k = body["diverged_at"]
    assert isinstance(k, int) and body["steps"][-1] == k and k < SPECS["steps"].default
    assert body["loss"][0] is not None and math.isfinite(body["loss"][0])
    last = [layer["weight_grad"] for layer in body["layers"]]
    assert any(w["norm"][-1] is None and w["class"][-1] == "undefined" for w in last)


def test_a_run_past_the_time_budget_stops_with_what_it_recorded_and_is_not_kept():
    app = create_app({"TESTING": True, "NETWORK_BUDGET_S": 0.0})
    body = ok(app.test_client().get("/api/network"))
    assert body["status"] == "time_limit" and body["steps"] == [0]
    assert len(app.extensions["network_runs"]) == 0  # with time to spare it would go further


# -- what the page and the document are told -----------------------------------------------------

def test_config_declares_the_labs_limits_from_its_declarations_and_the_budget_from_the_app():
    app = create_app({"TESTING": True, "NETWORK_BUDGET_S": 1.5})
    cfg = ok(app.test_client().get("/api/config"))["network"]
    assert cfg["limits"] == {"depth_max": SPECS["depth"].max, "width_max": SPECS["width"].max,
                             "steps_max": 5000, "batch_max": 1024, "budget_s": 1.5}
    assert [p["name"] for p in cfg["params"]] == [p.name for p in NETWORK_PARAMS]
    activation = next(p for p in cfg["params"] if p["name"] == "activation")
    assert {o["name"]: o["label"] for o in activation["options"]}["relu"] == "ReLU"
    residual = next(p for p in cfg["params"] if p["name"] == "residual")
    assert [o["label"] for o in residual["options"]] == ["off", "on"]
    methods = {m["name"]: [o["name"] for o in m["options"]] for m in cfg["methods"]}
    assert methods == {"gd": [], "momentum": ["beta"], "adam": ["beta1", "beta2", "eps"]}  # no lr_ratio: one player
    assert cfg["gain_inits"] == ["normal"]
    assert len(cfg["presets"]) == 5 and all(p["sentence"] for p in cfg["presets"])


def test_the_openapi_document_declares_the_endpoint_with_every_setting_and_option(client):
    doc = ok(client.get("/api/openapi.json"))
    op = doc["paths"]["/api/network"]["get"]
    params = {p["name"]: p["schema"] for p in op["parameters"]}
    assert {p.name for p in NETWORK_PARAMS} | {"beta", "beta1", "beta2", "eps"} == set(params)
    assert params["steps"]["maximum"] == 5000 and params["batch"]["maximum"] == 1024
    assert params["activation"]["enum"] == list(SPECS["activation"].choices)
    assert "400" in op["responses"]


# -- bad input: a 400 that names the problem -----------------------------------------------------

@pytest.mark.parametrize("params, words", [
    ({"activation": "swish"}, ["activation", "swish"]),
    ({"init": "orthogonal"}, ["init", "orthogonal"]),
    ({"depth": 65}, ["depth", "64"]),
    ({"depth": 0}, ["depth"]),
    ({"width": 129}, ["width", "128"]),
    ({"width": 1}, ["width"]),
    ({"steps": 5001}, ["steps", "5000"]),
    ({"batch": 1025}, ["batch", "1024"]),
    ({"record": 0}, ["record"]),
    ({"lr": 0}, ["lr"]),
    ({"lr": "nan"}, ["lr", "finite"]),
    ({"depth": 2.5}, ["depth", "integer"]),
    ({"task": "mnist"}, ["task"]),
    ({"norm": "group"}, ["norm"]),
    ({"residual": "yes"}, ["residual"]),
    ({"method": "flow"}, ["method", "gd, momentum, adam"]),
    ({"method": "gd", "beta": 0.5}, ["beta", "momentum", "not of gd"]),
    ({"method": "momentum", "eps": 1e-8}, ["eps", "adam", "not of momentum", "beta"]),
    ({"method": "momentum", "beta": 2}, ["beta"]),
    ({"lr_ratio": 2}, ["lr_ratio", "one player"]),
    ({"y_steps": 2}, ["y_steps", "one player"]),
    ({"init": "he", "gain": 2}, ["gain", "normal", "he"]),
    ({"init": "normal", "gain": 5}, ["gain", "4"]),
    ({"bogus": 1}, ["unknown parameter", "bogus"]),
])
def test_bad_input_is_a_400_naming_the_problem(client, params, words):
    bad(get(client, **params), *words)


def test_a_setting_given_twice_is_refused(client):
    bad(client.get("/api/network?depth=2&depth=3"), "depth", "more than once")
    bad(client.get("/api/network?method=foo&method=adam"), "parameter 'method' is given more than once")


def test_minus_zero_is_zero(client):
    """-0 lies in noise's [0, 1] and NumPy's normal() refuses a scale of -0.0: it was a 500."""
    a, b = client.get("/api/network?noise=-0&steps=2"), client.get("/api/network?noise=0&steps=2")
    assert a.status_code == 200 and a.get_json() == b.get_json()


def test_a_count_out_of_range_is_said_in_whole_digits(client):
    bad(client.get("/api/network?seed=-1"), "seed must lie in [0, 2147483647]; got -1")


# -- whatever arrives, a 200 or a named 400, in valid JSON ----------------------------------------

NAMES = st.sampled_from([p.name for p in NETWORK_PARAMS]
                        + sorted({o.name for opts in OPTIONS.values() for o in opts}) + ["lr_ratio", "bogus"])
VALUES = st.sampled_from(["0", "1", "2", "3", "-1", "0.5", "1.5", "4", "10", "64", "65", "128", "1024", "5001", "1e-9",
                          "1e308", "nan", "inf", "", "abc", "tanh", "relu", "sigmoid", "linear", "normal", "he",
                          "batch", "layer", "on", "off", "gd", "momentum", "adam", "moons", "regression", "spiral"])


# One app for every example, with a small budget: a depth-64 x width-128 run of 1024-example batches
# is a valid request, and must answer time_limit in its budget rather than hold the suite up.
FAST = create_app({"TESTING": True, "NETWORK_BUDGET_S": 0.05})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=st.dictionaries(NAMES, VALUES, max_size=7))
def test_any_query_answers_200_or_a_named_400_in_valid_json(params):
    params.setdefault("steps", "20")
    response = FAST.test_client().get("/api/network", query_string=params)
    body = strict_json(response)  # TESTING propagates exceptions: a 500 would fail before this
    assert response.status_code in (200, 400), body
    if response.status_code == 400:
        assert body["error"]["message"]
    else:
        assert body["status"] in ("max_steps", "diverged", "time_limit") and body["steps"][0] == 0
