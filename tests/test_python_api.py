"""The Python API gives the web API's numbers: the same functions behind both, checked here by
asking both the same questions."""

import json

import numpy as np
import pytest

import gradient_flow as gf


def api(client, path, **query):
    r = client.get(path, query_string=query)
    assert r.status_code == 200, r.data[:200]
    return json.loads(r.data)


def test_the_seed_numbers(client):
    toy = gf.Loss("toy-discriminator", c=0.5)
    got = toy.gradient(0.5, -0.3, lr=0.1)
    assert got["gradient"] == pytest.approx([-1.15, 0.65]) and got["next"] == pytest.approx([0.615, -0.365])
    assert got == api(client, "/api/gradient", x=0.5, y=-0.3, lr=0.1, c=0.5, derivation=0)


@pytest.mark.parametrize("loss, params", [("dirac-gan", {"gamma": 0.5}), ("rosenbrock", {"b": 50}),
                                          ("gan-saturating", {"k": 9})])
def test_fields_trajectories_and_analyses_equal_the_apis(client, loss, params):
    mine = gf.Loss(loss, **params)
    field = mine.field(n=11)
    theirs = api(client, "/api/field", loss=loss, n=11, **params)
    for key in ("x", "y", "value", "gx", "gy", "magnitude"):
        assert np.allclose(np.asarray(theirs[key], dtype=float), field[key], equal_nan=True, rtol=0, atol=0)
    assert field["class"] == theirs["class"]
    run = mine.trajectory("momentum", (1.0, 0.5), lr=0.01, steps=50, beta=0.5)
    assert run == api(client, "/api/trajectory", loss=loss, x0=1.0, y0=0.5, lr=0.01, steps=50, method="momentum",
                      beta=0.5, **params)
    assert mine.stationary_points() == api(client, "/api/analysis", loss=loss, **params)["stationary_points"]
    assert list(mine.derivation(1.0, 0.5)) == api(client, "/api/gradient", loss=loss, x=1.0, y=0.5, **params)["derivation"]


def test_custom_text_goes_through_the_safe_parser(client):
    pair = gf.custom("softplus(-x*y)", kind="pair", text_y="softplus(-x*y) + y^2/4")
    assert pair.gradient(0.5, -0.3) == api(client, "/api/gradient", loss="custom", kind="pair", expr="softplus(-x*y)",
                                           expr_y="softplus(-x*y) + y^2/4", x=0.5, y=-0.3, derivation=0)
    with pytest.raises(ValueError, match="unexpected character"):
        gf.custom("__import__('os')")
    with pytest.raises(ValueError, match="unknown function"):
        gf.custom("eval(x)")
    with pytest.raises(ValueError, match="gamma"):
        gf.Loss("dirac-gan", gamma=50)


def test_a_figure_of_the_pages_picture_and_a_derivation_that_shows_as_mathml():
    toy = gf.Loss("toy-discriminator")
    fig = toy.figure(points=[(0.5, -0.3)], steps=30)
    names = [t.name for t in fig.data]
    assert "run 1: max_steps" in names and "stationary points" in names and "-v, normal" in names
    assert fig.layout.title.text == toy.game.title
    html = toy.derivation(0.5, -0.3)._repr_html_()
    assert html.count("<math") == 6 and "Step 6" in html
