"""What the page teaches, as data: lessons, each a few sentences and the scenes that show them.

A :class:`Scene` is a partial picture, named by the same keys as the page's state (loss, method,
parameters, steps, points...): what a button opens, and later what a slide of a deck shows. Only
the keys a scene names change; the rest of the picture is kept or reset by the page as it does for
a new loss. A lesson names catalog ids and method names, so the page never does: it builds its
Insights from ``/api/config``. :func:`check` holds every scene to the catalog and the method table
(a test runs it), so a renamed loss or option breaks a test, not a button.

A new lesson is one :class:`Lesson` row in :data:`LESSONS`; its sentences must be true of what the
scenes show (check them in the running page and against the numbers, never against the seeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import CATALOG
from .dynamics import METHODS
from .params import resolve


@dataclass(frozen=True)
class Scene:
    label: str  # the button's words
    loss: str
    method: str | None = None
    params: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    compare: tuple[str, ...] = ()
    lr: float | None = None
    steps: int | None = None
    points: tuple[tuple[float, float], ...] | None = None
    side: tuple["Scene", ...] = ()  # scenes shown beside this one, from the same points on the same axes
    scale: float | None = None  # the gradient scale, where the lesson is about it

    def to_json(self) -> dict:
        state = {"loss": self.loss, "params": dict(self.params), "options": dict(self.options),
                 "compare": list(self.compare)}
        for key in ("method", "lr", "steps", "scale"):
            if getattr(self, key) is not None:
                state[key] = getattr(self, key)
        if self.points is not None:
            state["points"] = [list(p) for p in self.points]
        if self.side:
            state["side"] = [s.to_json()["state"] for s in self.side]
        return {"label": self.label, "state": state}


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    text: tuple[str, ...]  # paragraphs
    scenes: tuple[Scene, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (words, the app's own path): another view that shows it too

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "text": list(self.text),
                "scenes": [s.to_json() for s in self.scenes],
                "links": [{"label": label, "href": href} for label, href in self.links]}


# The Dirac-GAN family of Mescheder et al. (2018), "Which Training Methods for GANs do actually Converge?":
# one lesson per variant (ids "paper-..."), each a single scene from the same start, so the variants can
# be grouped side by side. Every number below is what the engine answers for its scene at lr 0.1 (the
# page's default), from the start (1, 0.5): tests/test_lessons.py reads each one back.
START = ((1.0, 0.5),)
PAPER_PANEL = (
    Lesson(
        "paper-gan", "GAN: it circles, or spirals out",
        ("Unregularised, J's eigenvalues at the equilibrium are ±i/2: simultaneous gd multiplies the distance to it "
         "by √(1 + lr²/4) = 1.0012 a step and spirals out (1.12 → 1.70 in 400 steps), while alternating gd's update "
         "has spectral radius exactly 1 and circles at the same distance (1.12 after 400 steps).",),
        (Scene("GAN, simultaneous gd", "dirac-gan", method="gd", steps=400, points=START),
         Scene("GAN, alternating gd", "dirac-gan", method="alternating", steps=400, points=START)),
    ),
    Lesson(
        "paper-nsgan", "NS-GAN: drawn in, slowly",
        ("The non-saturating generator loss has the same eigenvalues ±i/2 and the same spectral radii at the "
         "equilibrium (1.0012 for gd, 1 for alternating gd), but its generator's gradient does not saturate far "
         "from it, so alternating gd is drawn in slowly without converging: 1.12 → 0.41 in 400 steps, 0.12 in 5000.",),
        (Scene("NS-GAN, alternating gd", "dirac-nsgan", method="alternating", steps=5000, points=START),),
    ),
    Lesson(
        "paper-wgan", "WGAN with weight clipping: never converges",
        ("With the critic's weight clipped to |ψ| ≤ 0.3 after every step, J's eigenvalues are ±i and gd's spectral "
         "radius is √(1 + lr²) = 1.005: the generator keeps circling near the data without converging, 0.32 from "
         "the equilibrium after 400 steps and still 0.32 after 5000.",),
        (Scene("WGAN with clipping, gd", "dirac-wgan", method="gd", steps=400, points=START),),
    ),
    Lesson(
        "paper-wgan-gp", "WGAN-GP: no equilibrium at all",
        ("The penalty (λ/2)(|ψ| − 0.3)² pushes ψ off 0 and leaves v undefined on ψ = 0, so there is no equilibrium "
         "(the stability view finds none to linearise about) and gd circles: 0.39 from the origin after 400 steps, "
         "0.45 after 5000.",),
        (Scene("WGAN-GP, gd", "dirac-wgan-gp", method="gd", steps=400, points=START),),
    ),
    Lesson(
        "paper-r1", "R1: a penalty on real data converges",
        ("The zero-centred penalty (γ/2)ψ² gives J the eigenvalues γ/2 ± √(γ²/4 − 1/4), with positive real parts "
         "for any γ > 0: at γ = 0.5 gd's spectral radius is 0.976 and it converges in 717 steps; γ = 1 is critical, "
         "a double eigenvalue 1/2 (spectral radius 0.95, converged in 419 steps).",),
        (Scene("R1 with γ = 0.5", "dirac-gan", method="gd", steps=1000, params={"gamma": 0.5}, points=START),
         Scene("R1 with γ = 1, critical", "dirac-gan", method="gd", steps=1000, params={"gamma": 1.0}, points=START)),
    ),
    Lesson(
        "paper-noise", "Instance noise: R1 by another name",
        ("Gaussian noise of std σ on real and fake samples gives J at the equilibrium R1's with γ = σ²/2, "
         "eigenvalues σ²/4 ± √(σ⁴/16 − 1/4), complex below the critical σ = √2 and real above it: at σ = 1 gd's "
         "spectral radius is 0.976, as for R1 with γ = 0.5, and it converges in 721 steps.",),
        (Scene("Instance noise, σ = 1", "dirac-instance-noise", method="gd", steps=1000, params={"sigma": 1.0},
               points=START),
         Scene("Instance noise, σ = 1.5", "dirac-instance-noise", method="gd", steps=1000, params={"sigma": 1.5},
               points=START)),
    ),
    Lesson(
        "paper-consensus", "Consensus optimisation: converges without a penalty",
        ("Adding γ Jᵀv to v (γ = 0.5) damps the rotation: on the unregularised GAN the update's spectral radius is "
         "0.989 and it converges in 1592 steps, and on the clipped WGAN 0.955, converging in 393.",),
        (Scene("Consensus on the GAN", "dirac-gan", method="consensus", steps=2000, points=START),
         Scene("Consensus on the clipped WGAN", "dirac-wgan", method="consensus", steps=400, points=START)),
    ),
)

LESSONS = (
    Lesson(
        "chain", "Backprop multiplies gradients",
        ("Backpropagation through the generator applies the chain rule: the gradient reaching an early layer "
         "is a product of one factor per layer. Factors below 1 shrink it geometrically and factors above 1 "
         "grow it, so deep chains vanish or explode.",),
        (Scene("Show the deep chain", "deep-chain"),),
        (("The same product, layer by layer, in a network you train: the Deep network view", "/network"),),
    ),
    Lesson(
        "saturation", "When D is too good, G cannot learn",
        ("D = σ(s) squashes its logit s. When D confidently rejects the fakes, D → 0 and the sigmoid saturates: "
         "dD/ds = D(1 − D) → 0. The generator learns only through D, and the minimax loss log(1 − D) has "
         "dL/ds = −D → 0, so its gradient vanishes. The non-saturating −log D has dL/ds = −(1 − D) → −1: a "
         "strong gradient exactly where G needs one (Goodfellow et al., 2014).",),
        (Scene("Show the saturating loss", "gan-saturating"),
         Scene("Compare the non-saturating loss", "gan-nonsaturating")),
    ),
    Lesson(
        "stationary", "Zero gradient is not a minimum",
        ("Where the gradient is zero the point is stationary: a minimum, a maximum or a saddle. At a saddle "
         "descent stalls although the loss still falls away in another direction.",),
        (Scene("Show the saddle", "saddle"),),
    ),
    Lesson(
        "circling", "Why GAN training circles",
        ("In a game, v is not the gradient of any one loss. At the equilibrium of min over x, max over y of xy "
         "the Jacobian of v has eigenvalues ±i: simultaneous descent-ascent rotates, and every step multiplies "
         "the distance to the equilibrium by √(1 + lr²), so it spirals out (Mescheder et al., 2017).",
         "A faster discriminator (y's learning rate ÷ x's) does not change that, and alternating updates, with "
         "any number of discriminator steps (y steps per x step), at best cycle around the equilibrium: they "
         "never converge, and with steps too large they diverge. Extragradient and optimistic steps look ahead "
         "and converge; so does consensus optimization, which adds the gradient of |v|²/2 to v "
         "(Mescheder et al., 2017)."),
        (Scene("Show the bilinear game", "bilinear-game", method="gd"),
         Scene("Try extragradient", "bilinear-game", method="extragradient"),
         Scene("Try consensus optimization", "bilinear-game", method="consensus")),
    ),
    Lesson(
        "penalty", "A penalty that makes GANs converge",
        ("The Dirac-GAN, a generator of one point and a linear discriminator, circles the same way (eigenvalues "
         "±i/2). A zero-centred gradient penalty on real data (R1, γ > 0) gives the eigenvalues positive real "
         "parts in our convention, and training converges (Mescheder et al., 2018).",
         "A Wasserstein critic's penalty λ(|∇D| − 1)², on points between real and fake, pulls the critic's "
         "slope toward 1: its optimum here has |∇D| = 1 + 1/λ, so it is 1-Lipschitz only as λ grows."),
        (Scene("Show the Dirac-GAN", "dirac-gan", method="gd", steps=400),
         Scene("Add the R1 penalty", "dirac-gan", method="gd", steps=400, params={"gamma": 0.5}),
         Scene("Show the WGAN critic", "wgan-critic", method="gd")),
    ),
    Lesson(
        "side-by-side", "Side by side: what makes GAN training converge",
        ("The same start, the same axes and one Play for every scene. GAN against GAN + R1: the unregularised "
         "run spirals out while γ = 0.5 pulls it into the equilibrium. Simultaneous against alternating "
         "steps: alternating circles, neither converging nor spiralling out. The saturating against the "
         "non-saturating generator loss from the same far point: one crawls on a plateau, the other learns.",
         "Mescheder et al.'s panel, unregularised: the GAN spirals out; the non-saturating GAN circles too, "
         "drawn onto a cycle of radius about 0.45 around the equilibrium (from inside and from outside) and "
         "never into it; WGAN with weight clipping and WGAN-GP do not settle at the equilibrium either. Their fixes: the R1 penalty and "
         "instance noise give the equilibrium attracting eigenvalues, and consensus optimisation damps the "
         "rotation."),
        (Scene("GAN against GAN + R1", "dirac-gan", method="gd", steps=400, points=((1.0, 0.5),),
               side=(Scene("", "dirac-gan", method="gd", steps=400, params={"gamma": 0.5}),)),
         Scene("Simultaneous against alternating", "dirac-gan", method="gd", steps=400, points=((1.0, 0.5),),
               side=(Scene("", "dirac-gan", method="alternating", steps=400),)),
         Scene("Saturating against non-saturating", "gan-saturating", method="gd", steps=300, points=((2.5, 2.5),),
               side=(Scene("", "gan-nonsaturating", method="gd", steps=300),)),
         Scene("The paper's panel: GAN, NS-GAN, WGAN, WGAN-GP", "dirac-gan", method="gd", steps=400,
               points=((1.0, 0.5),),
               side=(Scene("", "dirac-nsgan", method="gd", steps=400), Scene("", "dirac-wgan", method="gd", steps=400),
                     Scene("", "dirac-wgan-gp", method="gd", steps=400))),
         Scene("The paper's fixes: R1, instance noise, consensus", "dirac-gan", method="gd", steps=400,
               points=((1.0, 0.5),),
               side=(Scene("", "dirac-gan", method="gd", steps=400, params={"gamma": 0.5}),
                     Scene("", "dirac-instance-noise", method="gd", steps=400, params={"sigma": 1.0}),
                     Scene("", "dirac-gan", method="consensus", steps=400)))),
    ),
    *PAPER_PANEL,
)


MAX_SIDE = 3  # scenes beside the main one: the page shows four at most


def check(lessons=None) -> None:
    """Every scene names a catalog loss, a method offered for its kind, and declared parameters and
    options with values in range; raises ValueError naming the first that does not."""
    for lesson in LESSONS if lessons is None else lessons:
        for scene in lesson.scenes:
            if len(scene.side) > MAX_SIDE:
                raise ValueError(f"lesson {lesson.id!r}, scene {scene.label!r}: at most {MAX_SIDE} scenes beside it")
            for part in (scene, *scene.side):
                _check_scene(lesson, scene.label, part)


def _check_scene(lesson, label, scene) -> None:
    where = f"lesson {lesson.id!r}, scene {label!r}"
    game = CATALOG.get(scene.loss)
    if game is None:
        raise ValueError(f"{where}: no loss {scene.loss!r} in the catalog")
    game.resolve(scene.params)
    method = METHODS.get(scene.method or "gd")
    if method is None or game.kind.name not in method.kinds:
        raise ValueError(f"{where}: method {scene.method!r} is not offered for {game.kind.name!r}")
    resolve(method.options, scene.options, f"{where}: method {method.name!r}", noun="option")
    for other in scene.compare:
        if other not in METHODS or game.kind.name not in METHODS[other].kinds:
            raise ValueError(f"{where}: cannot compare with {other!r}")


@dataclass(frozen=True)
class Slide:
    """One picture of a deck, with the sentence an instructor would say over it."""

    title: str
    narration: str
    scene: Scene

    def to_json(self) -> dict:
        return {"title": self.title, "narration": self.narration, "state": self.scene.to_json()["state"]}


# The built-in deck: the course material in about ten minutes, one sentence a picture. Every number
# said is one the page shows for that scene (tests/test_lessons.py checks them against the engine).
DECK = (
    Slide("One gradient step by hand",
          "At (0.5, −0.3) the toy loss's gradient is (−1.15, 0.65), |v| = 1.32; a step of lr 0.1 lands on "
          "(0.615, −0.365), toward the minimum at (1.2, −0.8).",
          Scene("", "toy-discriminator", method="gd", steps=100, points=((0.5, -0.3),))),
    Slide("Vanishing gradients",
          "Scale the same loss by 0.001 and every gradient in view falls below 0.01: vanishing, and a run "
          "hardly moves.",
          Scene("", "toy-discriminator", method="gd", steps=100, points=((0.5, -0.3),), scale=0.001)),
    Slide("Exploding gradients",
          "Scale it by 100 and the gradients pass 10: exploding, and the same learning rate overshoots.",
          Scene("", "toy-discriminator", method="gd", steps=100, points=((0.5, -0.3),), scale=100.0)),
    Slide("Backprop multiplies one factor per layer",
          "Eight layers sharing the weight y: the gradient carries y⁸, so it vanishes inside |y| < 1 and "
          "explodes outside.",
          Scene("", "deep-chain", method="gd", steps=200, lr=0.01, points=((0.5, 0.3), (0.5, 1.15)))),
    Slide("When D is too good, G cannot learn",
          "From the same far point, the saturating log(1 − D) leaves G on a plateau; the non-saturating −log D "
          "still pulls it to the data.",
          Scene("", "gan-saturating", method="gd", steps=300, points=((2.5, 2.5),),
                side=(Scene("", "gan-nonsaturating", method="gd", steps=300),))),
    Slide("Why GAN training circles",
          "In min over x, max over y of xy, simultaneous steps spiral out by √(1 + lr²) a step; alternating "
          "steps circle the equilibrium.",
          Scene("", "bilinear-game", method="gd", steps=200, points=((1.0, 0.5),),
                side=(Scene("", "bilinear-game", method="alternating", steps=200),))),
    Slide("The Dirac-GAN",
          "A GAN on one point: its Jacobian at the equilibrium has eigenvalues ±i/2, and simultaneous gradient "
          "descent spirals away from it.",
          Scene("", "dirac-gan", method="gd", steps=400, points=((1.0, 0.5),))),
    Slide("The R1 penalty",
          "With γ = 0.5 the eigenvalues get positive real parts, 0.25 ± 0.43i: the same start now converges.",
          Scene("", "dirac-gan", method="gd", steps=400, points=((1.0, 0.5),),
                side=(Scene("", "dirac-gan", method="gd", steps=400, params={"gamma": 0.5}),))),
    Slide("The WGAN critic",
          "The gradient penalty pulls the critic's slope toward 1: at λ = 1 its optimum is (2, 0), |∇D| = 2.",
          Scene("", "wgan-critic", method="gd", steps=300, points=((0.5, 1.0),))),
    Slide("Mescheder et al.'s panel",
          "GAN, non-saturating GAN, WGAN with clipping and WGAN-GP: none of them settles at the equilibrium "
          "without help.",
          Scene("", "dirac-gan", method="gd", steps=400, points=((1.0, 0.5),),
                side=(Scene("", "dirac-nsgan", method="gd", steps=400), Scene("", "dirac-wgan", method="gd", steps=400),
                      Scene("", "dirac-wgan-gp", method="gd", steps=400)))),
)
