"""Generate the exercise notebooks from their solutions.

The solutions in ``notebooks/exercises/solutions/NN_<topic>_solutions.ipynb``
are the only hand-kept copies. Each exercise copy
``notebooks/exercises/NN_<topic>.ipynb`` is made from its solution by:

- dropping every cell tagged ``solution``;
- in code cells, cutting everything after a line ``# solution`` and putting
  ``# Write your code here.`` in its place;
- turning the title ``# 📃 Solution for Exercise NN`` into ``# 📝 Exercise NN``;
- storing no outputs, execution counts or widget state.

Badge, install and navigation cells belong to ``python -m cmlearn.tools.nav``
(they carry a ``cmlearn_generated`` key): they are not copied from a
solution, an exercise copy keeps its own, and ``--check`` ignores them.
Run this tool first, then ``nav``.

Usage::

    python -m cmlearn.tools.make_exercises          # (re)write the exercise copies
    python -m cmlearn.tools.make_exercises --check  # exit 1, naming each stale copy

>>> cut_solution("answer = None\\n# solution\\nanswer = 3")
'answer = None\\n# Write your code here.'
>>> rewrite_title("# 📃 Solution for Exercise 01: counts\\n\\nText")
'# 📝 Exercise 01: counts\\n\\nText'
"""

from __future__ import annotations

import argparse
import copy
import json
import pathlib
import sys

from cmlearn.tools import repository_root

__all__ = ["cut_solution", "rewrite_title", "make_exercise", "exercise_path", "render", "main"]

#: How a solution's file name ends: ``solutions/NN_<topic>_solutions.ipynb`` makes ``NN_<topic>.ipynb``.
SOLUTION_SUFFIX = "_solutions"
MARKER = "# solution"
PLACEHOLDER = "# Write your code here."
SOLUTION_TITLE = "# 📃 Solution for Exercise"
EXERCISE_TITLE = "# 📝 Exercise"
#: Metadata key of the cells written by ``cmlearn.tools.nav`` (badges, install, navigation).
NAV_MARK = "cmlearn_generated"
NAV_TOP = ("badges", "install")


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def cut_solution(source):
    """Replace everything after a ``# solution`` line with the placeholder."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == MARKER:
            return "\n".join([*lines[:i], PLACEHOLDER])
    return source


def rewrite_title(source):
    """Turn a solution title into an exercise title (other text unchanged)."""
    if source.startswith(SOLUTION_TITLE):
        return EXERCISE_TITLE + source[len(SOLUTION_TITLE) :]
    return source


def _clean(cell):
    cell = copy.deepcopy(cell)
    cell["source"] = _source(cell)
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    cell.get("metadata", {}).pop("widgets", None)
    cell.get("metadata", {}).pop("execution", None)
    return cell


def _is_nav(cell):
    return NAV_MARK in cell.get("metadata", {})


def make_exercise(solution, existing=None):
    """The exercise notebook (a dict) made from a solution notebook (a dict).

    ``existing`` is the current exercise copy, if any: its navigation cells
    (written by ``cmlearn.tools.nav`` for the copy's own path) are kept.
    """
    nb = copy.deepcopy(solution)
    nb.get("metadata", {}).pop("widgets", None)
    cells = []
    titled = False
    for cell in nb.get("cells", []):
        if "solution" in cell.get("metadata", {}).get("tags", []) or _is_nav(cell):
            continue
        cell = _clean(cell)
        if cell["cell_type"] == "code":
            cell["source"] = cut_solution(cell["source"])
        elif cell["cell_type"] == "markdown" and not titled and cell["source"].startswith(SOLUTION_TITLE):
            cell["source"] = rewrite_title(cell["source"])
            titled = True
        cells.append(cell)
    kept = [copy.deepcopy(c) for c in (existing or {}).get("cells", []) if _is_nav(c)]
    top = [c for c in kept if c["metadata"][NAV_MARK] in NAV_TOP]
    at = 1 if titled else 0
    cells[at:at] = top
    cells.extend(c for c in kept if c["metadata"][NAV_MARK] not in NAV_TOP)
    nb["cells"] = cells
    return nb


def _without_nav(nb):
    nb = copy.deepcopy(nb)
    nb["cells"] = [c for c in nb.get("cells", []) if not _is_nav(c)]
    return nb


def render(nb):
    """A notebook as stored text, in the layout ``nbformat.write`` uses.

    Sources are stored as lists of lines either way, so a copy saved by
    Jupyter compares equal to a freshly generated one.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.get("cells", []):
        cell["source"] = _source(cell).splitlines(True)
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def exercise_path(solution_path):
    """``.../solutions/01_x_solutions.ipynb`` -> ``.../01_x.ipynb``."""
    solution_path = pathlib.Path(solution_path)
    stem = solution_path.stem
    if stem.endswith(SOLUTION_SUFFIX):
        stem = stem[: -len(SOLUTION_SUFFIX)]
    return solution_path.parent.parent / f"{stem}.ipynb"


def _problems(folder):
    """Stale or missing exercise copies, orphans, and solutions stored with outputs."""
    problems = []
    solutions = sorted((folder / "solutions").glob(f"*{SOLUTION_SUFFIX}.ipynb"))
    if not solutions:
        problems.append(f"no solution notebooks in {folder / 'solutions'}")
    expected = set()
    for path in solutions:
        solution = json.loads(path.read_text(encoding="utf-8"))
        target = exercise_path(path)
        expected.add(target.name)
        for index, cell in enumerate(solution.get("cells", [])):
            if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
                problems.append(
                    f"{path}: cell {index} has stored outputs or an execution count (store solutions without outputs)"
                )
        if not target.exists():
            problems.append(f"{target}: missing (generate it from {path.name})")
            continue
        stored = json.loads(target.read_text(encoding="utf-8"))
        if render(_without_nav(stored)) != render(make_exercise(_without_nav(solution))):
            problems.append(f"{target}: out of sync with {path.name}")
    for path in sorted(folder.glob("*.ipynb")):
        if path.name not in expected:
            problems.append(f"{path}: has no solution notebook (expected solutions/{path.stem}{SOLUTION_SUFFIX}.ipynb)")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m cmlearn.tools.make_exercises", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="only check that the exercise copies are up to date")
    parser.add_argument(
        "--dir",
        type=pathlib.Path,
        default=None,
        help="the exercises folder (default: notebooks/exercises of the checkout around the current directory)",
    )
    args = parser.parse_args(argv)
    folder = args.dir or repository_root() / "notebooks" / "exercises"
    if args.check:
        problems = _problems(folder)
        for problem in problems:
            print(f"[FAIL] {problem}", file=sys.stderr)
        if problems:
            print("Fix: python -m cmlearn.tools.make_exercises", file=sys.stderr)
            return 1
        print(f"[ OK ] exercise copies in {folder} match their solutions")
        return 0
    for path in sorted((folder / "solutions").glob(f"*{SOLUTION_SUFFIX}.ipynb")):
        solution = json.loads(path.read_text(encoding="utf-8"))
        target = exercise_path(path)
        existing = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
        text = render(make_exercise(solution, existing))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
