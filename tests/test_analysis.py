"""Stationary points against closed forms worked by hand, and every catalog point against SymPy's own field.

The expected points and eigenvalues below are solved on paper (linear systems, 2x2 characteristic
polynomials), never read off the code; the catalog check evaluates v = (d f_x/dx, d f_y/dy) with
``subs``, a path that shares nothing with the compiled functions the search uses.
"""

import math
import time

import pytest
import sympy

from gradient_flow.losses.analysis import NUMERIC, SYMBOLIC, TYPES, stationary_points
from gradient_flow.losses.catalog import CATALOG
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.game import GAME, MINIMIZE, Game, Kind, X, Y


def analyse(game, overrides=None, scale=1.0, view=None):
    # A generous budget: these tests check answers, which must not depend on how loaded the machine is
    # (a search typically takes 0.01-0.5 s). The budget itself is tested at the end.
    return stationary_points(Compiled(Problem.of(game, overrides, scale)), view, budget_s=10.0)


def custom(expr, kind=MINIMIZE, view=((-2.0, 2.0), (-2.0, 2.0))):
    return Game("test", "test", kind, expr, view=view)


def eigen_2x2(a, b, c, d):
    """Roots of lambda^2 - (a + d) lambda + (ad - bc), the characteristic polynomial of [[a, b], [c, d]]."""
    tr, det = a + d, a * d - b * c
    disc = complex(tr * tr - 4 * det) ** 0.5
    return sorted([(tr - disc) / 2, (tr + disc) / 2], key=lambda z: (z.real, z.imag))


def assert_eigenvalues(point, expected, abs_tol=1e-9):
    got = sorted(point.eigenvalues, key=lambda z: (z.real, z.imag))
    assert len(got) == len(expected)
    for g, e in zip(got, sorted(expected, key=lambda z: (z.real, z.imag))):
        assert abs(g - e) <= abs_tol * max(1.0, abs(e)), (got, expected)


def only(points):
    assert len(points) == 1, [p.to_json() for p in points]
    return points[0]


# -- the catalog, by hand ------------------------------------------------------------------------
def test_toy_discriminator_minimum():
    # v = (2(x - 1) + 0.5y, 2(y + 0.5) + 0.5x) = 0  <=>  2x + 0.5y = 2, 0.5x + 2y = -1  =>  (1.2, -0.8)
    p = only(analyse(CATALOG["toy-discriminator"]))
    assert p.point == pytest.approx((1.2, -0.8), abs=1e-12)
    assert p.type == "minimum" and p.method == SYMBOLIC
    assert_eigenvalues(p, [1.5, 2.5])  # Hessian [[2, 0.5], [0.5, 2]]: 2 -+ 0.5


def test_toy_discriminator_strong_coupling_is_a_saddle():
    # c = 3: 2x + 3y = 2, 3x + 2y = -1  =>  y = 8/5, x = -7/5
    p = only(analyse(CATALOG["toy-discriminator"], {"c": 3.0}, view=((-3.0, 3.0), (-3.0, 3.0))))
    assert p.point == pytest.approx((-1.4, 1.6), abs=1e-12)
    assert p.type == "saddle"
    assert_eigenvalues(p, [-1.0, 5.0])  # Hessian [[2, 3], [3, 2]]: 2 -+ 3


def test_bilinear_game_is_rotational():
    p = only(analyse(CATALOG["bilinear-game"]))  # v = (y, -x), J = [[0, 1], [-1, 0]]
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-12)
    assert p.type == "rotational"
    assert_eigenvalues(p, [-1j, 1j])


def test_saddle():
    p = only(analyse(CATALOG["saddle"]))
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-12)
    assert p.type == "saddle"
    assert_eigenvalues(p, [-2.0, 2.0])


def test_rosenbrock_minimum():
    # At (a, a^2) = (1, 1): L_xx = 2 - 4b(y - x^2) + 8bx^2 = 802, L_xy = -4bx = -400, L_yy = 2b = 200.
    p = only(analyse(CATALOG["rosenbrock"]))
    assert p.point == pytest.approx((1.0, 1.0), abs=1e-12)
    assert p.type == "minimum"
    assert_eigenvalues(p, eigen_2x2(802, -400, -400, 200))


