"""Compiled gradients against central finite differences of the loss value: an independent path."""

import math

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import formulas
from gradient_flow.losses.catalog import CATALOG, custom_game
from gradient_flow.losses.functions import MATH_NAMESPACE
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.game import GAME, MINIMIZE, Game, X, Y
from gradient_flow.losses.functions import sigmoid, softplus


def central_difference(f, x, y, h=1e-6):
    return ((f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h))


NAIVE = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "softplus": lambda z: np.log1p(np.exp(z)), "absval": np.abs}
# where a catalog loss has a kink, v does not exist and a central difference across it means nothing
KINKS = {"dirac-wgan-gp": lambda x, y: abs(y) < 1e-5}  # |psi| in the WGAN-GP penalty


def check_against_differences(compiled, x, y):
    """v = (df_x/dx, df_y/dy): both players' own partials, differenced from their own losses."""
    fx = sympy.lambdify((X, Y), compiled.fx, modules=[NAIVE, "numpy"])
    fy = sympy.lambdify((X, Y), compiled.fy, modules=[NAIVE, "numpy"])
    dx = central_difference(fx, x, y)[0]
    dy = central_difference(fy, x, y)[1]
    vx, vy = compiled.grad(x, y)
    scale = max(1.0, abs(dx), abs(dy))
    assert vx == pytest.approx(dx, abs=2e-5 * scale)
    assert vy == pytest.approx(dy, abs=2e-5 * scale)


@pytest.mark.parametrize("loss", list(CATALOG))
@settings(max_examples=25, deadline=None)
@given(u=st.floats(0, 1), w=st.floats(0, 1))
def test_catalog_gradients_match_finite_differences(loss, u, w):
    game = CATALOG[loss]
    (x0, x1), (y0, y1) = game.view
    x, y = x0 + u * (x1 - x0), y0 + w * (y1 - y0)
    assume(not KINKS.get(loss, lambda x, y: False)(x, y))
    check_against_differences(Compiled(Problem.of(game)), x, y)


def test_seed_gradient_by_hand():
    c = Compiled(Problem.of(CATALOG["toy-discriminator"]))
    # dL/dx = 2(x - 1) + 0.5y, dL/dy = 2(y + 0.5) + 0.5x at (0.5, -0.3)
    assert c.grad(0.5, -0.3) == pytest.approx((2 * (0.5 - 1) + 0.5 * -0.3, 2 * (-0.3 + 0.5) + 0.5 * 0.5))
    assert c.value(0.5, -0.3) == pytest.approx(0.25 + 0.04 - 0.075)


def test_game_field_flips_the_sign_for_the_ascending_player():
    c = Compiled(Problem.of(CATALOG["bilinear-game"]))
    assert c.grad(1.0, 0.0) == (0.0, -1.0)  # v = (y, -x)
    assert c.grad(0.3, 0.7) == pytest.approx((0.7, -0.3))


def test_scale_multiplies_every_gradient():
    game = CATALOG["toy-discriminator"]
    base = Compiled(Problem.of(game)).grad(0.5, -0.3)
    scaled = Compiled(Problem.of(game, scale=100)).grad(0.5, -0.3)
    assert scaled == pytest.approx((100 * base[0], 100 * base[1]))


def test_parameters_are_bound_before_differentiating():
    c = Compiled(Problem.of(CATALOG["toy-discriminator"], {"c": 3.0}))
    assert c.grad(1.0, 1.0) == pytest.approx((2 * 0 + 3 * 1, 2 * 1.5 + 3 * 1))


def test_constant_derivative_is_broadcast_to_the_grid():
    c = Compiled(Problem.of(Game("lin", "linear", MINIMIZE, X + 2 * Y)))
    xs, ys = np.linspace(-1, 1, 4)[None, :], np.linspace(-1, 1, 3)[:, None]
    value, gx, gy = c.field(xs, ys)
    assert gx.shape == gy.shape == value.shape == (3, 4)
    assert np.all(gx == 1.0) and np.all(gy == 2.0)


def test_field_row_is_y_and_column_is_x():
    c = Compiled(Problem.of(CATALOG["toy-discriminator"]))
    xs, ys = np.array([0.0, 0.5, 1.0]), np.array([-1.0, 0.0])
    value, gx, _ = c.field(xs[None, :], ys[:, None])
    assert value[1, 2] == pytest.approx((1 - 1) ** 2 + (0 + 0.5) ** 2 + 0.5 * 1.0 * 0.0)
    assert gx[0, 1] == pytest.approx(2 * (0.5 - 1) + 0.5 * -1.0)


