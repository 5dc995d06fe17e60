"""The lab: optimiser steps against updates written out here, the record's shape, determinism,
refusals, stops, and the vanishing-gradient facts the lab exists to show."""

import json
import subprocess
import sys
import types

import numpy as np
import pytest

from gradient_flow.losses.activations import ACTIVATIONS, sigmoid
from gradient_flow.losses.dynamics import METHODS
from gradient_flow.losses.gradstats import HISTOGRAM_BINS, HISTOGRAM_EDGES
from gradient_flow.losses.netlab import (NETWORK_METHODS, NETWORK_PARAMS, SATURATED_BELOW, Trainer, dead_fraction,
                                         describe, saturated_fraction, signal_norm, train)

TINY = {"depth": 2, "width": 3, "samples": 40, "batch": 8, "steps": 25, "record": 10}


def run(**settings):
    return train({**TINY, **settings})


def _hand_gd(opts, lr):
    def step(p, g, state):
        return p - lr * g, state
    return step


def _hand_momentum(opts, lr):
    def step(p, g, state):
        m = g if state is None else opts["beta"] * state + g
        return p - lr * m, m
    return step


def _hand_adam(opts, lr):
    b1, b2, eps = opts["beta1"], opts["beta2"], opts["eps"]

    def step(p, g, state):
        t, m, v = state or (0, np.zeros_like(g), np.zeros_like(g))
        t += 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        return p - lr * m_hat / (np.sqrt(v_hat) + eps), (t, m, v)
    return step


HAND = {"gd": (_hand_gd, {}), "momentum": (_hand_momentum, {"beta": 0.5}),
        "adam": (_hand_adam, {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6})}


@pytest.mark.parametrize("method", NETWORK_METHODS)
def test_each_step_is_the_update_written_out_by_hand(method):
    make, options = HAND[method]
    trainer = Trainer({**TINY, "method": method, "lr": 0.05}, options)
    step = make(trainer.options, 0.05)
    state = None
    for _ in range(4):
        trainer.evaluate()
        before, g = trainer.flat.copy(), trainer.flat_grad.copy()
        want, state = step(before, g, state)
        trainer.update()
        np.testing.assert_allclose(trainer.flat, want, rtol=1e-14, atol=1e-16)
        assert not np.array_equal(trainer.flat, before)
    # the named blocks are views of what the optimiser stepped
    assert np.shares_memory(trainer.params[0], trainer.flat)
    assert trainer.params[0].tolist() == trainer.flat[:6].reshape(3, 2).tolist()


@pytest.mark.parametrize("method", NETWORK_METHODS)
def test_one_flat_block_steps_bit_for_bit_as_the_named_blocks_would(method):
    # why the lab hands the optimiser one flat vector: the same numbers, a third of the NumPy calls
    trainer = Trainer({**TINY, "method": method})
    step, opts = METHODS[method].step, trainer.options
    blocks = types.SimpleNamespace(players=(tuple(range(len(trainer.params))),), blocks=len(trainer.params))
    flat, named = (None, None), (None, None)
    for _ in range(3):
        trainer.evaluate()
        g = trainer.flat_grad.copy()
        p, grads = trainer.flat.copy(), tuple(x.copy() for x in trainer.grads)
        params = tuple(x.copy() for x in trainer.params)
        one, mem_one = step(trainer.field, (p,), (g,), (0.01,), flat[1], opts)
        many, mem_many = step(blocks, params, grads, (0.01,) * len(params), named[1], opts)
        flat, named = (one, mem_one), (many, mem_many)
        assert np.array_equal(one[0], np.concatenate([x.ravel() for x in many]))
        trainer.update()


def test_a_look_ahead_gradient_is_the_current_batch_at_other_parameters():
    trainer = Trainer(TINY)
    trainer.evaluate()
    here = trainer.flat_grad.copy()
    np.testing.assert_array_equal(trainer.field.grad((trainer.flat.copy(),))[0], here)
    elsewhere = trainer.field.grad((trainer.flat + 0.1,))[0]
    assert not np.array_equal(elsewhere, here) and np.array_equal(trainer.flat_grad, here)  # buffers untouched


