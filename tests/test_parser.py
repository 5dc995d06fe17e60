"""The safe parser: accepted formulas against SymPy built by hand, refusals by message and time, random trees."""

import ast
import builtins
import math
import time
from typing import NamedTuple

import pytest
import sympy
import sympy.parsing.sympy_parser as sympy_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradient_flow.losses.functions import MATH_NAMESPACE, absval, sigmoid, softplus
from gradient_flow.losses.parser import ExpressionError, Limits, parse_expression, substitute

x, y, a, b, c, k = sympy.symbols("x y a b c k", real=True)
SYMBOLS = {"x": x, "y": y, "a": a, "b": b, "c": c, "k": k}


def parse(text, limits=Limits()):
    return parse_expression(text, SYMBOLS, limits)


# -- accepted: each compared with an expression built from SymPy operators ------------------------

@pytest.mark.parametrize("text, expected", [
    ("x", x),
    ("  x + y  ", x + y),
    ("2x", 2 * x),
    ("3(x+y)", 3 * (x + y)),
    ("x(y+1)", x * (y + 1)),
    ("(x+1)(y-1)", (x + 1) * (y - 1)),
    ("2sin(x)", 2 * sympy.sin(x)),
    ("sin (x)", sympy.sin(x)),
    ("2pi", 2 * sympy.pi),
    ("2e", 2 * sympy.E),
    ("e^x", sympy.exp(x)),
    ("-x^2", -(x**2)),
    ("(-x)^2", x**2),
    ("2^3^2", sympy.Integer(512)),
    ("x^2^3", x**8),
    ("x**2 + y^3", x**2 + y**3),
    ("2^-1", sympy.Rational(1, 2)),
    ("x^-2", 1 / x**2),
    ("x*-y", -x * y),
    ("--x", x),
    ("+x", x),
    ("1/2x", x / 2),  # Python's precedence: (1/2)*x
    ("2x^2", 2 * x**2),
    ("x^2 + 3y^2 + 2x*y", x**2 + 3 * y**2 + 2 * x * y),
    ("(x - a)^2 + b(y - c)^2 + k", (x - a) ** 2 + b * (y - c) ** 2 + k),
    ("(-2)^3", sympy.Integer(-8)),
    ("(1/3)^2", sympy.Rational(1, 9)),
    ("007", sympy.Integer(7)),
    ("x^0.5", x ** sympy.Float(0.5)),
    ("exp(x) + log(y) + sqrt(x) + abs(y)", sympy.exp(x) + sympy.log(y) + sympy.sqrt(x) + absval(y)),
    ("sin(x)cos(y)tan(x)tanh(y)", sympy.sin(x) * sympy.cos(y) * sympy.tan(x) * sympy.tanh(y)),
    ("sigmoid(x) - softplus(-y)", sigmoid(x) - softplus(-y)),
    ("(x^2 + y^2)^100", (x**2 + y**2) ** 100),
])
def test_accepted_formulas_match_sympy_built_by_hand(text, expected):
    got = parse(text)
    assert got == expected or sympy.simplify(got - expected) == 0


@pytest.mark.parametrize("text, value", [("1e-3", 0.001), (".5", 0.5), ("2.", 2.0), ("0.5", 0.5), ("1E2", 100.0)])
def test_decimals_are_floats_and_integers_stay_exact(text, value):
    got = parse(text)
    assert isinstance(got, sympy.Float) and float(got) == value
    assert isinstance(parse("12"), sympy.Integer) and parse("12") == 12
    assert sympy.latex(parse("0.5x")) == "0.5 x"


def test_errors_are_value_errors_for_the_catalog():
    assert issubclass(ExpressionError, ValueError)


def test_limits_are_declared_and_can_be_tightened():
    assert Limits() == Limits(max_chars=300, max_nodes=200, max_depth=30, max_exponent=100, max_number=1e15)
    with pytest.raises(ExpressionError, match="exponent"):
        parse("x^4", Limits(max_exponent=3))
    with pytest.raises(ExpressionError, match="too long"):
        parse("x + y + x", Limits(max_chars=5))
    with pytest.raises(ExpressionError, match="too big"):
        parse("x + y + x", Limits(max_nodes=4))
    with pytest.raises(ExpressionError, match="'1000'"):
        parse("1000x", Limits(max_number=999))
    with pytest.raises(ExpressionError, match="nested parentheses"):
        parse("(" * 500 + "x" + ")" * 500, Limits(max_chars=2000))
    with pytest.raises(AttributeError):
        Limits().max_chars = 10**6


def test_text_never_reaches_eval_exec_or_sympify(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("user text reached an evaluator")

    real_compile = builtins.compile

    def only_ast(source, filename, mode, flags=0, *args, **kwargs):
        assert flags & ast.PyCF_ONLY_AST, "compile was asked for code, not a tree"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "compile", only_ast)
    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)
    monkeypatch.setattr(sympy_parser, "eval_expr", forbidden)
    assert parse("3(x - 0.25)^2 + 7sin(y)/x") == 3 * (x - sympy.Float(0.25)) ** 2 + 7 * sympy.sin(y) / x


