"""INSTRUCTORS.md's sizing numbers follow from the recorded figures by the arithmetic the section states.

The figures are measured by ``tests/benchmarks/measure_memory.py`` on the class hub and recorded in
``tests/benchmarks/memory_figures.json``; they are not measured again here. This test reads the section
"Sizing a class" of ``notebooks/INSTRUCTORS.md`` and recomputes every number it states from that file:

- one more learner on one machine: the peak USS of the learner's server plus the peak USS of a kernel (the
  largest over lessons 02, 05 and 07 in the rounds of two and three learners at once), rounded up to 10 MB;
- the shared part, counted once per machine: the largest RSS - USS of a kernel plus that of a server;
- a learner's container (Kubernetes): the peak RSS of a kernel plus the peak RSS of a server;
- learners in M GB: ``floor(((M * 1024 - 1024) / 1.2 - shared) / per_learner)`` (1 GB for the system and
  the hub, then a 20 % margin), with one notebook open each and with two (a lesson and its exercise);
- Zero to JupyterHub: ``guarantee`` the median RSS of server + kernel over the one-learner lessons, ``limit``
  1.2 times the RSS of a server with a lesson and its exercise open, both rounded up to 128 MB;
- Binder: the notebooks open at once (lesson, exercise, presenter) whose memory, the processes' own pages plus
  the shared ones once, stays under 2048 MB.
"""

from __future__ import annotations

import json
import math
import pathlib
import re
import statistics

import pytest

pytestmark = pytest.mark.checkout_files

REPO = pathlib.Path(__file__).resolve().parent.parent
FIGURES = REPO / "tests" / "benchmarks" / "memory_figures.json"
INSTRUCTORS = REPO / "notebooks" / "INSTRUCTORS.md"


def _ceil(value, step):
    return int(math.ceil(value / step) * step)


def derived(data):
    """Every number the sizing section states, computed from the recorded figures."""
    rows = data["rows"]
    # USS only where other learners run: a library page that no other process maps counts as the kernel's own.
    kernel_uss = max(r["kernel_peak"]["uss_mb"] for r in rows if r["learners"] >= 2)
    server_uss = max(max(r["server"]["uss_mb"] for r in rows), *(p["uss_mb"] for p in data["server_peaks"].values()))
    server_rss = max(max(r["server"]["rss_mb"] for r in rows), *(p["rss_mb"] for p in data["server_peaks"].values()))
    shared = max(r["kernel"]["rss_mb"] - r["kernel"]["uss_mb"] for r in rows) + max(
        r["server"]["rss_mb"] - r["server"]["uss_mb"] for r in rows)
    one = _ceil(server_uss + kernel_uss, 10)
    two = _ceil(server_uss + 2 * kernel_uss, 10)
    shared = _ceil(shared, 10)
    container = _ceil(max(r["kernel"]["hwm_mb"] for r in rows) + server_rss, 10)
    fit = {gb: tuple(math.floor(((gb * 1024 - 1024) / 1.2 - shared) / per) for per in (one, two))
           for gb in (8, 16, 32)}
    typical = statistics.median(r["kernel"]["rss_mb"] + r["server"]["rss_mb"] for r in rows if r["learners"] == 1)
    binder = data["binder"]
    limit = _ceil(1.2 * binder[1]["rss_sum_mb"], 128)
    fits = [len(b["open"]) for b in binder if b["uss_sum_plus_shared_once_mb"] < 2048]
    return {
        "kernel_uss": _ceil(kernel_uss, 10), "server_uss": _ceil(server_uss, 10), "one": one, "two": two,
        "shared": shared, "container": container, "fit": fit, "guarantee": _ceil(typical, 128), "limit": limit,
        "binder_open": max(fits, default=0),
        "binder_mb": [_ceil(b["uss_sum_plus_shared_once_mb"], 10) for b in binder],
        "binder_rss_mb": [_ceil(b["rss_sum_mb"], 10) for b in binder],
    }


def section():
    text = INSTRUCTORS.read_text()
    start = text.index("## Sizing a class")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def stated(prose):
    """The numbers the section states, by the phrases that carry them."""

    def one(pattern):
        found = re.findall(pattern.replace(" ", r"\s+"), prose)  # the prose wraps anywhere
        assert len(found) == 1, f"the sizing section should state {pattern!r} once, found {found}"
        return found[0]

    return {
        "kernel_uss": int(one(r"a kernel (\d+) MB")), "server_uss": int(one(r"its server (\d+) MB")),
        "one": int(one(r"one more learner costs (\d+) MB")), "two": int(one(r"with two notebooks open (\d+) MB")),
        "shared": int(one(r"shared part, (\d+) MB")), "container": int(one(r"container needs (\d+) MB")),
        "fit": {int(gb): (int(a), int(b))
                for gb, a, b in re.findall(r"^\| (\d+) GB \| (\d+) \| (\d+) \|$", prose, re.M)},
        "guarantee": int(one(r"guarantee: (\d+)M")), "limit": int(one(r"limit: (\d+)M")),
        "binder_open": int(one(r"Binder's 2 GB holds (\d+) notebooks")),
        "binder_mb": [int(x) for x in re.findall(r"\d+", one(r"in turn: ([\d,\s]+) MB"))],
        "binder_rss_mb": [int(x) for x in re.findall(r"\d+", one(r"RSS sums ([\d,\s]+) MB"))],
    }


def test_the_sizing_sections_numbers_follow_from_the_recorded_figures():
    """INSTRUCTORS.md, "Sizing a class": the table, the per-learner figures, Zero to JupyterHub's limits and
    Binder's count, each recomputed from ``tests/benchmarks/memory_figures.json`` by the section's arithmetic."""
    data = json.loads(FIGURES.read_text())
    assert stated(section()) == derived(data)


def test_the_sizing_section_names_the_measured_versions_and_the_command():
    """INSTRUCTORS.md, "Sizing a class": "measured on ... with TensorFlow X, Python Y" and the exact command."""
    data = json.loads(FIGURES.read_text())
    prose = section()
    versions = data["versions"]
    assert f"TensorFlow {versions['tensorflow']}" in prose
    assert f"Python {'.'.join(versions['python'].split('.')[:2])}" in prose
    assert data["date"] in prose
    assert data["command"].replace("python ", ".venv/bin/python ", 1) in prose

