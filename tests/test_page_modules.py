"""The page's pure modules, run in Chromium and checked against numbers computed here in Python.

What the plot draws is only as right as the functions that turn API data into shapes and words:
an arrow must point along -v, a number must be printed to the figures it has, a link must reopen
the state it was made from. The modules are imported through the page's own import map, so
what is tested is what the browser runs.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"


@pytest.fixture
def js(page):
    """evaluate(body) runs `body` in an async function that sees the modules and the server's config."""
    page.goto("/")
    expect(page.get_by_role("figure", name="Loss landscape")).to_have_attribute("aria-busy", "false")

    def evaluate(body: str, arg=None):
        return page.evaluate(f"""async (arg) => {{
            const traces = await import("/static/js/traces.js");
            const format = await import("/static/js/format.js");
            const state = await import("/static/js/state.js");
            const readout = await import("/static/js/readout.js");
            const curve = await import("/static/js/curve.js");
            const plot = await import("/static/js/plot.js");
            const {{ config, losses }} = JSON.parse(document.getElementById("bootstrap").textContent);
            {body}
        }}""", arg)

    return evaluate


def segments(path: str):
    """The straight segments of an SVG path made of M and L commands."""
    out, pen = [], None
    for cmd, x, y in re.findall(rf"([ML])({NUMBER}),({NUMBER})", path):
        point = (float(x), float(y))
        if cmd == "L":
            out.append((pen, point))
        pen = point
    return out


def test_a_sample_points_arrow_points_along_minus_v(js):
    shapes = js("""return traces.gradientArrowShapes(
        [{xy: [0.5, -0.3], grad: {gradient: [-1.15, 0.65], magnitude: Math.hypot(1.15, 0.65), class: "normal"}}],
        [-1, 3, -2.5, 1.5], config, (await import("/static/js/look.js")).LOOKS.normal);""")
    shaft = segments(shapes[-1]["path"])[0]  # the class-coloured stroke; the first is its outline
    (x0, y0), (x1, y1) = shaft
    assert (x0, y0) == pytest.approx((0.5, -0.3))
    direction = np.array([x1 - x0, y1 - y0])
    assert direction / np.linalg.norm(direction) == pytest.approx(np.array([1.15, -0.65]) / math.hypot(1.15, 0.65), abs=1e-5)


def arrows(path: str):
    """(tail, base, tip) of each field arrow: its shaft tail to the head's base, then the closed head."""
    point = rf"({NUMBER}),({NUMBER})"
    found = re.findall(rf"M{point}L{point}M{point}L{point}L{point}Z", path)
    return [tuple(np.array([float(a), float(b)]) for a, b in zip(f[0:6:2], f[1:6:2])) for f in found]


def test_field_arrows_point_along_minus_v_with_whole_heads_and_log_lengths(js):
    xs = np.linspace(-2, 2, 5)
    gx = np.tile(xs, (5, 1))  # v = (x, 2y): the gradient of x^2/2 + y^2
    gy = 2 * np.tile(xs[:, None], (1, 5))
    mag = np.hypot(gx, gy)
    field = {"x": xs.tolist(), "y": xs.tolist(), "gx": gx.tolist(), "gy": gy.tolist(), "magnitude": mag.tolist(),
             "value": (gx ** 2 / 2 + gy ** 2 / 4).tolist(),
             "class": [["vanishing" if m == 0 else "normal" for m in row] for row in mag]}
    shapes = js("const { LOOKS } = await import('/static/js/look.js'); return traces.fieldShapes(arg, config, LOOKS.normal);", field)
    assert len(shapes) == 2  # normal arrows and the one vanishing node (a cross), each one path
    normal = max(shapes, key=lambda s: len(s["path"]))
    found = arrows(normal["path"])
    assert len(found) == 24 and normal["fillcolor"] == normal["line"]["color"]  # filled heads
    heads = {round(float(np.linalg.norm(tip - base)), 4) for _, base, tip in found}  # 6 figures in the path
    assert len(heads) == 1  # every head whole and the same size, however short its arrow
    lengths = {}
    for tail, base, tip in found:
        centre = (tail + tip) / 2
        v = np.array([centre[0], 2 * centre[1]])
        d = tip - tail
        assert d / np.linalg.norm(d) == pytest.approx(-v / np.linalg.norm(v), abs=1e-4)
        lengths[round(float(np.linalg.norm(v)), 4)] = float(np.linalg.norm(d))
    sizes = sorted(lengths)
    assert all(lengths[b] - lengths[a] > 0 for a, b in zip(sizes, sizes[1:])), [(s, lengths[s]) for s in sizes]
    # on a log scale: equal ratios of |v| give equal steps of length
    a, b, c = 1.0, 2.0, 4.0
    assert lengths[b] - lengths[a] == pytest.approx(lengths[c] - lengths[b], rel=1e-3)


