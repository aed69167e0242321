"""Kernel side of the threshold explorer: build time, bytes sent to the page, and ``slider.value = t``.

Starts a real IPython kernel (``jupyter_client``) and, inside it, for each
size builds ``cmlearn.ThresholdExplorer`` on ``make_scores(n)`` (one Keras
sweep over the slider's grid, the NumPy reference, every position's text),
measures the JSON size of everything sent to the page (``data``), then times
``explorer.slider.value = t`` until ``explorer.counts`` holds the new
counts, for slider positions (indexed) and for thresholds between steps
(counted by Keras at that exact value).

Run (not collected by pytest; goals: build <= 5 s at 1,000,000 samples,
data <= 1 MB at any size, slider.value -> counts p50 <= 5 ms at 100,000)::

    .venv/bin/python tests/benchmarks/bench_explorer.py [--sizes 1000 100000 1000000] [--moves 100]

Figures taken on a busy machine are noisy: re-run when it is quiet.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]

KERNEL_SETUP = """
import json, time
import numpy as np
import cmlearn
from cmlearn.data import make_scores
cmlearn.notebook_setup(verbose=False)
cmlearn.ThresholdExplorer([0, 1], [0.2, 0.7])  # Keras started and traced once, as after a notebook's first cell

def bench(n, moves, exact_moves):
    y_true, y_pred = make_scores(n, prevalence=0.3, seed=0)
    start = time.perf_counter()
    ex = cmlearn.ThresholdExplorer(y_true, y_pred)
    build = time.perf_counter() - start
    data_bytes = len(json.dumps(ex.get_state()["data"]))
    rng = np.random.default_rng(n)
    grid = [float(t) for t in ex.grid]
    on_grid, between = [], []
    for _ in range(moves):
        t = grid[int(rng.integers(0, len(grid)))]
        if t == ex.threshold:
            continue
        start = time.perf_counter()
        ex.slider.value = t
        on_grid.append(time.perf_counter() - start)
        assert ex.counts.thresholds == t and ex.error is None
    for _ in range(exact_moves):
        t = float(np.round(rng.uniform(0.01, 0.99), 4)) + 0.00005  # never a slider step
        start = time.perf_counter()
        ex.slider.value = t
        between.append(time.perf_counter() - start)
        assert ex.counts.thresholds == t and ex.error is None
    ms = lambda xs: [1000 * x for x in xs]
    return {"n": n, "build_s": build, "data_bytes": data_bytes, "on_grid_ms": ms(on_grid), "between_ms": ms(between)}
"""


def run(sizes, moves, exact_moves, timeout):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(REPO), env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    out = []

    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append("\n".join(msg["content"]["traceback"]))

    def execute(code):
        out.clear()
        reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError("kernel error:\n" + "".join(out))
        return "".join(out)

    results = []
    try:
        execute(KERNEL_SETUP)
        for n in sizes:
            results.append(
                json.loads(execute(f"print(json.dumps(bench({n}, {moves}, {exact_moves})))").strip().splitlines()[-1])
            )
            print(f"  measured n={n:,}", file=sys.stderr, flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return results


def main(argv=None):
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--exact-moves", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    results = run(args.sizes, args.moves, args.exact_moves, args.timeout)
    print("| samples | build (s) | data sent to the page (kB) | slider.value on a step -> counts p50 / p95 (ms) | "
          "between steps (Keras now) p50 (ms) |")
    print("|---:|---:|---:|---:|---:|")
    for r in results:
        grid, between = np.asarray(r["on_grid_ms"]), np.asarray(r["between_ms"])
        print(f"| {r['n']:,} | {r['build_s']:.2f} | {r['data_bytes'] / 1000:.0f} | "
              f"{np.percentile(grid, 50):.2f} / {np.percentile(grid, 95):.2f} | {np.percentile(between, 50):.0f} |")
    by_n = {r["n"]: r for r in results}
    checks = [("data <= 1 MB at every size", all(r["data_bytes"] <= 1_000_000 for r in results))]
    if 1_000_000 in by_n:
        checks.append(("build <= 5 s at 1,000,000", by_n[1_000_000]["build_s"] <= 5))
    if 100_000 in by_n:
        checks.append(
            ("slider.value -> counts p50 <= 5 ms at 100,000", np.percentile(by_n[100_000]["on_grid_ms"], 50) <= 5)
        )
    for name, ok in checks:
        print(f"- {'[ OK ]' if ok else '[MISS]'} {name}")


if __name__ == "__main__":
    main()
