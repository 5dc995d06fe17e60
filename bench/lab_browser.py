"""The GAN lab's panels in Chromium: input -> redraw, p50 and p95.

A real `gradient-flow serve` (its own process) and Debian's Chromium through Playwright, at
1920x1080, on the Dirac-GAN:

- stability after a gamma step: one keyboard step of the gamma slider, from the page's
  "param-input" mark (set when the slider's input event is handled) to its "stability-drawn" mark
  (the stability view's words for the new answer on screen, at the next frame), beside the
  landscape's own redraw for the same step ("param-drawn", as browser_timing.py times it). Every step is a
  gamma never asked before, so neither cache answers: the server searches the stationary points and
  linearises the update map afresh.
- convergence map drawn: checking "Show where each start ends", from the "basins-asked" mark to
  "basins-drawn" (the landscape layer redrawn with the map): the /api/basins request (64 x 64
  starts, 400 steps of gd), the picture of the cells and the redraw. Each sample uses another lr, so
  again no cache answers.

    python bench/lab_browser.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics

from playwright.sync_api import sync_playwright

from server import serving

VIEWPORT = {"width": 1920, "height": 1080}
BETWEEN = """([start, end]) => {
  const at = (name) => performance.getEntriesByName(name).at(-1)?.startTime;
  const [a, b] = [at(start), at(end)];
  return a !== undefined && b !== undefined && b >= a ? b - a : null;
}"""


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def timed(page, start: str, end: str, act) -> float:
    page.evaluate("(names) => names.forEach((m) => performance.clearMarks(m))", [start, end, "param-drawn"])
    act()
    page.wait_for_function(f"(names) => ({BETWEEN})(names) !== null", arg=[start, end], timeout=30_000)
    return page.evaluate(BETWEEN, [start, end])


def settled(page) -> None:
    for name in ("Stability", "Convergence map"):
        page.get_by_role("region", name=name, exact=True).and_(page.locator("[aria-busy=false]")).wait_for()


def stability_steps(page, runs: int) -> tuple[list[float], list[float]]:
    """(ms to the stability view's words, ms to the landscape redrawn, as bench/browser_timing.py times it)."""
    slider = page.get_by_label("gamma", exact=True)
    words, field = [], []
    for _ in range(runs):
        slider.focus()
        words.append(timed(page, "param-input", "stability-drawn", lambda: page.keyboard.press("ArrowRight")))
        page.wait_for_function(f"(names) => ({BETWEEN})(names) !== null", arg=["param-input", "param-drawn"])
        field.append(page.evaluate(BETWEEN, ["param-input", "param-drawn"]))
        settled(page)
    return words, field


def map_draws(page, runs: int) -> list[float]:
    toggle, lr = page.get_by_label("Show where each start ends"), page.get_by_label("Learning rate", exact=True)
    out = []
    for k in range(runs):
        toggle.uncheck()
        lr.fill(f"{0.1 + 0.002 * (k + 1):g}")  # a map never computed before
        page.locator("figure[aria-busy=false]").wait_for()
        out.append(timed(page, "basins-asked", "basins-drawn", toggle.check))
        settled(page)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    with serving() as running, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(running.url + "/#loss=dirac-gan&steps=400")
        page.locator("figure[aria-busy=false]").wait_for(timeout=30_000)
        settled(page)
        stability_steps(page, 2)  # warm: the first compile of the field and the analysis
        words, field = stability_steps(page, args.runs)
        results = {"stability after a gamma step": words, "(the landscape after the same step)": field,
                   "convergence map drawn (64 x 64, 400 steps)": map_draws(page, args.runs)}
        browser.close()
    for name, samples in results.items():
        print(f"{name:<44} p50 {statistics.median(samples):6.0f} ms   p95 {percentile(samples, 95):6.0f} ms"
              f"   (n={len(samples)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
