"""A class of 300, measured: simulated students against `make run`'s server and the nginx deployment.

Each student opens the page (the HTML, every module the import map names, the CSS, the icon and
plotly.min.js, once: the browser keeps them, their URLs being hashed) and then, for `--seconds`,
does what the page makes a person's clicks cost, with a few seconds of thought between actions:
adds points (a gradient, a trajectory, the worked example), drags a loss parameter or changes the
learning rate (field, stationary points and every point again, for each value the slider passes),
changes the method, selects a point, zooms or pans. The instructor moves to a new scene every
`--seconds / 8`; most students (85 %) follow at once, so most requests repeat across the class. A
third of the students also type expressions of their own every 20-40 s: new to everyone, so a
parse, a differentiation, a compile and an analysis each. The URLs are the page's own
(static/js/api.js wantedUrls: the same parameters in the same order), and a student never asks
twice for a URL it has had (the page's cache and the browser's: every complete answer is public
for an hour).

The load generator is one process: asyncio runs the students, and the blocking http.client calls
run in a pool of threads, each with its own keep-alive connection, so the generator stays a small
part of one core (it prints its own CPU share). Every loop is bounded, in requests per student and
in time. Server memory is sampled every 2 s: RSS and PSS (shared pages counted once) of the
gunicorn master and workers, and of nginx's processes for the deployment.

    python bench/class_load.py [--students 300] [--seconds 120] [--deploy direct nginx]

Targets (issue 8, on 2 cores): no errors; p95 <= 1 s direct; p99 <= 500 ms through nginx; memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import http.client
import json
import random
import re
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from server import free_port, serving

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))
import nginx_local  # noqa: E402

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd", "Accept": "application/json",
           "User-Agent": "class-load/1 (Chromium-like)"}
FIELD_N = 61  # static/js/main.js fieldN
MAX_REQUESTS = 800  # per student: a bound on every loop
FOLLOW = 0.85

# The instructor's scenes, in the order of the page's insight cards: (loss, params, method, lr,
# steps, points). Params not named keep the loss's default.
SCENES = [
    ("toy-discriminator", {}, "gd", 0.1, 100, [(0.5, -0.3)]),
    ("toy-discriminator", {"c": 1.9}, "momentum", 0.1, 100, [(0.5, -0.3), (-1.0, 1.0)]),
    ("saddle", {}, "gd", 0.1, 100, [(1.0, 0.01), (-0.5, 0.5)]),
    ("gan-saturating", {}, "gd", 0.1, 200, [(0.5, 0.5)]),
    ("gan-nonsaturating", {}, "gd", 0.1, 200, [(0.5, 0.5)]),
    ("bilinear-game", {}, "gd", 0.1, 200, [(1.0, 1.0)]),
    ("bilinear-game", {}, "extragradient", 0.1, 200, [(1.0, 1.0)]),
    ("dirac-gan", {}, "gd", 0.1, 500, [(1.0, 1.0)]),
]


@dataclass
class State:
    """What the page's URL hash holds, as far as requests go."""
    loss: str
    params: dict
    method: str
    lr: float
    steps: int
    points: list
    selected: int = 0
    view: tuple | None = None
    expr: str = ""
    kind: str = "minimize"


@dataclass
class Sample:
    label: str
    ms: float
    status: int
    cache: str
    cut: bool
    at: float  # when it was sent, monotonic


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)  # transport errors, by kind
    cached_locally: int = 0
    memory: list[tuple[float, float, float]] = field(default_factory=list)  # (t, rss MB, pss MB)
    cpu: list[tuple[float, float, float]] = field(default_factory=list)  # (t, server cores, machine cores busy)
    start: float = 0.0
    per_process: dict = field(default_factory=dict)  # pid -> CPU seconds during the run


