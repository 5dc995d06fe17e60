"""The GAN lab's panels on the main view (stability, convergence map, phase diagram), driven by roles
and visible names in Chromium. Every number a panel shows is read back and compared with what the
API answers for the same question (asked here through Flask's test client, the same code the live
server runs). Nothing sleeps: a panel's aria-busy="false" says its words are current.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser


def open_page(page, hash_=""):
    page.goto("/" + hash_)
    expect(page.get_by_role("figure", name="Loss landscape")).to_have_attribute("aria-busy", "false")


def panel(page, name):
    region = page.get_by_role("region", name=name, exact=True)
    expect(region).to_have_attribute("aria-busy", "false")
    return region


def api(client, endpoint, **query):
    resp = client.get(f"/api/{endpoint}", query_string=query)
    assert resp.status_code == 200, resp.json
    return resp.json


def shown(region, term):
    """The value a panel's list gives for `term`."""
    return region.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(term)}$")).locator("+ dd").text_content()


def figures(x, n=5):
    return f"{x:.{n}g}"


def test_the_stability_view_gives_the_apis_verdict_and_follows_gamma_and_the_method(page, client):
    open_page(page, "#loss=dirac-gan")
    stability = panel(page, "Stability")
    (point,) = api(client, "analysis", loss="dirac-gan", gamma=0, method="gd", lr=0.1)["stationary_points"]
    assert point["update"]["verdict"] == "diverges"
    verdict = stability.get_by_role("status")
    expect(verdict).to_contain_text("multiplies the distance to the rotational equilibrium at (0, 0) by 1.0012")
    expect(verdict).to_contain_text("it spirals out. Verdict: diverges.")
    assert shown(stability, "Spectral radius") == figures(point["update"]["spectral_radius"])
    assert shown(stability, "J's eigenvalues") == "0 ± 0.5i"
    expect(stability).to_contain_text(client.get("/api/config").json["verdicts"]["diverges"])

    page.get_by_label("gamma", exact=True).fill("0.5")  # the slider, as a drag would leave it
    (point,) = api(client, "analysis", loss="dirac-gan", gamma=0.5, method="gd", lr=0.1)["stationary_points"]
    assert point["update"]["verdict"] == "converges"
    expect(verdict).to_contain_text("Verdict: converges.")
    expect(verdict).to_contain_text(f"by {figures(point['update']['spectral_radius'])} a step")
    panel(page, "Stability")
    assert shown(stability, "Spectral radius") == figures(point["update"]["spectral_radius"])
    eig = point["update"]["eigenvalues"]
    assert shown(stability, "Update's eigenvalues") == f"{figures(eig[0][0])} ± {figures(abs(eig[0][1]))}i"

    page.get_by_label("Method").select_option(label="Adam")
    expect(verdict).to_contain_text("Adam has no update map")
    expect(stability.get_by_role("img", name=re.compile("^J's eigenvalues at the attracting equilibrium"))).to_be_visible()


def test_the_convergence_map_is_asked_for_only_when_shown_and_its_key_names_every_status(page, client, log):
    open_page(page, "#loss=dirac-gan&params=gamma:0.5&steps=1000")
    assert not [u for u in log.requests if "/api/basins" in u]  # the ordinary picture never pays for it
    landscape = page.locator("#plot .layer").first
    expect(landscape.locator("image")).to_have_count(0)

    page.get_by_label("Show where each start ends").check()
    basins = panel(page, "Convergence map")
    expect(page).to_have_url(re.compile("basins=1"))
    answer = api(client, "basins", loss="dirac-gan", gamma=0.5, method="gd", lr=0.1, steps=1000, n=64)
    counts = Counter(s for row in answer["status"] for s in row)
    statuses = client.get("/api/config").json["statuses"]
    key = basins.get_by_role("term")
    expect(key).to_have_count(len(statuses))
    for name, meaning in statuses.items():
        term = key.filter(has_text=name.replace("_", " "))
        expect(term).to_contain_text(f"{counts.get(name, 0)} cell")
        expect(term.locator("+ dd")).to_have_text(meaning)
    steps = [s for row in answer["steps"] for s in row]
    expect(basins).to_contain_text(f"(light: {min(steps)}, dark: {max(steps)})")
    expect(landscape.locator("image")).to_have_count(1)  # the map, on the landscape layer

    page.get_by_label("Show where each start ends").uncheck()
    expect(landscape.locator("image")).to_have_count(0)
    expect(basins.get_by_role("term")).to_have_count(0)


def phase_cell(text):
    x, y, rho = re.search(r"learning rate ([\d.e-]+), gamma ([\d.e-]+): ρ = ([\d.e-]+)", text).groups()
    return float(x), float(y), rho


