"""Kernel-side latency of the threshold explorer: one slider move, end to end.

Starts a real IPython kernel (``jupyter_client``), builds
``cmlearn.ThresholdExplorer`` on ``make_scores(n)`` for several sizes and,
inside the kernel, times ``explorer.slider.value = v`` with
``time.perf_counter``: the observer runs synchronously, so the time covers the
new counts, rates, HTML tables and the figure re-rendered to its PNG bytes.

The naive way is timed the same way: on each move, fresh Keras metric objects
(``keras_counts`` at that one threshold), rates, a histogram recomputed and a
brand-new figure built, drawn and encoded to PNG.

Run (not collected by pytest; goals: p50 <= 25 ms and p95 <= 50 ms at
100,000 samples, p50 <= 50 ms at 1,000,000, >= 5x faster than naive)::

    .venv/bin/python tests/benchmarks/bench_explorer.py [--sizes 1000 10000 100000 1000000] [--moves 50]

Figures taken on a busy machine are noisy: re-run when it is quiet.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import textwrap

REPO = pathlib.Path(__file__).resolve().parents[2]

KERNEL_SETUP = """
import json, time
import numpy as np
import matplotlib  # left on the kernel's default (inline) backend, as in a learner's notebook
import cmlearn
from cmlearn.curves import row_normalised, score_histogram
from cmlearn.data import make_scores
from cmlearn.widgets.figure import ExplorerFigure
cmlearn.notebook_setup(verbose=False)

def _ms(seconds):
    return [1000.0 * s for s in seconds]

def bench(n, moves, naive_moves):
    y_true, y_pred = make_scores(n, prevalence=0.3, seed=0)
    start = time.perf_counter()
    ex = cmlearn.ThresholdExplorer(y_true, y_pred)
    build = time.perf_counter() - start
    rng = np.random.default_rng(n)
    # Distinct positions: every move is a first visit (nothing cached), the slow case.
    positions = ex.grid[rng.permutation(np.arange(5, 96))[:moves]]
    times = []
    for v in positions:
        if ex.slider.value == v:  # a move must change the value
            v = float(ex.grid[5] if v != ex.grid[5] else ex.grid[6])
        v = float(v)
        t = time.perf_counter()
        ex.slider.value = v
        times.append(time.perf_counter() - t)
        assert ex.error is None and ex.counts.thresholds == v, ex.error
    png_bytes = len(ex.image.value)
    revisits = []
    for v in positions[::-1][:moves]:  # the same positions again: the PNG is reused
        t = time.perf_counter()
        ex.slider.value = float(v)
        revisits.append(time.perf_counter() - t)
    sweep = ex._sweep()
    naive = []
    for v in positions[:naive_moves]:
        v = float(v)
        t = time.perf_counter()
        counts = cmlearn.keras_counts(y_true, y_pred, v)
        r = cmlearn.rates(counts)
        edges, heights = score_histogram(y_true, y_pred, ex.bins)
        fig = ExplorerFigure(edges, heights, sweep.roc, sweep.pr)
        fig.set_threshold(v, counts.matrix, row_normalised(counts.matrix), (r.fpr, r.tpr), (r.recall, r.precision), counts.total)
        fig.render()
        naive.append(time.perf_counter() - t)
    return {"n": n, "build_s": build, "moves": _ms(times), "naive": _ms(naive), "revisits": _ms(revisits), "png_bytes": png_bytes}
"""


def run(sizes, moves, naive_moves, timeout):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(REPO), env={**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    results = []
    stdout = []

    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            stdout.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            stdout.append("\n".join(msg["content"]["traceback"]))

    def execute(code):
        stdout.clear()
        reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError("kernel error:\n" + "".join(stdout))
        return "".join(stdout)

    try:
        backend = execute(KERNEL_SETUP + "\nprint(matplotlib.get_backend())").strip().splitlines()[-1]
        print(f"  kernel backend: {backend}", file=sys.stderr)
        for n in sizes:
            out = execute(f"print(json.dumps(bench({n}, {moves}, {naive_moves})))")
            results.append(json.loads(out.strip().splitlines()[-1]))
            print(f"  measured n={n}", file=sys.stderr)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return results


def percentile(values, q):
    import numpy as np

    return float(np.percentile(values, q))


def table(results):
    lines = [
        "| samples | build (s) | move p50 (ms) | move p95 (ms) | revisit p50 (ms) | naive p50 (ms) | speed-up (naive p50 / p50) | PNG (kB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p50, p95, naive = percentile(r["moves"], 50), percentile(r["moves"], 95), percentile(r["naive"], 50)
        lines.append(
            f"| {r['n']:,} | {r['build_s']:.1f} | {p50:.1f} | {p95:.1f} | {percentile(r['revisits'], 50):.1f} | {naive:.1f} | {naive / p50:.1f}x | {r['png_bytes'] / 1000:.0f} |"
        )
    return "\n".join(lines)


def goals(results):
    by_n = {r["n"]: r for r in results}
    checks = []
    if 100_000 in by_n:
        r = by_n[100_000]
        checks.append(("p50 <= 25 ms at 100k", percentile(r["moves"], 50) <= 25))
        checks.append(("p95 <= 50 ms at 100k", percentile(r["moves"], 95) <= 50))
    if 1_000_000 in by_n:
        checks.append(("p50 <= 50 ms at 1M", percentile(by_n[1_000_000]["moves"], 50) <= 50))
    checks.append(
        ("naive / explorer >= 5x at every size", all(percentile(r["naive"], 50) >= 5 * percentile(r["moves"], 50) for r in results))
    )
    return checks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--naive-moves", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    results = run(args.sizes, args.moves, args.naive_moves, args.timeout)
    print(table(results))
    print()
    for name, ok in goals(results):
        print(f"- {'[ OK ]' if ok else '[MISS]'} {name}")
    print(
        textwrap.dedent(
            f"""
            {args.moves} slider moves per size to distinct random slider positions (first visits, no cached
            PNG), timed inside the kernel from setting slider.value to the end of the update (counts,
            rates, tables, figure re-rendered to PNG bytes). Revisit: the same positions again, when the
            explorer reuses the PNG it rendered for that position.
            Naive: {args.naive_moves} moves, each with new Keras metric objects and a new figure."""
        ).strip()
    )


if __name__ == "__main__":
    main()
