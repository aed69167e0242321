"""Execute a notebook headless with nbclient, in a temp copy, on this Python.

Shared by the notebook tests. The kernel is always the interpreter running
the tests (``sys.executable``), never whatever ``python3`` kernel a machine
happens to have registered, so the notebooks see the same packages as pytest.
It is started by ``cmlearn/tools/kernels.py`` (:data:`kernels`), the starter
``make site`` uses too, which starts it again if it dies before its first reply.

Usage::

    from notebook_runner import run_notebook
    nb, seconds = run_notebook(pathlib.Path("notebooks/01_counts_not_fractions.ipynb"))

A failing cell raises :class:`NotebookFailure` whose message holds the
notebook's name, the cell's index and source, and the error.

Every run is offline unless asked otherwise: the kernel starts with
:mod:`offline_guard` on its path, and any attempt to reach a non-loopback
address, even one a library caught, fails the run. So every notebook the
suite executes also shows that nothing is downloaded at run time.

With ``CMLEARN_TEST_INSTALLED=1`` in the environment (``make test-colab``)
the checkout stays off the kernel's path, so the notebooks import the
cmlearn installed in the interpreter's environment, as on Colab.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import shutil
import tempfile

from offline_guard import attempts, offline_env

__all__ = ["NotebookFailure", "run_notebook", "stored_output_problems", "REPO", "NOTEBOOKS", "INSTALLED"]

REPO = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
#: True when the tests must use the installed cmlearn, not the checkout's.
INSTALLED = os.environ.get("CMLEARN_TEST_INSTALLED") == "1"
KERNEL_NAME = "cmlearn-test-python"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in tracebacks


class NotebookFailure(AssertionError):
    """A notebook cell raised; the message shows which cell and why."""


def _load_kernel_starter():
    """``cmlearn/tools/kernels.py``, loaded from the checkout by its path (it imports nothing of cmlearn).

    Not ``import cmlearn.tools.kernels``: the wheel ``make test-colab`` tests leaves the tools out, and
    putting the checkout on the path for them would hide the installed cmlearn under test.
    """
    spec = importlib.util.spec_from_file_location("cmlearn_kernels", REPO / "cmlearn" / "tools" / "kernels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: The one kernel starter (also ``make site``'s and the browser tests'): a kernel on this interpreter,
#: started again when it dies before its first reply.
kernels = _load_kernel_starter()


def _peak_rss(client):
    """The kernel's peak resident memory so far, in bytes (0 where unknown).

    Linux keeps the high-water mark in /proc/<pid>/status (VmHWM), so one
    read after each cell catches peaks inside the cell too.
    """
    try:
        pid = client.km.provisioner.process.pid
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (AttributeError, OSError, ValueError):
        pass
    return 0


def _failing_cell(nb):
    """(index, cell) of the first code cell with an error output, else (None, None)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            return index, cell
    return None, None


def run_notebook(path, timeout=600, env=None, offline=True):
    """Run every cell of a notebook in a temp copy; return ``(nb, seconds)``.

    Parameters
    ----------
    path : path-like
        The ``.ipynb`` to run. It is read, never written.
    timeout : int
        Seconds allowed per cell.
    env : dict, optional
        Extra environment variables for the kernel.
    offline : bool, default True
        Run with the network refused (see :mod:`offline_guard`); any attempt fails the run.

    Returns
    -------
    nb : nbformat.NotebookNode
        The executed notebook, outputs included; ``nb.metadata["cmlearn_run"]``
        holds ``seconds``, the kernel's ``peak_rss_mb`` (0 off Linux) and ``offline``.
    seconds : float
        Wall-clock time from kernel start to the last cell's end.

    Raises
    ------
    NotebookFailure
        When a cell raises; the message holds the cell's source and error.
        Also when an offline run tried to use the network.
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = pathlib.Path(path).resolve()
    work = pathlib.Path(tempfile.mkdtemp(prefix="cmlearn-nb-"))
    try:
        # Execute a temp copy: the stored notebook is never written to.
        copy = work / path.name
        shutil.copyfile(path, copy)
        kernel_env = kernels.base_env()
        # The checkout comes first on the path, so its cmlearn is the one tested
        # (unless the installed one is under test).
        source = None if INSTALLED else str(REPO)
        kernel_env["PYTHONPATH"] = os.pathsep.join(p for p in (source, kernel_env.get("PYTHONPATH")) if p)
        log = None
        if offline:
            guard_env, log = offline_env(work, repo=source)
            kernel_env.update(guard_env)
        kernel_env.update(env or {})
        peak = {"rss": 0}
        clients = []

        def prepare(client):
            clients.append(client)
            client.on_cell_executed = lambda **_: peak.update(rss=max(peak["rss"], _peak_rss(client)))

        try:
            # The kernel's cwd is the notebook's own folder, as for a learner.
            nb, seconds = kernels.execute(copy, cwd=path.parent, env=kernel_env, timeout=timeout, name=KERNEL_NAME,
                                          display_name="cmlearn tests", prepare=prepare, allow_errors=False)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
            index, cell = _failing_cell(clients[-1].nb)
            where = f"cell {index}:\n{cell.source}" if cell is not None else "(no cell output recorded)"
            raise NotebookFailure(f"{path.name} failed in {where}\n\n{_ANSI.sub('', str(error))}") from None
        tried = attempts(log) if log else []
        if tried:
            raise NotebookFailure(
                f"{path.name} tried to use the network (nothing may download at run time):\n" + "\n".join(tried)
            )
        nb.metadata["cmlearn_run"] = {
            "seconds": round(seconds, 2), "peak_rss_mb": round(peak["rss"] / 2**20, 1), "offline": bool(offline),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return nb, seconds


def stored_output_problems(path):
    """What a stored notebook should not hold: outputs, counts, widget state.

    Returns a list of human-readable problems (empty when clean).
    """
    import nbformat

    nb = nbformat.read(pathlib.Path(path), as_version=4)
    problems = []
    if "widgets" in nb.metadata:
        problems.append("notebook metadata holds widget state (metadata.widgets)")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index} has stored outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} has execution_count {cell.execution_count}")
        if "widgets" in cell.get("metadata", {}):
            problems.append(f"cell {index} metadata holds widget state")
    return problems


#: The set-up cell every lesson, exercise and solution starts with (after the generated install cell).
SETUP_SOURCE = "import cmlearn\ncmlearn.notebook_setup()"


def learner_noise(nb):
    """What an executed notebook shows a learner that it should not: stderr, bare True/False.

    Anything on stderr (TensorFlow's absl/oneDNN/CUDA start-up lines, a warning)
    and an ``execute_result`` that is just ``True`` or ``False`` (a check's
    return value under its own line). Returns human-readable problems.
    """
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                problems.append(f"cell {index} printed to stderr: {out.get('text', '')[:200]!r}")
            if out.get("output_type") == "execute_result" and out.get("data", {}).get("text/plain") in (
                "True",
                "False",
            ):
                problems.append(f"cell {index} shows a bare {out['data']['text/plain']}")
    return problems
