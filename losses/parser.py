"""Safe parsing of the formulas people type, straight into SymPy objects.

Text from a web form must never reach ``eval``, ``exec``, ``compile``,
``sympify`` or ``parse_expr``: each of them runs Python, and SymPy's string
parsers end in ``eval``. This module instead works in three passes, each of
which can only narrow what the next one sees.

1. Tokenize. One regex (:data:`_TOKEN`) knows numbers, names, operators,
   parentheses, commas and blanks. Any other character is an error naming it
   and its position, so quotes, dots, brackets, ``=``, ``:`` and the like never
   reach a parser. The length bound is checked before anything else.
2. Check the grammar and re-emit. A two-state machine (expecting a value, or
   an operator) catches missing operands, stray commas and unbalanced or empty
   parentheses, and says so in terms of what the person typed. It makes
   implicit multiplication explicit (2x, 3(x+y), (x+1)(y-1), 2sin(x)) only
   between touching tokens: a blank is never multiplication, because ``x y``
   is more often a typo than a product, and ``xy`` is one unknown name (we
   suggest ``x*y``) rather than a guess. ``^`` becomes ``**``; unknown names
   stop here, so the emitted text holds only names from the whitelists.
3. Build. ``ast.parse(mode="eval")`` parses without executing and brings
   Python's precedence: -x^2 is -(x^2), 2^3^2 is 2^9, 1/2x is (1/2)*x. The
   tree is walked against a whitelist of node types and SymPy objects are
   built directly (Integer for integers, Float for decimals).

Bounds. SymPy evaluates eagerly: 9**9**9**9 would compute an exact integer
with more digits than atoms in the universe. So every resource is bounded
before it is spent: characters, AST nodes, nesting depth, literal size,
constant exponents (|e| <= max_exponent) and, for a power of two constants,
the size estimate |e| * log10|b| before SymPy computes it. Every constant
subexpression, and the numerator and denominator of every exact number, must
also stay within max_magnitude, about what a float can hold anyway. That
invariant keeps our own numeric checks (evalf) cheap: they are never asked
to evaluate exp(exp(exp(100))) or a rational with thousands of digits.
Parts that are not finite real numbers (I, zoo, oo, nan) are rejected where
they arise, quoting the text that produced them.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from typing import Mapping, NamedTuple

import sympy

from .functions import CONSTANTS, FUNCTIONS, condition


class ExpressionError(ValueError):
    """A formula we refuse; the message names the offending part for a student."""


@dataclass(frozen=True)
class Limits:
    max_chars: int = 300
    max_nodes: int = 200  # AST expression nodes
    max_depth: int = 30  # nesting levels; a flat sum or product counts once
    max_exponent: float = 100  # |e| for an exponent without symbols
    max_number: float = 1e15  # |literal|
    max_magnitude: float = 1e300  # |constant subexpression|, about the float range


_TOKEN = re.compile(r"""
    (?P<blank>[ \t\r\n]+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^])
  | (?P<open>\()
  | (?P<close>\))
  | (?P<comma>,)
