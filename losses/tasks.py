"""Learning tasks as data: a name -> :class:`Task` table for the deep-network lab.

A task is made of five things. It has a generator of its data set, which draws everything from the
NumPy Generator it is handed, so one seed always gives the same points. It declares its input
dimension and a loss with that loss's derivative with respect to the network's output. It has a
window, over which :meth:`Task.grid` lays out the points where the lab draws the decision boundary
(2D) or the fitted curve (1D). Nothing here knows about networks: the lab runs the network on the
points and the task turns outputs into a loss or a prediction.

The four 2D classification tasks have labels in {0, 1}, a single logit s and binary cross-entropy,
taken from the logit. Both the value and the derivative come out exact for any s:

    L = mean(softplus(s) - y s),    softplus(s) = max(s, 0) + log1p(exp(-|s|)),
    dL/ds_i = (sigmoid(s_i) - y_i) / B

log(sigmoid(s)) would give log(0) = -inf from s = -745 on, where this form gives -s. The 1D
``regression`` task fits y = sin(3x) + noise with the squared error of ``torch.nn.MSELoss``,
L = mean((s - y)^2), so dL/ds_i = 2 (s_i - y_i) / B.

A new task is one row of :data:`TASKS_TABLE`: ``make(rng, n, noise) -> (x of shape (n, d), y of
shape (n,))``, its input dimension d, a loss row (:data:`LOSSES`) and a window, one (low, high) per
input coordinate. A new loss is one :class:`Loss` row: ``value_grad(s, y) -> (L, dL/ds)`` for outputs
and targets shaped (B, 1), and ``predict(s)``, the number that is drawn (a probability, a fitted value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import sigmoid

GRID_2D = 41  # points along each axis of the decision-boundary grid
GRID_1D = 201  # points along the fitted curve


@dataclass(frozen=True)
class Loss:
    name: str
    label: str
    value_grad: Callable  # (s, y), both (B, 1) -> (mean loss, dL/ds of shape (B, 1))
    predict: Callable  # s -> what the page draws: p(y = 1 | x) or the fitted value


def _bce(s, y):
    softplus = np.maximum(s, 0.0) + np.log1p(np.exp(-np.abs(s)))
    return float(np.mean(softplus - y * s)), (sigmoid(s) - y) / s.shape[0]


def _squared(s, y):
    r = s - y
    return float(np.mean(r * r)), (2.0 / s.shape[0]) * r


def _identity(s):
    return s


LOSSES = {
    "bce": Loss("bce", "Binary cross-entropy (from the logit)", _bce, sigmoid),
    "squared": Loss("squared", "Squared error (mean, as torch.nn.MSELoss)", _squared, _identity),
}


@dataclass(frozen=True)
class Task:
    name: str
    label: str
    description: str
    input_dim: int
    loss: Loss
    window: tuple[tuple[float, float], ...]  # (low, high) per input coordinate
    make: Callable  # (rng, n, noise) -> (x (n, d), y (n,))

    def data(self, rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
        """``n`` examples: inputs (n, input_dim) and targets (n,), float64, from ``rng`` alone."""
        x, y = self.make(rng, n, noise)
        return np.ascontiguousarray(x, dtype=float), np.asarray(y, dtype=float)

    def grid(self) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
        """The axes of the drawing grid and its points, (m, input_dim), x varying fastest."""
        n = GRID_2D if self.input_dim == 2 else GRID_1D
        axes = tuple(np.linspace(lo, hi, n) for lo, hi in self.window)
        mesh = np.meshgrid(*axes)  # for 2D, mesh[k][i, j] is at y = axes[1][i], x = axes[0][j]
        return axes, np.column_stack([m.ravel() for m in mesh])

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "description": self.description,
                "input_dim": self.input_dim, "loss": self.loss.name, "window": [list(w) for w in self.window]}


def _split(n):
    return n // 2, n - n // 2


def _moons(rng, n, noise):
    n0, n1 = _split(n)
    t0, t1 = rng.uniform(0.0, math.pi, n0), rng.uniform(0.0, math.pi, n1)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    x = np.vstack([outer, inner]) - [0.5, 0.25] + rng.normal(0.0, noise, (n, 2))
    return x, np.r_[np.zeros(n0), np.ones(n1)]


def _circles(rng, n, noise):
    n0, n1 = _split(n)
    t = rng.uniform(0.0, 2.0 * math.pi, n)
    r = np.r_[np.full(n0, 1.0), np.full(n1, 0.5)]
    x = np.column_stack([r * np.cos(t), r * np.sin(t)]) + rng.normal(0.0, noise, (n, 2))
    return x, np.r_[np.zeros(n0), np.ones(n1)]


def _spiral(rng, n, noise):
    n0, n1 = _split(n)
    r = rng.uniform(0.05, 1.0, n)
    arm = np.r_[np.zeros(n0), np.ones(n1)]
    t = 1.75 * 2.0 * math.pi * r + math.pi * arm  # two arms, half a turn apart (as Playground's)
    x = np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.normal(0.0, noise, (n, 2))
    return x, arm


def _xor(rng, n, noise):
    p = rng.uniform(-1.0, 1.0, (n, 2))
    y = (p[:, 0] * p[:, 1] > 0).astype(float)  # labelled before the noise: the quadrants are the truth
    return p + rng.normal(0.0, noise, (n, 2)), y


def _sine(rng, n, noise):
    x = rng.uniform(-1.0, 1.0, n)
    return x[:, None], np.sin(3.0 * x) + rng.normal(0.0, noise, n)


_SQUARE = ((-1.5, 1.5), (-1.5, 1.5))
TASKS_TABLE = (
    Task("moons", "Two moons", "Two interleaved half circles.", 2, LOSSES["bce"], ((-2.0, 2.0), (-1.5, 1.5)),
         _moons),
    Task("circles", "Circles", "A disc of radius 0.5 (label 1) inside a ring of radius 1 (label 0).", 2,
         LOSSES["bce"], _SQUARE, _circles),
    Task("spiral", "Spiral", "Two spiral arms winding 1.75 turns, half a turn apart.", 2, LOSSES["bce"],
         _SQUARE, _spiral),
    Task("xor", "XOR", "Label 1 in the first and third quadrants of [-1, 1]^2.", 2, LOSSES["bce"], _SQUARE, _xor),
    Task("regression", "Regression: sin(3x)", "y = sin(3x) + noise for x in [-1, 1], squared error.", 1,
         LOSSES["squared"], ((-1.25, 1.25),), _sine),
)
TASKS = {t.name: t for t in TASKS_TABLE}
