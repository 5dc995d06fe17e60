"""Request parameters, declared once: name, type, default, bounds, description.

Routes never read ``request.args`` directly. :func:`parse` checks a query
against the declared specs (plus the chosen loss's own parameters and the
chosen method's options, which are declared by the math) and rejects unknown
names, malformed numbers, non-finite values and anything out of bounds with a
message that names the parameter. The OpenAPI document is generated from the
same declarations, so the contract cannot drift from the checks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# ASCII digits only: float() also reads "1_0" as 10 and Arabic-Indic digits, which no client means
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)", re.I)
_INTEGER = re.compile(r"[+-]?[0-9]+")


class BadRequest(ValueError):
    """A request the client can fix; its message is sent as the 400 body."""


@dataclass(frozen=True)
class Spec:
    name: str
    type: type
    default: object = None
    min: float | None = None
    max: float | None = None
    description: str = ""
    choices: tuple[str, ...] | None = None
    required: bool = False
    exclusive_min: bool = False  # a threshold must be above its minimum, not at it

    def convert(self, raw: str):
        if self.type is str:
            value = raw
            if self.choices is not None and value not in self.choices:
                raise BadRequest(f"{self.name} must be one of {', '.join(self.choices)}; got {raw!r}")
            return value
        kind = "an integer" if self.type is int else "a number"
        if not (_INTEGER if self.type is int else _NUMBER).fullmatch(raw):
            raise BadRequest(f"{self.name} must be {kind}; got {raw[:40]!r}")
        value = self.type(raw)
        if not math.isfinite(value):
            raise BadRequest(f"{self.name} must be finite; got {raw[:40]!r}")
        low = self.min is not None and (value <= self.min if self.exclusive_min else value < self.min)
        if low or (self.max is not None and value > self.max):
            bounds = f"{'(' if self.exclusive_min else '['}{self.min:g}, {self.max:g}]"
            raise BadRequest(f"{self.name} must lie in {bounds}; got {raw[:40]}")
        return value


def number(name, default=None, lo=-1e6, hi=1e6, description="", required=False, exclusive_min=False):
    return Spec(name, float, default, lo, hi, description, required=required, exclusive_min=exclusive_min)


def integer(name, default=None, lo=0, hi=None, description=""):
    return Spec(name, int, default, lo, hi, description)


def parse(args, specs: tuple[Spec, ...], extra: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """(declared values, extra raw values): ``extra`` names are passed through as numbers for the math to check."""
    declared = {s.name: s for s in specs}
    unknown = [k for k in args if k not in declared and k not in extra]
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0]!r}")
    twice = [k for k in args if len(getattr(args, "getlist", lambda _: [None])(k)) > 1]
    if twice:  # which one was meant? the first would silently win
        raise BadRequest(f"parameter {twice[0]!r} is given more than once")
    values = {}
    for spec in specs:
        raw = args.get(spec.name)
        if raw is None or raw == "":
            if spec.required:
                raise BadRequest(f"missing parameter {spec.name!r}")
            values[spec.name] = spec.default
        else:
            values[spec.name] = spec.convert(raw)
    rest = {k: Spec(k, float).convert(args[k]) for k in extra if k in args}
    return values, rest
