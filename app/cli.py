"""``gradient-flow serve``: run the app on a host and port (the Makefile's ``make run``)."""

from __future__ import annotations

import argparse
import os


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="gradient-flow", description="Gradient Flow: see why training goes right or wrong.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the explorer and its API")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    args = parser.parse_args(argv)
    # One BLAS thread unless told otherwise, set before NumPy loads: the deep-network lab's matrices
    # (128 x 32) are far too small for threads to pay, and on a shared machine the threads of
    # concurrent requests fight over the cores (bench/network_api.py: p50 -10%, min -7%).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(name, "1")

    from . import create_app

    app = create_app()
    print(f"Gradient Flow at http://{args.host}:{args.port}/", flush=True)
    app.run(host=args.host, port=args.port, threaded=True, debug=False, load_dotenv=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
