"""What gzip costs on loopback: the same field answers with and without Accept-Encoding: gzip.

Starts `gradient-flow serve` (gunicorn), then times each request over one keep-alive connection,
warm, each a new query (so computed, never sent from the worker's answers), and the client's own
decompression: on loopback the bytes saved buy nothing, so the
difference is the whole cost of compressing for every client that asks (the app no longer asks
who the client is: behind nginx it is always loopback, and nginx asks for identity).

    python bench/gzip_cost.py [--runs 100]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import time
import zlib
from urllib.parse import urlsplit

from server import serving


def timed(conn, path: str, headers: dict) -> tuple[float, float, int]:
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    got = time.perf_counter()
    assert resp.status == 200
    if resp.getheader("Content-Encoding") == "gzip":
        zlib.decompress(body, 31)
    return (got - start) * 1000, (time.perf_counter() - got) * 1000, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    runs = parser.parse_args().runs
    with serving(("--workers", "1")) as app:
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(app.url).port, timeout=30)
        print(f"{'answer':16s} {'bytes':>9s} {'p50 ms':>7s} {'gz bytes':>9s} {'p50 ms':>7s} {'+unzip':>7s} {'cost ms':>8s}")
        for n in (41, 61, 101, 301):
            # a new query every time (a vanishing threshold a hair apart): computed, never replayed
            path = lambda k: f"/api/field?n={n}&vanish={0.01 + k * 1e-9:.12f}"  # noqa: E731
            for k in range(5):
                timed(conn, path(k), {}), timed(conn, path(k), {"Accept-Encoding": "gzip"})
            plain = [timed(conn, path(10 + k), {}) for k in range(runs)]
            packed = [timed(conn, path(10 + runs + k), {"Accept-Encoding": "gzip"}) for k in range(runs)]
            p, g = statistics.median(s[0] for s in plain), statistics.median(s[0] for s in packed)
            unzip = statistics.median(s[1] for s in packed)
            print(f"field n={n:<8d} {plain[0][2]:9d} {p:7.2f} {packed[0][2]:9d} {g:7.2f} {unzip:7.2f} {g + unzip - p:8.2f}")


if __name__ == "__main__":
    main()
