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
from dataclasses import dataclass


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

    def convert(self, raw: str):
        if self.type is str:
            value = raw
            if self.choices is not None and value not in self.choices:
                raise BadRequest(f"{self.name} must be one of {', '.join(self.choices)}; got {raw!r}")
            return value
        try:
            value = self.type(raw)
        except ValueError:
            kind = "an integer" if self.type is int else "a number"
            raise BadRequest(f"{self.name} must be {kind}; got {raw[:40]!r}") from None
        if not math.isfinite(value):
            raise BadRequest(f"{self.name} must be finite; got {raw!r}")
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            raise BadRequest(f"{self.name} must lie in [{self.min:g}, {self.max:g}]; got {value:g}")
        return value


def number(name, default=None, lo=-1e6, hi=1e6, description="", required=False):
    return Spec(name, float, default, lo, hi, description, required=required)


def integer(name, default=None, lo=0, hi=None, description=""):
    return Spec(name, int, default, lo, hi, description)


def parse(args, specs: tuple[Spec, ...], extra: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """(declared values, extra raw values): ``extra`` names are passed through as numbers for the math to check."""
    declared = {s.name: s for s in specs}
    unknown = [k for k in args if k not in declared and k not in extra]
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0]!r}")
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
