"""The page, driven as a person would: by roles and visible names, in Debian's Chromium.

A live server (create_app() on a free port in a daemon thread) and one browser serve the session;
every test opens a fresh page, and the browser's persistent profile keeps plotly.min.js and its
compiled code cached, so later pages start warm. Every test also checks, on the way out, that no request
left the origin and nothing was logged as an error. Nothing here sleeps: Playwright's expect()
waits for what a person would wait for. The figure's aria-busy="false" is the page saying that
the picture on screen is complete and current.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from gradient_flow.losses.catalog import CATALOG

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


def open_page(page, hash_=""):
    page.goto("/" + hash_)
    expect(figure(page)).to_have_attribute("aria-busy", "false")


def figure(page):
    return page.get_by_role("figure", name="Loss landscape")


def plot(page):
    return page.get_by_role("img", name=re.compile("^Loss landscape of"))


def points(page):
    return page.get_by_role("list", name="Sample points").get_by_role("listitem")


# -- the opening picture -----------------------------------------------------------------------

def test_opening_state_shows_the_seed_point_with_its_numbers_and_the_plot(page, log):
    open_page(page)
    expect(page.get_by_label("Loss", exact=True)).to_have_value("toy-discriminator")
    expect(points(page)).to_have_count(1)
    seed = points(page).first
    for text in ("(0.5, -0.3)", "(-1.15, 0.65)", "1.32", "normal"):
        expect(seed).to_contain_text(text)
    expect(plot(page)).to_have_attribute("aria-label", re.compile(r"minimum at \(1\.2, -0\.8\)"))
    expect(page.locator("#plot .main-svg").first).to_be_visible()
    assert not log.errors


def test_no_request_leaves_the_origin_even_while_exploring(page, log):
    open_page(page)
    page.get_by_role("button", name="Add Sample Point").click()
    page.get_by_label("Gradient Scale").select_option(label="Exploding")
    page.get_by_label("Method").select_option(label="Adam")
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    assert log.requests and not log.errors


def test_the_pointer_readout_gives_the_exact_loss_at_the_nearest_grid_point(page):
    open_page(page)
    readout = page.get_by_text(re.compile("^Point at the plot"))
    expect(readout).to_be_visible()
    plot(page).hover()  # the middle of the plot
    text = page.get_by_text(re.compile("^At grid point")).text_content()
    nums = r"(-?[\d.]+(?:e-?\d+)?)"
    x, y, value, gx, gy, mag = map(float, re.search(
        rf"At grid point \({nums}, {nums}\): loss {nums}, gradient v = \({nums}, {nums}\), \|v\| = {nums}", text).groups())
    # Closed forms of the toy loss at the coordinates shown (themselves rounded to 3 figures).
    assert value == pytest.approx((x - 1) ** 2 + (y + 0.5) ** 2 + 0.5 * x * y, rel=0.01, abs=0.01)
    assert gx == pytest.approx(2 * (x - 1) + 0.5 * y, rel=0.01, abs=0.01)
    assert gy == pytest.approx(2 * (y + 0.5) + 0.5 * x, rel=0.01, abs=0.01)
    assert mag == pytest.approx(math.hypot(gx, gy), rel=0.01)


# -- sample points -------------------------------------------------------------------------------

def test_points_are_added_by_button_and_by_clicking_the_plot_cleared_and_reset(page):
    open_page(page)
    page.get_by_role("button", name="Add Sample Point").click()
    expect(points(page)).to_have_count(2)
    expect(points(page).nth(1)).to_contain_text("Trajectory:")

    box = plot(page).bounding_box()
    plot(page).click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(points(page)).to_have_count(3)
    where = points(page).nth(2).text_content()
    x, y = map(float, re.search(r"Point 3 at \(([-\d.e]+), ([-\d.e]+)\)", where).groups())
    assert -1 <= x <= 3 and -2.5 <= y <= 1.5, where  # inside the toy loss's view
    expect(figure(page)).to_have_attribute("aria-busy", "false")

    page.get_by_role("button", name="Clear Points").click()
    expect(points(page)).to_have_count(0)
    expect(plot(page)).to_have_attribute("aria-label", re.compile("0 sample points"))

    page.get_by_role("button", name="Reset").click()
    expect(points(page)).to_have_count(1)
    expect(points(page).first).to_contain_text("(0.5, -0.3)")


def test_a_point_at_typed_coordinates_gets_its_gradient(page):
    open_page(page)
    form = page.get_by_role("form", name="Add a point at")
    form.get_by_label("x", exact=True).fill("2")
    form.get_by_label("y", exact=True).fill("1")
    form.get_by_label("y", exact=True).press("Enter")
    expect(points(page)).to_have_count(2)
    # (2(x - 1) + 0.5y, 2(y + 0.5) + 0.5x) at (2, 1), worked by hand
    expect(points(page).nth(1)).to_contain_text("Point 2 at (2, 1)")
    expect(points(page).nth(1)).to_contain_text("(2.5, 4)")
    form.get_by_label("x", exact=True).fill("")
    form.get_by_role("button", name="Add point").click()  # an empty box is refused, nothing added
    expect(points(page)).to_have_count(2)


def test_keyboard_reaches_and_operates_the_controls_with_a_visible_focus_ring(page):
    open_page(page)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Deep network, layer by layer")).to_be_focused()  # the header's other views
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="GAN in data space")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Compare side by side")).to_be_focused()  # the picture's own tools, first
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Present", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save picture")).to_be_focused()
    page.keyboard.press("Tab")
    expect(plot(page)).to_be_focused()  # the plot itself: its arrow keys walk the probe (test_touch.py)
    page.keyboard.press("Tab")
    add = page.get_by_role("button", name="Add Sample Point")
    expect(add).to_be_focused()
    assert add.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(points(page)).to_have_count(2)

    slider = page.get_by_label("c", exact=True)
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # c: 0.5 -> 0.6 in steps of 0.01
    expect(slider).to_have_value("0.6")
    expect(points(page).first).to_contain_text("(-1.18, 0.7)")  # (-1 + 0.6 * -0.3, 0.4 + 0.6 * 0.5)


def test_the_view_pans_by_drag_zooms_by_button_and_returns_to_the_default(page):
    open_page(page)
    box = plot(page).bounding_box()
    x, y = box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x + 12 * k, y + 6 * k)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"view=-[\d.]+,[\d.]+,"))
    panned = page.url
    expect(figure(page)).to_have_attribute("aria-busy", "false")

    page.get_by_role("button", name="Zoom in").click()
    expect(page).not_to_have_url(panned)
    xmin, xmax, ymin, ymax = map(float, re.search(r"view=([^&]+)", page.url).group(1).split(","))
    assert xmax - xmin == pytest.approx(2.0, rel=1e-3)  # half the toy loss's 4 wide
    expect(figure(page)).to_have_attribute("aria-busy", "false")

    page.get_by_role("button", name="Default view").click()
    expect(page).not_to_have_url(re.compile("view="))
    expect(points(page).first).to_contain_text("(-1.15, 0.65)")


def _png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("label, scale", [("PNG, screen size", 1), ("PNG, twice the size", 2),
                                          ("PNG, four times the size", 4)])
def test_the_picture_saves_as_a_png_at_1x_2x_and_4x_with_title_and_keys(page, tmp_path, label, scale):
    open_page(page)
    page.get_by_role("button", name="Save picture").click()
    with page.expect_download() as download:
        page.get_by_role("button", name=label).click()
    assert download.value.suggested_filename == "gradient-flow-toy-discriminator.png"
    path = tmp_path / "picture.png"
    download.value.save_as(path)
    width, height = _png_size(path.read_bytes())
    box = plot(page).bounding_box()
    # the plot (less its 1 px border) plus the title above it and the key below, at `scale`
    assert width == pytest.approx(scale * (box["width"] - 2), abs=2 * scale)
    assert height > scale * (box["height"] - 2) + scale * 40


def test_the_picture_saves_as_svg_that_parses_with_its_title_and_both_keys(page, tmp_path):
    import xml.etree.ElementTree as ET
    open_page(page, "#loss=bilinear-game&compare=extragradient")
    page.get_by_role("button", name="Save picture").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="SVG").click()
    path = tmp_path / "picture.svg"
    download.value.save_as(path)
    root = ET.parse(path).getroot()  # parses as XML
    text = " ".join(t.strip() for t in root.itertext())
    assert root.tag.endswith("svg") and "Bilinear game" in text
    for words in ("vanishing", "exploding", "Extragradient", "Gradient descent (simultaneous)"):
        assert words in text
    assert len(root.findall("{http://www.w3.org/2000/svg}svg")) >= 2  # both layers, nested as vector


def test_copy_link_puts_the_pictures_url_on_the_clipboard(page):
    open_page(page, "#loss=saddle")
    page.get_by_role("button", name="Save picture").click()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == page.url


# -- gradient scale ------------------------------------------------------------------------------

def test_scale_presets_change_the_seed_points_class(page):
    open_page(page)
    scale = page.get_by_label("Gradient Scale")
    scale.select_option(label="Vanishing")  # 1.32 * 0.001 < 0.01
    expect(points(page).first).to_contain_text("vanishing")
    scale.select_option(label="Exploding")  # 1.32 * 100 = 132 > 10
    expect(points(page).first).to_contain_text("exploding")
    expect(points(page).first).to_contain_text("132")
    scale.select_option(label="Normal")
    expect(points(page).first).to_contain_text("normal")


def test_thresholds_are_editable(page):
    open_page(page)
    page.get_by_label("Exploding above").fill("1")
    expect(points(page).first).to_contain_text("exploding")


# -- custom expressions ------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["x y", "x +"])
def test_a_bad_expression_shows_the_engines_message_and_keeps_the_picture(page, bad):
    open_page(page)
    before = page.url
    answer = page.request.get("/api/field", params={"loss": "custom", "expr": bad, "kind": "minimize"})
    assert answer.status == 400
    message = answer.json()["error"]["message"]

    box = page.get_by_label("Expression")
    box.fill(bad)
    box.press("Enter")
    alert = page.get_by_role("alert").filter(has_text=message)
    expect(alert).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Loss", exact=True)).to_have_value("toy-discriminator")
    expect(points(page).first).to_contain_text("(-1.15, 0.65)")
    expect(plot(page)).to_have_attribute("aria-label", re.compile("Toy discriminator"))
    assert page.url == before


def test_a_good_expression_redraws_and_clears_the_alert(page):
    open_page(page)
    box = page.get_by_label("Expression")
    box.fill("x +")
    box.press("Enter")
    expect(page.get_by_role("alert")).to_have_count(1)
    box.fill("x^2 + 3y^2")
    box.press("Enter")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Loss", exact=True)).to_have_value("custom")
    expect(points(page).first).to_contain_text("(1, -1.8)")  # (2x, 6y) at (0.5, -0.3)
    expect(plot(page)).to_have_attribute("aria-label", re.compile(r"custom minimize x\^2 \+ 3y\^2.*minimum at \(0, 0\)"))
    assert "expr=" in page.url


# -- the worked example ------------------------------------------------------------------------

def test_worked_example_for_the_seed_point_and_copy_latex(page):
    open_page(page)
    worked = page.get_by_role("region", name="Worked example")
    for number in ("-1.15", "0.65", "1.32", "0.615", "-0.365"):
        expect(worked).to_contain_text(number)
    for step in ("Step 1", "Step 2", "Step 3", "Step 4"):
        expect(worked.get_by_role("heading", name=re.compile(step))).to_be_visible()
    expect(worked.locator("math").first).to_be_visible()
    worked.get_by_role("button", name="Copy LaTeX").click()
    expect(worked.get_by_role("status")).to_contain_text("LaTeX")
    assert "\\frac{\\partial L}{\\partial x}" in page.evaluate("navigator.clipboard.readText()")


def test_worked_example_follows_the_selected_point(page):
    open_page(page, "#points=0.5,-0.3;2,1&selected=1")
    worked = page.get_by_role("region", name="Worked example")
    expect(worked).to_contain_text("point 2 at (2, 1)")
    points(page).first.get_by_role("button", name="Explain").click()
    expect(worked).to_contain_text("point 1 at (0.5, -0.3)")
    expect(worked).to_contain_text("-1.15")


# -- trajectories and the player ------------------------------------------------------------------

def test_trajectory_status_in_words_and_the_player(page):
    open_page(page)
    seed = points(page).first
    expect(seed).to_contain_text("max steps after 100 steps")
    counter = page.get_by_label("Animation frame")
    expect(counter).to_have_text("Step 0 of 100")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(counter).to_have_text("Step 1 of 100")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(counter).to_have_text("Step 2 of 100")

    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    page.get_by_label("Speed").select_option(label="Fastest")
    page.get_by_role("button", name="Play").click()
    expect(counter).to_have_text("Step 100 of 100")
    expect(page.get_by_role("button", name="Play")).to_be_visible()

    page.get_by_label("Steps", exact=True).fill("1000")
    expect(seed).to_contain_text("converged")


def test_the_run_chart_shows_the_gradient_vanishing_as_descent_converges(page):
    open_page(page)
    chart = page.get_by_role("img", name=re.compile("^Gradient size during the run"))
    # Independently: gd's error contracts by (I - lr H) each step, and v = H e on this quadratic.
    hessian = np.array([[2, 0.5], [0.5, 2]])
    error = np.linalg.matrix_power(np.eye(2) - 0.1 * hessian, 100) @ (np.array([0.5, -0.3]) - [1.2, -0.8])
    last = f"{np.linalg.norm(hessian @ error):.2e}".replace("e-0", "e-")  # 1.11e-7
    expect(chart).to_have_attribute("aria-label", re.compile(
        rf"\|v\| = 1\.32 \(normal\) at step 0, {re.escape(last)} \(vanishing\) at step 100"))
    points(page).first.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Add a point to see its gradient size")).to_be_visible()
    expect(chart).to_be_hidden()


def test_the_player_speed_is_part_of_the_link(page):
    open_page(page, "#speed=fast")
    speed = page.get_by_label("Speed")
    expect(speed).to_have_value("fast")
    speed.select_option(label="Slow motion")
    expect(page).to_have_url(re.compile("speed=slow"))


def test_methods_follow_the_kind_of_loss(page):
    open_page(page, "#loss=bilinear-game&method=extragradient")
    method = page.get_by_label("Method")
    expect(method).to_have_value("extragradient")
    expect(plot(page)).to_have_attribute("aria-label", re.compile(r"rotational equilibrium at \(0, 0\)"))
    plot(page).hover()
    expect(page.get_by_text(re.compile(r"^At grid point"))).to_contain_text("): f ")  # a game's value is no loss
    expect(method.get_by_role("option", name="Optimistic gradient (OGDA)")).to_have_count(1)
    page.get_by_role("button", name="Show the saddle").click()
    expect(page.get_by_label("Loss", exact=True)).to_have_value("saddle")
    expect(method.get_by_role("option", name="Extragradient")).to_have_count(0)
    expect(method).to_have_value("gd")
    expect(plot(page)).to_have_attribute("aria-label", re.compile(r"saddle at \(0, 0\)"))


def test_the_insight_on_circling_opens_the_game_and_a_method_that_converges(page):
    open_page(page)
    page.get_by_role("button", name="Try extragradient").click()
    expect(page.get_by_label("Loss", exact=True)).to_have_value("bilinear-game")
    expect(page.get_by_label("Method")).to_have_value("extragradient")
    expect(points(page).first).to_contain_text("Trajectory: ")
    page.get_by_role("button", name="Try consensus optimization").click()
    expect(page.get_by_label("Method")).to_have_value("consensus")
    expect(page.get_by_label("consensus weight γ")).to_have_value("0.5")
    page.get_by_role("button", name="Show the Dirac-GAN").click()
    expect(page.get_by_label("Loss", exact=True)).to_have_value("dirac-gan")
    expect(page.get_by_label("Method")).to_have_value("gd")  # the lesson is that plain gd circles
    expect(plot(page)).to_have_attribute("aria-label", re.compile(r"equilibrium at \(0, 0\)"))


@pytest.mark.parametrize("loss", CATALOG)
def test_every_catalog_loss_draws_from_the_picker(page, loss):
    open_page(page)
    page.get_by_label("Loss", exact=True).select_option(loss)
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    expect(plot(page)).to_have_attribute("aria-label", re.compile(re.escape(CATALOG[loss].title)))
    expect(page.get_by_role("alert")).to_have_count(0)
    for param in CATALOG[loss].params:
        expect(page.get_by_label(param.name, exact=True)).to_have_value(re.compile(r"^-?[\d.]+$"))
    expect(points(page).first).to_contain_text("Trajectory: ")


def test_a_custom_expression_gets_sliders_for_its_parameters(page):
    open_page(page)
    box = page.get_by_label("Expression")
    box.fill("a*x^2 + y^2")
    box.press("Enter")
    slider = page.get_by_label("a", exact=True)
    expect(slider).to_have_value("1")
    expect(points(page).first).to_contain_text("(1, -0.6)")  # (2ax, 2y) at (0.5, -0.3), a = 1
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # a: 1 -> 2
    expect(points(page).first).to_contain_text("(2, -0.6)")


def test_thresholds_that_contradict_each_other_are_refused_beside_the_box(page):
    open_page(page)
    vanish = page.get_by_label("Vanishing below")
    vanish.fill("50")  # above explode = 10
    expect(vanish).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("below “Exploding above” (10)")).to_be_visible()
    expect(points(page).first).to_contain_text("normal")  # the picture keeps the last good thresholds
    assert "vanish=50" not in page.url
    page.get_by_label("Exploding above").fill("100")  # now both hold: 50 < 100
    expect(vanish).to_have_attribute("aria-invalid", "false")
    expect(page.get_by_text("below “Exploding above”")).to_be_hidden()
    expect(points(page).first).to_contain_text("vanishing")  # |v| = 1.32 < 50
    expect(page).to_have_url(re.compile(r"vanish=50&explode=100"))


def test_a_number_out_of_range_says_why_and_changes_nothing(page):
    open_page(page)
    lr = page.get_by_label("Learning rate", exact=True)
    lr.fill("200")  # the server allows at most 100
    expect(lr).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#lr-invalid")).to_be_visible()
    assert "lr=200" not in page.url
    lr.fill("0.2")
    expect(lr).to_have_attribute("aria-invalid", "false")
    expect(page).to_have_url(re.compile(r"lr=0.2"))


def test_a_methods_options_change_its_trajectory(page):
    open_page(page, "#method=momentum&steps=5")
    beta = page.get_by_label("beta", exact=True)
    expect(beta).to_have_value("0.9")  # the server's default
    seed = points(page).first
    expect(seed).to_contain_text("after 5 steps")
    before = seed.text_content()
    beta.fill("0")  # momentum without memory is plain gradient descent
    expect(seed).not_to_have_text(before)
    assert "options=beta:0" in page.url
    gd = page.request.get("/api/trajectory", params={"x0": 0.5, "y0": -0.3, "method": "gd", "steps": 5}).json()
    x, y = gd["points"][-1]
    expect(seed).to_contain_text(f"at ({x:.3g}, {y:.3g})")


def test_a_discriminator_can_take_several_steps_per_generator_step(page):
    open_page(page, "#loss=bilinear-game&method=alternating&steps=50&points=1,0")
    steps = page.get_by_label("y steps per x step")
    expect(steps).to_have_value("1")
    steps.fill("5")
    expect(page).to_have_url(re.compile("options=y_steps:5"))
    answer = page.request.get("/api/trajectory", params={"loss": "bilinear-game", "x0": 1, "y0": 0,
                                                         "method": "alternating", "steps": 50, "y_steps": 5})
    assert answer.status == 200
    x, y = answer.json()["points"][-1]
    expect(points(page).first).to_contain_text(f"at ({x:.3g}, {y:.3g})")


def test_methods_compared_side_by_side_from_the_same_point(page):
    open_page(page, "#loss=bilinear-game&points=1,0&steps=60")
    compare = page.get_by_role("group", name="Compare with")
    expect(compare.get_by_label("Gradient descent (simultaneous)")).to_be_disabled()  # it runs already
    compare.get_by_label("Extragradient").check()
    expect(page).to_have_url(re.compile("compare=extragradient"))
    expect(page.get_by_role("list", name="Which line is which")).to_contain_text("Extragradient")
    # Independently: on f = xy, v = A p with A = [[0, 1], [-1, 0]]; extragradient's step is
    # p <- p - lr A (p - lr A p) = ((1 - lr^2) I - lr A) p, which contracts, while gd's expands.
    lr, a = 0.1, np.array([[0.0, 1.0], [-1.0, 0.0]])
    eg = np.linalg.matrix_power((1 - lr * lr) * np.eye(2) - lr * a, 60) @ [1.0, 0.0]
    gd = np.linalg.matrix_power(np.eye(2) - lr * a, 60) @ [1.0, 0.0]
    first = points(page).first
    expect(first).to_contain_text(f"Trajectory: max steps after 60 steps, at ({gd[0]:.3g}, {gd[1]:.3g})")
    expect(first).to_contain_text(f"Beside it, Extragradient: max steps after 60 steps, at ({eg[0]:.3g}, {eg[1]:.3g})")
    compare.get_by_label("Extragradient").uncheck()
    expect(first).not_to_contain_text("Beside it")
    expect(page.get_by_role("list", name="Which line is which")).to_be_hidden()


# -- links -----------------------------------------------------------------------------------------

def test_a_link_reopens_the_same_picture(page, context):
    open_page(page, "#loss=saddle&scale=100&method=momentum&lr=0.05&points=1,1;-1,0.5")
    expect(page.get_by_label("Loss", exact=True)).to_have_value("saddle")
    expect(page.get_by_label("Gradient Scale")).to_have_value("exploding")
    expect(page.get_by_label("Method")).to_have_value("momentum")
    expect(page.get_by_label("Learning rate")).to_have_value("0.05")
    expect(points(page)).to_have_count(2)
    expect(points(page).nth(0)).to_contain_text("(1, 1)")
    expect(points(page).nth(1)).to_contain_text("(-1, 0.5)")

    page.get_by_role("button", name="Add Sample Point").click()
    expect(points(page)).to_have_count(3)
    third = re.search(r"Point 3 at (\(.*?\))", points(page).nth(2).text_content()).group(1)
    link = page.url
    other = context.new_page()
    try:
        open_page(other, "#" + link.split("#", 1)[1])
        expect(points(other)).to_have_count(3)
        expect(points(other).nth(2)).to_contain_text(third)
        expect(other.get_by_label("Gradient Scale")).to_have_value("exploding")
    finally:
        other.close()


# -- the phone -------------------------------------------------------------------------------------

def test_phone_layout_has_no_horizontal_scroll_and_usable_controls(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    for name in ("Add Sample Point", "Clear Points", "Reset", "Play", "Step"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    for tab, label in (("Loss", "Expression"), ("Gradient size", "Gradient Scale"), ("Optimiser", "Method"),
                       ("Optimiser", "Learning rate")):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    page.get_by_role("button", name="Add Sample Point").click()
    expect(points(page)).to_have_count(2)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390


@pytest.mark.parametrize("width,height", [(1920, 1080), (1440, 900), (1280, 720), (960, 540), (768, 1024)])
def test_on_a_projector_the_plot_and_play_fit_on_one_screen(page, width, height):
    # 1280x720 and 960x540 are a 1080p projector at 150% and 200% zoom, read from the back row
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, "#points=0.5,-0.3;1,1")
    play = page.get_by_role("button", name="Play").bounding_box()
    box = plot(page).bounding_box()
    assert play["y"] + play["height"] <= height, (width, height, play)
    assert box["y"] + box["height"] <= height and min(box["width"], box["height"]) >= 300, box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


# -- what a person would not expect to lose -------------------------------------------------------

def test_the_skip_link_moves_to_the_controls_and_keeps_the_picture(page):
    open_page(page, "#loss=saddle&lr=0.2&points=1,1;-1,0.5")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the controls")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("complementary", name="Controls")).to_be_focused()
    expect(page.get_by_label("Loss", exact=True)).to_have_value("saddle")
    expect(points(page)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"#loss=saddle&lr=0.2&points=1,1;-1,0.5"))


def test_a_choice_made_while_an_expression_is_checked_wins(page):
    held = []
    page.route(re.compile(r"/api/field\?loss=custom"), lambda route: held.append(route))
    open_page(page)
    box = page.get_by_label("Expression")
    box.fill("x^2 + y^2")
    with page.expect_request(re.compile(r"/api/field\?loss=custom")):
        box.press("Enter")  # the check is in flight, and held
    page.get_by_label("Loss", exact=True).select_option("saddle")
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    assert held, "the expression's check never reached the server"
    held[0].continue_()  # the answer arrives after the later choice
    page.unroute(re.compile(r"/api/field\?loss=custom"))
    expect(plot(page)).to_have_attribute("aria-label", re.compile("Saddle"))
    expect(page.get_by_label("Loss", exact=True)).to_have_value("saddle")


def test_a_lost_connection_keeps_the_last_picture_and_recovers_by_itself(page, log):
    log.expected.append("net::ERR_FAILED")  # Chromium logs the aborted request
    open_page(page)
    blocked = re.compile(r"/api/field\?loss=saddle")
    page.route(blocked, lambda route: route.abort())
    page.get_by_label("Loss", exact=True).select_option("saddle")
    alert = page.locator("#plot-error")
    expect(alert).to_contain_text("network error")
    expect(alert).to_contain_text("the last one that loaded")
    expect(plot(page)).to_have_attribute("aria-label", re.compile("Toy discriminator"))  # not half a saddle
    page.unroute(blocked)
    expect(plot(page)).to_have_attribute("aria-label", re.compile("Saddle"))  # retried without a click
    expect(alert).to_be_hidden()


def test_the_worked_example_says_when_the_method_steps_differently(page):
    open_page(page, "#loss=bilinear-game&method=extragradient&points=0.5,-0.3")
    intro = page.locator("#worked-intro")
    # extragradient on xy from (0.5, -0.3), lr 0.1: v = (y, -x) = (-0.3, -0.5); look ahead to
    # (0.53, -0.25), where v = (-0.25, -0.53); step from the start: (0.5 + 0.025, -0.3 + 0.053)
    expect(intro).to_contain_text("Extragradient")
    expect(intro).to_contain_text("(0.525, -0.247)")
    page.get_by_label("Method").select_option("gd")
    expect(intro).not_to_contain_text("steps differently")


def test_explain_keeps_the_keyboard_where_it_was(page):
    open_page(page, "#points=0.5,-0.3;1,1")
    explain = points(page).nth(1).get_by_role("button", name="Explain")
    explain.focus()
    page.keyboard.press("Enter")
    pressed = points(page).nth(1).get_by_role("button", name="Explained")
    expect(pressed).to_be_focused()
    expect(pressed).to_have_attribute("aria-pressed", "true")
    remove = points(page).nth(1).get_by_role("button", name="Remove point 2")
    remove.focus()
    page.keyboard.press("Enter")
    expect(points(page)).to_have_count(1)
    expect(points(page).first.get_by_role("button", name="Remove point 1")).to_be_focused()


def test_a_typed_point_outside_the_view_widens_it(page):
    open_page(page)
    form = page.get_by_role("form", name="Add a point at")
    form.get_by_label("x", exact=True).fill("10")
    form.get_by_label("y", exact=True).fill("-6")
    form.get_by_role("button", name="Add point").click()
    expect(points(page)).to_have_count(2)
    view = re.search(r"view=([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)", page.url)
    assert view, page.url
    x0, x1, y0, y1 = map(float, view.groups())
    assert x0 <= -1 and x1 > 10 and y0 < -6 and y1 >= 1.5


def test_a_saturated_generator_is_said_to_stall_not_to_converge(page):
    open_page(page, "#loss=gan-saturating&params=k:12&points=2.5,2.5")
    expect(points(page).first).to_contain_text("stalled after 0 steps")


def test_zooming_in_shows_exactly_the_view_the_link_names(page):
    open_page(page, "#loss=saddle&view=-1,1,-1,1&points=")
    page.get_by_role("button", name="Zoom in").click()
    expect(page).to_have_url(re.compile(r"view=-0.5,0.5,-0.5,0.5"))
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    box = plot(page).bounding_box()
    at = lambda fx: plot(page).click(position={"x": box["width"] * fx, "y": box["height"] / 2})  # noqa: E731
    for n, fx in enumerate((0.35, 0.45, 0.6), start=1):  # inside the square field, whatever the aspect
        at(fx)
        expect(points(page)).to_have_count(n)
    at(0.01)  # the blank margins beside the square field add nothing...
    at(0.99)
    at(0.45)  # ...so this is the fourth point, not the sixth
    expect(points(page)).to_have_count(4)
    xs = [float(m) for m in re.findall(r"Point \d+ at \(([-\d.e]+),", page.get_by_role("list", name="Sample points").text_content())]
    assert all(-0.5 <= x <= 0.5 for x in xs), xs  # every click landed inside the view the link names


def test_the_view_pans_by_buttons_for_keyboards_and_phones(page):
    open_page(page, "#loss=saddle&view=-1,1,-1,1")
    page.get_by_role("button", name="Pan right").click()
    expect(page).to_have_url(re.compile(r"view=-0.5,1.5,-1,1"))
    page.get_by_role("button", name="Pan up").click()
    expect(page).to_have_url(re.compile(r"view=-0.5,1.5,-0.5,1.5"))
    page.get_by_role("button", name="Default view").click()
    expect(page).not_to_have_url(re.compile("view="))


def test_without_plotly_the_page_says_so_and_still_gives_the_numbers(page, log):
    log.expected.append("net::ERR_FAILED")
    page.route(re.compile(r"plotly\.min\.js"), lambda route: route.abort())
    page.goto("/")
    expect(page.locator("#plot-error")).to_contain_text("The plot cannot be drawn")
    expect(points(page).first).to_contain_text("(-1.15, 0.65)")  # the list needs no Plotly


def test_a_general_sum_pair_takes_each_players_own_loss_in_its_own_box(page):
    open_page(page)
    page.get_by_label("Kind").select_option("pair")
    second = page.get_by_label("y's own loss")
    expect(second).to_be_visible()
    page.get_by_label("Expression").fill("softplus(-x*y)")
    second.fill("softplus(-x*y) + y^2/4")
    second.press("Enter")
    expect(page.get_by_label("Loss", exact=True)).to_have_value("custom")
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    # at (0.5, -0.3): v = (-y s(-xy), -x s(-xy) + y/2) with s the sigmoid, worked here by hand
    s = 1 / (1 + math.exp(-0.15))
    want = f"({0.3 * s:.3g}, {-0.5 * s - 0.15:.3g})"
    expect(points(page).first).to_contain_text(want)
    assert "exprY=" in page.url and "kind=pair" in page.url
    page.get_by_label("Kind").select_option("minimize")
    expect(second).to_be_hidden()


def test_number_boxes_take_their_bounds_from_the_servers_declarations(page):
    open_page(page)
    cfg = page.evaluate("JSON.parse(document.getElementById('bootstrap').textContent).config")
    lr = next(p for p in cfg["parameters"]["trajectory"] if p["name"] == "lr")
    expect(page.get_by_label("Learning rate", exact=True)).to_have_attribute("max", str(int(lr["max"])))
    scale = page.get_by_label("Scale factor")
    scale.fill(str(-1))
    expect(scale).to_have_attribute("aria-invalid", "true")
    explode = page.get_by_label("Exploding above")
    explode.fill("0.001")  # below vanishing: the declared order says no
    expect(page.locator("#explode-invalid")).to_contain_text("Vanishing below")


def test_a_converged_run_is_called_converged_where_its_gradient_has_vanished(page):
    open_page(page, "#loss=toy-discriminator&steps=400&points=0.5,-0.3;1.2,-0.8")
    second = points(page).nth(1)
    expect(second).to_contain_text("at the minimum, where a zero gradient means it has arrived")
    expect(page.get_by_text(re.compile(r"^Point 1: .*\(vanishing: converged\) at step"))).to_be_visible()


def test_back_returns_to_the_previous_picture_and_a_slider_tick_is_no_history_entry(page):
    open_page(page)
    page.get_by_label("Loss", exact=True).select_option("rosenbrock")
    expect(plot(page)).to_have_attribute("aria-label", re.compile("Rosenbrock"))
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    page.get_by_role("button", name="Add Sample Point").click()
    expect(points(page)).to_have_count(2)
    slider = page.get_by_label("b", exact=True)
    slider.focus()
    slider.press("ArrowRight")  # a tick of a slider: it replaces the entry, it adds none
    expect(page).to_have_url(re.compile(r"params=b:"))
    page.go_back()
    expect(points(page)).to_have_count(1)
    expect(page.get_by_label("Loss", exact=True)).to_have_value("rosenbrock")
    page.go_back()
    expect(page.get_by_label("Loss", exact=True)).to_have_value("toy-discriminator")
    expect(plot(page)).to_have_attribute("aria-label", re.compile("Toy discriminator"))
    page.go_forward()
    expect(page.get_by_label("Loss", exact=True)).to_have_value("rosenbrock")


def test_shortcuts_play_step_and_restart_but_not_while_typing_and_the_list_opens_and_closes(page):
    open_page(page)
    frame = page.get_by_label("Animation frame")
    page.locator("body").press("ArrowRight")
    expect(frame).to_have_text(re.compile(r"^Step 1 of"))
    page.locator("body").press("ArrowRight")
    expect(frame).to_have_text(re.compile(r"^Step 2 of"))
    page.locator("body").press("r")
    expect(frame).to_have_text(re.compile(r"^Step 0 of"))
    page.locator("body").press(" ")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.locator("body").press(" ")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    box = page.get_by_label("Expression")
    box.click()
    box.press("r")  # typing: the letter goes into the box, nothing restarts
    expect(box).to_have_value("r")
    page.get_by_role("heading", name="Sample points").click()  # out of the box, as a person would
    page.keyboard.press("Shift+Slash")  # "?"
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Play or pause the runs")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def _smallest_plot_text(page):
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll('#plot text')]
        .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
        .map((t) => parseFloat(getComputedStyle(t).fontSize)))""")