def test_a_phase_diagram_cell_sets_lr_and_gamma_in_the_link_by_click_and_by_keyboard(page, client):
    open_page(page, "#loss=dirac-gan")
    page.get_by_label("Show the phase diagram").check()
    phase = panel(page, "Phase diagram")
    expect(page.get_by_label("Across", exact=True)).to_have_value("lr")
    expect(page.get_by_label("Up", exact=True)).to_have_value("gamma")
    answer = api(client, "phase", loss="dirac-gan", method="gd", axis_x="lr", x="0.025,1.025,41", axis_y="gamma",
                 y="0,2,41")
    rho = answer["spectral_radius"]
    below = sum(r < 1 for row in rho for r in row)
    expect(phase).to_contain_text(f"ρ < 1 (it converges) in {below} of {41 * 41} cells")
    best = min(r for row in rho for r in row)
    expect(phase).to_contain_text(f"Lowest ρ {figures(best)}")

    diagram = page.get_by_role("application", name=re.compile("^Phase diagram"))
    diagram.click()
    expect(page).to_have_url(re.compile(r"[#&]lr="))  # the default lr 0.1 is not in the link until a cell sets it
    lr, gamma, r = phase_cell(phase.get_by_text(re.compile("Enter uses these values")).text_content())
    expect(page).to_have_url(re.compile(rf"lr={lr}&.*"))
    assert f"params=gamma:{gamma}" in unquote(page.url)
    i, j = answer["y"].index(pytest.approx(gamma)), answer["x"].index(pytest.approx(lr))
    assert r == figures(rho[i][j])
    # the stability view asks /api/analysis for the same lr and gamma: the same radius, from another endpoint
    stability = panel(page, "Stability")
    expect(stability.get_by_role("status")).to_contain_text(f"at lr {lr:g} ")
    assert shown(stability, "Spectral radius") == r

    diagram.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"lr={answer['x'][j + 1]:.12g}&"))


def test_lost_cells_and_a_sweep_with_no_equilibrium_are_said_in_words(page, client):
    open_page(page, "#loss=wgan-critic&phase=lr:0.025:1.025,lam:0:10")
    answer = api(client, "phase", loss="wgan-critic", method="gd", axis_x="lr", x="0.025,1.025,41", axis_y="lam",
                 y="0,10,41")
    assert answer["lost"] > 0
    expect(panel(page, "Phase diagram")).to_contain_text(f"In {answer['lost']} cells the equilibrium was lost")

    page.get_by_label("Loss", exact=True).select_option("dirac-wgan-gp")  # lam is its parameter too
    refused = client.get("/api/phase", query_string={"loss": "dirac-wgan-gp", "method": "gd", "axis_x": "lr",
                                                    "x": "0.025,1.025,41", "axis_y": "lam", "y": "0,10,41"})
    assert refused.status_code == 400
    expect(panel(page, "Phase diagram")).to_contain_text(f"No phase diagram: {refused.json['error']['message']}")
    expect(panel(page, "Stability").get_by_role("status")).to_have_text(re.compile("no stationary point in view"))


def test_the_lab_fields_round_trip_through_a_link_and_stay_within_the_declared_bounds(page):
    open_page(page, "#loss=dirac-gan")
    got = page.evaluate("""async () => {
        const state = await import("/static/js/state.js");
        const { config, losses } = JSON.parse(document.getElementById("bootstrap").textContent);
        const read = (hash) => state.fromHash(hash, config, losses);
        const linked = read("#loss=dirac-gan&basins=1&phase=lr:0.025:1.025,gamma:0:2&equilibrium=0,0");
        return {
            again: state.toHash(linked, config),
            clamped: read("#loss=dirac-gan&phase=lr:0.025:500,gamma:-3:9").phase,
            renamed: read("#loss=dirac-gan&phase=lr:0.025:1,nothing:0:1").phase,
            newMethod: read("#loss=bilinear-game&method=momentum&phase=lr:0.025:1,lr_ratio:0.01:10").phase,
            whole: read("#loss=bilinear-game&method=alternating&phase=lr:0.025:1,y_steps:1.4:7.6").phase,
            junk: read("#loss=dirac-gan&basins=yes&phase=lr&equilibrium=a,b"),
        };
    }""")
    assert got["again"] == "#loss=dirac-gan&basins=1&phase=lr:0.025:1.025,gamma:0:2&equilibrium=0,0"
    assert got["clamped"] == [{"name": "lr", "lo": 0.025, "hi": 100}, {"name": "gamma", "lo": 0, "hi": 2}]
    assert got["renamed"][1] == {"name": "gamma", "lo": 0, "hi": 2}  # gamma's declared bounds
    assert got["newMethod"][1] == {"name": "beta", "lo": 0, "hi": 0.999}  # momentum has no lr_ratio
    assert got["whole"][1] == {"name": "y_steps", "lo": 1, "hi": 8}  # a whole number of steps
    assert (got["junk"]["basins"], got["junk"]["phase"], got["junk"]["equilibrium"]) == (False, None, None)
