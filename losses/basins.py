"""Convergence maps: every start of a grid stepped at once, each classed as its own run would be.

A convergence map answers, for every start of an n x n grid, what :func:`losses.dynamics.trajectory`
would answer from it: the status, the steps taken, and how far from the nearest known equilibrium
the run ended. The starts are stepped together: blocks of arrays through the same step functions
(:class:`losses.dynamics.GridField`), never a Python loop over starts. A start stops exactly where
its own run would: the stop rule of :func:`losses.dynamics._stop_reason` and ``_Run._near_stationary``
is applied here to arrays (:func:`stopping`), with the same constants; the thresholds on |p| and
|v| are decided on squares, and the few values within 1e-12 of a threshold are decided by
``math.hypot``, as the scalar rule decides them. A stopped start is frozen (its state is dropped
from the arrays) while the rest go on, so a map where most starts converge early costs little.

The one difference from a trajectory is the budget: it is the whole map's. When it runs out the
answer says ``truncated`` and every start still running is marked ``time_limit``. The flow has no
place here: it is an adaptive integration per start, which cannot be stepped in lockstep.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .dynamics import (CONVERGE_BELOW, CONVERGED, DIVERGE_ABOVE, DIVERGED, MAX_STEPS, STALLED,
                       STATIONARY_WITHIN, TIME_LIMIT, GridField, rates)

RUNNING = 0
CODES = (None, CONVERGED, STALLED, DIVERGED, MAX_STEPS, TIME_LIMIT)  # status code -> name; 0: still running
CODE = {name: k for k, name in enumerate(CODES) if name}
BAND = 1e-12  # relative: squares this close to a threshold's square are decided by math.hypot
RCOND = 2 * np.finfo(float).eps  # np.linalg.lstsq's cutoff (rcond=None) for a 2x2 system
# squares of |p| and |v| at which a start clearly goes on, away from the thresholds by more than BAND
_P_CLEAR = DIVERGE_ABOVE**2 * (1 - BAND)
_V_CLEAR = CONVERGE_BELOW**2 * (1 + BAND)


def _hypot_vs(x, y, limit: float) -> tuple[np.ndarray, np.ndarray]:
    """(hypot > limit, hypot < limit) for each pair (x, y), as ``math.hypot`` decides them: on the squares,
    and by math.hypot itself for the few within 1e-12 of the threshold. NaN is neither."""
    s, t = x * x + y * y, limit * limit
    above, below = s > t, s < t
    for k in np.nonzero(np.abs(s - t) <= BAND * t)[0]:  # essentially never
        h = math.hypot(float(x[k]), float(y[k]))
        above[k], below[k] = h > limit, h < limit
    return above, below


def _lstsq_2x2(jac: np.ndarray, g: np.ndarray) -> np.ndarray:
    """np.linalg.lstsq(j, g, rcond=None) for each (2, 2) matrix of ``jac`` (shape (m, 2, 2)): by the SVD,
    singular values at or below RCOND times the largest treated as zero, as LAPACK's gelsd does."""
    u, s, vt = np.linalg.svd(jac)
    kept = s > RCOND * s[:, :1]
    coef = np.where(kept, np.einsum("mji,mj->mi", u, g) / np.where(kept, s, 1.0), 0.0)
    return np.einsum("mij,mi->mj", vt, coef)


def near_stationary(compiled, x, y, gx, gy) -> np.ndarray:
    """``_Run._near_stationary`` for arrays: a Newton step |J^+ v| within 1e-3 max(1, |p|), or no Jacobian."""
    jac = np.moveaxis(compiled.jacobian_grid(x, y), (0, 1), (-2, -1))
    finite = np.all(np.isfinite(jac), axis=(-2, -1))
    near = np.ones(x.shape, dtype=bool)
    if finite.any():
        step = _lstsq_2x2(jac[finite], np.stack([gx[finite], gy[finite]], axis=-1))
        near[finite] = np.hypot(step[:, 0], step[:, 1]) <= STATIONARY_WITHIN * np.maximum(1.0, np.hypot(x, y)[finite])
    return near


def stopping(compiled, p, g, value) -> tuple[np.ndarray, np.ndarray]:
    """(indices, codes of :data:`CODES`) of the starts that must stop at p (g = v(p), value the loss there).

    Most starts clearly go on: p finite and well inside 1e6, |v| well above 1e-8, and |v|^2 plus the
    loss finite (so both are): four array operations on the squares say so. Only the others are
    judged by the full rule, and only those it stops are returned."""
    (x, y), (gx, gy) = p, g
    s, sg = x * x + y * y, gx * gx + gy * gy
    rest = np.flatnonzero(~((s <= _P_CLEAR) & (sg >= _V_CLEAR) & np.isfinite(sg + value)))
    if not rest.size:
        return rest, rest
    codes = _judge(compiled, x[rest], y[rest], gx[rest], gy[rest], value[rest])
    stop = codes != RUNNING
    return rest[stop], codes[stop]


