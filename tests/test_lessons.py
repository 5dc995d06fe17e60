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
