"""The Dirac-GAN family against the notebook's formulas typed again (tests/notebook.py) and the
paper's closed forms: v is minus the notebook's field, and every claim of issue 9 section 2."""

import math

import numpy as np
import pytest

import notebook as nb
from gradient_flow.losses.analysis import stationary_points
from gradient_flow.losses.catalog import CATALOG
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.dynamics import CONVERGED, MAX_STEPS, METHODS, trajectory
from gradient_flow.losses.stability import update

FAMILY = ["dirac-gan", "dirac-nsgan", "dirac-wgan", "dirac-wgan-gp", "dirac-instance-noise"]
# each variant's notebook field and how our parameters map onto its arguments
NOTEBOOK = {
    "dirac-gan": (nb.gan, lambda p: {"reg": p["gamma"]}),
    "dirac-nsgan": (nb.nsgan, lambda p: {"reg": p["gamma"]}),
    "dirac-wgan": (nb.wgan, lambda p: {}),
    "dirac-wgan-gp": (nb.wgan_gp, lambda p: {"reg": p["lam"], "target": p["target"]}),
    "dirac-instance-noise": (nb.instance_noise, lambda p: {"std": p["sigma"]}),
}
SETTINGS = {  # defaults and one other value of every parameter
    "dirac-gan": [{}, {"gamma": 0.7}],
    "dirac-nsgan": [{}, {"gamma": 1.3}],
    "dirac-wgan": [{}, {"clip": 1.0}],
    "dirac-wgan-gp": [{}, {"lam": 3.0, "target": 0.8}],
    "dirac-instance-noise": [{}, {"sigma": 2.0}],
}


def compiled(loss, **params):
    return Compiled(Problem.of(CATALOG[loss], params))


def run(loss, method, start, lr=0.1, steps=100, options=None, **params):
    return trajectory(METHODS[method], compiled(loss, **params), start, lr, steps, options)


def jacobian_eigenvalues(loss, **params):
    (p,) = [s for s in stationary_points(compiled(loss, **params), CATALOG[loss].view) if s.type != "curve"]
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-9)
    return sorted(p.eigenvalues, key=lambda z: (z.imag, z.real))


# -- v is minus the notebook's field, at every point, for every variant ---------------------------

@pytest.mark.parametrize("loss", FAMILY)
def test_v_is_minus_the_notebooks_field(loss):
    rng = np.random.default_rng(9)
    field, args = NOTEBOOK[loss]
    points = rng.uniform(-2, 2, (12 if loss == "dirac-instance-noise" else 60, 2))
    for params in SETTINGS[loss]:
        c = compiled(loss, **params)
        resolved = dict(CATALOG[loss].resolve(params))
        for theta, psi in points:
            v1, v2 = field(theta, psi, **args(resolved))
            assert c.grad(theta, psi) == pytest.approx((-v1, -v2), abs=1e-9), (params, theta, psi)


def test_the_wgan_gp_penalty_has_no_derivative_at_psi_0():
    # the notebook's np.sign(0) = 0 reads the kink as a zero slope; here it is undefined, as every kink is
    assert all(math.isnan(g) for g in compiled("dirac-wgan-gp").grad(0.5, 0.0)[1:])


def test_every_description_states_the_conventions():
    for loss in FAMILY:
        text = CATALOG[loss].description
        assert "ψ points from the data toward the generated point" in text
        assert "positive real parts" in text and "minus the field of Mescheder's notebook" in text
        assert "minimis" in text and ("maximis" in text or "general-sum" in text)
    assert "probability the discriminator gives t of being fake" in CATALOG["dirac-gan"].description


# -- GAN and NS-GAN unregularised: eigenvalues +-i/2, gd spirals out, alternating circles -------

@pytest.mark.parametrize("loss", ["dirac-gan", "dirac-nsgan"])
def test_unregularised_eigenvalues_are_plus_minus_i_over_2(loss):
    assert jacobian_eigenvalues(loss) == pytest.approx([-0.5j, 0.5j], abs=1e-12)