class Catalog:
    """The losses' parameters (names, defaults, steps) and views, as /api/losses gives the page."""

    def __init__(self, losses: list[dict]):
        self.by_id = {l["id"]: l for l in losses}

    def params(self, state: State) -> dict:
        if state.loss == "custom":
            return {}
        return {p["name"]: state.params.get(p["name"], p["default"]) for p in self.by_id[state.loss]["params"]}

    def view(self, state: State) -> tuple:
        if state.view:
            return state.view
        if state.loss == "custom":
            return (-3.0, 3.0, -3.0, 3.0)
        v = self.by_id[state.loss]["view"]
        return (*v["x"], *v["y"])


def num(v) -> str:
    """A number as the page's String(v) writes it: 1 not 1.0."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else repr(v) if isinstance(v, float) else str(v)


def wanted(state: State, catalog: Catalog) -> dict[str, str]:
    """static/js/api.js wantedUrls, in Python: label -> URL."""
    base = {"loss": state.loss}
    if state.loss == "custom":
        base.update(expr=state.expr, kind=state.kind)
    base.update({k: num(v) for k, v in catalog.params(state).items()})
    base.update(scale="1", vanish="0.01", explode="10")
    view = {} if state.view is None else dict(zip(("xmin", "xmax", "ymin", "ymax"), map(num, state.view)))
    tag = " (own expr)" if state.loss == "custom" else ""
    urls = {f"field{tag}": f"/api/field?{urlencode({**base, **view, 'n': FIELD_N})}",
            f"analysis{tag}": f"/api/analysis?{urlencode({**base, **view})}"}
    for i, (x, y) in enumerate(state.points):
        urls[f"gradient{tag}#{i}"] = "/api/gradient?" + urlencode({**base, "x": num(x), "y": num(y), "lr": num(state.lr),
                                                                   "derivation": 0})
        urls[f"trajectory{tag}#{i}"] = "/api/trajectory?" + urlencode({**base, "x0": num(x), "y0": num(y),
                                                                       "method": state.method, "lr": num(state.lr),
                                                                       "steps": state.steps})
    if state.points:
        x, y = state.points[state.selected]
        urls[f"derivation{tag}"] = "/api/gradient?" + urlencode({**base, "x": num(x), "y": num(y), "lr": num(state.lr),
                                                                 "derivation": 1})
    return urls


class Client:
    """Blocking HTTP in a pool of threads, each with its own keep-alive connection."""

    def __init__(self, base: str, threads: int):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.pool = ThreadPoolExecutor(max_workers=threads)
        self.local = threading.local()
        self.results = Results()

    def _get(self, path: str) -> tuple[int, dict, bytes]:
        for attempt in (0, 1):  # a keep-alive connection the server closed is reopened once, as a browser does
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                conn.request("GET", path, headers=BROWSER)
                resp = conn.getresponse()
                body = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    self.local.conn = None
                return resp.status, resp.headers, body
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def plain(self, path: str) -> tuple[int, bytes]:
        status, headers, body = self._get(path)
        return status, gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body

    def fetch(self, label: str, path: str) -> bytes | None:
        start = time.perf_counter()
        try:
            status, headers, body = self._get(path)
        except Exception as exc:  # noqa: BLE001  counted, and the student goes on
            self.results.failures[type(exc).__name__] += 1
            return None
        ms = (time.perf_counter() - start) * 1000
        cut = False
        if label.startswith(("trajectory", "analysis")) and status == 200:
            text = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
            cut = b'"status":"time_limit"' in text or b'"truncated":true' in text
        self.results.samples.append(Sample(label.split("#")[0], ms, status, headers.get("X-Cache-Status", ""), cut, start))
        return body

    async def get(self, label: str, path: str) -> bytes | None:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self.fetch, label, path)


class Student:
    def __init__(self, k: int, client: Client, catalog: Catalog, page: list[tuple[str, str]], start: float,
                 seconds: float, explorer: bool):
        self.rng = random.Random(k)
        self.k, self.client, self.catalog, self.page = k, client, catalog, page
        self.start, self.end = start, start + seconds
        self.scene_s = seconds / len(SCENES)
        self.explorer = explorer
        self.seen: set[str] = set()
        self.sent = 0
        self.state = self.scene(0)
        self.next_expr = start + self.rng.uniform(10, 30)

    def scene(self, i: int) -> State:
        loss, params, method, lr, steps, points = SCENES[i]
        return State(loss, dict(params), method, lr, steps, list(points))

    async def show(self, state: State, only: set[str] | None = None) -> None:
        """Ask for what the state needs that this student has not had yet, all at once (the page's channels)."""
        self.state = state
        todo = [(label, url) for label, url in wanted(state, self.catalog).items()
                if url not in self.seen and (only is None or label.split(" (")[0].split("#")[0] in only)]
        self.client.results.cached_locally += len(wanted(state, self.catalog)) - len(todo)
        todo = todo[:max(0, MAX_REQUESTS - self.sent)]
        self.sent += len(todo)
        self.seen.update(url for _, url in todo)
        await asyncio.gather(*(self.client.get(label, url) for label, url in todo))

    async def run(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, 10))  # the class arrives over ten seconds
        await asyncio.gather(*(self.client.get(label, url) for label, url in self.page))
        self.sent += len(self.page)
        await self.show(self.state)
        scene = 0
        while time.monotonic() < self.end and self.sent < MAX_REQUESTS:
            await asyncio.sleep(self.rng.uniform(1.5, 5.0))
            now = time.monotonic()
            if now >= self.end:
                break
            current = min(int((now - self.start) / self.scene_s), len(SCENES) - 1)
            if current != scene:
                scene = current
                if self.rng.random() < FOLLOW:
                    await self.show(self.scene(scene))
                    continue
            if self.explorer and now >= self.next_expr:
                self.next_expr = now + self.rng.uniform(20, 40)
                await self.show(self.own_expression())
                continue
            await self.act()

    def own_expression(self) -> State:
        r = self.rng
        a, b, c = (round(r.uniform(0.2, 3), 1) for _ in range(3))
        expr = r.choice([f"{a}x^2 + {b}y^2 + sin({c}x)y", f"(x - {a})^2 + {b}(y + {c})^2 + 0.5x*y",
                         f"{a}x^4 - {b}x^2 + {c}y^2", f"log(1 + exp({a}x*y)) + {b}(x^2 + y^2)/{c}"])
        return State("custom", {}, "gd", 0.1, 100, [(round(r.uniform(-2, 2), 2), round(r.uniform(-2, 2), 2))], expr=expr)

    async def act(self) -> None:
        r, s = self.rng, self.state
        roll = r.random()
        if roll < 0.35:  # a click on the plot: a new point, selected
            x0, x1, y0, y1 = self.catalog.view(s)
            point = (round(r.uniform(x0, x1), 4), round(r.uniform(y0, y1), 4))
            await self.show(State(**{**vars(s), "points": [*s.points, point][-6:], "selected": min(len(s.points), 5)}))
        elif roll < 0.55 and s.loss != "custom" and self.catalog.params(s):  # a slider drag, three values
            name, spec = next((p["name"], p) for p in self.catalog.by_id[s.loss]["params"])
            value = s.params.get(name, spec["default"])
            for _ in range(3):
                value = round(min(spec["max"], max(spec["min"], value + r.choice([-0.1, 0.1]))), 1)
                await self.show(State(**{**vars(s), "params": {**s.params, name: value}}))
        elif roll < 0.70:  # the learning rate
            await self.show(State(**{**vars(s), "lr": r.choice([0.01, 0.03, 0.05, 0.1, 0.2, 0.3])}),
                            only={"gradient", "trajectory", "derivation"})
        elif roll < 0.80:  # the method
            await self.show(State(**{**vars(s), "method": r.choice(["gd", "momentum", "adam", "extragradient",
                                                                    "optimistic"])}), only={"trajectory"})
        elif roll < 0.90 and len(s.points) > 1:  # another point selected: its worked example
            await self.show(State(**{**vars(s), "selected": r.randrange(len(s.points))}), only={"derivation"})
        else:  # zoom in, or pan, by the page's buttons
            x0, x1, y0, y1 = self.catalog.view(s)
            if r.random() < 0.5:
                cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 4, (y1 - y0) / 4
                view = (cx - hx, cx + hx, cy - hy, cy + hy)
            else:
                dx = (x1 - x0) / 4 * r.choice([-1, 1])
                view = (x0 + dx, x1 + dx, y0, y1)
            await self.show(State(**{**vars(s), "view": tuple(round(v, 6) for v in view)}), only={"field", "analysis"})


