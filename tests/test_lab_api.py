"""The GAN lab's API through Flask's test client: /api/analysis with a method, /api/basins and
/api/phase, their declarations in the OpenAPI document and /api/config, and bad input."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradient_flow.app import create_app
from gradient_flow.losses.catalog import CATALOG
from gradient_flow.losses.dynamics import METHODS
from test_api import bad, get, ok, strict_json

PAIR = {"loss": "custom", "kind": "pair", "expr": "x*y + 0.3*x^2 + sin(x) - 0.4*x",
        "expr_y": "-x*y + 0.5*y^2 + 0.2*y^3 + x^2*y"}  # two equilibria: attracting and a saddle


def only(body):
    (point,) = body["stationary_points"]
    return point


# -- /api/analysis with method and lr ------------------------------------------------------------

def test_analysis_adds_the_update_map_at_each_equilibrium(client):
    p = only(ok(get(client, "/api/analysis", loss="dirac-gan", method="gd", lr=0.2)))
    u = p["update"]
    assert u["spectral_radius"] == pytest.approx(math.sqrt(1.01)) and round(u["spectral_radius"], 7) == 1.0049876
    assert u["verdict"] == "diverges" and u["meaning"]
    assert sum(u["eigenvalues"], []) == pytest.approx([1.0, -0.1, 1.0, 0.1])  # 1 - lr (+-i/2)
    assert sum(p["eigenvalues"], []) == pytest.approx([0.0, -0.5, 0.0, 0.5], abs=1e-12)  # J's, as without method


@pytest.mark.parametrize("query, verdict", [
    ({"loss": "dirac-gan", "method": "alternating", "lr": 0.1}, "neutral"),
    ({"loss": "dirac-gan", "method": "gd", "lr": 0.1, "gamma": 0.5}, "converges"),
    ({"loss": "dirac-instance-noise", "method": "gd", "lr": 0.1}, "converges"),
    ({"loss": "dirac-wgan", "method": "extragradient", "lr": 0.1}, "converges"),
    ({"loss": "dirac-gan", "method": "momentum", "lr": 0.1, "beta": 0.5}, "diverges"),
    ({"loss": "dirac-gan", "method": "flow", "lr": 0.1}, "neutral"),  # e^(-lr J), |e^(+-i lr/2)| = 1
])
def test_analysis_verdicts(client, query, verdict):
    assert only(ok(get(client, "/api/analysis", **query)))["update"]["verdict"] == verdict


def test_an_update_map_past_what_a_float_holds_diverges_with_no_numbers(client):
    # the saddle at scale 10 has J = diag(20, -20); the flow's e^(-lr J) at lr 100 holds e^2000
    body = ok(get(client, "/api/analysis", loss="saddle", scale=10, method="flow", lr=100))
    u = only(body)["update"]
    assert u["verdict"] == "diverges" and u["spectral_radius"] is None and u["eigenvalues"] is None
    assert "past what a number can hold" in u["meaning"]
    # just below the overflow the radius is the closed form e^(lr * 20)
    u = only(ok(get(client, "/api/analysis", loss="saddle", scale=10, method="flow", lr=30)))["update"]
    assert u["spectral_radius"] == pytest.approx(math.exp(600), rel=1e-9) and u["verdict"] == "diverges"


def test_analysis_without_a_method_is_as_before(client):
    p = only(ok(get(client, "/api/analysis", loss="dirac-gan")))
    assert "update" not in p


def test_analysis_updates_every_equilibrium_of_a_pair(client):
    points = ok(get(client, "/api/analysis", method="gd", lr=0.1, **PAIR))["stationary_points"]
    assert {p["type"]: p["update"]["verdict"] for p in points} == {"attracting": "converges", "repelling": "diverges"}


# -- /api/basins -----------------------------------------------------------------------------------

def test_basins_shape_and_convention(client):
    body = ok(get(client, "/api/basins", loss="dirac-gan", gamma=0.5, n=7, steps=800, ymin=-1, ymax=2))
    assert body["y"] == pytest.approx([-1, -0.5, 0, 0.5, 1, 1.5, 2]) and len(body["x"]) == 7
    for key in ("status", "steps", "distance"):
        assert len(body[key]) == 7 and all(len(row) == 7 for row in body[key])
    assert body["truncated"] is False
    for i, j in [(0, 0), (2, 3), (6, 5)]:  # row i is y[i]; each cell is its trajectory
        run = ok(get(client, "/api/trajectory", loss="dirac-gan", gamma=0.5, x0=body["x"][j], y0=body["y"][i],
                     steps=800))
        assert body["status"][i][j] == run["status"] and body["steps"][i][j] == len(run["points"]) - 1
        assert body["distance"][i][j] == pytest.approx(math.hypot(*run["points"][-1]), abs=1e-12)


def test_basins_distance_is_null_where_no_equilibrium_is_known(client):
    body = ok(get(client, "/api/basins", loss="dirac-wgan-gp", n=4, steps=5))
    assert all(d is None for row in body["distance"] for d in row)


def test_a_map_cut_short_says_so():
    client = create_app({"TESTING": True, "BASINS_BUDGET_S": 0.0}).test_client()
    body = ok(get(client, "/api/basins", loss="dirac-gan", n=3, steps=2000))
    assert body["truncated"] is True and body["status"][0][0] == "time_limit"


def test_basins_honour_the_wgan_clip_and_say_so(client):
    body = ok(get(client, "/api/basins", loss="dirac-wgan", clip=0.5, n=3, steps=20))
    assert body["bounds"] == [[None, None], [-0.5, 0.5]]  # infinite ends are null, as every non-finite number


# -- /api/phase ------------------------------------------------------------------------------------

def test_phase_shape_and_closed_form(client):
    body = ok(get(client, "/api/phase", loss="dirac-gan", axis_x="lr", x="0.1,1,10", axis_y="gamma", y="0,2,5"))
    assert len(body["x"]) == 10 and len(body["y"]) == 5 and len(body["spectral_radius"]) == 5
    assert body["equilibrium"] == pytest.approx([0, 0], abs=1e-12) and body["axis_y"] == "gamma"
    assert body["spectral_radius"][0] == pytest.approx([math.sqrt(1 + lr**2 / 4) for lr in body["x"]])


def test_phase_picks_the_equilibrium_nearest_the_one_asked_for(client):
    saddle = ok(get(client, "/api/phase", axis_x="lr", x="0.05,0.3,3", axis_y="lr_ratio", y="1,2,2",
                    equilibrium="1.3,-0.6", **PAIR))
    centre = ok(get(client, "/api/phase", axis_x="lr", x="0.05,0.3,3", axis_y="lr_ratio", y="1,2,2", **PAIR))
    assert saddle["equilibrium"] == pytest.approx([1.3035288, -0.6462142], abs=1e-6)
    assert centre["equilibrium"] == pytest.approx([-0.2505825, -0.4184186], abs=1e-6)
    assert min(min(row) for row in saddle["spectral_radius"]) > 1 > max(max(row) for row in centre["spectral_radius"])


def test_phase_over_a_method_option(client):
    body = ok(get(client, "/api/phase", loss="dirac-gan", method="consensus", axis_x="lr", x="0.05,0.5,4",
                  axis_y="consensus", y="0,2,3"))
    assert body["spectral_radius"][0] == pytest.approx([math.sqrt(1 + lr**2 / 4) for lr in body["x"]])
    assert max(body["spectral_radius"][2]) < 1  # consensus optimisation converges


# -- declarations ----------------------------------------------------------------------------------

def test_the_new_endpoints_are_in_the_openapi_document_and_config(client):
    doc = ok(get(client, "/api/openapi.json"))
    for name, params in [("basins", {"method", "lr", "steps", "n", "xmin"}),
                         ("phase", {"method", "lr", "axis_x", "x", "axis_y", "y", "equilibrium"}),
                         ("analysis", {"method", "lr", "xmin"})]:
        declared = {p["name"]: p for p in doc["paths"][f"/api/{name}"]["get"]["parameters"]}
        assert params | {"loss", "expr", "kind"} <= set(declared) and "400" in doc["paths"][f"/api/{name}"]["get"]["responses"]
    basins = {p["name"]: p for p in doc["paths"]["/api/basins"]["get"]["parameters"]}
    assert basins["n"]["schema"]["maximum"] == 101 and basins["steps"]["schema"]["maximum"] == 2000
    cfg = ok(get(client, "/api/config"))
    assert {p["name"] for p in cfg["parameters"]["phase"]} >= {"axis_x", "axis_y", "equilibrium"}
    assert set(cfg["verdicts"]) == {"converges", "diverges", "neutral"}
    methods = {m["name"]: m for m in cfg["methods"]}
    assert methods["flow"]["projects"] is False and methods["gd"]["projects"] is True
    assert methods["adam"]["update_map"] is False and all("pair" in m["kinds"] for m in cfg["methods"])
    losses = {l["id"]: l for l in ok(get(client, "/api/losses"))["losses"]}
    assert losses["dirac-wgan"]["bounds"] == [[None, None], ["-clip", "clip"]] and losses["dirac-nsgan"]["kind"] == "pair"


# -- bad input: a 400 that names the problem ---------------------------------------------------------

@pytest.mark.parametrize("path, params, words", [
    ("/api/basins", {"loss": "dirac-wgan", "gamma": 1}, ["unknown parameter", "gamma"]),  # another variant's
    ("/api/basins", {"loss": "dirac-gan", "method": "flow"}, ["flow", "adaptively"]),
    ("/api/basins", {"n": 102}, ["n", "[2, 101]"]),
    ("/api/basins", {"steps": 2001}, ["steps", "2000"]),
    ("/api/basins", {"method": "gd", "beta": 0.5}, ["beta"]),
    ("/api/basins", {"loss": "custom", "kind": "pair", "expr": "x*y"}, ["expr_y"]),
    ("/api/basins", {"xmin": 1, "xmax": 0}, ["xmin"]),
    ("/api/analysis", {"loss": "dirac-gan", "method": "adam"}, ["Adam", "not differentiable"]),
    ("/api/analysis", {"loss": "dirac-gan", "lr": 0.1}, ["lr", "method"]),
    ("/api/analysis", {"loss": "dirac-gan", "beta": 0.5}, ["unknown parameter", "beta"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1,5"}, ["missing", "axis_y"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "gama", "y": "0,1,3"},
     ["axis 'gama' names nothing", "gamma"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "gamma", "y": "0,3,3"},
     ["gamma must lie in [0, 2]", "got 3"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0,1,5", "axis_y": "gamma", "y": "0,1,3"}, ["lr"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1,500", "axis_y": "gamma", "y": "0,1,3"},
     ["n must lie in [2, 101]"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1", "axis_y": "gamma", "y": "0,1,3"},
     ["lo,hi,n"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "1,0.1,5", "axis_y": "gamma", "y": "0,1,3"},
     ["lo < hi"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "lr", "y": "0.1,1,3"},
     ["both sweep lr"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "gamma", "y": "0,1,3",
                    "gamma": 0.5}, ["gamma is swept", "leave gamma=0.5 out"]),
    ("/api/phase", {"loss": "deep-chain", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "depth", "y": "1,4,4"},
     ["exponent"]),
    ("/api/phase", {"loss": "dirac-gan", "method": "adam", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "gamma",
                    "y": "0,1,3"}, ["Adam"]),
    ("/api/phase", {"loss": "dirac-gan", "method": "alternating", "axis_x": "lr", "x": "0.1,1,5",
                    "axis_y": "y_steps", "y": "1,2,3"}, ["whole number"]),
    ("/api/phase", {"loss": "dirac-wgan-gp", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "lam", "y": "0,1,3"},
     ["no equilibrium", "equilibrium=x,y"]),
    ("/api/phase", {"loss": "dirac-gan", "axis_x": "lr", "x": "0.1,1,5", "axis_y": "gamma", "y": "0,1,3",
                    "equilibrium": "1;2"}, ["equilibrium must be x,y"]),
    ("/api/phase", {"loss": "custom", "kind": "pair", "expr": "x*y", "axis_x": "lr", "x": "0.1,1,5",
                    "axis_y": "lr_ratio", "y": "1,2,3"}, ["expr_y"]),
])
def test_lab_bad_input_is_a_named_400(client, path, params, words):
    bad(get(client, path, **params), *words)


# -- whatever arrives, the answer is 200 or a named 400, in valid JSON ---------------------------------

VALUES = st.sampled_from(["0", "1", "-1", "0.1", "0.5", "2", "5", "101", "102", "2000", "2001", "1e6", "nan", "inf",
                          "", "abc", "0.1,1,5", "0,2,3", "1,0,3", "0.1,1,102", "0,0", "1,2", "lr", "gamma", "beta",
                          "sigma", "clip", "consensus", "y_steps", "depth", "nope"])
SETTINGS = ["gamma", "clip", "lam", "target", "sigma", "beta", "consensus", "y_steps", "lr_ratio", "depth", "bogus"]
NAMES = {  # each endpoint's own names, and every loss parameter and option, so that many examples get through
    "basins": st.sampled_from(["lr", "steps", "n", "xmin", "xmax", "ymin", "ymax", *SETTINGS]),
    "phase": st.sampled_from(["lr", "axis_x", "x", "axis_y", "y", "equilibrium", *SETTINGS]),
    "analysis": st.sampled_from(["lr", "xmin", "xmax", "ymin", "ymax", *SETTINGS]),
}
FAST = create_app({"TESTING": True, "BASINS_BUDGET_S": 0.05, "ANALYSIS_BUDGET_S": 0.2}).test_client()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(endpoint=st.sampled_from(["basins", "phase", "analysis"]),
       loss=st.sampled_from([*(k for k in CATALOG if k.startswith("dirac")), "toy-discriminator", "deep-chain", "nope"]),
       method=st.sampled_from([*METHODS, "nope"]), data=st.data(),
       axis=st.sampled_from(["gamma", "sigma", "clip", "lam", "target", "lr_ratio", "beta", "consensus", "y_steps"]))
def test_any_lab_request_answers_200_or_a_named_400_in_valid_json(endpoint, loss, method, data, axis):
    params = data.draw(st.dictionaries(NAMES[endpoint], VALUES, max_size=3))
    query = {"loss": loss, "method": method, **params}
    if endpoint == "phase":  # a sweep that is often a good one, so that most examples get past the checks
        query = {"axis_x": "lr", "x": "0.1,1,5", "axis_y": axis, "y": "1,2,2", **query}
    response = get(FAST, f"/api/{endpoint}", **query)
    body = strict_json(response)  # TESTING propagates exceptions: a 500 would fail before this
    assert response.status_code in (200, 400), body
    if response.status_code == 400:
        assert body["error"]["message"]
