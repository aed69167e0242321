"""Time and memory of every notebook: ``python tests/benchmarks/measure_notebooks.py [NAME ...]``.

Executes each lesson (``notebooks/NN_*.ipynb``), each exercise solution and
the presenter app, one at a time, in a temp copy (the stored notebooks are
never written), and prints a table: execution seconds and the kernel's peak
resident memory. Two readings, and the larger is reported: the kernel's own
high-water mark (Linux's VmHWM, read by the runner after every cell, so no
peak between samples is missed), and a thread that sums the RSS of this
process's descendants (the kernel and anything it starts) every 50 ms.
The goal is under 1 GB per notebook, so that a notebook fits a free Binder
(2 GB) or Colab session with room to spare. Exit status 1 if any notebook
fails or goes over ``--limit-mb``.

Give names (or parts of names) to measure only some notebooks. Timings are
only meaningful on a quiet machine.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent


def notebooks(patterns=()):
    """The notebooks to measure, in reading order, filtered by name parts."""
    folder = REPO / "notebooks"
    found = sorted(folder.glob("[0-9]*.ipynb")) + sorted(folder.glob("exercises/solutions/*.ipynb"))
    found += [folder / "presenter.ipynb"] if (folder / "presenter.ipynb").exists() else []
    return [p for p in found if not patterns or any(part in p.relative_to(folder).as_posix() for part in patterns)]


class PeakRSS:
    """Poll the summed RSS of this process's descendants in a thread; ``.peak`` in bytes."""

    def __init__(self, interval=0.05):
        import psutil

        self._me = psutil.Process()
        self._psutil = psutil
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self):
        while not self._stop.is_set():
            total = 0
            for child in self._me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except (self._psutil.NoSuchProcess, self._psutil.AccessDenied):
                    pass  # a process that ended between listing and reading
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def measure(path, timeout=600):
    """``(seconds, peak_bytes, error)`` for one notebook; ``error`` is None when it ran."""
    sys.path.insert(0, str(HERE.parent))  # tests/ holds the shared notebook runner
    from notebook_runner import run_notebook

    error, kernel_peak = None, 0
    with PeakRSS() as rss:
        start = time.perf_counter()
        try:
            nb, seconds = run_notebook(path, timeout=timeout)
            kernel_peak = nb.metadata["cmlearn_run"]["peak_rss_mb"] * 2**20
        except Exception as failure:  # report every notebook, then fail at the end
            seconds = time.perf_counter() - start
            error = str(failure).splitlines()[0]
    return seconds, max(rss.peak, kernel_peak), error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="measure only notebooks whose path contains one of these")
    parser.add_argument("--limit-mb", type=float, default=1024, help="peak memory allowed per notebook (MB)")
    args = parser.parse_args(argv)
    paths = notebooks(args.names)
    if not paths:
        print("no notebooks matched", args.names)
        return 1
    width = max(len(p.relative_to(REPO / "notebooks").as_posix()) for p in paths)
    print(f"{'notebook':<{width}}  {'seconds':>8}  {'peak RSS (MB)':>13}  status")
    bad = 0
    for path in paths:
        seconds, peak, error = measure(path)
        mb = peak / 2**20
        status = "ok" if error is None and mb < args.limit_mb else (f"FAILED: {error}" if error else "over the limit")
        bad += status != "ok"
        print(
            f"{path.relative_to(REPO / 'notebooks').as_posix():<{width}}  {seconds:8.1f}  {mb:13.0f}  {status}",
            flush=True,
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
