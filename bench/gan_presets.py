"""Honesty for the data-space GAN's presets: each over eight seeds, with the comparison it needs,
counting the outcomes at the last frame (losses.mixtures.outcome: off the data / collapsed / spread).

    OPENBLAS_NUM_THREADS=1 python bench/gan_presets.py [--seeds 8] [--only NAME ...] [--json out.json]

Comparisons: the minimax preset against the same settings with the non-saturating loss; the
unrolled preset against d_steps = 1 + unroll (as many real D updates per G step, no unrolling).
Per run it prints the captured modes and quality at the last frame, its outcome, the first
recorded step at which G's gradient was classed vanishing, and, for the gradient penalty, the mean
| |grad D(x_hat)| - 1 | over the interpolates at step 0 and over the frames from step 100 on.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as the target says; before NumPy loads OpenBLAS

import argparse  # noqa: E402
import json
import time
from collections import Counter

import numpy as np

from gradient_flow.losses.gan import train
from gradient_flow.losses.ganpresets import PRESETS


def variants() -> list[tuple[str, dict, dict]]:
    out = []
    for p in PRESETS.values():
        out.append((p.name, p.settings, p.options))
        if p.name == "minimax-vanishes":
            out.append(("  same, non-saturating", {**p.settings, "loss": "nonsaturating"}, p.options))
        if p.settings.get("unroll"):
            control = {**p.settings, "unroll": 0, "d_steps": p.settings.get("d_steps", 1) + p.settings["unroll"]}
            out.append((f"  control: d_steps={control['d_steps']}, no unrolling", control, p.options))
    return out


def one(settings: dict, options: dict, seed: int) -> dict:
    start = time.process_time()
    body, _ = train({**settings, "seed": seed}, options, budget_s=1e9)
    row = {"seed": seed, "status": body["status"], "captured": body["modes_captured"][-1],
           "quality": body["quality"][-1], "outcome": body["outcome"][-1], "k": len(body["modes"]),
           "vanishing_at": next((k for k, c in zip(body["steps"], body["g_grad_class"]) if c == "vanishing"), None),
           "g_grad_norm_last": body["g_grad_norm"][-1], "cpu_s": time.process_time() - start}
    if "interpolate_grad_norm" in body:
        dev = [float(np.mean(np.abs(np.array(n, dtype=float) - 1))) for n in body["interpolate_grad_norm"]]
        row["gp_dev_step0"] = dev[0]
        row["gp_dev_after100"] = float(np.mean([d for k, d in zip(body["steps"], dev) if k >= 100]))
    return row


def summary(rows: list[dict]) -> str:
    counts = Counter(r["outcome"] for r in rows)
    text = (f"collapsed {counts['collapsed']}/{len(rows)}, off the data {counts['off the data']}, "
            f"spread {counts['spread']}; captured {[r['captured'] for r in rows]} of {rows[0]['k']}, "
            f"quality {[round(r['quality'], 2) for r in rows]}")
    vanished = [r["vanishing_at"] for r in rows]
    text += f"; G's gradient vanishing from step {vanished}"
    if "gp_dev_step0" in rows[0]:
        text += (f"; mean | |grad D(x_hat)| - 1 |: step 0 {np.mean([r['gp_dev_step0'] for r in rows]):.2f}, "
                 f"steps >= 100 {np.mean([r['gp_dev_after100'] for r in rows]):.3f}")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--json")
    args = parser.parse_args()
    results = {}
    for name, settings, options in variants():
        if args.only and name.strip().split(":")[0] not in args.only and name not in args.only:
            continue
        rows = [one(settings, options, seed) for seed in range(args.seeds)]
        results[name] = {"settings": settings, "options": options, "runs": rows}
        print(f"{name}: {summary(rows)}  ({sum(r['cpu_s'] for r in rows):.0f} s CPU)", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
