"""Read the worked example's MathML back as numbers, the way a student checks it by hand.

The derivation is checked against what it *shows*, not against the tree it was printed from: a
sign or bracket lost in printing (-(a + b) shown as -a + b) changes the value read here, however
right the arithmetic behind it was. Only the MathML the page renders is read; the reader knows the
box shapes :mod:`losses.notation` writes (rows of operands and operators, brackets as rows opened
by "(", negation as a row opened by a prefix minus) and nothing of how they were made.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np

from formulas import NOISE_FUNCTIONS

NS = "{http://www.w3.org/1998/Math/MathML}"
RELATIONS = {"=", "\u2248"}
TIMES = {"\u22c5", "\u00d7", "\u2062"}
APPLY, ELLIPSIS, MINUS = "\u2061", "\u22ef", "\u2212"
FUNCTIONS = {
    "\u03c3": lambda t: 1 / (1 + np.exp(-t)), "tanh": np.tanh, "log": np.log, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "softplus": lambda t: np.logaddexp(0, t), "sgn": np.sign,
    "sech": lambda t: 1 / np.cosh(t),
    # two-argument functions get their arguments as one vector: G(a, b) of instance noise and its partials
    **{name: (lambda fn: lambda ab: fn(*ab))(fn) for name, fn in NOISE_FUNCTIONS.items()},
}
CONSTANTS = {"\u03c0": math.pi, "e": math.e}


class Unreadable(Exception):
    """A cell that holds a name with no value (a label such as dL/dx, or eta in the update rule)."""


def _tag(el) -> str:
    return el.tag.replace(NS, "")


def _text(el) -> str:
    return (el.text or "").strip()


def chains(mathml: str) -> list[tuple[object, list[tuple[str, object]]]]:
    """[(label element, [(relation, cell element), ...]), ...]: one entry per row of the block."""
    root = ET.fromstring(mathml)
    table = root.find(f"{NS}mtable")
    if table is None:
        children = list(root.find(f"{NS}mrow"))
        return [(children[0], _links(children[1:]))]
    rows = []
    for tr in table.findall(f"{NS}mtr"):
        label, rest = tr.findall(f"{NS}mtd")
        rows.append((label[0], _links(list(rest[0]))))
    return rows


def _links(children) -> list[tuple[str, object]]:
    assert len(children) % 2 == 0, "a chain alternates relation and cell"
    links = []
    for rel, cell in zip(children[::2], children[1::2]):
        assert _tag(rel) == "mo" and _text(rel) in RELATIONS, ET.tostring(rel)
        links.append((_text(rel), cell))
    return links


def value(el, env: dict):
    """The number (or, for a pair, the NumPy vector) that an element shows; Unreadable if it names unknowns."""
    tag = _tag(el)
    if tag == "mn":
        return float(_text(el))
    if tag == "mi":
        name = _text(el)
        if name in env:
            return env[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        raise Unreadable(name)
    if tag == "mtext":
        if _text(el) == "undefined":
            return math.nan
        raise Unreadable(_text(el))
    if tag == "msqrt":
        return np.sqrt(_row(list(el), env))  # the radical groups what it covers
    if tag == "mfrac":
        num, den = list(el)
        return value(num, env) / value(den, env)
    if tag == "msup":
        base, exp = list(el)
        if _tag(base) == "mi" and _text(base) == "e":
            return np.exp(value(exp, env))
        # a superscript on an unbracketed row applies, on screen, to its last piece only: ambiguous
        assert not (_tag(base) == "mrow" and _bracket(base) is None and len(base) > 1), ET.tostring(base)
        return value(base, env) ** value(exp, env)
    if tag == "mrow":
        return _operand(el, env) if _bracket(el) else _row(list(el), env)
    if tag == "mo" and _text(el) == ELLIPSIS:
        raise Unreadable("skipped stages")
    raise Unreadable(tag)


def _bracket(el) -> str | None:
    """"(" or "|" for a bracketed row, the only grouping a reader sees; None for any other element."""
    kids = list(el)
    if _tag(el) == "mrow" and len(kids) == 3 and _tag(kids[0]) == "mo" and _text(kids[0]) in ("(", "|"):
        return _text(kids[0])
    return None


def _flatten(children) -> list:
    """Rows that are not bracketed are invisible on screen: read their contents in line, as a person does."""
    out = []
    for c in children:
        if _tag(c) == "mrow" and _bracket(c) is None:
            out += _flatten(list(c))
        else:
            out.append(_text(c) if _tag(c) == "mo" else c)
    return out


def _row(children, env):
    if len(children) == 1 and _tag(children[0]) == "mrow" and _bracket(children[0]) is None:
        return _row(list(children[0]), env)
    if len(children) == 1:
        return _operand(children[0], env)
    tokens = _flatten(children)
    if "," in tokens:
        parts, current = [], []
        for t in tokens + [","]:
            if t == ",":
                parts.append(_sum(current, env))
                current = []
            else:
                current.append(t)
        return np.array(parts, dtype=float)
    return _sum(tokens, env)


def _operand(el, env):
    kind = _bracket(el)
    if kind is None:
        return value(el, env)
    inner = _row(list(el)[1:-1], env)
    if kind == "(":
        return inner
    return float(np.linalg.norm(inner)) if np.ndim(inner) else abs(inner)


def _sum(tokens, env):
    """Terms joined by + and -: a product binds tighter, as on the board."""
    total, sign, term = 0.0, 1.0, []
    for t in tokens + ["+"]:
        if isinstance(t, str) and t in ("+", MINUS) and term:
            total = total + sign * _product(term, env)
            sign, term = (1.0 if t == "+" else -1.0), []
        elif isinstance(t, str) and t == MINUS:  # a leading minus
            sign = -sign
        else:
            term.append(t)
    return total


def _product(tokens, env):
    result, i = 1.0, 0
    while i < len(tokens):
        t = tokens[i]
        if isinstance(t, str):
            if t not in TIMES:
                raise Unreadable(t)
            i += 1
            continue
        if i + 2 < len(tokens) and tokens[i + 1] == APPLY:
            result = result * _applied(t, tokens[i + 2], env)
            i += 3
            continue
        result = result * _operand(t, env)
        i += 1
    return result


def _applied(fn, arg, env):
    """f(arg), or f^n(arg) when the name carries a power (tanh^2(x - y))."""
    power = 1.0
    if _tag(fn) == "msup":
        fn, exp = list(fn)
        power = value(exp, env)
    name = _text(fn)
    if name not in FUNCTIONS:
        raise Unreadable(name)
    return FUNCTIONS[name](_operand(arg, env)) ** power


def read(mathml: str, env: dict) -> list[list[tuple[str, object]]]:
    """Every row's cells as (relation, value), value None where a cell names unknowns."""
    out = []
    for _, links in chains(mathml):
        row = []
        for rel, cell in links:
            try:
                with np.errstate(all="ignore"):
                    row.append((rel, value(cell, env)))
            except Unreadable:
                row.append((rel, None))
        out.append(row)
    return out
