"""Start Jupyter kernels on this very interpreter: the one kernel starter of ``make site`` and the tests.

A kernel started here runs ``sys.executable -m ipykernel_launcher``, never whatever ``python3`` kernel the
machine has registered, so a notebook sees the packages of the process that runs it. Three callers:
:mod:`cmlearn.tools.site` and the tests' notebook runner run notebooks with :func:`execute`; the browser tests'
JupyterLab finds its one kernel in a folder written by :func:`write_kernelspec`.

Kernels started at the same moment can race for a free TCP port (ZeroMQ's "Address already in use"). The
losing kernel dies before it answers its first request, so before any cell ran, and starting it again is
safe: :func:`execute` starts a kernel up to :data:`KERNEL_START_ATTEMPTS` times. A Jupyter server (the
browser tests) does the same on its own: its restarter starts a kernel that died before it was ever alive
again, on new ports (``KernelRestarter.random_ports_until_alive``, on by default).

This module imports nothing of cmlearn, so the tests can load it by its path from the checkout also when
they test an installed wheel, which leaves ``cmlearn.tools`` out.

>>> import json, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     spec = write_kernelspec(folder, "demo", "Demo") / "demo" / "kernel.json"
...     json.loads(spec.read_text())["argv"][1:]
['-m', 'ipykernel_launcher', '-f', '{connection_file}']
"""

from __future__ import annotations

import atexit
import json
import os
import pathlib
import sys
import tempfile
import time

__all__ = ["KERNEL_START_ATTEMPTS", "base_env", "execute", "write_kernelspec"]

#: Kernel starts tried per notebook before :func:`execute` gives up (see the port race above).
KERNEL_START_ATTEMPTS = 3
#: What nbclient raises (a ``RuntimeError``) when the kernel exits before its first reply.
_DIED_AT_START = "Kernel died before replying"


def write_kernelspec(folder, name, display_name):
    """Write ``folder/name/kernel.json``, a kernel that runs this interpreter; return ``folder`` as a path."""
    folder = pathlib.Path(folder)
    spec = folder / name
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": display_name, "language": "python"}))
    return folder


def base_env():
    """The environment a notebook's kernel starts with: this process's, TensorFlow's C++ logs quiet, hashes seeded.

    >>> base_env()["PYTHONHASHSEED"]
    '0'
    """
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")


def _manager_class(kernel_dir):
    """A kernel manager class that finds kernels only in ``kernel_dir``, whatever else the machine has."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class OnlyOurKernel(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _only_our_kernel(self):
            return KernelSpecManager(kernel_dirs=[str(kernel_dir)])

    return OnlyOurKernel


def execute(path, *, cwd, env, timeout, name="cmlearn", display_name="cmlearn", prepare=None,
            attempts=KERNEL_START_ATTEMPTS, **options):
    """Run the notebook at ``path`` in a kernel on this interpreter; return ``(notebook, seconds)``.

    Parameters
    ----------
    path : path-like
        The ``.ipynb`` to run; it is read (again for each start), never written.
    cwd : path-like
        The kernel's working folder (a learner's is the notebook's own folder).
    env : dict
        The kernel's whole environment (start from :func:`base_env`).
    timeout : int
        Seconds allowed per cell.
    name, display_name : str
        The kernelspec's name and display name (in a temporary folder of its own).
    prepare : callable, optional
        Called with each ``nbclient.NotebookClient`` before it runs: to set its hooks, or to keep it and read
        its ``nb`` after a cell raised.
    attempts : int
        Kernel starts tried when the kernel dies before its first reply.
    **options
        More ``NotebookClient`` options (``allow_errors``, ``store_widget_state``, ...).

    Returns
    -------
    notebook : nbformat.NotebookNode
        The executed notebook.
    seconds : float
        From the kernel's (last) start to the last cell's end.

    Raises
    ------
    RuntimeError
        When the kernel died before its first reply ``attempts`` times. A cell's error is nbclient's own.
    """
    import nbformat
    from nbclient import NotebookClient

    if attempts < 1:
        raise ValueError(f"attempts={attempts!r}: the kernel must start at least once. Fix: pass attempts=1 or more.")
    with tempfile.TemporaryDirectory(prefix="cmlearn-kernels-") as kernels:
        manager = _manager_class(write_kernelspec(kernels, name, display_name))
        for attempt in range(attempts):
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(nb, timeout=timeout, kernel_name=name, kernel_manager_class=manager,
                                    resources={"metadata": {"path": str(cwd)}}, **options)
            if prepare is not None:
                prepare(client)
            start = time.perf_counter()
            try:
                client.execute(env=env)
            except RuntimeError as error:
                if _DIED_AT_START not in str(error):
                    raise
                # nbclient has cleaned the dead kernel up already; its exit hook would find no manager and complain.
                atexit.unregister(client._cleanup_kernel)
                if attempt == attempts - 1:
                    raise
                continue
            return nb, time.perf_counter() - start
