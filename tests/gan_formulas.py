"""A GAN's losses and penalties written out again by hand, in NumPy, from the papers' formulas,
and differences of the engine's forward alone: the independent references the GAN tests use.

Nothing here imports the trainer, the loss table or the input-gradient code."""

from __future__ import annotations

import numpy as np


def _p(s):
    return 1 / (1 + np.exp(-s))


# (D's loss, G's loss) from the probabilities D = sigmoid(s), as Goodfellow et al. (2014) write them,
# and the critic's value as Arjovsky et al. (2017) do
LOSSES = {
    "minimax": (lambda r, f: -np.mean(np.log(_p(r))) - np.mean(np.log(1 - _p(f))), lambda f: np.mean(np.log(1 - _p(f)))),
    "nonsaturating": (lambda r, f: -np.mean(np.log(_p(r))) - np.mean(np.log(1 - _p(f))),
                      lambda f: -np.mean(np.log(_p(f)))),
    "wasserstein": (lambda r, f: np.mean(f) - np.mean(r), lambda f: -np.mean(f)),
}
PENALTIES = {  # of the input gradients g (one row per point) and the weight
    "none": lambda g, w: 0.0,
    "gp": lambda g, w: w * np.mean((np.sqrt((g * g).sum(axis=1)) - 1) ** 2),
    "r1": lambda g, w: w / 2 * np.mean((g * g).sum(axis=1)),
}


def stencil(f, h):
    """f'(0) by the fourth-order central stencil: error ~h^4 f^(5), rounding ~1e-16 |f| / h."""
    return (f(-2 * h) - 8 * f(-h) + 8 * f(h) - f(2 * h)) / (12 * h)


def input_gradient_fd(s, x, h=1e-3):
    """grad_x s at every row of x by the stencil, from evaluations of s alone (s maps rows to rows)."""
    n, d = x.shape
    offsets = np.array([-2, -1, 1, 2]) * h
    rows = x[None, None] + offsets[:, None, None, None] * np.eye(d)[None, :, None, :]  # (4, d, n, d)
    v = np.asarray(s(rows.reshape(-1, d))).reshape(4, d, n)
    return ((v[0] - 8 * v[1] + 8 * v[2] - v[3]) / (12 * h)).T


def gradient_fd(f, flat, h):
    """The stencil's gradient of f(flat) in every entry of the flat vector."""
    g = np.zeros_like(flat)
    for i in range(len(flat)):
        def moved(t):
            y = flat.copy()
            y[i] += t
            return f(y)
        g[i] = stencil(moved, h)
    return g
