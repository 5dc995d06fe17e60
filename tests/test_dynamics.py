"""Optimisers checked against closed forms of the linear dynamics they induce, never against themselves."""

import math
import time

import numpy as np
import pytest
import sympy
from scipy.linalg import expm

from gradient_flow.losses.catalog import CATALOG, custom_game
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.dynamics import CONVERGED, DIVERGED, MAX_STEPS, METHODS, STALLED, TIME_LIMIT, trajectory
from gradient_flow.losses.game import GAME, MINIMIZE, Game, X, Y
from gradient_flow.losses.params import Param
from gradient_flow.losses.magnitude import Thresholds

TOY = Compiled(Problem.of(CATALOG["toy-discriminator"]))
XY = Compiled(Problem.of(CATALOG["bilinear-game"]))
H = np.array([[2.0, 0.5], [0.5, 2.0]])  # Hessian of the toy loss, by hand
P_STAR = np.array([1.2, -0.8])  # solves H p = (2, -1)


def run(name, compiled, start, lr=0.1, steps=100, **kw):
    return trajectory(METHODS[name], compiled, start, lr, steps, **kw)


def radius(p):
    return math.hypot(*p)


def test_gd_first_step_on_the_seed_point():
    r = run("gd", TOY, (0.5, -0.3), steps=1)
    assert r["points"][1] == pytest.approx([0.615, -0.365])
    assert r["magnitudes"][0] == pytest.approx(math.sqrt(1.745))


def test_gd_matches_the_affine_closed_form_on_the_toy_loss():
    r = run("gd", TOY, (0.5, -0.3), steps=30)
    step = np.eye(2) - 0.1 * H
    for k in (1, 5, 30):
        expected = P_STAR + np.linalg.matrix_power(step, k) @ (np.array([0.5, -0.3]) - P_STAR)
        assert r["points"][k] == pytest.approx(expected, abs=1e-12)


def test_gd_spirals_out_of_the_bilinear_game_by_sqrt_1_plus_lr2_per_step():
    r = run("gd", XY, (1.0, 0.0), lr=0.1, steps=200)
    assert r["points"][1] == pytest.approx([1.0, 0.1])
    for k in (1, 50, 200):
        assert radius(r["points"][k]) == pytest.approx((1 + 0.01) ** (k / 2), rel=1e-12)
    assert r["status"] == MAX_STEPS


def test_alternating_cycles_and_stays_bounded_on_the_bilinear_game():
    r = run("alternating", XY, (1.0, 0.0), lr=0.1, steps=5000)
    radii = [radius(p) for p in r["points"]]
    # Alternating updates are symplectic: x^2 + y^2 - lr*x*y is conserved, so the orbit is an ellipse.
    conserved = [x * x + y * y - 0.1 * x * y for x, y in r["points"]]
    assert max(conserved) - min(conserved) < 1e-9
    assert max(radii) < 1.06 and min(radii) > 0.94


def test_extragradient_contracts_at_the_closed_form_rate():
    lr = 0.1
    r = run("extragradient", XY, (1.0, 0.0), lr=lr, steps=500)
    # p' = ((1 - lr^2) I - lr A) p with A = [[0, 1], [-1, 0]]: modulus sqrt(1 - lr^2 + lr^4) per step.
    for k in (1, 100, 500):
        assert radius(r["points"][k]) == pytest.approx((1 - lr**2 + lr**4) ** (k / 2), rel=1e-10)


def test_optimistic_converges_on_the_bilinear_game():
    r = run("optimistic", XY, (1.0, 0.0), lr=0.1, steps=3000)
    assert r["points"][1] == pytest.approx([1.0, 0.1])  # first step is plain gd
    # second step by hand: v1 = (0.1, -1), v0 = (0, -1): p2 = p1 - lr (2 v1 - v0)
    assert r["points"][2] == pytest.approx([1.0 - 0.1 * 0.2, 0.1 + 0.1 * 1.0])
    assert radius(r["points"][-1]) < 1e-4


