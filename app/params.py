"""A query string read against declared parameters (:class:`gradient_flow.losses.params.Param`).

The declarations live with what they describe (an endpoint's in ``app/api.py``, a loss's in the
catalog, a method's options in its row), and this module reads only what a query adds to them:
an unknown name, a name given twice and an empty value are refused, each with a message that names
the parameter. Values are converted and bounded by the declarations themselves, so the OpenAPI
document and ``/api/config``, derived from the same declarations, cannot drift from the checks.
"""

from __future__ import annotations

from ..losses.params import Param


class BadRequest(ValueError):
    """A request the client can fix; its message is sent as the 400 body."""


def refuse_repeated(args) -> None:
    """A name given twice: which one was meant? The first would silently win. Checked before any
    route reads a value (``app.protocol``), so the loss or the method a route reads first cannot
    answer with its own complaint about a value that was never meant."""
    twice = [k for k in args if len(getattr(args, "getlist", lambda _: [None])(k)) > 1]
    if twice:
        raise BadRequest(f"parameter {twice[0]!r} is given more than once")


def read_query(args, specs: tuple[Param, ...], extra: tuple[Param, ...] = ()) -> dict:
    """Every declared value of ``specs`` (defaults filled in) and of ``extra`` (only those given).

    ``extra`` are the chosen loss's parameters and the chosen method's options: given by name, and
    left out when not given, so the math fills in their defaults."""
    declared = {s.name: s for s in specs}
    optional = {s.name: s for s in extra}
    unknown = [k for k in args if k not in declared and k not in optional]
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0]!r}")
    values = {}  # a name given twice was refused before the route ran (refuse_repeated)
    for spec in (*specs, *extra):
        raw = args.get(spec.name)
        if raw is None:
            if spec.required:
                raise BadRequest(f"missing parameter {spec.name!r}")
            if spec.name in declared:
                values[spec.name] = spec.default
            continue
        if raw == "" and spec.type != "text":  # "method=" means nothing: a default would be a guess
            raise BadRequest(f"parameter {spec.name!r} is empty: give a value or leave it out")
        try:
            values[spec.name] = spec.read(raw)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
    return values
