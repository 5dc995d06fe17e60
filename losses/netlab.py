"""The deep-network lab: train a :mod:`losses.network` MLP on a :mod:`losses.tasks` task and record
how the gradient flows through it, layer by layer, step by step.

**Settings** are declared once, in :data:`NETWORK_PARAMS` (:class:`losses.params.Param` rows with
bounds, defaults and labels; the API hands them to the page and the OpenAPI document as they are).
:func:`train` takes them through :func:`losses.params.resolve`, so an unknown key or a value out of
bounds raises ValueError naming the setting. The method's own options (beta, Adam's moments) are
the method's, declared in :data:`losses.dynamics.METHODS`, and are resolved by it.

**Optimisers are the product's.** :class:`Trainer` calls ``method.step(field, p, g, lr, mem, opts)``
from :data:`losses.dynamics.METHODS`, and no update is written out a second time here. The step
functions are elementwise over blocks, so the whole network goes to them as one block: a flat
float64 vector. The named blocks of :mod:`losses.network` are views into that vector. The result is
bit for bit what a tuple of 2 (depth + 1) blocks would give (a test holds it), with one NumPy call
per operation in place of 2 (depth + 1) of them: at depth 20, an Adam step costs 0.13 ms instead of
0.38 ms. The gradient handed to a step is a copy, because momentum keeps it as its memory and
the next backward writes into the same buffer.

**A step k** draws batch k, runs forward and backward at the parameters after k updates, then
updates. Step 0 (before any update), every ``record``-th step and the last step are recorded. At a
recorded step the lab keeps, for each layer from input to output:

* the weight gradient's norm, RMS, mean, std and magnitude class, and its |g| histogram on the fixed
  bins. All of these come from :func:`losses.gradstats.gradient_stats`, the same function the
  "your own model" view uses.
* the bias gradient's norm.
* ``signal_norm``, the backward signal at the layer's output, taken as the mean over the batch of
  per-example norms: mean_i ||B dL/dh_i||. L is the batch mean of the examples' losses, so B dL/dh_i
  = d(sum_j l_j)/dh_i, which without batch norm is example i's own loss gradient at its own hidden
  vector. Unlike the norm of the B x width matrix dL/dh, this does not shrink like 1/sqrt(B) as the
  batch grows. The output layer's entry is mean_i |dl_i/ds_i|, which is |sigmoid(s) - y| under
  cross-entropy.
* ``saturated``, only for activations that saturate (sigmoid, tanh), otherwise None. It is the
  share of (example, unit) pairs in the batch with f'(u) < :data:`SATURATED_BELOW` = 0.01. That
  number equals the product's default vanishing threshold, but it measures something else. The
  threshold classes a gradient's absolute size. This one is a per-layer factor: a saturated unit
  passes less than 1% of the signal that reaches it, so two such layers in a row cut it 10^4-fold
  whatever its size was. It is declared on its own, so moving the vanishing threshold does not move it.
* ``dead``, only for relu and leaky_relu, otherwise None. It is the share of the layer's units whose
  pre-activation u is <= 0 for every example in the batch. For relu such a unit outputs 0 and passes
  no gradient, so its own weights get exactly zero gradient. Only a change in the layers below can
  bring it back. For leaky_relu the same units are counted by the same rule, but they still pass
  0.01 of the signal and learn on: read them as dormant rather than dead.
* the batch's training loss, the one whose gradient the rest describe.

**A run stops** with ``diverged`` at the first step k whose loss, gradient or parameters are not
finite. Step k is recorded too, with None where a number is not finite, and diverged_at = k. Otherwise
it stops with ``max_steps`` after ``steps`` updates, or with ``time_limit`` once ``budget_s`` is spent
(the step it stopped at is recorded). The decision boundary p(x) on the task's grid (2D), or the
fitted curve (1D), is drawn from the final parameters. Batch norm is then in evaluation mode, with
every unit's mean and variance taken over the whole training set: the exact figures that PyTorch's
running averages estimate.

**Determinism.** The data, the initial weights and the batch order each come from their own
``default_rng((seed, stream))``, so the same settings and seed give bit-identical numbers (on
one NumPy and BLAS build: another BLAS may sum a product in another order), and changing
``batch`` does not change the data set. Batches are taken without replacement from a
reshuffled permutation each epoch, with an incomplete last batch dropped. A batch larger than the
data set is the whole data set.

A new setting is one ``Param`` in :data:`NETWORK_PARAMS`. A new per-layer statistic is one
entry in :meth:`_Record.add` (and its list in :func:`_layer_row`).
"""

