"""One declaration for every number or choice a person can set: a loss's parameter, a method's
option, a request's own parameter, a network's depth.

A :class:`Param` names the setting, its default, its bounds (or its choices), its step (1 for a
count), a label and a sentence for people. Everything that checks or shows a setting is derived
from it: :meth:`Param.check` (the one place a value is held to its bounds), :meth:`Param.read`
(strict text for a query string), :func:`resolve` (defaults filled in, unknown names refused, as
SymPy's printers refuse unknown settings) and :meth:`Param.describe` (what ``/api/config`` sends,
from which the page builds its inputs and the OpenAPI document its schemas). So a bound is written
once, here or in the row that declares it, and never again in the page.

A new setting is one ``Param(...)`` in the table that owns it: the catalog for a loss, the method
table for an option, the endpoint's declaration in ``app/api.py`` for a request.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

# ASCII digits only: float() also reads "1_0" as 10 and Arabic-Indic digits, which no client means.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)", re.I)
_INTEGER = re.compile(r"[+-]?[0-9]+")
# No number we take needs more characters than this; a longer one (a 5,000-digit integer) is refused
# before Python is asked to convert it, which costs time and, past 4,300 digits, raises its own error.
MAX_NUMBER_CHARS = 32
NUMBER, INTEGER, CHOICE, TEXT = "number", "integer", "choice", "text"


@dataclass(frozen=True)
class Param:
    name: str
    default: object = None
    min: float | None = None
    max: float | None = None
    description: str = ""
    label: str = ""  # what the page calls it, where the name alone says too little
    step: float | None = None  # 1 for a count: a depth, a number of discriminator steps
    choices: tuple[str, ...] | None = None  # the names a choice may take
    type: str = NUMBER  # NUMBER, INTEGER, CHOICE or TEXT
    required: bool = False
    exclusive_min: bool = False  # must lie above min, not at it (a threshold, a scale)
    max_chars: int | None = None  # for TEXT
    latex: str = ""  # how a formula writes it, where the name is not one symbol: lam is \lambda, not l a m

    def __post_init__(self):
        if self.choices is not None and self.type != CHOICE:
            object.__setattr__(self, "type", CHOICE)

    @property
    def whole(self) -> bool:
        return self.type == INTEGER or self.step == 1

    def bounds_text(self) -> str:
        low = "(" if self.exclusive_min else "["
        return f"{low}{self.show(self.min)}, {self.show(self.max)}]"

    def show(self, value) -> str:
        """A bound or a value as the person would type it: a count in whole digits (2147483647, not 2.14748e+09)."""
        if self.whole and float(value).is_integer() and abs(value) < 1e18:
            return str(int(value))
        return f"{value:.12g}"

    def check(self, value):
        """``value`` held to the declaration, as the type the math uses; ValueError names the setting."""
        if self.type == CHOICE:
            if value not in self.choices:
                raise ValueError(f"{self.name} must be one of {', '.join(self.choices)}; got {str(value)[:40]!r}")
            return value
        if self.type == TEXT:
            if self.max_chars is not None and len(value) > self.max_chars:
                raise ValueError(f"{self.name} is longer than {self.max_chars} characters")
            return value
        value = float(value) + 0.0  # -0 is 0: a sign on zero means nothing here and breaks what checks value < 0
        if not math.isfinite(value):
            raise ValueError(f"{self.name} must be a finite number; got {value}")
        low = self.min is not None and (value <= self.min if self.exclusive_min else value < self.min)
        high = self.max is not None and value > self.max
        if low or high:
            raise ValueError(f"{self.name} must lie in {self.bounds_text()}; got {self.show(value)}")
        if self.whole and not value.is_integer():
            raise ValueError(f"{self.name} must be a whole number; got {value:.12g}")
        if self.step and self.step != 1 and self.min is not None:
            if not math.isclose((value - self.min) / self.step, round((value - self.min) / self.step), abs_tol=1e-9):
                raise ValueError(f"{self.name} moves in steps of {self.step:g} from {self.min:g}; got {value:.12g}")
        return int(value) if self.whole else value

    def read(self, raw: str):
        """A value from query-string text: strict ASCII numbers, then :meth:`check`."""
        if self.type in (CHOICE, TEXT):
            return self.check(raw)
        kind = "an integer" if self.type == INTEGER else "a number"
        if len(raw) > MAX_NUMBER_CHARS:
            raise ValueError(f"{self.name} must be {kind} of at most {MAX_NUMBER_CHARS} characters; "
                             f"got {len(raw)} characters")
        if not (_INTEGER if self.type == INTEGER else _NUMBER).fullmatch(raw):
            raise ValueError(f"{self.name} must be {kind}; got {raw[:40]!r}")
        return self.check(int(raw) if self.type == INTEGER else float(raw))

    def describe(self) -> dict:
        """The declaration as the page and the OpenAPI document read it."""
        out = {"name": self.name, "type": self.type, "default": self.default, "label": self.label or self.name,
               "description": self.description, "required": self.required}
        if self.type in (NUMBER, INTEGER):
            out.update(min=self.min, max=self.max, step=1 if self.whole else self.step,
                       exclusive_min=self.exclusive_min)
        if self.choices is not None:
            out["choices"] = list(self.choices)
        if self.max_chars is not None:
            out["max_chars"] = self.max_chars
        if self.latex:
            out["latex"] = self.latex
        return out


def resolve(params: Iterable[Param], overrides: Mapping[str, object] | None, owner: str,
            noun: str = "parameter") -> dict:
    """Every declared setting's value, defaults filled in; an unknown name or a bad value raises
    ValueError naming ``owner`` ("loss 'toy-discriminator'", "method 'adam'")."""
    params = tuple(params)
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - {p.name for p in params})
    if unknown:
        raise ValueError(f"{owner} has no {noun} {unknown[0]!r}")
    return {p.name: p.check(overrides.get(p.name, p.default)) if p.name in overrides or p.default is not None
            else None for p in params}


def number(name, default=None, lo=-1e6, hi=1e6, description="", **kw) -> Param:
    return Param(name, default, lo, hi, description, **kw)


def integer(name, default=None, lo=0, hi=None, description="", **kw) -> Param:
    return Param(name, default, lo, hi, description, type=INTEGER, **kw)


def choice(name, default, choices, description="", **kw) -> Param:
    return Param(name, default, description=description, choices=tuple(choices), **kw)
