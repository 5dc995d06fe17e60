"""The Dirac-GAN family of Mescheder, Geiger and Nowozin (2018), one catalog entry per variant.

The Dirac-GAN is the smallest GAN that shows why GAN training does or does not converge: the
generator x = theta puts all its mass at theta, the real data sit at 0, and the discriminator
scores a point t by D(t) = psi t with y = psi. With f(t) = log sigmoid(t) = -log(1 + e^-t) the game
is L(theta, psi) = f(D(theta)) + f(-D(0)); the generator minimises L, the discriminator maximises
it. Each variant changes one thing (the generator's loss, f, a penalty, noise, clipping), and
each is a :class:`~losses.game.Game` built here from the pieces below, so the catalog lists
them and nothing downstream knows they are GANs.

Conventions, checked against the notebook ``notebooks/diracgan/gans.py`` (tests/test_dirac.py):
its vector fields are ascent directions (it steps p + h v); ours is v = (df_x/dx, df_y/dy) and
we step p - lr v, so our v is minus its field at every point and our J is minus the paper's
Jacobian. An equilibrium attracts when J's eigenvalues have positive real parts here, where the
paper prints their negatives. The constant f(0) the real data add to L moves no gradient and is
left out. A new variant is one builder returning a Game and one entry in :data:`FAMILY`; its
description should say who minimises what and what its own terms do to the equilibrium.
"""

from __future__ import annotations

import sympy

from .functions import absval, softplus
from .game import GAME, PAIR, Game, X, Y
from .noise import expected_logsigmoid
from .params import Param

VIEW = ((-2.0, 2.0), (-2.0, 2.0))