def page_files(html: str) -> list[tuple[str, str]]:
    """What opening the page fetches: every hashed module of the import map, the CSS, icon and plotly."""
    importmap = json.loads(re.search(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.S).group(1))
    files = [("static", url) for url in importmap["imports"].values()]
    files += [("plotly" if "plotly" in u else "static", u) for u in re.findall(r'(?:href|src)="(/(?:static|vendor)/[^"]+)"', html)]
    return list(dict.fromkeys(files))


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    return out


def memory_mb(pids: list[int]) -> tuple[float, float]:
    rss = pss = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
    return rss / 1024, pss / 1024


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes, in seconds."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """Seconds of CPU the whole machine has spent busy (all processes, everyone's)."""
    values = list(map(int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]))
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def sample_memory(results: Results, roots: list[int], t0: float, stop: threading.Event) -> None:
    """Every 2 s: the servers' memory, their CPU and the machine's (our neighbours' load shows there)."""
    last = (time.monotonic(), None, machine_busy())
    while not stop.wait(2.0):
        pids = [p for root in roots for p in descendants(root)]
        now, server, machine = time.monotonic(), cpu_seconds(pids), machine_busy()
        results.memory.append((now - t0, *memory_mb(pids)))
        if last[1] is not None:
            span = now - last[0]
            results.cpu.append((now - t0, (server - last[1]) / span, (machine - last[2]) / span))
        last = (now, server, machine)