def test_a_vanishing_arrow_has_an_open_head(js):
    field = {"x": [0, 1], "y": [0, 1], "gx": [[0.001, 0.001], [0.001, 0.001]], "gy": [[0, 0], [0, 0]],
             "magnitude": [[0.001, 0.001], [0.001, 0.001]], "value": [[0, 0], [0, 0]],
             "class": [["vanishing", "vanishing"], ["vanishing", "vanishing"]]}
    (shape,) = js("const { LOOKS } = await import('/static/js/look.js'); return traces.fieldShapes(arg, config, LOOKS.normal);", field)
    assert shape["fillcolor"] == "#ffffff" and len(arrows(shape["path"])) == 4


@pytest.mark.parametrize("value, text", [
    (1.3209844813622906, "1.32"), (0.65, "0.65"), (-0.365, "-0.365"), (0.00132, "0.00132"),
    (1.1133970818227621e-07, "1.11e-7"), (132.09844813622906, "132"), (2.5e6, "2.5e+6"), (0, "0"), (None, "undefined"),
])
def test_numbers_are_printed_to_three_figures(js, value, text):
    assert js("return format.num(arg);", value) == text


def test_a_link_reopens_the_state_it_was_made_from(js):
    result = js("""
        const s = state.sanitize({...state.defaults(config), loss: "custom", expr: "a*x^2 + 3y^2", kind: "game",
            params: {a: 2}, scale: 100, vanish: 0.001, explode: 50, method: "extragradient", lr: 0.05, steps: 200,
            points: [[1, 2], [-0.5, 0.25]], selected: 1, view: [-1, 1, -2, 2], speed: "slow"}, config, losses);
        const hash = state.toHash(s, config);
        return {before: s, after: state.fromHash(hash, config, losses), hash};""")
    assert result["after"] == result["before"]
    assert "expr=a*x%5E2" in result["hash"] and "points=1,2;-0.5,0.25" in result["hash"]


def test_a_hash_with_junk_keeps_the_defaults_for_what_it_cannot_read(js):
    s = js('return state.fromHash("#steps=abc&lr=0.2&zzz=1&loss=nope&points=1,2,3&speed=warp", config, losses);')
    assert s["lr"] == 0.2 and s["steps"] == 100 and s["loss"] == "toy-discriminator"
    assert s["points"] == [[0.5, -0.3]] and s["speed"] == "normal"


def test_only_methods_the_kind_offers_are_compared_and_never_the_chosen_one(js):
    s = js('return state.fromHash("#loss=bilinear-game&method=gd&compare=gd,extragradient,nope,extragradient,adam,'
           'optimistic,momentum", config, losses);')
    assert s["compare"] == ["extragradient", "adam", "optimistic"]  # unique, offered, not gd, at most three
    s = js('return state.fromHash("#compare=extragradient,adam", config, losses);')  # a plain loss
    assert s["compare"] == ["adam"]


def test_the_readout_picks_the_nearest_grid_node(js):
    xs, ys = np.linspace(-1, 3, 61), np.linspace(-2.5, 1.5, 61)
    at = (1.21, -0.79)
    i, j = js("return readout.nearestNode({x: arg.xs, y: arg.ys}, arg.at);",
              {"xs": xs.tolist(), "ys": ys.tolist(), "at": at})
    assert (i, j) == (int(np.argmin(abs(ys - at[1]))), int(np.argmin(abs(xs - at[0]))))
    assert js("return readout.nearestNode({x: arg.xs, y: arg.ys}, [5, 0]);", {"xs": xs.tolist(), "ys": ys.tolist()}) is None


