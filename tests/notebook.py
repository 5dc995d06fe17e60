"""The Dirac-GAN notebook's conventions typed again from its formulas (Mescheder et al., 2018,
LMescheder/GAN_stability, notebooks/diracgan/): the independent reference for losses/dirac.py.

Nothing here imports the project. Its vector fields are *ascent* directions in (theta, psi): the
notebook steps p + h v, and ours must be minus them. f(t) = -log(1 + e^-t), so f'(t) = sigmoid(-t)
and f''(t) = -sigmoid(t) sigmoid(-t). Where the notebook averages 1000 random noise draws, the
expectations here are adaptive quadratures (scipy.integrate.quad) of the same integrands.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import quad


def sigmoid(t):
    return 1 / (1 + math.exp(-t)) if t >= 0 else math.exp(t) / (1 + math.exp(t))


def fp(t):
    return sigmoid(-t)


def fpp(t):
    return -sigmoid(t) * sigmoid(-t)


def gan(theta, psi, reg=0.0):
    return -psi * fp(psi * theta), theta * fp(psi * theta) - reg * psi


def nsgan(theta, psi, reg=0.0):
    return -psi * fp(-psi * theta), theta * fp(psi * theta) - reg * psi


def wgan(theta, psi):
    return -psi, theta


def wgan_gp(theta, psi, reg=1.0, target=0.3):
    return -psi, theta - reg * (abs(psi) - target) * np.sign(psi)


def gaussian(g) -> float:
    """E[g(e)] for e ~ N(0, 1), adaptively, to 1e-13."""
    density = lambda e: g(e) * math.exp(-e * e / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    return quad(density, -14, 14, epsabs=1e-14, epsrel=1e-13, limit=400, points=[0.0])[0]


def instance_noise(theta, psi, std=1.0):
    """The notebook's noisy GAN with its 1000-sample means replaced by the expectations they estimate."""
    v1 = gaussian(lambda e: -psi * fp(psi * (theta + std * e)))
    v2 = (gaussian(lambda e: (theta + std * e) * fp(psi * (theta + std * e)))
          - gaussian(lambda e: std * e * fp(-std * e * psi)))
    return v1, v2


def consensus(theta, psi, reg=0.3):
    """The GAN with consensus optimisation: its field minus reg times the gradient of |v|^2 / 2, where
    |v|^2 / 2 = (psi^2 + theta^2) f'(psi theta)^2 / 2. (The notebook's GAN_Consensus halves the second
    term of this gradient, (psi^2 + theta^2) f' f'' times psi or theta; this is the gradient itself.)"""
    v1, v2 = gan(theta, psi)
    r = (psi**2 + theta**2) * fp(psi * theta) * fpp(psi * theta)
    return (v1 - reg * (theta * fp(psi * theta) ** 2 + psi * r),
            v2 - reg * (psi * fp(psi * theta) ** 2 + theta * r))


def clip(psi, bound):
    return min(max(psi, -bound), bound)


def simultaneous(field, theta, psi, steps, h, project=lambda psi: psi):
    """The notebook's simultaneous updates: both players step along the field at the same point."""
    out = [(theta, psi)]
    for _ in range(steps):
        v1, v2 = field(theta, psi)
        theta, psi = theta + h * v1, project(psi + h * v2)
        out.append((theta, psi))
    return out


def alternating(field, theta, psi, steps, h, d_steps=1, project=lambda psi: psi):
    """The notebook's alternating updates: the generator steps, then the discriminator d_steps times."""
    out = [(theta, psi)]
    for _ in range(steps):
        theta = theta + h * field(theta, psi)[0]
        for _ in range(d_steps):
            psi = project(psi + h * field(theta, psi)[1])
        out.append((theta, psi))
    return out
