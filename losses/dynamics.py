"""Optimisers as data: a name -> Method table whose entries share one signature.

Every discrete method is a step function ``step(field, p, g, lr, mem, opts) ->
(p', mem')``. ``p`` is a tuple of blocks, floats or arrays of any shape (one 2D
point, a grid of start points stepped together, a network's weights), ``g`` =
v(p) block by block, already computed, ``lr`` one rate per block, ``mem`` the
method's own memory (momentum, Adam moments, the previous gradient), ``opts``
its declared options. ``field`` answers ``grad(p)``, ``jtv(p, g)`` (J^T g, for
consensus), ``players`` (which blocks each player owns, for alternating
updates) and ``project(p)`` (onto the game's bounds, if it declares any):
:class:`PointField` for one 2D run, :class:`GridField` for a grid of starts
stepped together (:mod:`losses.basins`). A new method is one step function, its
update map linearised at an equilibrium (:mod:`losses.linear`, ``None`` where
there is none) and one row of :data:`METHODS_TABLE`. One driver,
:func:`_iterate`, runs them all and decides when to stop, so no loop ever asks
which method it is running. ``flow`` is the exception that proves the rule: the
continuous-time gradient flow dp/dt = -v is integrated accurately (LSODA,
which copes with stiff losses such as Rosenbrock) and sampled at t = k * lr, so
it is the lr -> 0 limit of ``gd``; it has its own runner with the same result.
The analytic Jacobian and rtol 1e-9 keep it within 1e-9 of the matrix exponential on a quadratic
and drift 4e-8 by t = 100 (4e-7 by t = 1000) on the bilinear game's unit circle, while costing 7x less than
rtol 1e-10 on Rosenbrock (32 ms vs 234 ms, 1000 samples).

A game's bounds (a WGAN's weight clipping) are a projection after every step of every discrete
method, applied by the driver, so no step function knows of them; the points inside one step
(alternating's y_steps > 1, extragradient's look-ahead) are not projected. The flow ignores
bounds, and its answers say so (``projected``).

A run stops the moment it must, and says why (Playground users were left with
unexplained NaN): ``converged`` when |v| < 1e-8 near a stationary point,
``stalled`` when |v| < 1e-8 on a plateau far from one, ``diverged`` when a
coordinate is non-finite or |p| > 1e6 or v is no longer finite, ``max_steps``
after ``steps`` steps, ``time_limit`` if the wall-clock budget ran out first.
The point where it stopped is included, so ``points`` has steps + 1 entries
only when the run was not stopped early.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.integrate import solve_ivp

from . import linear
from .magnitude import DEFAULT_THRESHOLDS, Thresholds
from .params import Param, resolve

CONVERGED, STALLED, DIVERGED, MAX_STEPS, TIME_LIMIT = "converged", "stalled", "diverged", "max_steps", "time_limit"
STATUSES = {
    CONVERGED: "The gradient vanished (|v| < 1e-8) at a stationary point: training reached it.",
    STALLED: "The gradient vanished (|v| < 1e-8) far from any stationary point: a plateau, such as a "
             "saturated discriminator leaves the generator on. Training stops without having arrived.",
    DIVERGED: "The iterate left every bound (|p| > 1e6) or stopped being a finite number, or (for the flow) "
              "the integrator could not go on: |v| blew up or the system became too stiff to follow.",
    MAX_STEPS: "All requested steps were taken without converging or diverging.",
    TIME_LIMIT: "The server's time budget for one run ran out first.",
}
CONVERGE_BELOW = 1e-8
DIVERGE_ABOVE = 1e6
# The flow of log(x) reaches x = 0 in finite time with |v| -> inf, and an integrator creeping up to
# that wall would spend the whole budget there: past this |v| the flow has blown up (diverged).
FLOW_BLOWS_UP = 1e12
FLOW_CHUNK_TIME = 20.0
FLOW_CALL_S = 0.25  # a full chunk's slice of the budget before it is split
FLOW_CALL_MIN_S = 0.02
# Where |v| < 1e-8, a Newton step |J^+ v| says how far the stationary point still is: ~|v| / eigenvalue
# near a real one, but ~1/k on the exponentially flat tail of a saturated sigmoid, however small v is.
STATIONARY_WITHIN = 1e-3


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    description: str
    kinds: tuple[str, ...]  # the kinds for which the page offers it
    options: tuple[Param, ...] = ()
    step: Callable | None = None
    runner: Callable | None = field(default=None, repr=False)
    needs_jacobian: bool = False  # steps with J (consensus): refused for a field too big to differentiate
    # (J, rates, opts) -> the update map's Jacobian at an equilibrium (:mod:`losses.linear`); None: none exists
    update_jacobian: Callable | None = field(default=None, repr=False)
    # why a method has no update map, said where one is asked for
    no_update_map: str = ""

    @property
    def projects(self) -> bool:
        """Whether it honours a game's bounds: every discrete method does, the flow does not."""
        return self.step is not None

    def update_map(self, J, lr, opts: dict):
        """M at an equilibrium with Jacobian J (shape (..., 2, 2)); lr and the options may be arrays of shape (...)."""
        per_block = np.stack(np.broadcast_arrays(*rates(PointField, np.asarray(lr, dtype=float), opts)), axis=-1)
        return self.update_jacobian(np.asarray(J, dtype=float), per_block, opts)

    def resolve(self, overrides: dict | None = None) -> dict:
        """Declared options with defaults; unknown names or out-of-range values raise ValueError."""
        return resolve(self.options, overrides, f"method {self.name!r}", noun="option")

    def describe(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "kinds": list(self.kinds),
            "options": [o.describe() for o in self.options],
            "projects": self.projects,
            "update_map": self.update_jacobian is not None,
        }


