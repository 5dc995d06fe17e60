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


def test_a_custom_expression_takes_exactly_the_declared_parameters_as_sliders():
    from gradient_flow.losses.catalog import custom_game
    game = custom_game(" + ".join(f"{name}*x" for name in CUSTOM_PARAMS) + " + y^2")
    assert [p.name for p in game.params] == list(CUSTOM_PARAMS)
    assert [p.describe() for p in game.params] == [p.describe() for p in CUSTOM_PARAMS.values()]
    with pytest.raises(ValueError, match="unknown name 'd'"):
        custom_game("d*x + y")


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


@pytest.mark.parametrize("game", CATALOG.values(), ids=lambda g: g.id)
def test_parameter_names_are_typeset_as_symbols_never_as_products_of_letters(game):
    import re
    latex = re.sub(r"\\operatorname\{[a-z]+\}", "", " ".join(game.describe()["latex"]))
    for p in game.params:
        if len(p.name) > 1 and p.name not in ("gamma",):  # SymPy writes gamma as \\gamma itself
            assert not re.search(rf"(?<![A-Za-z\\\\]){p.name}(?![A-Za-z])", latex), (p.name, latex)


def test_the_wgan_critic_optimum_is_as_steep_as_the_description_says():
    for lam in (1.0, 10.0):
        # minimum of -2x + lam (|x| - 1)^2 on the x axis: x = 1 + 1/lam, found here by bisection on dL/dx
        lo, hi = 1.0, 5.0
        for _ in range(80):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if -2 + 2 * lam * (mid - 1) < 0 else (lo, mid)
        assert lo == pytest.approx(1 + 1 / lam)
    assert "2 at lambda = 1, 1.1 at lambda = 10" in CATALOG["wgan-critic"].description
    assert "1-Lipschitz critic." not in CATALOG["wgan-critic"].description
