"""Board arithmetic: expressions kept in the shape a person writes them, and worked by hand.

SymPy canonicalises as it builds: ``diff`` distributes numbers over sums, so
d/dx (x - 1)^2 comes back as 2x - 2, and substituting numbers evaluates them
at once. A derivation on the board needs the opposite: 2(x - 1), then
2(0.5 - 1), then 2(-0.5), then -1. So the derivation works on a small tree of
its own (:class:`Num`, :class:`Sym`, :class:`Add`, :class:`Mul`, :class:`Pow`,
:class:`Call`), converted once from SymPy by :func:`from_sympy`.

Three mechanisms live here:

* Smart constructors (:func:`add`, :func:`mul`, :func:`power`) drop zeros and
  ones and gather a product's literal numbers into one leading coefficient,
  but never distribute: 2 * (x - 1) stays a product.
* :func:`diff` differentiates structurally: term by term over a sum, the
  product rule replacing one factor at a time in place, the power rule
  n u^(n-1) u' and the chain rule from a table of known derivatives. A factor
  u' = 1 simply vanishes. Anything else falls back to ``sympy.diff``, so the
  result always equals SymPy's (the tests check it does).
* :func:`work` substitutes numbers, then evaluates every operation whose
  operands are already numbers, one stage at a time: innermost brackets first,
  the sum last, and equal subexpressions (a numerator's and a denominator's
  square root) in step. A denominator stays one until its product is taken.
  Numbers that were substituted remember it, so the printer can put a
  substituted -0.3 in parentheses while a computed -0.15 is written as
  "- 0.15". Numerical failures (log of a negative, 0^-1, overflow) become NaN,
  as they do in :mod:`losses.compiled`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy

from .functions import MATH_NAMESPACE, absval, kink, sech, sgn, sigmoid, softplus, tanh

Number = Fraction | float


@dataclass(frozen=True, slots=True)
class Num:
    value: Number
    substituted: bool = False  # put in for a variable: printed in parentheses when negative


@dataclass(frozen=True, slots=True)
class Sym:
    name: str


@dataclass(frozen=True, slots=True)
class Const:
    expr: sympy.Expr  # pi or E: a number with a name


@dataclass(frozen=True, slots=True)
class Add:
    terms: tuple


@dataclass(frozen=True, slots=True)
class Mul:
    factors: tuple


@dataclass(frozen=True, slots=True)
class Pow:
    base: object
    exp: object


@dataclass(frozen=True, slots=True)
class Call:
    func: type  # the SymPy function class: sympy.log, sigmoid, ...
    args: tuple


@dataclass(frozen=True, slots=True)
class Opaque:
    expr: sympy.Expr  # anything the tree does not model; printed and evaluated by SymPy


ZERO, ONE, MINUS_ONE = Num(Fraction(0)), Num(Fraction(1)), Num(Fraction(-1))


def literal(node) -> bool:
    """A number that is part of the formula (or computed), not one substituted for a variable."""
    return isinstance(node, Num) and not node.substituted


def children(node) -> tuple:
    if isinstance(node, Add):
        return node.terms
    if isinstance(node, Mul):
        return node.factors
    if isinstance(node, Pow):
        return (node.base, node.exp)
    if isinstance(node, Call):
        return node.args
    return ()


def rebuild(node, kids):
    """The same operation on new children, with no simplification: stages must show what is there."""
    if isinstance(node, Add):
        return Add(tuple(kids))
    if isinstance(node, Mul):
        return Mul(tuple(kids))
    if isinstance(node, Pow):
        return Pow(*kids)
    if isinstance(node, Call):
        return Call(node.func, tuple(kids))
    return node


def negative(node) -> bool:
    """Whether a term reads as a subtraction: a literal negative number or a product led by one."""
    if isinstance(node, Mul):
        node = node.factors[0]
    return literal(node) and node.value < 0


# -- smart constructors: tidy, never distribute ---------------------------------------------
def add(*terms):
    flat, constant = [], Fraction(0)
    for term in terms:
        for t in term.terms if isinstance(term, Add) else (term,):
            if literal(t):
                constant = constant + t.value
            else:
                flat.append(t)
    if constant != 0 or not flat:
        flat.append(Num(constant))
    if len(flat) == 1:
        return flat[0]
    first = next((i for i, t in enumerate(flat) if not negative(t)), 0)
    # "1 - x" rather than "-x + 1": lead with a positive term when there is one.
    return Add(tuple([flat[first]] + flat[:first] + flat[first + 1:]))


def mul(*factors):
    coefficient, rest = Fraction(1), []
    for factor in factors:
        for f in factor.factors if isinstance(factor, Mul) else (factor,):
            if literal(f):
                coefficient = coefficient * f.value
            else:
                rest.append(f)
    if coefficient == 0 or not rest:
        return Num(coefficient)
    if coefficient != 1:
        rest.insert(0, Num(coefficient))
    return rest[0] if len(rest) == 1 else Mul(tuple(rest))


def power(base, exp):
    if literal(exp) and exp.value == 1:
        return base
    if literal(exp) and exp.value == 0:
        return ONE
    return Pow(base, exp)


def neg(node):
    return mul(MINUS_ONE, node)


def constant(value: float) -> Num:
    """A parameter value as the formula shows it: 2 rather than 2.0."""
    value = float(value)
    return Num(Fraction(int(value)) if value.is_integer() else value)


# -- conversion ----------------------------------------------------------------------------
def from_sympy(expr: sympy.Expr, bind: dict | None = None):
    """The board tree of a SymPy expression, with ``bind`` (Symbol -> Num) substituted as constants."""
    bind = bind or {}
    if expr.is_Symbol:
        return bind.get(expr) or Sym(expr.name)
    if expr.is_Rational:
        return Num(Fraction(int(expr.p), int(expr.q)))
    if expr.is_Number:
        return Num(float(expr) if expr.is_finite else math.nan)
    if expr.is_NumberSymbol:
        return Const(expr)
    if expr.is_Add:
        return add(*(from_sympy(a, bind) for a in expr.args))
    if expr.is_Mul:
        return mul(*(from_sympy(a, bind) for a in expr.args))
    if expr.is_Pow:
        return power(from_sympy(expr.base, bind), from_sympy(expr.exp, bind))
    if isinstance(expr, sympy.Function) and all(isinstance(a, sympy.Expr) for a in expr.args):
        return Call(type(expr), tuple(from_sympy(a, bind) for a in expr.args))
    if expr.free_symbols & set(bind):
        expr = expr.xreplace({s: to_sympy(n) for s, n in bind.items()})
    return Opaque(expr) if expr.free_symbols else Num(_sympy_float(expr))


def to_sympy(node) -> sympy.Expr:
    if isinstance(node, Num):
        v = node.value
        return sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sympy.Float(v)
    if isinstance(node, Sym):
        return sympy.Symbol(node.name, real=True)
    if isinstance(node, (Const, Opaque)):
        return node.expr
    if isinstance(node, Add):
        return sympy.Add(*(to_sympy(t) for t in node.terms))
    if isinstance(node, Mul):
        return sympy.Mul(*(to_sympy(f) for f in node.factors))
    if isinstance(node, Pow):
        return sympy.Pow(to_sympy(node.base), to_sympy(node.exp))
    return node.func(*(to_sympy(a) for a in node.args))


# -- structural differentiation ------------------------------------------------------------
def depends(node, var: str) -> bool:
    if isinstance(node, Sym):
        return node.name == var
    if isinstance(node, Opaque):
        return any(s.name == var for s in node.expr.free_symbols)
    return any(depends(c, var) for c in children(node))


def _call(func):
    return lambda u: Call(func, (u,))


# d/du f(u) for each function a loss may use, written as a person would.
DERIVATIVES = {
    sympy.exp: _call(sympy.exp),
    sympy.log: lambda u: power(u, MINUS_ONE),
    sympy.sin: _call(sympy.cos),
    sympy.cos: lambda u: neg(Call(sympy.sin, (u,))),
    sympy.tan: lambda u: add(ONE, power(Call(sympy.tan, (u,)), Num(Fraction(2)))),
    tanh: lambda u: power(Call(sech, (u,)), Num(Fraction(2))),
    sech: lambda u: neg(mul(Call(tanh, (u,)), Call(sech, (u,)))),
    sigmoid: lambda u: mul(Call(sigmoid, (u,)), Call(sigmoid, (neg(u),))),
    softplus: _call(sigmoid),
    absval: _call(sgn),
    sgn: _call(kink),
}


def diff(node, var: str):
    """d node / d var, keeping the written structure; equal to ``sympy.diff`` of the same tree."""
    if not depends(node, var):
        return ZERO
    if isinstance(node, Sym):
        return ONE
    if isinstance(node, Add):
        return add(*(diff(t, var) for t in node.terms))
    if isinstance(node, Mul):
        fs = node.factors
        return add(*(mul(*fs[:i], diff(f, var), *fs[i + 1:]) for i, f in enumerate(fs) if depends(f, var)))
    if isinstance(node, Pow) and not depends(node.exp, var):
        return mul(node.exp, diff(node.base, var), power(node.base, add(node.exp, MINUS_ONE)))
    if isinstance(node, Pow) and not depends(node.base, var):
        log_base = [] if node.base == Const(sympy.E) else [Call(sympy.log, (node.base,))]
        return mul(diff(node.exp, var), node, *log_base)
    if isinstance(node, Call) and len(node.args) == 1 and node.func in DERIVATIVES:
        u = node.args[0]
        return mul(diff(u, var), DERIVATIVES[node.func](u))
    return from_sympy(sympy.diff(to_sympy(node), sympy.Symbol(var, real=True)))


# -- numbers ---------------------------------------------------------------------------------
def _sign(v: float) -> float:
    return float((v > 0) - (v < 0))


NUMERIC = {
    sympy.exp: math.exp, sympy.log: math.log, sympy.sin: math.sin, sympy.cos: math.cos,
    sympy.tan: math.tan, tanh: math.tanh, sympy.Abs: abs, sympy.sign: _sign,
    **{f: MATH_NAMESPACE[f.__name__] for f in (sigmoid, softplus, sech, absval, sgn, kink)},
}


def _sympy_float(expr) -> float:
    try:
        return float(expr.evalf())
    except (TypeError, ValueError, ArithmeticError):  # complex or undefined
        return math.nan


def _decimal(v: float) -> Fraction | None:
    """The decimal a person reads for a float (0.1 rather than 0.1000000000000000055...), if it is short."""
    text = repr(v)
    return Fraction(text) if math.isfinite(v) and len(text) <= 12 else None


def _exactly(node, vals: list[float]) -> float | None:
    """Sums, products and small whole powers of short decimals, worked exactly as on paper: on the
    circle x^2 + y^2 = 1 at (0.6, 0.8), 0.36 + 0.64 - 1 is 0, where floats leave 2.2e-16 to print."""
    exact = [_decimal(v) for v in vals]
    if None in exact:
        return None
    if isinstance(node, Add):
        return float(sum(exact, Fraction(0)))
    if isinstance(node, Mul):
        return float(math.prod(exact))
    if isinstance(node, Pow) and exact[1].denominator == 1 and abs(exact[1]) <= 8 and exact[0] != 0:
        return float(exact[0] ** int(exact[1]))
    return None


def _apply(node, vals: list[float]) -> float:
    """One operation on numbers; every numerical failure is NaN, as in :mod:`losses.compiled`."""
    exact = _exactly(node, vals) if isinstance(node, (Add, Mul, Pow)) else None
    if exact is not None:
        return exact
    try:
        if isinstance(node, Add):
            out = math.fsum(vals)
        elif isinstance(node, Mul):
            out = math.prod(vals)
        elif isinstance(node, Pow):
            out = math.pow(*vals)
        elif node.func in NUMERIC:
            out = NUMERIC[node.func](*vals)
        else:  # a function the loss vocabulary lacks (erf from a derivative, say): SymPy knows its value
            return _sympy_float(node.func(*(sympy.Float(v) for v in vals)))
        return float(out)
    except (ArithmeticError, ValueError, TypeError):
        return math.nan


def evaluate(node, env: dict[str, float]) -> float:
    if isinstance(node, Num):
        return float(node.value)
    if isinstance(node, Sym):
        return float(env[node.name])
    if isinstance(node, Const):
        return float(node.expr)
    if isinstance(node, Opaque):
        return _sympy_float(node.expr.xreplace({s: sympy.Float(env[s.name]) for s in node.expr.free_symbols}))
    return _apply(node, [evaluate(c, env) for c in children(node)])


# -- working by hand ---------------------------------------------------------------------------
def substitute(node, env: dict[str, float]):
    if isinstance(node, Sym):
        return Num(float(env[node.name]), substituted=True)
    if isinstance(node, Opaque):
        return Num(evaluate(node, env), substituted=True)
    kids = children(node)
    return rebuild(node, [substitute(c, env) for c in kids]) if kids else node


def settled(node) -> bool:
    """Nothing left to compute here: a number, a sign before one (-(-0.3)), or one's reciprocal (1/0.58)."""
    if isinstance(node, Mul) and len(node.factors) == 2 and node.factors[0] == MINUS_ONE:
        return settled(node.factors[1])
    if isinstance(node, Pow) and node.exp == MINUS_ONE:
        return settled(node.base)
    return isinstance(node, (Num, Const))