from __future__ import annotations

import math
import time

import numpy as np

from .activations import ACTIVATIONS
from .dynamics import DIVERGED, MAX_STEPS, METHODS, METHODS_TABLE, TIME_LIMIT, rates
from .gradstats import HISTOGRAM_EDGES, gradient_stats, histogram_bins
from .magnitude import DEFAULT_THRESHOLDS, Thresholds
from .network import DEPTH_RANGE, GAIN_RANGE, INITS, NORMS, WIDTH_RANGE, Pass, backward, build, forward, \
    init, norm_statistics, views
from .params import choice, integer, number, resolve
from .tasks import TASKS

SATURATED_BELOW = 0.01
_DATA, _INIT, _BATCHES = 0, 1, 2  # the random streams a seed feeds
RESIDUAL = {"off": False, "on": True}
# The methods the 2D views offer for minimising and that take discrete steps: gd, momentum, adam.
NETWORK_METHODS = tuple(m.name for m in METHODS_TABLE if m.step is not None and "minimize" in m.kinds)
WEIGHT_STATS = ("norm", "rms", "mean", "std", "class")

NETWORK_PARAMS = (
    choice("task", "moons", tuple(TASKS), "the data set and its loss", label="task"),
    integer("samples", 256, 16, 1024, "size of the training set", label="training examples"),
    number("noise", 0.1, 0.0, 1.0, "standard deviation of the noise added to the data", label="noise"),
    integer("depth", 4, *DEPTH_RANGE, "number of hidden layers", label="hidden layers"),
    integer("width", 16, *WIDTH_RANGE, "units in each hidden layer", label="units per layer"),
    choice("activation", "tanh", tuple(ACTIVATIONS), "the hidden layers' activation", label="activation"),
    choice("init", "standard", tuple(INITS), "how the weights are drawn", label="initialisation"),
    number("gain", 1.0, *GAIN_RANGE, "the scaled normal init's gain g: W ~ N(0, g^2 / fan_in)", label="init gain"),
    choice("norm", "none", tuple(NORMS), "normalisation between each affine map and its activation",
           label="normalisation"),
    choice("residual", "off", tuple(RESIDUAL), "h <- h + f(norm(W h + b)) in hidden layers of equal width",
           label="residual connections"),
    choice("method", "adam", NETWORK_METHODS, "the optimiser", label="optimiser"),
    number("lr", 0.01, 0.0, 10.0, "learning rate", label="learning rate", exclusive_min=True),
    integer("steps", 500, 0, 5000, "number of updates", label="steps"),
    integer("batch", 64, 2, 1024, "examples per mini-batch (at most the training set)", label="batch size"),
    integer("record", 10, 1, 5000, "record the statistics every this many steps", label="record every"),
    integer("seed", 0, 0, 2**31 - 1, "seeds the data, the initial weights and the batch order", label="seed"),
)


def describe() -> dict:
    """What the page needs to build the lab's inputs and read its answer: the settings, a label and a
    sentence for every choice, the methods' own options, the histogram's bins and the saturation cut."""
    return {
        "params": [p.describe() for p in NETWORK_PARAMS],
        "activations": [a.describe() for a in ACTIVATIONS.values()],
        "inits": [{"name": i.name, "label": i.label, "description": i.description, "uses_gain": i.uses_gain}
                  for i in INITS.values()],
        "norms": [{"name": n.name, "label": n.label, "description": n.description} for n in NORMS.values()],
        "tasks": [t.describe() for t in TASKS.values()],
        "methods": [METHODS[m].describe() for m in NETWORK_METHODS],
        "histogram_edges": list(HISTOGRAM_EDGES),
        "histogram_bins": histogram_bins(),
        "saturated_below": SATURATED_BELOW,
    }


