"""The notebooks run with the network off: nothing is downloaded at run time.

The guard lives in ``offline_guard.py`` (an audit hook put into the kernel
through ``sitecustomize.py``; its docstring says how it works and where it
stops). ``notebook_runner.run_notebook`` turns it on for every notebook the
suite executes: lessons, presenter, solutions and exercise copies, so each of
those runs is also an offline run. These tests show that the guard refuses
what it must and lets loopback through, that it is on by default in a
notebook kernel, and that an attempt a notebook swallowed still fails the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import nbformat
import pytest
from notebook_runner import REPO, NotebookFailure, run_notebook
from offline_guard import attempts, offline_env


@pytest.fixture
def offline(tmp_path):
    """Environment variables that put the guard into a Python process: ``(env, log_path)``."""
    return offline_env(tmp_path, repo=REPO)


def test_guard_refuses_connections_and_lookups_but_not_loopback(offline):
    env, log = offline
    probe = textwrap.dedent(
        """
        import socket, urllib.request
        results = []
        for name, attempt in [
            ("connect", lambda: socket.create_connection(("192.0.2.1", 80), timeout=2)),
            ("lookup", lambda: socket.getaddrinfo("pypi.org", 443)),
            ("download", lambda: urllib.request.urlopen("https://example.com", timeout=2)),
        ]:
            try:
                attempt()
                results.append(name + ": ALLOWED")
            except RuntimeError as error:
                results.append(name + ": " + type(error).__name__)
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        client = socket.create_connection(server.getsockname(), timeout=2)
        results.append("loopback: ok")
        client.close(); server.close()
        print(";".join(results))
        """
    )
    result = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **env}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip() == "connect: NetworkBlocked;lookup: NetworkBlocked;download: NetworkBlocked;loopback: ok"
    )
    assert len(attempts(log)) == 3 and "192.0.2.1" in attempts(log)[0]


def _notebook(tmp_path, source):
    path = tmp_path / "downloads.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)
    return path


def test_notebook_runs_are_offline_by_default(tmp_path):
    path = _notebook(tmp_path, 'import urllib.request\nurllib.request.urlopen("https://example.com", timeout=2)')
    with pytest.raises(NotebookFailure, match="network is off"):
        run_notebook(path, timeout=120)


SWALLOWED = """
import socket
try:
    socket.getaddrinfo("cmlearn.invalid", 443)  # a reserved name: never resolves anywhere
except Exception:
    pass  # a library that falls back quietly
"""


def test_a_swallowed_attempt_still_fails_the_run(tmp_path):
    with pytest.raises(NotebookFailure, match="tried to use the network"):
        run_notebook(_notebook(tmp_path, SWALLOWED), timeout=120)


def test_the_same_notebook_passes_with_the_guard_off(tmp_path):
    # What fails the run above is the guard, not something else in the runner.
    nb, _ = run_notebook(_notebook(tmp_path, SWALLOWED), timeout=120, offline=False)
    assert nb.metadata["cmlearn_run"]["offline"] is False
