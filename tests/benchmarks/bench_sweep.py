"""Time a 101-threshold Keras sweep over 1,000,000 samples (the sliders' precompute).

Run: python tests/benchmarks/bench_sweep.py [--samples N] [--thresholds T] [--repeat R] [--weights KIND] [--old-ref REF]
Prints the best and median wall time of cmlearn.keras_counts, and of
cmlearn.numpy_counts for comparison. --old-ref (a git commit, e.g. ddda28d^)
also times keras_counts as cmlearn/keras_run/metrics.py was at that commit
(its text run as a scratch module beside today's core), interleaved run by
run with today's, so both see the same machine load. --weights none (default), whole (1 to 5)
or fractional (uniform in [0, 10)): fractional weights make keras_counts give
each threshold its own one-threshold metrics, so that every entry is bit-equal
to one. Not a test: speed is reported, not asserted.
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import time
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import cmlearn  # noqa: E402


def timed(fns, repeat):
    """Best and median time of each function, the functions taking turns in every round."""
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def old_keras_counts(ref):
    """``keras_counts`` as ``keras_run/metrics.py`` was at commit ``ref`` (a scratch module, not the package)."""
    repo = pathlib.Path(__file__).resolve().parents[2]
    text = subprocess.run(
        ["git", "show", f"{ref}:cmlearn/keras_run/metrics.py"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(f"metrics_at_{ref}")
    exec(compile(text, f"metrics.py@{ref}", "exec"), module.__dict__)
    return module.keras_counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--thresholds", type=int, default=101)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--weights", choices=["none", "whole", "fractional"], default="none")
    parser.add_argument("--old-ref", help="also time keras_counts as it was at this git commit")
    args = parser.parse_args()
    y_true, y_pred = cmlearn.data.make_scores(args.samples, seed=0)
    rng = np.random.default_rng(1)
    weights = {
        "none": None,
        "whole": rng.integers(1, 6, args.samples).astype(np.float32),
        "fractional": (rng.random(args.samples) * 10).astype(np.float32),
    }[args.weights]
    thresholds = np.linspace(0, 1, args.thresholds)
    fns = {"keras_counts": cmlearn.keras_counts}
    if args.old_ref:
        fns[f"keras_counts@{args.old_ref}"] = old_keras_counts(args.old_ref)
    fns["numpy_counts"] = cmlearn.numpy_counts
    for fn in fns.values():
        fn(y_true[:1000], y_pred[:1000], thresholds)  # warm up: import and trace once
    print(
        f"{args.thresholds} thresholds x {args.samples:,} samples, weights {args.weights}, {args.repeat} runs, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    calls = {name: (lambda fn=fn: fn(y_true, y_pred, thresholds, weights)) for name, fn in fns.items()}
    for name, (best, median) in timed(calls, args.repeat).items():
        print(f"{name:24s} best {best:6.2f} s   median {median:6.2f} s")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
