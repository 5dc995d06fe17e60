"""The JSON API: every endpoint parses declared parameters, calls losses/, serialises.

Each endpoint's parameters are declared in ENDPOINTS, which the OpenAPI
document is generated from; the GAN lab's routes (convergence maps, phase
diagrams) live in ``app/lab.py`` but are declared here with the rest. A loss is
chosen by ``loss`` (a catalog id or ``custom`` with ``expr`` and ``kind``); its
own parameters (``c`` of the toy loss, say) and, on an endpoint that declares
``method``, that method's options (``beta`` of momentum) are accepted by name.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from ..losses.analysis import TYPES
from ..losses.catalog import CATALOG, CUSTOM_ID, CUSTOM_PARAMS
from ..losses.compiled import Problem, TooComplex
from ..losses.dynamics import METHODS, STATUSES, trajectory
from ..losses.stability import VERDICTS, with_updates
from ..losses.game import KINDS, MINIMIZE
from ..losses.lessons import DECK, LESSONS
from ..losses.magnitude import CLASSES, DEFAULT_THRESHOLDS, ORDERED, SCALE_PRESETS, Thresholds
from ..losses.params import Param, choice, integer, number
from ..losses.parser import Limits
from ..losses.reports import derivation_report, field_report, gradient_report
from .jsonio import respond
from .params import BadRequest, read_query

bp = Blueprint("api", __name__, url_prefix="/api")

GRID_MAX, STEPS_MAX = 301, 10_000
BASINS_N_MAX, BASINS_STEPS_MAX, PHASE_N_MAX = 101, 2_000, 101
DEFAULTS = {"loss": "toy-discriminator", "point": [0.5, -0.3], "method": "gd", "lr": 0.1, "steps": 100, "scale": 1.0}

LOSS = (
    choice("loss", DEFAULTS["loss"], (*CATALOG, CUSTOM_ID), "a catalog id, or 'custom'"),
    Param("expr", "", description="the custom expression in x, y (and a, b, c, k), when loss=custom",
          type="text", max_chars=Limits().max_chars),
    choice("kind", MINIMIZE.name, tuple(KINDS), "for loss=custom: minimize a loss, play a zero-sum game, "
           "or a general-sum pair in which each player descends its own loss"),
    Param("expr_y", None, description="for loss=custom&kind=pair: y's own loss (expr is x's)",
          type="text", max_chars=Limits().max_chars),
    number("scale", 1.0, 1e-6, 1e6, "gradient scale: the loss is multiplied by this factor"),
    number("vanish", DEFAULT_THRESHOLDS.vanish, 0, 1e9, "magnitudes below this are 'vanishing'; must be below explode",
           exclusive_min=True),
    number("explode", DEFAULT_THRESHOLDS.explode, 0, 1e9, "magnitudes above this are 'exploding'; must be above vanish",
           exclusive_min=True),
)
VIEW = tuple(number(n, None, -1e6, 1e6, f"{n[1:]} bound of the {n[0]} axis (default: the loss's view); "
                    f"{n[0]}min < {n[0]}max") for n in ("xmin", "xmax", "ymin", "ymax"))
LR = number("lr", DEFAULTS["lr"], 1e-9, 100.0, "learning rate")
METHOD = choice("method", DEFAULTS["method"], tuple(METHODS), "optimiser")
RANGE = "lo,hi,n: n values from lo to hi, both included (n <= %d), each within the axis's own bounds" % PHASE_N_MAX

ENDPOINTS = {
    "gradient": (number("x", required=True), number("y", required=True), LR,
                 integer("derivation", 1, 0, 1, "1 to include the worked derivation")),
    "field": (*VIEW, integer("n", 41, 2, GRID_MAX, "grid points per axis")),
    "trajectory": (number("x0", required=True), number("y0", required=True), METHOD,
                   LR, integer("steps", DEFAULTS["steps"], 0, STEPS_MAX, "number of steps")),
    "analysis": (*VIEW, choice("method", None, tuple(METHODS), "optimiser: with it each stationary point gets "
                               "the update map's eigenvalues, spectral radius and verdict at lr"),
                 LR),
    "basins": (*VIEW, METHOD, LR,
               integer("steps", DEFAULTS["steps"], 0, BASINS_STEPS_MAX, "steps from every start"),
               integer("n", 41, 2, BASINS_N_MAX, "starts per axis")),
    "phase": (METHOD, LR,
              Param("axis_x", required=True, type="text", max_chars=40,
                    description="what the x axis sweeps: lr, a loss parameter or an option of the method"),
              Param("x", required=True, type="text", max_chars=100, description=f"the x axis: {RANGE}"),
              Param("axis_y", required=True, type="text", max_chars=40, description="what the y axis sweeps"),
              Param("y", required=True, type="text", max_chars=100, description=f"the y axis: {RANGE}"),
              Param("equilibrium", None, type="text", max_chars=100,
                    description="x,y: the equilibrium Newton's method reaches from this point, the nearest one "
                                "from close enough (default: the one nearest the centre of the loss's view)")),
}


def _request(endpoint: str):
    """(compiled problem, thresholds, endpoint values, method options) from the query, or BadRequest."""
    args = request.args
    head = read_query({k: args[k] for k in ("loss", "expr", "kind", "expr_y") if k in args}, LOSS[:4])
    if head["loss"] != CUSTOM_ID and (head["expr"] or "kind" in args or "expr_y" in args):  # else ignored
        raise BadRequest(f"expr, expr_y and kind are for loss=custom; {head['loss']!r} has its own formula and kind")
    engine = current_app.extensions["gradient_flow"]
    declared = next((s for s in ENDPOINTS[endpoint] if s.name == "method"), None)  # its options come with it
    method = METHODS.get(args.get("method", declared.default)) if declared else None
    try:
        game = engine.game(head["loss"], head["expr"], head["kind"], head["expr_y"])
        options = method.options if method else ()
        values = read_query(args, LOSS + ENDPOINTS[endpoint], extra=game.params + options)
        problem = Problem.of(game, {p.name: values[p.name] for p in game.params if p.name in values},
                             values["scale"])
        thresholds = Thresholds(values["vanish"], values["explode"])
        method_options = {o.name: values[o.name] for o in options if o.name in values}
        compiled = engine.compile(problem)
        if endpoint == "trajectory" and METHODS[values["method"]].needs_jacobian and not compiled.shared.exact_jacobian:
            raise compiled.shared.too_complex(f"the method {values['method']!r}")
    except BadRequest:
        raise
    except ValueError as exc:  # the math's own checks: parser, parameter ranges, thresholds
        raise BadRequest(str(exc)) from None
    return compiled, thresholds, values, method_options


def _view(values, game):
    (x0, x1), (y0, y1) = game.view
    view = tuple(d if values[k] is None else values[k]
                 for k, d in zip(("xmin", "xmax", "ymin", "ymax"), (x0, x1, y0, y1)))
    if not (view[0] < view[1] and view[2] < view[3]):
        raise BadRequest("the view needs xmin < xmax and ymin < ymax")
    return (view[0], view[1]), (view[2], view[3])


def config_payload() -> dict:
    """Everything the page must not repeat: class names, thresholds, presets, methods, limits."""
    return {
        "classes": CLASSES,
        "thresholds": {"vanish": DEFAULT_THRESHOLDS.vanish, "explode": DEFAULT_THRESHOLDS.explode},
        "scale_presets": [vars(p) for p in SCALE_PRESETS],
        "methods": [m.describe() for m in METHODS.values()],
        "kinds": [{"name": k.name, "description": k.description, "stationary_name": k.stationary_name,
                   "value_name": k.value_name, "functions": list(k.functions)} for k in KINDS.values()],
        "statuses": STATUSES,
        "stationary_types": TYPES,
        "verdicts": VERDICTS,
        "custom_params": [p.describe() for p in CUSTOM_PARAMS.values()],
        "ordered": [list(pair) for pair in ORDERED],  # (a, b): a must lie below b
        "parameters": {"loss": [p.describe() for p in LOSS],
                       **{name: [p.describe() for p in specs] for name, specs in ENDPOINTS.items()}},
        "limits": {"grid_n_max": GRID_MAX, "steps_max": STEPS_MAX, "expr_chars_max": Limits().max_chars},
        "defaults": DEFAULTS,
        "lessons": [lesson.to_json() for lesson in LESSONS],
        "deck": {"title": "Why GAN training goes right or wrong", "slides": [s.to_json() for s in DECK]},
        # other views' sections (``network``), registered with the app by their own modules
        **{name: section() for name, section in current_app.extensions.get("config_sections", {}).items()},
    }


def losses_payload() -> dict:
    return {"losses": [game.describe() for game in CATALOG.values()]}


def _no_parameters():
    if request.args:
        raise BadRequest(f"unknown parameter {next(iter(request.args))!r}: this endpoint takes none")


@bp.get("/config")
def config():
    _no_parameters()
    return respond(config_payload())


@bp.get("/losses")
def losses():
    _no_parameters()
    return respond(losses_payload())


@bp.get("/gradient")
def gradient():
    compiled, thresholds, v, _ = _request("gradient")
    x, y, lr = v["x"], v["y"], v["lr"]
    body = gradient_report(compiled, x, y, lr, thresholds)
    if v["derivation"]:
        body["derivation"] = derivation_report(compiled, x, y, lr, _search(compiled), thresholds)
    return respond(body)


def _search(compiled):
    """The stationary points the derivation measures against, or None for a field too big to analyse."""
    try:
        return current_app.extensions["gradient_flow"].stationary(compiled, compiled.problem.game.view)
    except TooComplex:
        return None


@bp.get("/field")
def field():
    compiled, thresholds, v, _ = _request("field")
    return respond(field_report(compiled, _view(v, compiled.problem.game), v["n"], thresholds))


@bp.get("/trajectory")
def run_trajectory():
    compiled, thresholds, v, options = _request("trajectory")
    budget = current_app.config["TRAJECTORY_BUDGET_S"]
    # everything the client could get wrong was checked in _request: an error from here on is ours
    return respond(trajectory(METHODS[v["method"]], compiled, (v["x0"], v["y0"]), v["lr"], v["steps"],
                              options, thresholds, budget))


@bp.get("/analysis")
def analysis():
    compiled, _, v, options = _request("analysis")
    if v["method"] is None and "lr" in request.args:
        raise BadRequest("lr is a method's learning rate: give method too, or leave lr out")
    view = _view(v, compiled.problem.game)
    try:
        found = current_app.extensions["gradient_flow"].stationary(compiled, view)
    except TooComplex as exc:
        raise BadRequest(str(exc)) from None
    if v["method"] is None:
        return respond({"stationary_points": [s.to_json() for s in found.points], **found.to_json()})
    try:
        points = with_updates(compiled, found.points, METHODS[v["method"]], v["lr"], options)
    except ValueError as exc:  # a method with no update map: Adam
        raise BadRequest(str(exc)) from None
    return respond({"stationary_points": points, **found.to_json()})


@bp.get("/openapi.json")
def openapi():
    from .openapi import document

    _no_parameters()
    return respond(document(ENDPOINTS, LOSS, current_app.extensions.get("api_operations", {})))
