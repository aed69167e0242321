"""The cmlearn under test is the one the run means: the checkout, or an installed wheel.

``make test`` tests the checkout (installed editable); ``make test-colab``
sets ``CMLEARN_TEST_INSTALLED=1`` and tests a wheel installed with
``--no-deps``, as on Colab. Both the test process and the notebook kernels
must import that copy: a test of the checkout that thinks it tests the
installed package would hide a file the wheel lacks.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

import nbformat
from notebook_runner import INSTALLED, REPO, run_notebook

import cmlearn


def _inside_checkout(path):
    return REPO in pathlib.Path(path).resolve().parents


def test_the_tests_import_the_intended_cmlearn():
    assert _inside_checkout(cmlearn.__file__) != INSTALLED, (
        f"cmlearn comes from {cmlearn.__file__}; this run tests the {'installed wheel' if INSTALLED else 'checkout'}"
    )


def test_a_subprocess_imports_the_intended_cmlearn():
    where = subprocess.run(
        [sys.executable, "-c", "import cmlearn; print(cmlearn.__file__)"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()
    assert _inside_checkout(where) != INSTALLED, where


def test_the_notebook_kernel_imports_the_intended_cmlearn(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import cmlearn\nprint(cmlearn.__file__)")]
    path = tmp_path / "where.ipynb"
    nbformat.write(nb, path)
    ran, _ = run_notebook(path, timeout=120)
    where = ran.cells[0].outputs[0]["text"].strip()
    assert _inside_checkout(where) != INSTALLED, where


def test_the_installed_copy_is_not_editable():
    # pip's marker of an editable install; a Colab-style install has none.
    from importlib.metadata import distributions

    # Only what pip installed (a build leaves a bare cmlearn.egg-info in the checkout).
    # One folder can sit on sys.path twice (pytest adds the installed copy's for its doctests).
    installed = {str(d.locate_file("")): d for d in distributions(name="cmlearn") if d.read_text("INSTALLER")}
    assert len(installed) == 1, sorted(installed)
    direct_url = next(iter(installed.values())).read_text("direct_url.json") or ""
    assert ('"editable": true' in direct_url) != INSTALLED, direct_url


def test_the_installed_copy_holds_exactly_the_checkouts_modules():
    # A stale build folder once put deleted modules into the wheel; the tools stay out of it.
    installed = pathlib.Path(cmlearn.__file__).parent
    checkout = REPO / "cmlearn"

    def modules(root, skip_tools):
        found = {p.relative_to(root).as_posix() for p in root.rglob("*.py")}
        return {m for m in found if not (skip_tools and m.startswith("tools/"))}

    assert modules(installed, INSTALLED) == modules(checkout, INSTALLED)
