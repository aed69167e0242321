"""Turn the network off for a Python process: every notebook the tests run uses this.

How: a ``sitecustomize.py`` written to a temp folder and put first on the
process's ``PYTHONPATH`` installs a Python audit hook (PEP 578) before
anything else runs. The hook refuses every ``socket.connect``, ``sendto`` and
name lookup that is not for the loopback interface, raising ``NetworkBlocked``
(a ``RuntimeError``, so code that quietly falls back on ``OSError`` still
fails), and writes each attempt to a log file that the caller reads
afterwards, so an attempt a library swallowed is still caught. Subprocesses
(``%pip``) inherit ``PYTHONPATH`` and so the guard too.

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
import pathlib
import textwrap

__all__ = ["GUARD", "offline_env", "attempts"]

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


def offline_env(folder, repo=None):
    """Environment variables that put the guard into a Python process started with them.

    Returns ``(env, log_path)``: ``env`` puts the guard first on ``PYTHONPATH``
    (then ``repo``, then whatever was there); ``log_path`` collects attempts.
    """
    folder = pathlib.Path(folder)
    guard_dir = folder / "offline-guard"
    guard_dir.mkdir(parents=True, exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    log = folder / "network-attempts.log"
    paths = (str(guard_dir), str(repo) if repo else None, os.environ.get("PYTHONPATH"))
    env = {"PYTHONPATH": os.pathsep.join(p for p in paths if p), "CMLEARN_OFFLINE_LOG": str(log)}
    return env, log


def attempts(log):
    """The network attempts a guarded process made (an empty list when none)."""
    log = pathlib.Path(log)
    return log.read_text().splitlines() if log.exists() else []
