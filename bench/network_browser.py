"""The Deep network view in Chromium: input -> redraw for a knob change, p50 and p95.

A real `gradient-flow serve` (its own process) and Debian's Chromium through Playwright. Each sample
changes one knob the way a person does (types a new seed, picks another activation), and times from
the page's own "knob-input" mark, set when the knob's input event is handled, to its "knob-bars"
mark (the bars, the view's main picture, redrawn from the new answer) and to its "knob-drawn" mark
(every chart of the answer on screen). Every timed change asks for a run never
trained before, so neither the browser's nor the server's cache answers; the last case revisits
runs already loaded, which the browser's loader serves without a request.

    python bench/network_browser.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics

from playwright.sync_api import sync_playwright

from server import serving

MEASURE = """() => {
  const at = (name) => performance.getEntriesByName(name).at(-1)?.startTime;
  const [input, bars, drawn] = ["knob-input", "knob-bars", "knob-drawn"].map(at);
  return drawn >= input && bars >= input ? [bars - input, drawn - input] : null;
}"""


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def settle(page) -> None:
    page.locator("#bars-figure[aria-busy=false]").wait_for(timeout=30_000)


def sample(page, act) -> list[float]:
    """[ms to the bars redrawn, ms to every chart redrawn] for one change made by `act`."""
    page.evaluate("() => ['knob-input', 'knob-bars', 'knob-drawn'].forEach((m) => performance.clearMarks(m))")
    act()
    page.wait_for_function(f"({MEASURE})() !== null", timeout=30_000)
    settle(page)
    return page.evaluate(MEASURE)


def cases(page, runs: int):
    seed = page.get_by_label("Seed")
    activation = page.get_by_label("Activation")
    names = activation.evaluate("s => [...s.options].map((o) => o.value)")
    yield "a new seed typed", [sample(page, lambda k=k: seed.fill(str(100 + k))) for k in range(runs)]
    picks = []
    for k in range(runs):  # another activation each time, under a seed not used yet: always a fresh run
        seed.fill(str(1000 + k))
        settle(page)
        picks.append(sample(page, lambda k=k: activation.select_option(names[k % len(names)])))
    yield "another activation picked", picks
    # two runs, both loaded, in turn: the browser's loader answers from memory, nothing is trained
    for k in (1, 2):
        seed.fill(str(5000 + k))
        settle(page)
    yield "a run already loaded, picked again", [sample(page, lambda k=k: seed.fill(str(5001 + k % 2)))
                                                 for k in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    with serving() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        for hash_, title in (("", "default view (depth 4 x 16, batch 64, 500 steps)"),
                             ("#depth=20&width=32&batch=128", "the issue's size (depth 20 x 32, batch 128, 500 steps)")):
            page.goto(f"{base}/network{hash_}")
            page.locator("#bars-figure[aria-busy=false]").wait_for(timeout=30_000)
            print(f"{title}: input -> redraw in Chromium, {args.runs} changes each")
            print(f"  {'case':36s} {'bars p50':>9s} {'bars p95':>9s} {'all p50':>9s} {'all p95':>9s}  (ms)")
            for name, got in cases(page, args.runs):
                b, a = [g[0] for g in got], [g[1] for g in got]
                print(f"  {name:36s} {percentile(b, 50):9.1f} {percentile(b, 95):9.1f} {percentile(a, 50):9.1f} "
                      f"{percentile(a, 95):9.1f}")
        browser.close()


if __name__ == "__main__":
    main()
