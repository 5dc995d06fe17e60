"""Phase diagrams against closed forms of the spectral radius, with the equilibrium tracked where a
swept parameter moves it and lost where it ceases to exist."""

import numpy as np
import pytest

from gradient_flow.losses.catalog import CATALOG
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.dynamics import LR_RATIO, METHODS
from gradient_flow.losses.params import Param
from gradient_flow.losses.phase import check_axis, phase_diagram

LR = Param("lr", 0.1, 1e-9, 100.0)


def compiled(loss, **params):
    return Compiled(Problem.of(CATALOG[loss], params))


def r1_eigenvalues(gamma):
    root = np.sqrt(gamma**2 / 4 - 0.25 + 0j)
    return gamma / 2 + root, gamma / 2 - root


def test_gd_on_the_dirac_gan_over_lr_and_gamma_is_the_closed_form():
    lrs, gammas = np.linspace(0.01, 1.0, 23), np.linspace(0.0, 2.0, 17)
    body = phase_diagram(compiled("dirac-gan"), METHODS["gd"], 0.1, {}, (("lr", lrs), ("gamma", gammas)), (0.0, 0.0))
    assert body["spectral_radius"].shape == (17, 23) and body["equilibrium"] == pytest.approx([0.0, 0.0], abs=1e-12)
    for i, gamma in enumerate(gammas):  # row i is y[i]
        expected = [max(abs(1 - lr * lam) for lam in r1_eigenvalues(gamma)) for lr in lrs]
        # at gamma = 1 the eigenvalue is double and M defective: any eigensolver is off by ~sqrt(eps) there
        assert body["spectral_radius"][i] == pytest.approx(expected, rel=1e-12 if gamma != 1 else 2e-8)
    assert body["spectral_radius"][0, 0] == pytest.approx(np.sqrt(1 + 0.01**2 / 4))
    assert body["tracked"] is True and body["lost"] == 0  # gamma is a loss parameter; (0, 0) stays put


def test_momentum_over_lr_and_beta_is_the_heavy_ball_closed_form():
    # each curvature h of the toy loss (1.5 and 2.5) gives z^2 - (1 + beta - lr h) z + beta = 0
    lrs, betas = np.linspace(0.05, 1.5, 11), np.linspace(0.0, 0.95, 7)
    body = phase_diagram(compiled("toy-discriminator"), METHODS["momentum"], 0.1, {},
                         (("lr", lrs), ("beta", betas)), (1.0, -1.0))
    assert body["equilibrium"] == pytest.approx([1.2, -0.8])
    for i, beta in enumerate(betas):
        expected = [max(max(abs(np.roots([1, -(1 + beta - lr * h), beta]))) for h in (1.5, 2.5)) for lr in lrs]
        assert body["spectral_radius"][i] == pytest.approx(expected, rel=1e-9)
    assert body["tracked"] is False


def test_two_time_scales_over_lr_and_lr_ratio():
    # gd with rates (lr, r lr) on v = (y/2, -x/2): M = [[1, -lr/2], [r lr/2, 1]], |eigenvalue|^2 = 1 + r lr^2/4
    lrs, ratios = np.linspace(0.1, 1.0, 5), np.linspace(0.5, 4.0, 4)
    body = phase_diagram(compiled("dirac-gan"), METHODS["gd"], 0.1, {}, (("lr", lrs), ("lr_ratio", ratios)), (0, 0))
    assert body["spectral_radius"] == pytest.approx(np.sqrt(1 + ratios[:, None] * lrs[None, :] ** 2 / 4), rel=1e-12)


def test_a_moving_equilibrium_is_tracked():
    # Rosenbrock's minimum (a, a^2) moves with a; its Hessian there is [[2 + 8 b a^2, -4 b a], [-4 b a, 2 b]]
    a_values, b_values, lr = np.linspace(-1.5, 1.5, 7), np.array([1.0, 10.0, 100.0]), 1e-3
    body = phase_diagram(compiled("rosenbrock"), METHODS["gd"], lr, {}, (("a", a_values), ("b", b_values)), (1.0, 1.0))
    for i, b in enumerate(b_values):
        for j, a in enumerate(a_values):
            h = np.linalg.eigvalsh([[2 + 8 * b * a * a, -4 * b * a], [-4 * b * a, 2 * b]])
            assert body["spectral_radius"][i, j] == pytest.approx(max(abs(1 - lr * h)), rel=1e-10)
    assert body["lost"] == 0


def test_where_the_equilibrium_ceases_to_exist_the_cell_is_lost():
    # the toy loss's Hessian [[2, c], [c, 2]] is singular at c = +-2, where grad L = 0 has no solution
    cs = np.linspace(-4.0, 4.0, 9)
    body = phase_diagram(compiled("toy-discriminator"), METHODS["gd"], 0.1, {}, (("c", cs), ("lr", [0.1, 0.2])),
                         (1.2, -0.8))
    lost = np.isnan(body["spectral_radius"])
    assert body["lost"] == 4 and np.all(lost[:, [2, 6]])
    assert body["spectral_radius"][0, 0] == pytest.approx(max(abs(1 - 0.1 * (2 - 4.0)), abs(1 - 0.1 * (2 + 4.0))))


def test_no_equilibrium_near_the_start_is_refused():
    with pytest.raises(ValueError, match="no equilibrium"):
        phase_diagram(compiled("dirac-wgan-gp"), METHODS["gd"], 0.1, {}, (("lr", [0.1, 0.2]), ("lam", [1, 2])), (0.5, 0.1))


@pytest.mark.parametrize("loss,method,name,values,words", [
    ("deep-chain", "gd", "depth", [1, 2], "exponent"),
    ("dirac-gan", "gd", "beta", [0.1, 0.2], "names nothing"),
    ("dirac-gan", "gd", "gamma", [0.0, 2.5], "[0, 2]"),
    ("dirac-gan", "alternating", "y_steps", [1.0, 1.5], "whole number"),
    ("dirac-gan", "gd", "lr", [0.0, 1.0], "lr"),
])
def test_axes_that_sweep_nothing_or_past_their_bounds_are_refused(loss, method, name, values, words):
    with pytest.raises(ValueError, match=".*".join(map(__import__("re").escape, words.split("|")))):
        check_axis(CATALOG[loss], METHODS[method], LR, name, values)


def test_an_option_axis_is_declared_by_the_method():
    check_axis(CATALOG["dirac-gan"], METHODS["gd"], LR, "lr_ratio", [LR_RATIO.min, LR_RATIO.max])
