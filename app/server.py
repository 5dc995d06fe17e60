"""How the app is served: gunicorn in production, waitress on Windows, Flask's server for ``--debug``.

Every request is CPU-bound Python (SymPy, NumPy, a Python loop per optimiser step), so a process
can use one core at a time: throughput comes from processes, one gunicorn worker per core. Each
worker is a ``gthread`` worker, a few threads over one GIL: the threads do not add throughput, but
a slow analysis holds one thread, not the worker, and Python's switch interval (5 ms) lets a cheap
request through beside it; a ``sync`` worker would make it wait for the whole analysis. A thread
worker also keeps a browser's connection open between requests (a ``sync`` worker closes it) and
holds idle connections in a poller, not in a thread. The README has the measurements.

The app is created once, in gunicorn's master, before the workers fork: they share its imported
code (SymPy alone is 60 MB) and each then fills its own caches, which belong to the app
(``app.engine.Engine``), never to a module, so no worker depends on another.

The app declares how long a URL and how large the headers may be (``create_app``'s config);
gunicorn's own limits are set above them, so that a request between the two is answered by the
app, in JSON under ``/api/``, not by gunicorn's plain-text refusal.

Each server prints ``Gradient Flow at http://HOST:PORT/`` once its socket listens: a script can
wait for that line rather than for time.
"""

from __future__ import annotations

import os
import sys

from werkzeug.serving import WSGIRequestHandler

DEFAULT_THREADS = 4  # bench/worker_model.py; the README's "Installing and serving" has the figures
KEEPALIVE_S = 5  # a student thinks for a few seconds between requests; reconnecting costs more


def cores() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def ready_line(host: str, port: int) -> str:
    return f"Gradient Flow at http://{_netloc(host, port)}/"


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without its version and Python's in the Server header."""

    def version_string(self) -> str:
        return "gradient-flow"


def serve(app, host: str, port: int, workers: int, threads: int, debug: bool = False) -> None:
    if debug:
        print(ready_line(host, port) + " (Flask's development server, debug mode)", flush=True)
        app.run(host=host, port=port, debug=True, threaded=True, load_dotenv=False,
                request_handler=QuietHandler)
    elif sys.platform == "win32":
        _waitress(app, host, port, threads)
    else:
        _run_gunicorn(app, gunicorn_options(app.config, host, port, workers, threads))


def gunicorn_options(config, host: str, port: int, workers: int, threads: int) -> dict:
    """gunicorn's settings for this app; its request limits twice the app's (gunicorn caps a
    request line at 8190 bytes), so the app answers every size between its limit and double."""
    return {
        "bind": [_netloc(host, port)],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": KEEPALIVE_S,
        "preload_app": True,
        "limit_request_line": min(2 * config["MAX_URL_BYTES"], 8190),
        "limit_request_field_size": 2 * config["MAX_HEADER_BYTES"],
        "limit_request_fields": 2 * config["MAX_HEADER_FIELDS"],
        # gunicorn >= 25 opens a control socket at one path per user: two servers would share it
        "control_socket_disable": True,
        "when_ready": lambda arbiter: print(
            f"{ready_line(host, port)} (gunicorn, {workers} workers x {threads} threads)", flush=True),
    }


def _run_gunicorn(app, options: dict) -> None:
    """gunicorn run from Python with settings of ours, never from sys.argv or a config file."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if key in self.cfg.settings:  # a setting newer than the installed gunicorn is skipped
                    self.cfg.set(key, value)

        def load(self):
            return app

    Server().run()


def _waitress(app, host: str, port: int, threads: int) -> None:
    """Windows has no fork, so no gunicorn: waitress, one process of threads (one core's worth)."""
    from waitress import create_server

    server = create_server(app, host=host, port=port, threads=threads, ident="gradient-flow")
    print(f"{ready_line(host, port)} (waitress, {threads} threads)", flush=True)
    server.run()
