"""Deep-network lab speed, warm: p50 and p95 of one training run plus its JSON, in process.

The case is the lab's heavy default picture: depth 20, width 32, batch 128, 500 Adam steps recorded
every 10th, on moons, with tanh and the standard init. The target is the API's 300 ms for the
whole answer, so the JSON (orjson, as app/jsonio.py writes it) is timed with the training. With
``--profile`` the script also prints where one run's time goes, by function.

    python bench/network_speed.py [--runs 15] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

import orjson

from gradient_flow.losses.netlab import train

TARGET_MS = 300
CASE = {"depth": 20, "width": 32, "batch": 128, "steps": 500, "record": 10, "task": "moons",
        "activation": "tanh", "init": "standard", "method": "adam"}


def once() -> tuple[float, float, int, float]:
    """Milliseconds for the training and for its JSON, the JSON's size in bytes, and the CPU
    milliseconds of both (which the other engineers' jobs on a shared machine inflate less)."""
    cpu, start = time.process_time(), time.perf_counter()
    out = train(CASE, budget_s=60.0)
    trained = time.perf_counter()
    body = orjson.dumps(out)
    done = time.perf_counter()
    return (trained - start) * 1000, (done - trained) * 1000, len(body), (time.process_time() - cpu) * 1000


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    for _ in range(2):
        once()  # warm: imports, NumPy's and BLAS's first calls
    runs = [once() for _ in range(args.runs)]
    total = [r[0] + r[1] for r in runs]
    p50, p95 = percentile(total, 50), percentile(total, 95)
    print(f"depth 20 x width 32, batch 128, 500 Adam steps, record every 10: {args.runs} warm runs")
    print(f"  training   p50 {percentile([r[0] for r in runs], 50):7.1f} ms   min {min(r[0] for r in runs):7.1f} ms"
          "  (the min is the least disturbed by other jobs on the machine)")
    print(f"  JSON       p50 {percentile([r[1] for r in runs], 50):7.1f} ms  ({runs[0][2] / 1024:.0f} KB)")
    print(f"  total      p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   target <= {TARGET_MS} ms "
          f"{'ok' if p95 <= TARGET_MS else 'MISS'}")
    print(f"  CPU time   p50 {percentile([r[3] for r in runs], 50):7.1f} ms   min {min(r[3] for r in runs):7.1f} ms")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(train, CASE, budget_s=60.0)
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