@pytest.mark.parametrize("loss", ["dirac-gan", "dirac-nsgan"])
def test_simultaneous_gd_spectral_radius_and_outward_spiral(loss):
    lr = 0.2
    j = compiled(loss).jacobian_at(0.0, 0.0)
    assert update(METHODS["gd"], j, lr, {})["spectral_radius"] == pytest.approx(math.sqrt(1 + lr**2 / 4), rel=1e-14)
    assert math.sqrt(1 + lr**2 / 4) == pytest.approx(1.0049876, abs=1e-7)
    # near the equilibrium the radius grows by that factor a step: 2.7048 after 200 steps
    points = run(loss, "gd", (0.01, 0.0), lr=lr, steps=200)["points"]
    radii = [math.hypot(*p) for p in points]
    assert all(b > a for a, b in zip(radii[::10], radii[10::10]))
    assert radii[-1] / radii[0] == pytest.approx((1 + lr**2 / 4) ** 100, rel=1e-3)


@pytest.mark.parametrize("loss", ["dirac-gan", "dirac-nsgan"])
def test_alternating_gd_has_spectral_radius_1_and_neither_converges_nor_spirals_out(loss):
    # H_y H_x = [[1, -a/2], [a/2, 1 - a^2/4]]: determinant 1, trace 2 - a^2/4 in (-2, 2): the unit circle
    j = compiled(loss).jacobian_at(0.0, 0.0)
    for lr in (0.01, 0.1, 0.5):
        u = update(METHODS["alternating"], j, lr, {})
        assert u["spectral_radius"] == pytest.approx(1.0, abs=1e-12) and u["verdict"] == "neutral"
    r = run(loss, "alternating", (0.5, 0.0), lr=0.1, steps=5000)
    radii = [math.hypot(*p) for p in r["points"]]
    assert r["status"] == MAX_STEPS and max(radii) < 0.51  # never out
    if loss == "dirac-gan":
        assert min(radii) > 0.48  # an orbit
    else:  # neutral to first order, so the nonlinear terms decide: NS-GAN's draw it in, slower than any rate < 1
        assert radii[2500] < radii[1000] < radii[0] and radii[5000] / radii[2500] > 0.5


# -- R1 and instance noise: the closed-form eigenvalues and their critical values --------------

def _closed_form(gamma):
    root = np.sqrt(complex(gamma**2 / 4 - 0.25))
    return sorted([gamma / 2 - root, gamma / 2 + root], key=lambda z: (z.imag, z.real))


@pytest.mark.parametrize("gamma", [0.3, 1.0, 1.7])
def test_r1_eigenvalues(gamma):
    assert jacobian_eigenvalues("dirac-gan", gamma=gamma) == pytest.approx(_closed_form(gamma), abs=1e-7)
    assert jacobian_eigenvalues("dirac-nsgan", gamma=gamma) == pytest.approx(_closed_form(gamma), abs=1e-7)


def test_r1_critical_gamma_is_a_double_eigenvalue_one_half():
    j = compiled("dirac-gan", gamma=1.0).jacobian_at(0.0, 0.0)
    assert np.trace(j) == pytest.approx(1.0) and np.linalg.det(j) == pytest.approx(0.25)  # (lambda - 1/2)^2
    assert not np.allclose(j, 0.5 * np.eye(2))  # defective: one eigenvector, the critical case


@pytest.mark.parametrize("loss", ["dirac-gan", "dirac-nsgan"])
def test_r1_training_converges_for_a_small_lr(loss):
    gamma, lr = 0.3, 0.1
    j = compiled(loss, gamma=gamma).jacobian_at(0.0, 0.0)
    u = update(METHODS["gd"], j, lr, {})
    assert u["spectral_radius"] == pytest.approx(max(abs(1 - lr * z) for z in _closed_form(gamma)), rel=1e-12)
    assert u["verdict"] == "converges"
    r = run(loss, "gd", (1.0, 1.0), lr=lr, steps=5000, gamma=gamma)
    assert r["status"] == CONVERGED and math.hypot(*r["points"][-1]) < 1e-7


