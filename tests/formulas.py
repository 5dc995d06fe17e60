"""The catalog written out again by hand, in NumPy, from the formulas the README and the papers give.

Nothing here imports the project: these are the independent references the compiled gradients,
the worked example and the trajectories are held to. Each entry is (f(x, y, **params), kind): a
loss both players descend, or a zero-sum game in which x descends f and y ascends it.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(t):
    return 1 / (1 + np.exp(-t))


def _logit(x, y, k):
    # the discriminator's logit on the generated sample (x, y); the real data sit at the origin
    return k * (1 - np.sqrt(1 + x**2 + y**2))


FORMULAS = {
    "toy-discriminator": (lambda x, y, c=0.5: (x - 1) ** 2 + (y + 0.5) ** 2 + c * x * y, "minimize"),
    "bilinear-game": (lambda x, y: x * y, "game"),
    "saddle": (lambda x, y: x**2 - y**2, "minimize"),
    "rosenbrock": (lambda x, y, a=1.0, b=100.0: (a - x) ** 2 + b * (y - x**2) ** 2, "minimize"),
    # Mescheder et al. (2018): f = h(theta psi) with h(t) = -log(1 + e^-t), R1 penalty gamma/2 psi^2 on D
    "dirac-gan": (lambda x, y, gamma=0.0: -np.log(1 + np.exp(-x * y)) - gamma / 2 * y**2, "game"),
    "gan-saturating": (lambda x, y, k=6.0: np.log(1 - _sigmoid(_logit(x, y, k))), "minimize"),
    "gan-nonsaturating": (lambda x, y, k=6.0: -np.log(_sigmoid(_logit(x, y, k))), "minimize"),
    # critic weights (x, y); real data at (1, 0), fake at (-1, 0); penalty on |grad D| = |(x, y)|
    "wgan-critic": (lambda x, y, lam=1.0: (x * -1 + y * 0) - (x * 1 + y * 0)  # D(fake) - D(real)
                    + lam * (np.sqrt(x**2 + y**2) - 1) ** 2, "minimize"),
    "deep-chain": (lambda x, y, depth=8, decay=0.001: (x * y**depth - 1) ** 2 + decay * (x**2 + y**2), "minimize"),
}


def central(f, x, y, h=1e-6):
    """(df/dx, df/dy) by central differences."""
    return (f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)


def field(loss_id, x, y, scale=1.0, **params):
    """(value, (vx, vy)) of a catalog loss: v = grad L, or (df/dx, -df/dy) for a game."""
    f, kind = FORMULAS[loss_id]
    scaled = lambda u, w: scale * f(u, w, **params)  # noqa: E731
    dx, dy = central(scaled, x, y)
    return scaled(x, y), (dx, -dy if kind == "game" else dy)
