"""Differentiate once, evaluate many times.

A :class:`Problem` is a game bound to parameter values and a gradient scale:
exactly what determines the numbers. :class:`Compiled` derives from it, once,
the vector field v = (df_x/dx, df_y/dy) and its Jacobian (the Hessian of L for
a plain loss), and compiles them with ``lambdify``: to NumPy for grids, and to
``math`` for the scalar loops of trajectories, where NumPy's per-call overhead
would dominate. Every tree reaching ``lambdify`` was built by the catalog or
by the whitelisting parser, never from raw text.

Two numerical traps are handled here and nowhere else: ``lambdify`` returns a
bare scalar for a constant expression (broadcast to the grid), and ``math``
raises where NumPy returns NaN (overflow, log(0), a negative base to a
fractional power giving a complex number): the scalar functions turn all of
those into NaN, which callers classify as "undefined".

The application keeps Compiled objects in a bounded :class:`losses.cache.LRU`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy

from .functions import MATH_NAMESPACE, NUMPY_NAMESPACE
from .game import Game, X, Y

NAN2 = (math.nan, math.nan)


@dataclass(frozen=True)
class Problem:
    game: Game
    values: tuple[tuple[str, float], ...] = ()
    scale: float = 1.0

    @classmethod
    def of(cls, game: Game, overrides=None, scale: float = 1.0) -> "Problem":
        return cls(game, game.resolve(overrides), float(scale))


def _printable(expr):
    """SymPy's complex infinity (a derivative's log(0), say) has no NumPy or math spelling, so
    lambdify cannot print it: it becomes NaN, which the API reports as undefined."""
    if isinstance(expr, (list, tuple)):
        return [_printable(e) for e in expr]
    return expr.xreplace({sympy.zoo: sympy.nan})


def _numpy(expr):
    return sympy.lambdify((X, Y), _printable(expr), modules=[NUMPY_NAMESPACE, "numpy"])


def _math(expr):
    return sympy.lambdify((X, Y), _printable(expr), modules=[MATH_NAMESPACE, "math"])


def _safe_scalar(fn, failure):
    """Wrap a math-lambdified function so every numerical failure returns ``failure``.

    ``float`` of a complex number raises TypeError, so a negative base to a
    fractional power is caught here too."""
    convert = (lambda out: tuple(map(float, out))) if isinstance(failure, tuple) else float

    def call(x, y):
        try:
            return convert(fn(x, y))
        except (ArithmeticError, ValueError, TypeError):  # overflow, log(0), complex results
            return failure

    return call


class Compiled:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.fx, self.fy = problem.game.players(problem.values, problem.scale)

    # -- symbolic, derived once -------------------------------------------------
    @cached_property
    def value_expr(self) -> sympy.Expr:
        """The loss shown on the plot: L, or f for a game (the quantity x minimizes)."""
        return self.fx

    @cached_property
    def v(self) -> tuple[sympy.Expr, sympy.Expr]:
        return (sympy.diff(self.fx, X), sympy.diff(self.fy, Y))

    @cached_property
    def jacobian(self) -> sympy.Matrix:
        """dv/dp: the Hessian of L for a plain loss.

        abs(u) differentiates to sign(u) and then to DiracDelta(u), which no
        numeric module implements: it is 0 wherever u != 0 and the Jacobian does
        not exist where u = 0, so that is what it becomes (NaN there)."""
        vx, vy = self.v
        m = sympy.Matrix([[sympy.diff(vx, X), sympy.diff(vx, Y)], [sympy.diff(vy, X), sympy.diff(vy, Y)]])
        return m.replace(
            lambda e: isinstance(e, sympy.DiracDelta),
            lambda e: sympy.Piecewise((sympy.nan, sympy.Eq(e.args[0], 0)), (0, True)),
        )

    # -- compiled ---------------------------------------------------------------
    @cached_property
    def _value_np(self):
        return _numpy(self.value_expr)

    @cached_property
    def _v_np(self):
        return _numpy(self.v[0]), _numpy(self.v[1])

    @cached_property
    def _jac_np(self):
        return _numpy(self.jacobian)

    @cached_property
    def value(self):
        """value(x, y) -> float, NaN on any numerical failure."""
        return _safe_scalar(_math(self.value_expr), math.nan)

    @cached_property
    def grad(self):
        """grad(x, y) -> (vx, vy) floats, (NaN, NaN) on any numerical failure."""
        return _safe_scalar(_math(list(self.v)), NAN2)

    @cached_property
    def value_grad(self):
        """value_grad(x, y) -> (value, vx, vy): one call per trajectory step instead of two.

        A failure anywhere makes all three NaN, which stops a trajectory: either
        way the run has left the loss's domain."""
        value_only, grad_only = self.value, self.grad
        both = _safe_scalar(_math([self.value_expr, *self.v]), (math.nan,) * 3)

        def call(x, y):
            out = both(x, y)
            if out[0] != out[0]:  # NaN somewhere: recover whichever parts are defined
                return (value_only(x, y), *grad_only(x, y))
            return out

        return call

    @cached_property
    def _jac_math(self):
        return _safe_scalar(_math(list(self.jacobian)), (math.nan,) * 4)

    def field(self, xs, ys) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(value, vx, vy) on broadcast arrays xs, ys; constant parts broadcast to the full shape."""
        xs, ys = np.broadcast_arrays(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
        with np.errstate(all="ignore"):
            out = [self._value_np(xs, ys), self._v_np[0](xs, ys), self._v_np[1](xs, ys)]
            return tuple(_real_grid(a, xs.shape) for a in out)

    def jacobian_at(self, x: float, y: float) -> np.ndarray:
        """The 2x2 Jacobian at a point; NaN entries where it does not exist.

        The ``math`` path costs ~2 us against NumPy's ~80 us on scalars, which
        matters to Newton's method in the analysis; only if it fails does NumPy
        (where 1/0 is inf, not an exception) say which entries exist."""
        m = self._jac_math(float(x), float(y))
        if m[0] == m[0]:
            return np.array(m).reshape(2, 2)
        with np.errstate(all="ignore"):
            m = np.array(self._jac_np(np.float64(x), np.float64(y)), dtype=complex)
        return _real_grid(m, (2, 2))


def _real_grid(a, shape) -> np.ndarray:
    """Broadcast to shape as float; anything complex-valued (a real loss left the reals) becomes NaN.

    Always a fresh C-ordered array: lambdify hands back its argument itself for a loss such as
    ``x``, a broadcast view whose copy would keep column order, which serialisers refuse."""
    a = np.asarray(a)
    if np.iscomplexobj(a):
        a = np.where(np.abs(a.imag) > 0, np.nan, a.real)
    return np.array(np.broadcast_to(a.astype(float), shape), order="C")
