"""The GAN lab's endpoints: convergence maps (``/api/basins``) and phase diagrams (``/api/phase``).

Their parameters are declared with every other endpoint's in ``app/api.py`` (ENDPOINTS), so the
OpenAPI document and ``/api/config`` list them; this blueprint only reads them, calls
:mod:`losses.basins` and :mod:`losses.phase`, and serialises. Everything the client could get
wrong is a 400 that names it: a method that cannot be stepped on a grid or has no update map,
an axis that names nothing or sweeps past its bounds, a swept setting also given by name.
"""

from __future__ import annotations

import math

import numpy as np
from flask import Blueprint, current_app, request

from ..losses.basins import basins, check_method
from ..losses.dynamics import METHODS
from ..losses.params import integer, number
from ..losses.phase import axes_of, check_axis, phase_diagram
from ..losses.stability import offered
from .api import LR, PHASE_N_MAX, _request, _view
from .jsonio import respond
from .params import BadRequest

bp = Blueprint("lab", __name__, url_prefix="/api")

CELLS = integer("n", None, 2, PHASE_N_MAX, "cells along an axis")
COORDINATE = number("equilibrium", None, -1e6, 1e6)


def _engine():
    return current_app.extensions["gradient_flow"]


def _equilibria(compiled, view) -> list:
    """The isolated stationary points the analysis found in the view (a curve's mark is no equilibrium)."""
    return [s.point for s in _engine().stationary(compiled, view).points if s.type != "curve"]


@bp.get("/basins")
def convergence_map():
    compiled, _, v, options = _request("basins")
    method = METHODS[v["method"]]
    try:
        check_method(method)
        (x0, x1), (y0, y1) = view = _view(v, compiled.problem.game)
        xs, ys = np.linspace(x0, x1, v["n"]), np.linspace(y0, y1, v["n"])
        body = basins(method, compiled, xs, ys, v["lr"], v["steps"], options, _equilibria(compiled, view),
                      current_app.config["BASINS_BUDGET_S"])
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return respond(body)


def _numbers(text: str, name: str, parts: int) -> list[str]:
    pieces = text.split(",")
    if len(pieces) != parts:
        shape = "lo,hi,n (e.g. 0.01,1,101)" if parts == 3 else "x,y (e.g. 0,0)"
        raise BadRequest(f"{name} must be {shape}; got {text[:40]!r}")
    return pieces


def _axis(game, method, which: str, v) -> tuple[str, np.ndarray]:
    """(name, values) of one axis, refused by name if it sweeps nothing, past its bounds, or twice."""
    name = v[f"axis_{which}"]
    try:
        check_axis(game, method, LR, name, ())
        param = axes_of(game, method, LR)[name]
        lo, hi, n = _numbers(v[which], which, 3)
        lo, hi, n = param.read(lo), param.read(hi), CELLS.read(n)
        if not lo < hi:
            raise ValueError(f"needs lo < hi; got {lo:g} and {hi:g}")
        values = np.linspace(lo, hi, n)
        check_axis(game, method, LR, name, values)
    except ValueError as exc:
        raise BadRequest(f"{which} (axis_{which}={name}): {exc}") from None
    if name in request.args:
        raise BadRequest(f"{name} is swept along axis_{which}: leave {name}={request.args[name]} out")
    return name, values


def _start(compiled, v) -> tuple[float, float]:
    """Where to look for the equilibrium: the one asked for, else the one nearest the view's centre."""
    if v["equilibrium"] is not None:
        try:
            return tuple(COORDINATE.read(c) for c in _numbers(v["equilibrium"], "equilibrium", 2))
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
    game = compiled.problem.game
    (x0, x1), (y0, y1) = game.view
    found = _equilibria(compiled, game.view)
    if not found:
        raise BadRequest(f"no equilibrium of {game.id!r} was found in its view, so there is nothing to sweep "
                         "around; give equilibrium=x,y near one")
    return min(found, key=lambda p: math.dist(p, ((x0 + x1) / 2, (y0 + y1) / 2)))


@bp.get("/phase")
def phase():
    compiled, _, v, options = _request("phase")
    method, game = METHODS[v["method"]], compiled.problem.game
    try:
        offered(method)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    axes = (_axis(game, method, "x", v), _axis(game, method, "y", v))
    if axes[0][0] == axes[1][0]:
        raise BadRequest(f"axis_x and axis_y both sweep {axes[0][0]}: choose two different settings")
    try:
        body = phase_diagram(compiled, method, v["lr"], options, axes, _start(compiled, v))
    except ValueError as exc:  # no equilibrium near the start
        raise BadRequest(str(exc)) from None
    return respond(body)
