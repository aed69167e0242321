"""cmlearn.tools.nav: generated badge, install and navigation cells are fresh and written in place."""

from __future__ import annotations

import ast
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from cmlearn.tools import nav

pytestmark = pytest.mark.maintainer_tools

REPO = pathlib.Path(__file__).resolve().parent.parent


def _ruff():
    found = shutil.which("ruff", path=str(pathlib.Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "ruff"]


def _fake_repo(tmp_path):
    """A small repository with the bundle's layout: three lessons, one exercise and its solution."""
    shutil.copyfile(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "README.md").write_text("# Title\n\nText.\n")
    names = [
        "00_start_here",
        "01_counts_not_fractions",
        "02_threshold_lab",
        "exercises/ex_01",
        "exercises/solutions/ex_01",
    ]
    for name in names:
        path = tmp_path / "notebooks" / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell(f"# {name} title"),
                nbformat.v4.new_code_cell("import cmlearn\n\ncmlearn.notebook_setup()", metadata={"tags": ["setup"]}),
                nbformat.v4.new_code_cell("print(1)"),
            ]
        )
        nbformat.write(nb, path)
    return tmp_path


def test_generated_cells_are_fresh():
    stale = nav.run(REPO, check=True)
    assert not stale, f"stale or missing generated cells in {stale}; run: python -m cmlearn.tools.nav"


def test_nav_writes_cells_in_place_and_is_idempotent(tmp_path):
    root = _fake_repo(tmp_path)
    assert len(nav.run(root, check=True)) == 6  # five notebooks and the README
    nav.run(root)
    assert nav.run(root, check=True) == []
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert nav.run(root) == []
    assert before == {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    nb = nbformat.read(root / "notebooks/01_counts_not_fractions.ipynb", as_version=4)
    kinds = [cell.metadata.get(nav.MARK) or cell.metadata.get("tags", ["-"])[0] for cell in nb.cells]
    assert kinds == ["-", "badges", "install", "setup", "-", "nav"]
    assert all(nav.TAG in cell.metadata["tags"] for cell in nb.cells if nav.MARK in cell.metadata)
    repo_url = nav.repository_url(REPO)
    assert (
        f"{repo_url.split('github.com/')[1]}/main?urlpath=lab/tree/notebooks/01_counts_not_fractions.ipynb"
        in nb.cells[1].source
    )
    assert "colab.research.google.com/github/" in nb.cells[1].source
    assert f"git+{repo_url}" in nb.cells[2].source and "--no-deps" in nb.cells[2].source
    assert "(00_start_here.ipynb)" in nb.cells[-1].source and "(02_threshold_lab.ipynb)" in nb.cells[-1].source
    exercise = nbformat.read(root / "notebooks/exercises/solutions/ex_01.ipynb", as_version=4)
    assert "(../../00_start_here.ipynb)" in exercise.cells[-1].source
    assert "blob/main/notebooks/exercises/solutions/ex_01.ipynb" in exercise.cells[1].source
    readme = (root / "README.md").read_text()
    assert readme.startswith("# Title\n") and nav.binder_url(repo_url) in readme


def test_nav_check_names_stale_files(tmp_path, capsys):
    root = _fake_repo(tmp_path)
    nav.run(root)
    # Renaming lesson 02 makes lesson 01's "Next" link stale.
    path = root / "notebooks/02_threshold_lab.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# A new title"
    nbformat.write(nb, path)
    assert nav.main(["--root", str(root), "--check"]) == 1
    assert "notebooks/01_counts_not_fractions.ipynb" in capsys.readouterr().out
    # A deleted generated cell is noticed too, and put back.
    nb = nbformat.read(root / "notebooks/00_start_here.ipynb", as_version=4)
    nb.cells = [cell for cell in nb.cells if cell.metadata.get(nav.MARK) != "install"]
    nbformat.write(nb, root / "notebooks/00_start_here.ipynb")
    assert "notebooks/00_start_here.ipynb" in nav.run(root, check=True)
    nav.run(root)
    assert nav.main(["--root", str(root), "--check"]) == 0


def test_generated_notebook_passes_ruff_and_ipython_parses_install_cell(tmp_path):
    root = _fake_repo(tmp_path)
    nav.run(root)
    result = subprocess.run([*_ruff(), "check", "--config", str(REPO / "pyproject.toml"), "notebooks"], cwd=root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    from IPython.core.inputtransformer2 import TransformerManager

    python = TransformerManager().transform_cell(nav.install_source(nav.repository_url(REPO)))
    ast.parse(python)
    assert "run_line_magic('pip'" in python


def test_repository_url_is_read_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project.urls]\nRepository = "https://github.com/someone/fork"\n')
    assert nav.repository_url(tmp_path) == "https://github.com/someone/fork"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(ValueError, match="Repository"):
        nav.repository_url(tmp_path)


def test_every_lesson_ends_with_a_link_to_its_exercise_and_back():
    lessons = sorted((REPO / "notebooks").glob("0[1-9]_*.ipynb"))
    assert lessons
    for lesson in lessons:
        exercise = REPO / "notebooks" / "exercises" / lesson.name
        solution = exercise.parent / "solutions" / f"{lesson.stem}_solutions.ipynb"
        assert exercise.exists() and solution.exists(), lesson.name
        for path, targets in ((lesson, [exercise]), (exercise, [lesson, solution]), (solution, [exercise, lesson])):
            last = nbformat.read(path, as_version=4).cells[-1]
            assert last.metadata.get(nav.MARK) == "nav", f"{path.name} must end with the generated navigation cell"
            links = {(path.parent / target).resolve() for target in re_links(last.source)}
            for target in targets:
                assert target.resolve() in links, (
                    f"{path.relative_to(REPO)} does not link to {target.relative_to(REPO)}"
                )
    start = nbformat.read(REPO / "notebooks" / "00_start_here.ipynb", as_version=4).cells[-1]
    assert "Practise" not in start.source  # 00 has no exercise


def re_links(markdown):
    import re
    from urllib.parse import unquote

    return [unquote(t) for t in re.findall(r"\]\(([^)]+)\)", markdown) if "://" not in t]


def test_an_app_gets_text_links_and_the_install_cell_but_no_navigation(tmp_path):
    root = _fake_repo(tmp_path)
    app = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# The app"), nbformat.v4.new_code_cell("show()")]
    )
    nbformat.write(app, root / "notebooks" / "presenter.ipynb")
    nav.run(root)
    cells = nbformat.read(root / "notebooks" / "presenter.ipynb", as_version=4).cells
    assert [c.metadata.get(nav.MARK, "-") for c in cells] == ["-", "badges", "install", "-"]
    assert "[open in Colab](https://colab.research.google.com/" in cells[1].source and "![" not in cells[1].source
    lesson = nbformat.read(root / "notebooks" / "02_threshold_lab.ipynb", as_version=4)
    assert "presenter" not in lesson.cells[-1].source  # the app is no lesson's "next"
    assert nav.run(root, check=True) == []


def test_the_presenter_installs_cmlearn_first_like_every_notebook():
    cells = nbformat.read(REPO / "notebooks" / "presenter.ipynb", as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    assert code[0].metadata.get(nav.MARK) == "install" and "--no-deps" in code[0].source
