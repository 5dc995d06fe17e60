"""The catalog: a name -> Game table, plus the one door for custom expressions.

Each entry is data only; nothing here differentiates or evaluates. Custom
expressions arrive as text and pass through :func:`losses.parser.parse_expression`,
which builds SymPy objects from a whitelist, never from ``sympify``.
"""

from __future__ import annotations

import sympy

from .dirac import FAMILY
from .functions import softplus
from .game import GAME, KINDS, MINIMIZE, Game, X, Y
from .params import Param
from .parser import parse_formula


def _p(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


_c, _a, _b, _k, _depth, _decay, _lam = (_p(n) for n in ("c", "a", "b", "k", "depth", "decay", "lam"))

# A discriminator's logit on a generated sample s = (x, y) when the real data sit at the origin:
# 0 there (D = 1/2 at the data for every k), falling off with distance; k is how sharply D rejects
# samples away from the data, so a large k is a discriminator far ahead of the generator.
_LOGIT = _k * (1 - sympy.sqrt(1 + X**2 + Y**2))
_K = Param("k", 6.0, 0.5, 12.0, "how sharply D rejects samples away from the data (D = 1/2 at the data for "
           "every k): a large k is a discriminator far ahead of the generator")

CATALOG_ENTRIES = (
    Game(
        id="toy-discriminator",
        title="Toy discriminator loss",
        kind=MINIMIZE,
        expr=(X - 1) ** 2 + (Y + sympy.Float(0.5)) ** 2 + _c * X * Y,
        params=(Param("c", 0.5, -4.0, 4.0, "coupling between x and y; |c| > 2 turns the minimum into a saddle"),),
        view=((-1.0, 3.0), (-2.5, 1.5)),
        description="A quadratic bowl with coupling c. Its minimum is at (1.2, -0.8) for c = 0.5.",
    ),
    Game(
        id="bilinear-game",
        title="Bilinear game min_x max_y xy",
        kind=GAME,
        expr=X * Y,
        view=((-2.0, 2.0), (-2.0, 2.0)),
        description="The simplest GAN-like game. Its only equilibrium, (0, 0), is rotational: simultaneous "
        "gradient descent-ascent spirals away from it; extragradient and optimistic methods converge to it.",
    ),
    Game(
        id="saddle",
        title="Saddle x^2 - y^2",
        kind=MINIMIZE,
        expr=X**2 - Y**2,
        view=((-2.0, 2.0), (-2.0, 2.0)),
        description="The gradient is zero at (0, 0), yet it is no minimum: a zero gradient marks a "
        "stationary point, which may be a saddle.",
    ),
    Game(
        id="rosenbrock",
        title="Rosenbrock valley",
        kind=MINIMIZE,
        expr=(_a - X) ** 2 + _b * (Y - X**2) ** 2,
        params=(Param("a", 1.0, -2.0, 2.0, "the minimum is at (a, a^2)"), Param("b", 100.0, 0.0, 200.0, "steepness of the valley walls")),
        view=((-2.0, 2.0), (-1.0, 3.0)),
        description="A curved, narrow valley: gradients are huge on the walls and tiny along the floor.",
    ),
    *FAMILY,  # the Dirac-GAN and its variants: losses/dirac.py
    Game(
        id="gan-saturating",
        title="Generator loss, saturating: log(1 - D(G))",
        kind=MINIMIZE,
        expr=-softplus(_LOGIT),
        params=(_K,),
        view=((-3.0, 3.0), (-3.0, 3.0)),
        description="The generator's sample is (x, y); real data sit at the origin and D = sigmoid(logit). "
        "Far from the data D is confident, the sigmoid saturates, and the minimax loss log(1 - D) has a "
        "vanishing gradient: when D is too good, G cannot learn. Compare the non-saturating loss.",
    ),
    Game(
        id="gan-nonsaturating",
        title="Generator loss, non-saturating: -log D(G)",
        kind=MINIMIZE,
        expr=softplus(-_LOGIT),
        params=(_K,),
        view=((-3.0, 3.0), (-3.0, 3.0)),
        description="Same discriminator, the loss Goodfellow et al. (2014) recommend: -log D(G) has the same "
        "minimum but keeps a strong gradient exactly where log(1 - D(G)) saturates.",
    ),
    Game(
        id="wgan-critic",
        title="Wasserstein critic with gradient penalty",
        kind=MINIMIZE,
        expr=-2 * X + _lam * (sympy.sqrt(X**2 + Y**2) - 1) ** 2,
        params=(Param("lam", 1.0, 0.0, 10.0, "gradient-penalty weight lambda", latex=r"\lambda"),),
        view=((-1.0, 3.5), (-2.0, 2.0)),
        description="A linear critic D(t) = x t1 + y t2 scores real data at (1, 0) against fake data at (-1, 0): "
        "it minimizes D(fake) - D(real) + lambda (|grad D| - 1)^2, the penalty taken on points interpolated "
        "between real and fake (for a linear critic |grad D| = |(x, y)| at every one of them). Without the "
        "penalty (lambda = 0) there is no minimum and the weights grow forever; with it the minimum sits at "
        "(1 + 1/lambda, 0), where |grad D| = 1 + 1/lambda: 2 at lambda = 1, 1.1 at lambda = 10. The penalty pulls "
        "the critic toward 1-Lipschitz as lambda grows, but at any finite lambda the optimum is steeper than that.",
    ),
    Game(
        id="deep-chain",
        title="Deep linear chain: (x y^depth - 1)^2 + decay (x^2 + y^2)",
        kind=MINIMIZE,
        expr=(X * Y**_depth - 1) ** 2 + _decay * (X**2 + Y**2),
        params=(Param("depth", 8.0, 1.0, 16.0, "layers sharing the weight y", step=1.0,
                      latex=r"\operatorname{depth}"),
                Param("decay", 0.001, 0.0, 0.1, "weight decay", latex=r"\operatorname{decay}")),
        view=((-2.0, 2.0), (-1.5, 1.5)),
        description="A signal passes depth layers of weight y, then a weight x, toward the target 1. By the chain "
        "rule the gradient carries y^depth: it vanishes for |y| < 1 and explodes for |y| > 1, more so the deeper "
        "the chain. Small weights near the origin are a flat trap: the weight decay makes the origin itself a "
        "minimum (its Hessian is 2 decay I), guarded by saddles at (0.1136, +-0.3213) at the default depth 8 "
        "and decay 0.001; without decay the origin is degenerate.",
    ),
)

CATALOG = {game.id: game for game in CATALOG_ENTRIES}

# Parameter names a custom expression may use; each becomes a slider.
CUSTOM_PARAMS = {name: Param(name, 1.0, -10.0, 10.0) for name in ("a", "b", "c", "k")}
CUSTOM_ID = "custom"


def custom_game(text: str, kind: str = "minimize", text_y: str | None = None) -> Game:
    """A Game from text a person typed (``text_y``: y's own loss, for a pair). Raises ValueError
    naming the problem."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    wanted = len(KINDS[kind].functions)
    if wanted == 2 and not (text_y or "").strip():
        raise ValueError(f"kind {kind!r} needs y's own loss in expr_y as well as x's in expr")
    if wanted == 1 and text_y is not None:
        raise ValueError(f"expr_y is y's own loss in a general-sum game: it needs kind=pair, not {kind!r}")
    symbols = {"x": X, "y": Y, **{name: sympy.Symbol(name, real=True) for name in CUSTOM_PARAMS}}
    parsed = [parse_formula(t, symbols) for t in (text, text_y)[:wanted]]
    exprs = [p.expr for p in parsed]
    typed = set().union(*(p.names for p in parsed))  # c in c*(x - x) is still a slider the person asked for
    params = tuple(p for name, p in CUSTOM_PARAMS.items() if name in typed)
    shown = text.strip() if wanted == 1 else f"{text.strip()} ; {text_y.strip()}"
    return Game(
        id=CUSTOM_ID,
        title=f"Custom: {shown}",
        kind=KINDS[kind],
        expr=exprs[0],
        expr_y=exprs[1] if wanted == 2 else None,
        params=params,
        conditions=tuple(dict.fromkeys(c for p in parsed for c in p.conditions)),
        typed=True,
    )
