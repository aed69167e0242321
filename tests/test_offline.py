"""The lessons run with the network off: nothing is downloaded at run time.

How the network is turned off: a ``sitecustomize.py`` written to a temp
folder and put first on the kernel's ``PYTHONPATH`` installs a Python audit
hook (PEP 578) before anything else runs. The hook refuses every
``socket.connect``, ``sendto`` and name lookup that is not for the loopback
interface, raising :class:`NetworkBlocked` (a ``RuntimeError``, so code that
quietly falls back on ``OSError`` still fails), and writes each attempt to a
log file that the test reads afterwards, so an attempt a library swallowed
is still caught. Subprocesses started from the kernel (``%pip``) inherit
``PYTHONPATH`` and so the guard too.

Why not a network namespace (``unshare -rn``): it needs unprivileged user
namespaces, which many CI runners and containers turn off, and the kernel
must still reach the test process over loopback ZeroMQ. The audit hook
works wherever Python runs. Its limit: it sees Python-level sockets only;
C libraries opening their own sockets (TensorFlow's file systems for
``gs://`` paths, for one) are not seen. ZeroMQ, which carries the kernel's
messages over loopback, is such a library and is left alone on purpose.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import nbformat
import pytest
from notebook_runner import REPO, NotebookFailure, run_notebook

#: Lessons executed offline in every run. Set CMLEARN_OFFLINE_ALL=1 to run every lesson and solution.
CORE = ["01_counts_not_fractions.ipynb", "02_threshold_lab.ipynb"]

GUARD = textwrap.dedent(
    '''
    """Installed by tests/test_offline.py: refuse any network use except loopback."""
    import ipaddress
    import os
    import socket
    import sys


    class NetworkBlocked(RuntimeError):
        """Raised on any attempt to reach a non-loopback address."""


    _LOG = os.environ.get("CMLEARN_OFFLINE_LOG")
    _LOCAL_NAMES = {None, "", "localhost", "localhost.localdomain", "ip6-localhost"}


    def _is_local(host):
        if isinstance(host, bytes):
            host = host.decode(errors="replace")
        if host in _LOCAL_NAMES:
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False


    def _guard(event, args):
        if event == "socket.connect" or event == "socket.sendto":
            sock, address = args[0], args[-1]
            if getattr(sock, "family", None) == getattr(socket, "AF_UNIX", object()):
                return
            host = address[0] if isinstance(address, tuple) else address
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
            host = args[0]
        else:
            return
        if _is_local(host):
            return
        message = f"network is off in this test: {event} to {host!r} was refused (pid {os.getpid()})"
        if _LOG:
            with open(_LOG, "a") as log:
                log.write(message + "\\n")
        raise NetworkBlocked(message)


    sys.addaudithook(_guard)
    '''
)


@pytest.fixture
def offline(tmp_path):
    """Environment variables that put the guard into a Python process; yields ``(env, log_path)``."""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "network-attempts.log"
    env = {
        # The guard first, then the checkout (as notebook_runner does), then whatever was there.
        "PYTHONPATH": os.pathsep.join(p for p in (str(guard_dir), str(REPO), os.environ.get("PYTHONPATH")) if p),
        "CMLEARN_OFFLINE_LOG": str(log),
    }
    return env, log


def attempts(log):
    return log.read_text().splitlines() if log.exists() else []


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
    assert result.stdout.strip() == "connect: NetworkBlocked;lookup: NetworkBlocked;download: NetworkBlocked;loopback: ok"
    assert len(attempts(log)) == 3 and "192.0.2.1" in attempts(log)[0]


def test_guard_is_active_in_a_notebook_kernel(offline, tmp_path):
    env, log = offline
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell('import urllib.request\nurllib.request.urlopen("https://example.com", timeout=2)')]
    )
    path = tmp_path / "downloads.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookFailure, match="network is off"):
        run_notebook(path, timeout=120, env=env)
    assert any("example.com" in line for line in attempts(log))


def _lessons():
    folder = REPO / "notebooks"
    if os.environ.get("CMLEARN_OFFLINE_ALL"):
        found = sorted(folder.glob("[0-9]*.ipynb")) + sorted(folder.glob("exercises/solutions/*.ipynb"))
        return [p.relative_to(folder).as_posix() for p in found]
    return CORE


@pytest.mark.parametrize("name", _lessons())
def test_lesson_runs_offline(name, offline):
    env, log = offline
    path = REPO / "notebooks" / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing; it must exist and run offline")
        pytest.skip(f"{name} is not written yet (outside CI only)")
    run_notebook(path, timeout=600, env=env)
    assert attempts(log) == [], f"{name} tried to use the network:\n" + "\n".join(attempts(log))
