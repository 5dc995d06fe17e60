"""Requests over the app's own limits answer 414 and 431 in JSON under /api/, and OPTIONS answers
JSON (app.protocol); the limits are the app's config, whatever server runs it."""

import pytest

from gradient_flow.app import create_app


def test_a_url_over_the_limit_is_a_json_414_and_one_at_the_limit_is_not(app, client):
    limit = app.config["MAX_URL_BYTES"]
    base = "/api/gradient?x=0.5&y=-0.3&derivation=0&pad="
    at = base + "1" * (limit - len(base))
    assert client.get(at).status_code == 400  # under the limit: the route's own answer (pad is unknown)
    resp = client.get(at + "1")
    assert resp.status_code == 414 and resp.is_json
    assert f"{limit + 1} bytes" in resp.json["error"]["message"] and f"at most {limit}" in resp.json["error"]["message"]
    assert resp.headers["Cache-Control"] == "no-store"


def test_headers_over_the_limit_are_a_json_431(app, client):
    resp = client.get("/api/config", headers={"X-Padding": "x" * app.config["MAX_HEADER_BYTES"]})
    assert resp.status_code == 431 and resp.is_json and "headers are" in resp.json["error"]["message"]
    many = {f"X-F{i}": "1" for i in range(app.config["MAX_HEADER_FIELDS"] + 1)}
    resp = client.get("/api/config", headers=many)
    assert resp.status_code == 431 and resp.is_json
    assert client.get("/api/config", headers={"X-Padding": "x" * 8000}).status_code == 200


def test_the_limits_are_the_apps_config():
    client = create_app({"TESTING": True, "MAX_URL_BYTES": 64}).test_client()
    assert client.get("/api/config").status_code == 200
    assert client.get("/api/gradient?x=0.5&y=-0.3&derivation=0&lr=0.1&c=0.5&scale=1&vanish=0.01").status_code == 414


def test_outside_the_api_an_oversized_request_is_refused_as_html(app, client):
    resp = client.get("/?" + "a" * app.config["MAX_URL_BYTES"])
    assert resp.status_code == 414 and resp.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/api/field", "/api/config", "/api/openapi.json"])
def test_options_answers_json_naming_the_allowed_methods(client, path):
    resp = client.options(path)
    assert resp.status_code == 200 and resp.json == {"allow": ["GET", "HEAD", "OPTIONS"]}
    assert resp.headers["Allow"] == "GET, HEAD, OPTIONS" and resp.headers["Cache-Control"] == "no-store"


def test_options_on_an_unknown_api_route_is_a_json_404(client):
    resp = client.options("/api/nowhere")
    assert resp.status_code == 404 and resp.is_json
