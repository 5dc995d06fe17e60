"""The worked derivation, checked against numbers worked by hand, SymPy's own diff and finite differences."""

import math
import re
import xml.dom.minidom

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import formulas
import shown_math
from gradient_flow.losses.arithmetic import Num, diff, evaluate, from_sympy, to_sympy, work
from gradient_flow.losses.catalog import CATALOG, custom_game
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.derivation import partials, worked_derivation
from gradient_flow.losses.functions import MATH_NAMESPACE, sigmoid, softplus
from gradient_flow.losses.game import GAME, MINIMIZE, Game, X, Y
from gradient_flow.losses.magnitude import Thresholds
from gradient_flow.losses.notation import layout, latex, plain

TOY = CATALOG["toy-discriminator"]
BILINEAR = CATALOG["bilinear-game"]
POINTS = [(0.5, -0.3), (-1.2, 0.7)]


def derive(game, point, lr=0.1, scale=1.0, **kw):
    return worked_derivation(Compiled(Problem.of(game, scale=scale)), point, lr, **kw)


def everything(steps):
    return " ".join(s["text"] + " " + s["latex"] for s in steps)


def shown_results(step):
    """The two numbers step 3's sentence gives, as floats (NaN for "undefined")."""
    found = re.findall(r"(?:/d[xy]|v_[xy]) = (undefined|-?[0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?)", step["text"])
    assert len(found) == 2, step["text"]
    return [math.nan if s == "undefined" else float(s) for s in found]


def custom(expr, kind=MINIMIZE):
    return Game(id="custom", title="custom", kind=kind, expr=expr)


# -- numbers worked by hand ----------------------------------------------------------------
def test_toy_loss_worked_by_hand():
    steps = derive(TOY, (0.5, -0.3), target=(1.2, -0.8), target_name="minimum")
    assert [len(s) for s in steps] == [4] * 6 and len(steps) == 6
    text = everything(steps)
    for expected in ("-1.15", "0.65", "1.321", "1.745", "0.615", "-0.365"):
        assert expected in text, expected
    # Step 2 keeps the written structure: 2(x - 1) + 0.5y, not 2x + 0.5y - 2.
    assert r"2 \left(x - 1\right) + 0.5 y" in steps[1]["latex"]
    assert r"2 \left(y + 0.5\right) + 0.5 x" in steps[1]["latex"]
    # Step 3: substitute, then inner brackets, then products, then the sum.
    ev = steps[2]["latex"]
    assert r"2 \left(0.5 - 1\right) + 0.5 \left(-0.3\right)" in ev
    assert r"2 \left(-0.5\right)" in ev
    assert "-1 - 0.15 = -1.15" in ev
    assert "0.4 + 0.25 = 0.65" in ev
    assert shown_results(steps[2]) == [-1.15, 0.65]
    # Step 4: |grad| = sqrt(1.15^2 + 0.65^2) = sqrt(1.745) = 1.3210 by hand; normal.
    assert r"\sqrt{1.745} \approx 1.321" in steps[3]["latex"]  # 1.32098...: rounded, so not "="
    assert "normal" in steps[3]["text"]
    # Step 5: (0.5, -0.3) - 0.1 (-1.15, 0.65) = (0.615, -0.365).
    assert r"\left(0.615, -0.365\right)" in steps[4]["latex"]
    # Step 6: |(0.5,-0.3)-(1.2,-0.8)| = sqrt(0.74) = 0.8602; |(0.615,-0.365)-(1.2,-0.8)| = sqrt(0.53145) = 0.7290.
    last = steps[5]
    assert "closer" in last["text"] and "minimum at (1.2, -0.8)" in last["text"]
    for expected in ("0.8602", "0.729", "0.1312"):
        assert expected in last["text"], expected
    assert r"\sqrt{0.74} \approx 0.8602" in last["latex"]


