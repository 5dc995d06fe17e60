"""Lessons name losses, methods, parameters and options: every one must exist, and the numbers the
lessons state must be what the engine computes."""

import math

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
    plain, r1 = [s for lesson in LESSONS for s in lesson.scenes if s.loss == "dirac-gan"]
    out, back = run(plain), run(r1)
    start = math.hypot(1.0, 0.5)
    # simultaneous gd multiplies the radius by about sqrt(1 + lr^2 / 4) a step near the equilibrium
    assert math.hypot(*out["points"][-1]) > 1.2 * start
    assert math.hypot(*back["points"][-1]) < 1e-3 * start
