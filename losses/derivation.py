"""The worked example a teacher writes on the board, for one point and one step.

Six steps, each a title, one plain sentence, and the same mathematics as
MathML (browsers render it natively) and as LaTeX (to paste into slides):

1. the loss (or the game, "x minimizes f, y maximizes it"), scaled if the
   gradient scale is not 1, and its value at the point;
2. the partial derivatives, differentiated structurally by
   :mod:`losses.arithmetic` so they keep the shape a person writes,
   2(x - 1) + 0.5y rather than 2x + 0.5y - 2; for a game the field
   v = (df/dx, -df/dy), the minus sign because y ascends;
3. their values at the point, every arithmetic stage shown (bounded for big
   expressions);
4. the gradient vector, its length worked the same way, and its magnitude class;
5. the update p' = p - lr * v;
6. whether that step moved toward the nearest minimum or equilibrium, which
   the caller supplies (this module finds nothing itself).

Everything is read off the :class:`~losses.game.Game` behind a
:class:`~losses.compiled.Compiled`: its expression with parameters bound, the
gradient scale, and its kind's players, whose signs say whether y descends or
ascends, so no kind name is compared here. A non-finite number anywhere
reads "undefined" and the steps after it say why they cannot go on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy

from .arithmetic import MINUS_ONE, Add, Mul, Num, Pow, constant, diff, evaluate, from_sympy, mul, work
from .compiled import Compiled
from .game import Kind
from .magnitude import CLASSES, DEFAULT_THRESHOLDS, EXPLODING, NORMAL, UNDEFINED, VANISHING, Thresholds
from .notation import APPLY, CDOT, COMMA, ELLIPSIS, MINUS, TIMES, block, layout, number, pair, plain

PARTIAL = ("mi", "\u2202", r"\partial")
ETA = ("mi", "\u03b7", r"\eta")
XY = ("paren", ("row", [("mi", "x", "x"), COMMA, ("mi", "y", "y")]))
NEXT = ("paren", ("row", [("row", [("mi", "x", "x"), ("mo", "\u2032", "'")]), COMMA,
                          ("row", [("mi", "y", "y"), ("mo", "\u2032", "'")])]))
MEANINGS = {c["name"]: c["meaning"][0].lower() + c["meaning"][1:].rstrip(".") for c in CLASSES}
SQUARE, ROOT = Num(Fraction(2)), Num(Fraction(1, 2))
MAX_STAGES = 5  # arithmetic stages shown per chain before the rest is skipped
COMPLETE = "complete"  # ``searched`` for a list of stationary points known to hold them all


def _mi(name: str):
    return ("mi", name, name)


def partials(compiled: Compiled):
    """(functions, scaled functions, (v_x, v_y)) as board trees; v equals ``compiled.v``, its structure kept."""
    problem = compiled.problem
    game = problem.game
    bind = {sympy.Symbol(n, real=True): constant(v) for n, v in problem.values}
    functions = tuple(from_sympy(e, bind) for e in game.exprs)
    scaled = functions if problem.scale == 1 else tuple(mul(constant(problem.scale), f) for f in functions)
    field = tuple(mul(Num(Fraction(sign)), diff(scaled[i], var)) for (i, sign), var in zip(game.kind.roles, "xy"))
    return functions, scaled, field


def _name(text: str):
    """f_x as a subscripted f; L and f as they are."""
    base, _, sub = text.partition("_")
    return ("sub", _mi(base), _mi(sub)) if sub else _mi(base)


@dataclass(frozen=True)
class Names:
    """What the board calls things: L for a loss, f for a zero-sum game, f_x and f_y for a pair;
    100 L when the gradient scale is 100. A loss's field is its gradient; a game's is v."""

    kind: Kind
    scale: float
    functions: tuple  # (L,) or (f,) or (f_x, f_y)
    scaled: tuple  # 100 L, or just L: one per function
    grouped: tuple  # (100 L), or just L: what a derivative or nabla applies to
    words: tuple[str, ...]  # the scaled functions in a sentence: L or (100L)

    @classmethod
    def of(cls, compiled: Compiled) -> "Names":
        kind, scale = compiled.problem.game.kind, compiled.problem.scale
        functions = tuple(_name(n) for n in kind.functions)
        if scale == 1:
            return cls(kind, scale, functions, functions, functions, kind.functions)
        scaled = tuple(("row", [number(scale), TIMES, f]) for f in functions)
        return cls(kind, scale, functions, scaled, tuple(("paren", s) for s in scaled),
                   tuple(f"({plain(scale)}{n})" for n in kind.functions))

    @property
    def gradient(self) -> bool:
        return self.kind.gradient

    def partial(self, function: int, var: str):
        return ("frac", ("row", [PARTIAL, self.grouped[function]]), ("row", [PARTIAL, _mi(var)]))

    @property
    def components(self) -> tuple:
        if self.gradient:
            return tuple(self.partial(0, v) for v in "xy")
        return tuple(("sub", _mi("v"), _mi(v)) for v in "xy")

    @property
    def component_words(self) -> tuple[str, str]:
        return tuple(f"d{self.words[0]}/d{v}" for v in "xy") if self.gradient else ("v_x", "v_y")

    @property
    def vector(self):
        return ("row", [("mi", "\u2207", r"\nabla"), self.grouped[0]]) if self.gradient else _mi("v")

    @property
    def vector_words(self) -> str:
        return f"gradient grad {self.words[0]}" if self.gradient else "field vector v"


def _chain(label, node, env: dict) -> tuple[list, float]:
    """label = substituted = stage = ... = value, repeats dropped, skipped stages marked by an ellipsis."""
    rows, value, gap = work(node, env, MAX_STAGES)
    parts = [layout(r) for r in rows]
    if gap is not None:
        parts.insert(gap, ELLIPSIS)
    out = [label]
    for p in parts + [number(value)]:
        if p != out[-1]:
            out.append(p)
    return out, value


def _length(p, q=(0.0, 0.0)) -> Pow:
    """sqrt((p1 - q1)^2 + (p2 - q2)^2) with the numbers in place, for :func:`work` to show worked."""
    legs = [Add((Num(a, True), Mul((MINUS_ONE, Num(b, True))))) if b else Num(a, True) for a, b in zip(p, q)]
    return Pow(Add(tuple(Pow(leg, SQUARE) for leg in legs)), ROOT)


def _step(title: str, text: str, rows: list) -> dict:
    mathml, latex = block(rows)
    return {"title": title, "text": text, "mathml": mathml, "latex": latex}


def _at(p) -> str:
    return f"({plain(p[0])}, {plain(p[1])})"


def _loss_step(names: Names, functions, scaled, p, values: list[float]) -> dict:
    rows = []
    for name, function, scaled_name, s, value in zip(names.functions, functions, names.scaled, scaled, values):
        rows.append([("row", [name, APPLY, XY]), layout(function)])
        if names.scale != 1:
            rows.append([("row", [scaled_name, APPLY, XY]), layout(s)])
        rows.append([("row", [scaled_name, APPLY, pair(*p)]), number(value)])
    who = names.kind.who
    if names.scale != 1:
        who += f"; the gradient scale multiplies {'them' if len(functions) > 1 else 'it'}, and every gradient " \
               f"below, by {plain(names.scale)}"
    worth = " and ".join(f"{w} = {plain(v)}" if math.isfinite(v) else f"{w} is undefined"
                         for w, v in zip(names.kind.functions, values))
    title = "The loss" if names.gradient else "The game"
    return _step(title, f"{who}; at {_at(p)} {worth}.", rows)


def _partials_step(names: Names, field) -> dict:
    if names.gradient:
        rows = [[label, layout(c)] for label, c in zip(names.components, field)]
        return _step("The partial derivatives", "Differentiating term by term with the power, product and chain "
                     "rules gives one partial derivative per coordinate; together they form the gradient.", rows)
    rows = []
    for label, (i, sign), var, component in zip(names.components, names.kind.roles, "xy", field):
        partial = names.partial(i, var)
        rows.append([label, partial if sign > 0 else ("neg", partial), layout(component)])
    return _step("The vector field", names.kind.why_v, rows)


def _evaluation_step(names: Names, field, p, defined: bool) -> tuple[dict, tuple[float, float]]:
    """``defined``: whether the loss exists at p. Where it does not (a log of a negative number, even one
    SymPy simplified away), its derivatives do not either, whatever numbers their formulas give."""
    rows, g = [], []
    for label, component in zip(names.components, field):
        if not defined:
            rows.append([label, layout(component), number(math.nan)])
            g.append(math.nan)
            continue
        row, v = _chain(label, component, {"x": p[0], "y": p[1]})
        if len(row) == 2 and layout(component) != row[1]:  # nothing to compute (v_x = y): show the formula
            row.insert(1, layout(component))
        rows.append(row)
        g.append(v)
    results = " and ".join(f"{n} = {plain(v)}" for n, v in zip(names.component_words, g))
    broke = "" if all(map(math.isfinite, g)) else (" (a logarithm or root of a negative number, a division "
                                                   "by zero or an overflow), so the gradient is undefined")
    if not defined:
        text = (f"The loss does not exist at {_at(p)}: the point lies outside its domain (a logarithm of a number "
                "that is not positive, or a root of a negative one), so neither do its partial derivatives, whatever "
                f"numbers their formulas would give there: {results}, and the gradient is undefined.")
        return _step("Evaluate at the point", text, rows), tuple(g)
    text = (f"Substituting x = {plain(p[0])} and y = {plain(p[1])} and working from the innermost operations "
            f"outward gives {results}{broke}.")
    return _step("Evaluate at the point", text, rows), tuple(g)


def _size_step(names: Names, g, thresholds: Thresholds) -> tuple[dict, float]:
    finite = all(map(math.isfinite, g))
    magnitude = math.hypot(*g) if finite else math.nan
    row, worked = _chain(("abs", names.vector), _length(g), {})
    if finite and not math.isfinite(worked):  # the squares overflowed, the length did not: state it plainly
        row = [("abs", names.vector), number(magnitude)]
    kind = thresholds.classify(magnitude)
    where = {VANISHING: f"below {plain(thresholds.vanish)}", EXPLODING: f"above {plain(thresholds.explode)}",
             NORMAL: f"between {plain(thresholds.vanish)} and {plain(thresholds.explode)}",
             UNDEFINED: "not a finite number"}[kind]
    text = (f"The {names.vector_words} = {_at(g)} has length {plain(magnitude)}, {where}, "
            f"so it is {kind} ({MEANINGS[kind]}).")
    title = "The gradient and its size" if names.gradient else "The field vector and its size"
    return _step(title, text, [[names.vector, pair(*g)], row]), magnitude


def _update_step(names: Names, p, g, lr: float) -> tuple[dict, tuple[float, float] | None]:
    new = (p[0] - lr * g[0], p[1] - lr * g[1])
    rule = ("row", [XY, MINUS, ETA, TIMES, names.vector])
    if not all(map(math.isfinite, new)):
        return _step("The update", "The step is undefined because the gradient or the learning rate is not a "
                     "finite number, so training stops here.", [[NEXT, rule, number(math.nan)]]), None
    rows = [[NEXT, rule, ("row", [pair(*p), MINUS, number(lr), CDOT, pair(*g)]),
             ("row", [pair(*p), MINUS, pair(lr * g[0], lr * g[1])]), pair(*new)]]
    return _step("The update", f"{names.kind.step} with learning rate {plain(lr)}, landing at {_at(new)}.", rows), new


def _target_step(names: Names, p, new, lr: float, magnitude: float, target, target_name: str,
                 searched=None) -> dict:
    if target is None:
        rows = [[("abs", ("row", [NEXT, MINUS, XY])), ("row", [ETA, TIMES, ("abs", names.vector)]),
                 ("row", [number(lr), CDOT, number(magnitude)]), number(lr * magnitude)]]
        what = "minimum" if names.gradient else "equilibrium"
        if searched is COMPLETE:
            known = f"This {'loss' if names.gradient else 'game'} has no {what} anywhere"
        elif searched is None:
            known = "No minimum or equilibrium is known for this loss"
        else:
            (x0, x1), (y0, y1) = searched
            known = (f"No {what} was found in the region searched, x from {plain(x0)} to {plain(x1)} and y from "
                     f"{plain(y0)} to {plain(y1)}")
        text = (f"{known}, so the step cannot be measured against one; "
                + (f"its length is {plain(lr * magnitude)}." if new else "the step itself is undefined."))
        return _step(f"Toward a {what}?", text, rows)
    target = (float(target[0]), float(target[1]))
    there = f"the {target_name} at {_at(target)}"
    title = f"Toward the {target_name}?"

    def distance_row(q):
        return _chain(("abs", ("row", [pair(*q), MINUS, pair(*target)])), _length(q, target), {})[0]

    before = math.dist(p, target)
    if new is None:
        return _step(title, f"The step is undefined, so it is not known whether it approaches {there}.",
                     [distance_row(p)])
    after = math.dist(new, target)
    rows = [distance_row(p), distance_row(new),
            [("row", [number(after), MINUS, number(before)]), number(after - before)]]
    change = before - after
    if abs(change) <= 1e-12 * max(1.0, before):
        text = f"The step kept its distance {plain(after)} from {there}."
    elif change > 0:
        text = (f"The step moved {plain(change)} closer to {there}: "
                f"the distance fell from {plain(before)} to {plain(after)}.")
    else:
        text = (f"The step moved away from {there}: the distance grew from {plain(before)} "
                f"to {plain(after)}, by {plain(-change)}.")
    return _step(title, text, rows)


def worked_derivation(compiled: Compiled, point: tuple[float, float], lr: float,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS,
                      target: tuple[float, float] | None = None, target_name: str | None = None,
                      searched=None) -> list[dict]:
    """The six board steps for one step of size ``lr`` from ``point``; NaN and inf are shown, never raised.

    ``target`` is the nearest minimum (or equilibrium) known; ``searched`` is the region a numeric search
    covered, or :data:`COMPLETE` when the list of stationary points is complete, or None (not searched)."""
    names = Names.of(compiled)
    functions, scaled, field = partials(compiled)
    p, lr = (float(point[0]), float(point[1])), float(lr)
    values = [evaluate(s, {"x": p[0], "y": p[1]}) for s in scaled]
    steps = [_loss_step(names, functions, scaled, p, values),
             _partials_step(names, field)]
    evaluation, g = _evaluation_step(names, field, p, math.isfinite(compiled.value(*p)))
    size, magnitude = _size_step(names, g, thresholds)
    update, new = _update_step(names, p, g, lr)
    name = target_name or compiled.problem.game.kind.stationary_name
    return steps + [evaluation, size, update, _target_step(names, p, new, lr, magnitude, target, name, searched)]
