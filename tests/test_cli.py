"""`gradient-flow serve` really serves: start it on a free port and fetch the page and the API."""

import socket
import subprocess
import sys
import urllib.request

import pytest

from gradient_flow.app.cli import main


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_help_lists_the_serve_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0 and "serve" in capsys.readouterr().out


def test_serve_answers_on_the_given_port():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gradient_flow.app.cli", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline()
        # Werkzeug says "Running on" once the socket is bound: wait for that line, not for time.
        for line in proc.stdout:
            if "Running on" in line:
                break
        else:
            pytest.fail("server exited before listening")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/config", timeout=5) as r:
            assert r.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
