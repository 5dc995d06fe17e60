"""Lessons name losses, methods, parameters and options: every one must exist, and the numbers the
lessons state must be what the engine computes."""

import math

import numpy as np

import pytest

from gradient_flow.losses.catalog import CATALOG
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.dynamics import METHODS, trajectory
from gradient_flow.losses.lessons import LESSONS, Lesson, Scene, check


def test_every_scene_names_what_exists():
    check()
    assert sum(len(lesson.scenes) for lesson in LESSONS) >= 10


@pytest.mark.parametrize("scene, words", [
    (Scene("x", "no-such-loss"), "no loss"),
    (Scene("x", "saddle", method="extragradient"), "not offered"),
    (Scene("x", "dirac-gan", params={"gamma": 5}), "gamma"),
    (Scene("x", "bilinear-game", method="consensus", options={"beta": 0.5}), "no option 'beta'"),
])
def test_a_scene_naming_what_does_not_exist_is_caught(scene, words):
    with pytest.raises(ValueError, match=words):
        check((Lesson("t", "t", ("t",), (scene,)),))


def run(scene):
    game = CATALOG[scene.loss]
    compiled = Compiled(Problem.of(game, scene.params))
    return trajectory(METHODS[scene.method or "gd"], compiled, (1.0, 0.5), scene.lr or 0.1, scene.steps or 100)


def test_the_dirac_gan_scenes_show_the_spiral_out_and_the_penalty_pulling_in():
    plain, r1 = [s for lesson in LESSONS if lesson.id == "penalty" for s in lesson.scenes if s.loss == "dirac-gan"]
    out, back = run(plain), run(r1)
    start = math.hypot(1.0, 0.5)
    # simultaneous gd multiplies the radius by about sqrt(1 + lr^2 / 4) a step near the equilibrium
    assert math.hypot(*out["points"][-1]) > 1.2 * start
    assert math.hypot(*back["points"][-1]) < 1e-3 * start


def test_the_side_by_side_sentences_are_what_the_runs_do():
    import gradient_flow as gf
    far = math.hypot(1.0, 0.5)
    end = lambda loss, method="gd", **params: math.hypot(*gf.Loss(loss, **params).trajectory(  # noqa: E731
        method, (1.0, 0.5), 0.1, 4000 if loss == "dirac-nsgan" else 400)["points"][-1])
    assert end("dirac-gan") > 1.4 * far and end("dirac-gan", gamma=0.5) < 1e-3
    assert abs(end("dirac-gan", "alternating") - far) < 0.05 * far  # circles: neither in nor out
    assert end("dirac-nsgan") == pytest.approx(0.45, abs=0.02)  # onto its cycle, not into the equilibrium
    inner = math.hypot(*gf.Loss("dirac-nsgan").trajectory("gd", (0.05, 0.0), 0.1, 6000)["points"][-1])
    assert inner == pytest.approx(0.45, abs=0.02)  # ... from inside too
    assert end("dirac-wgan") > 0.2 and end("dirac-wgan-gp") > 0.2
    assert end("dirac-instance-noise", sigma=1.0) < 1e-4 and end("dirac-gan", "consensus") < 0.05
    sat = gf.Loss("gan-saturating").trajectory("gd", (2.5, 2.5), 0.1, 300)
    non = gf.Loss("gan-nonsaturating").trajectory("gd", (2.5, 2.5), 0.1, 300)
    assert math.dist(sat["points"][-1], (2.5, 2.5)) < 1e-3 and non["status"] == "converged"  # crawls; learns


def test_a_comparison_scene_holds_at_most_four_and_checks_every_part():
    side = tuple(Scene("", "dirac-gan") for _ in range(4))
    with pytest.raises(ValueError, match="at most 3"):
        check((Lesson("t", "t", ("t",), (Scene("x", "dirac-gan", side=side),)),))
    with pytest.raises(ValueError, match="no loss"):
        check((Lesson("t", "t", ("t",), (Scene("x", "dirac-gan", side=(Scene("", "nope"),)),)),))


def test_every_number_the_course_deck_says_is_what_the_engine_computes():
    import gradient_flow as gf
    from gradient_flow.losses.lessons import DECK

    said = {s.title: s for s in DECK}
    assert len(DECK) == 10
    toy = gf.Loss("toy-discriminator").gradient(0.5, -0.3)
    assert toy["gradient"] == pytest.approx([-1.15, 0.65]) and toy["next"] == pytest.approx([0.615, -0.365])
    assert "(−1.15, 0.65), |v| = 1.32" in said["One gradient step by hand"].narration
    small = gf.Loss("toy-discriminator", scale=0.001).field(n=21)
    assert float(np.nanmax(small["magnitude"])) < 0.01  # "every gradient in view falls below 0.01"
    big = gf.Loss("toy-discriminator", scale=100.0)
    assert float(np.nanmin(big.field(n=21)["magnitude"])) > 10
    assert big.trajectory("gd", (0.5, -0.3), 0.1, 100)["status"] == "diverged"  # "overshoots"
    chain = gf.Loss("deep-chain")
    assert chain.gradient(0.5, 0.3)["class"] == "vanishing" and chain.gradient(0.5, 1.15)["class"] == "exploding"
    r1 = gf.Loss("dirac-gan", gamma=0.5).stationary_points()[0]["eigenvalues"]
    assert [round(v, 2) for e in r1 for v in e] == [0.25, -0.43, 0.25, 0.43]
    critic = gf.Loss("wgan-critic").stationary_points()
    assert [p["point"] for p in critic] == [pytest.approx([2.0, 0.0])]
    game = gf.Loss("bilinear-game").trajectory("gd", (1.0, 0.5), 0.1, 200)
    assert math.hypot(*game["points"][-1]) == pytest.approx(math.hypot(1.0, 0.5) * (1 + 0.1**2) ** 100, rel=1e-9)
