"""Security headers on every response (app.security); the page's Content-Security-Policy runs only
its own files and its nonce'd import map, and the page passes it in Chromium with no violation."""

import re
import urllib.request

import pytest

from gradient_flow.app.security import HEADERS

EVERY_KIND = ["/", "/static/css/app.css", "/vendor/plotly.min.js", "/api/config", "/api/gradient?x=1",
              "/api/nowhere", "/nowhere"]


@pytest.mark.parametrize("path", EVERY_KIND)
def test_every_response_carries_the_security_headers(client, path):
    resp = client.get(path)
    assert resp.status_code in (200, 400, 404)
    for name, value in HEADERS.items():
        assert resp.headers[name] == value
    policy = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy


def test_a_304_carries_them_too(client):
    tag = client.get("/api/config").headers["ETag"]
    resp = client.get("/api/config", headers={"If-None-Match": tag})
    assert resp.status_code == 304 and resp.headers["X-Frame-Options"] == "DENY"


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_the_pages_policy_allows_no_inline_script_but_its_import_maps_nonce(client):
    first, second = client.get("/"), client.get("/")
    assert first.status_code == second.status_code == 200
    policy = _directives(first.headers["Content-Security-Policy"])
    nonce = next(s for s in policy["script-src"] if s.startswith("'nonce-"))[7:-1]
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]  # no 'unsafe-inline', no 'unsafe-eval'
    html = first.get_data(as_text=True)
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert nonce not in second.get_data(as_text=True)  # a fresh nonce per page
    assert not re.search(r"<[^>]+\son\w+=", html)  # no inline event handler
    assert "'unsafe-eval'" not in first.headers["Content-Security-Policy"]


def test_the_development_and_test_server_sends_no_version(server):
    with urllib.request.urlopen(server + "/api/config") as r:
        assert r.status == 200 and r.headers["Server"] == "gradient-flow"


@pytest.mark.browser
def test_the_page_runs_under_its_policy_with_no_violation_and_the_policy_bites(page, log, server):
    page.add_init_script("window.__violations = [];"
                         "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
                         "e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")
    page.goto("/#points=0.5,-0.3;1,1")
    page.get_by_role("button", name="Play").click()
    page.locator("#plot .main-svg").first.wait_for()
    page.get_by_text("Step 1:").first.wait_for()  # the worked example's MathML, SymPy's style attributes and all
    assert page.evaluate("window.__violations") == []
    # the policy is in force: an injected inline script does not run, and says so
    log.expected.append("Content Security Policy")
    ran = page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                                   document.body.append(s); return window.__ran === 1; }""")
    assert ran is False and any("script-src" in v for v in page.evaluate("window.__violations"))
