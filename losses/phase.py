"""Phase diagrams: the update map's spectral radius at an equilibrium over a sweep of two settings.

A phase diagram sweeps two settings (the learning rate, any loss parameter, any option of the
method) over a grid and colours each cell by the spectral radius of the method's update map at an
equilibrium (:mod:`losses.linear`): below 1 the method converges there, above 1 it does not. The
whole sweep is one computation: the compiled Jacobian takes NumPy arrays for the parameters
(``CompiledGame.jacobian_np``), the update maps broadcast over arrays of rates and options, and
the eigenvalues are batched.

A swept loss parameter may move the equilibrium (the toy loss's minimum moves with c). It is
tracked by Newton's method run on every cell at once from the base equilibrium, each cell with
its own parameter values; a cell where Newton does not converge within :data:`NEWTON_STEPS` (the
equilibrium vanished, or moved out of reach) has no radius (null) and is counted as ``lost``.
Newton from one start may also land on another equilibrium where several are near: the map then
shows that one's radius. Parameters in an exponent (:func:`losses.compiled.structural`) are
compiled per value and are refused as axes: a sweep would compile 101 functions.

Evaluating with parameter arrays reaches past :class:`~losses.compiled.Compiled`, which binds one
value per parameter, so the rule it applies is applied here too: where the loss is undefined (outside
its domain, or not finite) v and J are undefined (NaN).
"""

from __future__ import annotations

import numpy as np

from .analysis import V_TOL
from .compiled import _real_grid, structural
from .stability import spectral_radius

NEWTON_STEPS = 30
STEP_TOL = 1e-12  # a Newton step this small (relative to 1 + |p|) with |v| below tolerance: converged


class Sweep:
    """The settings of one phase diagram, as arrays of one shape (row i is y[i]) where they are swept."""

    def __init__(self, compiled, lr: float, opts: dict, grids: dict, shape: tuple):
        values = dict(compiled.problem.values)
        self.compiled, self.shape = compiled, shape
        self.params = [grids.get(s.name, values[s.name]) for s in compiled.shared.params]
        self.lr = grids.get("lr", lr)
        self.opts = {**opts, **{k: v for k, v in grids.items() if k in opts}}
        self.moves = any(name in values for name in grids)  # a loss parameter: the equilibrium may move

    @classmethod
    def over(cls, compiled, lr, opts, axes) -> "Sweep":
        """The sweep of ((name_x, xs), (name_y, ys))."""
        (name_x, xs), (name_y, ys) = axes
        shape = (len(ys), len(xs))
        grids = {name_x: np.broadcast_to(np.asarray(xs, dtype=float)[None, :], shape),
                 name_y: np.broadcast_to(np.asarray(ys, dtype=float)[:, None], shape)}
        return cls(compiled, lr, opts, grids, shape)


def axes_of(game, method, lr_param) -> dict:
    """Every name an axis may sweep, with its declaration: lr, the loss's parameters, the method's options."""
    fixed = set(structural(game))
    return {"lr": lr_param, **{p.name: p for p in game.params if p.name not in fixed},
            **{o.name: o for o in method.options}}


def check_axis(game, method, lr_param, name: str, values) -> None:
    """ValueError naming the problem if ``name`` sweeps nothing or ``values`` leave its bounds."""
    if name in structural(game):
        raise ValueError(f"{name} sits in an exponent of {game.id!r} and is compiled once per value, so it "
                         "cannot be swept; sweep another setting and set it by name")
    axes = axes_of(game, method, lr_param)
    if name not in axes:
        raise ValueError(f"axis {name!r} names nothing to sweep for loss {game.id!r} and method {method.name!r}; "
                         f"choose one of {', '.join(axes)}")
    for value in values:
        axes[name].check(value)


def _field(sweep, x, y):
    """(v_x, v_y) at arrays x, y with the sweep's parameter arrays: NaN where the loss is undefined."""
    shared, scale = sweep.compiled.shared, sweep.compiled.scale
    value, gx, gy, inside = (_real_grid(a, sweep.shape) for a in shared.field_np(x, y, *sweep.params))
    defined = (inside > 0) & np.isfinite(value)
    return np.where(defined, scale * gx, np.nan), np.where(defined, scale * gy, np.nan), defined


def _jacobian(sweep, x, y) -> np.ndarray:
    """J at arrays x, y, shape (*sweep.shape, 2, 2); NaN where the loss is undefined."""
    _, _, defined = _field(sweep, x, y)
    parts = [_real_grid(a, sweep.shape) for a in sweep.compiled.shared.jacobian_np(x, y, *sweep.params)]
    jac = sweep.compiled.scale * np.stack(parts, axis=-1).reshape(*sweep.shape, 2, 2)
    return np.where(defined[..., None, None], jac, np.nan)


def track(sweep, start) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the equilibrium in every cell, by Newton from ``start``; NaN where it was not found."""
    x, y = (np.full(sweep.shape, float(c)) for c in start)
    tol = V_TOL * (abs(sweep.compiled.scale) or 1.0)
    done = np.zeros(sweep.shape, dtype=bool)
    for _ in range(NEWTON_STEPS + 1):
        gx, gy, _ = _field(sweep, x, y)
        jac = _jacobian(sweep, x, y)
        (a, b), (c, d) = np.moveaxis(jac, (-2, -1), (0, 1))
        det = a * d - b * c
        sx, sy = (d * gx - b * gy) / det, (a * gy - c * gx) / det  # J^-1 v by Cramer's rule
        small = np.hypot(sx, sy) <= STEP_TOL * (1 + np.hypot(x, y))
        done |= (np.hypot(gx, gy) <= tol) & (small | (np.hypot(gx, gy) == 0))
        if done.all():
            break
        x, y = np.where(done, x, x - sx), np.where(done, y, y - sy)
    return np.where(done, x, np.nan), np.where(done, y, np.nan)


def phase_diagram(compiled, method, lr: float, opts: dict, axes, start) -> dict:
    """The spectral radius over the sweep ``axes`` = ((name_x, xs), (name_y, ys)) at the equilibrium
    found from ``start``; ValueError if there is none there."""
    opts = method.resolve(opts)
    with np.errstate(all="ignore"):
        ex, ey = (float(c) for c in track(Sweep(compiled, lr, opts, {}, ()), start))
        if not np.isfinite(ex):
            raise ValueError(f"no equilibrium of {compiled.problem.game.id!r} near ({start[0]:g}, {start[1]:g}): "
                             "Newton's method from there does not converge")
        sweep = Sweep.over(compiled, lr, opts, axes)
        x, y = track(sweep, (ex, ey)) if sweep.moves else (np.full(sweep.shape, ex), np.full(sweep.shape, ey))
        jac = _jacobian(sweep, x, y)
        found = np.all(np.isfinite(jac), axis=(-2, -1))
        m = method.update_map(np.where(found[..., None, None], jac, 0.0), sweep.lr, sweep.opts)
        radius = np.where(found, spectral_radius(m), np.nan)
    return {"x": np.asarray(axes[0][1], dtype=float), "y": np.asarray(axes[1][1], dtype=float),
            "axis_x": axes[0][0], "axis_y": axes[1][0], "spectral_radius": radius,
            "equilibrium": [ex, ey], "tracked": sweep.moves, "lost": int(np.count_nonzero(~found))}
