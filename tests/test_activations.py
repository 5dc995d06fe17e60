"""Activations against 400-digit values from mpmath, and derivatives against finite differences."""

import math
import warnings

import mpmath
import numpy as np
import pytest
from scipy import special

from gradient_flow.losses.activations import ACTIVATIONS, ACTIVATIONS_TABLE, LEAKY_SLOPE

mpmath.mp.dps = 400  # enough that 1 + tanh(k) keeps its digits down to gelu(-19.5) ~ 1e-242
K = mpmath.sqrt(2 / mpmath.pi)


def _gelu(x):
    return x / 2 * (1 + mpmath.tanh(K * (x + mpmath.mpf("0.044715") * x**3)))


# name -> (f, f') in mpmath, written from the textbook definitions
REFERENCE = {
    "linear": (lambda x: x, lambda x: mpmath.mpf(1)),
    "sigmoid": (lambda x: 1 / (1 + mpmath.exp(-x)), lambda x: mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2),
    "tanh": (mpmath.tanh, lambda x: mpmath.sech(x) ** 2),
    "relu": (lambda x: max(x, 0), lambda x: mpmath.mpf(1 if x > 0 else 0)),
    "leaky_relu": (lambda x: x if x > 0 else LEAKY_SLOPE * x, lambda x: mpmath.mpf(1 if x > 0 else LEAKY_SLOPE)),
    "gelu": (_gelu, lambda x: mpmath.diff(_gelu, x)),
}
POINTS = np.array([-800.0, -300.0, -40.0, -19.5, -5.0, -1.3, -0.2, 0.3, 1.7, 6.0, 19.5, 40.0, 300.0, 800.0])
SMALLEST = 2.2250738585072014e-308  # below this the true value is a subnormal or 0: compare absolutely


def test_the_table_holds_the_six_activations_each_with_its_reference():
    assert [a.name for a in ACTIVATIONS_TABLE] == ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "gelu"]
    assert set(REFERENCE) == set(ACTIVATIONS)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@pytest.mark.parametrize("which", [0, 1], ids=["output", "der"])
def test_values_and_derivatives_keep_full_accuracy_for_large_inputs(name, which):
    act = ACTIVATIONS[name]
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # nothing overflows on the way
        got = (act.output if which == 0 else act.der)(POINTS)
    for z, value in zip(POINTS, got):
        want = float(REFERENCE[name][which](mpmath.mpf(z)))
        if abs(want) < SMALLEST:
            assert abs(value) < 1e-300, (z, value, want)
        else:
            assert value == pytest.approx(want, rel=1e-13, abs=0), (z, value, want)


def test_tanh_derivative_does_not_cancel_where_one_minus_tanh_squared_does():
    z = np.array([20.0, 30.0])
    assert np.all(1 - np.tanh(z) ** 2 == 0)  # the form the module avoids
    got = ACTIVATIONS["tanh"].der(z)
    assert got == pytest.approx([4 * math.exp(-40), 4 * math.exp(-60)], rel=1e-13)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_derivative_matches_central_differences_of_the_output(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-4.05, 4.05, 28)  # no point within 0.1 of relu's kink at 0
    h = 1e-6
    fd = (act.output(z + h) - act.output(z - h)) / (2 * h)
    np.testing.assert_allclose(act.der(z), fd, rtol=1e-7, atol=1e-9)


# f'' in mpmath: differentiated twice from the textbook f (the piecewise-linear rows: 0 off the kink)
SECOND = {name: (lambda f: lambda x: mpmath.diff(f, x, 2))(f) for name, (f, _) in REFERENCE.items()
          if name not in ("linear", "relu", "leaky_relu")}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_second_derivative_matches_central_differences_of_the_first(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-4.05, 4.05, 28)
    h = 1e-6
    fd = (act.der(z + h) - act.der(z - h)) / (2 * h)
    np.testing.assert_allclose(act.der2(z), fd, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(SECOND))
def test_second_derivative_keeps_full_accuracy_for_large_inputs(name):
    points = np.array([-40.0, -19.5, -5.0, -1.3, -0.2, 0.3, 1.7, 6.0, 19.5, 40.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = ACTIVATIONS[name].der2(points)
    for z, value in zip(points, got):
        want = float(SECOND[name](mpmath.mpf(z)))
        assert value == pytest.approx(want, rel=1e-12, abs=1e-300), (z, value, want)


def test_piecewise_linear_rows_have_no_curvature():
    z = np.array([-3.0, -1e-9, 0.0, 2.0])
    for name in ("linear", "relu", "leaky_relu"):
        assert ACTIVATIONS[name].der2(z).tolist() == [0.0] * 4


def test_kinks_follow_pytorch():
    z = np.array([-2.0, 0.0, 3.0])
    assert ACTIVATIONS["relu"].der(z).tolist() == [0.0, 0.0, 1.0]
    assert ACTIVATIONS["leaky_relu"].output(z).tolist() == [-2 * LEAKY_SLOPE, 0.0, 3.0]
    assert ACTIVATIONS["leaky_relu"].der(z).tolist() == [LEAKY_SLOPE, LEAKY_SLOPE, 1.0]


def test_gelu_is_the_tanh_approximation_within_5e_4_of_the_exact_one():
    x = np.linspace(-8, 8, 4001)
    got = ACTIVATIONS["gelu"].output(x)
    k = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    np.testing.assert_allclose(got, 0.5 * x * (1 + np.tanh(k)), rtol=1e-14, atol=1e-15)
    exact = x * 0.5 * (1 + special.erf(x / math.sqrt(2)))  # x Phi(x)
    assert np.max(np.abs(got - exact)) < 5e-4


def test_outputs_are_fresh_arrays_and_no_warning_is_raised():
    z = np.array([-1000.0, 0.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for act in ACTIVATIONS_TABLE:
            out = act.output(z)
            assert out is not z and np.all(np.isfinite(out)) and np.all(np.isfinite(act.der(z)))
            assert np.all(np.isfinite(act.der2(z)))


def test_flags_say_which_units_saturate_and_which_die():
    assert [a.name for a in ACTIVATIONS_TABLE if a.saturates] == ["sigmoid", "tanh"]
    assert [a.name for a in ACTIVATIONS_TABLE if a.dies] == ["relu", "leaky_relu"]