def test_undefined_values_become_nan_never_an_exception():
    c = Compiled(Problem.of(Game("log", "log", MINIMIZE, sympy.log(X) + sympy.sqrt(Y))))
    assert math.isnan(c.value(-1.0, 1.0))  # log of a negative number
    assert math.isnan(c.grad(1.0, -1.0)[1])  # 1 / (2 sqrt(y)) at y < 0
    # 1/x is a number at x = -1, but the loss does not exist there, so neither does its gradient
    assert all(math.isnan(g) for g in c.grad(-1.0, 1.0))
    assert all(math.isnan(g) for g in c.value_grad(-1.0, 1.0))
    assert np.isnan(c.jacobian_at(-1.0, 1.0)).all()
    value, gx, gy = c.field(np.array([[-1.0, 1.0, 1.0]]), np.array([[1.0, -1.0, 4.0]]))
    assert np.isnan(value[0, :2]).all() and np.isnan(gx[0, :2]).all() and np.isnan(gy[0, :2]).all()
    assert (value[0, 2], gx[0, 2], gy[0, 2]) == pytest.approx((2.0, 1.0, 0.25))
    power = Compiled(Problem.of(Game("pow", "pow", MINIMIZE, X ** sympy.Float(0.5))))
    assert math.isnan(power.value(-4.0, 0.0))  # a complex result is undefined, not a complex number
    div = Compiled(Problem.of(Game("div", "div", MINIMIZE, 1 / X)))
    assert all(math.isnan(v) for v in div.grad(0.0, 0.0))


@pytest.mark.parametrize("text, inside, outside", [
    ("log(x) + y^2", (0.5, 1.0), (-0.5, 1.0)),
    ("exp(log(y)) + x^2", (1.0, 0.5), (1.0, -0.5)),  # SymPy simplifies it to y, defined nowhere below 0
    ("sqrt(x)*y", (0.25, 1.0), (-0.25, 1.0)),
    ("x^1.5 + y", (0.25, 1.0), (-0.25, 1.0)),
])
def test_where_the_loss_is_undefined_so_is_its_gradient_at_points_and_on_grids(text, inside, outside):
    c = Compiled(Problem.of(custom_game(text)))
    assert all(math.isfinite(v) for v in c.value_grad(*inside))
    assert all(math.isnan(v) for v in c.value_grad(*outside))
    value, gx, gy = c.field(np.array([inside[0], outside[0]]), np.array([inside[1], outside[1]]))
    assert np.isfinite([value[0], gx[0], gy[0]]).all() and np.isnan([value[1], gx[1], gy[1]]).all()


@pytest.mark.parametrize("text", ["abs(x^0.5) + y^2", "abs(sin(log(x))) + y", "abs(x)*abs(y) + x"])
def test_abs_of_what_sympy_cannot_prove_real_evaluates_everywhere(text):
    # SymPy's Abs differentiates to re() and im() here, which no numeric module defines
    c = Compiled(Problem.of(custom_game(text)))
    f = sympy.lambdify((X, Y), c.fx, modules=[MATH_NAMESPACE, "math"])
    x, y, h = 0.7, 0.4, 1e-6
    want = ((f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h))
    assert c.grad(x, y) == pytest.approx(want, rel=1e-6)
    assert np.isfinite(c.jacobian_at(x, y)).all()


def test_a_kink_has_no_derivative_the_same_way_for_abs_and_for_a_cone():
    kinks = [custom_game("abs(x) + abs(y)"), custom_game("sqrt(x^2 + y^2)")]
    for game in kinks:
        c = Compiled(Problem.of(game))
        assert all(math.isnan(g) for g in c.grad(0.0, 0.0)), game.title
        assert math.isfinite(c.value(0.0, 0.0))


@pytest.mark.parametrize("z", [5.0, 17.0, 30.0, 40.0, 300.0, 800.0])
def test_sigmoid_and_tanh_derivatives_keep_their_digits_where_the_textbook_forms_cancel(z):
    import mpmath
    mpmath.mp.dps = 50
    want_sig = float(mpmath.diff(lambda t: 1 / (1 + mpmath.exp(-t)), z))
    want_tanh = float(mpmath.diff(mpmath.tanh, z))
    sig = Compiled(Problem.of(custom_game("sigmoid(x) + y")))
    th = Compiled(Problem.of(custom_game("tanh(x) + y")))
    assert sig.grad(z, 0.0)[0] == pytest.approx(want_sig, rel=1e-12)
    assert th.grad(z, 0.0)[0] == pytest.approx(want_tanh, rel=1e-12)
    assert th.jacobian_at(z, 0.0)[0, 0] == pytest.approx(float(mpmath.diff(mpmath.tanh, z, 2)), rel=1e-9)