@pytest.mark.parametrize("sigma", [0.5, 1.0, math.sqrt(2), 1.8])
def test_instance_noise_eigenvalues_are_r1_with_gamma_sigma_squared_over_2(sigma):
    assert jacobian_eigenvalues("dirac-instance-noise", sigma=sigma) == pytest.approx(_closed_form(sigma**2 / 2),
                                                                                     abs=1e-7)
    j = compiled("dirac-instance-noise", sigma=sigma).jacobian_at(0.0, 0.0)
    assert j == pytest.approx(compiled("dirac-gan", gamma=sigma**2 / 2).jacobian_at(0.0, 0.0), abs=1e-12)
    # sigma^2/4 +- sqrt(sigma^4/16 - 1/4): real exactly from sigma = sqrt(2) on
    assert np.trace(j) == pytest.approx(sigma**2 / 2, abs=1e-12) and np.linalg.det(j) == pytest.approx(0.25, abs=1e-12)


# -- WGAN with clipping and WGAN-GP do not converge; consensus optimisation does -----------------

@pytest.mark.parametrize("method", ["gd", "alternating"])
def test_clipped_wgan_is_the_notebooks_run_and_never_converges(method):
    start, lr, steps = (1.0, 0.2), 0.1, 3000
    ours = run("dirac-wgan", method, start, lr=lr, steps=steps)
    clip = lambda psi: nb.clip(psi, 0.3)  # noqa: E731
    theirs = getattr(nb, {"gd": "simultaneous"}.get(method, method))(nb.wgan, *start, steps, lr, project=clip)
    assert np.array(ours["points"]) == pytest.approx(np.array(theirs), abs=1e-9)
    assert all(abs(psi) <= 0.3 for _, psi in ours["points"][1:])
    assert ours["status"] == MAX_STEPS and min(math.hypot(*p) for p in ours["points"][-500:]) > 0.25


@pytest.mark.parametrize("method", ["gd", "alternating"])
def test_wgan_gp_is_the_notebooks_run_and_never_converges(method):
    start, lr, steps = (1.0, 0.2), 0.1, 3000
    ours = run("dirac-wgan-gp", method, start, lr=lr, steps=steps)
    theirs = getattr(nb, {"gd": "simultaneous"}.get(method, method))(nb.wgan_gp, *start, steps, lr)
    assert np.array(ours["points"]) == pytest.approx(np.array(theirs), abs=1e-9)
    assert ours["status"] == MAX_STEPS and min(math.hypot(*p) for p in ours["points"][-500:]) > 0.3
    assert stationary_points(compiled("dirac-wgan-gp"), CATALOG["dirac-wgan-gp"].view) == []  # no equilibrium


def test_consensus_optimisation_is_the_notebooks_consensus_field_and_converges():
    start, lr, reg = (1.0, 0.5), 0.1, 0.3
    ours = run("dirac-gan", "consensus", start, lr=lr, steps=4000, options={"consensus": reg})
    theirs = nb.simultaneous(lambda t, p: nb.consensus(t, p, reg), *start, 50, lr)
    assert np.array(ours["points"][:51]) == pytest.approx(np.array(theirs), abs=1e-12)
    assert ours["status"] == CONVERGED and math.hypot(*ours["points"][-1]) < 1e-7
    clipped = run("dirac-wgan", "consensus", start, lr=lr, steps=4000)
    assert clipped["status"] == CONVERGED and math.hypot(*clipped["points"][-1]) < 1e-7


def test_the_typed_consensus_field_is_the_field_minus_the_gradient_of_half_its_squared_norm():
    h, reg = 1e-6, 0.3
    half = lambda t, p: sum(c * c for c in nb.gan(t, p)) / 2  # noqa: E731
    for theta, psi in [(0.7, -0.4), (-1.3, 0.9)]:
        grad = ((half(theta + h, psi) - half(theta - h, psi)) / (2 * h), (half(theta, psi + h) - half(theta, psi - h)) / (2 * h))
        v = nb.gan(theta, psi)
        assert nb.consensus(theta, psi, reg) == pytest.approx((v[0] - reg * grad[0], v[1] - reg * grad[1]), abs=1e-8)
