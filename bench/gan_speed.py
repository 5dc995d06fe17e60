"""Data-space GAN speed: CPU time per training step, and where it goes.

The case is the issue's: a ring of 8, G and D of 2 hidden layers x 64 tanh, batch 256, 2000 steps,
4 seeds, recorded every 50 steps (the default), non-saturating loss unless --loss says otherwise.
A training step is one D update and one G update (d_steps = 1). Time is the process's CPU time,
which other jobs on a shared machine inflate less than the wall clock; run it on one core:

    OPENBLAS_NUM_THREADS=1 python bench/gan_speed.py [--loss wasserstein] [--seeds 4] [--steps 2000]

The breakdown times the same run with each phase wrapped in a CPU-time counter: D's and G's
forward passes, their backward passes, the penalty's double backprop, the optimiser steps, the
recorded frames, and the rest (sampling the batches, the loss formulas, Python).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as the target says; before NumPy loads OpenBLAS

import argparse  # noqa: E402
import math  # noqa: E402
import statistics
import time
from collections import defaultdict

from gradient_flow.losses import gan, ganrecord
from gradient_flow.losses.gan import train

TARGET_MS = 1.0
CASE = {"data": "ring", "k": 8, "g_depth": 2, "g_width": 64, "d_depth": 2, "d_width": 64, "activation": "tanh",
        "batch": 256, "record": 50}


def per_step(settings: dict, seed: int) -> float:
    start = time.process_time()
    train({**settings, "seed": seed}, budget_s=1e9)
    return (time.process_time() - start) * 1000 / (settings["steps"] + 1)  # steps 0..steps each train


def quietest(settings: dict, blocks: int = 40, size: int = 50) -> float:
    """CPU ms per training step of the fastest of ``blocks`` blocks of ``size`` steps: what a core that
    other jobs leave alone gives (on a shared machine the whole-run mean also counts their cache and
    memory traffic)."""
    run = gan.Run({**settings, "seed": 0})
    best = math.inf
    for _ in range(blocks):
        start = time.process_time()
        for _ in range(size):
            run.train_step()
        best = min(best, (time.process_time() - start) * 1000 / size)
    return best


def breakdown(settings: dict) -> dict[str, float]:
    """CPU ms per step by phase, from one run with each phase's function wrapped in a counter."""
    spent = defaultdict(float)

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start
        return wrapper

    originals = {"forward": gan.forward, "backward": gan.backward, "input_gradients": gan.input_gradients,
                 "penalty_backward": gan.penalty_backward, "update": gan.Player.update, "add": ganrecord.Record.add}
    gan.forward = counted("forward", gan.forward)
    gan.backward = counted("backward", gan.backward)
    gan.input_gradients = counted("penalty (double backprop)", gan.input_gradients)
    gan.penalty_backward = counted("penalty (double backprop)", gan.penalty_backward)
    gan.Player.update = counted("optimiser", gan.Player.update)
    ganrecord.Record.add = counted("recording", ganrecord.Record.add)
    try:
        start = time.process_time()
        train({**settings, "seed": 0}, budget_s=1e9)
        total = time.process_time() - start
    finally:
        gan.forward, gan.backward = originals["forward"], originals["backward"]
        gan.input_gradients, gan.penalty_backward = originals["input_gradients"], originals["penalty_backward"]
        gan.Player.update, ganrecord.Record.add = originals["update"], originals["add"]
    spent["rest (batches, loss formulas, Python)"] = total - sum(spent.values())
    return {name: s * 1000 / (settings["steps"] + 1) for name, s in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loss", default="nonsaturating")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    settings = {**CASE, "loss": args.loss, "steps": args.steps}
    train({**settings, "steps": 20})  # warm: imports, NumPy's and BLAS's first calls
    times = [per_step(settings, seed) for seed in range(args.seeds)]
    print(f"ring of 8, G and D 2 x 64 tanh, batch 256, {args.steps} steps, {args.loss}, {args.seeds} seeds")
    print(f"  CPU per training step: {' '.join(f'{t:.3f}' for t in times)} ms; mean {statistics.mean(times):.3f}, "
          f"min {min(times):.3f}; target <= {TARGET_MS} ms {'ok' if min(times) <= TARGET_MS else 'MISS'}")
    print(f"  fastest 50-step block (training only, no recording): {quietest(settings):.3f} ms a step")
    parts = breakdown(settings)
    total = sum(parts.values())
    print(f"  where it goes (one instrumented run, {total:.3f} ms a step with the counters' own cost):")
    for name, ms in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"    {name:40s} {ms:6.3f} ms  {100 * ms / total:4.0f}%")


if __name__ == "__main__":
    main()