async def run_class(base: str, students: int, seconds: float, threads: int, roots: list[int]) -> tuple[Results, float, float]:
    client = Client(base, threads)
    status, html = client.plain("/")
    assert status == 200, status
    catalog = Catalog(json.loads(client.plain("/api/losses")[1])["losses"])
    page = [("page", "/"), *page_files(html.decode())]
    start = client.results.start = time.monotonic()
    stop = threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(client.results, roots, start, stop), daemon=True)
    sampler.start()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    procs0 = {pid: cpu_seconds([pid]) for root in roots for pid in descendants(root)}
    class_ = [Student(k, client, catalog, page, start, seconds, explorer=k % 3 == 0) for k in range(students)]
    await asyncio.wait_for(asyncio.gather(*(s.run() for s in class_)), timeout=seconds + 60)
    wall = time.monotonic() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    client.results.per_process = {pid: cpu_seconds([pid]) - procs0.get(pid, 0.0)
                                  for root in roots for pid in descendants(root)}
    stop.set()
    sampler.join()
    client.pool.shutdown()
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return client.results, wall, cpu / wall


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(name: str, results: Results, wall: float, gen_cpu: float) -> None:
    s = results.samples
    errors = [x for x in s if x.status >= 400]
    cut = sum(x.cut for x in s)
    print(f"\n== {name}: {len(s)} requests in {wall:.0f} s = {len(s) / wall:.0f} requests/s; "
          f"errors {len(errors) + sum(results.failures.values())} "
          f"({dict(Counter(x.status for x in errors)) | dict(results.failures)}); budget-cut {cut}; "
          f"not sent (the student's own cache) {results.cached_locally}; load generator {gen_cpu:.0%} of a core")
    by = defaultdict(list)
    for x in s:
        by[x.label].append(x)
    print(f"{'endpoint':26s} {'count':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}  cache")
    order = ["page", "static", "plotly", "field", "analysis", "gradient", "trajectory", "derivation"]
    for label in sorted(by, key=lambda l: (order.index(l.split(" (")[0]) if l.split(" (")[0] in order else 99, l)):
        ms = [x.ms for x in by[label]]
        caches = Counter(x.cache for x in by[label] if x.cache)
        hits = f"{caches['HIT'] / len(ms):.0%} HIT" if caches else ""
        print(f"{label:26s} {len(ms):6d} {pct(ms, 50):8.1f} {pct(ms, 95):8.1f} {pct(ms, 99):8.1f} {max(ms):8.1f}  {hits}")
    api = [x.ms for x in s if x.label not in ("page", "static", "plotly")]
    print(f"{'all API':26s} {len(api):6d} {pct(api, 50):8.1f} {pct(api, 95):8.1f} {pct(api, 99):8.1f} {max(api):8.1f}")
    window = 15
    print(f"by {window} s window (t: requests/s, API p50/p95/p99 ms, server cores, machine cores busy):")
    for w in range(0, int(wall), window):
        inside = [x for x in s if w <= x.at - results.start < w + window]
        api_w = [x.ms for x in inside if x.label not in ("page", "static", "plotly")]
        cpu_w = [c for c in results.cpu if w <= c[0] < w + window]
        if len(api_w) > 1:
            server_c = statistics.mean(c[1] for c in cpu_w) if cpu_w else float("nan")
            machine_c = statistics.mean(c[2] for c in cpu_w) if cpu_w else float("nan")
            print(f"  {w:4d}: {len(inside) / window:5.0f}/s  {pct(api_w, 50):6.1f} {pct(api_w, 95):7.1f} "
                  f"{pct(api_w, 99):7.1f}  {server_c:4.2f} {machine_c:4.2f}")
    print("CPU seconds per server process (pid: s):",
          ", ".join(f"{pid}: {s:.1f}" for pid, s in sorted(results.per_process.items())))
    if results.memory:
        mem = results.memory
        marks = [min(mem, key=lambda m: abs(m[0] - t)) for t in range(0, int(wall) + 1, 15)] + [mem[-1]]
        marks = list(dict.fromkeys(marks))
        print("server memory, MB (t s: RSS summed / PSS):", ", ".join(f"{t:.0f}: {r:.0f}/{p:.0f}" for t, r, p in marks))
        print(f"  max RSS {max(m[1] for m in results.memory):.0f} MB, max PSS {max(m[2] for m in results.memory):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--threads", type=int, default=512, help="the load generator's connections")
    parser.add_argument("--deploy", nargs="+", choices=["direct", "nginx"], default=["direct", "nginx"])
    parser.add_argument("--serve-args", nargs="*", default=[], help="extra `gradient-flow serve` arguments")
    opts = parser.parse_args()
    print(f"{opts.students} students for {opts.seconds:.0f} s; server: gradient-flow serve {' '.join(opts.serve_args)}")
    for deploy in opts.deploy:
        with serving(tuple(opts.serve_args)) as app:
            if deploy == "direct":
                results = asyncio.run(run_class(app.url, opts.students, opts.seconds, opts.threads, [app.pid]))
                report("direct (make run's server)", *results)
            else:
                port = free_port()
                with tempfile.TemporaryDirectory() as root, \
                        nginx_local.running([urlsplit(app.url).port], port, Path(root), workers=2) as nginx:
                    results = asyncio.run(run_class(f"http://127.0.0.1:{port}", opts.students, opts.seconds,
                                                    opts.threads, [app.pid, nginx.pid]))
                    report("through nginx (deploy/nginx.conf)", *results)


if __name__ == "__main__":
    main()