def test_bilinear_game_moves_away_from_its_equilibrium():
    steps = derive(BILINEAR, (1.0, 0.0), target=(0.0, 0.0), target_name="equilibrium")
    assert "maximizes" in steps[0]["text"]
    assert "minus sign" in steps[1]["text"]
    assert r"-\frac{\partial f}{\partial y} = -x" in steps[1]["latex"]
    assert shown_results(steps[2]) == [0.0, -1.0]
    assert r"v &= \left(0, -1\right)" in steps[3]["latex"]
    assert r"\left(1, 0.1\right)" in steps[4]["latex"] and "(1, 0.1)" in steps[4]["text"]
    # Distance 1 -> sqrt(1.01) = 1.00499 by hand.
    assert "away" in steps[5]["text"] and "1.005" in steps[5]["text"]
    assert r"\sqrt{1.01} \approx 1.005" in steps[5]["latex"]


def test_scaled_loss_shows_the_scale_and_multiplies_the_gradient():
    steps = derive(TOY, (0.5, -0.3), scale=100.0)
    assert r"100 \left(\left(x - 1\right)^{2}" in steps[0]["latex"]
    assert shown_results(steps[2]) == [-115.0, 65.0]
    assert "exploding" in steps[3]["text"]
    assert "vanishing" in derive(TOY, (0.5, -0.3), scale=0.001)[3]["text"]
    # A game whose loss is led by a minus sign still names its scale, not the product's coefficient.
    dirac = derive(CATALOG["dirac-gan"], (0.5, -0.3), scale=100.0)
    assert "by 100;" in dirac[0]["text"] and r"-100 \operatorname{softplus}" in dirac[0]["latex"]


def test_thresholds_are_the_callers():
    steps = worked_derivation(Compiled(Problem.of(TOY)), (0.5, -0.3), 0.1, Thresholds(vanish=2.0, explode=5.0))
    assert "vanishing" in steps[3]["text"] and "below 2" in steps[3]["text"]


def test_without_a_target_the_last_step_says_none_is_known():
    steps = derive(TOY, (0.5, -0.3))
    assert "no minimum or equilibrium is known" in steps[5]["text"].lower()
    assert "0.1321" in steps[5]["text"]  # the step's length: 0.1 * 1.321


# -- the structural derivative is SymPy's ----------------------------------------------------
def same(a, b) -> bool:
    return sympy.simplify(sympy.nsimplify(a - b, rational=True)) == 0


@pytest.mark.parametrize("game", CATALOG.values(), ids=lambda g: g.id)
def test_structural_partials_equal_sympy_diff(game):
    compiled = Compiled(Problem.of(game))
    _, _, field = partials(compiled)
    for mine, theirs in zip(field, compiled.v):
        assert same(to_sympy(mine), theirs), (to_sympy(mine), theirs)


CUSTOM = [
    sympy.log(1 + X**2) * sigmoid(X * Y),
    sympy.sqrt(X**2 + Y**2 + 1) * sympy.tanh(Y - 2 * X),
    sympy.Abs(X - Y) + sympy.tan(X) * sympy.cos(Y),
    X**X + sympy.exp(-X * Y) + sympy.pi * X,  # x^x: the sympy.diff fallback
    sympy.sin(X) / (1 + Y**2) - X / 2 + 2**X,
    softplus(X - Y) ** 3 / (X**2 + 1),
    sympy.erf(X * Y) + Y,  # a function the tree does not model
]


@pytest.mark.parametrize("expr", CUSTOM, ids=str)
def test_structural_diff_of_custom_expressions_equals_sympy_diff(expr):
    tree = from_sympy(expr)
    for var, symbol in (("x", X), ("y", Y)):
        assert same(to_sympy(diff(tree, var)), sympy.diff(expr, symbol))


def test_structure_is_kept_where_sympy_would_distribute():
    tree = from_sympy((X - 1) ** 2 + (Y + sympy.Float(0.5)) ** 2 + sympy.Float(0.5) * X * Y)
    assert latex(layout(diff(tree, "x"))) == r"2 \left(x - 1\right) + 0.5 y"
    assert str(sympy.diff(to_sympy(tree), X)) != "2*(x - 1) + 0.5*y"  # what SymPy does instead


