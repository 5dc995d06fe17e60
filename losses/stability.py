"""Discrete-time stability: does a method, at a learning rate, converge near each equilibrium?

J's eigenvalues say what the continuous flow does; a discrete method does what its update map's
eigenvalues say (:mod:`losses.linear`): near an equilibrium the error is multiplied by M every
step, so the method converges from close enough when the spectral radius of M is below 1 and
moves away when it is above 1. At exactly 1 (within :data:`NEUTRAL_WITHIN`) the linear picture is
neutral: alternating gd on the unregularised Dirac-GAN circles forever, neither in nor out, and
what happens is decided by the terms the linearisation drops.

This module reads the stationary points :func:`losses.analysis.stationary_points` found, and adds
to each what the chosen method does there; it finds nothing itself.
"""

from __future__ import annotations

import numpy as np

NEUTRAL_WITHIN = 1e-9
CONVERGES, DIVERGES, NEUTRAL = "converges", "diverges", "neutral"
VERDICTS = {
    CONVERGES: "Every eigenvalue of the update map lies inside the unit circle: from close enough, this method "
               "at this learning rate converges to the equilibrium.",
    DIVERGES: "An eigenvalue of the update map lies outside the unit circle: this method at this learning rate "
              "moves away from the equilibrium, however close it starts.",
    NEUTRAL: "The largest eigenvalue of the update map lies on the unit circle: to first order the method neither "
             "approaches nor leaves the equilibrium (it circles), and the linear picture cannot say more.",
}


def spectral_radius(m: np.ndarray) -> np.ndarray:
    """max |eigenvalue| of each square matrix of ``m`` (shape (..., k, k)); NaN where m is not finite."""
    m = np.asarray(m, dtype=float)
    finite = np.all(np.isfinite(m), axis=(-2, -1))
    out = np.full(m.shape[:-2], np.nan)
    if finite.any():
        out[finite] = np.max(np.abs(np.linalg.eigvals(m[finite])), axis=-1)
    return out


OVERFLOWS = ("One step of the update map grows some direction past what a number can hold: this method at "
             "this learning rate flies away from the equilibrium at once.")


def verdict(radius: float) -> str:
    if abs(radius - 1.0) <= NEUTRAL_WITHIN:
        return NEUTRAL
    return CONVERGES if radius < 1.0 else DIVERGES


def offered(method) -> None:
    """Raise ValueError, saying why, for a method whose update map has no linearisation."""
    if method.update_jacobian is None:
        raise ValueError(method.no_update_map or f"method {method.name!r} has no update map")


def update(method, jacobian: np.ndarray, lr: float, opts: dict) -> dict:
    """The update map at one equilibrium with Jacobian ``jacobian``: eigenvalues, spectral radius, verdict."""
    offered(method)
    with np.errstate(over="ignore", invalid="ignore"):
        m = method.update_map(jacobian, lr, method.resolve(opts))
    if not np.all(np.isfinite(m)):
        # one step multiplies some direction by more than a float holds (the flow's exp(-lr J) at a
        # large lr on a repelling equilibrium): divergence, with no eigenvalues to send
        return {"eigenvalues": None, "spectral_radius": None, "verdict": DIVERGES, "meaning": OVERFLOWS}
    lams = sorted(np.linalg.eigvals(m), key=lambda z: (z.real, z.imag))
    radius = float(max(abs(z) for z in lams))
    return {"eigenvalues": [[float(z.real), float(z.imag)] for z in lams], "spectral_radius": radius,
            "verdict": verdict(radius), "meaning": VERDICTS[verdict(radius)]}


def with_updates(compiled, points, method, lr: float, opts: dict) -> list[dict]:
    """Each stationary point as the analysis sends it, with ``update`` added."""
    offered(method)
    return [{**s.to_json(), "update": update(method, compiled.jacobian_at(*s.point), lr, opts)} for s in points]
