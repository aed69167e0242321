"""Time a 101-threshold Keras sweep over 1,000,000 samples (the sliders' precompute).

Run: python tests/benchmarks/bench_sweep.py [--samples N] [--thresholds T] [--repeat R]
Prints the best and median wall time of cmlearn.keras_counts, and of
cmlearn.numpy_counts for comparison. Not a test: speed is reported, not asserted.
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
    args = parser.parse_args()
    y_true, y_pred = cmlearn.data.make_scores(args.samples, seed=0)
    thresholds = np.linspace(0, 1, args.thresholds)
    cmlearn.keras_counts(y_true[:1000], y_pred[:1000], thresholds)  # warm up: import and trace once
    print(f"{args.thresholds} thresholds x {args.samples:,} samples, {args.repeat} runs, {os.cpu_count()} cores")
    for name, fn in [("keras_counts", cmlearn.keras_counts), ("numpy_counts", cmlearn.numpy_counts)]:
        best, median = timed(lambda fn=fn: fn(y_true, y_pred, thresholds), args.repeat)
        print(f"{name:13s} best {best:6.2f} s   median {median:6.2f} s")


if __name__ == "__main__":
    main()
