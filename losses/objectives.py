"""A GAN's losses and penalties as data: two tables the trainer looks rows up in, never names.

The discriminator D is a network with a scalar output s(x), a logit. For the two classic losses
D(x) = sigmoid(s) is D's probability that x is real; for the Wasserstein loss s itself is the
critic's value. With s_r = s(x) on a real batch and s_f = s(G(z)) on a generated one, and
softplus(t) = log(1 + e^t) (so -log sigmoid(t) = softplus(-t), -log(1 - sigmoid(t)) = softplus(t)):

    minimax        D: mean softplus(-s_r) + mean softplus(s_f)    G: -mean softplus(s_f) = mean log(1 - D(G(z)))
    nonsaturating  D: the same                                      G: mean softplus(-s_f) = -mean log D(G(z))
    wasserstein    D: mean s_f - mean s_r                           G: -mean s_f

**Why the minimax generator's gradient vanishes.** d/ds_f of log(1 - sigmoid(s_f)) is -sigmoid(s_f)
= -D(G(z)): where D is sure a sample is fake, D(G(z)) -> 0 and so does the generator's signal, by the
factor D itself. The non-saturating loss has d/ds_f = -(1 - D(G(z))) -> -1 there instead. The course
notes put it as "grad_x D(x) -> 0 when D is perfect", but grad_x D = D (1 - D) grad_x s holds the same
vanishing factor D for both losses; what differs is the factor each loss puts in front of grad_x s.

**Penalties** act on g = grad_x s, the critic's gradient with respect to its input, at points of
data space (:mod:`losses.inputgrad` gives g and differentiates the penalty back to D's parameters):

    gp    lam mean (|g(x_hat)| - 1)^2 on x_hat = eps x + (1 - eps) x_tilde, eps ~ U(0, 1) per pair of a
          real x and a generated x_tilde (Gulrajani et al., 2017). Two-sided: it pulls |g| to 1, not
          just below it, because the optimal critic has |g| = 1 on the lines between the points the
          optimal transport couples (their Proposition 1); a one-sided max(0, |g| - 1)^2 is
          differentiable too and is the paper's variant, not a smoothness fix.
    r1    gamma/2 mean |g(x)|^2 on the real batch (Mescheder et al., 2018).

Each loss says which penalties it takes, its first being the default: the Wasserstein critic is
unbounded without its penalty, so it takes gp only; the two classic losses take none or r1. Asking
a loss for another penalty is a ValueError that names both.

A new loss is one :class:`Objective` row: ``d_loss(s_r, s_f) -> (value, dvalue/ds_r, dvalue/ds_f)``
and ``g_loss(s_f) -> (value, dvalue/ds_f)``, batch means with their exact derivatives (so each
derivative array carries the 1/B), ``output(s)`` for the picture, its label, and its penalties.
A new penalty is one :class:`Penalty` row: its weight (a Param), ``points(rng, x_real, x_fake)``
where it is evaluated, and ``value_grad(g, weight) -> (value, dvalue/dg)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import sigmoid
from .params import Param, number


def _softplus(t):
    return np.logaddexp(0.0, t)


def _mean(v) -> float:
    return float(np.mean(v))


def _classic_d(s_r, s_f):
    # one pass over t = (-s_r, s_f): the loss is softplus(t) on each half, its derivative sigmoid(t)
    n_r, n_f = len(s_r), len(s_f)
    t = np.concatenate([-s_r, s_f])
    e = np.exp(-np.abs(t))
    loss = np.maximum(t, 0.0) + np.log1p(e)
    sig = np.where(t >= 0, 1.0, e) / (1.0 + e)
    return (_mean(loss[:n_r]) + _mean(loss[n_r:]), -sig[:n_r] / n_r, sig[n_r:] / n_f)


def _minimax_g(s_f):
    return -_mean(_softplus(s_f)), -sigmoid(s_f) / len(s_f)


def _nonsaturating_g(s_f):
    return _mean(_softplus(-s_f)), -sigmoid(-s_f) / len(s_f)


def _wasserstein_d(s_r, s_f):
    return _mean(s_f) - _mean(s_r), np.full_like(s_r, -1.0 / len(s_r)), np.full_like(s_f, 1.0 / len(s_f))


def _wasserstein_g(s_f):
    return -_mean(s_f), np.full_like(s_f, -1.0 / len(s_f))


@dataclass(frozen=True)
class Objective:
    name: str
    label: str
    description: str
    d_loss: Callable
    g_loss: Callable
    output: Callable  # s -> what the picture shows: D(x) = sigmoid(s), or the critic's s
    output_label: str
    penalties: tuple[str, ...]  # the ones it takes; the first is its default

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "description": self.description,
                "output_label": self.output_label, "penalties": list(self.penalties)}


def _identity(s):
    return np.array(s, dtype=float)


OBJECTIVES_TABLE = (
    Objective("minimax", "Minimax (saturating)",
              "G descends log(1 - D(G(z))): its signal is scaled by D(G(z)), which vanishes when D is sure.",
              _classic_d, _minimax_g, sigmoid, "D(x): probability that x is real", ("none", "r1")),
    Objective("nonsaturating", "Non-saturating",
              "G descends -log D(G(z)): the same fixed points, but its signal is scaled by 1 - D(G(z)).",
              _classic_d, _nonsaturating_g, sigmoid, "D(x): probability that x is real", ("none", "r1")),
    Objective("wasserstein", "Wasserstein (WGAN-GP)",
              "D is a critic, s(real) - s(fake) its estimate of the earth mover's distance under the penalty.",
              _wasserstein_d, _wasserstein_g, _identity, "critic value s(x)", ("gp",)),
)
OBJECTIVES = {row.name: row for row in OBJECTIVES_TABLE}


# -- penalties ------------------------------------------------------------------------------------

def _norms(g):
    return np.sqrt((g * g).sum(axis=1, keepdims=True))


def _gp_value_grad(g, lam):
    n = _norms(g)
    unit = np.divide(g, n, out=np.zeros_like(g), where=n > 0)  # |g| has no gradient at 0: take 0 there
    return lam * _mean((n - 1.0) ** 2), 2.0 * lam * (n - 1.0) * unit / len(g)


def _r1_value_grad(g, gamma):
    return 0.5 * gamma * _mean((g * g).sum(axis=1)), gamma * g / len(g)


def _interpolates(rng, x_real, x_fake):
    eps = rng.uniform(size=(len(x_real), 1))
    return eps * x_real + (1.0 - eps) * x_fake


def _on_real(rng, x_real, x_fake):
    return x_real


@dataclass(frozen=True)
class Penalty:
    name: str
    label: str
    description: str
    weight: Param | None = None
    points: Callable | None = None  # (rng, x_real, x_fake) -> where it is evaluated; None: no penalty
    value_grad: Callable | None = None  # (g, weight) -> (value, dvalue/dg)
    interpolates: bool = False  # its points lie between real and fake: the picture draws the segments

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "description": self.description,
                "weight": None if self.weight is None else self.weight.name, "interpolates": self.interpolates}


PENALTIES_TABLE = (
    Penalty("none", "None", "No penalty on D's input gradient."),
    Penalty("gp", "Gradient penalty", "lam mean (|grad D(x_hat)| - 1)^2 on x_hat between real and fake "
            "(Gulrajani et al., 2017).",
            number("lam", 10.0, 0.0, 100.0, "the gradient penalty's weight lambda", label="penalty weight λ"),
            _interpolates, _gp_value_grad, interpolates=True),
    Penalty("r1", "R1", "gamma/2 mean |grad D(x)|^2 on real data (Mescheder et al., 2018).",
            number("gamma", 1.0, 0.0, 100.0, "the R1 penalty's weight gamma", label="R1 weight γ"),
            _on_real, _r1_value_grad),
)
PENALTIES = {row.name: row for row in PENALTIES_TABLE}
WEIGHTS = tuple(row.weight for row in PENALTIES_TABLE if row.weight is not None)


def objective(loss: str, penalty: str | None) -> tuple[Objective, Penalty]:
    """The rows; ValueError names an unknown loss or penalty, or a penalty the loss does not take."""
    if loss not in OBJECTIVES:
        raise ValueError(f"loss must be one of {', '.join(OBJECTIVES)}; got {str(loss)[:40]!r}")
    row = OBJECTIVES[loss]
    penalty = row.penalties[0] if penalty is None else penalty
    if penalty not in PENALTIES:
        raise ValueError(f"penalty must be one of {', '.join(PENALTIES)}; got {str(penalty)[:40]!r}")
    if penalty not in row.penalties:
        raise ValueError(f"penalty {penalty!r} is not one the loss {loss!r} takes: it takes "
                         f"{' or '.join(repr(p) for p in row.penalties)}")
    return row, PENALTIES[penalty]
