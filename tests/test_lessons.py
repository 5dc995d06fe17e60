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
    plain, r1 = [s for lesson in LESSONS if lesson.id == "penalty" for s in lesson.scenes if s.loss == "dirac-gan"]
    out, back = run(plain), run(r1)
    start = math.hypot(1.0, 0.5)
    # simultaneous gd multiplies the radius by about sqrt(1 + lr^2 / 4) a step near the equilibrium
    assert math.hypot(*out["points"][-1]) > 1.2 * start
    assert math.hypot(*back["points"][-1]) < 1e-3 * start


# -- the paper's panel: every number a sentence states, read back from the API the page asks -------------

PAPER = {lesson.id: lesson for lesson in LESSONS if lesson.id.startswith("paper-")}


def ask(client, endpoint, scene, **extra):
    query = {"loss": scene.loss, "method": scene.method, "lr": scene.lr or 0.1, **scene.params, **scene.options, **extra}
    resp = client.get(f"/api/{endpoint}", query_string=query)
    assert resp.status_code == 200, resp.json
    return resp.json


def distance_after(client, scene, steps):
    (x0, y0), = scene.points
    run = ask(client, "trajectory", scene, x0=x0, y0=y0, steps=steps)
    return run["status"], len(run["points"]) - 1, math.hypot(*run["points"][-1])


def update(client, scene):
    (point,) = ask(client, "analysis", scene)["stationary_points"]
    return point["update"]


def radius(client, scene):
    return update(client, scene)["spectral_radius"]


# (lesson, scene, what the scene's run must do): ("radius", shown) the update's spectral radius at the
# equilibrium, printed as shown; ("neutral",) a radius of 1 (within 1e-9); ("after", steps, shown) the distance from the origin after that many
# steps, still running; ("converged", steps) converged in exactly that many steps.
CLAIMS = [
    ("paper-gan", 0, ("radius", "1.0012")), ("paper-gan", 0, ("after", 400, "1.70")),
    ("paper-gan", 1, ("neutral",)), ("paper-gan", 1, ("after", 400, "1.12")),
    ("paper-nsgan", 0, ("neutral",)), ("paper-nsgan", 0, ("after", 400, "0.41")),
    ("paper-nsgan", 0, ("after", 5000, "0.12")),
    ("paper-wgan", 0, ("radius", "1.005")), ("paper-wgan", 0, ("after", 400, "0.32")),
    ("paper-wgan", 0, ("after", 5000, "0.32")),
    ("paper-wgan-gp", 0, ("after", 400, "0.39")), ("paper-wgan-gp", 0, ("after", 5000, "0.45")),
    ("paper-r1", 0, ("radius", "0.976")), ("paper-r1", 0, ("converged", 717)),
    ("paper-r1", 1, ("radius", "0.95")), ("paper-r1", 1, ("converged", 419)),
    ("paper-noise", 0, ("radius", "0.976")), ("paper-noise", 0, ("converged", 721)),
    ("paper-consensus", 0, ("radius", "0.989")), ("paper-consensus", 0, ("converged", 1592)),
    ("paper-consensus", 1, ("radius", "0.955")), ("paper-consensus", 1, ("converged", 393)),
]


@pytest.mark.parametrize("lesson, index, claim", CLAIMS)
def test_the_papers_panel_says_what_the_page_will_show(client, lesson, index, claim):
    text, scene = PAPER[lesson].text[0], PAPER[lesson].scenes[index]
    if claim[0] == "radius":
        shown = claim[1]
        figures = len(shown.replace(".", "").lstrip("0"))
        assert f"{radius(client, scene):.{figures}g}" == shown
    elif claim[0] == "neutral":
        u, shown = update(client, scene), "1"
        assert u["verdict"] == "neutral" and abs(u["spectral_radius"] - 1) <= 1e-9
    elif claim[0] == "after":
        _, steps, shown = claim
        status, taken, dist = distance_after(client, scene, steps)
        assert (status, taken) == ("max_steps", steps)  # still running: it did not converge
        assert f"{dist:.2f}" == shown
    else:
        status, taken, _ = distance_after(client, scene, scene.steps)
        assert (status, taken) == ("converged", claim[1])
        shown = str(claim[1])
    assert shown in text


def test_the_papers_closed_forms_hold_at_the_pages_learning_rate(client):
    gan, wgan = PAPER["paper-gan"].scenes[0], PAPER["paper-wgan"].scenes[0]
    assert radius(client, gan) == pytest.approx(math.sqrt(1 + 0.1**2 / 4), rel=1e-12)  # eigenvalues +-i/2
    nsgan_gd = Scene("gd", "dirac-nsgan", method="gd")  # the NS-GAN's sentence compares gd too
    assert f"{radius(client, nsgan_gd):.5g}" == "1.0012" and "1.0012 for gd" in PAPER["paper-nsgan"].text[0]
    assert radius(client, wgan) == pytest.approx(math.sqrt(1 + 0.1**2), rel=1e-12)  # eigenvalues +-i
    assert ask(client, "analysis", PAPER["paper-wgan-gp"].scenes[0])["stationary_points"] == []
    sigma = PAPER["paper-noise"].scenes[1].params["sigma"]  # above sqrt(2): real eigenvalues
    (point,) = ask(client, "analysis", PAPER["paper-noise"].scenes[1])["stationary_points"]
    root = math.sqrt(sigma**4 / 16 - 1 / 4)
    assert sorted(re for re, _ in point["eigenvalues"]) == pytest.approx([sigma**2 / 4 - root, sigma**2 / 4 + root], rel=1e-6)
