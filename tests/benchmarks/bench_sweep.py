"""Time a 101-threshold Keras sweep over 1,000,000 samples (the sliders' precompute).

Run: python tests/benchmarks/bench_sweep.py [--samples N] [--thresholds T] [--repeat R] [--weights KIND]
Prints the best and median wall time of cmlearn.keras_counts, and of
cmlearn.numpy_counts for comparison. --weights none (default), whole (1 to 5)
or fractional (uniform in [0, 10)): fractional weights make keras_counts give
each threshold its own one-threshold metrics, so that every entry is bit-equal
to one. Not a test: speed is reported, not asserted.
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import cmlearn  # noqa: E402


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--thresholds", type=int, default=101)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--weights", choices=["none", "whole", "fractional"], default="none")
    args = parser.parse_args()
    y_true, y_pred = cmlearn.data.make_scores(args.samples, seed=0)
    rng = np.random.default_rng(1)
    weights = {
        "none": None,
        "whole": rng.integers(1, 6, args.samples).astype(np.float32),
        "fractional": (rng.random(args.samples) * 10).astype(np.float32),
    }[args.weights]
    thresholds = np.linspace(0, 1, args.thresholds)
    cmlearn.keras_counts(y_true[:1000], y_pred[:1000], thresholds)  # warm up: import and trace once
    print(
        f"{args.thresholds} thresholds x {args.samples:,} samples, weights {args.weights}, {args.repeat} runs, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    for name, fn in [("keras_counts", cmlearn.keras_counts), ("numpy_counts", cmlearn.numpy_counts)]:
        best, median = timed(lambda fn=fn: fn(y_true, y_pred, thresholds, weights), args.repeat)
        print(f"{name:13s} best {best:6.2f} s   median {median:6.2f} s")


if __name__ == "__main__":
    main()
