"""Differentiate and compile once per loss; evaluate for any parameter values and gradient scale.

A :class:`CompiledGame` holds, for one :class:`~losses.game.Game`, the vector field
v = (df_x/dx, df_y/dy), its Jacobian J (the Hessian of L for a plain loss) and the loss's
domain, differentiated symbolically with the game's parameters left as symbols, and compiled by
``lambdify`` with those parameters as arguments: to NumPy for grids, and to ``math`` for the
scalar loops of trajectories, where NumPy's per-call overhead would dominate. So a slider that
moves ``c`` or the gradient scale evaluates and never differentiates again. The scale is a factor
on every output (v and J are linear in the loss), never an argument.

A :class:`Problem` is a game bound to parameter values and a scale: exactly what determines the
numbers. :class:`Compiled` is a CompiledGame bound to one Problem, which is what the rest of the
math takes. Binding checks the values symbolically once (a parameter can still make a typed
formula infinite, complex or enormous: exp(k^3) at k = 10 is exp(1000), which the parser refuses
typed) and keeps the bound expressions for the symbolic parts (stationary points, derivations).

Every tree reaching ``lambdify`` was built by the catalog or by the whitelisting parser, never
from raw text. The numerical rules, here and nowhere else:

* ``lambdify`` returns a bare scalar for a constant expression: broadcast to the grid.
* ``math`` raises where NumPy returns NaN (overflow, log(0), a negative base to a fractional
  power): the scalar functions turn all of those into NaN, which callers class as "undefined".
* Where the loss is undefined, so is its gradient: outside the loss's domain (a log's argument
  <= 0, a root's < 0, recorded where the formula was written, so exp(log(y)) simplified to y is
  still undefined at y < 0) and wherever its value is not finite, v and J are NaN too.
* A kink (|u| at u = 0) has no derivative: :class:`~losses.functions.sgn` is NaN there.

Compiled pieces are made lazily, each under its own instance's lock: a heavy Jacobian being
compiled for one loss never makes another loss's request wait.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import sympy

from .functions import MATH_NAMESPACE, NUMPY_NAMESPACE, absval, domain_of, kink, nonnegative, positive, sgn, whole
from .game import Game, X, Y, number

NAN2 = (math.nan, math.nan)
# Differentiating v again costs SymPy time that grows fast with v's size (measured on products of
# exp(sin(kx) y): 0.3 s at 180 operations, 1.5 s at 680, 22 s at 2,100) and cannot be interrupted.
# So it is done only for fields of at most this many operations, which takes well under a second.
MAX_JACOBIAN_OPS = 400


class TooComplex(ValueError):
    """An expression whose exact Jacobian would cost more than a request may spend."""


@dataclass(frozen=True)
class Problem:
    game: Game
    values: tuple[tuple[str, float], ...] = ()
    scale: float = 1.0

    @classmethod
    def of(cls, game: Game, overrides=None, scale: float = 1.0) -> "Problem":
        return cls(game, game.resolve(overrides), float(scale))


def _printable(expr):
    """Our own spellings of what SymPy makes on its own (sqrt(x^2) becomes Abs(x)), and NaN for its
    complex infinity (a derivative's log(0)), which no numeric module can print."""
    if isinstance(expr, (list, tuple)):
        return [_printable(e) for e in expr]
    expr = expr.replace(sympy.Abs, absval).replace(sympy.sign, sgn)
    expr = expr.replace(lambda e: isinstance(e, sympy.DiracDelta), lambda e: kink(e.args[0]))
    return expr.xreplace({sympy.zoo: sympy.nan})


def _safe_scalar(fn, failure):
    """Wrap a math-lambdified function so every numerical failure returns ``failure``.

    ``float`` of a complex number raises TypeError, so a negative base to a fractional power is
    caught here too."""
    convert = (lambda out: tuple(map(float, out))) if isinstance(failure, tuple) else float

    def call(*args):
        try:
            return convert(fn(*args))
        except (ArithmeticError, ValueError, TypeError):  # overflow, log(0), complex results
            return failure

    return call


class _Lazy:
    """Made on first use under the instance's own lock, then kept: never a lock shared by instances."""

    def __init__(self, make):
        self.make, self.name = make, make.__name__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            with obj._lock:
                if self.name not in obj.__dict__:
                    obj.__dict__[self.name] = self.make(obj)
            return obj.__dict__[self.name]


def structural(game: Game) -> tuple[str, ...]:
    """The parameters that appear in an exponent: they are bound before differentiating.

    d/dy y^n is n y^n / y to SymPy while n is a symbol: 0/0 at y = 0, where the deep chain's
    gradient lives, and (n - 1) y^(n - 2) is 0 times infinity there at n = 1. With n a number SymPy
    writes n y^(n-1) exactly. Such parameters are few and usually whole (a depth), so one compile per
    value of them is cheap; every other parameter is an argument of the compiled functions."""
    names = {s.name for e in game.exprs for node in sympy.preorder_traversal(e) if node.is_Pow
             for s in node.exp.free_symbols}
    return tuple(p.name for p in game.params if p.name in names)


def _indicator(cond) -> sympy.Expr:
    """A condition as arithmetic that lambdify prints for NumPy and math alike: 1 where it holds, else 0."""
    if cond is sympy.true:
        return sympy.S.One
    if cond is sympy.false:
        return sympy.S.Zero
    if isinstance(cond, sympy.Or):
        return 1 - sympy.Mul(*(1 - _indicator(c) for c in cond.args))
    if isinstance(cond, sympy.And):
        return sympy.Mul(*(_indicator(c) for c in cond.args))
    if isinstance(cond, sympy.StrictGreaterThan):
        return positive(cond.lhs - cond.rhs)
    if isinstance(cond, sympy.GreaterThan):
        return nonnegative(cond.lhs - cond.rhs)
    if isinstance(cond, sympy.Equality) and isinstance(cond.rhs, sympy.floor) and cond.rhs.args[0] == cond.lhs:
        return whole(cond.lhs)
    raise TypeError(f"no indicator for the condition {cond}")


class CompiledGame:
    """One game's symbolic field, Jacobian and domain, compiled with its parameters as arguments.

    ``fixed`` binds the :func:`structural` parameters (name, value); the others stay symbols."""

    def __init__(self, game: Game, fixed: tuple[tuple[str, float], ...] = ()):
        self.game = game
        self._lock = threading.RLock()  # one lazy piece may need another
        names = {name for name, _ in fixed}
        self.params = tuple(sympy.Symbol(p.name, real=True) for p in game.params if p.name not in names)
        self.functions = tuple(game.bound(e, fixed) for e in game.exprs)
        self.fx, self.fy = game.kind.players(self.functions)
        self.args = (X, Y, *self.params)
        subs = {sympy.Symbol(name, real=True): number(value) for name, value in fixed}
        self.conditions = tuple(c.xreplace(subs) for c in game.conditions)

    @_Lazy
    def v(self) -> tuple[sympy.Expr, sympy.Expr]:
        return (sympy.diff(self.fx, X), sympy.diff(self.fy, Y))

    @_Lazy
    def size(self) -> int:
        """v's operation count, which bounds what differentiating it again costs."""
        return int(sum(sympy.count_ops(c) for c in self.v))

    @property
    def exact_jacobian(self) -> bool:
        """Whether J is differentiated exactly: always for the catalog, whose costs are known and tested
        (the Gauss-Hermite sum of instance noise is large but cheap), and for small typed fields."""
        return not self.game.typed or self.size <= MAX_JACOBIAN_OPS

    def too_complex(self, what: str) -> TooComplex:
        return TooComplex(f"{what} needs the exact Jacobian, and this field has {self.size} operations, more "
                          f"than the {MAX_JACOBIAN_OPS} for which it is computed: try a shorter expression")

    @_Lazy
    def jacobian(self) -> sympy.Matrix:
        """dv/dp. |u| differentiates to sgn(u), and sgn(u) to kink(u): 0 where u != 0, and undefined
        where u = 0, where the Jacobian does not exist. Refused (TooComplex) past MAX_JACOBIAN_OPS."""
        if not self.exact_jacobian:
            raise self.too_complex("the Jacobian")
        vx, vy = self.v
        return sympy.Matrix([[sympy.diff(vx, X), sympy.diff(vx, Y)], [sympy.diff(vy, X), sympy.diff(vy, Y)]])

    @_Lazy
    def domain(self) -> tuple:
        """SymPy conditions (u > 0, u >= 0, ...): the loss is defined only where all of them hold."""
        found = list(self.conditions)
        for f in self.functions:
            found += domain_of(f)
        return tuple(c for c in dict.fromkeys(found) if c is not sympy.true)

    def _numpy(self, expr):
        return sympy.lambdify(self.args, _printable(expr), modules=[NUMPY_NAMESPACE, "numpy"])

    def _math(self, expr):
        return sympy.lambdify(self.args, _printable(expr), modules=[MATH_NAMESPACE, "math"])

    @_Lazy
    def field_np(self):
        """(value, v_x, v_y) on arrays, with the domain as a fourth output (1 inside, 0 outside)."""
        return self._numpy([self.fx, *self.v, self._inside_expr])

    @_Lazy
    def jacobian_np(self):
        return self._numpy(list(self.jacobian))

    @_Lazy
    def value_math(self):
        return _safe_scalar(self._math(self.fx), math.nan)

    @_Lazy
    def value_grad_math(self):
        return _safe_scalar(self._math([self.fx, *self.v]), (math.nan,) * 3)

    @_Lazy
    def grad_math(self):
        return _safe_scalar(self._math(list(self.v)), NAN2)

    @_Lazy
    def jacobian_math(self):
        return _safe_scalar(self._math(list(self.jacobian)), (math.nan,) * 4)

    @_Lazy
    def inside_math(self):
        """inside(x, y, *params) -> bool; None when the loss is defined everywhere."""
        if not self.domain:
            return None
        fn = _safe_scalar(self._math(self._inside_expr), 0.0)
        return lambda *args: fn(*args) > 0

    @property
    def _inside_expr(self):
        return sympy.Mul(*(_indicator(c) for c in self.domain))


class Compiled:
    """A :class:`CompiledGame` bound to one :class:`Problem`: what fields, runs and analyses take."""

    def __init__(self, problem: Problem, shared: CompiledGame | None = None):
        self.problem = problem
        fixed = tuple((n, v) for n, v in problem.values if n in structural(problem.game))
        self.shared = shared if shared is not None else CompiledGame(problem.game, fixed)
        self._lock = threading.RLock()  # one lazy piece may need another
        if problem.game.typed:  # checked now: a ValueError names a parameter value that breaks the formula
            self.players
        names = {s.name for s in self.shared.params}
        self.args = tuple(float(value) for name, value in problem.values if name in names)
        self.scale = float(problem.scale)
        inside = self.shared.inside_math
        self._inside = None if inside is None else (lambda x, y: inside(x, y, *self.args))

    @_Lazy
    def players(self) -> tuple[sympy.Expr, sympy.Expr]:
        """(f_x, f_y) with the values bound and scaled, for the symbolic parts."""
        return self.problem.game.players(self.problem.values, self.problem.scale)

    @property
    def fx(self) -> sympy.Expr:
        return self.players[0]

    @property
    def fy(self) -> sympy.Expr:
        return self.players[1]

    @_Lazy
    def v(self) -> tuple[sympy.Expr, sympy.Expr]:
        """v with the values bound, for the symbolic search: the shared one, never differentiated again."""
        subs = dict(zip(self.shared.params, map(number, self.args)))
        return tuple(number(self.scale) * c.xreplace(subs) if self.scale != 1 else c.xreplace(subs)
                     for c in self.shared.v)

    @property
    def value_expr(self) -> sympy.Expr:
        """The loss shown on the plot: L, or f for a game, or x's own loss (the quantity x minimizes)."""
        return self.fx

    # -- scalars ----------------------------------------------------------------------------
    def value(self, x: float, y: float) -> float:
        """value(x, y) -> float, NaN on any numerical failure or outside the domain."""
        if self._inside is not None and not self._inside(x, y):
            return math.nan
        return self.scale * self.shared.value_math(x, y, *self.args)

    def grad(self, x: float, y: float) -> tuple[float, float]:
        """(vx, vy), (NaN, NaN) on any numerical failure, outside the domain, or where the loss is not finite."""
        value, gx, gy = self.value_grad(x, y)
        return (gx, gy)

    def value_grad(self, x: float, y: float) -> tuple[float, float, float]:
        """(value, vx, vy) in one call per trajectory step; v is NaN wherever the value is undefined."""
        if self._inside is not None and not self._inside(x, y):
            return (math.nan,) * 3
        s = self.scale
        value, gx, gy = self.shared.value_grad_math(x, y, *self.args)
        if value != value:  # one part failed: recover the value alone, to say whether the loss exists here
            value = self.shared.value_math(x, y, *self.args)
            if math.isfinite(value):
                gx, gy = self.shared.grad_math(x, y, *self.args)
        if not math.isfinite(value):
            return (s * value if value == value else math.nan, math.nan, math.nan)
        return (s * value, s * gx, s * gy)

    def jacobian_at(self, x: float, y: float) -> np.ndarray:
        """The 2x2 Jacobian at a point; NaN entries where it does not exist (all NaN outside the domain).

        The ``math`` path costs ~2 us against NumPy's ~80 us on scalars, which matters to Newton's
        method in the analysis; only if it fails does NumPy (where 1/0 is inf, not an exception)
        say which entries exist. Never raises, but TooComplex for a field too big to differentiate exactly.""" 
        if not math.isfinite(self.value(x, y)):
            return np.full((2, 2), np.nan)
        m = self.shared.jacobian_math(x, y, *self.args)
        if m[0] == m[0]:
            return self.scale * np.array(m).reshape(2, 2)
        try:
            with np.errstate(all="ignore"):
                m = np.array(self.shared.jacobian_np(np.float64(x), np.float64(y), *self.args), dtype=complex)
        except (ArithmeticError, ValueError, TypeError):  # NumPy code on plain floats can still raise
            return np.full((2, 2), np.nan)
        return self.scale * _real_grid(m.reshape(2, 2), (2, 2))

    # -- grids ------------------------------------------------------------------------------
    def field(self, xs, ys) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(value, vx, vy) on broadcast arrays xs, ys; constant parts broadcast to the full shape."""
        xs, ys = np.broadcast_arrays(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
        with np.errstate(all="ignore"):
            out = [_real_grid(a, xs.shape) for a in self.shared.field_np(xs, ys, *self.args)]
            value, gx, gy, inside = out
            defined = (inside > 0) & np.isfinite(value)
            value = np.where(inside > 0, value * self.scale, np.nan)
            return value, np.where(defined, gx * self.scale, np.nan), np.where(defined, gy * self.scale, np.nan)

    def jacobian_grid(self, xs, ys) -> np.ndarray:
        """J on broadcast arrays: shape (2, 2, *shape); NaN where the loss or its Jacobian is undefined."""
        xs, ys = np.broadcast_arrays(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
        value, _, _ = self.field(xs, ys)
        with np.errstate(all="ignore"):
            parts = [_real_grid(a, xs.shape) for a in self.shared.jacobian_np(xs, ys, *self.args)]
        jac = self.scale * np.stack(parts).reshape(2, 2, *xs.shape)
        return np.where(np.isfinite(value), jac, np.nan)


def _real_grid(a, shape) -> np.ndarray:
    """Broadcast to shape as float; anything complex-valued (a real loss left the reals) becomes NaN.

    Always a fresh C-ordered array: lambdify hands back its argument itself for a loss such as
    ``x``, a broadcast view whose copy would keep column order, which serialisers refuse."""
    a = np.asarray(a)
    if np.iscomplexobj(a):
        a = np.where(np.abs(a.imag) > 0, np.nan, a.real)
    return np.array(np.broadcast_to(a.astype(float), shape), order="C")