""", re.VERBOSE)

_BINARY = {
    ast.Add: lambda a, b: sympy.Add(a, b),
    ast.Sub: lambda a, b: sympy.Add(a, sympy.Mul(sympy.S.NegativeOne, b)),
    ast.Mult: lambda a, b: sympy.Mul(a, b),
    ast.Div: lambda a, b: sympy.Mul(a, sympy.Pow(b, sympy.S.NegativeOne)),
}
_UNARY = {ast.USub: lambda a: sympy.Mul(sympy.S.NegativeOne, a), ast.UAdd: lambda a: a}
# Operators that chain without nesting as a person reads them: a + b - c is one level.
_CHAINS = ({ast.Add, ast.Sub}, {ast.Mult, ast.Div})
_INFINITE = (sympy.zoo, sympy.oo, sympy.S.NegativeInfinity)


class _Token(NamedTuple):
    kind: str
    text: str
    pos: int
    spaced: bool  # blank between this token and the previous one


def _quote(text: str, width: int = 32) -> str:
    """Quote a part of the input, shortened so that messages stay readable."""
    text = text.strip()
    if len(text) > width:
        text = text[: width // 2 - 2] + "..." + text[-(width // 2 - 2):]
    return f"'{text}'"


def _tokenize(text: str) -> list[_Token]:
    tokens, pos, spaced = [], 0, False
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ExpressionError(f"unexpected character {text[pos]!r} at position {pos}")
        if match.lastgroup == "blank":
            spaced = True
        else:
            tokens.append(_Token(match.lastgroup, match.group(), pos, spaced))
            spaced = False
        pos = match.end()
    return tokens


def _operand(text: str, tokens: list[_Token], i: int, step: int) -> str:
    """The operand text around token i (a whole bracket or call), to suggest a fix with."""
    j, depth = i, 0
    if step > 0 and tokens[i].text in FUNCTIONS and i + 1 < len(tokens):
        j += 1
    while 0 <= j < len(tokens):
        depth += {"open": step, "close": -step}.get(tokens[j].kind, 0)
        if depth <= 0:
            break
        j += step
    j = min(max(j, 0), len(tokens) - 1)
    if step < 0 and j > 0 and tokens[j].kind == "open" and tokens[j - 1].text in FUNCTIONS:
        j -= 1
    first, last = (tokens[i], tokens[j]) if step > 0 else (tokens[j], tokens[i])
    return text[first.pos:last.pos + len(last.text)]


def _split(name: str, known: set[str]) -> list[str] | None:
    """Fewest known names (or digit runs) that spell ``name`` when written together."""
    best: list[list[str] | None] = [[]] + [None] * len(name)
    for end in range(1, len(name) + 1):
        for start in range(end):
            piece, head = name[start:end], best[start]
            if head is not None and (piece in known or piece.isdigit()):
                if best[end] is None or len(head) + 1 < len(best[end]):
                    best[end] = head + [piece]
    return best[-1] if best[-1] and len(best[-1]) > 1 else None


def _unknown(name: str, called: bool, symbols: Mapping[str, sympy.Symbol]) -> ExpressionError:
    """An error for an unknown name that, where it can, reads the name as known ones run together."""
    known = set(symbols) | set(CONSTANTS)
    if called:
        pieces = _split(name, known | set(FUNCTIONS)) if len(name) <= 30 else None
        if pieces and pieces[-1] in FUNCTIONS:
            return ExpressionError(f"unknown function {_quote(name)}: did you mean {'*'.join(pieces)}(...)?")
        return ExpressionError(f"unknown function {_quote(name)}: use one of {', '.join(FUNCTIONS)}")
    guess = None
    for f in FUNCTIONS:  # sinx -> sin(x)
        rest = name[len(f):]
        inner = name.startswith(f) and rest and ([rest] if rest in known else _split(rest, known))
        if inner:
            guess = f"{f}({'*'.join(inner)})"
    pieces = _split(name, known) if guess is None and len(name) <= 30 else None
    if pieces:
        guess = "*".join(pieces)
        if pieces[-1].isdigit() and pieces[-2] in known:  # x2 means x^2 far more often than x*2
            guess = "*".join(pieces[:-2] + [f"{pieces[-2]}^{pieces[-1]}"])
    if guess:
        return ExpressionError(f"unknown name {_quote(name)}: did you mean {guess}?")
    return ExpressionError(f"unknown name {_quote(name)}: use {', '.join(sorted(symbols))}, pi or e")


def _emit(text: str, tokens: list[_Token], symbols: Mapping[str, sympy.Symbol],
          limits: Limits) -> list[tuple[str, int, int]]:
    """Check the token grammar; return Python text pieces with their span in ``text``."""
    out: list[tuple[str, int, int]] = []
    stack: list[tuple[bool, _Token]] = []  # (is a function call, the '(')
    want_value = True
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        span = (tok.pos, tok.pos + len(tok.text))
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        called = following is not None and following.kind == "open"
        if tok.kind == "name" and not (tok.text in FUNCTIONS or tok.text in symbols or tok.text in CONSTANTS):
            raise _unknown(tok.text, called, symbols)
        if not want_value:
            if tok.kind in ("op", "comma"):
                if tok.kind == "comma" and not (stack and stack[-1][0]):
                    raise ExpressionError(f"unexpected ',' at position {tok.pos}: commas only separate "
                                          "a function's arguments")
                out.append(("**" if tok.text == "^" else tok.text, *span))
                want_value = True
                continue
            if tok.kind == "close":
                if not stack:
                    raise ExpressionError(f"unmatched ')' at position {tok.pos}")
                stack.pop()
                out.append((")", *span))
                continue
            left, right = _operand(text, tokens, i - 1, -1), _operand(text, tokens, i, 1)
            if tok.spaced:
                fix = f": write {left}*{right}" if len(left + right) <= 40 else ""
                raise ExpressionError(f"missing operator between {_quote(left)} and {_quote(right)} "
                                      f"(a space is not multiplication){fix}")
            if prev.kind == tok.kind == "number":
                raise ExpressionError(f"two numbers in a row: {_quote(prev.text)} then {_quote(tok.text)} "
                                      f"at position {tok.pos}")
            out.append(("*", tok.pos, tok.pos))  # implicit multiplication: 2x, x(y+1), (x+1)(y-1)
        # Now a value is expected: a number, a name, '(' or a unary sign.
        if tok.kind == "number":
            value = float(tok.text)
            if not abs(value) <= limits.max_number:
                raise ExpressionError(f"number {_quote(tok.text)} is too large: the limit is {limits.max_number:g}")
            exact = not any(c in tok.text for c in ".eE")
            out.append((str(int(tok.text)) if exact else repr(value), *span))
        elif tok.kind == "name":
            if tok.text in FUNCTIONS and not called:
                plain = following and following.kind in ("name", "number") and len(following.text) < 20
                arg = following.text if plain else "x"
                raise ExpressionError(f"'{tok.text}' needs its argument in parentheses: write {tok.text}({arg})")
            out.append((tok.text, *span))
        elif tok.kind == "open":
            stack.append((prev is not None and prev.text in FUNCTIONS, tok))
            if len(stack) > limits.max_depth:
                raise ExpressionError(f"more than {limits.max_depth} nested parentheses at position {tok.pos}")
            out.append(("(", *span))
        elif tok.kind == "op" and tok.text in "+-":
            out.append((tok.text, *span))
        elif prev is not None and prev.kind == "open" and tok.kind == "close":
            if stack[-1][0]:
                name = tokens[i - 2].text
                raise ExpressionError(f"'{name}' needs exactly one argument, e.g. {name}(x)")
            raise ExpressionError(f"empty parentheses '()' at position {prev.pos}")
        else:
            where = f"after '{prev.text}' " if prev is not None else ""
            raise ExpressionError(f"missing a value {where}before '{tok.text}' at position {tok.pos}")
        want_value = tok.kind != "number" and not (tok.kind == "name" and tok.text not in FUNCTIONS)
    if not tokens:
        raise ExpressionError("empty expression: type a formula such as x^2 + y^2")
    if want_value:
        raise ExpressionError(f"the expression ends with '{tokens[-1].text}': something is missing after it")
    if stack:
        raise ExpressionError(f"'(' at position {stack[-1][1].pos} is never closed: add ')'")
    return out


def _approx(value: sympy.Expr) -> sympy.Expr | None:
    """A SymPy number close to a constant, or None when SymPy cannot evaluate it to a real number."""
    number = value if value.is_Number else value.evalf(15)
    return number if number.is_Number else None


def _log10(size: int | sympy.Float) -> float:
    """log10 of a positive exact integer or SymPy Float of any size, without overflowing a float."""
    return math.log10(size) if isinstance(size, int) else float(sympy.log(size)) / math.log(10)


def _bounded_power(base: sympy.Expr, exponent: sympy.Expr, limits: Limits, where: str) -> sympy.Expr:
    """Pow, once its exponent and (for two constants) its size are known to be small."""
    keep = f"keep it between -{limits.max_exponent:g} and {limits.max_exponent:g}"
    if not exponent.free_symbols:
        e = _approx(exponent)
        if e is None or not abs(e) <= limits.max_exponent:
            raise ExpressionError(f"the exponent in {where} is too large: {keep}")
        b = None if base.free_symbols else _approx(base)
        if b is not None and not b.is_zero:
            # An exact b**e has about |e| * log10(max(|p|, q)) digits; a float's exponent grows by |e| * log10|b|.
            exact = b.is_Rational
            scale = float(e) * _log10(max(abs(b.p), b.q) if exact else abs(b))
            if abs(scale) > math.log10(limits.max_magnitude):
                size = f"about {abs(scale):.0f} digits" if exact else f"about 10^{scale:.0f}"
                raise ExpressionError(f"{where} is out of range ({size})")
    power = sympy.Pow(base, exponent)
    # SymPy folds (x^100)^100 into x^10000: the exponent it makes is held to the same bound
    if power.is_Pow and power.exp.is_Number and not abs(power.exp) <= limits.max_exponent:
        raise ExpressionError(f"{where} makes the exponent {sympy.sstr(power.exp)}: {keep}")
    return power


def substitute(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], limits: Limits = Limits()) -> sympy.Expr:
    """``expr`` with parameter values put in, under the bounds a typed number meets.

    SymPy evaluates as it substitutes, and a parameter can make what the parser let through
    unbounded: a^a^a^a is harmless as typed and a 10^(10^10)-digit integer at a = 10, which no
    request could wait for. So the tree is rebuilt from the leaves, every power checked before
    SymPy computes it, exactly as :func:`parse_expression` checks ``10^10^10``."""
    def walk(e):
        if e in values:
            return values[e]
        if not e.args or not (e.free_symbols & values.keys()):
            return e
        args = [walk(a) for a in e.args]
        shown = _Shown(e)  # as the person typed it, before the values went in; printed only for an error
        if isinstance(e, sympy.Pow):
            return _bounded_power(*args, limits, shown)
        out = e.func(*args)
        if not out.free_symbols:  # exp(k^3) at k = 10 is exp(1000), which the parser refuses typed
            if out.has(sympy.nan, *_INFINITE):
                return out  # named by the caller: "not a finite number (a log(0) or a division by zero?)"
            number = out if out.is_Number else _approx(out)
            if number is None and out.is_extended_real is False:
                raise ExpressionError(f"{shown} is not a real number")
            if number is not None and not abs(number) <= limits.max_magnitude:
                raise ExpressionError(f"{shown} is too large a number (limit {limits.max_magnitude:g})")
        return out

    return walk(expr)


class _Shown:
    """A subexpression as a person typed it, printed only when an error message needs it."""

    def __init__(self, expr: sympy.Expr):
        self.expr = expr

    def __str__(self) -> str:
        return _quote(sympy.sstr(self.expr).replace("**", "^"))


class _Builder:
    """Walks the parsed tree against the whitelist, building SymPy and enforcing the bounds on the way."""

    def __init__(self, text: str, pieces: list[tuple[str, int, int]],
                 symbols: Mapping[str, sympy.Symbol], limits: Limits):
        self.text, self.symbols, self.limits = text, symbols, limits
        self.conditions: list = []  # where each log, root and power was defined, before SymPy simplified
        self.starts, self.ends, offset = {}, {}, 0
        for piece, start, end in pieces:
            self.starts[offset], self.ends[offset + len(piece)] = start, end
            offset += len(piece) + 1

    def source(self, node: ast.AST) -> str:
        start = self.starts.get(getattr(node, "col_offset", 0), 0)
        return _quote(self.text[start:self.ends.get(getattr(node, "end_col_offset", 0), len(self.text))])

    def build(self, node: ast.AST, depth: int = 1) -> sympy.Expr:
        if depth > self.limits.max_depth:
            raise ExpressionError(f"{self.source(node)} is nested too deeply (limit {self.limits.max_depth} levels)")
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            if not abs(node.value) <= self.limits.max_number:
                raise ExpressionError(f"number {self.source(node)} is too large (limit {self.limits.max_number:g})")
            value = sympy.Integer(node.value) if type(node.value) is int else sympy.Float(node.value)
        elif isinstance(node, ast.Name):
            value = self.symbols.get(node.id, CONSTANTS.get(node.id))
            if value is None:
                raise ExpressionError(f"'{node.id}' is not a variable or constant here")
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            value = _UNARY[type(node.op)](self.build(node.operand, depth + 1))
        elif isinstance(node, ast.BinOp) and (type(node.op) in _BINARY or isinstance(node.op, ast.Pow)):
            chained = isinstance(node.left, ast.BinOp) and any(
                {type(node.op), type(node.left.op)} <= chain for chain in _CHAINS)
            left = self.build(node.left, depth if chained else depth + 1)
            right = self.build(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                value = self.power(left, right, node)
            else:
                value = _BINARY[type(node.op)](left, right)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS
              and not node.keywords):
            if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
                raise ExpressionError(f"'{node.func.id}' needs exactly one argument, got {len(node.args)}")
            arg = self.build(node.args[0], depth + 1)
            self.record(FUNCTIONS[node.func.id](arg, evaluate=False))
            value = FUNCTIONS[node.func.id](arg)
        else:
            raise ExpressionError(f"{self.source(node)} is not allowed in a formula")
        return self.checked(value, node)

    def power(self, base: sympy.Expr, exponent: sympy.Expr, node: ast.AST) -> sympy.Expr:
        value = _bounded_power(base, exponent, self.limits, self.source(node))
        self.record(sympy.Pow(base, exponent, evaluate=False))
        return value

    def record(self, unevaluated: sympy.Expr) -> None:
        found = condition(unevaluated) if unevaluated.free_symbols else None
        if found is not None and found is not sympy.true:
            self.conditions.append(found)

    def checked(self, value: sympy.Expr, node: ast.AST) -> sympy.Expr:
        """The value, if it is a finite real expression whose constants stay within range."""
        if value.has(sympy.nan):
            raise ExpressionError(f"{self.source(node)} is undefined")
        if value.has(*_INFINITE):
            raise ExpressionError(f"{self.source(node)} is infinite (a division by zero or log(0)?)")
        if value.has(sympy.I):
            raise ExpressionError(f"{self.source(node)} is not a real number")
        for atom in value.atoms(sympy.Number):  # exact numbers also grow in digits: (1 + 10^-99)^3 * ...
            if not (max(abs(atom.p), atom.q) if atom.is_Rational else abs(atom)) <= self.limits.max_magnitude:
                raise ExpressionError(f"{self.source(node)} makes a number too big to work with "
                                      f"(limit {self.limits.max_magnitude:g})")
        if not value.free_symbols:
            number = _approx(value)
            if number is None and value.is_extended_real is False:
                raise ExpressionError(f"{self.source(node)} is not a real number")
            if number is not None and not abs(number) <= self.limits.max_magnitude:
                raise ExpressionError(f"{self.source(node)} is too large a number "
                                      f"(limit {self.limits.max_magnitude:g})")
        return value


def parse_expression(text: str, symbols: Mapping[str, sympy.Symbol], limits: Limits = Limits()) -> sympy.Expr:
    """SymPy for a formula a person typed, or ExpressionError saying what to fix; nothing is executed."""
    return parse_formula(text, symbols, limits)[0]


class Parsed(NamedTuple):
    expr: sympy.Expr
    conditions: tuple  # where the formula as typed is defined: u > 0 under each log, u >= 0 under each root
    names: frozenset[str]  # every symbol typed, including one SymPy cancels away (c in c*(x - x))


def parse_formula(text: str, symbols: Mapping[str, sympy.Symbol], limits: Limits = Limits()) -> Parsed:
    """The expression with what SymPy's simplification may hide: where it is defined, and which
    names were typed."""
    if not isinstance(text, str):
        raise ExpressionError("the expression must be text")
    if len(text) > limits.max_chars:
        raise ExpressionError(f"expression is too long: {len(text)} characters (limit {limits.max_chars})")
    tokens = _tokenize(text)
    pieces = _emit(text, tokens, symbols, limits)
    try:
        tree = ast.parse(" ".join(piece for piece, _, _ in pieces), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:  # the grammar pass should prevent this
        raise ExpressionError(f"could not read the expression: {getattr(exc, 'msg', exc)}") from None
    nodes = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
    if nodes > limits.max_nodes:
        raise ExpressionError(f"expression is too big: {nodes} parts (limit {limits.max_nodes})")
    builder = _Builder(text, pieces, symbols, limits)
    try:
        expr = builder.build(tree.body)
        names = frozenset(t.text for t in tokens if t.kind == "name" and t.text in symbols)
        return Parsed(expr, tuple(dict.fromkeys(builder.conditions)), names)
    except ExpressionError:
        raise
    except (ArithmeticError, RecursionError, TypeError, ValueError) as exc:  # SymPy's own refusals
        raise ExpressionError(f"could not build the expression: {exc}") from None