@pytest.mark.parametrize("gamma, expected_type", [(0.0, "rotational"), (0.5, "attracting"), (1.0, "attracting")])
def test_dirac_gan(gamma, expected_type):
    # v = (y s(-xy), -x s(-xy) + gamma y) vanishes only at (0, 0) (s > 0 forces y = 0, then x = 0);
    # there J = [[0, 1/2], [-1/2, gamma]], whose eigenvalues solve lambda^2 - gamma lambda + 1/4 = 0.
    p = only(analyse(CATALOG["dirac-gan"], {"gamma": gamma}))
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-12)
    assert p.type == expected_type
    assert_eigenvalues(p, eigen_2x2(0, 0.5, -0.5, gamma), abs_tol=1e-6)  # gamma = 1 is a double root


@pytest.mark.parametrize("loss", ["gan-saturating", "gan-nonsaturating"])
def test_generator_losses_have_one_minimum_at_the_data(loss):
    # grad L is a positive multiple of grad sqrt(1 + r^2) = (x, y)/sqrt(1 + r^2): zero only at the origin,
    # where the Hessian is k sigma(0) I = 3 I. The flat saturated plateau must not count as stationary.
    p = only(analyse(CATALOG[loss], view=((-6.0, 6.0), (-6.0, 6.0))))
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-9)
    assert p.type == "minimum"
    assert_eigenvalues(p, [3.0, 3.0], abs_tol=1e-6)


def test_wgan_critic_minimum_and_no_point_at_the_cone_tip():
    # L = -2x + lam (r - 1)^2: minimum at (1 + 1/lam, 0) = (2, 0), Hessian diag(2 lam, 2 lam (r - 1)/r) = diag(2, 1).
    # At the origin v has a different limit along every direction: no stationary point there.
    p = only(analyse(CATALOG["wgan-critic"]))
    assert p.point == pytest.approx((2.0, 0.0), abs=1e-9)
    assert p.type == "minimum"
    assert_eigenvalues(p, [1.0, 2.0], abs_tol=1e-8)


def test_wgan_critic_zoomed_in_on_the_cone_tip_has_no_point():
    # v = -2 e_x + 2 lam (r - 1) r_hat: zero needs r_hat = +-e_x; +e_x gives r = 1 + 1/lam, -e_x gives
    # r = 1 - 1/lam, which for lam = 1 is the origin, where r_hat has no value. Within [-1.5, 1.5]^2: none.
    assert analyse(CATALOG["wgan-critic"], view=((-1.0, 1.0), (-1.0, 1.0))) == []


def test_wgan_critic_strong_penalty_adds_a_saddle_behind_the_origin():
    # lam = 10: r = 1 - 1/10 on the negative x axis, (-0.9, 0). There d/dx v_x = 2 lam = 20 and
    # d/dy v_y = 2 lam (r - 1)/r = 20 * (-0.1)/0.9: a saddle. The minimum is at (1 + 1/10, 0).
    saddle, minimum = analyse(CATALOG["wgan-critic"], {"lam": 10.0})
    assert saddle.point == pytest.approx((-0.9, 0.0), abs=1e-9) and saddle.type == "saddle"
    assert_eigenvalues(saddle, [20 * -0.1 / 0.9, 20.0], abs_tol=1e-8)
    assert minimum.point == pytest.approx((1.1, 0.0), abs=1e-9) and minimum.type == "minimum"


def test_the_flat_tail_of_a_gaussian_is_no_point():
    # L = exp(-100 r^2): v = -200 (x, y) L vanishes only at 0 (Hessian -200 I), yet far out |v| ~ 1e-160.
    p = only(analyse(custom(sympy.exp(-100 * (X**2 + Y**2)))))
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-12) and p.type == "maximum"
    assert_eigenvalues(p, [-200.0, -200.0])


def test_deep_chain_weight_decay_makes_the_origin_a_minimum():
    # Near 0, L = 1 - 2x y^8 + decay (x^2 + y^2) + O(|p|^9): v(0) = 0 and the Hessian is 2 decay I.
    points = analyse(CATALOG["deep-chain"])
    (origin,) = [p for p in points if math.hypot(*p.point) < 1e-6]
    assert origin.type == "minimum"
    assert_eigenvalues(origin, [0.002, 0.002], abs_tol=1e-6)


