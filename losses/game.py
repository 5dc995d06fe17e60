"""One abstraction for every picture: a two-player game in coordinates (x, y).

Player x descends f_x(x, y) and player y descends f_y(x, y). The vector field
is v = (df_x/dx, df_y/dy) and a simultaneous step is p <- p - lr * v. A plain
loss L is the game in which both players descend L (kind ``minimize``); a
zero-sum game f is the one in which x descends f and y descends -f, so y
ascends f (kind ``game``); a general-sum game gives each player its own loss
(kind ``pair``). Everything downstream (fields, trajectories,
stationary points, derivations) works on this one form, so a new kind is a new
row in :data:`KINDS`, never a new branch in the math.

A :class:`Game` is data: SymPy expression, declared parameters and a view.
:meth:`Game.players` binds parameter values and the gradient scale and
returns (f_x, f_y), from which :mod:`losses.compiled` derives everything once.

A game may also declare ``bounds``: a box, in terms of its parameters, that the
coordinates are projected onto after every discrete step (a WGAN's weight
clipping, |psi| <= clip). It is part of the game, not of a method, because it
is part of how that GAN is trained; :meth:`Game.box` gives the numbers for
parameter values, and :mod:`losses.dynamics` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import math

import sympy

from .functions import domain_of
from .params import Param, resolve
from .parser import ExpressionError, substitute

X, Y = sympy.symbols("x y", real=True)


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    # Which function each player descends, and with which sign: ((i, s) for x, (i, s) for y), so
    # f_x = s * f_i. A plain loss is ((0, 1), (0, 1)); a zero-sum game ((0, 1), (0, -1)).
    roles: tuple[tuple[int, int], tuple[int, int]]
    # The functions a person gives, as the board names them: ("L",), ("f",), ("f_x", "f_y").
    functions: tuple[str, ...]
    # What a stationary point of v is called for this kind, for people.
    stationary_name: str
    # How one point is named on the plot: a loss's types are nouns ("saddle"), a game's are
    # adjectives that need the noun ("rotational equilibrium").
    label_format: str = "{type}"
    # What the value of f_x is called on the plot: a game's f is no one's loss.
    value_name: str = "loss"
    # A curve of stationary points, named on the plot where one is marked.
    curve_label: str = "stationary curve"
    # For the worked example: who descends what, why v is what it is, and what one step does.
    who: str = ""
    why_v: str = ""
    step: str = ""

    def label(self, type_: str) -> str:
        return self.label_format.format(type=type_)

    @property
    def gradient(self) -> bool:
        """Whether v is the gradient of one function (both players descend it), not a game's field."""
        return all(role == (0, 1) for role in self.roles)

    def players(self, functions) -> tuple:
        """(f_x, f_y) from the functions a person gave."""
        return tuple(sign * functions[i] for i, sign in self.roles)


MINIMIZE = Kind(
    "minimize",
    "Both coordinates descend one loss L(x, y).",
    ((0, 1), (0, 1)), ("L",),
    "stationary point",
    who="Both coordinates descend the loss L(x, y)",
    step="Gradient descent steps against the gradient",
)
GAME = Kind(
    "game",
    "Zero-sum game: x descends f(x, y), y ascends it (min over x, max over y).",
    ((0, 1), (0, -1)), ("f",),
    "equilibrium",
    label_format="{type} equilibrium",
    value_name="f",
    curve_label="curve of equilibria",
    who="In the zero-sum game f(x, y), x minimizes f and y maximizes it",
    why_v="x descends f but y ascends it, so the field v = (df/dx, -df/dy) takes y's derivative with a minus "
          "sign, and one step against v moves y uphill.",
    step="Simultaneous gradient descent-ascent steps against v",
)
PAIR = Kind(
    "pair",
    "General-sum game: x descends its own loss f_x(x, y), y descends its own f_y(x, y) "
    "(a GAN with the non-saturating generator loss is one).",
    ((0, 1), (1, 1)), ("f_x", "f_y"),
    "equilibrium",
    label_format="{type} equilibrium",
    value_name="f_x",
    curve_label="curve of equilibria",
    who="Each player descends its own loss: x descends f_x(x, y) and y descends f_y(x, y)",
    why_v="Each player moves along its own loss's partial derivative, so v = (df_x/dx, df_y/dy) is the "
          "gradient of no single function, and it can rotate.",
    step="Simultaneous gradient descent, each player on its own loss, steps against v",
)
KINDS = {kind.name: kind for kind in (MINIMIZE, GAME, PAIR)}


def number(value: float) -> sympy.Expr:
    """A SymPy number that prints as people write it: 2 rather than 2.00000."""
    value = float(value)
    return sympy.Integer(int(value)) if value.is_integer() else sympy.Float(value)


