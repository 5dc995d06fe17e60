"""Each method's update map linearised at an equilibrium: the matrix whose eigenvalues decide it.

Continuous-time eigenvalues do not decide whether a discrete method converges: gd on a game whose
J has eigenvalues +-i/2 spirals out at every lr. What does is the update map itself. A method
steps its state s (the point p, and for momentum and optimistic also their memory) by
s' = U(s); at an equilibrium p* (v(p*) = 0, the memory at rest) U is linear to first order,
s' - s* = M (s - s*), and the method converges from close enough exactly when every eigenvalue of
M lies inside the unit circle (spectral radius < 1).

The derivations, with J = dv/dp at p* and L = diag(l_x, l_y) the per-block rates (lr, and lr times
lr_ratio for y where the method takes it, :func:`losses.dynamics.rates`):

* gd, p' = p - L v(p): M = I - L J.
* alternating: x steps, then y steps ``y_steps`` times with the fresh x. Each half-step changes one
  coordinate only, H_x = I - e_x e_x^T L J and H_y = I - e_y e_y^T L J, so M = H_y^k H_x.
* extragradient, p' = p - L v(p - L v(p)): v(p - L v(p)) = J (I - L J) dp to first order, so
  M = I - L J + (L J)^2 (I - lr J + lr^2 J^2 at one rate).
* momentum, m' = beta m + v(p), p' = p - L m': on the stacked state (p, m),
  M = [[I - L J, -beta L], [J, beta I]]. Its first step starts from m = 0, the same map.
* optimistic, p' = p - L (2 v(p) - q), q' = v(p) (q the previous gradient): on (p, q),
  M = [[I - 2 L J, L], [J, 0]].
* consensus, p' = p - L (v + gamma J(p)^T v): d/dp [J(p)^T v(p)] = J^T J + (dJ^T/dp) v, and v = 0
  at p*, so M = I - L (J + gamma J^T J).
* flow: sampled every lr it is exactly the map p(t + lr) = e^(-lr J) p(t) of the linearised flow.
* adam has none (:data:`ADAM`): its step divides by sqrt(s) + eps with s the running mean of v^2,
  and at rest s = 0, where sqrt is not differentiable; and its bias corrections 1 - beta^t make the
  map change with t. Near an equilibrium it is sign descent with steps of lr / eps, not a linear map.

Every function broadcasts: J of shape (..., 2, 2), rates of shape (..., 2), options floats or
arrays of shape (...), so a phase diagram computes a whole sweep in one call. A new method's row
in :data:`losses.dynamics.METHODS_TABLE` needs its own function here, derived from its step at
v = 0, and a finite-difference test of that step function (tests/test_linear.py).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm

I2 = np.eye(2)
ADAM = ("Adam's update has no linearisation at an equilibrium: it divides by the square root of the running "
        "mean of v^2, which is 0 there, where the root is not differentiable, and its bias corrections make the "
        "map change with the step count.")


def _scalar(u) -> np.ndarray:
    """An option or rate, float or array of the sweep's shape, as a factor on (..., 2, 2) matrices."""
    return np.asarray(u, dtype=float)[..., None, None]


def _scaled(J, rates):
    """L J: row i of J times block i's rate."""
    return np.asarray(rates, dtype=float)[..., :, None] * J


def _stack(a, b, c, d) -> np.ndarray:
    """[[a, b], [c, d]] from (..., 2, 2) blocks, broadcast to one batch shape."""
    a, b, c, d = np.broadcast_arrays(a, b, c, d)
    return np.concatenate([np.concatenate([a, b], -1), np.concatenate([c, d], -1)], -2)


def gd(J, rates, opts):
    return I2 - _scaled(J, rates)


def _half_step(J, rates, row: int):
    """I - e_row e_row^T L J: one player's step, the other coordinate left as it is."""
    h = np.array(np.broadcast_to(I2, np.broadcast_shapes(J.shape, np.shape(rates)[:-1] + (2, 2))))
    h[..., row, :] -= _scaled(J, rates)[..., row, :]
    return h


def alternating(J, rates, opts):
    hx, hy = _half_step(J, rates, 0), _half_step(J, rates, 1)
    k = np.asarray(opts["y_steps"])
    out, power = np.array(hx), np.array(np.broadcast_to(I2, hy.shape))
    for n in range(1, int(np.max(k)) + 1):  # y_steps may vary across a sweep: keep H_y^n where k == n
        power = hy @ power
        out = np.where((k == n)[..., None, None], power @ hx, out)
    return out


def extragradient(J, rates, opts):
    a = _scaled(J, rates)
    return I2 - a + a @ a


def _diagonal(rates):
    """L itself, as (..., 2, 2) matrices."""
    return np.asarray(rates, dtype=float)[..., :, None] * I2


def momentum(J, rates, opts):
    beta = _scalar(opts["beta"])
    return _stack(I2 - _scaled(J, rates), -beta * _diagonal(rates), J, beta * I2)


def optimistic(J, rates, opts):
    return _stack(I2 - 2 * _scaled(J, rates), _diagonal(rates), J, np.zeros_like(J))


def consensus(J, rates, opts):
    return I2 - _scaled(J + _scalar(opts["consensus"]) * (np.swapaxes(J, -1, -2) @ J), rates)


def flow(J, rates, opts):
    return expm(-_scalar(np.asarray(rates, dtype=float)[..., 0]) * J)