def test_the_methods_offered_are_the_minimising_step_methods():
    assert NETWORK_METHODS == ("gd", "momentum", "adam")


def test_the_record_has_one_entry_per_recorded_step_in_every_list():
    out = run()
    assert out["steps"] == [0, 10, 20, 25]  # step 0, every 10th, and the last
    assert out["status"] == "max_steps" and out["diverged_at"] is None
    assert [layer["name"] for layer in out["layers"]] == ["layer1", "layer2", "output"]
    for layer in out["layers"]:
        lists = [*layer["weight_grad"].values(), layer["bias_grad_norm"], layer["signal_norm"],
                 layer["histogram"]["counts"]]
        assert all(len(v) == 4 for v in lists), layer["name"]
        assert layer["histogram"]["edges"] == list(HISTOGRAM_EDGES)
        size = 3 * (2 if layer["name"] == "layer1" else 3) if layer["name"] != "output" else 3
        assert all(len(c) == HISTOGRAM_BINS and sum(c) == size for c in layer["histogram"]["counts"])
    assert len(out["loss"]) == 4 and out["loss"][-1] < out["loss"][0]
    assert len(out["boundary"]["p"]) == len(out["boundary"]["y"]) == 41 and len(out["boundary"]["p"][0]) == 41
    assert all(0 <= v <= 1 for row in out["boundary"]["p"] for v in row)
    assert np.array(out["data"]["x"]).shape == (40, 2) and set(out["data"]["y"]) == {0.0, 1.0}
    assert json.dumps(out, allow_nan=False)


def test_a_regression_run_draws_the_fitted_curve():
    out = run(task="regression", activation="gelu", steps=5)
    assert set(out["boundary"]) == {"x", "y"} and len(out["boundary"]["x"]) == len(out["boundary"]["y"]) == 201
    assert np.array(out["data"]["x"]).shape == (40, 1)


def test_saturation_and_death_are_reported_only_where_they_mean_something():
    tanh, relu = run(activation="tanh"), run(activation="relu")
    assert all(0 <= v <= 1 for v in tanh["layers"][0]["saturated"]) and tanh["layers"][0]["dead"] is None
    assert relu["layers"][0]["saturated"] is None and all(0 <= v <= 1 for v in relu["layers"][0]["dead"])
    assert tanh["layers"][-1]["saturated"] is None and relu["layers"][-1]["dead"] is None


def test_the_probes_count_what_the_docstring_says():
    u = np.array([[-1.0, 2.0, 0.0], [-3.0, -1.0, 0.0]])
    assert dead_fraction(u) == pytest.approx(2 / 3)  # units 0 and 2 are <= 0 on every example
    u = np.array([[0.0, 3.1], [-2.9, -4.0]])  # tanh' < 0.01 from |u| = 2.99 on
    assert saturated_fraction(ACTIVATIONS["tanh"], u) == 0.5 and SATURATED_BELOW == 0.01
    assert signal_norm(np.array([[3.0, 4.0], [0.0, 1.0]])) == 6.0  # |(3, 4)| + |(0, 1)|


def test_the_output_signal_is_the_mean_prediction_error():
    trainer = Trainer(TINY)
    loss, p, signals = trainer.evaluate()
    _, y = trainer.batch
    want = np.mean(np.abs(sigmoid(p.output) - y))
    assert signal_norm(signals[-1]) == pytest.approx(want, rel=1e-14)


def test_the_same_settings_and_seed_give_identical_numbers():
    settings = {"norm": "batch", "residual": "on", "method": "momentum", "activation": "leaky_relu"}
    first, second = run(**settings), run(**settings)
    assert json.dumps(first, allow_nan=False) == json.dumps(second, allow_nan=False)
    assert run(seed=1, **settings)["loss"] != first["loss"]


