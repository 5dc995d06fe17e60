"""Which gunicorn worker model: cheap requests' latency while slow ones run, per configuration.

The app's requests are CPU-bound Python, so on N cores N processes is the throughput; the question
is what each process does while one request is slow. For each configuration this starts gunicorn
(`gunicorn 'gradient_flow.app:create_app()'`, preloaded, on a free port), keeps `--slow` clients
each sending never-cached slow requests back to back (a 10,000-step Dirac-GAN flow, ~0.6 s of
CPU, under its 2 s budget) and meanwhile times `--cheap` cheap requests (a never-cached gradient,
~1 ms) from one client, one at a time. Prints the cheap requests' p50/p95/max, the slow ones'
throughput and how many were cut by their budget.

    python bench/worker_model.py [--seconds 20] [--slow 4]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

from server import free_port, wait_for_line

CONFIGS = {  # name: gunicorn arguments
    "sync x2": ["-w", "2", "-k", "sync"],
    "sync x4": ["-w", "4", "-k", "sync"],
    "gthread 2x1": ["-w", "2", "-k", "gthread", "--threads", "1"],
    "gthread 2x2": ["-w", "2", "-k", "gthread", "--threads", "2"],
    "gthread 2x4": ["-w", "2", "-k", "gthread", "--threads", "4"],
    "gthread 2x8": ["-w", "2", "-k", "gthread", "--threads", "8"],
}
SLOW = "/api/trajectory?loss=dirac-gan&method=flow&steps=10000&lr=0.05&y0=1&x0={x}"
CHEAP = "/api/gradient?derivation=0&y=-0.3&x={x}"


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read()


def measure(args: list[str], seconds: float, slow_clients: int) -> dict:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--preload", "-b", f"127.0.0.1:{port}", *args,
                             "gradient_flow.app:create_app()"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        wait_for_line(proc, "Listening at")
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for k in range(20):  # every worker imports and compiles the two losses
            get(warm, CHEAP.format(x=k / 100)), get(warm, SLOW.format(x=1).replace("10000", "10"))
        stop = time.monotonic() + seconds
        counter = itertools.count()
        slow = {"done": 0, "cut": 0}

        def slow_client():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            while time.monotonic() < stop:
                status, body = get(conn, SLOW.format(x=1 + next(counter) * 1e-6))
                slow["done"] += status == 200
                slow["cut"] += b'"time_limit"' in body

        threads = [threading.Thread(target=slow_client) for _ in range(slow_clients)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # the slow load is running before the first cheap request is timed
        cheap, conn = [], http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < stop:
            start = time.perf_counter()
            status, _ = get(conn, CHEAP.format(x=0.5 + next(counter) * 1e-6))
            assert status == 200
            cheap.append((time.perf_counter() - start) * 1000)
            time.sleep(0.02)  # a student's click, not a flood
        for t in threads:
            t.join()
        q = statistics.quantiles(cheap, n=100, method="inclusive")
        return {"p50": q[49], "p95": q[94], "max": max(cheap), "slow/s": slow["done"] / seconds, "cut": slow["cut"]}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--slow", type=int, default=4, help="clients sending slow requests back to back")
    parser.add_argument("--only", nargs="*", help="configurations to run (default: all)")
    opts = parser.parse_args()
    print(f"{opts.slow} clients of slow requests, {opts.seconds:.0f} s each; cheap request latency in ms")
    print(f"{'configuration':14s} {'p50':>8s} {'p95':>8s} {'max':>8s} {'slow/s':>8s} {'cut':>5s}")
    for name, args in CONFIGS.items():
        if opts.only and name not in opts.only:
            continue
        r = measure(args, opts.seconds, opts.slow)
        print(f"{name:14s} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} {r['slow/s']:8.2f} {r['cut']:5d}", flush=True)


if __name__ == "__main__":
    main()
