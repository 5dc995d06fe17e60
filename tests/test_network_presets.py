"""Every Insight's sentence against the engine's answer for its settings: each number as the sentence
prints it, each claim ("every layer's is normal", "diverges at step 2") as the answer has it."""

from __future__ import annotations

import pytest

from gradient_flow.app import create_app
from gradient_flow.app.network_presets import PRESETS
from gradient_flow.losses.netlab import NETWORK_PARAMS
from gradient_flow.losses.params import resolve

from test_api import ok


@pytest.fixture(scope="module")
def runs():
    """Each preset's answer through the API, once, with time to finish on a busy machine."""
    client = create_app({"TESTING": True, "NETWORK_BUDGET_S": 60.0}).test_client()
    return {p.id: ok(client.get("/api/network", query_string=p.settings)) for p in PRESETS}


def printed(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}g}"


def norms(run, step=0):
    return [layer["weight_grad"]["norm"][step] for layer in run["layers"]]


def classes(run, step=0):
    return [layer["weight_grad"]["class"][step] for layer in run["layers"]]


def per_layer_factor(run):
    """The backward signal's change a layer, from the last hidden layer down to the first (step 0)."""
    signal = [layer["signal_norm"][0] for layer in run["layers"][:-1]]
    return (signal[0] / signal[-1]) ** (1 / (len(signal) - 1))


def test_every_preset_is_valid_settings_and_the_runs_finish(runs):
    for p in PRESETS:
        resolve(NETWORK_PARAMS, p.settings, "preset", noun="setting")
        assert runs[p.id]["status"] in ("max_steps", "diverged"), p.id


def test_twenty_sigmoid_layers_standard_init(runs):
    run = runs["sigmoid-deep"]
    g = norms(run)
    assert (printed(g[0]), printed(g[-1])) == ("1.5e-18", "0.22")
    assert round(1 / per_layer_factor(run)) == 7  # sigmoid'(0) = 1/4 times sqrt(1/3): 6.9
    assert max(layer["saturated"][0] for layer in run["layers"][:-1]) == 0
    assert f"{run['loss'][0]:.2f}" == "0.70" and f"{run['loss'][-1]:.2f}" == "0.69"
    assert run["steps"][-1] == 500


def test_relu_and_he_init(runs):
    run = runs["relu-he"]
    g = norms(run)
    assert set(classes(run)) == {"normal"}
    assert (printed(g[0]), printed(g[-1])) == ("0.16", "0.17")
    assert f"{run['loss'][0]:.2f}" == "0.71" and printed(run["loss"][-1]) == "0.017"
    assert f"{run['layers'][19]['dead'][0]:.0%}" == "38%"


def test_linear_layers_with_gain_one_and_a_half(runs):
    run = runs["linear-gain"]
    assert f"{per_layer_factor(run):.1f}" == "1.6"
    assert set(classes(run)) == {"exploding"}
    assert printed(norms(run)[0]) == "1.2e+03"
    assert run["status"] == "diverged" and run["diverged_at"] == 2


def test_residual_connections(runs):
    run = runs["residual-sigmoid"]
    assert printed(norms(run)[0]) == "0.056"
    assert set(classes(run)) == {"normal"}
    assert f"{run['loss'][0]:.2f}" == "0.70" and f"{run['loss'][-1]:.2f}" == "0.30"


def test_batch_norm(runs):
    run = runs["batch-norm"]
    assert f"{norms(run)[0]:.2f}" == "0.50"
    assert set(classes(run)) == {"normal"}
    assert f"{run['loss'][0]:.2f}" == "0.71" and printed(run["loss"][-1]) == "0.091"
    assert run["steps"][-1] == 500