@pytest.mark.parametrize("settings, setting", [
    ({"activation": "swish"}, "activation"), ({"init": "orthogonal"}, "init"), ({"depth": 65}, "depth"),
    ({"width": 1}, "width"), ({"gain": 5}, "gain"), ({"batch": 1025}, "batch"), ({"steps": 5001}, "steps"),
    ({"method": "flow"}, "method"), ({"lr": 0}, "lr"), ({"depht": 3}, "depht"), ({"norm": "group"}, "norm"),
])
def test_bad_settings_are_refused_naming_the_setting(settings, setting):
    with pytest.raises(ValueError, match=setting):
        train(settings)


def test_an_unknown_method_option_is_refused():
    with pytest.raises(ValueError, match="beta3"):
        train({"method": "adam"}, {"beta3": 0.5})


def test_a_blowing_up_network_stops_diverged_with_the_step_and_no_nan():
    out = run(activation="linear", init="normal", gain=4.0, depth=6, method="gd", lr=10.0, steps=200, record=1)
    assert out["status"] == "diverged"
    k = out["diverged_at"]
    assert isinstance(k, int) and 0 < k < 200 and out["steps"] == list(range(k + 1))
    assert out["loss"][-1] is None and all(v is not None for v in out["loss"][:-1])
    assert out["layers"][0]["weight_grad"]["class"][-1] == "undefined"
    assert json.dumps(out, allow_nan=False)


def test_a_spent_budget_stops_with_time_limit_keeping_the_step_it_reached():
    out = train({**TINY, "steps": 5000}, budget_s=0.0)
    assert out["status"] == "time_limit" and out["steps"] == [0] and out["diverged_at"] is None


def test_a_batch_larger_than_the_data_is_the_whole_data_set():
    trainer = Trainer({**TINY, "batch": 1024})
    trainer.evaluate()
    assert sorted(trainer.batch[0][:, 0].tolist()) == sorted(trainer.x[:, 0].tolist())


def test_every_setting_is_declared_once_with_bounds_and_a_label():
    names = [p.name for p in NETWORK_PARAMS]
    assert len(names) == len(set(names))
    for p in NETWORK_PARAMS:
        d = p.describe()
        assert d["label"] and d["description"] and d["default"] is not None
        assert d.get("choices") or (d["min"] is not None and d["max"] is not None), p.name
    assert {"depth": (1, 64), "width": (2, 128), "gain": (0.1, 4.0), "batch": (2, 1024), "steps": (0, 5000)} == {
        p.name: (p.min, p.max) for p in NETWORK_PARAMS if p.name in ("depth", "width", "gain", "batch", "steps")}
    assert json.dumps(describe(), allow_nan=False)


# -- what the lab is for: the first layer's gradient against the last hidden layer's ------------------

def _first_over_last(**settings):
    out = train({"depth": 20, "width": 32, "batch": 128, "steps": 0, **settings})
    norms = [layer["weight_grad"]["norm"][0] for layer in out["layers"]]
    return norms[0] / norms[19]


def test_twenty_sigmoid_layers_starve_the_first_one():
    # Each layer multiplies the signal by sigmoid' (~0.245 near its centre) times sqrt(1/3) from the
    # standard init: 0.141 a layer, 0.141^19 = 7e-17 over 19 layers. Measured: 7.4e-17.
    assert _first_over_last(activation="sigmoid", init="standard") < 1e-12


def test_relu_with_he_init_keeps_the_first_layer_within_a_small_factor():
    # He init preserves the variance layer to layer; measured: 0.59.
    assert 0.25 < _first_over_last(activation="relu", init="he") < 4


def test_residual_connections_keep_the_first_sigmoid_layer_learning():
    # dh_(l-1) = dh_l + (dh_l * sigmoid') W: the identity path carries the signal; measured: 0.10.
    assert _first_over_last(activation="sigmoid", init="standard", residual="on") > 1e-2


def test_the_engine_imports_without_flask():
    code = ("import sys; import gradient_flow.losses.netlab, gradient_flow.losses.gradstats; "
            "print('flask' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