def test_sigmoid_stays_finite_where_the_naive_form_overflows():
    c = Compiled(Problem.of(Game("sat", "saturating", MINIMIZE, softplus(-X) + sigmoid(Y))))
    vx, vy = c.grad(-800.0, 800.0)
    assert vx == pytest.approx(-1.0) and vy == pytest.approx(0.0, abs=1e-300)
    assert c.value(-800.0, 0.0) == pytest.approx(800.0 + 0.5)


def test_jacobian_is_the_hessian_for_a_loss_and_antisymmetric_for_xy():
    toy = Compiled(Problem.of(CATALOG["toy-discriminator"]))
    assert toy.jacobian_at(0.0, 0.0) == pytest.approx(np.array([[2.0, 0.5], [0.5, 2.0]]))
    xy = Compiled(Problem.of(CATALOG["bilinear-game"]))
    assert xy.jacobian_at(0.3, 0.1) == pytest.approx(np.array([[0.0, 1.0], [-1.0, 0.0]]))
    assert CATALOG["bilinear-game"].kind is GAME


def test_jacobian_of_abs_is_zero_off_the_kink_and_undefined_on_it():
    c = Compiled(Problem.of(Game("abs", "abs", MINIMIZE, sympy.Abs(X) + Y**2)))
    assert c.jacobian_at(0.5, 0.1) == pytest.approx(np.array([[0.0, 0.0], [0.0, 2.0]]))
    assert math.isnan(c.jacobian_at(0.0, 0.1)[0, 0])


def test_jacobian_where_it_divides_by_zero_is_nan_not_an_exception():
    cone = Compiled(Problem.of(Game("cone", "cone", MINIMIZE, sympy.sqrt(X**2 + Y**2))))
    assert np.isnan(cone.jacobian_at(0.0, 0.0)).any()
    # d2/dx2 sqrt(x^2 + y^2) = y^2 / r^3
    assert cone.jacobian_at(3.0, 4.0)[0, 0] == pytest.approx(16 / 125)


def test_sigmoid_on_grids_keeps_tiny_values_like_the_scalar_path():
    c = Compiled(Problem.of(Game("sig", "sig", MINIMIZE, sigmoid(X))))
    value, gx, _ = c.field(np.array([[-40.0, -700.0]]), np.array([[0.0, 0.0]]))
    assert value[0, 0] == pytest.approx(math.exp(-40), rel=1e-12) and value[0, 0] == pytest.approx(c.value(-40.0, 0.0))
    assert 0 < gx[0, 1] < 1e-300


@pytest.mark.parametrize("loss", list(CATALOG))
def test_catalog_formulas_are_the_ones_written_by_hand(loss):
    """The catalog's SymPy trees against the formulas typed again from the README and the papers."""
    game = CATALOG[loss]
    compiled = Compiled(Problem.of(game))
    rng = np.random.default_rng(7)
    (x0, x1), (y0, y1) = game.view
    for x, y in zip(rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)):
        value, (vx, vy) = formulas.field(loss, x, y)
        assert compiled.value(x, y) == pytest.approx(value, rel=1e-12, abs=1e-12)
        scale = max(1.0, abs(vx), abs(vy))
        assert compiled.grad(x, y) == pytest.approx((vx, vy), abs=1e-6 * scale)


def test_a_slow_piece_of_one_loss_never_holds_up_another_loss():
    # functools.cached_property (Python 3.11) takes one lock per attribute for all instances: a heavy
    # Jacobian for one loss made every other loss's first analysis wait. Ours locks per instance.
    import threading
    from gradient_flow.losses.compiled import _Lazy

    started, release = threading.Event(), threading.Event()

    class Piece:
        def __init__(self, slow):
            self._lock, self.slow = threading.RLock(), slow

        @_Lazy
        def made(self):
            if self.slow:
                started.set()
                release.wait(10)
            return self.slow

    slow, quick = Piece(True), Piece(False)
    worker = threading.Thread(target=lambda: slow.made)
    worker.start()
    assert started.wait(10)
    assert quick.made is False  # made while the slow one is still being made
    assert worker.is_alive()
    release.set()
    worker.join(10)
    assert slow.made is True