@pytest.fixture(scope="module")
def catalog_partials():
    """Each catalog loss compiled once, with its worked partials: hypothesis calls the test many times."""
    out = {}
    for game in CATALOG.values():
        compiled = Compiled(Problem.of(game))
        out[game.id] = compiled, partials(compiled)[2]
    return out


@settings(max_examples=25, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("game", CATALOG.values(), ids=lambda g: g.id)
def test_worked_partials_agree_with_the_compiled_gradient_anywhere_in_view(game, data, catalog_partials):
    (x0, x1), (y0, y1) = game.view
    x = data.draw(st.floats(x0, x1))
    y = data.draw(st.floats(y0, y1))
    compiled, field = catalog_partials[game.id]
    for mine, theirs in zip(field, compiled.grad(x, y)):
        assert evaluate(mine, {"x": x, "y": y}) == pytest.approx(theirs, rel=1e-9, abs=1e-12, nan_ok=True)


# -- step 3 against finite differences -----------------------------------------------------------
def central(f, x, y, h=1e-6):
    return ((f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h))


@pytest.mark.parametrize("point", POINTS, ids=str)
@pytest.mark.parametrize("game", CATALOG.values(), ids=lambda g: g.id)
def test_step_three_matches_finite_differences(game, point):
    compiled = Compiled(Problem.of(game))
    fx = sympy.lambdify((X, Y), compiled.fx, modules=[MATH_NAMESPACE, "math"])
    fy = sympy.lambdify((X, Y), compiled.fy, modules=[MATH_NAMESPACE, "math"])
    expected = (central(fx, *point)[0], central(fy, *point)[1])
    shown = shown_results(worked_derivation(compiled, point, 0.1)[2])
    _, _, field = partials(compiled)
    env = {"x": point[0], "y": point[1]}
    for component, number, fd in zip(field, shown, expected):
        # Shown to four significant digits; unrounded, the worked value agrees to 1e-5.
        assert abs(number - fd) <= 6e-4 * abs(fd) + 1e-9, (number, fd)
        assert abs(evaluate(component, env) - fd) <= 1e-5 * max(abs(fd), 1e-3), fd


# -- well-formed output, and never a crash ---------------------------------------------------------
CASES = [(g, p) for g in CATALOG.values() for p in POINTS] + [
    (custom(e), (0.7, 0.2)) for e in CUSTOM] + [
    (custom(sympy.log(X) + Y, GAME), (-1.0, 0.0)),
    (custom(sympy.sqrt(X) + Y**2), (-1.0, 0.5)),
    (custom(1 / X + Y), (0.0, 0.5)),
    (custom(sympy.exp(1000 * X) + Y), (0.9, 0.0)),
    (TOY, (math.nan, 0.5)),
    (TOY, (math.inf, 0.5)),
]


@pytest.mark.parametrize("game,point", CASES, ids=lambda c: getattr(c, "id", str(c)))
def test_every_step_is_well_formed(game, point):
    steps = derive(game, point, target=(0.0, 0.0), target_name="minimum")
    assert len(steps) == 6
    for step in steps:
        assert set(step) == {"title", "text", "mathml", "latex"}
        assert step["mathml"].startswith("<math")
        root = xml.dom.minidom.parseString(step["mathml"]).documentElement
        assert root.tagName == "math" and root.getAttribute("display") == "block"
        assert step["text"].endswith(".") and not re.search(r"\b(nan|inf)\b", step["text"])
        # Unevaluated numbers never print as "0.5 + -1" or "2 \cdot -0.5".
        assert not re.search(r"(\+|-|\\cdot) -", step["latex"]), step["latex"]


def test_an_undefined_loss_value_is_said_not_raised():
    steps = derive(custom(sympy.log(X) + Y, GAME), (-1.0, 0.0))
    assert "undefined" in steps[0]["text"] and r"\text{undefined}" in steps[0]["latex"]
    # 1/x is -1 at x = -1, but log(x) does not exist there, and so neither does its derivative
    assert all(math.isnan(v) for v in shown_results(steps[2]))
    assert "outside its domain" in steps[2]["text"] and "undefined" in steps[3]["text"]


def test_an_undefined_gradient_stops_the_later_steps():
    steps = derive(custom(sympy.sqrt(X) + Y**2), (-1.0, 0.5), target=(0.0, 0.0))
    assert math.isnan(shown_results(steps[2])[0])
    assert r"\frac{1}{2 \sqrt{x}} = \text{undefined}" in steps[2]["latex"]
    assert "undefined" in steps[3]["text"] and "undefined" in steps[4]["text"]
    assert "not known" in steps[5]["text"]


def test_a_big_expression_skips_stages_and_says_so():
    expr = sigmoid(sympy.tanh(sympy.sin(sympy.cos(sympy.exp(sympy.log(1 + X**2) * Y)))))
    steps = derive(custom(expr), (0.7, 0.2))
    assert r"\cdots" in steps[2]["latex"]
    assert steps[2]["latex"].split(r"\\")[0].count(" = ") <= 8


# -- the pieces ----------------------------------------------------------------------------------
@pytest.mark.parametrize("value,text", [
    (1.0000000001, "1"), (2.0, "2"), (-1.15, "-1.15"), (0.123456, "0.1235"), (1.3224999999999998, "1.3225"),
    (1e-7, "1e-7"), (-2.5e-5, "-2.5e-5"), (1234567.0, "1.235e6"), (54227.4, "54227"), (math.nan, "undefined"),
    (math.inf, "undefined"), (0.0, "0"), (-0.0, "0"),
])
def test_numbers_are_written_for_people(value, text):
    assert plain(value) == text


def test_substituted_negatives_get_parentheses_and_computed_ones_subtract():
    rows, value, gap = work(from_sympy(X * Y - 3 * Y), {"x": 2.0, "y": -0.5})
    assert [latex(layout(r)) for r in rows] == [r"2 \left(-0.5\right) - 3 \left(-0.5\right)", "-1 + 1.5"]
    assert value == 0.5 and gap is None
    rows, value, _ = work(from_sympy(X + Y), {"x": 1.0, "y": -0.5})
    assert [latex(layout(r)) for r in rows] == [r"1 + \left(-0.5\right)"] and value == 0.5


def test_a_denominator_is_kept_until_its_division():
    rows, value, _ = work(from_sympy(X / sympy.sqrt(Y)), {"x": 1.0, "y": 4.0})
    assert [latex(layout(r)) for r in rows] == [r"\frac{1}{\sqrt{4}}", r"\frac{1}{2}"]
    assert value == 0.5


def test_work_turns_numerical_failures_into_nan():
    assert math.isnan(work(from_sympy(sympy.log(X)), {"x": -1.0})[1])
    assert math.isnan(work(from_sympy(1 / X), {"x": 0.0})[1])
    assert math.isnan(work(from_sympy(sympy.exp(X) ** 2), {"x": 800.0})[1])  # overflow
    assert isinstance(from_sympy(sympy.zoo), Num) and math.isnan(from_sympy(sympy.zoo).value)


def test_what_the_tree_does_not_model_is_still_printed_and_evaluated():
    piecewise = from_sympy(sympy.Piecewise((X, X > 0), (Y, True)))
    assert evaluate(piecewise, {"x": 2.0, "y": 5.0}) == 2.0
    steps = derive(custom(sympy.Piecewise((X * Y, X > 0), (Y, True))), (1.0, 2.0))
    assert shown_results(steps[2]) == [2.0, 1.0]
    for step in steps:
        xml.dom.minidom.parseString(step["mathml"])


# -- what the board shows, read back as numbers -------------------------------------------------
def _close(a, b, rel, floor):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(np.all(np.abs(a - b) <= rel * np.abs(b) + floor))


def check_shown_rows(step, env, expected, floor):
    """Every readable cell of each row against that row's independent value, and "=" held exactly.

    A link "=" claims the two sides are the same number, so they must agree to rounding noise; "≈"
    allows the four-digit rounding of the numbers shown; the last cell is the result, to four digits."""
    rows = shown_math.read(step["mathml"], env)
    assert len(rows) == len(expected), step["latex"]
    for row, want in zip(rows, expected):
        cells = [(rel, v) for rel, v in row if v is not None]
        assert cells, step["latex"]
        for (_, a), (rel, b) in zip(cells, cells[1:]):
            if rel == "=":
                assert _close(b, a, 1e-9, 1e-12 * floor), (step["latex"], a, b)
        for _, v in cells:
            assert _close(v, want, 2e-2, floor), (step["latex"], v, want)
        assert _close(cells[-1][1], want, 6e-4, floor), (step["latex"], cells[-1][1], want)


SHOWN_POINTS = [(0.5, -0.3), (-1.2, 0.7), (0.8, -1.437), (1.031818, -1.138062), (1.19, -0.79)]


@pytest.mark.parametrize("scale", [1.0, 100.0, 0.001])
@pytest.mark.parametrize("point", SHOWN_POINTS, ids=str)
@pytest.mark.parametrize("loss", list(CATALOG))
def test_every_number_the_board_shows_is_right(loss, point, scale):
    """Read the MathML back as a student would and hold each row to hand-written formulas."""
    game = CATALOG[loss]
    lr, target = 0.1, (0.3, -0.2)
    steps = derive(game, point, lr=lr, scale=scale, target=target, target_name="minimum")
    _, g = formulas.field(loss, *point, scale=scale)
    env = {"x": point[0], "y": point[1]}
    floor = 1e-7 * scale
    new = (point[0] - lr * g[0], point[1] - lr * g[1])
    # each function the loss gives (L, f, or a pair's f_x and f_y): its value, scaled if the scale is not 1
    shown = [v for value in formulas.values(loss, *point, scale=scale)
             for v in [value / scale] + ([value] if scale != 1 else []) + [value]]
    check_shown_rows(steps[0], env, shown, floor)
    check_shown_rows(steps[1], env, list(g), floor)
    check_shown_rows(steps[2], env, list(g), floor)
    check_shown_rows(steps[3], env, [g, math.hypot(*g)], floor)
    check_shown_rows(steps[4], env, [new], lr * floor)
    before, after = math.dist(point, target), math.dist(new, target)
    check_shown_rows(steps[5], env, [before, after, after - before], lr * floor)


@pytest.mark.parametrize("text,kind,point", [
    ("x*y - y^2", "game", (0.5, 0.2)),
    ("x*y - 1.75y^2 + 0.3x", "game", (0.8, -1.4)),
    ("tanh(x - y) - sigmoid(x + y)", "minimize", (-0.87, 1.1006)),
    ("x - tan(x) + y^2", "minimize", (0.4, -0.9)),  # 1 - (1 + tan^2(x)): the subtracted sum keeps its brackets
    ("y*x - tan(x*y)", "game", (0.7, 0.3)),
    ("-(x + y)^2 + 3x", "minimize", (0.4, -0.9)),
    ("sin(x)cos(y) - (x - y)/(1 + x^2)", "game", (1.3, 0.6)),
])
def test_custom_boards_show_the_signs_they_compute(text, kind, point):
    """A negated sum keeps its brackets: -(x - 2y), never -x - 2y (which would be a different number)."""
    game = custom_game(text, kind)
    steps = derive(game, point)
    f = sympy.lambdify((X, Y), game.expr, modules=[MATH_NAMESPACE, "math"])
    dx, dy = central(f, *point)
    g = (dx, -dy if kind == "game" else dy)
    env = {"x": point[0], "y": point[1]}
    check_shown_rows(steps[1], env, list(g), 1e-7)
    check_shown_rows(steps[2], env, list(g), 1e-7)


@pytest.mark.parametrize("text, point", [("(x^2 + y^2 - 1)^2", (0.6, 0.8)), ("(x + y - 0.3)*exp(x)", (0.1, 0.2)),
                                         ("(x*y - 0.06)^2 + y", (0.2, 0.3))])
def test_an_exact_zero_is_worked_as_zero_not_as_float_noise(text, point):
    steps = derive(custom_game(text), point)
    shown = steps[2]["latex"]
    assert "10^{-1" not in shown and r"\times" not in shown, shown  # 0.1 + 0.2 - 0.3 is 0, not 5.6e-17
    assert " 0 " in shown or "= 0" in shown or r"\cdot 0" in shown
