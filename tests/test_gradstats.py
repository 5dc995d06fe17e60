"""Gradient statistics on hand-made dicts, against numbers NumPy computes here directly."""

import json
import math

import numpy as np
import pytest

from gradient_flow.losses.gradstats import (HISTOGRAM_BINS, HISTOGRAM_EDGES, gradient_stats, group_layers,
                                            histogram, histogram_bins, layer_stats)
from gradient_flow.losses.magnitude import Thresholds

RNG = np.random.default_rng(0)
# What {n: p.grad.numpy() for n, p in model.named_parameters()} gives for a small nn.Sequential
GRADS = {
    "net.0.weight": np.full((3, 4), 0.001, dtype=np.float32),  # norm 0.0035: vanishing
    "net.0.bias": np.array([0.3, -0.4, 0.0]),  # norm 0.5: normal
    "net.2.weight": RNG.normal(size=(1, 3)) * 20,  # exploding
    "net.2.bias": np.array([0.0]),
}


def test_every_entry_against_numpy_directly():
    stats = gradient_stats(GRADS)
    assert list(stats) == list(GRADS)
    for name, g in GRADS.items():
        g = g.astype(float).ravel()
        s = stats[name]
        assert s["size"] == g.size
        assert s["norm"] == pytest.approx(math.sqrt(np.sum(g**2)), rel=1e-12)
        assert s["rms"] == pytest.approx(math.sqrt(np.mean(g**2)), rel=1e-12)
        assert s["mean"] == pytest.approx(np.mean(g), rel=1e-12, abs=1e-300)
        assert s["std"] == pytest.approx(np.std(g), rel=1e-9, abs=1e-15)
    assert [stats[n]["class"] for n in GRADS] == ["vanishing", "normal", "exploding", "vanishing"]
    assert stats["net.0.bias"]["norm"] == pytest.approx(0.5, rel=1e-15)
    assert json.dumps(stats, allow_nan=False)


def test_the_norm_is_classed_with_the_thresholds_given():
    stats = gradient_stats(GRADS, Thresholds(vanish=1e-4, explode=1e3))
    assert [stats[n]["class"] for n in GRADS] == ["normal", "normal", "normal", "vanishing"]


def test_histogram_bins_are_fixed_decades_with_zero_underflow_and_overflow_bins():
    assert HISTOGRAM_EDGES == tuple(10.0**k for k in range(-12, 5))
    assert HISTOGRAM_BINS == 19 and len(histogram_bins()) == 19
    assert histogram_bins()[:3] == ["0", "(0, 1e-12)", "[1e-12, 1e-11)"] and histogram_bins()[-1] == "[1e+04, inf]"
    values = [0.0, -0.0, 1e-13, 1e-12, -5e-12, 0.5, -3e-5, 9999.0, 1e4, -math.inf, math.nan]
    want = [0] * 19
    want[0] = 2  # the two zeros
    want[1] = 1  # 1e-13
    # a decade [10^e, 10^(e+1)) is bin e + 14, from 1e-12 in bin 2 to [1e3, 1e4) in bin 17
    want[2] = 2  # 1e-12 (lower edges are inclusive) and 5e-12
    want[-1 + 14] = 1  # 0.5
    want[-5 + 14] = 1  # 3e-5
    want[3 + 14] = 1  # 9999
    want[18] = 2  # 1e4 and inf overflow; NaN is in no bin
    assert histogram(values) == want


def test_a_non_finite_entry_is_undefined_not_a_number():
    stats = gradient_stats({"a": np.array([1.0, np.nan]), "b": np.array([np.inf, 1.0]), "c": np.array([2.0])})
    for name in "ab":
        assert stats[name]["class"] == "undefined"
        assert stats[name]["norm"] is stats[name]["rms"] is stats[name]["mean"] is stats[name]["std"] is None
    assert stats["a"]["histogram"][0 + 14] == 1 and sum(stats["a"]["histogram"]) == 1  # the 1.0; NaN in none
    assert stats["c"]["norm"] == 2.0  # a neighbour's NaN does not leak
    assert json.dumps(stats, allow_nan=False)


def test_huge_but_finite_entries_keep_a_finite_norm():
    stats = gradient_stats({"w": np.array([3e200, -4e200]), "small": np.array([3.0, 4.0])})
    assert stats["w"]["norm"] == pytest.approx(5e200, rel=1e-15)
    assert stats["w"]["mean"] == pytest.approx(-0.5e200, rel=1e-15)
    assert stats["w"]["std"] == pytest.approx(3.5e200, rel=1e-15)
    assert stats["w"]["class"] == "exploding" and stats["small"]["norm"] == 5.0


def test_empty_entries_are_allowed():
    stats = gradient_stats({"empty": np.zeros((0, 3)), "x": np.array([1.0]), "also": np.zeros(0)})
    assert stats["empty"]["size"] == 0 and stats["empty"]["norm"] == 0.0 and stats["empty"]["rms"] is None
    assert stats["x"]["norm"] == 1.0 and stats["also"]["histogram"] == [0] * 19
    assert gradient_stats({}) == {}


def test_layers_group_entries_by_module_path():
    names = ["layer1.weight", "layer1.bias", "layer1.norm.gamma", "layer1.norm.beta", "output.weight", "scale"]
    assert group_layers(names) == {"layer1": ["layer1.weight", "layer1.bias"],
                                   "layer1.norm": ["layer1.norm.gamma", "layer1.norm.beta"],
                                   "output": ["output.weight"], "scale": ["scale"]}


def test_a_layer_joins_its_entries():
    layers = layer_stats(GRADS)
    assert [(layer["name"], layer["parameters"]) for layer in layers] == [
        ("net.0", ["net.0.weight", "net.0.bias"]), ("net.2", ["net.2.weight", "net.2.bias"])]
    joined = np.concatenate([GRADS["net.0.weight"].ravel().astype(float), GRADS["net.0.bias"]])
    first = layers[0]
    assert first["size"] == 15 and first["norm"] == pytest.approx(np.linalg.norm(joined), rel=1e-12)
    assert first["std"] == pytest.approx(np.std(joined), rel=1e-12)
    entries = gradient_stats(GRADS)
    assert first["histogram"] == [a + b for a, b in zip(entries["net.0.weight"]["histogram"],
                                                        entries["net.0.bias"]["histogram"])]


def test_an_entry_without_a_gradient_is_left_out():
    grads = {"used.weight": np.ones(2), "unused.weight": None}
    assert list(gradient_stats(grads)) == ["used.weight"]
    assert [layer["name"] for layer in layer_stats(grads)] == ["used"]
