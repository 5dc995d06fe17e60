"""API latency on loopback, warm: p50 and p95 of the requests the page makes most.

Starts `gradient-flow serve` in its own process on a free port (so client and
server do not share a GIL), warms it, then times each request over one
keep-alive connection, as a browser would. The workers' store of recent answers
is off, so a repeated URL is computed again: this bench times the computing. Targets (issue 2): field at n = 41
<= 5 ms, Adam trajectory of 1000 steps <= 10 ms, first gradient of a
never-seen custom expression <= 150 ms.

    python bench/api_latency.py [--runs 200]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import time
from urllib.parse import urlsplit, urlencode

from server import serving

TARGETS_MS = {"field n=41": 5, "trajectory adam 1000": 10, "new expression gradient": 150}


def timed(conn: http.client.HTTPConnection, path: str, params: dict) -> float:
    start = time.perf_counter()
    conn.request("GET", f"{path}?{urlencode(params)}")
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"{path} {params} answered {response.status}: {body[:200]!r}")
    return elapsed


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    # each worker would send a repeated URL from its answers (app.caching): this bench times computing
    with serving(config={"ANSWER_CACHE_BYTES": 0}) as running:
        base = running.url
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(base).port, timeout=30)
        cases = {
            "field n=41": lambda k: ("/api/field", {"n": 41}),
            "field n=101": lambda k: ("/api/field", {"n": 101}),
            "gradient (seed, with derivation)": lambda k: ("/api/gradient", {"x": 0.5, "y": -0.3}),
            "trajectory adam 1000": lambda k: ("/api/trajectory",
                                              {"x0": 0.5, "y0": -0.3, "method": "adam", "steps": 1000, "lr": 0.001}),
            "trajectory flow 1000 (rosenbrock)": lambda k: ("/api/trajectory", {"loss": "rosenbrock", "x0": -1.5,
                                                           "y0": 2, "method": "flow", "steps": 1000, "lr": 0.01}),
            "new expression gradient": lambda k: ("/api/gradient", {"loss": "custom", "x": 0.5, "y": -0.3,
                                                  "expr": f"(x - {k})^2 + {k + 1}y^2 + sin({k}x) + 0.5x*y"}),
        }
        print(f"{'request':38s} {'p50 ms':>8s} {'p95 ms':>8s} {'target':>8s}")
        for name, make in cases.items():
            n = runs if "flow" not in name else max(20, runs // 10)
            if "new expression" not in name:
                for k in range(5):  # warm the caches and the connection
                    timed(conn, *make(k))
            samples = [timed(conn, *make(1000 + k)) for k in range(n)]
            target = TARGETS_MS.get(name)
            verdict = "" if target is None else f"<= {target}" + (" ok" if percentile(samples, 95) <= target else " MISS")
            print(f"{name:38s} {percentile(samples, 50):8.2f} {percentile(samples, 95):8.2f} {verdict:>8s}")


if __name__ == "__main__":
    main()