@pytest.mark.parametrize("width, height, share", [(1920, 1080, 0.3), (1280, 720, 0.3)])
def test_presentation_mode_fills_the_screen_with_type_for_the_back_of_a_hall(page, width, height, share):
    # type is for 1920x1080 (28 px at least) and keeps its share of the screen elsewhere (look.js)
    k = min(width / 1920, height / 1080)
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, "#loss=dirac-gan&points=1,0.5")
    page.get_by_role("button", name="Present", exact=True).click()
    expect(page).to_have_url(re.compile(r"present=1"))
    expect(page.get_by_role("group", name="Presentation")).to_be_visible()
    expect(page.get_by_label("Loss", exact=True)).to_be_hidden()  # the controls step aside
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    expect(page.locator("#plot .xtick text").first).to_have_css("font-size", f"{round(30 * k)}px")
    assert _smallest_plot_text(page) >= math.floor(28 * k)
    box = page.locator("#plot").bounding_box()
    assert box["width"] * box["height"] >= share * width * height  # the stage, in both dimensions
    axes = page.locator("#plot .nsewdrag").first.bounding_box()  # the square of data itself
    assert axes["height"] >= 0.55 * height
    expect(page.get_by_role("button", name="Play")).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(page.get_by_role("group", name="Presentation")).to_be_hidden()
    expect(page.get_by_label("Loss", exact=True)).to_be_visible()
    page.keyboard.press("p")
    expect(page).to_have_url(re.compile(r"present=1"))


