"""Shared fixtures, after Flask's tutorial: an app per test, and a client for it; and, for the
browser tests, a live server, one Chromium for the session and a fresh page per test that checks,
on the way out, that no request left the origin and nothing was logged as an error."""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from gradient_flow.app import create_app
from gradient_flow.app.server import QuietHandler


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


# -- the browser ------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# Chromium logs every HTTP error a fetch receives; a 400 is the expected answer to a bad expression.
EXPECTED_400 = "Failed to load resource: the server responded with a status of 400"


@dataclass
class Log:
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    # console errors a test provokes on purpose (a refused expression's 400, a cut connection)
    expected: list[str] = field(default_factory=lambda: [EXPECTED_400])


@pytest.fixture(scope="session")
def server():
    srv = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture(scope="session")
def context(server, tmp_path_factory):
    """One browser for the session. A persistent profile keeps V8's code cache on disk, so a fresh
    page (a fresh renderer process) does not compile plotly.min.js from scratch every time: that
    alone is ~3 s a test on two cores."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=CHROMIUM, args=ARGS,
            base_url=server, viewport={"width": 1280, "height": 900})
        ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
        ctx.set_default_timeout(15_000)
        yield ctx
        ctx.close()


@pytest.fixture
def log():
    return Log()


@pytest.fixture
def page(context, server, log):
    page = context.new_page()
    # a Content-Security-Policy violation is a console error too: the page must pass its own policy
    page.on("console", lambda m: m.type == "error" and log.errors.append(m.text))
    page.on("pageerror", lambda e: log.errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: log.requests.append(r.url))
    yield page
    page.close()
    origin = urlsplit(server)
    strangers = [u for u in log.requests if urlsplit(u)[:2] != origin[:2]
                 and not u.startswith(("data:", "blob:", "file:"))]  # file: a saved page opened from disk
    assert not strangers, f"requests left the origin: {strangers}"
    assert all(any(x in e for x in log.expected) for e in log.errors), log.errors
