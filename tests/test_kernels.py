"""The one kernel starter (``cmlearn/tools/kernels.py``): this interpreter, the folder asked for, started again.

A kernel that dies before its first reply (the port race of kernels started at once) is made here on
purpose: a ``sitecustomize.py`` first on the kernel's ``PYTHONPATH`` counts the kernel's starts in a file
and exits at once for the first ``deaths`` of them, before ipykernel binds any port.
"""

from __future__ import annotations

import os
import pathlib
import sys
import textwrap

import nbformat
import pytest
from notebook_runner import kernels, run_notebook

DIE_AT_START = textwrap.dedent(
    """
    import os
    import pathlib

    _starts = pathlib.Path(os.environ["CMLEARN_TEST_STARTS"])
    _before = len(_starts.read_text()) if _starts.exists() else 0
    with _starts.open("a") as _log:
        _log.write("x")
    if _before < int(os.environ["CMLEARN_TEST_DEATHS"]):
        os._exit(1)
    """
)


def _notebook(folder, source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    path = pathlib.Path(folder) / "starts.ipynb"
    nbformat.write(nb, path)
    return path


def _dying_env(folder, deaths):
    """Kernel environment variables that make its first ``deaths`` starts die before any reply."""
    guard = pathlib.Path(folder) / "die-at-start"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(DIE_AT_START)
    starts = pathlib.Path(folder) / "starts.log"
    return {"PYTHONPATH": str(guard), "CMLEARN_TEST_STARTS": str(starts), "CMLEARN_TEST_DEATHS": str(deaths)}, starts


def test_the_notebook_runner_starts_a_kernel_that_died_before_its_first_reply_again(tmp_path):
    env, starts = _dying_env(tmp_path, deaths=2)
    ran, _ = run_notebook(_notebook(tmp_path, "print('ran')"), timeout=60, env=env, offline=False)
    assert ran.cells[0].outputs[0]["text"] == "ran\n"
    assert len(starts.read_text()) == 3


def test_the_starter_gives_up_after_three_starts(tmp_path):
    env, starts = _dying_env(tmp_path, deaths=10)
    with pytest.raises(RuntimeError, match="Kernel died before replying"):
        kernels.execute(_notebook(tmp_path, "print('ran')"), cwd=tmp_path, env=dict(kernels.base_env(), **env),
                        timeout=60)
    assert len(starts.read_text()) == kernels.KERNEL_START_ATTEMPTS == 3


def test_the_kernel_runs_this_interpreter_in_the_folder_and_environment_asked_for(tmp_path):
    folder = tmp_path / "lesson"
    folder.mkdir()
    source = "import os, sys\nprint(sys.executable, os.getcwd(), os.environ['PYTHONHASHSEED'], sep='\\n')"
    ran, _ = kernels.execute(_notebook(tmp_path, source), cwd=folder, env=kernels.base_env(), timeout=60)
    executable, cwd, seed = ran.cells[0].outputs[0]["text"].splitlines()
    assert (executable, os.path.realpath(cwd), seed) == (sys.executable, os.path.realpath(folder), "0")