def test_momentum_matches_its_linear_recurrence():
    lr, beta = 0.05, 0.9
    r = run("momentum", TOY, (0.5, -0.3), lr=lr, steps=40)
    # Heavy ball as a linear system in (p - p*, m): m' = beta m + H e, e' = e - lr m'.
    e, m = np.array([0.5, -0.3]) - P_STAR, np.zeros(2)
    for k in range(1, 41):
        m = beta * m + H @ e
        e = e - lr * m
        if k in (1, 2, 40):
            assert r["points"][k] == pytest.approx(P_STAR + e, abs=1e-12)


def test_adam_first_step_moves_each_coordinate_by_lr():
    # Bias-corrected Adam's first step is lr * g / (|g| + eps): lr in magnitude, against the gradient's sign.
    r = run("adam", TOY, (0.5, -0.3), lr=0.1, steps=1)
    assert r["points"][1] == pytest.approx([0.5 + 0.1, -0.3 - 0.1], abs=1e-8)


@pytest.mark.parametrize("t_index", [1, 10, 50, 200])
def test_flow_matches_the_matrix_exponential_on_a_quadratic(t_index):
    lr = 0.05
    r = run("flow", TOY, (0.5, -0.3), lr=lr, steps=200)
    assert len(r["points"]) == 201  # t = 10: |v| ~ 3e-7, still above the 1e-8 that would stop it
    t = lr * t_index
    expected = P_STAR + expm(-H * t) @ (np.array([0.5, -0.3]) - P_STAR)
    assert r["points"][t_index] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("options", [{}, {"beta1": 0.5, "beta2": 0.99, "eps": 1e-3}])
@pytest.mark.parametrize("compiled,start,grad", [
    (TOY, (0.5, -0.3), lambda x, y: (2 * (x - 1) + 0.5 * y, 2 * (y + 0.5) + 0.5 * x)),
    (XY, (1.0, 0.5), lambda x, y: (y, -x)),
], ids=["toy", "bilinear"])
def test_adam_follows_kingma_and_ba_for_every_step(compiled, start, grad, options):
    """Algorithm 1 of Kingma and Ba (2015), written out again here, for 300 steps and non-default options."""
    b1, b2, eps = options.get("beta1", 0.9), options.get("beta2", 0.999), options.get("eps", 1e-8)
    lr, p = 0.05, np.array(start)
    m, v, expected = np.zeros(2), np.zeros(2), [p.copy()]
    for t in range(1, 301):
        g = np.array(grad(*p))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p = p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        expected.append(p.copy())
    r = run("adam", compiled, start, lr=lr, steps=300, options=options)
    n = len(r["points"])
    assert n == 301 or (r["status"] == CONVERGED and n > 30)  # eps = 1e-3 lets it settle on the toy loss
    assert np.array(r["points"]) == pytest.approx(np.array(expected[:n]), rel=1e-9, abs=1e-12)


def test_flow_keeps_the_radius_on_the_bilinear_game():
    r = run("flow", XY, (1.0, 0.0), lr=0.1, steps=300)
    # dp/dt = (-y, x): rotation; p(t) = (cos t, sin t).
    assert r["points"][300] == pytest.approx([math.cos(30.0), math.sin(30.0)], abs=1e-6)


def test_converged_run_stops_at_the_minimum():
    r = run("gd", TOY, (0.5, -0.3), steps=10_000)
    assert r["status"] == CONVERGED
    assert len(r["points"]) < 10_001
    assert r["points"][-1] == pytest.approx(P_STAR, abs=1e-7)
    assert r["magnitudes"][-1] < 1e-8


def test_start_at_the_minimum_converges_without_a_step():
    r = run("adam", TOY, (1.2, -0.8), steps=50)
    assert r["status"] == CONVERGED and r["points"] == [[1.2, -0.8]]


