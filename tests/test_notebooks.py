"""Every lesson notebook runs top to bottom, and is stored clean.

Exercises (``notebooks/exercises/``) are run by their own tests. Each run's
time and the kernel's peak memory go to ``record_property`` and to
``artifacts/notebook_times.json`` (git-ignored output; override the folder
with ``CMLEARN_ARTIFACTS``).
"""

import json
import os
import pathlib
import re

import nbformat
import pytest
from notebook_runner import (
    NOTEBOOKS,
    REPO,
    SETUP_SOURCE,
    NotebookFailure,
    learner_noise,
    run_notebook,
    stored_output_problems,
)

#: Budget for one notebook in CI on 2 cores (the whole 00-06 path aims at 3 minutes).
SECONDS_PER_NOTEBOOK = 120
PEAK_MB = 1024


def lesson_notebooks():
    found = sorted(NOTEBOOKS.glob("**/*.ipynb"))
    return [
        p
        for p in found
        if ".ipynb_checkpoints" not in p.parts
        and "exercises" not in p.relative_to(NOTEBOOKS).parts
        and not p.name.startswith(".")
    ]


def stored_notebooks():
    return [p for p in sorted(NOTEBOOKS.glob("**/*.ipynb")) if ".ipynb_checkpoints" not in p.parts]


def _id(path):
    return str(path.relative_to(NOTEBOOKS))


def _artifacts():
    folder = pathlib.Path(os.environ.get("CMLEARN_ARTIFACTS", REPO / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "notebook_times.json"


def _record(name, run):
    path = _artifacts()
    try:
        times = json.loads(path.read_text())
    except (OSError, ValueError):
        times = {}
    times[name] = run
    path.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")


def test_the_lessons_are_found():
    names = {p.name for p in lesson_notebooks()}
    for expected in (
        "00_start_here.ipynb",
        "01_counts_not_fractions.ipynb",
        "02_threshold_lab.ipynb",
        "03_counts_to_rates.ipynb",
    ):
        assert expected in names


@pytest.mark.parametrize("path", lesson_notebooks(), ids=_id)
def test_notebook_runs(path, record_property):
    nb, seconds = run_notebook(path)
    run = nb.metadata["cmlearn_run"]
    record_property("seconds", run["seconds"])
    record_property("peak_rss_mb", run["peak_rss_mb"])
    _record(_id(path), run)
    print(f"{_id(path)}: {seconds:.1f} s, peak {run['peak_rss_mb']} MB")
    assert run["peak_rss_mb"] < PEAK_MB, f"{_id(path)} used {run['peak_rss_mb']} MB (budget {PEAK_MB} MB)"
    assert seconds < SECONDS_PER_NOTEBOOK, f"{_id(path)} took {seconds:.0f} s (budget {SECONDS_PER_NOTEBOOK} s)"
    noise = learner_noise(nb)
    assert not noise, f"{_id(path)}: " + "; ".join(noise)


@pytest.mark.parametrize("path", stored_notebooks(), ids=_id)
def test_notebook_is_stored_clean(path):
    problems = stored_output_problems(path)
    assert not problems, f"{_id(path)}: " + "; ".join(problems) + ". Fix: clear outputs before committing."


def numbered_lessons():
    return [p for p in lesson_notebooks() if re.match(r"^\d\d_", p.name) and p.parent == NOTEBOOKS]


@pytest.mark.parametrize("path", numbered_lessons(), ids=_id)
def test_lesson_has_title_setup_and_takeaways(path):
    nb = nbformat.read(path, as_version=4)
    number = path.name[:2]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# {number} · "), (
        f"{_id(path)} must open with its title cell '# {number} · Title'"
    )
    # Cells written by the navigation generator (tagged 'generated') may come first.
    own_code = [c for c in nb.cells if c.cell_type == "code" and "generated" not in c.metadata.get("tags", [])]
    assert own_code, f"{_id(path)} has no code"
    setup = own_code[0]
    assert "setup" in setup.metadata.get("tags", []), f"{_id(path)}: the first code cell must be tagged 'setup'"
    assert "cmlearn.notebook_setup(" in setup.source
    markdown = [
        c.source for c in nb.cells if c.cell_type == "markdown" and "generated" not in c.metadata.get("tags", [])
    ]
    assert "Predict:" in "\n".join(markdown), f"{_id(path)} must ask the learner to predict before a reveal"
    assert markdown[-1].startswith("## Key takeaways"), f"{_id(path)} must end with 'Key takeaways'"


def test_start_here_maps_every_lesson():
    nb = nbformat.read(NOTEBOOKS / "00_start_here.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    # Local links only: the generated badges point at Binder and Colab.
    targets = {t for t in re.findall(r"\]\(([^)#]+)\)", markdown) if "://" not in t}
    missing = sorted(t for t in targets if not (NOTEBOOKS / t).exists())
    assert not missing, f"00_start_here links to files that do not exist: {missing}"
    unlisted = sorted(p.name for p in numbered_lessons() if p.name not in targets)
    assert not unlisted, f"00_start_here's map does not list: {unlisted}"
    assert "exercises/" in targets


def test_runner_reports_the_failing_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("assert x == 2, 'x is not 2'")]
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookFailure, match=r"(?s)cell 1:\nassert x == 2.*x is not 2"):
        run_notebook(path, timeout=60)
    assert nbformat.read(path, as_version=4).cells[1].get("outputs") == [], "the stored notebook must not be written"


def test_clean_check_catches_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, path)
    problems = stored_output_problems(path)
    assert len(problems) == 3, problems


def test_times_agree_between_headers_map_and_instructor_notes():
    # One self-study time per lesson, the same in its header, in 00's map and in INSTRUCTORS.md.
    start = nbformat.read(NOTEBOOKS / "00_start_here.ipynb", as_version=4)
    mapped = {
        target[:2]: int(minutes)
        for target, minutes in re.findall(
            r"\]\((\d\d_[^)]+\.ipynb)\) \|[^|]*\| (\d+) min \|", "\n".join(c.source for c in start.cells)
        )
    }
    notes = (NOTEBOOKS / "INSTRUCTORS.md").read_text()
    alone = {
        nn: (int(a), int(c))
        for nn, a, c in re.findall(r"^### (\d\d) · .+\(alone (\d+) minutes, in class (\d+) minutes\)$", notes, re.M)
    }
    for path in numbered_lessons():
        number = path.name[:2]
        header = re.search(r"\*\*Time:\*\* about (\d+) minutes", nbformat.read(path, as_version=4).cells[0].source)
        assert header, f"{_id(path)}: the title cell gives no '**Time:** about N minutes'"
        assert mapped.get(number) == int(header.group(1)), (
            f"{_id(path)}: header {header.group(1)} min, 00's map {mapped.get(number)}"
        )
        assert number in alone, (
            f"INSTRUCTORS.md has no '### {number} · ... (alone N minutes, in class M minutes)' heading"
        )
        assert alone[number][0] == int(header.group(1)), (
            f"{_id(path)}: header {header.group(1)} min, INSTRUCTORS.md alone {alone[number][0]}"
        )
        assert alone[number][1] >= alone[number][0], f"{_id(path)}: class time below self-study time"


@pytest.mark.parametrize("path", [p for p in stored_notebooks() if p.name != "presenter.ipynb"], ids=_id)
def test_every_notebook_starts_with_the_same_setup_cell(path):
    # Lessons, exercises and solutions alike: the learner's first own cell quiets TensorFlow
    # before anything imports it, so nothing it prints reaches the learner.
    nb = nbformat.read(path, as_version=4)
    own_code = [c for c in nb.cells if c.cell_type == "code" and "generated" not in c.metadata.get("tags", [])]
    assert own_code and "setup" in own_code[0].metadata.get("tags", []), (
        f"{_id(path)}: first code cell must be tagged 'setup'"
    )
    assert own_code[0].source == SETUP_SOURCE, f"{_id(path)}: the set-up cell must read exactly {SETUP_SOURCE!r}"


#: Lessons whose answers to "Predict" questions are folded (05 and 06 join when theirs are).
FOLDED = ("00", "01", "02", "03", "04", "05", "06", "07", "08")


@pytest.mark.parametrize("path", [p for p in numbered_lessons() if p.name[:2] in FOLDED], ids=_id)
def test_every_prediction_has_a_folded_answer_before_the_next_one(path):
    cells = [c for c in nbformat.read(path, as_version=4).cells if "generated" not in c.metadata.get("tags", [])]
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown" or "**Predict:**" not in cell.source:
            continue
        rest = cells[index + 1 :]
        following = next(
            (
                i
                for i, c in enumerate(rest)
                if c.cell_type == "markdown" and ("**Predict:**" in c.source or c.source.startswith("## Key takeaways"))
            ),
            len(rest),
        )
        answers = [c for c in rest[:following] if c.cell_type == "markdown" and c.source.startswith("<details>")]
        assert answers, (
            f"{_id(path)}: the Predict in cell {index} has no folded answer (<details>) before the next Predict"
        )
        answer = answers[0].source
        assert "<summary>" in answer and answer.rstrip().endswith("</details>") and "\n\n" in answer, (
            f"{_id(path)}: a folded answer needs <summary>, a blank line before its markdown, and a closing </details>"
        )
        first_answer = rest.index(answers[0])
        assert not any(c.cell_type == "code" and c.source.lstrip().startswith("assert") for c in rest[:first_answer]), (
            f"{_id(path)}: an assert between the Predict in cell {index} and its folded answer gives the answer away"
        )
