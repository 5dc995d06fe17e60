"""deploy/nginx.conf, run for real: nginx (Debian's) in front of gunicorn, both on free loopback
ports, with nginx's prefix, pid, temp, cache and log paths in a tmp dir. A repeated API request
is served from nginx's cache, byte for byte; an error or a budget-cut answer never is."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import os
import sys
from pathlib import Path

import pytest

from serving import free_port, launch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))
import nginx_local  # noqa: E402  deploy/nginx_local.py: deploy/nginx.conf rendered with our ports, run without root

# CI installs nginx (.ci/run), so there a missing nginx fails; on a developer's machine it skips
pytestmark = pytest.mark.skipif(nginx_local.nginx_binary() is None and not os.environ.get("CI"),
                                reason="nginx is not installed (apt-get install nginx)")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    app_port, port = free_port(), free_port()
    # a tiny trajectory budget, so that a long run is reliably cut: what a loaded server does
    env = {**os.environ, "WORKERS": "1", "GRADIENT_FLOW_TRAJECTORY_BUDGET_S": "0.05"}
    app = launch([sys.executable, "-m", "gradient_flow.app.cli", "serve", "--port", str(app_port)],
                 f"http://127.0.0.1:{app_port}/", env=env)
    try:
        with nginx_local.running([app_port], port, root):
            yield port
    finally:
        app.stop()


def get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def test_a_repeated_api_request_is_a_cache_hit_with_the_same_body(deployment):
    path = "/api/gradient?x=0.5&y=-0.3"
    s1, h1, b1 = get(deployment, path)
    s2, h2, b2 = get(deployment, path)
    assert s1 == s2 == 200
    assert h1["X-Cache-Status"] == "MISS" and h2["X-Cache-Status"] == "HIT"
    assert b1 == b2 and [round(g, 9) for g in json.loads(b2)["gradient"]] == [-1.15, 0.65]
    assert h2["ETag"] == h1["ETag"] and h2["Cache-Control"].startswith("public, max-age=")
    assert h2["Server"] == "nginx" and h2["Content-Security-Policy"].startswith("default-src 'none'")
    s3, h3, b3 = get(deployment, path, {"If-None-Match": h1["ETag"]})
    assert s3 == 304 and b3 == b""


def test_one_cached_entry_serves_gzip_to_who_takes_it_and_plain_bytes_to_who_does_not(deployment):
    path = "/api/field?n=61"  # ~150 KB: the app gzips it, nginx keeps that form
    packed = get(deployment, path, {"Accept-Encoding": "gzip, deflate, br"})
    plain = get(deployment, path)
    again = get(deployment, path, {"Accept-Encoding": "gzip"})
    assert packed[0] == plain[0] == again[0] == 200
    assert [r[1]["X-Cache-Status"] for r in (packed, plain, again)] == ["MISS", "HIT", "HIT"]  # one entry
    assert packed[1]["Content-Encoding"] == again[1]["Content-Encoding"] == "gzip" and packed[2] == again[2]
    assert "Content-Encoding" not in plain[1] and gzip.decompress(packed[2]) == plain[2]
    assert len(json.loads(plain[2])["x"]) == 61


@pytest.mark.parametrize("path, status", [
    ("/api/gradient?x=0.5", 400),
    ("/api/nowhere", 404),
    ("/api/trajectory?loss=rosenbrock&x0=-1.5&y0=2&method=flow&steps=10000&lr=0.01", 200),  # time_limit
])
def test_an_error_or_a_budget_cut_answer_is_never_a_hit(deployment, path, status):
    answers = [get(deployment, path) for _ in range(3)]
    assert [a[0] for a in answers] == [status] * 3
    assert [a[1]["X-Cache-Status"] for a in answers] == ["MISS"] * 3
    assert all(a[1]["Cache-Control"] == "no-store" for a in answers)
    if status == 200:
        assert json.loads(answers[-1][2])["status"] == "time_limit"


def test_static_files_are_cached_and_the_page_is_not(deployment):
    status, _, html = get(deployment, "/")
    assert status == 200
    js = re.search(rb'src="(/static/js/main\.js\?v=\w+)"', html).group(1).decode()
    first, second = get(deployment, js), get(deployment, js)
    assert first[0] == second[0] == 200 and second[1]["X-Cache-Status"] == "HIT" and first[2] == second[2]
    assert "immutable" in second[1]["Cache-Control"]
    again = get(deployment, "/")
    assert "X-Cache-Status" not in again[1]
    nonce = re.compile(rb'nonce="([^"]+)"')
    assert nonce.search(html).group(1) != nonce.search(again[2]).group(1)


def test_the_apps_json_refusals_pass_through(deployment):
    status, headers, body = get(deployment, "/api/config?pad=" + "1" * 5000)
    assert status == 414 and json.loads(body)["error"]["message"].startswith("Request URI Too Long")
    status, headers, body = get(deployment, "/api/config", {"X-Padding": "x" * 7000, "X-More": "y" * 7000,
                                                           "X-Last": "z" * 3000})
    assert status == 431 and "headers are" in json.loads(body)["error"]["message"]
