"""``/api/network``: one training run of the deep-network lab, recorded layer by layer.

The route is thin: :func:`read_network` turns the query into the lab's settings and the method's
options, :func:`gradient_flow.losses.netlab.train` runs them, :func:`app.jsonio.respond` writes the
answer (None, never NaN). Every setting is declared once, in ``netlab.NETWORK_PARAMS``; this module
adds only the rules between settings that a single declaration cannot state:

* a method's options are the method's (``beta`` is momentum's), and one given to another method is
  refused by name rather than as an unknown parameter;
* the options that act between two players (y's learning rate ratio, y's steps) mean nothing for a
  network, which is one player, so the lab neither offers nor takes them;
* ``gain`` scales only the inits that declare ``uses_gain``; with another it would be silently ignored.

A run that goes non-finite is no error: it answers 200 with status ``diverged`` and ``diverged_at``,
and everything recorded up to that step. Runs are deterministic, so an answer is kept (in an LRU the
application owns) and the next request for the same settings, a class opening one link, costs
nothing; a run the time budget cut short is not kept, since with time to spare it would go further.

:func:`register` wires the blueprint in and joins its declarations to ``/api/config`` and the
OpenAPI document, which is how a view with its own endpoint joins without editing ``app/api.py``.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from ..losses.cache import LRU
from ..losses.dynamics import LR_RATIO, METHODS, TIME_LIMIT, Y_STEPS
from ..losses.netlab import NETWORK_METHODS, NETWORK_PARAMS, describe, train
from ..losses.network import DEPTH_RANGE, INITS, WIDTH_RANGE
from .jsonio import respond
from .network_presets import PRESETS
from .params import BadRequest, read_query

bp = Blueprint("network_api", __name__, url_prefix="/api")

SPECS = {p.name: p for p in NETWORK_PARAMS}
TWO_PLAYER_OPTIONS = (LR_RATIO, Y_STEPS)  # y's rate and y's steps: a network has no y
OPTIONS = {m: tuple(o for o in METHODS[m].options if o not in TWO_PLAYER_OPTIONS) for m in NETWORK_METHODS}
GAIN_INITS = tuple(name for name, rule in INITS.items() if rule.uses_gain)
SUMMARY = ("Train a deep network on a task and record, per layer and recorded step, its gradients' norms, "
           "classes and histograms, the backward signal, saturated and dead units, and the loss.")
DESCRIPTION = ("Also accepts the chosen method's options by name (beta for momentum; beta1, beta2, eps for adam). "
               "A run that stops being finite answers 200 with status 'diverged' and diverged_at, keeping what "
               "was recorded; a run past the time budget answers status 'time_limit'.")


def read_network(args) -> tuple[dict, dict]:
    """(settings, method options) from a query string, or BadRequest naming the problem."""
    method = args.get("method", SPECS["method"].default)
    try:  # the method first: which options are foreign depends on it
        SPECS["method"].read(method)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    own = OPTIONS[method]
    given = {k for k in args if k not in SPECS}
    for option in TWO_PLAYER_OPTIONS:
        if option.name in given:
            raise BadRequest(f"{option.name} is {option.label or option.description}, for two-player games: "
                             "a network is one player")
    for name in sorted(given - {o.name for o in own}):
        owners = [m for m, opts in OPTIONS.items() if any(o.name == name for o in opts)]
        if owners:
            takes = ", ".join(o.name for o in own) or "no options"
            raise BadRequest(f"{name} is an option of {' and '.join(owners)}, not of {method} (which takes {takes})")
    values = read_query(args, NETWORK_PARAMS, extra=own)
    if "gain" in args and values["init"] not in GAIN_INITS:
        raise BadRequest(f"gain scales init={' or '.join(GAIN_INITS)} only; init={values['init']} sets its own scale")
    settings = {p.name: values[p.name] for p in NETWORK_PARAMS}
    return settings, {o.name: values[o.name] for o in own if o.name in values}


@bp.get("/network")
def network():
    settings, options = read_network(request.args)
    key = (tuple(sorted(settings.items())), tuple(sorted(options.items())))
    budget = current_app.config["NETWORK_BUDGET_S"]
    # everything the client could get wrong was checked above: an error from here on is ours
    run = current_app.extensions["network_runs"].get(key, lambda: train(settings, options, budget_s=budget),
                                                     keep=lambda out: out["status"] != TIME_LIMIT)
    return respond(run)


# -- what the page and the OpenAPI document read -------------------------------------------------

def _with_choices(param: dict, tables: list[list[dict]]) -> dict:
    """A choice's declaration with a label and a sentence per choice, from the engine's table of the
    same names (activations, inits, ...); a choice without one (residual off/on) is labelled by name."""
    if "choices" not in param:
        return param
    table = next((t for t in tables if [row["name"] for row in t] == param["choices"]), None)
    rows = {row["name"]: row for row in table or ()}
    return {**param, "options": [{"name": c, "label": rows.get(c, {}).get("label", c),
                                  "description": rows.get(c, {}).get("description", "")} for c in param["choices"]]}


def network_config() -> dict:
    """The lab's declarations for the page: settings (with every choice's label), the methods and
    the options they take here, the histogram bins, the limits and the presets."""
    lab = describe()
    methods = [{**m, "options": [o.describe() for o in OPTIONS[m["name"]]]} for m in lab["methods"]]
    tables = [lab["tasks"], lab["activations"], lab["inits"], lab["norms"], methods]
    return {
        **lab,
        "params": [_with_choices(p, tables) for p in lab["params"]],
        "methods": methods,
        "gain_inits": list(GAIN_INITS),
        "limits": {"depth_max": DEPTH_RANGE[1], "width_max": WIDTH_RANGE[1], "steps_max": SPECS["steps"].max,
                   "batch_max": SPECS["batch"].max, "budget_s": current_app.config["NETWORK_BUDGET_S"]},
        "presets": [p.describe() for p in PRESETS],
    }


def operations() -> dict:
    """This blueprint's entries in the OpenAPI document: name -> (summary, parameters, description)."""
    every_option = {o.name: o for opts in OPTIONS.values() for o in opts}
    return {"network": (SUMMARY, (*NETWORK_PARAMS, *every_option.values()), DESCRIPTION)}


def register(app) -> None:
    app.extensions["network_runs"] = LRU(app.config["CACHE_NETWORK_RUNS"])
    app.extensions.setdefault("config_sections", {})["network"] = network_config
    app.extensions.setdefault("api_operations", {}).update(operations())
    app.register_blueprint(bp)