# -- every catalog entry, checked through SymPy directly --------------------------------------------
@pytest.mark.parametrize("loss", list(CATALOG))
def test_every_catalog_point_is_stationary_by_subs(loss):
    game = CATALOG[loss]
    fx, fy = game.players(game.resolve())
    vx, vy = sympy.diff(fx, X), sympy.diff(fy, Y)
    (x0, x1), (y0, y1) = game.view
    wx, wy = (x1 - x0) / 4, (y1 - y0) / 4
    for p in analyse(game):
        x, y = p.point
        at = {X: sympy.Float(x, 30), Y: sympy.Float(y, 30)}
        assert math.hypot(float(vx.subs(at).evalf(30)), float(vy.subs(at).evalf(30))) < 1e-8, p
        assert x0 - wx <= x <= x1 + wx and y0 - wy <= y <= y1 + wy
        assert p.type in TYPES and all(math.isfinite(abs(z)) for z in p.eigenvalues)


# -- custom games: both paths, and the edges -------------------------------------------------------
def test_symbolic_path_finds_all_nine_points_of_a_bezout_nine_system():
    # v = (x^3 - x, y^3 - y): x, y in {-1, 0, 1}; Hessian diag(3x^2 - 1, 3y^2 - 1) is -1 at 0 and 2 at +-1.
    points = analyse(custom((X**4 - 2 * X**2 + Y**4 - 2 * Y**2) / 4))
    assert len(points) == 9 and {p.method for p in points} == {SYMBOLIC}
    for p in points:
        curvatures = sorted(3 * c * c - 1 for c in p.point)
        assert_eigenvalues(p, curvatures)
        expected = {(-1, -1): "maximum", (2, 2): "minimum"}.get(tuple(curvatures), "saddle")
        assert p.type == expected
    assert sorted(tuple(round(c) for c in p.point) for p in points) == [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)]


def test_cubic_minimum_and_saddle():
    # L = x^3 - 3x + y^2: v = (3x^2 - 3, 2y) -> (+-1, 0); Hessian diag(6x, 2).
    left, right = analyse(custom(X**3 - 3 * X + Y**2))
    assert left.point == pytest.approx((-1.0, 0.0)) and left.type == "saddle"
    assert right.point == pytest.approx((1.0, 0.0)) and right.type == "minimum"
    assert_eigenvalues(left, [-6.0, 2.0])
    assert_eigenvalues(right, [2.0, 6.0])


def test_numeric_path_sin_cos():
    # L = sin x + cos y: v = (cos x, -sin y) -> x = pi/2 + k pi, y = m pi; Hessian diag(-sin x, -cos y).
    # The view widened by 50% is [-3.75, 3.75] x [-3, 6]: x in {-pi/2, pi/2}, y in {0, pi}.
    view = ((-2.5, 2.5), (-1.5, 4.5))
    points = analyse(custom(sympy.sin(X) + sympy.cos(Y)), view=view)
    assert {p.method for p in points} == {NUMERIC}
    expected = {}
    for x in (-math.pi / 2, math.pi / 2):
        for y in (0.0, math.pi):
            curvatures = (-math.sin(x), -math.cos(y))
            kind = "minimum" if min(curvatures) > 0 else "maximum" if max(curvatures) < 0 else "saddle"
            expected[(x, y)] = (kind, sorted(curvatures))
    assert len(points) == len(expected) == 4
    for (x, y), (kind, curvatures) in expected.items():
        (p,) = [p for p in points if math.dist(p.point, (x, y)) < 1e-9]
        assert p.type == kind
        assert_eigenvalues(p, curvatures)


def test_numeric_path_game_sin_sin():
    # f = sin x sin y as a game: v = (cos x sin y, -sin x cos y). In [-3, 3]^2 it vanishes at (0, 0), where
    # J = [[0, 1], [-1, 0]], and at (+-pi/2, +-pi/2), where J = diag(-sin x sin y, sin x sin y): eigenvalues -1, 1.
    points = analyse(custom(sympy.sin(X) * sympy.sin(Y), kind=GAME))
    assert len(points) == 5 and {p.method for p in points} == {NUMERIC}
    for p in points:
        if math.hypot(*p.point) < 1e-9:
            assert p.type == "rotational"
            assert_eigenvalues(p, [-1j, 1j])
        else:
            assert [abs(c) for c in p.point] == pytest.approx([math.pi / 2] * 2, abs=1e-12)
            assert p.type == "repelling"
            assert_eigenvalues(p, [-1.0, 1.0])


