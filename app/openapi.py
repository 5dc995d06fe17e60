"""OpenAPI 3 document generated from the declared parameter specs, so it cannot drift from the checks."""

from __future__ import annotations

from .. import __version__

SUMMARIES = {
    "config": ("Names and defaults the page must not repeat: classes, thresholds, presets, methods, limits.", False),
    "losses": ("The catalog of losses and games, with parameters and default views.", False),
    "gradient": ("Value, gradient, magnitude class, next point and a worked derivation at one point.", True),
    "field": ("Loss and vector field on an n x n grid; row i is y[i], column j is x[j].", True),
    "trajectory": ("A run of an optimiser from a start point, with its stopping status.", True),
    "analysis": ("Stationary points of the vector field with type and Jacobian eigenvalues; with method and lr, "
                 "each also gets its update map's eigenvalues, spectral radius and verdict.", True),
    "basins": ("Convergence map: every start of an n x n grid run at once, with its status, steps and final "
               "distance to the nearest equilibrium; row i is y[i].", True),
    "phase": ("Phase diagram: the update map's spectral radius at an equilibrium over a sweep of two settings "
              "(lr, a loss parameter, a method option); row i is y[i].", True),
}

ERROR = {
    "description": "Bad input; the message names the problem.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _parameter(spec) -> dict:
    schema = {"type": {"number": "number", "integer": "integer", "choice": "string", "text": "string"}[spec.type]}
    if spec.default is not None:
        schema["default"] = spec.default
    if spec.min is not None:
        schema["minimum"] = spec.min
        if spec.exclusive_min:
            schema["exclusiveMinimum"] = True  # OpenAPI 3.0's boolean form
    if spec.max is not None:
        schema["maximum"] = spec.max
    if spec.choices:
        schema["enum"] = list(spec.choices)
    if spec.max_chars is not None:
        schema["maxLength"] = spec.max_chars
    return {"name": spec.name, "in": "query", "required": spec.required, "description": spec.description,
            "schema": schema}


def _operation(name, summary, specs) -> dict:
    return {
        "summary": summary,
        "operationId": name,
        "parameters": [_parameter(s) for s in specs],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": ERROR},  # an unknown, repeated or malformed parameter, on any endpoint
    }


def document(endpoints: dict, loss_specs: tuple, operations: dict | None = None) -> dict:
    """The document for this module's endpoints and for ``operations``, the other blueprints' own
    (name -> (summary, parameter specs, description)), which join it as they are registered."""
    paths = {}
    for name, (summary, takes_loss) in SUMMARIES.items():
        specs = (loss_specs if takes_loss else ()) + tuple(endpoints.get(name, ()))
        op = _operation(name, summary, specs)
        if takes_loss:
            op["description"] = ("Also accepts the chosen loss's own parameters by name (e.g. c=0.7 for "
                                 "toy-discriminator) and, where it takes a method, that method's options (e.g. beta).")
        paths[f"/api/{name}"] = {"get": op}
    for name, (summary, specs, description) in (operations or {}).items():
        paths[f"/api/{name}"] = {"get": {**_operation(name, summary, specs), "description": description}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Gradient Flow API", "version": __version__,
                 "description": "Exact gradients of 2D losses and two-player games, and deep networks trained layer by layer. "
                                "Non-finite numbers are null."},
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object",
            "properties": {"error": {"type": "object", "properties": {"message": {"type": "string"}}}},
        }}},
    }
