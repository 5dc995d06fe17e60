"""One abstraction for every picture: a two-player game in coordinates (x, y).

Player x descends f_x(x, y) and player y descends f_y(x, y). The vector field
is v = (df_x/dx, df_y/dy) and a simultaneous step is p <- p - lr * v. A plain
loss L is the game in which both players descend L (kind ``minimize``); a
zero-sum game f is the one in which x descends f and y descends -f, so y
ascends f (kind ``game``). Everything downstream (fields, trajectories,
stationary points, derivations) works on this one form, so a new kind is a new
row in :data:`KINDS`, never a new branch in the math.

A :class:`Game` is data: SymPy expression, declared parameters and a view.
:meth:`Game.players` binds parameter values and the gradient scale and
returns (f_x, f_y), from which :mod:`losses.compiled` derives everything once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import sympy

from .params import Param, resolve
from .parser import ExpressionError, substitute

X, Y = sympy.symbols("x y", real=True)


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    players: Callable[[sympy.Expr], tuple[sympy.Expr, sympy.Expr]]
    # What a stationary point of v is called for this kind, for people.
    stationary_name: str
    # How one point is named on the plot: a loss's types are nouns ("saddle"), a game's are
    # adjectives that need the noun ("rotational equilibrium").
    label_format: str = "{type}"
    # What the value of f_x is called on the plot: a game's f is no one's loss.
    value_name: str = "loss"
    # A curve of stationary points, named on the plot where one is marked.
    curve_label: str = "stationary curve"

    def label(self, type_: str) -> str:
        return self.label_format.format(type=type_)


MINIMIZE = Kind(
    "minimize",
    "Both coordinates descend one loss L(x, y).",
    lambda f: (f, f),
    "stationary point",
)
GAME = Kind(
    "game",
    "Zero-sum game: x descends f(x, y), y ascends it (min over x, max over y).",
    lambda f: (f, -f),
    "equilibrium",
    label_format="{type} equilibrium",
    value_name="f",
    curve_label="curve of equilibria",
)
KINDS = {kind.name: kind for kind in (MINIMIZE, GAME)}


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
    params: tuple[Param, ...] = ()
    view: tuple[tuple[float, float], tuple[float, float]] = ((-2.0, 2.0), (-2.0, 2.0))
    description: str = ""
    source: str = ""  # the text a person typed, for custom expressions

    def resolve(self, overrides: Mapping[str, float] | None = None) -> tuple[tuple[str, float], ...]:
        """Parameter values with defaults filled in, as hashable pairs; unknown names or out-of-range
        values raise ValueError."""
        return tuple(resolve(self.params, overrides, f"loss {self.id!r}").items())

    def bound_expr(self, values: tuple[tuple[str, float], ...]) -> sympy.Expr:
        """The loss with parameter values substituted (unscaled).

        The parser refuses infinite and undefined parts, but a parameter's value can still make
        one (log(0^a) is log(0) at a = 1): that is the person's input, so a ValueError names it."""
        subs = {sympy.Symbol(name, real=True): number(value) for name, value in values}
        if not subs:
            return self.expr
        at = ", ".join(f"{name} = {value:g}" for name, value in values)
        try:
            bound = substitute(self.expr, subs)
        except ExpressionError as exc:
            raise ValueError(f"with {at}, {exc}") from None
        if bound.has(sympy.I):  # sqrt(a - 2) at a = 1: the parser refuses sqrt(-1) typed, and so here
            raise ValueError(f"with {at} the expression is not a real number (a root or power of a negative?)")
        if bound.has(sympy.nan, sympy.zoo, sympy.oo, sympy.S.NegativeInfinity):
            raise ValueError(f"with {at} the expression is not a finite number (a log(0) or a division by zero?)")
        return bound

    def players(self, values: tuple[tuple[str, float], ...], scale: float = 1.0) -> tuple[sympy.Expr, sympy.Expr]:
        """(f_x, f_y) with parameters bound and the loss multiplied by ``scale``."""
        f = self.bound_expr(values)
        if scale != 1:
            f = number(scale) * f
        return self.kind.players(f)

    def describe(self) -> dict:
        """The catalog entry the API sends."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind.name,
            "latex": sympy.latex(self.expr),
            "description": self.description,
            "params": [param.describe() for param in self.params],
            "view": {"x": list(self.view[0]), "y": list(self.view[1])},
        }