# -- refused: the message names the part, and refusing is fast -----------------------------------

HOSTILE = [
    ("__import__('os').system('id')", ["unexpected character", "position 11"]),
    ("x.__class__", ["'.'", "position 1"]),
    ("(lambda: 1)()", ["':'", "position 7"]),
    ("9**9**9**9", ["exponent", "'9**9**9'"]),
    ("x**(10**10)", ["exponent", "'x**(10**10)'"]),
    ("(10**100)**100**100", ["exponent", "100**100"]),
    ("2^2^2^2^2^2", ["exponent", "'2^2^2^2^2'"]),
    ("exp(", ["'('"]),
    ("x" * 10_000, ["too long", "10000 characters"]),
    ("(" * 500 + "x" + ")" * 500, ["too long"]),
    ("(" * 40 + "x" + ")" * 40, ["nested parentheses", "position 30"]),
    ("-" * 40 + "x", ["nested too deeply"]),
    ("x^" * 40 + "x", ["nested too deeply"]),
    ("1+" * 149 + "1", ["too big", "limit 200"]),
    ("x*", ["'*'"]),
    ("", ["empty"]),
    ("   ", ["empty"]),
    ("1,2", ["','", "position 1"]),
    ("sin((x, y))", ["','", "position 6"]),
    ("x=1", ["'='", "position 1"]),
    ("x if y else 1", ["'if'"]),
    ("[x]", ["'['", "position 0"]),
    ('"x"', ["'\"'", "position 0"]),
    ("sin(x, y)", ["'sin'", "exactly one argument"]),
    ("sin", ["'sin'", "sin(x)"]),
    ("foo(x)", ["'foo'"]),
    ("x.y", ["'.'", "position 1"]),
    ("x[0]", ["'['", "position 1"]),
    ("sqrt(-1)*x", ["'sqrt(-1)'", "not a real number"]),
    ("(-8)^(1/3)", ["'(-8)^(1/3)'", "not a real number"]),
    ("1/0", ["'1/0'", "infinite"]),
    ("x/(y-y)", ["'x/(y-y)'", "infinite"]),
    ("log(0)", ["'log(0)'", "infinite"]),
    ("tan(pi/2)", ["'tan(pi/2)'", "infinite"]),
    ("0/0", ["'0/0'", "undefined"]),
    ("1e400", ["'1e400'", "too large"]),
    ("exp(exp(exp(100)))", ["'exp(exp(100))'", "too large"]),
    ("exp(1000)", ["'exp(1000)'", "too large"]),
    ("(1+10^-100)^100", ["'(1+10^-100)^100'", "out of range"]),
    ("x*10^100*10^100*10^100*10^100", ["too big"]),
]

FOR_STUDENTS = [
    ("xy", ["unknown name 'xy'", "did you mean x*y?"]),
    ("0.5xy", ["unknown name 'xy'", "x*y"]),
    ("abc", ["'abc'", "a*b*c"]),
    ("sinx", ["'sinx'", "sin(x)"]),
    ("x2", ["'x2'", "x^2"]),
    ("xsin(y)", ["'xsin'", "x*sin(...)"]),
    ("x y", ["missing operator between 'x' and 'y'", "a space is not multiplication", "write x*y"]),
    ("2 x", ["'2' and 'x'", "write 2*x"]),
    ("x (y+1)", ["'x' and '(y+1)'", "write x*(y+1)"]),
    ("(x+1) (y-1)", ["write (x+1)*(y-1)"]),
    ("sin(x) y", ["write sin(x)*y"]),
    ("sin x", ["'sin'", "parentheses", "sin(x)"]),
    ("sin()", ["'sin'", "exactly one argument"]),
    ("()", ["empty parentheses", "position 0"]),
    ("x+*y", ["'*'", "position 2"]),
    ("x)", ["unmatched ')'", "position 1"]),
    ("(x", ["'('", "never closed"]),
    ("1.2.3", ["'1.2'", "'.3'"]),
    ("x × y", ["'×'", "position 2"]),
]


@pytest.mark.parametrize("text, words", HOSTILE + FOR_STUDENTS)
def test_refusals_name_the_offending_part_quickly(text, words):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        parse(text)
    elapsed = time.perf_counter() - start
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert len(message) < 300 and "Traceback" not in message
    assert elapsed < 1.0, f"refusing {text[:40]!r} took {elapsed:.2f} s"


# -- property: random trees, rendered as people type them, against SymPy built directly -----------

FUNCS = {  # name: SymPy builder, as the textbook writes them, independent of the parser's table
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "sin": sympy.sin, "cos": sympy.cos,
    "tan": sympy.tan, "tanh": sympy.tanh, "sigmoid": sigmoid, "softplus": softplus, "abs": sympy.Abs,
}
BAD = (sympy.zoo, sympy.oo, -sympy.oo, sympy.nan, sympy.I)
POINTS = ((0.7, -1.3), (1.9, 0.4), (-0.45, 2.2))


