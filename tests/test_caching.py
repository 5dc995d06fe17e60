"""HTTP caching of the API (app.caching): complete answers carry a strong ETag and a public
max-age and revalidate to 304; errors and answers a time budget cut short are no-store, untagged."""

import gzip
import json

import pytest

from gradient_flow import __version__
from gradient_flow.app import create_app
from gradient_flow.app.jsonio import respond

GRADIENT = "/api/gradient?x=0.5&y=-0.3&derivation=0"


def test_a_complete_answer_has_a_strong_etag_of_version_and_query_and_a_public_max_age(app, client):
    resp = client.get(GRADIENT)
    assert resp.status_code == 200 and resp.json["gradient"] == pytest.approx([-1.15, 0.65])
    etag, weak = resp.get_etag()
    assert not weak and etag.startswith(f"{__version__}-")
    assert resp.headers["Cache-Control"] == f"public, max-age={app.config['API_MAX_AGE_S']}"
    assert resp.headers["Vary"] == "Accept-Encoding"


def test_the_etag_names_the_canonical_query_any_order_same_tag_another_value_another_tag(client):
    tag = client.get(GRADIENT).get_etag()[0]
    assert client.get("/api/gradient?derivation=0&y=-0.3&x=0.5").get_etag()[0] == tag
    assert client.get("/api/gradient?x=0.5&y=-0.3&derivation=1").get_etag()[0] != tag
    assert client.get("/api/trajectory?x0=0.5&y0=-0.3").get_etag()[0] not in (tag, None)


@pytest.mark.parametrize("path", ["/api/config", "/api/losses", "/api/openapi.json", "/api/field?n=5",
                                  "/api/analysis", "/api/trajectory?x0=1&y0=1&steps=3"])
def test_every_deterministic_endpoint_is_cacheable(client, path):
    resp = client.get(path)
    assert resp.status_code == 200 and resp.get_etag()[0] and resp.headers["Cache-Control"].startswith("public")


def test_a_matching_if_none_match_answers_304_with_no_body_and_the_same_validators(client):
    first = client.get(GRADIENT)
    again = client.get(GRADIENT, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    other = client.get(GRADIENT, headers={"If-None-Match": '"0.0.0-stale"'})
    assert other.status_code == 200 and other.json == first.json


def test_a_gzipped_answer_is_another_representation_with_its_own_etag(client):
    plain = client.get("/api/field?n=101")
    packed = client.get("/api/field?n=101", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert json.loads(gzip.decompress(packed.data)) == plain.json
    assert packed.get_etag()[0] == plain.get_etag()[0] + "-gz"
    revalidated = client.get("/api/field?n=101", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert revalidated.status_code == 304


@pytest.mark.parametrize("path, status", [("/api/gradient?x=0.5", 400), ("/api/nowhere", 404),
                                          ("/api/field?n=100000", 400)])
def test_errors_are_no_store_and_untagged(client, path, status):
    resp = client.get(path)
    assert resp.status_code == status and "error" in resp.json
    assert resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers


def test_a_refused_method_is_no_store(client):
    resp = client.post(GRADIENT)
    assert resp.status_code == 405 and resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers


def test_a_trajectory_cut_by_its_time_budget_is_no_store():
    client = create_app({"TESTING": True, "TRAJECTORY_BUDGET_S": 0.0}).test_client()
    resp = client.get("/api/trajectory?loss=rosenbrock&x0=-1.5&y0=2&method=flow&steps=10000&lr=0.01")
    assert resp.status_code == 200 and resp.json["status"] == "time_limit"
    assert resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers
    assert client.get("/api/trajectory?x0=1&y0=1&steps=0").headers["Cache-Control"].startswith("public")


def _app_with(rule, view):
    app = create_app({"TESTING": True})
    app.add_url_rule(rule, view_func=view)
    return app.test_client()


def test_an_analysis_marked_truncated_is_no_store():
    client = _app_with("/api/_cut", lambda: respond({"stationary_points": [], "truncated": True}))
    resp = client.get("/api/_cut")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers
    whole = _app_with("/api/_whole", lambda: respond({"stationary_points": [], "truncated": False}))
    assert whole.get("/api/_whole").headers["Cache-Control"].startswith("public")


def test_an_api_answer_not_made_by_jsonio_is_never_cached():
    client = _app_with("/api/_raw", lambda: "raw text")
    resp = client.get("/api/_raw")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers


def test_pages_and_static_files_keep_their_own_caching(client):
    page = client.get("/")
    assert page.status_code == 200 and "public, max-age=3600" not in page.headers.get("Cache-Control", "")


def _counting_app(payload, **config):
    app = create_app({"TESTING": True, **config})
    calls = []

    def view():
        calls.append(1)
        return respond(payload)

    app.add_url_rule("/api/_counted", view_func=view)
    return app, app.test_client(), calls


def test_a_worker_sends_a_repeat_from_its_answers_without_computing_it():
    app, client, calls = _counting_app({"value": 1.5})
    first = client.get("/api/_counted?b=2&a=1")
    again = client.get("/api/_counted?a=1&b=2")  # the same query in another order
    assert first.status_code == again.status_code == 200 and again.json == {"value": 1.5} and len(calls) == 1
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Cache-Control"].startswith("public")
    assert again.headers["X-Frame-Options"] == "DENY"  # the other hooks still run
    assert client.get("/api/_counted?a=1&b=3").status_code == 200 and len(calls) == 2
    revalidated = client.get("/api/_counted?a=1&b=2", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and len(calls) == 2


def test_cut_answers_and_errors_are_never_kept():
    app, client, calls = _counting_app({"status": "time_limit"})
    assert [client.get("/api/_counted").status_code for _ in range(2)] == [200, 200] and len(calls) == 2
    app = create_app({"TESTING": True})
    client = app.test_client()
    assert [client.get("/api/gradient?x=1").status_code for _ in range(2)] == [400, 400]
    assert len(app.extensions["answers"]) == 0


def test_gzipped_and_plain_answers_are_kept_apart():
    app, client, calls = _counting_app({"x": list(range(10_000))})  # ~50 KB: gzipped when asked
    packed = client.get("/api/_counted", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/api/_counted")
    again = client.get("/api/_counted", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == again.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers and len(plain.json["x"]) == 10_000
    assert again.data == packed.data and len(calls) == 2


def test_the_answers_are_bounded_in_bytes():
    app = create_app({"TESTING": True, "ANSWER_CACHE_BYTES": 16 * 1024})
    client = app.test_client()
    for k in range(200):  # ~250 bytes each
        assert client.get(f"/api/gradient?x={k / 100}&y=0&derivation=0").status_code == 200
    answers = app.extensions["answers"]
    assert 16 * 1024 - 500 < answers.size <= 16 * 1024 and 10 < len(answers) < 200
    assert client.get("/api/gradient?x=1.99&y=0&derivation=0").status_code == 200  # the newest is kept
    assert client.get("/api/gradient?x=0&y=0&derivation=1").status_code == 200  # 10 KB: over an eighth
    assert answers.size <= 16 * 1024


def test_no_answers_are_kept_when_configured_off():
    app, client, calls = _counting_app({"value": 1}, ANSWER_CACHE_BYTES=0)
    client.get("/api/_counted"), client.get("/api/_counted")
    assert len(calls) == 2 and app.extensions["answers"] is None


def test_a_request_marked_cut_is_no_store_though_its_body_looks_whole():
    from gradient_flow.app.caching import mark_cut

    def view():
        mark_cut()
        return respond({"derivation": []})

    client = _app_with("/api/_marked", view)
    resp = client.get("/api/_marked")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers
