"""The Deep network view, driven as a person would: by roles and visible names, in Chromium.

The figure "Gradient per layer" says aria-busy="false" once the picture on screen is complete and
is the run its knobs describe; every test waits on that, never on a clock. Runs are kept small
(a few layers, tens of steps) unless the lesson needs the deep one, so the whole file stays quick
on a shared two-core machine. The page fixture fails a test on any console error or any request
that leaves the origin.
"""

from __future__ import annotations

import math
import re

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


def open_view(page, hash_=""):
    page.goto("/network" + hash_)
    expect(figure(page)).to_have_attribute("aria-busy", "false")


def figure(page):
    return page.get_by_role("figure", name="Gradient per layer")


def bars(page):
    return page.get_by_role("img", name=re.compile("^Gradient norm of each layer at step"))


def summary(page):
    return page.get_by_role("region", name=re.compile("^Step "))


def histograms(page):
    return page.get_by_role("list", name="Weight gradients of each layer").get_by_role("listitem")


def shown(x: float) -> str:
    """A number as the page prints it (format.js num): three figures, exponent form off [1e-4, 1e6)."""
    if x == 0:
        return "0"
    if abs(x) >= 1e6 or abs(x) < 1e-4:
        mantissa, exp = f"{x:.2e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        return f"{mantissa}e{'+' if int(exp) >= 0 else '-'}{abs(int(exp))}"
    return f"{float(f'{x:.3g}'):g}"


def run(page, **params):
    answer = page.request.get("/api/network", params=params)
    assert answer.status == 200
    return answer.json()


SMALL = "#depth=3&width=8&steps=40&record=10"


def test_the_view_loads_offline_with_every_chart_and_its_words(page, log):
    open_view(page)
    for name in ("Gradient norm of each layer at step 0", "Heat map of each layer's gradient norm", "Training loss from",
                 "Decision boundary after 500 steps"):
        chart = page.get_by_role("img", name=re.compile("^" + re.escape(name)))
        expect(chart).to_be_visible()
        expect(chart.locator(".main-svg").first).to_be_visible()
    expect(histograms(page)).to_have_count(5)  # 4 hidden layers and the output
    expect(summary(page)).to_contain_text("Step 0 of 500")
    expect(page.get_by_role("status", name="How the run ended")).to_contain_text("Trained for 500 steps, recorded every 10.")
    expect(page.get_by_role("link", name="Back to the 2D losses and games")).to_have_attribute("href", "/")
    assert log.requests and not log.errors


def test_changing_the_activation_redraws_with_the_apis_numbers(page):
    open_view(page, SMALL)
    before = bars(page).get_attribute("aria-label")
    page.get_by_label("Activation").select_option(label="ReLU")
    expect(page).to_have_url(re.compile("activation=relu"))
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    expect(bars(page)).not_to_have_attribute("aria-label", before)
    body = run(page, depth=3, width=8, steps=40, record=10, activation="relu")
    norms = [layer["weight_grad"]["norm"][0] for layer in body["layers"]]
    first = histograms(page).first
    expect(first).to_contain_text(f"layer1 · ‖g‖ {shown(norms[0])}")
    expect(first).to_contain_text(body["layers"][0]["weight_grad"]["class"][0])
    dead = [layer["dead"][0] for layer in body["layers"][:-1]]
    if max(dead) > 0:
        top = dead.index(max(dead))
        pct = lambda x: f"{math.floor(100 * x + 0.5)}%"  # noqa: E731  as Math.round
        expect(summary(page)).to_contain_text(f"Dead units (off for the whole batch): {pct(sum(dead) / len(dead))} on "
                                              f"average, most in layer {top + 1} ({pct(dead[top])}).")
    else:
        expect(summary(page)).to_contain_text("No unit is dead")
    out, lay1 = body["layers"][-1]["signal_norm"][0], body["layers"][0]["signal_norm"][0]
    expect(summary(page)).to_contain_text(f"is {shown(out)} at the output and {shown(lay1)} at layer 1")


def test_a_preset_sets_the_link_and_the_picture(page):
    open_view(page, SMALL)
    preset = page.get_by_role("button", name="Linear layers with gain 1.5: exploding")
    preset.click()
    expect(page).to_have_url(re.compile(r"depth=20&width=32&activation=linear&init=normal&gain=1.5&method=gd&lr=0.1"))
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    expect(page.get_by_role("status", name="How the run ended")).to_contain_text("Diverged at step 2")
    expect(summary(page)).to_contain_text("Exploding (‖g‖ > 10): layers 1–20 and the output layer")
    expect(preset).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_label("Initialisation")).to_have_value("normal")
    expect(page.get_by_label("Init gain")).to_have_value("1.5")
    page.get_by_label("Initialisation").select_option("he")
    expect(page.get_by_label("Init gain")).to_be_hidden()  # He init draws its own scale
    expect(preset).to_have_attribute("aria-pressed", "false")


def test_play_step_and_restart_move_through_the_recorded_steps(page):
    open_view(page, SMALL)
    frame = page.get_by_label("Training step shown")
    expect(frame).to_have_text("Step 0 of 40")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(frame).to_have_text("Step 10 of 40")
    expect(summary(page)).to_contain_text("Step 10 of 40")
    expect(page).to_have_url(re.compile("at=10"))
    body = run(page, depth=3, width=8, steps=40, record=10)
    expect(histograms(page).first).to_contain_text(f"‖g‖ {shown(body['layers'][0]['weight_grad']['norm'][1])}")
    page.get_by_label("Speed").select_option(label="Fastest")
    page.get_by_role("button", name="Play").click()
    expect(frame).to_have_text("Step 40 of 40")
    expect(page.get_by_role("button", name="Play")).to_be_visible()  # it stops at the end
    page.get_by_role("button", name="Restart").click()
    expect(frame).to_have_text("Step 0 of 40")


