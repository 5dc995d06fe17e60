"""A real `gradient-flow serve` process for the benches, on a free loopback port: `make run`'s server.

The server runs in its own process (gunicorn's master and a worker per core, or whatever `args`
ask for) so that the client (urllib, the load generator, Chromium's driver) never shares its GIL.
It prints ``Gradient Flow at http://...`` once its socket listens; we wait for that line with a
deadline, reading the raw pipe (a buffered readline could hide a line from select). A daemon thread
then keeps draining the pipe, or a full buffer would block the server on a log write.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Running:
    url: str
    pid: int  # gunicorn's master: its children are the workers


def _discard(fd: int) -> None:
    while os.read(fd, 65536):
        pass


def wait_for_line(proc: subprocess.Popen, text: str, deadline_s: float = 60) -> None:
    fd, seen, end = proc.stdout.fileno(), b"", time.monotonic() + deadline_s
    while text.encode() not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise SystemExit(f"server did not say {text!r} within {deadline_s} s:\n{seen.decode()}")
        if select.select([fd], [], [], left)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise SystemExit(f"server exited before listening:\n{seen.decode()}")
            seen += chunk


@contextlib.contextmanager
def serving(args: tuple[str, ...] = (), port: int | None = None, config: dict | None = None) -> Iterator[Running]:
    """Yield the running server; stop it, and its workers, on exit. `config` overrides create_app's
    defaults through GRADIENT_FLOW_<NAME> (a value as JSON)."""
    port = port or free_port()
    env = {**os.environ, **{f"GRADIENT_FLOW_{k}": json.dumps(v) for k, v in (config or {}).items()}}
    proc = subprocess.Popen([sys.executable, "-m", "gradient_flow.app.cli", "serve", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    try:
        wait_for_line(proc, f"Gradient Flow at http://127.0.0.1:{port}/")
        threading.Thread(target=_discard, args=(proc.stdout.fileno(),), daemon=True).start()
        yield Running(f"http://127.0.0.1:{port}", proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