def test_attracting_game_symbolic():
    # f = x^2 + xy - y^2: v = (2x + y, 2y - x), J = [[2, 1], [-1, 2]], eigenvalues 2 -+ i.
    p = only(analyse(custom(X**2 + X * Y - Y**2, kind=GAME)))
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-12) and p.type == "attracting"
    assert_eigenvalues(p, [2 - 1j, 2 + 1j])


@pytest.mark.parametrize("expr", [X**4 + Y**2, X**4 + sympy.cosh(Y)])  # symbolic, then numeric
def test_degenerate_minimum(expr):
    # v = (4x^3, ...) vanishes to third order in x: Hessian diag(0, 2) or diag(0, 1).
    p = only(analyse(custom(expr)))
    assert p.point == pytest.approx((0.0, 0.0), abs=1e-6)
    assert p.type == "degenerate"
    assert min(abs(z) for z in p.eigenvalues) < 1e-9


def test_a_line_of_stationary_points_is_one_mark_that_says_so():
    # L = x^2: v = (2x, 0) vanishes on the whole line x = 0; no isolated solutions, so numeric,
    # and one mark naming the curve rather than scattered points each claiming to be one.
    (mark,) = analyse(custom(X**2))
    assert abs(mark.point[0]) < 1e-12 and mark.type == "curve" and mark.label == "stationary curve"
    assert mark.method == NUMERIC


def test_three_parallel_lines_get_a_mark_each():
    # (x^2 - 1)^2: v = (4x(x^2 - 1), 0) vanishes on x = -1, 0 and 1
    marks = analyse(custom((X**2 - 1) ** 2))
    assert sorted(round(p.point[0], 9) for p in marks) == [-1.0, 0.0, 1.0]
    assert {p.type for p in marks} == {"curve"}


def test_a_circle_of_minima_is_marked_as_a_curve_and_its_centre_as_a_maximum():
    # (x^2 + y^2 - 1)^2: zero on the unit circle, a maximum (value 1) at the origin
    found = analyse(custom((X**2 + Y**2 - 1) ** 2))
    centre = [p for p in found if p.type != "curve"]
    assert [(p.type, p.point) for p in centre] == [("maximum", pytest.approx((0.0, 0.0), abs=1e-9))]
    marks = [p for p in found if p.type == "curve"]
    # one curve, one mark: the walk along the circle joins points no straight chord joins
    assert len(marks) == 1 and math.hypot(*marks[0].point) == pytest.approx(1.0)


def test_two_crossing_lines_of_zeros_are_two_marks_and_their_crossing_a_point():
    found = analyse(custom((X**2 - Y**2) ** 2))
    marks = [p for p in found if p.type == "curve"]
    assert len(marks) == 2 and {round(abs(p.point[0]) - abs(p.point[1]), 9) for p in marks} == {0.0}
    assert sorted(p.point[0] * p.point[1] > 0 for p in marks) == [False, True]  # one on each line


def test_an_isolated_degenerate_point_is_not_a_curve():
    for expr in (X**4 + Y**2, X**3 + Y**2):  # zero only at the origin, with a zero eigenvalue
        (p,) = analyse(custom(expr))
        assert p.type == "degenerate" and p.point == pytest.approx((0.0, 0.0), abs=1e-6)


def test_no_stationary_point():
    assert analyse(custom(X + 2 * Y)) == []
    assert analyse(custom(sympy.exp(X) + Y)) == []


@pytest.mark.parametrize("scale", [1e-6, 1e6])
def test_gradient_scale_moves_no_point(scale):
    (p,) = analyse(CATALOG["toy-discriminator"], scale=scale)
    assert p.point == pytest.approx((1.2, -0.8), abs=1e-9) and p.type == "minimum"
    assert_eigenvalues(p, [1.5 * scale, 2.5 * scale])
    (q,) = [q for q in analyse(custom(sympy.sin(X) + sympy.cos(Y)), scale=scale, view=((-2.5, 2.5), (-1.5, 4.5)))
            if math.dist(q.point, (-math.pi / 2, math.pi)) < 1e-9]
    assert q.type == "minimum"


