"""Run deploy/nginx.conf on this machine without root: the same file, with its ports and paths
replaced, under a prefix of its own (pid, temp, cache and log files in one directory).

tests/test_nginx.py and bench/class_load.py run it this way; so can you, to try the deployment
before installing it (the README's "Deployment" section):

    gradient-flow serve --port 8001 &
    python deploy/nginx_local.py --upstream 8001 --port 8080 --dir /tmp/gf-nginx

It prints ``nginx at http://127.0.0.1:PORT/`` once nginx listens, and stops nginx on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

SITE = Path(__file__).resolve().parent / "nginx.conf"
MIME_TYPES = "/etc/nginx/mime.types"  # Debian's nginx-common


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def render_site(upstreams: list[int], port: int, cache_dir: Path) -> str:
    """deploy/nginx.conf with these upstream ports, this port on loopback and this cache directory;
    everything else as shipped. Fails loudly if the file no longer has the lines it replaces."""
    text = SITE.read_text()
    text, n = re.subn(r"(?m)^\s*server 127\.0\.0\.1:800\d[^;]*;\n", "", text)
    assert n == 2, "deploy/nginx.conf's upstream lines changed: update render_site"
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in upstreams)
    text = text.replace("upstream gradient_flow {\n", "upstream gradient_flow {\n" + servers, 1)
    text, n1 = re.subn(r"(?m)^\s*listen \[::\]:80;\n", "", text)
    text, n2 = re.subn(r"(?m)^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{port};", text)
    text, n3 = re.subn(r"proxy_cache_path /var/lib/nginx/gradient-flow", f"proxy_cache_path {cache_dir}", text)
    assert (n1, n2, n3) == (1, 1, 1), "deploy/nginx.conf's listen or proxy_cache_path lines changed"
    return text


def main_conf(root: Path, site: Path, workers: int = 1) -> str:
    """What Debian's /etc/nginx/nginx.conf gives a conf.d file (mime types, gzip on), with paths
    under root. As root, nginx's workers would run as nobody, who cannot write there: stay root."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {root / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes {workers};\ndaemon off;\npid {root / 'nginx.pid'};\n"
            f"error_log {root / 'error.log'} warn;\nevents {{ worker_connections 4096; }}\n"
            f"http {{\n    include {MIME_TYPES};\n    access_log {root / 'access.log'};\n{temp}"
            f"    gzip on;\n    include {site};\n}}\n")


@contextlib.contextmanager
def running(upstreams: list[int], port: int, root: Path, workers: int = 1,
            deadline_s: float = 20) -> Iterator[subprocess.Popen]:
    """nginx in front of the upstreams, listening on port once this yields; stopped on exit."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    root.mkdir(parents=True, exist_ok=True)
    site = root / "gradient-flow.conf"
    site.write_text(render_site(upstreams, port, root / "cache"))
    conf = root / "nginx.conf"
    conf.write_text(main_conf(root, site, workers))
    check = subprocess.run([binary, "-t", "-p", str(root), "-c", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(check.stderr)
    proc = subprocess.Popen([binary, "-p", str(root), "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        _wait_listening(port, proc, deadline_s)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_listening(port: int, proc: subprocess.Popen, deadline_s: float) -> None:
    """nginx says nothing when it listens: poll its port, with a deadline."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError(f"nginx is not listening on {port}: {proc.communicate()}") from None
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", type=int, action="append", required=True, help="a gunicorn port (repeatable)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/gradient-flow-nginx"))
    parser.add_argument("--workers", type=int, default=1, help="nginx worker processes")
    opts = parser.parse_args()
    with running(opts.upstream, opts.port, opts.dir, opts.workers) as proc:
        print(f"nginx at http://127.0.0.1:{opts.port}/ (files in {opts.dir})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            proc.wait()


if __name__ == "__main__":
    main()
