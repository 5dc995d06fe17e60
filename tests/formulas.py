"""The catalog written out again by hand, in NumPy, from the formulas the README and the papers give.

Nothing here imports the project: these are the independent references the compiled gradients,
the worked example and the trajectories are held to. Each entry is (f(x, y, **params), kind): a
loss both players descend, or a zero-sum game in which x descends f and y ascends it; or, for a
general-sum pair, ((f_x, f_y), "pair"), each player descending its own.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(t):
    return 1 / (1 + np.exp(-t))


def _log_sigmoid(t):
    return -np.logaddexp(0.0, -t)


# e ~ N(0, 1) by the probabilists' Gauss-Hermite rule (weight exp(-e^2 / 2)), 350 nodes (NumPy's weights overflow
# past ~370): for instance noise
_NOISE_NODES, _NOISE_WEIGHTS = np.polynomial.hermite_e.hermegauss(350)
_NOISE_WEIGHTS = _NOISE_WEIGHTS / np.sqrt(2 * np.pi)


def _noisy(g):
    """E[g(e)] for e ~ N(0, 1)."""
    return float(np.sum(_NOISE_WEIGHTS * g(_NOISE_NODES)))


# G(a, b) = E[log sigmoid(a + b e)] and the partials the worked example prints (Ga, Gb): G_a = E[sigmoid(-t)],
# G_b = E[e sigmoid(-t)] with t = a + b e, since d/dt log sigmoid(t) = sigmoid(-t)
NOISE_FUNCTIONS = {
    "G": lambda a, b: _noisy(lambda e: _log_sigmoid(a + b * e)),
    "Ga": lambda a, b: _noisy(lambda e: _sigmoid(-(a + b * e))),
    "Gb": lambda a, b: _noisy(lambda e: e * _sigmoid(-(a + b * e))),
}


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
    # the non-saturating generator descends -log sigmoid(-psi theta); the discriminator descends -f plus R1
    "dirac-nsgan": ((lambda x, y, gamma=0.0: np.log1p(np.exp(x * y)),
                     lambda x, y, gamma=0.0: np.log1p(np.exp(-x * y)) + gamma / 2 * y**2), "pair"),
    "dirac-wgan": (lambda x, y, clip=0.3: x * y, "game"),  # f(t) = t; the clipping is a projection, not a term
    "dirac-wgan-gp": (lambda x, y, lam=1.0, target=0.3: x * y - lam / 2 * (np.abs(y) - target) ** 2, "game"),
    # f(psi (theta + sigma e1)) + f(-psi sigma e2), e1 and e2 independent standard normals
    "dirac-instance-noise": (lambda x, y, sigma=1.0: _noisy(lambda e: _log_sigmoid(y * (x + sigma * e)))
                             + _noisy(lambda e: _log_sigmoid(-y * sigma * e)), "game"),
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


def values(loss_id, x, y, scale=1.0, **params):
    """The functions as the catalog gives them at (x, y), scaled: (L,), (f,) or (f_x, f_y)."""
    f, kind = FORMULAS[loss_id]
    return tuple(scale * g(x, y, **params) for g in (f if kind == "pair" else (f,)))


def field(loss_id, x, y, scale=1.0, **params):
    """(value, (vx, vy)) of a catalog loss: v = grad L, (df/dx, -df/dy) for a game, (df_x/dx, df_y/dy) for a pair."""
    f, kind = FORMULAS[loss_id]
    fx, fy = f if kind == "pair" else (f, f)
    scaled_x = lambda u, w: scale * fx(u, w, **params)  # noqa: E731
    scaled_y = lambda u, w: scale * fy(u, w, **params)  # noqa: E731
    dx, dy = central(scaled_x, x, y)[0], central(scaled_y, x, y)[1]
    return scaled_x(x, y), (dx, -dy if kind == "game" else dy)