def test_a_link_reopens_the_same_run_at_the_same_step(page, context):
    link = ("#task=circles&depth=5&width=12&activation=leaky_relu&init=normal&gain=0.8&norm=layer&residual=on"
            "&method=momentum&lr=0.05&steps=60&batch=32&record=20&seed=3&options=beta:0.5&speed=slow&at=40")
    open_view(page, link)
    for label, value in (("Task", "circles"), ("Hidden layers", "5"), ("Activation", "leaky_relu"), ("Init gain", "0.8"),
                         ("Normalisation", "layer"), ("Residual connections", "on"), ("Optimiser", "momentum"),
                         ("beta", "0.5"), ("Learning rate", "0.05"), ("Seed", "3"), ("Speed", "slow")):
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.get_by_label("Training step shown")).to_have_text("Step 40 of 60")
    assert page.url.endswith(link)  # written back exactly as it came
    words = summary(page).text_content()
    other = context.new_page()
    try:
        open_view(other, "#" + page.url.split("#", 1)[1])
        expect(summary(other)).to_have_text(words)
    finally:
        other.close()


def test_bad_input_is_refused_beside_the_box_and_the_picture_stays(page):
    open_view(page, SMALL)
    before = bars(page).get_attribute("aria-label")
    depth = page.get_by_label("Hidden layers")
    depth.fill("100")  # past the server's 64
    expect(depth).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#net-depth-invalid")).to_contain_text("64")
    lr = page.get_by_label("Learning rate")
    lr.fill("0")
    expect(page.locator("#net-lr-invalid")).to_have_text("Must be above 0.")
    assert "depth=100" not in page.url and "lr=0&" not in page.url
    expect(bars(page)).to_have_attribute("aria-label", before)
    expect(histograms(page)).to_have_count(4)
    depth.fill("6")
    expect(depth).to_have_attribute("aria-invalid", "false")
    expect(page).to_have_url(re.compile("depth=6"))
    expect(histograms(page)).to_have_count(7)
    expect(figure(page)).to_have_attribute("aria-busy", "false")


def test_the_keyboard_reaches_a_knob_and_turns_it(page):
    open_view(page, SMALL)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the controls")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("complementary", name="Network and training")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Task")).to_be_focused()
    box = page.get_by_label("Hidden layers")
    box.focus()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile("depth=2"))
    expect(histograms(page)).to_have_count(3)
    assert box.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"


def test_the_views_link_to_each_other(page):
    page.goto("/")
    page.get_by_role("link", name="Deep network, layer by layer").click()
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    page.get_by_role("link", name=re.compile("deep chain")).click()
    expect(page.get_by_label("Loss", exact=True)).to_have_value("deep-chain")
    expect(page.get_by_role("link", name="the Deep network view")).to_have_attribute("href", "/network")


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 720), (1920, 1080)])
def test_the_layout_holds_from_a_phone_to_a_projector(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_view(page, SMALL)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    box = bars(page).bounding_box()
    play = page.get_by_role("button", name="Play").bounding_box()
    assert min(box["width"], box["height"]) >= 300, box
    if width >= 1280:  # the bars and Play on the first screen of a projector
        assert play["y"] + play["height"] <= height, play
    else:  # a phone: fingers need 44 px
        sizes = page.evaluate("""() => [...document.querySelectorAll('main button, main select, main input')]
            .filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect().height)""")
        assert sizes and min(sizes) >= 44, sorted(sizes)[:5]


def test_the_state_module_asks_the_server_only_what_it_takes(page):
    """state.js and summary.js in Chromium, through the page's import map: a link's values held to the
    server's declarations, and the query leaving out what the server would refuse or already assumes."""
    page.goto("/network")
    got = page.evaluate("""async () => {
        const state = await import("/static/js/network/state.js");
        const summary = await import("/static/js/network/summary.js");
        const net = JSON.parse(document.getElementById("bootstrap").textContent).config.network;
        const wild = state.fromHash("#depth=900&width=1.6&activation=swish&lr=0&gain=9&method=momentum"
            + "&options=beta:0.5,eps:1e-3&speed=warp&at=-4", net);
        const he = state.sanitize({ ...state.defaults(net), init: "he", gain: 2, method: "adam",
            options: { beta1: 0.5, beta: 0.3 } }, net);
        const normal = { ...he, init: "normal" };
        return {
            wild: [wild.depth, wild.width, wild.activation, wild.lr, wild.gain, wild.options, wild.speed, wild.at],
            he: state.query(he, net), normal: state.query(normal, net), plain: state.query(state.defaults(net), net),
            frames: [0, 9, 10, 25, 500].map((at) => state.frameOf([0, 10, 20, 30], at)),
            spans: summary.spans([1, 2, 3, 5, 7, 8]),
            again: state.toHash(state.fromHash("#depth=20&gain=1.5&init=normal&at=30", net), net),
        };
    }""")
    lr = next(p for p in page.evaluate("JSON.parse(document.getElementById('bootstrap').textContent).config.network.params")
              if p["name"] == "lr")
    assert got["wild"] == [64, 2, "tanh", lr["default"], 4, {"beta": 0.5}, "normal", 0]  # clamped, or the default
    assert got["he"] == {"init": "he", "beta1": 0.5}  # no gain for He, no momentum option for Adam
    assert got["normal"] == {"init": "normal", "gain": 2, "beta1": 0.5}
    assert got["plain"] == {}
    assert got["frames"] == [0, 0, 1, 2, 3]
    assert got["spans"] == "1–3, 5, 7–8"
    assert got["again"] == "#depth=20&init=normal&gain=1.5&at=30"  # schema order, as a link is written
