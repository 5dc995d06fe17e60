"""The answers the product gives about one problem, as plain dicts: what ``/api/gradient`` and
``/api/field`` send and what the Python API (:mod:`gradient_flow`) returns, from one function each,
so a notebook and the page can never disagree. Non-finite numbers stay NaN here; the JSON writer
turns them into null.
"""

from __future__ import annotations

import math

import numpy as np

from .analysis import Search
from .compiled import Compiled
from .derivation import COMPLETE, worked_derivation
from .magnitude import DEFAULT_THRESHOLDS, Thresholds


def magnitude(g) -> float:
    return math.hypot(*g) if all(map(math.isfinite, g)) else math.nan


def gradient_report(compiled: Compiled, x: float, y: float, lr: float,
                    thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """Value, v, |v|, class and one plain step's landing point at (x, y)."""
    g = compiled.grad(x, y)
    size = magnitude(g)
    return {"value": compiled.value(x, y), "gradient": list(g), "magnitude": size,
            "class": thresholds.classify(size), "next": [x - lr * g[0], y - lr * g[1]]}


def nearest_target(found: Search | None, kind_gradient: bool, point):
    """The stationary point a step is measured against: the nearest minimum for a loss, the nearest
    equilibrium of any type for a game; None if there is none (or no search)."""
    if found is None:
        return None
    wanted = [s for s in found.points if not kind_gradient or s.type == "minimum"]
    return min(wanted, key=lambda s: math.dist(s.point, point), default=None)


def derivation_report(compiled: Compiled, x: float, y: float, lr: float, found: Search | None,
                      thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[dict]:
    """The worked example, measured against the nearest target of ``found`` (None: not searched)."""
    target = nearest_target(found, compiled.problem.game.kind.gradient, (x, y))
    searched = None if found is None else COMPLETE if found.complete else found.region
    return worked_derivation(compiled, (x, y), lr, thresholds, target=target and target.point,
                             target_name=target and target.label, searched=searched)


def field_report(compiled: Compiled, view, n: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """The loss and v on an n x n grid over ``view``: row i is y[i], column j is x[j]; bounds inclusive."""
    (x0, x1), (y0, y1) = view
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    value, gx, gy = compiled.field(xs[None, :], ys[:, None])
    with np.errstate(invalid="ignore", over="ignore"):
        size = np.hypot(gx, gy)
    return {"x": xs, "y": ys, "value": value, "gx": gx, "gy": gy, "magnitude": size,
            "class": thresholds.classify_array(size).tolist()}