def test_a_link_opens_straight_into_presentation_mode(page):
    open_page(page, "#loss=bilinear-game&present=1")
    expect(page.get_by_role("group", name="Presentation")).to_be_visible()
    expect(page.get_by_role("button", name="Leave presentation")).to_be_visible()


def test_scenes_side_by_side_share_the_axes_the_points_and_one_play(page):
    open_page(page, "#loss=dirac-gan&steps=50&points=1,0.5")
    page.get_by_role("button", name="Compare side by side").click()
    expect(page.get_by_role("button", name="Edit scene 2")).to_be_visible()
    expect(page).to_have_url(re.compile(r"scenes="))
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    # the copy becomes GAN + R1: edit it (it becomes the main scene), move gamma, and both stay on screen
    page.get_by_role("button", name="Edit scene 2").click()
    slider = page.get_by_label("gamma", exact=True)
    slider.fill("0.5")
    expect(page.get_by_text(re.compile(r"^1\. dirac-gan · gamma 0\.5"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^2\. dirac-gan · gamma 0 "))).to_be_visible()
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.get_by_label("Animation frame")).to_have_text(re.compile(r"^Step 1 of 50"))
    page.get_by_role("button", name="Remove scene 2").click()
    expect(page.get_by_role("button", name="Edit scene 2")).to_have_count(0)


def test_the_papers_panel_opens_as_one_comparison_of_four(page):
    open_page(page)
    page.get_by_role("button", name="The paper's panel: GAN, NS-GAN, WGAN, WGAN-GP").click()
    expect(page.get_by_role("button", name="Edit scene 4")).to_be_visible()
    for label in ("1. dirac-gan", "2. dirac-nsgan", "3. dirac-wgan", "4. dirac-wgan-gp"):
        expect(page.get_by_text(re.compile(rf"^{re.escape(label)} "))).to_be_visible()
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    url = page.url
    page.goto("/")  # the comparison is one URL
    page.goto(url)
    expect(page.get_by_role("button", name="Edit scene 4")).to_be_visible()


def test_a_deck_is_built_named_reordered_presented_and_shared_as_one_url(page, tmp_path):
    open_page(page, "#loss=toy-discriminator")
    page.get_by_role("button", name="Add this picture").click()
    page.get_by_label("Loss", exact=True).select_option("bilinear-game")
    expect(plot(page)).to_have_attribute("aria-label", re.compile("Bilinear"))
    page.get_by_role("button", name="Add this picture").click()
    slides = page.get_by_role("list").filter(has=page.get_by_role("button", name="Show slide 1"))
    expect(slides.get_by_role("listitem")).to_have_count(2)
    names = page.get_by_label("Name")
    names.nth(1).fill("The circling game")
    names.nth(1).press("Enter")
    page.get_by_label("Narration").nth(1).fill("It spirals out.")
    page.get_by_label("Narration").nth(1).press("Tab")
    page.get_by_role("button", name="Move up slide 2").click()
    expect(names.first).to_have_value("The circling game")
    page.get_by_role("button", name="Show slide 1").click()
    page.get_by_role("button", name="Present", exact=True).click()
    expect(page.get_by_role("group", name="Presentation")).to_contain_text("Slide 1 of 2: The circling game. It spirals out.")
    page.keyboard.press("n")
    expect(page.get_by_role("group", name="Presentation")).to_contain_text("Slide 2 of 2")
    expect(page.get_by_label("Loss", exact=True)).to_have_value("toy-discriminator")
    page.keyboard.press("Shift+N")
    expect(page.get_by_label("Loss", exact=True)).to_have_value("bilinear-game")
    page.go_back()  # Back steps back through the slides, not out of the app
    expect(page.get_by_label("Loss", exact=True)).to_have_value("toy-discriminator")
    url = page.url
    assert "deck=" in url
    page.goto("/")
    page.goto(url)
    expect(page.get_by_role("group", name="Presentation")).to_contain_text("Slide 2 of 2: Toy discriminator loss, c = 0.5")
    page.keyboard.press("Escape")
    expect(page.get_by_label("Name").first).to_have_value("The circling game")
    with page.expect_download() as got:
        page.get_by_role("button", name="Save deck").click()
    path = tmp_path / "deck.json"
    got.value.save_as(path)
    saved = json.loads(path.read_text())
    assert [s["title"] for s in saved["slides"]][0] == "The circling game" and len(saved["slides"]) == 2
    page.goto("/")
    page.get_by_label("Open deck").set_input_files(str(path))
    expect(page.get_by_label("Name").first).to_have_value("The circling game")


def test_the_course_deck_opens_on_its_first_slide_and_moves_with_n(page):
    open_page(page)
    page.get_by_role("button", name="Open the course deck").click()
    expect(page.get_by_label("Name").first).to_have_value("One gradient step by hand")
    page.keyboard.press("p")
    bar = page.get_by_role("group", name="Presentation")
    expect(bar).to_contain_text("Slide 1 of 10: One gradient step by hand. At (0.5, −0.3)")
    page.keyboard.press("n")
    expect(bar).to_contain_text("Slide 2 of 10: Vanishing gradients")
    expect(page.get_by_label("Gradient Scale")).to_have_value("vanishing")
    page.get_by_role("button", name="Next slide").click()
    expect(bar).to_contain_text("Slide 3 of 10: Exploding gradients")


def test_a_saved_page_opens_from_disk_with_no_server_and_still_plays(page, log, tmp_path):
    open_page(page, "#loss=dirac-gan&steps=60&points=1,0.5&scenes=" + '[{"loss":"dirac-gan","params":{"gamma":0.5}}]')
    page.get_by_role("button", name="Save picture").click()
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="Save page (works offline)").click()
    path = tmp_path / "saved.html"
    got.value.save_as(path)
    assert path.stat().st_size > 4_000_000  # plotly.min.js is inside
    before = len(log.requests)
    page.goto(path.as_uri())
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    expect(plot(page)).to_have_attribute("aria-label", re.compile("rotational equilibrium"))
    expect(page.get_by_role("button", name="Edit scene 2")).to_be_visible()
    expect(page.locator("#plot .main-svg").first).to_be_visible()
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.get_by_label("Animation frame")).to_have_text(re.compile(r"^Step 1 of 60"))
    assert not [u for u in log.requests[before:] if not u.startswith(("file:", "data:", "blob:"))]  # no network
    page.get_by_label("Loss", exact=True).select_option("saddle")  # not saved: said, not a blank box
    expect(page.get_by_role("alert")).to_contain_text("saved for offline use")


def test_the_run_saves_as_a_webm_video(page, tmp_path):
    open_page(page, "#loss=bilinear-game&steps=12&points=1,0.5")
    page.get_by_role("button", name="Save picture").click()
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="Save animation (WebM)").click()
    assert got.value.suggested_filename.endswith(".webm")
    path = tmp_path / "run.webm"
    got.value.save_as(path)
    data = path.read_bytes()
    assert len(data) > 2_000 and data[:4] == b"\x1a\x45\xdf\xa3"  # a WebM (EBML) file
    assert b"webm" in data[:64]
    expect(page.get_by_role("status").filter(has_text="Saved the run as a WebM video")).to_be_visible()
