"""A GAN trained in data space: two :mod:`losses.network` MLPs, a loss and a penalty from
:mod:`losses.objectives`, data from :mod:`losses.mixtures`, the optimisers of :mod:`losses.dynamics`,
settings from :mod:`losses.gansettings`, what is recorded from :mod:`losses.ganrecord`.

**Players.** The generator G maps z (``z_dim`` coordinates) to data space through ``g_depth``
hidden layers of ``g_width`` units; the discriminator D maps data space to one logit s through
``d_depth`` x ``d_width``. Both use ``activation``, PyTorch's default initialisation and no
normalisation (a batch norm would couple the examples whose input gradients the penalties take).
Each player is one flat float64 vector, stepped by ``method.step`` of
:data:`losses.dynamics.METHODS` exactly as :mod:`losses.netlab` steps a network, with its own
learning rate and optimiser memory. No update is written out here.

**A training step** from the state S_k (after k steps):

1. ``d_steps`` times: draw a real batch and a batch of z, x_fake = G(z); D's loss on the real and
   generated rows stacked (one forward, one backward), plus its penalty by double backprop
   (:mod:`losses.inputgrad`); then D's update.
2. G's loss against D as it now is, on the last batch of z (G has not changed since it drew it, as
   in PyTorch's DCGAN example); its gradient flows back through D's dL/dx into G; G's update.

**Unrolled steps** (``unroll`` = u > 0) put D_u in place of D in step 2: u more updates of D from its
current weights and optimiser memory, on fresh batches, made on a copy that is thrown away
afterwards (Metz et al., 2017). This is the common *surrogate*, not the paper's exact gradient:
G's loss is evaluated against D_u and differentiated through G only, D_u's weights held constant.
The exact gradient adds (dD_u/dtheta_G)^T dL_G/dD_u, which needs the second derivatives of D's loss
(and of Adam's update) through every unrolled step; the paper credits that term with anticipating
D's reaction to G, so the surrogate may show less of the remedy than the paper does.

**Recorded at step k** (k = 0, every ``record``-th and the last; :mod:`losses.ganrecord`): G's
samples on a fixed set of z and D on a grid, both at S_k, with their capture numbers, and the
numbers of the training step taken from S_k: D's loss (penalty included), gradient norm and mean
outputs from D's first evaluation at S_k, G's loss and gradient norm from its evaluation in that
step, and for the gradient penalty the first pairs of D's first batch with |grad_x D(x_hat)|.

**A run stops** with ``diverged`` at the first step k whose losses, gradients or parameters are not
finite (step k is recorded, None where a number is not finite), or with ``max_steps`` after
``steps``. :func:`train` runs one chunk, steps ``first`` to ``last``: it ends ``running`` at ``last``
(ask again from ``next``) or, with ``time_limit``, early when its budget is spent; either way at a
step boundary, so the chunks of a run recorded one after the other are the one long run.

**Determinism.** The display's real samples, G's weights, D's weights, the fixed z and the batches
come from their own ``default_rng((seed, stream))``, and training draws only from the last, in a
fixed order. So the same settings give bit-identical numbers (on one NumPy and BLAS build) whatever
is recorded, and a :class:`State` (both players' weights and optimiser memory, the batch stream's
state, the step) resumes a run exactly where it stopped.

**Where a change goes.** A new setting is one Param in :mod:`losses.gansettings`; a new loss or
penalty is one row of :mod:`losses.objectives` (the trainer calls ``d_loss``, ``g_loss``, ``points``
and ``value_grad`` and never asks which row it has); a new data layout one row of
:mod:`losses.mixtures`; a new optimiser a row of :data:`losses.dynamics.METHODS` whose step does
not look ahead; a new recorded number one list in :mod:`losses.ganrecord`.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass

import numpy as np

from .dynamics import DIVERGED, MAX_STEPS, METHODS, TIME_LIMIT, rates
from .ganrecord import Numbers, Record, Scene
from .gansettings import LATENTS, TRAINING_PARAMS, configure
from .inputgrad import input_gradients, penalty_backward
from .magnitude import DEFAULT_THRESHOLDS, Thresholds
from .mixtures import mixture
from .network import Pass, backward, build, forward, init, views
from .objectives import objective

_REAL, _G_INIT, _D_INIT, _FIXED_Z, _TRAIN = range(5)  # the random streams a seed feeds
RUNNING = "running"
STATUSES = {
    RUNNING: "The chunk ended where it was asked to; the run goes on from step next.",
    MAX_STEPS: "The run took all its steps.",
    DIVERGED: "A loss, a gradient or a weight stopped being a finite number at diverged_at; the run stops there.",
    TIME_LIMIT: "The server's time budget for one request ran out first; ask again from step next.",
}


class _OneBlock:
    """A player as the step functions see it: one block, the flat vector. The methods offered here
    never look ahead, so no gradient is asked for."""

    players = ((0,),)
    blocks = 1


class Player:
    """One network, its parameters and gradient as flat vectors with named views, its optimiser."""

    def __init__(self, net, rng, method, lr: float, options: dict):
        self.net = net
        self.flat = np.concatenate([b.ravel() for b in init(net, rng)])
        self.params = views(net, self.flat)
        self.flat_grad = np.zeros_like(self.flat)
        self.grads = views(net, self.flat_grad)
        self.method, self.options = method, options
        self.lrs = rates(_OneBlock, lr, options)
        self.memory = None

    def update(self) -> None:
        (p,), self.memory = self.method.step(_OneBlock, (self.flat,), (self.flat_grad.copy(),), self.lrs,
                                             self.memory, self.options)
        self.flat[...] = p  # in place: the named views stay valid

    def grad_norm(self) -> float:
        return math.sqrt(float(np.dot(self.flat_grad, self.flat_grad)))

    def save(self) -> tuple:
        return self.flat.copy(), copy.deepcopy(self.memory)

    def load(self, saved: tuple) -> None:
        self.flat[...] = saved[0]
        self.memory = copy.deepcopy(saved[1])


@dataclass(frozen=True)
class State:
    """Everything training depends on at S_step, for the training settings ``key`` names."""
    key: tuple
    step: int
    g: tuple
    d: tuple
    rng: dict


def training_key(settings: dict | None, options: dict | None = None) -> tuple[tuple, tuple]:
    """(what the numbers of training depend on, as a hashable key; :func:`configure`'s answer).
    Two requests with the same key train the same run, whatever they measure."""
    cfg, g_opts, d_opts = configure(settings, options)
    key = (tuple((p.name, cfg[p.name]) for p in TRAINING_PARAMS), tuple(sorted(g_opts.items())),
           tuple(sorted(d_opts.items())))
    return key, (cfg, g_opts, d_opts)


class Run:
    """One run's data, players and batch stream, at S_step."""

    def __init__(self, settings: dict | None = None, options: dict | None = None, state: State | None = None):
        self.key, (cfg, g_opts, d_opts) = training_key(settings, options)
        self.settings, self.options = cfg, {"g": g_opts, "d": d_opts}
        seed, batch = cfg["seed"], cfg["batch"]
        self.mixture = mixture(cfg["data"], cfg["k"], cfg["std"])
        self.objective, self.penalty = objective(cfg["loss"], cfg["penalty"])
        self.weight = cfg[self.penalty.weight.name] if self.penalty.weight is not None else None
        self.latent, self.z_dim = LATENTS[cfg["latent"]], cfg["z_dim"]
        dim = self.mixture.dim
        g_net = build(cfg["z_dim"], cfg["g_depth"], cfg["g_width"], cfg["activation"], output_dim=dim)
        d_net = build(dim, cfg["d_depth"], cfg["d_width"], cfg["activation"])
        self.g = Player(g_net, np.random.default_rng((seed, _G_INIT)), METHODS[cfg["g_method"]], cfg["g_lr"], g_opts)
        self.d = Player(d_net, np.random.default_rng((seed, _D_INIT)), METHODS[cfg["d_method"]], cfg["d_lr"], d_opts)
        self.rng = np.random.default_rng((seed, _TRAIN))
        self.step = 0
        # every batch's arrays, allocated once: G's batch, G's look-ahead batch, D on real and fake
        # stacked, D at the penalty's points, D on G's batch (carried down to dL/dx for G)
        self.g_pass, self.g_look = Pass(g_net, batch), Pass(g_net, batch)
        self.d_pair, self.d_pen, self.d_gen = Pass(d_net, 2 * batch), Pass(d_net, batch), Pass(d_net, batch, 0, True)
        if state is not None:
            self.restore(state)

    def scene(self) -> Scene:
        """What every frame is measured on: the fixed z, the real samples shown and the grid."""
        seed, n = self.settings["seed"], self.settings["samples"]
        return Scene(self.mixture, self.latent.draw(np.random.default_rng((seed, _FIXED_Z)), n, self.z_dim),
                     self.mixture.sample(np.random.default_rng((seed, _REAL)), n), self.settings["grid"])

    # -- state -------------------------------------------------------------------------------

    def state(self) -> State:
        return State(self.key, self.step, self.g.save(), self.d.save(), copy.deepcopy(self.rng.bit_generator.state))

    def restore(self, state: State) -> None:
        if state.key != self.key:
            raise ValueError("the state belongs to other settings")
        self.g.load(state.g)
        self.d.load(state.d)
        self.rng.bit_generator.state = copy.deepcopy(state.rng)
        self.step = state.step

    # -- one training step -----------------------------------------------------------------

    def _fakes(self, into: Pass) -> tuple[np.ndarray, np.ndarray]:
        """A real batch and a generated one (G's pass ``into`` keeps what its backward needs)."""
        batch = self.settings["batch"]
        real = self.mixture.sample(self.rng, batch)
        z = self.latent.draw(self.rng, batch, self.z_dim)
        return real, forward(self.g.net, self.g.params, z, into=into).output

    def _d_gradient(self, real: np.ndarray, fake: np.ndarray, keep: bool) -> Numbers | None:
        """D's loss and penalty on one batch, their gradient into D's buffer; the numbers if ``keep``."""
        d, n = self.d, len(real)
        p = forward(d.net, d.params, np.concatenate([real, fake]), into=self.d_pair)
        s_r, s_f = p.output[:n], p.output[n:]
        loss, d_r, d_f = self.objective.d_loss(s_r, s_f)
        backward(d.net, d.params, p, np.concatenate([d_r, d_f]), out=d.grads)
        value, pairs = 0.0, None
        if self.penalty.points is not None:
            x_p = self.penalty.points(self.rng, real, fake)
            q = forward(d.net, d.params, x_p, into=self.d_pen)
            tape = input_gradients(d.net, d.params, q)
            value, dg = self.penalty.value_grad(tape.g, self.weight)
            for block, extra in zip(d.grads, penalty_backward(d.net, d.params, q, tape, dg)):
                block += extra
            if keep and self.penalty.interpolates:
                pairs = (real, fake.copy(), x_p, np.sqrt((tape.g * tape.g).sum(axis=1)))
        if not keep:
            return None
        out = self.objective.output
        return Numbers(loss + value, value, float(np.mean(out(s_r))), float(np.mean(out(s_f))), d.grad_norm(),
                       pairs=pairs)

    def _g_gradient(self) -> float:
        """G's loss on its last batch against D as it is now, its gradient into G's buffer."""
        d, g = self.d, self.g
        q = forward(d.net, d.params, self.g_pass.output, into=self.d_gen)
        loss, ds = self.objective.g_loss(q.output)
        backward(d.net, d.params, q, ds, param_grads=False)
        backward(g.net, g.params, self.g_pass, q.d_input, out=g.grads)
        return loss

    def train_step(self) -> Numbers:
        """The training step from S_step (module docstring); the numbers it measured."""
        cfg = self.settings
        numbers = None
        for i in range(cfg["d_steps"]):
            real, fake = self._fakes(self.g_pass)
            measured = self._d_gradient(real, fake, keep=i == 0)
            numbers = numbers or measured
            self.d.update()
        saved = self.d.save() if cfg["unroll"] else None
        for _ in range(cfg["unroll"]):
            self._d_gradient(*self._fakes(self.g_look), keep=False)
            self.d.update()
        numbers.g_loss = self._g_gradient()
        numbers.g_grad_norm = self.g.grad_norm()
        if saved is not None:
            self.d.load(saved)
        self.g.update()
        self.step += 1
        return numbers

    def finite(self, numbers: Numbers) -> bool:
        """Whether the step's numbers and both players' weights are finite (a sum that overflows counts as not)."""
        return math.isfinite(numbers.total()) and math.isfinite(self.g.flat.sum() + self.d.flat.sum())


def train(settings: dict | None = None, options: dict | None = None, *, first: int = 0, last: int | None = None,
          state: State | None = None, budget_s: float = 2.0, thresholds: Thresholds = DEFAULT_THRESHOLDS,
          weights: bool = False) -> tuple[dict, State | None]:
    """Steps ``first`` to ``last`` of a run, recorded: (a JSON-ready dict, the state to go on from,
    or None when the run is over). ``state`` (at a step <= ``first``, for the same settings) saves
    replaying the run from its start; the numbers are the same either way."""
    run = Run(settings, options, state)
    steps = run.settings["steps"]
    last = steps if last is None else last
    if not 0 <= first <= last <= steps:
        raise ValueError(f"from and to must satisfy 0 <= from <= to <= steps = {steps}; got from={first}, to={last}")
    if run.step > first:
        raise ValueError("the state is past the chunk's first step")
    record = Record(run.scene(), run.objective, run.penalty, thresholds, run.settings["record"], steps)
    deadline = time.perf_counter() + budget_s
    status, next_step, diverged_at = TIME_LIMIT, first, None
    with np.errstate(all="ignore"):  # a diverging run ends up in the status, not the log
        while run.step < first:  # replay, unrecorded; at least one step a request, so asking again progresses
            if not run.finite(run.train_step()):
                status, next_step, diverged_at = DIVERGED, None, run.step - 1
                break
            if time.perf_counter() > deadline:
                break
        for k in range(first, last + 1) if run.step == first and diverged_at is None else ():
            before = (run.g.flat.copy(), run.d.flat.copy())
            numbers = run.train_step()
            broken = not run.finite(numbers)
            if broken or record.wants(k):
                record.add(k, run.g.net, run.d.net, before, numbers)
            if broken:
                status, next_step, diverged_at = DIVERGED, None, k
            elif k == steps:
                status, next_step = MAX_STEPS, None
            elif k == last:
                status, next_step = RUNNING, k + 1
            elif time.perf_counter() > deadline:
                status, next_step = TIME_LIMIT, k + 1
            else:
                continue
            break
    body = record.body(run.settings, run.options, weights, run.g.net, run.d.net)
    body.update({"from": first, "to": last, "next": next_step, "status": status, "diverged_at": diverged_at})
    return body, (run.state() if next_step is not None else None)
