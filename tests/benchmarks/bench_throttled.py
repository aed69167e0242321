"""The explorer's move on a slow CPU: key press to the next frame, in Chromium with CPU throttling.

Three cases, each an explorer built here the way its page builds it:

* ``lesson02``: lesson 02's explorer (``breast_cancer_scores()``, 171 held-out tumours) at 1366×768;
* ``presenter``: the presenter page's (the same data, ``presenter=True``) at 1920×1080;
* ``weighted2000``: 2,000 samples (``make_scores(2000, seed=0)``) with sample weights, every sample a dot.

``--where page`` (the default) renders the explorer's saved state on a bare page with the model
anywidget's front-end spec describes, as a published page does (the loader is in
``tests/test_widgets_explorer_page_browser.py``): no kernel, no JupyterLab, only the explorer's module and
its stylesheet. ``--where lab`` runs it in a notebook in a private JupyterLab (``tests/browser.py``).

For each CPU throttling rate (CDP ``Emulation.setCPUThrottlingRate``: 4 means four times slower)
the slider is focused and ArrowRight / ArrowLeft pressed in runs of 10, one press at a time. In
the page, a capturing ``keydown`` listener stamps the press; a ``MutationObserver`` sees the
slider's ``aria-valuenow`` change (written with the counts, in the same task); the
``requestAnimationFrame`` after it stamps **frame** (the figure the goals are about), and a
message posted from that frame stamps **painted**, after the frame's style, layout and paint.
CDP ``Performance.getMetrics`` gives layouts, style recalculations and script time per press.

Run (not part of ``make test``; goals at 4×: frame p50 <= 12 ms and p95 <= 16.7 ms; at 6×: p50 <= 16.7 ms)::

    .venv/bin/python tests/benchmarks/bench_throttled.py --rates 1 4 6 --presses 40

``--esm FILE`` measures another module text (an older explorer.js, side by side). The machine's load
(``os.getloadavg``) is printed with every figure: timings on a loaded machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import tempfile

import nbformat
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/, for browser.py and the bare page
from browser import JupyterLab, chromium, chromium_path, open_and_run_all, wait_for_widget  # noqa: E402
from test_widgets_explorer_page_browser import ESM, open_explorer  # noqa: E402

SLIDER = ".cmlearn-explorer [role=slider]"
CASES = {
    "lesson02": {"size": (1366, 768), "code": "y_true, y_pred = cmlearn.breast_cancer_scores()\n"
                 "explorer = cmlearn.ThresholdExplorer(y_true, y_pred, thresholds=0.5)"},
    "presenter": {"size": (1920, 1080), "code": "y_true, y_pred = cmlearn.breast_cancer_scores()\n"
                  "explorer = cmlearn.ThresholdExplorer(y_true, y_pred, thresholds=0.5, presenter=True)"},
    "weighted2000": {"size": (1366, 768), "code": "import numpy as np\n"
                     "y_true, y_pred = cmlearn.data.make_scores(2000, seed=0)\n"
                     "w = np.random.default_rng(0).uniform(0.5, 2.0, len(y_true)).round(2)\n"
                     "explorer = cmlearn.ThresholdExplorer(y_true, y_pred, sample_weight=w)"},
}
GOALS = {4: (12.0, 16.7), 6: (16.7, None)}

PROBE = """
() => {
  const slider = document.querySelector('.cmlearn-explorer [role=slider]');
  const bench = { marks: [] };
  window.__bench = bench;
  document.addEventListener('keydown', () => bench.marks.push({ key: performance.now(), frame: null, painted: null }),
                            true);
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => { bench.marks[event.data].painted = performance.now(); };
  new MutationObserver(() => {
    const i = bench.marks.length - 1, mark = bench.marks[i];
    if (!mark || mark.frame !== null) return;
    mark.frame = -1;  // claimed; the next frame fills in the time
    requestAnimationFrame(() => { mark.frame = performance.now(); channel.port2.postMessage(i); });
  }).observe(slider, { attributes: true, attributeFilter: ['aria-valuenow'] });
}
"""


def build(case):
    import cmlearn

    namespace = {"cmlearn": cmlearn}
    exec(CASES[case]["code"], namespace)
    return namespace["explorer"]


def open_in_lab(stack, page, case):
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="cmlearn-bench-"))
    cells = ["import cmlearn\n\ncmlearn.notebook_setup(verbose=False)", CASES[case]["code"] + "\nexplorer"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(pathlib.Path(tmp) / "bench.ipynb"))
    lab = stack.enter_context(JupyterLab(tmp))
    open_and_run_all(page, lab, "bench.ipynb", timeout_ms=300_000)
    wait_for_widget(page, SLIDER, timeout_s=300, lab=lab)
    page.wait_for_function("document.querySelector('.cmlearn-explorer [data-count=tp]').textContent !== ''")


def metrics(cdp):
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def press_run(page, presses):
    page.evaluate(PROBE)
    page.locator(SLIDER).focus()
    for i in range(presses):
        page.keyboard.press("ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft")
        page.wait_for_function("(i) => { const m = window.__bench.marks[i]; return m && m.painted !== null; }",
                               arg=i, timeout=30_000)
        page.wait_for_timeout(40)
    return page.evaluate("window.__bench.marks")


def measure(case, rates, presses, where, esm):
    import contextlib

    width, height = CASES[case]["size"]
    explorer = build(case) if where == "page" else None
    results = []
    with contextlib.ExitStack() as stack:
        page = stack.enter_context(chromium(width=width, height=height))
        if where == "page":
            open_explorer(page, explorer, esm=esm)
        else:
            open_in_lab(stack, page, case)
        page.locator(".cmlearn-explorer").evaluate("(el) => el.scrollIntoView({block: 'start'})")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        press_run(page, 6)  # warm up
        for rate in rates:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            page.evaluate("window.__bench && (window.__bench.marks = [])")
            before = metrics(cdp)
            marks = press_run(page, presses)
            after = metrics(cdp)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
            frame = [m["frame"] - m["key"] for m in marks]
            painted = [m["painted"] - m["key"] for m in marks]
            per = {k: (after[k] - before[k]) / presses for k in ("LayoutCount", "RecalcStyleCount")}
            per.update({k: 1000 * (after[k] - before[k]) / presses
                        for k in ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")})
            row = {"case": case, "where": where, "rate": rate, "presses": presses, "load": os.getloadavg(),
                   "frame_p50": float(np.percentile(frame, 50)), "frame_p95": float(np.percentile(frame, 95)),
                   "painted_p50": float(np.percentile(painted, 50)), "painted_p95": float(np.percentile(painted, 95)),
                   "per_press": per, "frame_ms": frame}
            results.append(row)
            print(f"  {case} ({where}) at {rate}x: frame p50 {row['frame_p50']:.1f} ms, p95 {row['frame_p95']:.1f}; "
                  f"painted p50 {row['painted_p50']:.1f}, p95 {row['painted_p95']:.1f}; per press "
                  f"{per['LayoutCount']:.2f} layouts, {per['RecalcStyleCount']:.2f} style recalcs, script "
                  f"{per['ScriptDuration']:.1f} ms, task {per['TaskDuration']:.1f} ms; "
                  f"load {' '.join(f'{v:.2f}' for v in row['load'])}", flush=True)
    return results


def verdict(row):
    goal = GOALS.get(row["rate"])
    if goal is None:
        return ""
    p50, p95 = goal
    met = row["frame_p50"] <= p50 and (p95 is None or row["frame_p95"] <= p95)
    return "met" if met else "MISSED"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--rates", type=float, nargs="+", default=[1, 4, 6])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--where", choices=("page", "lab"), default="page")
    parser.add_argument("--esm", type=pathlib.Path, default=ESM, help="another module (--where page)")
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if chromium_path() is None:
        parser.error("Chromium not found; install it with `apt-get install -y chromium`.")
    if args.presses < 30:
        parser.error(f"--presses must be at least 30 for a p95, but got {args.presses}. Fix: e.g. --presses 40.")
    results = []
    for case in args.cases:
        results += measure(case, args.rates, args.presses, args.where, args.esm)
    print(f"\nexplorer module: {args.esm or 'the package (explorer.*.js joined)'}")
    print("| case | where | CPU | frame p50 (ms) | frame p95 | painted p50 | painted p95 | layouts/press | "
          "script/press (ms) | load (1, 5, 15 min) | goal |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for r in results:
        print(f"| {r['case']} | {r['where']} | {r['rate']:g}× | {r['frame_p50']:.1f} | {r['frame_p95']:.1f} | "
              f"{r['painted_p50']:.1f} | {r['painted_p95']:.1f} | {r['per_press']['LayoutCount']:.2f} | "
              f"{r['per_press']['ScriptDuration']:.1f} | {' '.join(f'{v:.2f}' for v in r['load'])} | {verdict(r)} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