def _judge(compiled, x, y, gx, gy, value) -> np.ndarray:
    """The rule of ``_stop_reason`` and ``_Run.visit`` itself, for the starts that may stop."""
    far, _ = _hypot_vs(x, y, DIVERGE_ABOVE)
    diverged = ~(np.isfinite(x) & np.isfinite(y)) | far | ~(np.isfinite(gx) & np.isfinite(gy) & np.isfinite(value))
    _, small = _hypot_vs(gx, gy, CONVERGE_BELOW)
    small &= ~diverged
    codes = np.where(diverged, CODE[DIVERGED], RUNNING).astype(np.int8)
    if small.any():
        near = near_stationary(compiled, x[small], y[small], gx[small], gy[small])
        codes[small] = np.where(near, CODE[CONVERGED], CODE[STALLED])
    return codes


def _take(tree, keep):
    """The state of the starts still running: arrays indexed, counters (Adam's t) and None as they are."""
    if isinstance(tree, tuple):
        return tuple(_take(t, keep) for t in tree)
    return tree[keep] if isinstance(tree, np.ndarray) and tree.ndim else tree


class _Grid:
    """Status, steps and final point of every start, filled in as starts stop; the state of those still running."""

    def __init__(self, starts):
        size = starts[0].size
        self.live = np.arange(size)  # which starts the running state's entries are
        self.codes = np.zeros(size, dtype=np.int8)
        self.steps = np.zeros(size, dtype=np.int64)
        self.final = [starts[0].copy(), starts[1].copy()]

    def stop(self, which, codes, k, state):
        """Record the running entries ``which`` (indices) as stopped at step k; the state of the rest."""
        idx, (p, g, value, mem) = self.live[which], state
        self.codes[idx], self.steps[idx] = codes, k
        self.final[0][idx], self.final[1][idx] = p[0][which], p[1][which]
        keep = np.ones(self.live.size, dtype=bool)
        keep[which] = False
        self.live = self.live[keep]
        return _take(p, keep), _take(g, keep), value[keep], _take(mem, keep)


def _run(method, compiled, starts, lr, steps, opts, deadline) -> tuple[_Grid, bool]:
    field = GridField(compiled)
    lrs, grid, mem = rates(field, lr, opts), _Grid(starts), None
    value, gx, gy = compiled.field(*starts)
    with np.errstate(all="ignore"):
        return grid, _steps(method, compiled, field, grid, (starts, (gx, gy), value, mem), lrs, steps, opts, deadline)


def _steps(method, compiled, field, grid, state, lrs, steps, opts, deadline) -> bool:
    """Step the running starts until none is left (False) or the budget runs out (True)."""
    for k in range(steps + 1):
        p, g, value, mem = state
        which, codes = stopping(compiled, p, g, value)
        if k == steps:  # the rest ran every step
            last = np.full(grid.live.size, CODE[MAX_STEPS], dtype=np.int8)
            last[which] = codes
            which, codes = np.arange(grid.live.size), last
        if which.size:
            state = p, g, value, mem = grid.stop(which, codes, k, state)
        if not grid.live.size:
            return False
        if time.perf_counter() > deadline:
            grid.stop(np.arange(grid.live.size), CODE[TIME_LIMIT], k, state)
            return True
        p, mem = method.step(field, p, g, lrs, mem, opts)
        p = field.project(p)
        value, gx, gy = compiled.field(*p)
        state = p, (gx, gy), value, mem
    return False


def check_method(method) -> None:
    """ValueError, saying why, for a method that cannot step a grid of starts together: the flow."""
    if method.step is None:
        raise ValueError(f"method {method.name!r} cannot draw a convergence map: it integrates each start "
                         "adaptively on its own, so starts cannot be stepped together; use a discrete method "
                         "(gd with a small lr is its picture)")


def basins(method, compiled, xs, ys, lr: float, steps: int, options: dict | None = None,
           equilibria=(), budget_s: float = 2.0) -> dict:
    """The convergence map on the grid xs x ys (row i is ys[i]); ``equilibria`` for the distances."""
    check_method(method)
    opts = method.resolve(options)
    deadline = time.perf_counter() + budget_s
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    gx, gy = np.meshgrid(xs, ys)
    grid, truncated = _run(method, compiled, (gx.ravel(), gy.ravel()), float(lr), int(steps), opts, deadline)
    shape = (ys.size, xs.size)
    out = {
        "x": xs, "y": ys,
        "status": np.array(CODES, dtype=object)[grid.codes].reshape(shape).tolist(),
        "steps": grid.steps.reshape(shape),
        "distance": _distance(grid.final, equilibria).reshape(shape),
        "truncated": truncated,
    }
    box = compiled.problem.game.box(compiled.problem.values)
    if box is not None:
        out["bounds"] = [list(side) for side in box]
    return out


def _distance(final, equilibria) -> np.ndarray:
    """Each final point's distance to the nearest equilibrium; NaN (null) where none is known or it is not finite."""
    fx, fy = final
    if not len(equilibria):
        return np.full(fx.shape, np.nan)
    e = np.asarray(equilibria, dtype=float)
    with np.errstate(all="ignore"):
        d = np.hypot(fx[:, None] - e[None, :, 0], fy[:, None] - e[None, :, 1]).min(axis=1)
    return np.where(np.isfinite(d), d, np.nan)
