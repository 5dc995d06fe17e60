"""Start a real server process and wait until it listens: by its own words, with a deadline.

`gradient-flow serve` prints ``Gradient Flow at http://HOST:PORT/`` once its socket listens
(app.server); a caller waits for that line with select() against a deadline, never for a guessed
time. The rest of the output is kept, drained by a thread (a full pipe would block the server),
so a failing test can show it.
"""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    output: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "".join(self.output)

    def wait_for(self, text: str, count: int = 1, deadline_s: float = 30) -> None:
        """Until `count` lines of the output contain `text` (the drain thread appends them)."""
        end = time.monotonic() + deadline_s
        while sum(text in line for line in self.output) < count:
            if time.monotonic() > end or self.proc.poll() is not None:
                raise TimeoutError(f"{count} x {text!r} not seen within {deadline_s} s:\n{self.log()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop it and everything it started (gunicorn's workers, a reloader's child): its group."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


def launch(cmd: list[str], ready: str, *, cwd=None, env=None, deadline_s: float = 60) -> Server:
    """Run cmd in its own process group; return once a line of its output contains `ready`."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    server = Server(proc, "")
    fd, pending, end = proc.stdout.fileno(), b"", time.monotonic() + deadline_s
    try:
        while True:  # raw reads: a buffered readline could hide a line select() no longer sees
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{cmd[0]} did not say {ready!r} within {deadline_s} s:\n{server.log()}")
            if not select.select([fd], [], [], left)[0]:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError(f"{cmd[0]} exited ({proc.wait()}) before listening:\n{server.log()}")
            *lines, pending = (pending + chunk).split(b"\n")
            server.output.extend(line.decode(errors="replace") + "\n" for line in lines)
            said = [line for line in server.output if ready in line]
            if said:
                found = re.search(r"https?://\S+?(?=/?\s|/?$)", said[0])
                server.url = found.group(0) if found else ""
                break
    except BaseException:
        server.stop()
        raise
    server.output.append(pending.decode(errors="replace"))
    threading.Thread(target=_drain, args=(proc.stdout, server.output), daemon=True).start()
    return server


def _drain(stream, output: list[str]) -> None:
    for line in stream:
        output.append(line.decode(errors="replace"))