class _Batches:
    """Mini-batch indices: a fresh permutation each epoch, an incomplete last batch dropped."""

    def __init__(self, rng: np.random.Generator, n: int, batch: int):
        self.rng, self.n, self.batch = rng, n, min(batch, n)
        self.order, self.pos = rng.permutation(n), 0

    def next(self) -> np.ndarray:
        if self.pos + self.batch > self.n:
            self.order, self.pos = self.rng.permutation(self.n), 0
        self.pos += self.batch
        return self.order[self.pos - self.batch:self.pos]


class _Field:
    """The network as dynamics' step functions see it: one player owning one block, the flat vector."""

    players = ((0,),)
    blocks = 1

    def __init__(self, trainer: "Trainer"):
        self.trainer = trainer

    def grad(self, p):
        return (self.trainer.gradient_at(p[0]),)


class Trainer:
    """One run's state: data, network, flat parameters (and their named views), optimiser memory.

    ``evaluate()`` draws the next batch and writes its gradient into ``grads``; ``update()`` takes
    one optimiser step from it. :func:`train` alternates the two; tests drive them directly."""

    def __init__(self, settings: dict | None = None, options: dict | None = None):
        cfg = self.settings = resolve(NETWORK_PARAMS, settings, "network lab", noun="setting")
        seed = cfg["seed"]
        self.task = TASKS[cfg["task"]]
        self.x, y = self.task.data(np.random.default_rng((seed, _DATA)), cfg["samples"], cfg["noise"])
        self.y = y[:, None]
        self.net = build(self.task.input_dim, cfg["depth"], cfg["width"], cfg["activation"], cfg["norm"],
                         RESIDUAL[cfg["residual"]])
        blocks = init(self.net, np.random.default_rng((seed, _INIT)), cfg["init"], cfg["gain"])
        self.flat = np.concatenate([b.ravel() for b in blocks])
        self.params = views(self.net, self.flat)
        self.flat_grad = np.zeros_like(self.flat)
        self.grads = views(self.net, self.flat_grad)
        self.batches = _Batches(np.random.default_rng((seed, _BATCHES)), len(self.x), cfg["batch"])
        self.method = METHODS[cfg["method"]]
        self.options = self.method.resolve(options)
        self.field = _Field(self)
        self.lrs = rates(self.field, cfg["lr"], self.options)
        self.memory = None
        self.batch = None
        self.work = Pass(self.net, self.batches.batch)  # reused by every step's forward and backward

    def evaluate(self):
        """Forward and backward on the next batch; returns (loss, pass, signals)."""
        idx = self.batches.next()
        self.batch = (self.x[idx], self.y[idx])
        return self._gradient(self.params, self.grads, self.work)

    def _gradient(self, params, grads, work=None):
        x, y = self.batch
        p = forward(self.net, params, x, into=work)
        loss, d_output = self.task.loss.value_grad(p.output, y)
        _, signals = backward(self.net, params, p, d_output, out=grads)
        return loss, p, signals

    def gradient_at(self, flat: np.ndarray) -> np.ndarray:
        """The current batch's gradient at other parameters (for a method that looks ahead)."""
        g = np.zeros_like(flat)
        self._gradient(views(self.net, flat), views(self.net, g))
        return g

    def finite(self, loss: float) -> bool:
        """Whether the loss, the gradient and the parameters are all finite (a sum that overflows
        counts as not: entries past ~1e304 are no run worth going on with)."""
        return math.isfinite(loss) and math.isfinite(self.flat_grad.sum()) and math.isfinite(self.flat.sum())

    def update(self) -> None:
        (p,), self.memory = self.method.step(self.field, (self.flat,), (self.flat_grad.copy(),), self.lrs,
                                             self.memory, self.options)
        self.flat[...] = p  # in place, so the named views stay valid


def _layer_row(layer) -> dict:
    return {
        "name": layer.name,
        "weight_grad": {k: [] for k in WEIGHT_STATS},
        "bias_grad_norm": [],
        "signal_norm": [],
        "saturated": [] if layer.activation.saturates else None,
        "dead": [] if layer.activation.dies else None,
        "histogram": {"edges": list(HISTOGRAM_EDGES), "counts": []},
    }


