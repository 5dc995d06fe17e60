"""Instance noise's Gauss-Hermite expectations against an independent adaptive quadrature
(scipy.integrate.quad): within 1e-9 on the Dirac-GAN's view at every sigma it declares."""

import itertools
import math

import numpy as np
import pytest
import sympy

import notebook as nb
from gradient_flow.losses.catalog import CATALOG
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.game import X, Y
from gradient_flow.losses.noise import MOMENTS, moment_math, moment_np


def log_sigmoid_derivative(k, t):
    """l = log sigmoid and its derivatives, typed from the closed forms: l' = s(-t), l'' = -s(t) s(-t)."""
    s, r = nb.sigmoid(t), nb.sigmoid(-t)
    return [lambda: -math.log1p(math.exp(-t)) if t > -30 else t - math.log1p(math.exp(t)),
            lambda: r, lambda: -s * r][k]()


@pytest.mark.parametrize("i,j", [(0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2)])
def test_every_moment_v_and_j_need_is_within_1e_10_of_adaptive_quadrature(i, j):
    # |a| <= 8, |b| <= 4 covers the view: a = psi theta, b = psi sigma with |theta|, |psi| <= 2 and sigma <= 2
    for a, b in itertools.product(np.linspace(-8, 8, 7), np.linspace(-4, 4, 5)):
        expected = nb.gaussian(lambda e: e**j * log_sigmoid_derivative(i + j, a + b * e))
        assert moment_math(i, j, a, b) == pytest.approx(expected, abs=1e-10), (a, b)


def _field_and_jacobian(theta, psi, sigma):
    """v = minus the notebook's field, and J typed from it by hand: t = theta + sigma e is the noisy fake."""
    t = lambda e: theta + sigma * e  # noqa: E731
    g = nb.gaussian
    v = tuple(-c for c in nb.instance_noise(theta, psi, sigma))
    jac = np.array([
        [g(lambda e: psi**2 * nb.fpp(psi * t(e))), g(lambda e: nb.fp(psi * t(e)) + psi * t(e) * nb.fpp(psi * t(e)))],
        [-g(lambda e: nb.fp(psi * t(e)) + psi * t(e) * nb.fpp(psi * t(e))),
         -g(lambda e: t(e) ** 2 * nb.fpp(psi * t(e))) - g(lambda e: (sigma * e) ** 2 * nb.fpp(-sigma * e * psi))],
    ])
    return v, jac


@pytest.mark.parametrize("sigma", [0.3, 1.0, 2.0])
def test_field_and_jacobian_are_within_1e_9_on_the_view(sigma):
    c = Compiled(Problem.of(CATALOG["dirac-instance-noise"], {"sigma": sigma}))
    for theta, psi in [(2.0, 2.0), (-2.0, 2.0), (0.3, -1.7), (-1.1, 0.4), (1.9, -2.0)]:
        v, jac = _field_and_jacobian(theta, psi, sigma)
        assert c.grad(theta, psi) == pytest.approx(v, abs=1e-9), (theta, psi)
        assert c.jacobian_at(theta, psi) == pytest.approx(jac, abs=1e-9), (theta, psi)


def test_the_grid_and_scalar_paths_agree():
    c = Compiled(Problem.of(CATALOG["dirac-instance-noise"], {"sigma": 1.5}))
    xs, ys = np.linspace(-2, 2, 7), np.linspace(-2, 2, 9)
    value, gx, gy = c.field(xs[None, :], ys[:, None])
    for i, j in [(0, 0), (4, 3), (8, 6)]:
        assert (value[i, j], gx[i, j], gy[i, j]) == pytest.approx(c.value_grad(xs[j], ys[i]), rel=1e-13, abs=1e-15)


def test_no_noise_is_the_plain_gan():
    plain = Compiled(Problem.of(CATALOG["dirac-gan"]))
    quiet = Compiled(Problem.of(CATALOG["dirac-instance-noise"], {"sigma": 0.0}))
    for p in [(0.7, -1.2), (-1.9, 0.3)]:
        assert quiet.grad(*p) == pytest.approx(plain.grad(*p), rel=1e-14)
        assert quiet.value(*p) == pytest.approx(plain.value(*p) + math.log(0.5), rel=1e-14)  # + f(0), the real data


def test_g_differentiates_into_its_table_and_evaluates_numerically():
    a, b = sympy.symbols("a b", real=True)
    g = MOMENTS[(0, 0)](a, b)
    assert sympy.diff(g, a) == MOMENTS[(1, 0)](a, b) and sympy.diff(g, b, 2) == MOMENTS[(0, 2)](a, b)
    assert sympy.diff(MOMENTS[(0, 0)](X * Y, Y), Y) == X * MOMENTS[(1, 0)](X * Y, Y) + MOMENTS[(0, 1)](X * Y, Y)
    assert float(MOMENTS[(1, 0)](sympy.Float(0.3), sympy.Float(1.2)).evalf()) == pytest.approx(moment_math(1, 0, 0.3, 1.2))
    assert moment_np(0, 0, np.zeros((3, 4)), 1.0).shape == (3, 4)
    assert r"\mathbb{E}" in sympy.latex(g)
