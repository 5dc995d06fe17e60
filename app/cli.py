"""``gradient-flow serve``: run the app on a host and port (the Makefile's ``make run``).

Production by default (gunicorn, one worker per core: ``app.server`` says why); ``--debug`` runs
Flask's development server with its reloader and debugger, for working on the code.
"""

from __future__ import annotations

import argparse
import os


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv=None) -> int:
    from . import server

    parser = argparse.ArgumentParser(prog="gradient-flow", description="Gradient Flow: see why training goes right or wrong.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the explorer and its API")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"), help="default: $HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")), help="default: $PORT or 5000")
    serve.add_argument("--workers", type=_positive, default=os.environ.get("WORKERS") or server.cores(),
                       help="processes (default: $WORKERS or one per core)")
    serve.add_argument("--threads", type=_positive, default=server.DEFAULT_THREADS,
                       help=f"threads per process (default: {server.DEFAULT_THREADS})")
    serve.add_argument("--debug", action="store_true", help="Flask's development server, reloading on changes")
    args = parser.parse_args(argv)
    # One BLAS thread unless told otherwise, set before NumPy loads: the deep-network lab's matrices
    # (128 x 32) are far too small for threads to pay, and on a shared machine the threads of
    # concurrent requests fight over the cores (bench/network_api.py: p50 -10%, min -7%).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(name, "1")

    from . import create_app

    server.serve(create_app(), args.host, args.port, int(args.workers), args.threads, debug=args.debug)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
