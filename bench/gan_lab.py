"""The GAN lab's endpoints on loopback, warm: p50 and p95 of a convergence map and a phase diagram.

Starts `gradient-flow serve` in its own process (bench/server.py), warms it, then times each request
over one keep-alive connection, as the page would make it. Targets (issue 9): /api/basins at n = 64,
1000 steps, gd on dirac-gan <= 150 ms; /api/phase at 101 x 101 over lr x gamma, gd on dirac-gan
<= 100 ms. Each also reports what the answer held, so a fast wrong answer (truncated, or a 400)
cannot pass for a fast right one.

    python bench/gan_lab.py [--runs 40]
"""

from __future__ import annotations

import argparse
import http.client
import json
import time
from urllib.parse import urlencode, urlsplit

from api_latency import percentile
from server import serving

CASES = {
    "basins n=64 1000 steps gd dirac-gan": ("/api/basins", {"loss": "dirac-gan", "method": "gd", "lr": 0.1,
                                                            "steps": 1000, "n": 64}, 150),
    "phase 101x101 lr x gamma gd dirac-gan": ("/api/phase", {"loss": "dirac-gan", "method": "gd", "axis_x": "lr",
                                                             "x": "0.01,1,101", "axis_y": "gamma", "y": "0,2,101"}, 100),
    # not targets: what the other variants cost
    "basins n=64 1000 steps gd dirac-gan gamma=0.5": ("/api/basins", {"loss": "dirac-gan", "gamma": 0.5, "n": 64,
                                                                      "steps": 1000}, None),
    "phase 101x101 lr x beta momentum dirac-gan": ("/api/phase", {"loss": "dirac-gan", "method": "momentum",
                                                                  "axis_x": "lr", "x": "0.01,1,101", "axis_y": "beta",
                                                                  "y": "0,0.99,101"}, None),
}


def timed(conn: http.client.HTTPConnection, path: str, params: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    conn.request("GET", f"{path}?{urlencode(params)}")
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"{path} {params} answered {response.status}: {body[:200]!r}")
    return elapsed, json.loads(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    # the workers' answer cache would send every repeat without computing it: time the computation
    with serving(config={"ANSWER_CACHE_BYTES": 0}) as running:
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(running.url).port, timeout=60)
        print(f"{'request':48s} {'p50 ms':>8s} {'p95 ms':>8s} {'target':>10s}  answer")
        for name, (path, params, target) in CASES.items():
            for _ in range(3):  # warm: compile, analyse, connect
                timed(conn, path, params)
            samples, body = [], None
            for _ in range(runs):
                elapsed, body = timed(conn, path, params)
                samples.append(elapsed)
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            verdict = "" if target is None else f"<= {target}" + (" ok" if p95 <= target else " MISS")
            held = (f"truncated={body['truncated']}" if "truncated" in body
                    else f"lost={body['lost']} cells={len(body['x']) * len(body['y'])}")
            print(f"{name:48s} {p50:8.1f} {p95:8.1f} {verdict:>10s}  {held}")


if __name__ == "__main__":
    main()
