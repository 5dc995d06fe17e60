"""A real `gradient-flow serve` process for the benches, on a free loopback port.

The server runs in its own process so that the client (urllib or Chromium's driver) never shares
its GIL. Werkzeug logs one line per request to the pipe we read the start-up line from; a daemon
thread keeps draining that pipe, or after a few thousand requests the buffer fills, the server
blocks on write, and the bench sees a timeout that has nothing to do with the server's speed.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _discard(stream) -> None:
    for _ in stream:
        pass


@contextlib.contextmanager
def serving() -> Iterator[str]:
    """Yield the base URL of a running server; stop it on exit."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gradient_flow.app.cli", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in proc.stdout:
            if "Running on" in line:
                break
        else:
            raise SystemExit("server exited before listening")
        threading.Thread(target=_discard, args=(proc.stdout,), daemon=True).start()
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