def _reduce(node):
    """Evaluate every operation whose operands are all numbers; a denominator stays a denominator."""
    if settled(node):
        return node
    kids = children(node)
    if not all(settled(c) for c in kids):
        return rebuild(node, [_reduce(c) for c in kids])
    if isinstance(node, Pow) and literal(node.exp) and node.exp.value < 0:
        return Pow(Num(evaluate(Pow(node.base, Num(-node.exp.value)), {})), MINUS_ONE)
    return Num(evaluate(node, {}))


def _finite(node) -> bool:
    if isinstance(node, Num):
        return math.isfinite(node.value)
    return all(_finite(c) for c in children(node))


def work(node, env: dict[str, float], max_stages: int = 5, budget: int = 40) -> tuple[list, float, int | None]:
    """Substitute, then evaluate every ready operation, one stage at a time.

    Returns (rows, value, gap): the substituted tree and the partly evaluated
    ones, the value, and the index in rows where stages were left out (None if
    none were). With more than ``max_stages`` stages the first
    ``max_stages - 1`` and the last (the one a student checks the result
    against) are kept; after ``budget`` stages the rest is not even shown.
    Stages stop at the first non-finite number: the value is then NaN and the
    caller says "undefined".
    """
    current = substitute(node, env)
    value = evaluate(current, {})
    stages = []
    while not settled(current) and _finite(current) and len(stages) < budget:
        current = _reduce(current)
        if not settled(current) and _finite(current):
            stages.append(current)
    gap = None
    if len(stages) > max_stages:
        stages, gap = stages[:max_stages - 1] + stages[-1:], max_stages
    elif not settled(current) and _finite(current):
        gap = len(stages) + 1
    return [substitute(node, env)] + stages, value, gap