def test_the_run_charts_axes_hold_every_value_and_both_thresholds(js):
    lo, hi = js("return curve.logRange([1, 1e-7, null, 0], {vanish: 0.01, explode: 10});")
    assert (lo, hi) == pytest.approx((-7.5, 1.5))
    lo, hi = js("return curve.linearRange([1.00027, 1.00019, null]);")
    assert lo < 1.00019 and hi > 1.00027 and hi - lo >= 0.01  # a loss that barely moves draws flat


def test_both_axes_get_the_same_pixels_per_unit_and_keep_their_range(js):
    margin = {"l": 64, "r": 118, "t": 28, "b": 56}
    for view, (w, h) in [([-1, 3, -2.5, 1.5], (900, 600)), ([-0.5, 0.5, -2, 2], (900, 600)), ([0, 10, 0, 1], (400, 800))]:
        d = js("return plot.squareDomains(arg.view, arg.w, arg.h, arg.margin);", {"view": view, "w": w, "h": h, "margin": margin})
        px_x = (d["x"][1] - d["x"][0]) * (w - margin["l"] - margin["r"]) / (view[1] - view[0])
        px_y = (d["y"][1] - d["y"][0]) * (h - margin["t"] - margin["b"]) / (view[3] - view[2])
        assert px_x == pytest.approx(px_y)
        assert 0 <= d["x"][0] < d["x"][1] <= 1 and 0 <= d["y"][0] < d["y"][1] <= 1
        assert max(d["x"][1] - d["x"][0], d["y"][1] - d["y"][0]) == pytest.approx(1)  # as large as it fits


def test_a_long_trail_keeps_each_steps_class_however_many_steps_it_has(js):
    # 2,000 steps: far past the 600 at which per-step markers stop; the line itself must carry the class
    got = js("""
        const n = 2000;
        const points = Array.from({length: n + 1}, (_, s) => [s / n, Math.sin(s / 100)]);
        const classes = points.map((_, s) => (s < 1000 ? "normal" : s < 1500 ? "vanishing" : "exploding"));
        const traj = {points, classes, magnitudes: points.map(() => 1), values: points.map(() => 0), status: "max_steps"};
        const out = traces.trajectoryTraces([{traj}], n, config, [0, 1, -1, 1]);
        return out.filter((t) => t.name.startsWith("trajectory")).map((t) => ({
            name: t.name, color: t.line.color, dash: t.line.dash,
            segments: t.x.filter((v) => v === null).length}));""")
    by = {t["name"]: t for t in got}
    assert by["trajectory: normal"]["segments"] > 50 and by["trajectory: vanishing"]["segments"] > 20
    assert by["trajectory: exploding"]["segments"] > 20 and by["trajectory: undefined"]["segments"] == 0
    assert len({t["color"] for t in got}) == 4 and by["trajectory: vanishing"]["dash"] != "solid"


def test_a_stationary_label_moves_off_a_sample_point_below_it(js):
    pos = js("""
        const analysis = {stationary_points: [{point: [0, 0], label: "rotational equilibrium", type: "rotational", meaning: ""}]};
        const near = traces.stationaryTrace(analysis, [[0.5, -0.3]], [-2, 2, -2, 2]).textposition;
        const far = traces.stationaryTrace(analysis, [[1.8, 1.8]], [-2, 2, -2, 2]).textposition;
        return [near[0], far[0]];""")
    assert pos == ["top center", "bottom center"]


@pytest.mark.parametrize("lo, hi, want", [
    (0.99985, 1.00015, ["0.9999", "1.0000", "1.0001"]),  # the deep chain's loss barely moving: not "1, 1, 1"
    (-1.2346e-6, -1.2338e-6, ["−1.2346", "−1.2344", "−1.2342", "−1.2340", "−1.2338"]),  # with ×10⁻⁶ in the title
    (-3.0, 2509.0, ["0", "1000", "2000"]),
    (0.0, 1.0, ["0", "0.5", "1.0"]),
])
def test_the_run_charts_value_ticks_tell_their_neighbours_apart(js, lo, hi, want):
    got = js("return curve.linearTicks(arg);", [lo, hi])
    assert got["ticktext"] == want
    assert got["times"] == ("×10⁻⁶" if hi < 0 else "")
    assert len(set(got["ticktext"])) == len(got["ticktext"])
    assert all(lo <= v <= hi for v in got["tickvals"])