def test_an_unknown_kind_gets_the_dynamics_rule():
    other = Kind("other", "", ((0, 1), (0, 1)), ("L",), "point")
    p = only(analyse(custom(X**2 + Y**2, kind=other)))
    assert p.type == "attracting"


# -- the budget ----------------------------------------------------------------------------------
HOPELESS = [
    sympy.sin(X * Y) + sympy.exp(X / 3) * sympy.cos(Y) + X**7 * Y**5 / 100 + sympy.log(1 + X**2 + Y**4),
    X**6 * Y**5 - X**5 + Y**7 - 3 * X * Y + X**2,  # polynomial, but Bezout 11 * 10 is beyond the symbolic gate
]


@pytest.mark.parametrize("expr", HOPELESS)
def test_hopeless_systems_return_within_the_budget(expr):
    compiled = Compiled(Problem.of(custom(expr)))
    compiled.grad(0.1, 0.2), compiled.jacobian_at(0.1, 0.2)  # compile first: lambdify is not the search
    start = time.monotonic()
    points = stationary_points(compiled, budget_s=1.0)
    assert time.monotonic() - start < 3.0
    assert all(p.method == NUMERIC for p in points)
    for p in points:  # whatever the search found in its budget is really stationary
        assert max(map(abs, compiled.grad(*p.point))) < 1e-6, p
    start = time.monotonic()
    assert isinstance(stationary_points(compiled, budget_s=0.05), list)
    assert time.monotonic() - start < 0.5


def test_to_json_and_types():
    (p,) = analyse(CATALOG["bilinear-game"])
    body = p.to_json()
    assert body["point"] == pytest.approx([0.0, 0.0], abs=1e-12)
    assert body["type"] == "rotational" and body["method"] == SYMBOLIC
    assert body["meaning"] == TYPES["rotational"]
    assert body["label"] == "rotational equilibrium"
    assert sorted(body["eigenvalues"], key=lambda z: z[1]) == [[0.0, -1.0], [0.0, 1.0]]


# -- a complete list is complete; a numeric one says where it looked -------------------------------

@pytest.mark.parametrize("expr, c, want", [
    ("(x^2 - 16)^2 + y^2", None, [(-4.0, 0.0), (0.0, 0.0), (4.0, 0.0)]),
])
def test_a_symbolic_list_holds_every_solution_however_far_from_the_view(expr, c, want):
    from gradient_flow.losses.analysis import search
    from gradient_flow.losses.catalog import custom_game
    found = search(Compiled(Problem.of(custom_game(expr))), ((-2.0, 2.0), (-2.0, 2.0)))
    assert found.complete
    got = sorted(p.point for p in found.points)
    assert len(got) == len(want) and all(g == pytest.approx(w, abs=1e-9) for g, w in zip(got, want))


@pytest.mark.parametrize("c", [2.5, 1.9, -3.5, 0.5])
def test_the_toy_loss_stationary_point_is_found_wherever_the_coupling_puts_it(c):
    from gradient_flow.losses.analysis import search
    # 2(x - 1) + c y = 0 and 2(y + 0.5) + c x = 0, solved by hand: x = (4 + c) / (4 - c^2),
    # y = -(2 + 2c) / (4 - c^2): (-26/9, 28/9) at c = 2.5, (15.13, -14.87) at c = 1.9, (1.2, -0.8) at c = 0.5
    want = ((4 + c) / (4 - c * c), -(2 + 2 * c) / (4 - c * c))
    found = search(Compiled(Problem.of(CATALOG["toy-discriminator"], {"c": c})))
    assert found.complete
    (p,) = found.points
    assert p.point == pytest.approx(want, abs=1e-9)
    assert p.type == ("saddle" if abs(c) > 2 else "minimum")


def test_a_numeric_search_says_which_region_it_searched():
    from gradient_flow.losses.analysis import search
    found = search(Compiled(Problem.of(custom(sympy.sin(X) * sympy.cos(Y) + X**2 / 50))), ((-1.0, 1.0), (-1.0, 1.0)))
    assert found.method == "numeric" and not found.complete
    assert found.to_json()["region"] == [[-1.5, 1.5], [-1.5, 1.5]]