# -- step functions: one signature, on blocks of any shape ------------------------------
# A point is a tuple of blocks: (x, y) of floats for one run, (X, Y) of arrays for a grid of starts
# stepped together, or a network's weight arrays. ``lr`` is a tuple too, one rate per block (two time
# scales give y's blocks their own). Only arithmetic operators and ** 0.5 touch a block, so floats
# stay floats (a run of 10,000 steps pays no NumPy call overhead) and arrays stay arrays.

def _gd(field, p, g, lr, mem, opts):
    return tuple(pi - li * gi for pi, li, gi in zip(p, lr, g)), mem


def _alternating(field, p, g, lr, mem, opts):
    first, second = field.players
    q = list(p)
    for i in first:
        q[i] = q[i] - lr[i] * g[i]
    for _ in range(opts["y_steps"]):
        fresh = field.grad(tuple(q))
        for i in second:
            q[i] = q[i] - lr[i] * fresh[i]
    return tuple(q), mem


def _momentum(field, p, g, lr, mem, opts):
    b = opts["beta"]
    m = tuple(b * mi + gi for mi, gi in zip(mem, g)) if mem else g
    return tuple(pi - li * mi for pi, li, mi in zip(p, lr, m)), m


def _adam(field, p, g, lr, mem, opts):
    b1, b2, eps = opts["beta1"], opts["beta2"], opts["eps"]
    t, m, s = mem or (0, tuple(0 * gi for gi in g), tuple(0 * gi for gi in g))
    t += 1
    m = tuple(b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g))
    s = tuple(b2 * si + (1 - b2) * gi * gi for si, gi in zip(s, g))
    c1, c2 = 1 - b1**t, 1 - b2**t
    return tuple(pi - li * (mi / c1) / ((si / c2) ** 0.5 + eps) for pi, li, mi, si in zip(p, lr, m, s)), (t, m, s)


def _extragradient(field, p, g, lr, mem, opts):
    ahead = field.grad(tuple(pi - li * gi for pi, li, gi in zip(p, lr, g)))
    return tuple(pi - li * ai for pi, li, ai in zip(p, lr, ahead)), mem


def _optimistic(field, p, g, lr, mem, opts):
    prev = mem or g
    return tuple(pi - li * (2 * gi - qi) for pi, li, gi, qi in zip(p, lr, g, prev)), g


def _consensus(field, p, g, lr, mem, opts):
    # v + gamma J^T v is the gradient of (1/2)|v|^2 added to v: it pulls toward where v vanishes,
    # which damps the rotation that keeps simultaneous gd circling (Mescheder et al., 2017).
    gamma = opts["consensus"]
    pull = field.jtv(p, g)
    return tuple(pi - li * (gi + gamma * hi) for pi, li, gi, hi in zip(p, lr, g, pull)), mem