class Tree(NamedTuple):
    text: str
    expr: sympy.Expr
    atom: bool  # a leaf or a call: may sit next to anything without parentheses
    troubled: bool  # some part is infinite, complex or out of float range: the parser may refuse it


def _grow(expr, children):
    """Whether the parser may refuse this node, judged on the directly built expression."""
    if any(child.troubled for child in children) or expr.has(*BAD):
        return True
    if expr.free_symbols:
        return False
    value = expr.evalf(20)  # children are within range, so this is cheap
    return not (value.is_Number and (value.is_zero or 1e-300 < abs(value) < 1e300))


def wrap(tree):
    return tree.text if tree.atom else f"({tree.text})"


LEAVES = st.sampled_from([
    Tree(text, expr, True, False) for text, expr in [
        ("x", x), ("y", y), ("pi", sympy.pi), ("e", sympy.E), ("0", sympy.Integer(0)), ("1", sympy.Integer(1)),
        ("2", sympy.Integer(2)), ("3", sympy.Integer(3)), ("9", sympy.Integer(9)), ("0.5", sympy.Float(0.5)),
        ("2.5", sympy.Float(2.5)),
    ]
])


@st.composite
def binary(draw, sub):
    left, right, op = draw(sub), draw(sub), draw(st.sampled_from("+-*/"))
    expr = {"+": lambda p, q: p + q, "-": lambda p, q: p - q, "*": lambda p, q: p * q,
            "/": lambda p, q: p / q}[op](left.expr, right.expr)
    lt, rt = wrap(left), wrap(right)
    touching_names = lt[-1].isalnum() and not lt[-1].isdigit() and rt[0].isalnum()
    touching_numbers = lt[-1].isdigit() and (rt[0].isdigit() or rt[0] == ".")
    if op == "*" and not touching_names and not touching_numbers and draw(st.booleans()):
        text = lt + rt  # implicit multiplication: 2x, 2sin(x), (x+1)(y), x(y)
    else:
        text = lt + (f" {op} " if draw(st.booleans()) else op) + rt
    return Tree(text, expr, False, _grow(expr, (left, right)))


@st.composite
def power(draw, sub):
    base, n = draw(sub), draw(st.integers(0, 3))
    expr = base.expr ** n
    return Tree(f"{wrap(base)}{draw(st.sampled_from(['^', '**']))}{n}", expr, False, _grow(expr, (base,)))


@st.composite
def call(draw, sub):
    name, arg = draw(st.sampled_from(sorted(FUNCS))), draw(sub)
    expr = FUNCS[name](arg.expr)
    return Tree(f"{name}{draw(st.sampled_from(['', ' ']))}({arg.text})", expr, True, _grow(expr, (arg,)))


@st.composite
def negate(draw, sub):
    arg = draw(sub)
    return Tree(f"-{wrap(arg)}", -arg.expr, False, _grow(-arg.expr, (arg,)))


def trees(depth):
    if depth == 0:
        return LEAVES
    sub = trees(depth - 1)
    return st.one_of(LEAVES, binary(sub), power(sub), call(sub), negate(sub))


def at(expr, point):
    """expr at a point in floats, or None where it is not a finite real number there."""
    try:
        value = sympy.lambdify((x, y), expr, modules=[MATH_NAMESPACE, "math"])(*point)
    except (ArithmeticError, ValueError, TypeError):  # TypeError: math.sin of a complex power
        return None
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(4))
def test_random_formulas_parse_to_the_tree_they_were_rendered_from(tree):
    try:
        got = parse(tree.text)
    except ExpressionError as error:
        assert tree.troubled, f"{tree.text!r} refused: {error}"
        assert any(word in str(error) for word in ("infinite", "undefined", "not a real", "too large",
                                                   "out of range", "too big")), str(error)
        return
    assert got.free_symbols <= {x, y}
    for point in POINTS:
        expected = at(tree.expr, point)
        if expected is not None:
            value = at(got, point)
            assert value is not None and math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-9), (
                tree.text, point, value, expected)


@pytest.mark.parametrize("text,value", [("a^a^a^a", 10.0), ("x^(100a)", 10.0), ("a^(a*50)", 10.0), ("2^a^a", 10.0)])
def test_a_parameter_value_meets_the_bounds_a_typed_number_does(text, value):
    # a^a^a^a is harmless as typed and a 10^(10^10)-digit integer at a = 10: refused before SymPy computes it
    a = sympy.Symbol("a", real=True)
    expr = parse_expression(text, {**SYMBOLS, "a": a})
    start = time.monotonic()
    with pytest.raises(ExpressionError, match="too large|out of range"):
        substitute(expr, {a: sympy.Integer(int(value))})
    assert time.monotonic() - start < 0.5


def test_substituting_a_harmless_value_gives_what_sympy_gives():
    a = sympy.Symbol("a", real=True)
    expr = parse_expression("x^a + a^a*y - sin(a*x)", {**SYMBOLS, "a": a})
    assert substitute(expr, {a: sympy.Integer(3)}) == expr.subs(a, 3)