def _finite(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def signal_norm(signal: np.ndarray) -> float | None:
    """mean_i ||B dL/dh_i|| = sum_i ||dL/dh_i|| over the batch's rows (see the module docstring)."""
    return _finite(np.sqrt((signal * signal).sum(axis=1)).sum())


def saturated_fraction(activation, u: np.ndarray) -> float:
    return float(np.mean(activation.der(u) < SATURATED_BELOW))


def dead_fraction(u: np.ndarray) -> float:
    return float(np.mean(np.all(u <= 0, axis=0)))


class _Record:
    """The recorded steps' numbers, as lists ready for JSON."""

    def __init__(self, net, thresholds: Thresholds):
        self.net, self.thresholds = net, thresholds
        self.steps, self.loss = [], []
        self.layers = [_layer_row(layer) for layer in net.layers]

    def add(self, k: int, trainer: Trainer, loss: float, p, signals) -> None:
        stats = gradient_stats(dict(zip(self.net.names, trainer.grads)), self.thresholds)
        self.steps.append(k)
        self.loss.append(_finite(loss))
        for j, (layer, signal, row) in enumerate(zip(self.net.layers, signals, self.layers)):
            w = stats[f"{layer.name}.weight"]
            for key in WEIGHT_STATS:
                row["weight_grad"][key].append(w[key])
            row["bias_grad_norm"].append(stats[f"{layer.name}.bias"]["norm"])
            row["signal_norm"].append(signal_norm(signal))
            row["histogram"]["counts"].append(w["histogram"])
            if row["saturated"] is not None:
                row["saturated"].append(saturated_fraction(layer.activation, p.u(j)))
            if row["dead"] is not None:
                row["dead"].append(dead_fraction(p.u(j)))


def _listed(a: np.ndarray) -> list:
    """A nested list with None where ``a`` is not finite."""
    out = np.asarray(a, dtype=float).astype(object)
    out[~np.isfinite(a)] = None
    return out.tolist()


def drawing(trainer: Trainer) -> dict:
    """The decision boundary p(x) on the task's grid (2D: p[i][j] at y[i], x[j]) or the fitted curve (1D)."""
    net, params, task = trainer.net, trainer.params, trainer.task
    frozen = norm_statistics(net, forward(net, params, trainer.x))
    axes, points = task.grid()
    out = task.loss.predict(forward(net, params, points, frozen=frozen).output)[:, 0]
    if task.input_dim == 2:
        return {"x": axes[0].tolist(), "y": axes[1].tolist(), "p": _listed(out.reshape(len(axes[1]), len(axes[0])))}
    return {"x": axes[0].tolist(), "y": _listed(out)}


def train(settings: dict | None = None, options: dict | None = None, *, budget_s: float = 2.0,
          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """One training run, recorded; a JSON-ready dict (see the module docstring and the report)."""
    trainer = Trainer(settings, options)
    record = _Record(trainer.net, thresholds)
    steps, every = trainer.settings["steps"], trainer.settings["record"]
    deadline = time.perf_counter() + budget_s
    status, diverged_at = MAX_STEPS, None
    with np.errstate(all="ignore"):  # a diverging run ends up in the status, not the log
        for k in range(steps + 1):
            loss, p, signals = trainer.evaluate()
            broken = not trainer.finite(loss)
            late = time.perf_counter() > deadline
            if broken or late or k % every == 0 or k == steps:
                record.add(k, trainer, loss, p, signals)
            if broken:
                status, diverged_at = DIVERGED, k
                break
            if k == steps:
                break
            if late:
                status = TIME_LIMIT
                break
            trainer.update()
        boundary = drawing(trainer)
    return {
        "layers": record.layers,
        "steps": record.steps,
        "loss": record.loss,
        "status": status,
        "diverged_at": diverged_at,
        "boundary": boundary,
        "data": {"x": trainer.x.tolist(), "y": trainer.y[:, 0].tolist()},
        "settings": trainer.settings,
        "options": trainer.options,
    }