def test_runaway_iterate_is_reported_as_diverged():
    r = run("gd", XY, (1.0, 0.0), lr=1.0, steps=1000)  # radius grows by sqrt(2) a step
    assert r["status"] == DIVERGED
    assert radius(r["points"][-1]) > 1e6 and radius(r["points"][-2]) <= 1e6
    assert len(r["points"]) == 41  # sqrt(2)^40 = 2^20 > 1e6 > 2^19.5


def test_leaving_the_domain_is_reported_as_diverged_not_as_nan():
    r = run("gd", Compiled(Problem.of(Game("t", "log", MINIMIZE, sympy.log(X) + Y**2))), (0.5, 1.0), lr=1.0, steps=100)
    assert r["status"] == DIVERGED
    assert r["points"][-1] == [-1.5, -1.0]  # (0.5 - 1/0.5, 1 - 2): log(x) is undefined there
    assert math.isnan(r["values"][-1]) and len(r["points"]) == 2


def test_flow_blowing_up_in_finite_time_is_diverged():
    blowup = Compiled(Problem.of(Game("t", "quartic", MINIMIZE, -X**4 / 4 + Y**2)))
    r = run("flow", blowup, (1.0, 0.0), lr=0.1, steps=100)  # dx/dt = x^3 explodes at t = 1/2
    assert r["status"] == DIVERGED
    assert len(r["points"]) <= 6


@pytest.mark.parametrize("name", list(METHODS))
@pytest.mark.parametrize("loss", list(CATALOG))
def test_every_method_reports_consistent_arrays(name, loss):
    compiled = Compiled(Problem.of(CATALOG[loss]))
    thresholds = Thresholds(0.01, 10)
    r = run(name, compiled, (0.3, 0.4), lr=0.01, steps=50, thresholds=thresholds)
    n = len(r["points"])
    assert r["points"][0] == [0.3, 0.4]
    assert len(r["values"]) == len(r["magnitudes"]) == len(r["classes"]) == n
    assert (n == 51) == (r["status"] == MAX_STEPS)
    # magnitude at the start, from the SymPy field directly (an independent path)
    fx, fy = CATALOG[loss].players(CATALOG[loss].resolve())
    vx = float(sympy.diff(fx, X).subs({X: 0.3, Y: 0.4}))
    vy = float(sympy.diff(fy, Y).subs({X: 0.3, Y: 0.4}))
    assert r["magnitudes"][0] == pytest.approx(math.hypot(vx, vy), rel=1e-9)
    assert r["classes"] == [thresholds.classify(m) for m in r["magnitudes"]]


def test_two_time_scales_still_spiral_out_of_the_bilinear_game():
    # gd with y's rate r*lr is the linear map [[1, -lr], [r lr, 1]], determinant 1 + r lr^2 > 1.
    lr, r = 0.1, 4.0
    run_ = run("gd", XY, (1.0, 0.0), lr=lr, steps=100, options={"lr_ratio": r})
    step = np.array([[1, -lr], [r * lr, 1]])
    for k in (1, 10, 100):
        assert run_["points"][k] == pytest.approx(np.linalg.matrix_power(step, k) @ [1.0, 0.0], rel=1e-10)
    assert radius(run_["points"][100]) > 2


def test_more_discriminator_steps_still_cycle_on_the_bilinear_game():
    # v_y = -x does not depend on y, so k steps of y add k lr x' at once: the map
    # [[1, -lr], [k lr, 1 - k lr^2]] has determinant 1: an orbit, never convergence.
    lr, k = 0.1, 5
    run_ = run("alternating", XY, (1.0, 0.0), lr=lr, steps=2000, options={"y_steps": k})
    step = np.array([[1, -lr], [k * lr, 1 - k * lr * lr]])
    assert np.linalg.det(step) == pytest.approx(1.0)
    for n in (1, 7, 2000):
        assert run_["points"][n] == pytest.approx(np.linalg.matrix_power(step, n) @ [1.0, 0.0], rel=1e-8, abs=1e-10)
    radii = [radius(p) for p in run_["points"]]
    assert run_["status"] == MAX_STEPS and max(radii) < 3 and min(radii) > 0.2