@dataclass(frozen=True)
class Game:
    id: str
    title: str
    kind: Kind
    expr: sympy.Expr
    expr_y: sympy.Expr | None = None  # y's own loss, for kind pair
    # where the formula as written is defined (u > 0 under a log, u >= 0 under a root), recorded by the
    # parser before SymPy could simplify it away (exp(log(y)) is y, yet undefined for y < 0)
    conditions: tuple = ()
    # Typed by a person: a parameter value can make such a formula enormous (a^a^a^a at a = 10) or
    # complex, so values are checked symbolically as they are bound. The catalog's declared ranges
    # are safe by construction (a test binds every entry at its bounds), so its binding is lazy.
    typed: bool = False
    # What opening this loss sets besides the loss itself (the page's state keys): a run long enough
    # for its lesson, e.g. several turns of the Dirac-GAN's spiral rather than less than one.
    scene: tuple[tuple[str, object], ...] = ()
    params: tuple[Param, ...] = ()
    view: tuple[tuple[float, float], tuple[float, float]] = ((-2.0, 2.0), (-2.0, 2.0))
    description: str = ""
    # ((x_lo, x_hi), (y_lo, y_hi)): SymPy expressions in the parameters, None for no bound on that side
    bounds: tuple | None = None

    def box(self, values: tuple[tuple[str, float], ...]) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """The bounds as numbers for these parameter values (-inf and inf where unbounded), or None."""
        if self.bounds is None:
            return None
        subs = {sympy.Symbol(name, real=True): number(value) for name, value in values}
        ends = (-math.inf, math.inf)
        box = tuple(tuple(end if e is None else float(e.xreplace(subs)) for e, end in zip(side, ends))
                    for side in self.bounds)
        if not all(lo <= hi for lo, hi in box):
            raise ValueError(f"loss {self.id!r}: its bounds {box} are empty for these parameter values")
        return box

    def resolve(self, overrides: Mapping[str, float] | None = None) -> tuple[tuple[str, float], ...]:
        """Parameter values with defaults filled in, as hashable pairs; unknown names or out-of-range
        values raise ValueError."""
        return tuple(resolve(self.params, overrides, f"loss {self.id!r}").items())

    @property
    def exprs(self) -> tuple[sympy.Expr, ...]:
        """The functions as a person gave them: (L,), (f,), or (f_x, f_y) for a pair."""
        return (self.expr,) if self.expr_y is None else (self.expr, self.expr_y)

    def bound(self, expr: sympy.Expr, values: tuple[tuple[str, float], ...]) -> sympy.Expr:
        """``expr`` with parameter values substituted (unscaled).

        The parser refuses infinite and undefined parts, but a parameter's value can still make
        one (log(0^a) is log(0) at a = 1): that is the person's input, so a ValueError names it."""
        subs = {sympy.Symbol(name, real=True): number(value) for name, value in values}
        if not subs or not expr.free_symbols & subs.keys():
            return expr
        at = ", ".join(f"{name} = {value:g}" for name, value in values)
        try:
            bound = substitute(expr, subs)
        except ExpressionError as exc:
            raise ValueError(f"with {at}, {exc}") from None
        if bound.has(sympy.I):  # sqrt(a - 2) at a = 1: the parser refuses sqrt(-1) typed, and so here
            raise ValueError(f"with {at} the expression is not a real number (a root or power of a negative?)")
        if bound.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity):
            raise ValueError(f"with {at} the expression is not a finite number (a log(0) or a division by zero?)")
        return bound

    def players(self, values: tuple[tuple[str, float], ...], scale: float = 1.0) -> tuple[sympy.Expr, sympy.Expr]:
        """(f_x, f_y) with parameters bound and every function multiplied by ``scale``."""
        functions = [self.bound(e, values) for e in self.exprs]
        if scale != 1:
            functions = [number(scale) * f for f in functions]
        return self.kind.players(functions)

    @property
    def latex_names(self) -> dict:
        """How formulas write the parameters whose names are words (lam, decay, depth)."""
        return {sympy.Symbol(p.name, real=True): p.latex for p in self.params if p.latex}

    def describe(self) -> dict:
        """The catalog entry the API sends."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind.name,
            "latex": [sympy.latex(e, symbol_names=self.latex_names) for e in self.exprs],
            "description": self.description,
            "params": [param.describe() for param in self.params],
            "view": {"x": list(self.view[0]), "y": list(self.view[1])},
            "scene": dict(self.scene),
            # the box discrete methods project onto: [[x_lo, x_hi], [y_lo, y_hi]], each an expression in
            # the parameters ("-clip") or None where that side is unbounded
            "bounds": None if self.bounds is None else [[None if e is None else str(e) for e in side]
                                                        for side in self.bounds],
        }
