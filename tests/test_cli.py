"""`gradient-flow serve` really serves, with gunicorn by default: start it on a free port, wait for
its ready line, fetch the page and the API; --workers and WORKERS choose the processes, --debug
runs Flask's development server."""

import json
import os
import re
import sys
import urllib.error
import urllib.request

import pytest

from gradient_flow.app import create_app
from gradient_flow.app.cli import main
from gradient_flow.app.server import cores, gunicorn_options
from serving import free_port, launch

SERVE = [sys.executable, "-m", "gradient_flow.app.cli", "serve"]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers, r.read()


def workers_of(server, expected: int) -> set[int]:
    """The pids of the server's workers, its children (gunicorn's master forks them), once it has
    said it booted `expected` of them."""
    server.wait_for("Booting worker with pid", expected)
    children = open(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read().split()
    return set(map(int, children))


def test_help_lists_the_serve_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0 and "serve" in capsys.readouterr().out


def test_workers_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--workers", "0"])
    assert exc.value.code == 2 and "at least 1" in capsys.readouterr().err


def test_serve_is_gunicorn_with_the_asked_workers_answering_the_page_and_the_api():
    port = free_port()
    server = launch([*SERVE, "--port", str(port), "--workers", "2"], f"http://127.0.0.1:{port}/")
    try:
        assert "gunicorn, 2 workers" in server.log()
        status, headers, body = fetch(f"{server.url}/api/gradient?x=0.5&y=-0.3&derivation=0")
        assert status == 200 and [round(g, 6) for g in json.loads(body)["gradient"]] == [-1.15, 0.65]
        assert headers["Server"] == "gunicorn"  # no version
        status, headers, body = fetch(f"{server.url}/")
        assert status == 200 and b"<title>Gradient Flow" in body
        assert len(workers_of(server, 2)) == 2
        # between the app's limits and gunicorn's (twice them), the app answers, in JSON
        for headers, path, code in [({}, "/api/config?pad=" + "1" * 5000, 414),
                                    ({"X-Padding": "x" * 20_000}, "/api/config", 431)]:
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(server.url + path, headers=headers), timeout=30)
            assert refused.value.code == code and "error" in json.loads(refused.value.read())
    finally:
        server.stop()


def test_workers_default_to_the_environment_then_to_one_per_core():
    port = free_port()
    server = launch([*SERVE, "--port", str(port)], f"http://127.0.0.1:{port}/",
                    env={**os.environ, "WORKERS": "3"})
    try:
        assert "gunicorn, 3 workers" in server.log()
        assert fetch(f"{server.url}/api/config")[0] == 200
        assert len(workers_of(server, 3)) == 3
    finally:
        server.stop()
    env = {k: v for k, v in os.environ.items() if k != "WORKERS"}
    server = launch([*SERVE, "--port", str(port)], f"http://127.0.0.1:{port}/", env=env)
    try:
        assert f"gunicorn, {cores()} workers" in server.log()
        assert len(workers_of(server, cores())) == cores()
    finally:
        server.stop()


def test_host_and_port_come_from_the_environment():
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": "1"}  # and no flags
    server = launch(SERVE, f"http://127.0.0.1:{port}/", env=env)
    try:
        assert fetch(f"{server.url}/api/losses")[0] == 200
    finally:
        server.stop()


def test_debug_runs_flasks_development_server_without_its_version():
    port = free_port()
    server = launch([*SERVE, "--port", str(port), "--debug"], "Running on")
    try:
        status, headers, _ = fetch(f"http://127.0.0.1:{port}/api/config")
        assert status == 200 and headers["Server"] == "gradient-flow"
        assert "gunicorn" not in server.log()
    finally:
        server.stop()


def test_gunicorns_limits_lie_above_the_apps_so_the_app_answers_oversized_requests():
    app = create_app({"TESTING": True})
    options = gunicorn_options(app.config, "127.0.0.1", 5000, 2, 4)
    assert options["limit_request_line"] > app.config["MAX_URL_BYTES"]
    assert options["limit_request_field_size"] > app.config["MAX_HEADER_BYTES"]
    assert options["limit_request_fields"] > app.config["MAX_HEADER_FIELDS"]
    assert re.fullmatch(r"127\.0\.0\.1:5000", options["bind"][0])


def test_the_windows_server_is_waitress_answering_the_page_and_the_api():
    """What `gradient-flow serve` runs on win32 (no fork, so no gunicorn), run here directly."""
    port = free_port()
    code = ("from gradient_flow.app import create_app; from gradient_flow.app.server import _waitress; "
            f"_waitress(create_app(), '127.0.0.1', {port}, 4)")
    server = launch([sys.executable, "-c", code], f"http://127.0.0.1:{port}/")
    try:
        assert "(waitress, 4 threads)" in server.log()
        status, headers, body = fetch(f"{server.url}/api/gradient?x=0.5&y=-0.3&derivation=0")
        assert status == 200 and [round(g, 6) for g in json.loads(body)["gradient"]] == [-1.15, 0.65]
        assert headers["Server"] == "gradient-flow"
        assert fetch(f"{server.url}/")[0] == 200
    finally:
        server.stop()
