"""Your own model's gradients, drawn as the Deep network view draws a layer: one bar per layer, its
gradient norm on a log axis between the vanishing and exploding thresholds, each bar's class told
by colour, fill pattern and a mark.

The numbers are :func:`gradient_flow.losses.gradstats.layer_stats`, the one implementation the lab
itself records with, so a figure made here and the view's bars cannot disagree about a number or a
class. It takes NumPy arrays by name, which is what any framework hands over; with PyTorch, after
``loss.backward()``::

    from gradient_flow.figures import layer_bars
    from gradient_flow.losses.gradstats import layer_stats

    grads = {n: p.grad.numpy() for n, p in model.named_parameters() if p.grad is not None}
    for row in layer_stats(grads):
        print(row["name"], row["norm"], row["class"])
    layer_bars(grads).show()

Parameters are grouped into layers by their module path (``net.0.weight`` and ``net.0.bias`` form
``net.0``), as ``layer_stats`` documents. Pass only the ``.weight`` entries to get the view's
"weight gradient" bars exactly. Plotly is imported here and not by the math in ``losses/``.
"""

from __future__ import annotations

import math
from typing import Mapping

import plotly.graph_objects as go

from .losses.gradstats import layer_stats
from .losses.magnitude import CLASSES, DEFAULT_THRESHOLDS, Thresholds

# By class index (vanishing, normal, exploding, undefined), as the page draws them: the classes' one
# declared style (losses/magnitude.py), which /api/config hands the page too.
CLASS_COLOR = tuple(c["style"]["color"] for c in CLASSES)
CLASS_MARK = tuple(c["style"]["glyph"] for c in CLASSES)
CLASS_PATTERN = tuple(c["style"]["pattern"] for c in CLASSES)
CLASS_INDEX = {c["name"]: i for i, c in enumerate(CLASSES)}


def _decades(norms, thresholds: Thresholds) -> list[float]:
    """The log axis' range in decades: every positive finite norm and both thresholds, with room for the marks."""
    positive = [n for n in norms if n is not None and n > 0]
    lo = min([thresholds.vanish, *positive])
    hi = max([thresholds.explode, *positive])
    return [math.floor(math.log10(lo)) - 0.3, math.ceil(math.log10(hi)) + 0.6]


def layer_bars(grads: Mapping[str, object], thresholds: Thresholds = DEFAULT_THRESHOLDS, title: str | None = None
               ) -> go.Figure:
    """A Plotly figure of each layer's gradient norm, input to output in the mapping's order."""
    rows = layer_stats(grads, thresholds)
    names = [r["name"] for r in rows]
    norms = [r["norm"] for r in rows]
    cls = [CLASS_INDEX[r["class"]] for r in rows]
    drawn = [n if n is not None and n > 0 else None for n in norms]
    decades = _decades(norms, thresholds)
    missing = [i for i, n in enumerate(drawn) if n is None]
    fig = go.Figure([
        go.Bar(x=names, y=drawn, name="gradient norm",
               marker={"color": [CLASS_COLOR[c] for c in cls], "line": {"color": "#111", "width": 1},
                       "pattern": {"shape": [CLASS_PATTERN[c] for c in cls], "fgcolor": "#fff", "size": 7,
                                   "solidity": 0.4}},
               text=[CLASS_MARK[c] if drawn[i] is not None else "" for i, c in enumerate(cls)],
               textposition="outside", cliponaxis=False,
               customdata=[[r["class"], r["rms"], r["size"]] for r in rows],
               hovertemplate="%{x}: ‖g‖ %{y:.3g} (%{customdata[0]})<br>RMS %{customdata[1]:.3g}, "
                             "%{customdata[2]} entries<extra></extra>"),
        go.Scatter(x=[names[i] for i in missing], y=[10 ** (decades[0] + 0.25)] * len(missing), mode="text",
                   text=[f"{CLASS_MARK[cls[i]]} 0" if norms[i] == 0 else CLASS_MARK[cls[i]] for i in missing],
                   name="no bar", hoverinfo="skip", cliponaxis=False),
    ])
    for value, text, c, side in ((thresholds.vanish, f"vanishing below {thresholds.vanish:g}", 0, "bottom right"),
                                 (thresholds.explode, f"exploding above {thresholds.explode:g}", 2, "top right")):
        fig.add_hline(y=value, line={"color": CLASS_COLOR[c], "dash": "dash", "width": 2}, annotation_text=text,
                      annotation_position=side, annotation_font_color=CLASS_COLOR[c])
    fig.update_layout(title=title, showlegend=False, bargap=0.25, plot_bgcolor="#fff",
                      xaxis={"title": "layer, input → output", "categoryorder": "array", "categoryarray": names},
                      yaxis={"type": "log", "range": decades, "exponentformat": "power", "title": "‖g‖"})
    return fig
