"""The page's picture as a plotly Figure, for notebooks and slides: the loss as grey contour bands, the
descent direction -v as arrows drawn in their class (colour, dash and width from the classes'
declared style, the same the page uses), each point's run as a line, and the stationary points
named as the page names them.
"""

from __future__ import annotations

import math

import numpy as np

from .losses.magnitude import CLASSES


def _arrows(field, every: int):
    """Per class: x, y of short segments along -v, centred on every ``every``-th grid node, with gaps."""
    out = {c["name"]: ([], []) for c in CLASSES}
    xs, ys = field["x"], field["y"]
    cell = min(xs[every] - xs[0], ys[every] - ys[0])
    sizes = field["magnitude"][::every, ::every]
    finite = sizes[np.isfinite(sizes) & (sizes > 0)]
    ref = float(np.quantile(finite, 0.9)) if finite.size else 1.0
    for i in range(0, len(ys), every):
        for j in range(0, len(xs), every):
            m = field["magnitude"][i, j]
            xo, yo = out[field["class"][i][j]]
            if not (math.isfinite(m) and m > 0):
                continue
            half = cell * 0.85 * (0.3 + 0.7 * min(1.0, m / ref)) / 2
            ux, uy = -field["gx"][i, j] / m, -field["gy"][i, j] / m
            xo += [xs[j] - ux * half, xs[j] + ux * half, None]
            yo += [ys[i] - uy * half, ys[i] + uy * half, None]
    return out


def landscape_figure(loss, view, n: int, points, runs):
    import plotly.graph_objects as go

    field = loss.field(view, n)
    kind = loss.game.kind
    fig = go.Figure(go.Contour(x=field["x"], y=field["y"], z=field["value"], colorscale=[[0, "#ffffff"], [1, "#a3a3a3"]],
                               contours={"coloring": "fill"}, line={"color": "rgba(0,0,0,0.3)", "width": 1},
                               colorbar={"title": {"text": kind.value_name}}, name=kind.value_name, hoverinfo="skip"))
    for c in CLASSES:
        x, y = _arrows(field, max(1, round((n - 1) / 20)))[c["name"]]
        st = c["style"]
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=f"-v, {c['name']}",
                                 line={"color": st["color"], "width": st["width"], "dash": "dot" if st["dash"] != "solid" else "solid"},
                                 marker={"symbol": ["line-ns", "arrow", "line-ns"] * (len(x) // 3), "size": [0, 9, 0] * (len(x) // 3),
                                         "angleref": "previous", "color": st["color"]}, hoverinfo="skip"))
    for k, (p, run) in enumerate(zip(points, runs)):
        path = np.array(run["points"], dtype=float)
        fig.add_trace(go.Scatter(x=path[:, 0], y=path[:, 1], mode="lines", name=f"run {k + 1}: {run['status']}",
                                 line={"color": "#000", "width": 2.5}))
        fig.add_trace(go.Scatter(x=[p[0]], y=[p[1]], mode="markers+text", text=[str(k + 1)], textposition="top right",
                                 marker={"size": 13, "color": "#fff", "line": {"color": "#000", "width": 2.5}},
                                 name=f"point {k + 1}"))
    found = loss.stationary_points(view)
    if found:
        fig.add_trace(go.Scatter(x=[s["point"][0] for s in found], y=[s["point"][1] for s in found],
                                 mode="markers+text", text=[s["label"] for s in found], textposition="bottom center",
                                 marker={"symbol": "star", "size": 16, "color": "#F0E442", "line": {"color": "#000", "width": 2}},
                                 name="stationary points"))
    (x0, x1), (y0, y1) = view
    fig.update_layout(title=loss.game.title, xaxis={"range": [x0, x1], "title": "x"},
                      yaxis={"range": [y0, y1], "title": "y", "scaleanchor": "x"}, template="simple_white",
                      legend={"orientation": "h"})
    return fig
