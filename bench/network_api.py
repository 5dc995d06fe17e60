"""/api/network latency on loopback, warm: p50 and p95 of whole answers (training and JSON), as the
Deep network view asks for them.

Starts `gradient-flow serve` in its own process on a free port and times each request over one
keep-alive connection. Every timed request trains afresh (a new seed each time, so the server's run
cache never answers); a last line times a repeated request, which the cache does answer. The cases:

* the issue's request: depth 20, width 32, batch 128, 500 steps recorded every 10 (tanh, standard
  init, Adam: the lab's defaults otherwise). Target (issue 10): <= 300 ms.
* the view's default run (depth 4, width 16, batch 64, 500 steps), what a knob change on the
  opening picture costs.

``--blas-threads N`` sets OPENBLAS_NUM_THREADS (and OMP_NUM_THREADS) for the server process; without
it the server takes its own default, one thread (app/cli.py): the matrices here are 128 x 32, far
too small for threads to pay, and on a shared machine they compete with each other. CPU time is printed too, since other jobs on the machine inflate wall time.

    python bench/network_api.py [--runs 20] [--blas-threads 1]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import time
from urllib.parse import urlencode, urlsplit

from server import serving

TARGET_MS = 300
CASES = {
    "issue: depth 20 x 32, batch 128, 500 steps": {"depth": 20, "width": 32, "batch": 128, "steps": 500, "record": 10},
    "default: depth 4 x 16, batch 64, 500 steps": {},
}


def timed(conn: http.client.HTTPConnection, params: dict) -> tuple[float, int]:
    start = time.perf_counter()
    conn.request("GET", f"/api/network?{urlencode(params)}")
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"{params} answered {response.status}: {body[:200]!r}")
    if b'"status":"time_limit"' in body:
        raise SystemExit(f"{params} hit the server's time budget: the machine is too busy to measure")
    return elapsed, len(body)


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--blas-threads", type=int, default=None)
    args = parser.parse_args()
    if args.blas_threads:
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(args.blas_threads)
    with serving() as base:
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(base).port, timeout=60)
        threads = os.environ.get("OPENBLAS_NUM_THREADS", "the server's default (1)")
        print(f"/api/network on loopback, BLAS threads: {threads}, {args.runs} fresh runs each")
        print(f"{'request':46s} {'p50 ms':>8s} {'p95 ms':>8s} {'min ms':>8s} {'KB':>6s}")
        for name, params in CASES.items():
            for k in range(3):  # warm: imports, BLAS's first calls, the connection
                timed(conn, {**params, "seed": 10_000 + k})
            samples = [timed(conn, {**params, "seed": k}) for k in range(args.runs)]
            ms = [s for s, _ in samples]
            verdict = f"target <= {TARGET_MS}: {'ok' if percentile(ms, 95) <= TARGET_MS else 'MISS'}" if "issue" in name else ""
            print(f"{name:46s} {percentile(ms, 50):8.1f} {percentile(ms, 95):8.1f} {min(ms):8.1f} "
                  f"{samples[0][1] / 1024:6.0f}  {verdict}")
        timed(conn, {**CASES[next(iter(CASES))], "seed": 0})  # trained (again, if evicted since) and kept
        again = [timed(conn, {**CASES[next(iter(CASES))], "seed": 0})[0] for _ in range(args.runs)]
        print(f"{'the issue request again (the run cache)':46s} {percentile(again, 50):8.1f} {percentile(again, 95):8.1f} "
              f"{min(again):8.1f}")


if __name__ == "__main__":
    main()
