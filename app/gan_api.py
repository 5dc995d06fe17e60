"""/api/gan: a GAN trained in data space (:mod:`gradient_flow.losses.gan`), served in chunks.

**Chunks.** A run of ``steps`` steps is fetched as chunks ``from=a&to=b`` (steps a..b inclusive,
``to`` defaulting to the last); each answer says where to go on (``next`` = b + 1, or null when the
run is over), so a page asks for ``from=next`` until ``next`` is null and draws every chunk as it
comes. Its frames are exactly those of the one long run (a test holds it), because a chunk is
the long run's steps a..b, taken from the state the run was in after a steps. That state is
rebuilt deterministically: the server keeps, per training settings, the state where the last chunk
ended (an LRU of ``CACHE_GAN_STATES`` entries, each both networks' weights, their optimiser memory
and the batch stream's state: at most ~2.4 MB at the largest sizes, 0.2 MB for 2 x 64 networks).
A chunk that finds a state at or before its ``from`` goes on from it, which costs only its own
steps; one that does not (another worker, an evicted entry, a page that went back) retrains from
the seed, unrecorded, and gets the same numbers, later. Why not hand the state to the client to
send back? It is 27,000 to 300,000 numbers: too big for a URL, and a state a client can edit would
have to be validated, while a state rebuilt from the URL needs no trust and keeps the rule that the
same URL gives the same numbers.

**Bounds.** Sizes, steps and batch are bounded by their declarations; a chunk may record at most
:data:`FRAMES_MAX` frames and :data:`NUMBERS_MAX` numbers (record less often, or ask for a shorter
chunk); and each request spends at most ``GAN_BUDGET_S`` seconds of training (replaying
included), after which it answers ``time_limit`` with what it has and ``next`` where to go on: the
state it reached is kept, so asking again always progresses.

Bad input (a size out of range, an unknown loss or data set, a penalty the loss does not take, a
K the layout does not take, from > to) is a 400 naming the problem. Non-finite numbers are null.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from ..losses.cache import LRU
from ..losses.dynamics import METHODS
from ..losses.gan import STATUSES, train, training_key
from ..losses.ganpresets import PRESETS
from ..losses.ganrecord import INTERPOLATES_SHOWN, frames_between
from ..losses.gansettings import GAN_METHODS, GAN_PARAMS, LATENTS, TRAINING_PARAMS, method_options
from ..losses.magnitude import Thresholds
from ..losses.mixtures import describe as describe_mixtures
from ..losses.objectives import OBJECTIVES, PENALTIES
from ..losses.params import integer
from .api import LOSS
from .jsonio import respond
from .params import BadRequest, read_query

bp = Blueprint("gan", __name__, url_prefix="/api")

FRAMES_MAX = 100
NUMBERS_MAX = 600_000  # ~10 MB of JSON
STEPS_MAX = next(p.max for p in TRAINING_PARAMS if p.name == "steps")
CHUNK = (
    integer("from", 0, 0, STEPS_MAX, "the chunk's first step", label="from step"),
    integer("to", None, 0, STEPS_MAX, "the chunk's last step (default: the run's last)", label="to step"),
    integer("weights", 0, 0, 1, "1 to add both networks' weights at the chunk's last frame", label="weights"),
)
THRESHOLDS = tuple(p for p in LOSS if p.name in ("vanish", "explode"))
SPECS = GAN_PARAMS + CHUNK + THRESHOLDS
# the optimisers' own options, by name: each applies to the players whose method has it
OPTIONS = tuple({o.name: o for m in GAN_METHODS for o in method_options(METHODS[m])}.values())
SUMMARY = "A GAN trained in data space on a mixture of Gaussians: samples, D's picture, captured modes, both players' losses and gradients, per recorded step, one chunk of steps at a time."
DESCRIPTION = ("Also accepts the optimisers' options by name (beta1, beta2, eps for adam; beta for momentum). "
               "Unrolled steps use the surrogate gradient: G's loss against D after `unroll` more updates, "
               "differentiated through G only with those weights held constant (not Metz et al.'s exact gradient "
               "through the updates). Fetch a long run as chunks from=a&to=b, going on from `next`.")


@bp.record_once
def _register(state):
    app = state.app
    app.config.setdefault("CACHE_GAN_STATES", 16)
    app.config.setdefault("GAN_BUDGET_S", 2.0)
    app.extensions["gan_states"] = LRU(app.config["CACHE_GAN_STATES"])
    app.extensions.setdefault("api_operations", {})["gan"] = (SUMMARY, SPECS + OPTIONS, DESCRIPTION)
    app.extensions.setdefault("config_sections", {})["gan"] = config_section


def config_section() -> dict:
    """What the page must not repeat: the settings, the tables' rows, the capture rule, the limits."""
    return {
        "parameters": [p.describe() for p in SPECS],
        "options": [o.describe() for o in OPTIONS],
        **describe_mixtures(),
        "losses": [row.describe() for row in OBJECTIVES.values()],
        "penalties": [row.describe() for row in PENALTIES.values()],
        "latents": [{"name": row.name, "label": row.label} for row in LATENTS.values()],
        "methods": [METHODS[m].describe() for m in GAN_METHODS],
        "statuses": STATUSES,
        "unroll": "surrogate",
        "presets": [p.describe() for p in PRESETS.values()],
        "limits": {"frames_max": FRAMES_MAX, "numbers_max": NUMBERS_MAX, "interpolates_shown": INTERPOLATES_SHOWN,
                   "budget_s": current_app.config["GAN_BUDGET_S"]},
    }


def _chunk(values: dict, cfg: dict) -> tuple[int, int]:
    first, last = values["from"], cfg["steps"] if values["to"] is None else values["to"]
    if not first <= last <= cfg["steps"]:
        raise BadRequest(f"from and to must satisfy from <= to <= steps = {cfg['steps']}; got from={first}, to={last}")
    frames = frames_between(first, last, cfg["record"], cfg["steps"])
    per_frame = 2 * cfg["samples"] + cfg["grid"] ** 2 + 3 * cfg["k"] + 8 * INTERPOLATES_SHOWN + 16
    if frames > FRAMES_MAX or frames * per_frame > NUMBERS_MAX:
        raise BadRequest(f"steps {first} to {last}, recorded every {cfg['record']}, make {frames} frames of "
                         f"{per_frame} numbers; at most {FRAMES_MAX} frames and {NUMBERS_MAX} numbers a request: "
                         f"ask for a shorter chunk (to), record less often (record) or show fewer samples")
    return first, last


@bp.get("/gan")
def gan():
    values = read_query(request.args, SPECS, extra=OPTIONS)
    settings = {p.name: values[p.name] for p in GAN_PARAMS if p.name in request.args}
    options = {o.name: values[o.name] for o in OPTIONS if o.name in values}
    try:
        key, (cfg, _, _) = training_key(settings, options)
        thresholds = Thresholds(values["vanish"], values["explode"])
    except ValueError as exc:  # the math's own checks: layouts, penalties, options, thresholds
        raise BadRequest(str(exc)) from None
    first, last = _chunk(values, cfg)
    states = current_app.extensions["gan_states"]
    state = states.peek(key)
    body, end = train(settings, options, first=first, last=last,
                      state=state if state is not None and state.step <= first else None,
                      budget_s=current_app.config["GAN_BUDGET_S"], thresholds=thresholds,
                      weights=bool(values["weights"]))
    if end is not None:
        states.put(key, end)
    return respond(body)