def test_consensus_optimization_damps_the_bilinear_rotation():
    # v = A p with A = [[0, 1], [-1, 0]] and J^T v = A^T A p = p, so a step is ((1 - lr g) I - lr A) p:
    # |eigenvalue|^2 = (1 - lr g)^2 + lr^2 < 1, where plain gd's is 1 + lr^2.
    lr, gamma = 0.1, 0.5
    run_ = run("consensus", XY, (1.0, 0.0), lr=lr, steps=600, options={"consensus": gamma})  # 0.955^k < 1e-8 by k = 402
    step = (1 - lr * gamma) * np.eye(2) - lr * np.array([[0.0, 1.0], [-1.0, 0.0]])
    for k in (1, 10, 100):
        assert run_["points"][k] == pytest.approx(np.linalg.matrix_power(step, k) @ [1.0, 0.0], rel=1e-9, abs=1e-12)
    assert run_["status"] == CONVERGED


def test_consensus_step_on_the_dirac_gan_matches_sympy():
    game = CATALOG["dirac-gan"]
    values = game.resolve({"gamma": 0.0})
    fx, fy = game.players(values)
    v = sympy.Matrix([sympy.diff(fx, X), sympy.diff(fy, Y)])
    jac = v.jacobian([X, Y])
    at = {X: 0.7, Y: -0.4}
    g = np.array(v.subs(at).evalf(), dtype=float).ravel()
    j = np.array(jac.subs(at).evalf(), dtype=float)
    expected = np.array([0.7, -0.4]) - 0.1 * (g + 2.0 * j.T @ g)
    compiled = Compiled(Problem.of(game, {"gamma": 0.0}))
    run_ = run("consensus", compiled, (0.7, -0.4), lr=0.1, steps=1, options={"consensus": 2.0})
    assert run_["points"][1] == pytest.approx(expected, rel=1e-12)


def test_a_count_option_must_be_a_whole_number():
    with pytest.raises(ValueError, match="whole number"):
        run("alternating", XY, (1.0, 0.0), options={"y_steps": 1.5})
    with pytest.raises(ValueError, match="lr_ratio"):
        run("gd", XY, (1.0, 0.0), options={"lr_ratio": 0})


def test_method_options_are_declared_and_checked():
    r = run("momentum", TOY, (0.5, -0.3), steps=2, options={"beta": 0.0})
    assert r["points"][2] == pytest.approx(run("gd", TOY, (0.5, -0.3), steps=2)["points"][2])
    with pytest.raises(ValueError, match="no option 'gamma'"):
        run("momentum", TOY, (0.5, -0.3), options={"gamma": 1})
    with pytest.raises(ValueError, match="beta"):
        run("momentum", TOY, (0.5, -0.3), options={"beta": 2})


def test_a_saturated_generator_stalls_where_the_non_saturating_one_moves_on():
    # k = 12 at (2.5, 2.5): D = sigmoid(12 (1 - sqrt(13.5))) ~ 1e-14, so log(1 - D) is flat to 1e-13 there,
    # although the only stationary point is the origin: stalled, not converged.
    start = (2.5, 2.5)
    saturating = Compiled(Problem.of(CATALOG["gan-saturating"], {"k": 12.0}))
    stuck = run("gd", saturating, start, lr=0.1, steps=100)
    assert stuck["status"] == STALLED and stuck["points"] == [list(start)]
    assert stuck["magnitudes"][0] < 1e-8
    moving = run("gd", Compiled(Problem.of(CATALOG["gan-nonsaturating"], {"k": 12.0})), start, lr=0.1, steps=100)
    assert moving["status"] != STALLED and len(moving["points"]) > 1
    assert radius(moving["points"][-1]) < radius(start) - 1  # it heads for the data at the origin


def test_convergence_does_not_depend_on_the_gradient_scale():
    # at scale 0.001 |v| < 1e-8 holds 1000x farther from the minimum, and it is still the minimum's basin
    tiny = Compiled(Problem.of(CATALOG["toy-discriminator"], scale=0.001))
    r = run("gd", tiny, (0.5, -0.3), lr=10.0, steps=10_000)
    assert r["status"] == CONVERGED
    assert math.dist(r["points"][-1], P_STAR) < 1e-4


