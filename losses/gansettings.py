"""The data-space GAN's settings, declared once: what training depends on, what is measured.

:data:`TRAINING_PARAMS` are what the numbers of training depend on; :data:`MEASURE_PARAMS` only say
what is measured and how often, and never change training (so a cached training state serves any
of them). Both are :class:`losses.params.Param` rows with bounds, defaults and labels, which the API
hands to the page and the OpenAPI document as they are. The penalty weights are the penalty rows'
own (``lam``, ``gamma``, :mod:`losses.objectives`) and the optimisers' options (``beta1``, ...) the
method rows' (:mod:`losses.dynamics`).

``k``, ``std``, ``penalty``, ``g_method`` and ``d_method`` default to None, meaning the layout's K,
:data:`losses.mixtures.DEFAULT_STD`, the loss's own penalty and ``method``. :func:`configure` fills
them in. An unknown key, a value out of bounds, a K the layout does not take, a std whose capture
balls overlap, a penalty the loss does not take, a weight for a penalty not chosen, or an option
that no chosen optimiser has is a ValueError that names it.

A new setting is one Param in the tuple that owns it; a new latent distribution is one
:class:`Latent` row with ``draw(rng, n, dim) -> (n, dim)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .activations import ACTIVATIONS
from .dynamics import LR_RATIO, METHODS
from .mixtures import LAYOUTS, mixture
from .netlab import NETWORK_METHODS
from .objectives import OBJECTIVES, PENALTIES, WEIGHTS, objective
from .params import choice, integer, number, resolve

GAN_METHODS = NETWORK_METHODS  # the minimising step methods: gd, momentum, adam
DEPTH, WIDTH, Z_DIM = (1, 4), (8, 128), (1, 4)


@dataclass(frozen=True)
class Latent:
    name: str
    label: str
    draw: Callable  # (rng, n, dim) -> (n, dim)


LATENTS_TABLE = (
    Latent("gaussian", "Standard normal", lambda rng, n, d: rng.standard_normal((n, d))),
    Latent("uniform", "Uniform on [-1, 1]", lambda rng, n, d: rng.uniform(-1.0, 1.0, (n, d))),
)
LATENTS = {row.name: row for row in LATENTS_TABLE}

TRAINING_PARAMS = (
    choice("data", "ring", tuple(LAYOUTS), "where the modes lie", label="data"),
    integer("k", None, 2, 25, "number of modes (default: the layout's; ring 2-12, grid 4, 9, 16, 25, line 2-6)",
            label="modes K"),
    number("std", None, 0.005, 0.1, "each mode's standard deviation (default 0.02 = 0.02 of the ring's radius)",
           label="mode std"),
    choice("loss", "nonsaturating", tuple(OBJECTIVES), "the GAN's loss", label="loss"),
    choice("penalty", None, tuple(PENALTIES), "the penalty on D's input gradient (default: the loss's own)",
           label="penalty"),
    *WEIGHTS,
    integer("g_depth", 2, *DEPTH, "generator's hidden layers", label="G layers"),
    integer("g_width", 64, *WIDTH, "generator's units per layer", label="G width"),
    integer("d_depth", 2, *DEPTH, "discriminator's hidden layers", label="D layers"),
    integer("d_width", 64, *WIDTH, "discriminator's units per layer", label="D width"),
    choice("activation", "tanh", tuple(ACTIVATIONS), "both networks' hidden activation", label="activation"),
    integer("z_dim", 2, *Z_DIM, "the latent's dimension", label="latent dimension"),
    choice("latent", "gaussian", tuple(LATENTS), "the latent's distribution", label="latent"),
    choice("method", "adam", GAN_METHODS, "both players' optimiser, unless g_method or d_method says otherwise",
           label="optimiser"),
    choice("g_method", None, GAN_METHODS, "the generator's optimiser (default: method)", label="G optimiser"),
    choice("d_method", None, GAN_METHODS, "the discriminator's optimiser (default: method)", label="D optimiser"),
    number("g_lr", 1e-3, 0.0, 1.0, "the generator's learning rate", label="G learning rate", exclusive_min=True),
    number("d_lr", 1e-3, 0.0, 1.0, "the discriminator's learning rate", label="D learning rate", exclusive_min=True),
    integer("d_steps", 1, 1, 10, "discriminator updates per generator update", label="D steps per G step"),
    integer("unroll", 0, 0, 10, "G's loss is taken against D after this many more updates (on a copy): the "
            "surrogate gradient, through G only with those weights held constant, not the exact one",
            label="unrolled steps"),
    integer("batch", 256, 16, 1024, "real and generated samples per batch", label="batch size"),
    integer("steps", 2000, 0, 10_000, "generator updates", label="steps"),
    integer("seed", 0, 0, 2**31 - 1, "seeds the data, both networks' weights, the fixed z and the batches",
            label="seed"),
)
MEASURE_PARAMS = (
    integer("record", 50, 1, 10_000, "record a frame every this many steps (and at step 0 and the last)",
            label="record every"),
    integer("samples", 512, 64, 2048, "generated (on a fixed set of z) and real samples shown", label="samples shown"),
    integer("grid", 41, 11, 81, "grid points per axis for the discriminator's picture", label="grid points"),
)
GAN_PARAMS = TRAINING_PARAMS + MEASURE_PARAMS


def method_options(method) -> tuple:
    """A method's options here: each player has its own rate, so a second player's ratio means nothing."""
    return tuple(o for o in method.options if o is not LR_RATIO)


def configure(settings: dict | None, options: dict | None = None) -> tuple[dict, dict, dict]:
    """(resolved settings, G's options, D's options); ValueError names whatever is wrong."""
    given = dict(settings or {})
    cfg = resolve(GAN_PARAMS, given, "GAN", noun="setting")
    mix = mixture(cfg["data"], cfg["k"], cfg["std"])
    cfg["k"], cfg["std"] = mix.k, mix.std
    cfg["penalty"] = objective(cfg["loss"], cfg["penalty"])[1].name
    chosen = PENALTIES[cfg["penalty"]].weight
    for weight in WEIGHTS:
        if weight is not chosen and weight.name in given:
            raise ValueError(f"{weight.name} weighs a penalty not chosen; penalty is {cfg['penalty']!r}")
    for player in ("g", "d"):
        cfg[f"{player}_method"] = cfg[f"{player}_method"] or cfg["method"]
    options = dict(options or {})
    methods = {player: METHODS[cfg[f"{player}_method"]] for player in ("g", "d")}
    known = {o.name for m in methods.values() for o in method_options(m)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ValueError(f"no chosen optimiser ({', '.join(sorted({m.name for m in methods.values()}))}) "
                         f"has the option {unknown[0]!r}")
    own = {player: _own_options(m, options) for player, m in methods.items()}
    return cfg, own["g"], own["d"]


def _own_options(method, options: dict) -> dict:
    """The given options that ``method`` has, its defaults for the rest (a ratio it has but cannot use left out)."""
    declared = method_options(method)
    names = {o.name for o in declared}
    return resolve(declared, {k: v for k, v in options.items() if k in names}, f"method {method.name!r}", noun="option")
