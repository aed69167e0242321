"""Every solution passes its checks; every exercise copy runs, with a hint at each check.

No maintainers' tools here (they are not in the wheel), so ``make test-colab``
runs these on Colab's versions too. ``test_exercises.py`` checks that the
copies found here are exactly the ones the tool makes.
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from notebook_runner import learner_noise, run_notebook

from cmlearn import checks

REPO = pathlib.Path(__file__).resolve().parent.parent
EXERCISES = REPO / "notebooks" / "exercises"
SOLUTIONS = sorted((EXERCISES / "solutions").glob("*_solutions.ipynb"))
COPIES = sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"\bchecks\.check_\w+\(")


def _cells(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _check_cells(path):
    return sum(1 for c in _cells(path) if c["cell_type"] == "code" and CHECK_CALL.search(_source(c)))


def _printed(nb):
    """Everything the code cells printed, one string per cell."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            texts.append(
                "".join(out.get("text", "") for out in cell.get("outputs", []) if out.get("output_type") == "stream")
            )
    return texts


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_runs_and_every_check_passes(path):
    nb, _ = run_notebook(path, timeout=300)
    printed = "\n".join(_printed(nb))
    assert checks.HINT_MARK not in printed, printed
    assert printed.count(checks.PASS_MARK) == _check_cells(path), printed
    assert not learner_noise(nb), learner_noise(nb)


@pytest.mark.parametrize("path", COPIES, ids=lambda p: p.name)
def test_exercise_copy_runs_and_every_check_gives_a_hint(path):
    nb, _ = run_notebook(path, timeout=300)
    printed = "\n".join(_printed(nb))
    assert checks.PASS_MARK not in printed, printed
    assert printed.count(checks.HINT_MARK) == _check_cells(path), printed
    assert not learner_noise(nb), learner_noise(nb)
