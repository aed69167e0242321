"""The exercise notebooks as the maintainers' tool makes them: copies in sync
with their solutions, laid out as the checks expect. Running them is in
``test_exercise_runs.py``, which needs no tools and so runs on Colab's
versions too."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

import pytest
from notebook_runner import stored_output_problems
from test_exercise_runs import COPIES as RUN_COPIES
from test_exercise_runs import EXERCISES, SOLUTIONS, _cells, _check_cells, _source

from cmlearn.tools import make_exercises

pytestmark = pytest.mark.maintainer_tools

REPO = pathlib.Path(__file__).resolve().parent.parent
COPIES = [make_exercises.exercise_path(path) for path in SOLUTIONS]


def _make_exercises(*args):
    return subprocess.run(
        [sys.executable, "-m", "cmlearn.tools.make_exercises", *args], capture_output=True, text=True, cwd=REPO
    )


# ----------------------------------------------------------- generation


def test_there_is_a_solution_notebook_per_topic():
    assert [p.name[:2] for p in SOLUTIONS] == ["01", "02", "03", "04", "05", "06", "07", "08"]


def test_exercise_copies_are_in_sync_with_their_solutions():
    result = _make_exercises("--check")
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_names_a_stale_a_missing_and_an_orphan_copy(tmp_path):
    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns(".*"))
    assert _make_exercises("--check", "--dir", str(folder)).returncode == 0
    stale = folder / COPIES[0].name
    nb = json.loads(stale.read_text(encoding="utf-8"))
    own = [c for c in nb["cells"] if make_exercises.NAV_MARK not in c["metadata"]]
    own[-1]["source"] = "edited by hand"
    stale.write_text(json.dumps(nb), encoding="utf-8")
    (folder / COPIES[1].name).unlink()
    (folder / "99_stray.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
    result = _make_exercises("--check", "--dir", str(folder))
    assert result.returncode == 1
    assert f"{COPIES[0].name}: out of sync" in result.stderr
    assert f"{COPIES[1].name}: missing" in result.stderr
    assert "99_stray.ipynb: has no solution notebook" in result.stderr
    # Regenerating repairs the two copies; only the orphan is left to report.
    assert _make_exercises("--dir", str(folder)).returncode == 0
    result = _make_exercises("--check", "--dir", str(folder))
    assert result.returncode == 1 and "out of sync" not in result.stderr and "99_stray" in result.stderr


def test_check_fails_on_a_solution_stored_with_outputs(tmp_path):
    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns(".*"))
    path = folder / "solutions" / SOLUTIONS[0].name
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 3
    path.write_text(json.dumps(nb), encoding="utf-8")
    result = _make_exercises("--check", "--dir", str(folder))
    assert result.returncode == 1 and "stored outputs" in result.stderr


def test_make_exercise_cuts_solutions_and_rewrites_the_title():
    solution = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# 📃 Solution for Exercise 07: x\n", "\n", "Intro"]},
            {
                "cell_type": "code",
                "metadata": {},
                "source": "answer = None\n# solution\nanswer = 42\n",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "42"}],
                "execution_count": 4,
            },
            {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": "Because 42."},
            {
                "cell_type": "code",
                "metadata": {"widgets": {"state": 1}},
                "source": "check(answer)",
                "outputs": [],
                "execution_count": 5,
            },
        ],
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {}}},
    }
    exercise = make_exercises.make_exercise(solution)
    sources = [c["source"] for c in exercise["cells"]]
    assert sources == ["# 📝 Exercise 07: x\n\nIntro", "answer = None\n# Write your code here.", "check(answer)"]
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in exercise["cells"])
    assert "widgets" not in exercise["metadata"] and "widgets" not in exercise["cells"][2]["metadata"]
    assert solution["cells"][1]["source"].endswith("answer = 42\n")  # the solution itself is untouched


def test_navigation_cells_are_left_to_nav():
    """A solution's own badge/nav cells are not copied; the copy keeps its own."""
    mark = make_exercises.NAV_MARK

    def nav_cell(kind, text):
        return {"cell_type": "markdown", "metadata": {"tags": ["generated"], mark: kind}, "source": text}

    title = {"cell_type": "markdown", "metadata": {}, "source": "# 📃 Solution for Exercise 07"}
    body = {
        "cell_type": "code",
        "metadata": {},
        "source": "answer = None\n# solution\nanswer = 1",
        "outputs": [],
        "execution_count": None,
    }
    solution = {
        "cells": [title, nav_cell("badges", "solution badge"), body, nav_cell("nav", "solution nav")],
        "metadata": {},
    }
    existing = {"cells": [nav_cell("badges", "copy badge"), nav_cell("nav", "copy nav")], "metadata": {}}
    fresh = [c["source"] for c in make_exercises.make_exercise(solution)["cells"]]
    assert fresh == ["# 📝 Exercise 07", "answer = None\n# Write your code here."]
    kept = [c["source"] for c in make_exercises.make_exercise(solution, existing)["cells"]]
    assert kept == ["# 📝 Exercise 07", "copy badge", "answer = None\n# Write your code here.", "copy nav"]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_notebook_layout(path):
    cells = _cells(path)
    number = path.name[:2]
    assert _source(cells[0]).startswith(f"# 📃 Solution for Exercise {number}")
    code_cells = [c for c in cells if c["cell_type"] == "code" and make_exercises.NAV_MARK not in c["metadata"]]
    assert "setup" in code_cells[0]["metadata"].get("tags", [])
    assert "import cmlearn" in _source(code_cells[0])
    answers = [c for c in code_cells if make_exercises.MARKER in _source(c).split("\n")]
    assert 3 <= len(answers) <= 5
    for cell in answers:  # the exercise copy keeps a default, so its check cell still runs
        before = _source(cell).split(make_exercises.MARKER)[0]
        assert "answer = None" in before
    assert _check_cells(path) == len(answers)
    assert stored_output_problems(path) == []


@pytest.mark.parametrize("path", COPIES, ids=lambda p: p.name)
def test_exercise_copy_holds_no_solution(path):
    cells = _cells(path)
    assert _source(cells[0]).startswith(f"# 📝 Exercise {path.name[:2]}")
    assert not any("solution" in c["metadata"].get("tags", []) for c in cells)
    assert not any(make_exercises.MARKER in _source(c).split("\n") for c in cells)
    assert stored_output_problems(path) == []


def test_the_run_tests_find_every_copy():
    # test_exercise_runs.py finds copies without the tools (the Colab run has no tools): the same list.
    assert COPIES == RUN_COPIES
