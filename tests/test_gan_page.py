"""The GAN in data space view, driven as a person would: by roles and visible names, in Chromium.

The figure "Samples in data space" says aria-busy="false" once no chunk is being fetched or drawn,
so every test waits on that (or on the words the page writes), never on a clock. Runs are tiny
(8-16 units, batch 16-64, 64 samples on an 11-point grid) so a whole run is a fraction of a second.
The page fixture fails a test on any console error or any request that leaves the origin.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

TINY = {"g_width": 8, "d_width": 8, "batch": 16, "samples": 64, "grid": 11}
SHORT = {**TINY, "steps": 40, "record": 10}
# four seeds of which the API says one collapses by step 200 (a collapse count of 0 would prove little)
COLLAPSING = {"k": 4, "std": 0.1, "g_width": 16, "d_width": 16, "batch": 64, "samples": 64, "grid": 11,
              "g_lr": 0.01, "d_lr": 0.01, "steps": 200, "record": 50}


def hash_of(params: dict) -> str:
    return "#" + "&".join(f"{k}={v}" for k, v in params.items())


def figure(page):
    return page.get_by_role("figure", name="Samples in data space")


def settled(page):
    expect(figure(page)).to_have_attribute("aria-busy", "false")


def open_view(page, params=None):
    page.goto("/gan" + (hash_of(params) if params else ""))
    settled(page)


def status(page):
    return page.get_by_role("status", name="How the run stands")


def counter(page):
    return page.get_by_label("Training step shown")


def run(page, **params):
    answer = page.request.get("/api/gan", params=params)
    assert answer.status == 200, answer.text()[:300]
    return answer.json()


def train_to_the_end(page):
    page.get_by_role("button", name="Play", exact=True).click()
    expect(status(page)).to_have_text(re.compile("^Trained for"))
    settled(page)


def test_the_view_loads_with_its_charts_links_and_words(page, log):
    open_view(page, SHORT)
    for name in ("Samples in data space at step 0", "Modes captured and quality from step 0",
                 "Gradient norms from step 0"):
        chart = page.get_by_role("img", name=re.compile("^" + re.escape(name)))
        expect(chart).to_be_visible()
        expect(chart.locator(".main-svg").first).to_be_visible()
    expect(counter(page)).to_have_text("Step 0 of 40")
    expect(page.get_by_role("link", name="Back to the 2D losses and games")).to_have_attribute("href", "/")
    expect(page.get_by_role("link", name="Deep network, layer by layer")).to_have_attribute("href", "/network")
    expect(page.get_by_label("Data", exact=True)).to_have_value("ring")  # the server's default, from /api/config
    assert log.requests and not log.errors


def test_the_index_and_the_network_view_link_here(page):
    for path in ("/", "/network"):
        page.goto(path)
        page.get_by_role("link", name="GAN in data space").click()
        expect(page).to_have_url(re.compile("/gan$"))
        expect(page.get_by_role("heading", name="GAN in data space", level=1)).to_be_visible()


def test_a_short_run_draws_its_samples_and_counts_the_apis_modes(page):
    open_view(page, SHORT)
    train_to_the_end(page)
    body = run(page, **SHORT)
    last = body["steps"][-1]
    k = len(body["modes"])
    expect(counter(page)).to_have_text(f"Step {last} of 40")
    expect(page.locator("#mode-count")).to_have_text(re.compile(
        rf"^Modes captured: {body['modes_captured'][-1]} of {k} at step {last} "))
    expect(page.get_by_role("img", name=re.compile(rf"^Samples in data space at step {last}: "
                                                   rf"{body['modes_captured'][-1]} of {k} modes captured")))
    expect(page.get_by_role("list", name="Gradient classes")).to_contain_text(body["g_grad_class"][-1])
    points = page.locator("#dataspace .scatterlayer .point")
    assert points.count() >= 64  # the generated samples, the real ones and the modes are on screen


def test_pause_stops_fetching_and_step_trains_one_chunk(page, log):
    params = {**TINY, "steps": 2000, "record": 10}
    open_view(page, params)
    page.get_by_role("button", name="Play", exact=True).click()
    expect(counter(page)).not_to_have_text("Step 0 of 2000")  # a chunk has landed
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(status(page)).to_have_text(re.compile(r"^Paused: step \d+ of 2000"))
    settled(page)  # the chunks already asked for have landed; no more are asked for
    at = int(re.search(r"Step (\d+) of", counter(page).text_content()).group(1))
    assert at < 2000
    asked = len(log.requests)
    page.get_by_role("button", name="Step", exact=True).click()
    expect(counter(page)).to_have_text(f"Step {at + 50} of 2000")  # one chunk: 5 recorded steps of 10
    settled(page)
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    expect(status(page)).to_have_text(f"Paused: step {at + 50} of 2000.")
    chunks = [parse_qs(urlsplit(u).query) for u in log.requests[asked:] if "/api/gan" in u]
    assert sorted(q.get("seed", ["0"])[0] for q in chunks) == ["0", "1", "2", "3"]  # one chunk a seed, no more
    assert next(q for q in chunks if "seed" not in q)["from"] == [str(at + 1)]


def test_the_hash_round_trips_through_a_reload(page):
    open_view(page, SHORT)
    page.get_by_label("Loss", exact=True).select_option(label="Minimax (saturating)")
    page.get_by_label("G width").fill("12")
    page.get_by_label("Unrolled steps").fill("2")
    expect(page).to_have_url(re.compile("loss=minimax.*g_width=12.*unroll=2"))
    settled(page)
    url = page.url
    page.reload()
    settled(page)
    assert page.url == url
    expect(page.get_by_label("Loss", exact=True)).to_have_value("minimax")
    expect(page.get_by_label("G width")).to_have_value("12")
    expect(page.get_by_label("Unrolled steps")).to_have_value("2")
    expect(page.get_by_label("Steps", exact=True)).to_have_value("40")


def test_a_preset_applies_its_settings(page):
    open_view(page, SHORT)
    config = page.request.get("/api/config").json()["gan"]
    preset = next(p for p in config["presets"] if p["settings"].get("unroll"))
    button = page.get_by_role("button", name=preset["label"])
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    defaults = {p["name"]: p["default"] for p in config["parameters"]}
    for name, value in preset["settings"].items():
        expect(page.locator(f"#gan-{name}")).to_have_value(str(value))
        if value != defaults[name]:  # a link names what differs from the server's defaults
            expect(page).to_have_url(re.compile(rf"[#&]{name}={re.escape(str(value))}(&|$)"))
    expect(page.get_by_label("Unrolled steps")).to_have_value(str(preset["settings"]["unroll"]))
    expect(page.get_by_label("Activation")).to_have_value(preset["settings"]["activation"])
    expect(page.get_by_label("Beta1")).to_have_value(str(preset["options"]["beta1"]))
    settled(page)
    expect(counter(page)).to_have_text(f"Step 0 of {preset['settings']['steps']}")
    expect(page.get_by_text(preset["look"])).to_be_visible()
    page.get_by_label("Unrolled steps").fill("1")
    expect(button).to_have_attribute("aria-pressed", "false")


def test_a_refused_setting_shows_the_servers_words_and_keeps_the_picture(page):
    open_view(page, {**SHORT, "k": 10})
    picture = page.get_by_role("img", name=re.compile("^Samples in data space at step"))
    before = picture.get_attribute("aria-label")
    page.get_by_label("Data", exact=True).select_option(label="Grid")  # a grid takes K = 4, 9, 16 or 25
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("k must be one of 4, 9, 16, 25")
    expect(alert).to_contain_text("The picture shown is the last one that loaded.")
    settled(page)
    expect(picture).to_have_attribute("aria-label", before)
    expect(page.get_by_label("Modes K")).to_have_value("10")  # the state is kept: fix it, and on it goes
    expect(page).to_have_url(re.compile("data=grid"))
    page.get_by_label("Modes K").fill("9")
    expect(alert).to_be_hidden()
    expect(picture).to_have_attribute("aria-label", re.compile(r"of 9 modes captured"))


def test_the_seeds_sentence_counts_the_apis_collapses(page):
    open_view(page, COLLAPSING)
    train_to_the_end(page)
    capture = page.request.get("/api/config").json()["gan"]["capture"]
    collapsed = off = 0
    for seed in range(4):
        body = run(page, **COLLAPSING, seed=seed)
        k, count, quality = len(body["modes"]), body["modes_captured"][-1], body["quality"][-1]
        on_data = quality >= capture["on_data_quality"]
        collapsed += on_data and count <= capture["collapse_at_most"] * k  # the config's rule...
        off += not on_data
        assert body["outcome"][-1] == ("collapsed" if on_data and count <= capture["collapse_at_most"] * k
                                       else "off the data" if not on_data else "spread")  # ...is the API's
        expect(page.locator(".seed-title").nth(seed)).to_have_text(
            f"Seed {seed}: {count} of {k} modes at step 200, {body['outcome'][-1]}")
    assert collapsed > 0
    expect(page.locator("#collapse")).to_have_text(re.compile(rf"^{collapsed} of 4 seeds collapsed \(captured at most "))
    expect(page.locator("#own-run")).to_have_text(re.compile(r"^This run \(seed 0\) "))


def test_wgan_gp_draws_the_interpolates_with_their_gradient_norm(page):
    open_view(page, {**SHORT, "loss": "wasserstein"})
    expect(page.get_by_label("Penalty", exact=True)).to_have_value("")  # the loss's own: gp
    legend = page.locator("#dataspace .legend")
    expect(legend).to_contain_text("interpolates x̂")
    expect(legend).to_contain_text("real → fake segments")
    expect(page.locator("#dataspace")).to_contain_text("‖∇D(x̂)‖")  # the colour bar's title
    expect(page.get_by_label("Penalty weight λ")).to_be_visible()
    expect(page.get_by_label("R1 weight γ")).to_be_hidden()


@pytest.mark.parametrize("width,height", [(390, 844), (1920, 1080)])
def test_the_layout_holds_on_a_phone_and_a_projector(page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_view(page, SHORT)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    box = page.get_by_role("img", name=re.compile("^Samples in data space at step")).bounding_box()
    assert min(box["width"], box["height"]) >= 300, box
    if width >= 1280:
        play = page.get_by_role("button", name="Play", exact=True).bounding_box()
        assert play["y"] + play["height"] <= height, play
    unnamed = page.evaluate("""() => [...document.querySelectorAll('main button, main select, main input, main progress')]
        .filter((e) => !e.labels?.length && !e.textContent.trim() && !e.getAttribute('aria-label')).map((e) => e.id)""")
    assert not unnamed
