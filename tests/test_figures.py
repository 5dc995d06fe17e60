"""gradient_flow.figures: the "your own model" bars carry the API's numbers and the page's classes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from gradient_flow.figures import CLASS_COLOR, CLASS_MARK, CLASS_PATTERN, layer_bars
from gradient_flow.losses.magnitude import Thresholds
from gradient_flow.losses.netlab import Trainer

from test_api import ok

RUN = {"depth": 5, "width": 12, "activation": "sigmoid", "steps": 0, "seed": 4}


def test_the_bars_are_the_apis_numbers_for_the_same_gradients(client):
    body = ok(client.get("/api/network", query_string=RUN))
    trainer = Trainer(RUN)
    trainer.evaluate()  # the first batch's gradient, which the API recorded as step 0
    weights = {n: g for n, g in zip(trainer.net.names, trainer.grads) if n.endswith(".weight")}
    fig = layer_bars(weights)
    bars = fig.data[0]
    assert list(bars.x) == [layer["name"] for layer in body["layers"]]
    assert list(bars.y) == pytest.approx([layer["weight_grad"]["norm"][0] for layer in body["layers"]], rel=1e-12)
    api_classes = [layer["weight_grad"]["class"][0] for layer in body["layers"]]
    assert [c[0] for c in bars.customdata] == api_classes
    order = ["vanishing", "normal", "exploding", "undefined"]
    assert list(bars.marker.color) == [CLASS_COLOR[order.index(c)] for c in api_classes]
    assert list(bars.text) == [CLASS_MARK[order.index(c)] for c in api_classes]


def test_pytorch_names_group_into_layers_and_the_thresholds_are_drawn():
    rng = np.random.default_rng(0)
    grads = {
        "net.0.weight": rng.normal(0, 1e-4, (16, 2)), "net.0.bias": np.zeros(16),
        "net.2.weight": rng.normal(0, 1.0, (16, 16)), "net.2.bias": rng.normal(0, 1.0, 16),
        "net.4.weight": np.full((1, 16), np.nan), "net.4.bias": None,  # a parameter the loss never reached
    }
    fig = layer_bars(grads, Thresholds(vanish=0.05, explode=5))
    bars, missing = fig.data
    assert list(bars.x) == ["net.0", "net.2", "net.4"]
    joined = np.concatenate([grads["net.2.weight"].ravel(), grads["net.2.bias"]])
    assert bars.y[1] == pytest.approx(np.linalg.norm(joined), rel=1e-12)
    assert [c[0] for c in bars.customdata] == ["vanishing", "exploding", "undefined"]  # ||g|| ~ 16 > 5
    assert bars.y[2] is None and list(missing.x) == ["net.4"] and list(missing.text) == ["✕"]
    lines = sorted(s.y0 for s in fig.layout.shapes)
    assert lines == [0.05, 5]
    assert {a.text for a in fig.layout.annotations} == {"vanishing below 0.05", "exploding above 5"}
    assert fig.layout.yaxis.type == "log"


def test_the_figure_draws_each_class_in_its_one_declared_style():
    import numpy as np
    from gradient_flow.figures import layer_bars
    from gradient_flow.losses.magnitude import CLASSES

    fig = layer_bars({"a.weight": np.full(4, 1e-6), "b.weight": np.full(4, 1.0), "c.weight": np.full(4, 1e3)})
    bars = fig.data[0]
    assert list(bars.marker.color) == [CLASSES[i]["style"]["color"] for i in (0, 1, 2)]
    assert [t.strip() for t in bars.text] == [CLASSES[i]["style"]["glyph"] for i in (0, 1, 2)]


def test_the_readme_snippet_runs_on_what_pytorch_hands_over(monkeypatch, capsys):
    """The README's PyTorch lines, run against a stand-in for a model: named parameters whose .grad is a
    tensor-like object with .numpy() (or None, for a parameter the loss never reached)."""
    import plotly.graph_objects as go

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own model", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)

    class Grad:
        def __init__(self, a):
            self.a = a

        def numpy(self):
            return self.a

    class Param:
        def __init__(self, a):
            self.grad = None if a is None else Grad(a)

    class Model:
        def named_parameters(self):
            rng = np.random.default_rng(1)
            yield from [("net.0.weight", Param(rng.normal(0, 1e-3, (8, 2)))), ("net.0.bias", Param(np.zeros(8))),
                        ("net.2.weight", Param(rng.normal(0, 0.1, (1, 8)))), ("net.2.bias", Param(None))]

    shown = []
    monkeypatch.setattr(go.Figure, "show", lambda self, *a, **k: shown.append(self))
    exec(code, {"model": Model()})  # noqa: S102  our own README
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["net.0", "net.2"]
    assert "vanishing" in out[0] and len(shown) == 1 and list(shown[0].data[0].x) == ["net.0", "net.2"]
