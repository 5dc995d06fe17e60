"""Catalog entries against hand-derived closed forms of what they are meant to teach."""

import math

import pytest
import sympy

from gradient_flow.losses.catalog import CATALOG, CUSTOM_PARAMS
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.magnitude import DEFAULT_THRESHOLDS


def sigmoid(t):
    return 1 / (1 + math.exp(-t))


def grad(loss, x, y, **params):
    return Compiled(Problem.of(CATALOG[loss], params)).grad(x, y)


def test_every_entry_is_well_formed():
    for game in CATALOG.values():
        (x0, x1), (y0, y1) = game.view
        assert x0 < x1 and y0 < y1 and game.title and game.description
        for p in game.params:
            assert p.min <= p.default <= p.max
        assert {s.name for s in game.expr.free_symbols} <= {"x", "y"} | {p.name for p in game.params}


@pytest.mark.parametrize("r", [0.5, 1.5, 2.5])
def test_saturating_and_non_saturating_generator_gradients(r):
    k = 6.0
    root = math.sqrt(1 + r * r)
    logit = k * (1 - root)
    d_logit = k * r / root  # |d logit / d s| at distance r
    # d/ds log(1 - sigmoid(l)) = -sigmoid(l) l';  d/ds -log sigmoid(l) = -sigmoid(-l) l'
    assert math.hypot(*grad("gan-saturating", r, 0.0)) == pytest.approx(sigmoid(logit) * d_logit, rel=1e-9)
    assert math.hypot(*grad("gan-nonsaturating", r, 0.0)) == pytest.approx(sigmoid(-logit) * d_logit, rel=1e-9)


def test_a_too_good_discriminator_starves_only_the_saturating_generator():
    sat = math.hypot(*grad("gan-saturating", 2.5, 0.0))
    non = math.hypot(*grad("gan-nonsaturating", 2.5, 0.0))
    assert DEFAULT_THRESHOLDS.classify(sat) == "vanishing"
    assert DEFAULT_THRESHOLDS.classify(non) == "normal"


@pytest.mark.parametrize("y, expected", [(0.3, "vanishing"), (1.2, "exploding")])
def test_deep_chain_gradient_carries_y_to_the_depth(y, expected):
    n, decay, x = 8, 0.001, 1.0
    out = x * y**n - 1
    by_hand = (2 * out * y**n + 2 * decay * x, 2 * out * x * n * y ** (n - 1) + 2 * decay * y)
    assert grad("deep-chain", x, y) == pytest.approx(by_hand, rel=1e-12)
    assert DEFAULT_THRESHOLDS.classify(math.hypot(*by_hand)) == expected


def test_depth_is_a_whole_number():
    with pytest.raises(ValueError, match="whole number"):
        CATALOG["deep-chain"].resolve({"depth": 2.5})
    assert dict(CATALOG["deep-chain"].resolve({"depth": 3}))["depth"] == 3


def test_unknown_and_out_of_range_parameters_are_refused():
    with pytest.raises(ValueError, match="has no parameter 'q'"):
        CATALOG["toy-discriminator"].resolve({"q": 1})
    with pytest.raises(ValueError, match=r"\[-4, 4\]"):
        CATALOG["toy-discriminator"].resolve({"c": 5})


def test_dirac_gan_field_at_the_origin_rotates_without_penalty():
    # v = (y sigmoid(-xy), -x sigmoid(-xy) + gamma y): near 0, (y/2, -x/2 + gamma y)
    assert grad("dirac-gan", 0.0, 1e-3) == pytest.approx((0.5e-3, 0.0), abs=1e-12)
    assert grad("dirac-gan", 0.0, 1e-3, gamma=1.0) == pytest.approx((0.5e-3, 1e-3), abs=1e-12)


def test_custom_parameters_are_declared_once():
    assert set(CUSTOM_PARAMS) == {"a", "b", "c", "k"}


@pytest.mark.parametrize("lam", [0.5, 1.0, 10.0])
def test_wgan_penalty_puts_the_critic_minimum_at_one_plus_one_over_lambda(lam):
    # Along y = 0, x > 0: L = -2x + lam (x - 1)^2, so dL/dx = 0 at x = 1 + 1/lam; dL/dy = 0 by symmetry.
    assert grad("wgan-critic", 1 + 1 / lam, 0.0, lam=lam) == pytest.approx((0.0, 0.0), abs=1e-12)


def test_wgan_without_penalty_has_a_constant_pull_and_no_minimum():
    assert grad("wgan-critic", 0.3, -0.7, lam=0.0) == (-2.0, 0.0)


@pytest.mark.parametrize("game", CATALOG.values(), ids=lambda g: g.id)
def test_every_catalog_entry_binds_cleanly_at_every_corner_of_its_parameter_ranges(game):
    # the catalog's binding is lazy because its declared ranges are safe: here is the proof
    import itertools
    for corner in itertools.product(*[(p.min, p.default, p.max) for p in game.params]):
        values = game.resolve(dict(zip((p.name for p in game.params), corner)))
        fx, fy = game.players(values, 1e6)
        assert fx.is_real is not False and not fx.has(sympy.I, sympy.nan, sympy.zoo)