def rates(field, lr: float, opts: dict) -> tuple:
    """One learning rate per block: the second player's (y's) times lr_ratio where a method takes one."""
    ratio = opts.get("lr_ratio", 1.0)
    later = {i for player in field.players[1:] for i in player}
    return tuple(lr * ratio if i in later else lr for i in range(field.blocks))


class PointField:
    """A compiled 2D problem as the step functions see it: one point, blocks (x, y) of floats."""

    players = ((0,), (1,))
    blocks = 2

    def __init__(self, compiled):
        self.compiled = compiled
        problem = compiled.problem
        self.box = problem.game.box(problem.values)  # None, or ((x_lo, x_hi), (y_lo, y_hi))

    def grad(self, p):
        return self.compiled.grad(p[0], p[1])

    def jtv(self, p, g):
        """J(p)^T g, the gradient of |v|^2 / 2 when g = v(p)."""
        j = self.compiled.jacobian_at(p[0], p[1])
        return (j[0, 0] * g[0] + j[1, 0] * g[1], j[0, 1] * g[0] + j[1, 1] * g[1])

    def project(self, p):
        """p on the game's bounds (NaN stays NaN, as np.clip keeps it); p itself if there are none."""
        if self.box is None:
            return p
        return tuple(min(max(u, lo), hi) if u == u else u for u, (lo, hi) in zip(p, self.box))


class GridField(PointField):
    """Many starts stepped together: blocks (X, Y) are arrays of any one shape, the same step functions."""

    def grad(self, p):
        _, gx, gy = self.compiled.field(p[0], p[1])
        return (gx, gy)

    def jtv(self, p, g):
        j = self.compiled.jacobian_grid(p[0], p[1])
        return (j[0, 0] * g[0] + j[1, 0] * g[1], j[0, 1] * g[0] + j[1, 1] * g[1])

    def project(self, p):
        if self.box is None:
            return p
        return tuple(np.clip(u, lo, hi) for u, (lo, hi) in zip(p, self.box))


# -- runners ----------------------------------------------------------------------

def _stop_reason(p, g, value):
    """Why a run must stop at p (g = v(p), value = the loss there), or None to go on.

    A finite gradient where the loss itself is undefined (log(x) at x < 0 has
    derivative 1/x) still means the run left the loss's domain: diverged."""
    if not (math.isfinite(p[0]) and math.isfinite(p[1])) or math.hypot(*p) > DIVERGE_ABOVE:
        return DIVERGED
    if not (math.isfinite(g[0]) and math.isfinite(g[1]) and math.isfinite(value)):
        return DIVERGED
    if math.hypot(*g) < CONVERGE_BELOW:
        return CONVERGED
    return None


class _Run:
    """The samples of one run, and the rule for when it must stop."""

    def __init__(self, compiled):
        self.compiled = compiled
        self.points, self.grads, self.values = [], [], []

    def visit(self, p):
        """Record p; return why the run must stop there, or None."""
        value, gx, gy = self.compiled.value_grad(*p)
        g = (gx, gy)
        self.points.append(p)
        self.grads.append(g)
        self.values.append(value)
        reason = _stop_reason(p, g, value)
        return STALLED if reason == CONVERGED and not self._near_stationary(p, g) else reason

    def _near_stationary(self, p, g) -> bool:
        if not self.compiled.shared.exact_jacobian:
            return True  # no Jacobian to judge by: trust |v|
        """Whether the point where v vanished is (within 1e-3 of) a stationary point, not a plateau.

        Scaling the loss scales v and J alike, so the Newton distance does not depend on the gradient
        scale, where the 1e-8 test alone would stop a run at scale 0.001 1000 times farther out."""
        j = self.compiled.jacobian_at(*p)
        if not np.all(np.isfinite(j)):
            return True  # no Jacobian to judge by: trust |v|
        step = np.linalg.lstsq(j, np.asarray(g), rcond=None)[0]
        return float(np.hypot(*step)) <= STATIONARY_WITHIN * max(1.0, math.hypot(*p))


