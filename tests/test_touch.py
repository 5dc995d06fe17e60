"""What the mouse reaches, by keyboard, by tap and for a screen reader; and a phone's reach.

The plot's probe (static/js/probe.js), the marks in words (marks.js), the controls' tabs and sheet
on a phone (tabs.js, sheet.js), the scroll cue on wide equations (derivation.js) and the 44 px
rule. Numbers are checked against the toy loss's closed forms, not against the page's own code.
"""

from __future__ import annotations

import re

import pytest

from test_page import figure, open_page, plot, points

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

NUM = r"(-?[\d.]+(?:e-?\d+)?)"
READ = re.compile(rf"At grid point \({NUM}, {NUM}\): loss {NUM}, gradient v = \({NUM}, {NUM}\)")


def toy(x, y, c=0.5):
    """The toy discriminator loss and its gradient, by hand."""
    return (x - 1) ** 2 + (y + 0.5) ** 2 + c * x * y, (2 * (x - 1) + c * y, 2 * (y + 0.5) + c * x)


def readout(page):
    return page.get_by_text(re.compile("^At grid point"))


def read(page):
    x, y, value, gx, gy = map(float, READ.search(readout(page).text_content()).groups())
    return x, y, value, (gx, gy)


def test_the_plot_is_probed_by_arrow_keys_and_enter_adds_a_point_there(page):
    open_page(page)
    plot(page).focus()
    page.keyboard.press("ArrowRight")
    expect(readout(page)).to_be_visible()
    assert page.locator("#readout").get_attribute("aria-live") == "polite"  # said aloud to a screen reader
    x0, y0, value, grad = read(page)
    want_value, want_grad = toy(x0, y0)
    assert value == pytest.approx(want_value, rel=0.01, abs=0.01)
    assert grad == pytest.approx(want_grad, rel=0.01, abs=0.01)
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    expect(readout(page)).not_to_contain_text(f"({x0:g}, {y0:g})")
    x1, y1, _, _ = read(page)
    assert x1 == pytest.approx(x0) and y1 > y0  # up is +y, the way the axis points
    page.keyboard.press("Enter")
    expect(points(page)).to_have_count(2)
    expect(points(page).nth(1)).to_contain_text(f"{x1:g}")


def test_a_click_or_tap_on_the_plot_reads_the_spot_as_hover_would(page):
    open_page(page)
    box = plot(page).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    expect(points(page)).to_have_count(2)
    x, y, value, grad = read(page)
    want_value, want_grad = toy(x, y)
    assert value == pytest.approx(want_value, rel=0.01, abs=0.01)
    assert grad == pytest.approx(want_grad, rel=0.01, abs=0.01)


def test_the_marks_on_the_plot_are_listed_in_words_with_their_meaning(page):
    open_page(page)
    marks = page.get_by_role("list", name="Marks on the plot").get_by_role("listitem")
    expect(marks).to_have_count(1)
    # the toy loss at c = 0.5: grad = 0 solves 2(x-1) + y/2 = 0, 2(y+0.5) + x/2 = 0 -> (1.2, -0.8)
    expect(marks.first).to_contain_text("Minimum at (1.2, -0.8)")
    expect(marks.first).to_contain_text("curves upward in every direction")
    open_page(page, "#loss=bilinear-game")
    expect(marks.first).to_contain_text("(0, 0)")


def test_on_a_phone_every_control_is_44_px_tall(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page)
    page.get_by_role("button", name="Controls under the plot").click()
    small = []
    for tab in ("Loss", "Gradient size", "Optimiser"):
        page.get_by_role("tab", name=tab).click()
        small += page.evaluate("""() => [...document.querySelectorAll(
            'button, select, input[type=text], input[type=number], summary')]
          .filter((e) => e.offsetParent && e.getBoundingClientRect().height < 44)
          .map((e) => `${e.id || e.textContent.trim()}: ${e.getBoundingClientRect().height}`)""")
    assert small == []


def test_on_a_phone_the_controls_come_in_tabs_and_a_sheet_beside_the_plot(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page)
    method = page.get_by_label("Method", exact=True)
    expect(method).to_be_hidden()  # one tab at a time: the Loss tab first
    opener = page.get_by_role("button", name="Controls under the plot")
    opener.click()
    expect(opener).to_have_attribute("aria-expanded", "true")
    page.get_by_role("tab", name="Optimiser").click()
    expect(page.get_by_role("tab", name="Optimiser")).to_have_attribute("aria-selected", "true")
    expect(method).to_be_visible()
    expect(page.get_by_role("combobox", name="Loss", exact=True)).to_be_hidden()
    # the plot and the method are on one screen, so a change is seen as it is made
    for box in (plot(page).bounding_box(), method.bounding_box()):
        assert box["y"] >= -box["height"] * 0.25 and box["y"] + box["height"] <= 844
    method.select_option("momentum")
    expect(figure(page)).to_have_attribute("aria-busy", "false")
    expect(page).to_have_url(re.compile("method=momentum"))
    page.get_by_role("tab", name="Optimiser").focus()
    page.keyboard.press("ArrowLeft")  # the tabs pattern: arrows move between tabs
    expect(page.get_by_role("tab", name="Gradient size")).to_be_focused()
    expect(page.get_by_label("Gradient Scale", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(opener).to_have_attribute("aria-expanded", "false")
    expect(opener).to_be_focused()


def test_on_a_wide_screen_there_are_no_tabs_and_every_control_shows(page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page)
    expect(page.get_by_role("tab")).to_have_count(0)  # the tab list is hidden, so no tabs to a reader
    for label in ("Loss", "Gradient Scale", "Method"):
        expect(page.get_by_role("combobox", name=label, exact=True).or_(
            page.get_by_role("spinbutton", name=label, exact=True))).to_be_visible()
    expect(page.get_by_role("button", name="Controls under the plot")).to_be_hidden()


def test_an_equation_wider_than_a_phone_says_it_scrolls(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page)
    cues = page.get_by_text("Scroll sideways for the rest of this equation.")
    expect(cues.first).to_be_visible()
    over = page.evaluate("""() => [...document.querySelectorAll('#worked .math')].map(
        (m) => [m.scrollWidth > m.clientWidth + 1, m.classList.contains('overflows')])""")
    assert any(o for o, _ in over) and all(o == marked for o, marked in over)
    page.set_viewport_size({"width": 1920, "height": 1080})
    expect(cues.first).to_be_hidden()
