"""The GAN view in Chromium at 1920x1080: Play -> first chunk drawn, and each chunk's draw, p50 and p95.

A real `gradient-flow serve` (its own process) and Debian's Chromium through Playwright, at the
issue's bench settings (a ring of 8, G and D 2 x 64 tanh, batch 256: the server's defaults, four
seeds side by side). The page measures itself (performance.measure): "gan-play-to-first-chunk" runs
from the Play click to the first chunk Play asked for being on screen (the server training 5
recorded steps of every seed, the answer's transfer and parse, the draw), and "gan-chunk-draw" from
a chunk's arrival to its pictures drawn. Every sample uses a seed not trained before, so no cache
answers; the last case trains one whole run and times every chunk's draw.

    python bench/gan_browser.py [--runs 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics

from playwright.sync_api import sync_playwright

from server import serving

MEASURES = """(name) => performance.getEntriesByName(name).map((e) => e.duration)"""
CLEAR = """() => performance.clearMeasures()"""


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] if len(samples) > 1 else samples[0]


def settle(page) -> None:
    page.locator("#data-figure[aria-busy=false]").wait_for(timeout=120_000)


def first_chunks(page, runs: int) -> tuple[list[float], list[float]]:
    firsts, draws = [], []
    for k in range(runs):
        page.get_by_label("Seed", exact=True).fill(str(100 + 10 * k))  # seeds 100+10k .. +3: never trained
        settle(page)
        page.evaluate(CLEAR)
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function(f"() => ({MEASURES})('gan-play-to-first-chunk').length > 0", timeout=120_000)
        page.get_by_role("button", name="Pause", exact=True).click()
        settle(page)
        firsts += page.evaluate(MEASURES, "gan-play-to-first-chunk")
        draws += page.evaluate(MEASURES, "gan-chunk-draw")
    return firsts, draws


def whole_run(page) -> list[float]:
    page.get_by_label("Seed", exact=True).fill("7000")
    settle(page)
    page.evaluate(CLEAR)
    page.get_by_role("button", name="Play", exact=True).click()
    page.locator("#status", has_text="Trained for").wait_for(timeout=600_000)
    settle(page)
    return page.evaluate(MEASURES, "gan-chunk-draw")


def line(name: str, samples: list[float]) -> str:
    return f"  {name:40s} {percentile(samples, 50):9.1f} {percentile(samples, 95):9.1f} {len(samples):6d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with serving() as running, sync_playwright() as p:
        base = running.url
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/gan")
        settle(page)
        print("GAN view, ring of 8, G and D 2 x 64 tanh, batch 256, 2000 steps recorded every 50, 4 seeds; "
              "Chromium 1920x1080")
        print(f"  {'case':40s} {'p50':>9s} {'p95':>9s} {'n':>6s}  (ms)")
        firsts, draws = first_chunks(page, args.runs)
        print(line("Play -> first chunk drawn", firsts))
        print(line("chunk draw (first chunks)", draws))
        print(line("chunk draw (one whole run)", whole_run(page)))
        browser.close()


if __name__ == "__main__":
    main()