def _iterate(method, run, p0, lr, steps, opts, deadline):
    mem = None
    field = PointField(run.compiled)
    lrs = rates(field, lr, opts)
    status = run.visit(p0)
    for k in range(steps):
        if status:
            break
        if k % 256 == 255 and time.perf_counter() > deadline:
            return TIME_LIMIT
        try:
            p, mem = method.step(field, run.points[-1], run.grads[-1], lrs, mem, opts)
        except OverflowError:
            p = (math.nan, math.nan)
        status = run.visit(field.project(p))
    return status or MAX_STEPS


class _Stop(Exception):
    """Raised from inside the integrator, which has no other way out: the run must end with ``status``."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


def _flow(method, run, p0, lr, steps, opts, deadline):
    """Integrate dp/dt = -v(p) and sample it at t = k * lr, within the budget however v behaves.

    One LSODA call can spend seconds where v stops being smooth: creeping up to the wall of
    log(x) at x = 0, where |v| -> inf in finite time, or chattering across the kink of abs(x).
    The right-hand side stops such a call, when |v| passes FLOW_BLOWS_UP or is not a number (the
    flow left the loss's domain) or the call overruns its slice of the budget, and the chunk is
    tried again an eighth as long, from the last sample kept: so every sample before the wall or
    the kink is kept, and the run ends diverged (at the wall) or at the time limit (stuck at a kink)
    exactly where a one-sample chunk still cannot get through. Chunks grow back after a success."""
    grad = run.compiled.grad
    limit = [deadline]  # this call's slice of the budget

    def rhs(t, p):
        if time.perf_counter() > limit[0]:
            raise _Stop(TIME_LIMIT)
        vx, vy = grad(p[0], p[1])
        if not (math.isfinite(vx) and math.isfinite(vy)) or math.hypot(vx, vy) > FLOW_BLOWS_UP:
            raise _Stop(DIVERGED)
        return (-vx, -vy)

    def jacobian(t, p):
        return -run.compiled.jacobian_at(p[0], p[1])

    def escape(t, p):
        return DIVERGE_ABOVE - math.hypot(p[0], p[1])

    escape.terminal = True
    status = run.visit(p0)
    # At most 200 samples and 20 time units a call: a long orbit at lr = 100 is many short calls.
    k, most = 0, max(1, min(200, int(FLOW_CHUNK_TIME / lr)))
    chunk = most
    while not status and k < steps:
        now = time.perf_counter()
        if now > deadline:
            return TIME_LIMIT
        n = min(chunk, steps - k)
        # a call's slice grows with its length, so closing in on a kink costs ~0.3 s, not a slice a try
        limit[0] = deadline if n == 1 else min(deadline, now + max(FLOW_CALL_MIN_S, FLOW_CALL_S * n / most))
        t_eval = lr * np.arange(k, k + n + 1)
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # LSODA's complaints end up in the status, not the log
                sol = solve_ivp(rhs, (t_eval[0], t_eval[-1]), run.points[-1], method="LSODA", t_eval=t_eval,
                                jac=jacobian if run.compiled.shared.exact_jacobian else None, rtol=1e-9, atol=1e-11, events=escape)
        except _Stop as stop:
            if n == 1:
                return stop.status
            chunk = max(1, n // 8)  # close in on where it blew up or stuck, keeping what came before
            continue
        except (ValueError, ArithmeticError):  # SciPy's own refusal of what v became: the flow broke down
            return DIVERGED
        chunk = min(most, 2 * chunk)
        # a solver that failed at once hands back y as an empty list, not an array
        samples = np.asarray(sol.y, dtype=float).reshape(2, -1).T[1:]
        for q in samples:
            k += 1
            status = run.visit((float(q[0]), float(q[1])))
            if status:
                break
        if not status and (sol.status != 0 or len(samples) < n):
            status = DIVERGED  # the solver failed or the escape event fired: the flow blew up
    return status or MAX_STEPS


# y's learning rate as a multiple of x's: GANs often give the discriminator its own (Heusel et al.,
# 2017, two time-scale updates). Neither it nor more discriminator steps per generator step stops
# the bilinear game from circling, which is the point of offering them.
LR_RATIO = Param("lr_ratio", 1.0, 0.01, 100.0, "y's learning rate as a multiple of x's (two time scales)",
                  label="y's learning rate ÷ x's")
Y_STEPS = Param("y_steps", 1, 1, 20, "y's steps for each step of x, as a GAN's discriminator often takes", step=1,
                 label="y steps per x step")

METHODS_TABLE = (
    Method("gd", "Gradient descent (simultaneous)",
           "Both players step at once along -v: p <- p - lr v.", ("minimize", "game", "pair"), (LR_RATIO,),
           step=_gd, runner=_iterate, update_jacobian=linear.gd),
    Method("momentum", "Momentum (heavy ball)",
           "Accumulates past gradients: m <- beta m + v, p <- p - lr m.", ("minimize", "game", "pair"),
           (Param("beta", 0.9, 0.0, 0.999, "momentum coefficient"),), step=_momentum, runner=_iterate,
           update_jacobian=linear.momentum),
    Method("adam", "Adam",
           "Per-coordinate steps scaled by running moments of the gradient (Kingma and Ba, 2015).",
           ("minimize", "game", "pair"),
           (Param("beta1", 0.9, 0.0, 0.999), Param("beta2", 0.999, 0.0, 0.99999), Param("eps", 1e-8, 1e-12, 1e-2)),
           step=_adam, runner=_iterate,
           no_update_map=linear.ADAM),
    Method("flow", "Gradient flow (continuous time)",
           "The lr -> 0 limit: dp/dt = -v integrated accurately and sampled at t = k lr.",
           ("minimize", "game", "pair"), runner=_flow, update_jacobian=linear.flow),
    Method("alternating", "Alternating descent-ascent",
           "x steps first, then y steps using the fresh x.", ("game", "pair"), (LR_RATIO, Y_STEPS),
           step=_alternating, runner=_iterate, update_jacobian=linear.alternating),
    Method("extragradient", "Extragradient",
           "Look ahead one step, then step from the start with the gradient found there (Korpelevich, 1976).",
           ("game", "pair"), step=_extragradient, runner=_iterate, update_jacobian=linear.extragradient),
    Method("optimistic", "Optimistic gradient (OGDA)",
           "Step with 2 v_k - v_(k-1): extrapolates from the previous gradient (Daskalakis et al., 2018).",
           ("game", "pair"), step=_optimistic, runner=_iterate, update_jacobian=linear.optimistic),
    Method("consensus", "Consensus optimization",
           "Step along v + gamma J^T v: adds the gradient of |v|^2 / 2, which damps the players' rotation "
           "(Mescheder et al., 2017).", ("game", "pair"),
           (Param("consensus", 0.5, 0.0, 10.0, "weight gamma of the |v|^2 / 2 term", label="consensus weight γ"),),
           step=_consensus, runner=_iterate, needs_jacobian=True, update_jacobian=linear.consensus),
)
METHODS = {m.name: m for m in METHODS_TABLE}


def trajectory(method: Method, compiled, start, lr: float, steps: int, options: dict | None = None,
               thresholds: Thresholds = DEFAULT_THRESHOLDS, budget_s: float = 2.0) -> dict:
    """Run ``method`` from ``start``; points, loss values, magnitudes, classes and status."""
    opts = method.resolve(options)
    if method.needs_jacobian and not compiled.shared.exact_jacobian:
        raise compiled.shared.too_complex(f"the method {method.name!r}")
    start = (float(start[0]), float(start[1]))
    deadline = time.perf_counter() + budget_s
    run = _Run(compiled)
    status = method.runner(method, run, start, float(lr), int(steps), opts, deadline)
    magnitudes = [math.hypot(*g) if math.isfinite(g[0]) and math.isfinite(g[1]) else math.nan for g in run.grads]
    out = {
        "points": [list(p) for p in run.points],
        "values": run.values,
        "magnitudes": magnitudes,
        "classes": [thresholds.classify(m) for m in magnitudes],
        "status": status,
    }
    box = compiled.problem.game.box(compiled.problem.values)
    if box is not None:  # a game with bounds: which ones, and whether this method kept to them
        out.update(bounds=[list(side) for side in box], projected=method.projects)
    return out