def test_the_flow_keeps_every_sample_before_it_hits_a_wall():
    # log(x): dx/dt = -1/x, so x(t) = sqrt(x0^2 - 2t) reaches 0 at t = 0.125 from x0 = 0.5, with |v| -> inf
    wall = Compiled(Problem.of(custom_game("log(x)")))
    r = run("flow", wall, (0.5, -0.3), lr=0.05, steps=100)
    assert r["status"] == DIVERGED
    assert len(r["points"]) == 3  # t = 0, 0.05, 0.1: the samples before the wall at 0.125, not one more
    for k, (x, y) in enumerate(r["points"]):
        assert x == pytest.approx(math.sqrt(0.25 - 2 * 0.05 * k), rel=1e-7) and y == -0.3


def test_a_flow_stuck_at_a_kink_stops_at_the_budget_with_what_it_had():
    # abs(x) abs(y) for x > 0 > y: dx/dt = -|y| = y, dy/dt = |x| = x, so (x, y) = (0.5 cosh t - 0.3 sinh t,
    # -0.3 cosh t + 0.5 sinh t) until y = 0 at tanh t = 0.6 (t = 0.69); there the flow chatters across the kink
    kink = Compiled(Problem.of(custom_game("abs(x)*abs(y)")))
    start = time.perf_counter()
    r = trajectory(METHODS["flow"], kink, (0.5, -0.3), 0.1, 2000, budget_s=0.5)
    assert time.perf_counter() - start < 1.0
    assert r["status"] == TIME_LIMIT
    assert len(r["points"]) >= 7  # every sample before the kink, t = 0 .. 0.6
    for k in range(7):
        t = 0.1 * k
        assert r["points"][k] == pytest.approx([0.5 * math.cosh(t) - 0.3 * math.sinh(t),
                                                -0.3 * math.cosh(t) + 0.5 * math.sinh(t)], abs=1e-7)


# -- a game's bounds: a projection after every discrete step ----------------------------------------

BOXED = Game("boxed", "boxed", GAME, X * Y + X**2 / 10, bounds=((sympy.Integer(-1), None), (-sympy.Symbol("c", real=True),
             sympy.Symbol("c", real=True))), params=(Param("c", 0.5, 0.1, 2.0),))


@pytest.mark.parametrize("name", [m for m in METHODS if METHODS[m].step is not None])
def test_every_discrete_method_projects_after_every_step(name):
    r = run(name, Compiled(Problem.of(BOXED, {"c": 0.4})), (0.9, 0.3), lr=0.3, steps=200)
    assert r["bounds"] == [[-1.0, math.inf], [-0.4, 0.4]] and r["projected"] is True
    assert all(x >= -1.0 and abs(y) <= 0.4 for x, y in r["points"])
    assert any(abs(y) == 0.4 for _, y in r["points"])  # the bound was met, and held


def test_gd_with_bounds_is_gd_then_the_clip():
    c = Compiled(Problem.of(BOXED, {"c": 0.4}))
    r = run("gd", c, (0.9, 0.3), lr=0.3, steps=30)
    p = np.array([0.9, 0.3])
    for k in range(1, 31):
        v = np.array([p[1] + p[0] / 5, -p[0]])  # v = (y + x/5, -x) by hand
        p = p - 0.3 * v
        p = np.array([max(p[0], -1.0), min(max(p[1], -0.4), 0.4)])
        assert r["points"][k] == pytest.approx(p, abs=1e-12)


def test_the_flow_says_it_ignores_the_bounds_and_unbounded_games_say_nothing():
    r = run("flow", Compiled(Problem.of(BOXED)), (0.9, 0.3), lr=0.1, steps=50)
    assert r["projected"] is False and max(abs(y) for _, y in r["points"]) > 0.5
    assert "bounds" not in run("gd", TOY, (0.5, -0.3), steps=2)
