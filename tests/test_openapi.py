"""The OpenAPI document is valid OpenAPI, and the server keeps to it: every value the document
forbids is a 400, and every value it allows gets an answer in valid JSON (200, or a 400 for the
rules between parameters that OpenAPI 3.0 cannot state, such as xmin < xmax)."""

import json

import pytest
from openapi_spec_validator import validate

from gradient_flow.app.api import ENDPOINTS

REQUIRED = {"x": 0.5, "y": -0.3, "x0": 0.5, "y0": -0.3, "method": "gd"}
# what a path needs besides its required parameters for a valid request (a sweep needs a game with gamma)
VALID = {"/api/phase": {"loss": "dirac-gan", "method": "gd", "axis_x": "lr", "x": "0.05,0.5,3", "axis_y": "gamma",
                        "y": "0,1,3"}}


@pytest.fixture
def doc(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    return r.get_json()


def test_the_document_is_valid_openapi(doc):
    validate(doc)  # raises on any violation of the OpenAPI 3.0 schema


def test_openapi_describes_every_endpoint_and_parameter(doc):
    for name in ("config", "losses", "gradient", "field", "trajectory", "analysis"):
        assert f"/api/{name}" in doc["paths"]
    for name, specs in ENDPOINTS.items():
        declared = {p["name"] for p in doc["paths"][f"/api/{name}"]["get"]["parameters"]}
        assert {s.name for s in specs} | {"loss", "expr", "kind", "scale", "vanish", "explode"} <= declared
    gradient = {p["name"]: p for p in doc["paths"]["/api/gradient"]["get"]["parameters"]}
    assert gradient["x"]["required"] and gradient["lr"]["schema"]["default"] == 0.1
    assert "400" in doc["paths"]["/api/field"]["get"]["responses"]


def _forbidden(schema):
    """Values the schema rules out, as query text."""
    out = ["", "abc"] if schema["type"] in ("number", "integer") else []
    if "enum" in schema:
        out += ["", "no-such-" + schema["enum"][0]]
    if schema.get("maximum") is not None:
        out.append(repr(schema["maximum"] * 2 + 1 if schema["maximum"] > 0 else schema["maximum"] + 1))
    if schema.get("minimum") is not None:
        low = schema["minimum"]
        out.append(repr(low) if schema.get("exclusiveMinimum") else repr(low - 1 - abs(low)))
    if schema["type"] == "integer":
        out.append("1.5")
    return out


def _cases(document):
    for path, item in document["paths"].items():
        for p in item["get"]["parameters"]:
            for value in _forbidden(p["schema"]):
                yield path, p["name"], value


def test_every_value_the_document_forbids_is_a_named_400(client, doc):
    cases = list(_cases(doc))
    assert len(cases) > 40
    for path, name, value in cases:
        required = [p["name"] for p in doc["paths"][path]["get"]["parameters"] if p["required"]]
        query = {**{k: REQUIRED[k] for k in required if k in REQUIRED}, **VALID.get(path, {}), name: value}
        r = client.get(path, query_string=query)
        assert r.status_code == 400, (path, name, value, r.data[:200])
        assert name in json.loads(r.data)["error"]["message"], (path, name, value)


def test_text_parameters_declare_their_length_as_the_config_does(doc):
    expr = next(p for p in doc["paths"]["/api/gradient"]["get"]["parameters"] if p["name"] == "expr")
    assert expr["schema"]["maxLength"] == 300
    texts = [p for op in doc["paths"].values() for p in op["get"]["parameters"] if p["schema"]["type"] == "string"
             and "enum" not in p["schema"]]
    assert texts and all("maxLength" in p["schema"] for p in texts), [p["name"] for p in texts if "maxLength" not in p["schema"]]