def _p(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


def log_sigmoid(t: sympy.Expr) -> sympy.Expr:
    """The paper's f for the original GAN: f(t) = -log(1 + e^-t) = log sigmoid(t)."""
    return -softplus(-t)


# Conventions every description states, written once.
AXES = ("x = θ is the generator's point mass, y = ψ the discriminator's weight; the real data sit at 0 and "
        "the discriminator scores a point t by D(t) = ψ t, a high score meaning fake, so ψ > 0 marks t > 0 as "
        "the fakes' side: ψ points from the data toward the generated point.")
PROBABILITY = "σ(ψ t) is the probability the discriminator gives t of being fake, σ(-ψ t) of being real."
ATTRACTING = ("v is minus the field of Mescheder's notebook (it steps p + h v, we step p - lr v), so J is minus "
              "the paper's Jacobian: an equilibrium attracts when J's eigenvalues have positive real parts; the "
              "paper prints their negatives.")

GAMMA = Param("gamma", 0.0, 0.0, 2.0, "R1 penalty weight: (γ/2) ψ² on the discriminator, its gradient at the data")
_gamma = _p("gamma")
R1_EIGENVALUES = ("J at the equilibrium (0, 0) is [[0, 1/2], [-1/2, γ]], with eigenvalues γ/2 ± sqrt(γ²/4 - 1/4): "
                  "±i/2 without the penalty, where simultaneous gd spirals out by sqrt(1 + lr²/4) a step and "
                  "alternating gd circles; any γ > 0 gives them positive real parts and training converges for a "
                  "small lr; γ = 1 is critical (a double eigenvalue 1/2).")


# What opening a member of the family sets: at lr 0.1, t = 40, about three turns of the rotation
# at eigenvalues +-i/2, enough to see the unregularised spiral open (by about 1.65 in radius).
SPIRAL = (("steps", 400),)


def _describe(*parts: str) -> str:
    return " ".join(parts)


def gan() -> Game:
    return Game(
        id="dirac-gan",
        title="Dirac-GAN (Mescheder et al., 2018)",
        kind=GAME,
        expr=log_sigmoid(X * Y) - _gamma / 2 * Y**2,
        params=(GAMMA,),
        view=VIEW,
        scene=SPIRAL,
        description=_describe(
            "The original GAN on one point: L = f(ψθ) - (γ/2)ψ² with f(t) = log σ(t), the R1 penalty on the "
            "discriminator. The generator x minimises L, log σ(ψθ) = log(1 - σ(-ψθ)): the saturating loss, log "
            "of one minus the probability that its sample is real; the discriminator y maximises it.",
            R1_EIGENVALUES, AXES, PROBABILITY, ATTRACTING),
    )


def nsgan() -> Game:
    return Game(
        id="dirac-nsgan",
        title="Dirac-GAN, non-saturating generator loss",
        kind=PAIR,
        expr=softplus(X * Y),
        expr_y=softplus(-X * Y) + _gamma / 2 * Y**2,
        params=(GAMMA,),
        view=VIEW,
        description=_describe(
            "A general-sum game: the generator x minimises -f(-ψθ) = -log σ(-ψθ) = softplus(ψθ), minus the "
            "log-probability that its sample is real; the discriminator y minimises -f(ψθ) + (γ/2)ψ² = "
            "softplus(-ψθ) + (γ/2)ψ². Far from the equilibrium the generator's gradient does not saturate, yet "
            "near it nothing changes:", R1_EIGENVALUES, AXES, PROBABILITY, ATTRACTING),
    )


def wgan() -> Game:
    clip = _p("clip")
    return Game(
        id="dirac-wgan",
        title="Dirac-WGAN with weight clipping",
        kind=GAME,
        expr=X * Y,
        params=(Param("clip", 0.3, 0.01, 2.0, "weight clipping: ψ is projected onto [-clip, clip] after every step",
                      latex=r"\operatorname{clip}"),),
        view=VIEW,
        bounds=((None, None), (-clip, clip)),
        description=_describe(
            "WGAN: f(t) = t, so L = D(θ) - D(0) = ψθ; the critic y maximises its score on the fake minus its score "
            "on the real data, the generator x minimises it. Weight clipping projects ψ back onto [-clip, clip] "
            "after every step of every discrete method; the continuous flow ignores it. J = [[0, 1], [-1, 0]] has "
            "eigenvalues ±i: gd spirals out until the clip holds ψ, then keeps circling, and alternating gd "
            "circles: training does not converge to (0, 0). Consensus optimisation does.", AXES, ATTRACTING),
    )


def wgan_gp() -> Game:
    lam, target = _p("lam"), _p("target")
    return Game(
        id="dirac-wgan-gp",
        title="Dirac-WGAN-GP",
        kind=GAME,
        expr=X * Y - lam / 2 * (absval(Y) - target) ** 2,
        params=(Param("lam", 1.0, 0.0, 10.0, "gradient-penalty weight λ", latex=r"\lambda"),
                Param("target", 0.3, 0.0, 2.0, "the norm the penalty pulls |∇D| = |ψ| toward",
                      latex=r"\operatorname{target}")),
        view=VIEW,
        description=_describe(
            "WGAN-GP: L = ψθ - (λ/2)(|ψ| - target)², which the generator x minimises and the critic y maximises, "
            "its gradient |∇D| = |ψ| pulled toward target. The "
            "penalty pushes ψ away from 0, toward ±target, and at ψ = 0 it has no derivative (v is undefined "
            "there, and a run started on it stops at once): no equilibrium has v defined, and training circles "
            "around (0, 0) without converging, as the paper shows.", AXES, ATTRACTING),
    )


def instance_noise() -> Game:
    sigma = _p("sigma")
    noisy = expected_logsigmoid  # E_e[log sigmoid(a + b e)], e ~ N(0, 1), by Gauss-Hermite quadrature
    return Game(
        id="dirac-instance-noise",
        title="Dirac-GAN with instance noise",
        kind=GAME,
        # fake sample theta + sigma e1 scored psi (theta + sigma e1); real sample sigma e2 enters as f(-psi sigma e2)
        expr=noisy(X * Y, sigma * Y) + noisy(sympy.S.Zero, -sigma * Y),
        params=(Param("sigma", 1.0, 0.0, 2.0, "std of the Gaussian noise added to real and fake samples"),),
        view=VIEW,
        description=_describe(
            "The GAN with instance noise: real and fake samples get N(0, σ²) noise before the discriminator sees "
            "them, L = E[f(ψ(θ + σε₁))] + E[f(-ψσε₂)], the generator x minimising it, the discriminator y "
            "maximising it. With G(a, b) = E[log σ(a + bε)] (Ga, Gb its partials), L = G(ψθ, σψ) + G(0, -σψ): "
            "Gauss–Hermite quadratures (300 nodes, within 1e-9 on this view for σ ≤ 2), never samples. J at "
            "(0, 0) is [[0, 1/2], [-1/2, σ²/2]]: the R1 Jacobian with γ = σ²/2, eigenvalues "
            "σ²/4 ± sqrt(σ⁴/16 - 1/4), critical at σ = sqrt(2).", AXES, PROBABILITY, ATTRACTING),
    )


FAMILY = (gan(), nsgan(), wgan(), wgan_gp(), instance_noise())
