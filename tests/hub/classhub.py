"""A class JupyterHub on 127.0.0.1, started and stopped by a test (or by ``benchmarks/measure_memory.py``).

Two pieces, each a context manager that leaves no process behind:

- :class:`TeacherRepository`: a bare clone of this checkout's current commit, as branch ``main``, served over
  git's dumb HTTP protocol (``git update-server-info``, then a plain static HTTP server thread), with a work
  clone from which :meth:`TeacherRepository.commit` pushes a teacher's change.
- :class:`ClassHub`: ``jupyterhub`` with ``configurable-http-proxy`` from the npm registry (installed once per
  machine, pinned, under the cache folder: :func:`configurable_http_proxy`), one server process and home folder
  per learner, a shared password and a service token; the configuration is ``tests/hub/jupyterhub_config.py``.

Only the standard library is imported here at the top (psutil where a process is stopped), so the Colab run's
doctest collection can import this file; the tests that use it are marked ``hub`` and ``browser``.

>>> TeacherRepository.folder_name
'cmlearn'
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

__all__ = ["CHP_VERSION", "ClassHub", "TeacherRepository", "configurable_http_proxy", "hub_cache", "stop_process"]

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
#: configurable-http-proxy from the npm registry, the proxy every JupyterHub puts in front of itself.
CHP_VERSION = "5.3.0"


def hub_cache():
    """Where the proxy is installed once per machine: ``$XDG_CACHE_HOME/cmlearn/hub`` (else ``~/.cache``).

    The same cache folder as the Makefile's ``CACHE``, outside the checkout, so fresh clones reuse it.
    ``$CMLEARN_HUB_CACHE``, when set, is used instead (an empty folder there checks a first install).
    """
    if os.environ.get("CMLEARN_HUB_CACHE"):
        return pathlib.Path(os.environ["CMLEARN_HUB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "cmlearn" / "hub"


def configurable_http_proxy():
    """The path of ``configurable-http-proxy`` :data:`CHP_VERSION`, installed with npm the first time.

    Raises ``RuntimeError`` naming the fix when npm is missing or the install fails.
    """
    prefix = hub_cache() / f"configurable-http-proxy-{CHP_VERSION}"
    binary = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm not found: the class-hub test installs configurable-http-proxy with it. "
                           "Fix: apt-get install -y npm (as .ci/run does)")
    prefix.mkdir(parents=True, exist_ok=True)
    with open(prefix.parent / ".install.lock", "w") as lock:  # two processes installing at once wait in turn
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            done = subprocess.run(
                [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--no-save",
                 f"configurable-http-proxy@{CHP_VERSION}"],
                capture_output=True, text=True, timeout=300,
            )
            if done.returncode != 0 or not binary.exists():
                raise RuntimeError(f"npm could not install configurable-http-proxy@{CHP_VERSION} in {prefix}:\n"
                                   f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return binary


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(*args, cwd=None):
    """Run git with a fixed identity and no prompts; return its stdout."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_AUTHOR_NAME="Teacher", GIT_AUTHOR_EMAIL="teacher@example.org",
               GIT_COMMITTER_NAME="Teacher", GIT_COMMITTER_EMAIL="teacher@example.org")
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def stop_process(proc, children=(), timeout=30):
    """Terminate ``proc`` (a Popen), wait, kill it if it lingers, then kill ``children`` (psutil processes)."""
    import psutil

    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs([c for c in children if c.is_running()], timeout=10)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class TeacherRepository:
    """This checkout's current commit as the teacher's repository, at ``self.url`` (git over plain HTTP).

    ``commit(path, change)`` edits a file in the teacher's work clone (``change(text) -> text``), commits,
    pushes to the served repository and refreshes its dumb-HTTP index.
    """

    #: The served repository's folder, so nbgitpuller clones it into ``~/cmlearn`` as from GitHub.
    folder_name = "cmlearn"

    def __enter__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="cmlearn-teacher-")
        root = pathlib.Path(self._tmp.name)
        self.bare = root / "served" / self.folder_name
        self.head = head = git("rev-parse", "HEAD", cwd=REPO).strip()  # the commit served (the checkout may move on)
        git("clone", "--quiet", "--bare", "--no-hardlinks", str(REPO), str(self.bare))
        git("update-ref", "refs/heads/main", head, cwd=self.bare)  # the branch the link names, at this commit
        git("symbolic-ref", "HEAD", "refs/heads/main", cwd=self.bare)
        git("update-server-info", cwd=self.bare)
        self.work = root / "work"
        git("clone", "--quiet", "--branch", "main", str(self.bare), str(self.work))
        handler = functools.partial(_Quiet, directory=str(self.bare.parent))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/{self.folder_name}"
        return self

    def commit(self, path, change, message):
        target = self.work / path
        target.write_text(change(target.read_text()))
        git("commit", "--quiet", "-am", message, cwd=self.work)
        git("push", "--quiet", "origin", "main", cwd=self.work)
        git("update-server-info", cwd=self.bare)
        return git("rev-parse", "HEAD", cwd=self.work).strip()

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._tmp.cleanup()
        return False


class ClassHub:
    """A JupyterHub for ``learners`` on 127.0.0.1 (random free ports), its state in a temp folder.

    Attributes: ``url`` (``http://127.0.0.1:<port>``), ``password`` (every learner's), ``token`` (the test's
    service token), ``home(name)`` (a learner's home folder).
    """

    def __init__(self, learners=("learner1", "learner2"), start_timeout=120.0):
        self.learners = tuple(learners)
        self.start_timeout = start_timeout
        self.password = secrets.token_urlsafe(12)
        self.token = secrets.token_hex(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._proc = None

    def home(self, name):
        return self.folder / "home" / name

    def _prepare(self):
        self.folder = pathlib.Path(self._tmp.name)
        sys.path.insert(0, str(REPO / "tests"))
        try:
            from notebook_runner import kernels
        finally:
            sys.path.remove(str(REPO / "tests"))
        kernels.write_kernelspec(self.folder / "share" / "kernels", "python3", "Python 3")
        for name in self.learners:
            # No news or update toasts over the learners' pages.
            settings = self.home(name) / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
            settings.mkdir(parents=True)
            (settings / "notification.jupyterlab-settings").write_text(
                json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        return dict(
            os.environ,
            CMLEARN_HUB_DIR=str(self.folder),
            CMLEARN_HUB_PYTHON=sys.executable,
            CMLEARN_HUB_PORT=str(self.port),
            CMLEARN_HUB_API_PORT=str(free_port()),
            CMLEARN_PROXY_API_PORT=str(free_port()),
            CMLEARN_HUB_PROXY=str(configurable_http_proxy()),
            CMLEARN_HUB_PASSWORD=self.password,
            CMLEARN_HUB_TOKEN=self.token,
            CMLEARN_HUB_LEARNERS=json.dumps(self.learners),
            # The hub's own environment is what Spawner.env_keep passes on: PATH (git, node) and the rest.
            PATH=f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )

    def __enter__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="cmlearn-hub-")
        env = self._prepare()
        self.log_path = self.folder / "jupyterhub.log"
        self._log = open(self.log_path, "wb")
        cmd = [sys.executable, "-m", "jupyterhub", "-f", str(HERE / "jupyterhub_config.py")]
        self._proc = subprocess.Popen(cmd, cwd=self.folder, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with code {self._proc.returncode}:\n{self.log()}")
            with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=5) as response:
                    if response.status == 200:
                        return
            time.sleep(0.25)
        raise TimeoutError(f"jupyterhub did not answer within {self.start_timeout:.0f} s:\n{self.log()}")

    def log(self, tail=6000):
        """The last ``tail`` characters of the hub's log (the learners' servers log there too)."""
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def api(self, path, method="GET", body=None, timeout=30):
        """Call ``self.url + path`` with the test's token (a hub API path, or a learner's ``/user/<name>/api/...``)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
        return json.loads(text) if text.strip() else None

    def start_servers(self, timeout=180.0):
        """Start every learner's server through the hub's API (all at once) and wait until each is ready."""
        for name in self.learners:
            with contextlib.suppress(urllib.error.HTTPError):  # 400: already running
                self.api(f"/hub/api/users/{name}/server", method="POST")
        deadline = time.monotonic() + timeout
        waiting = set(self.learners)
        while waiting and time.monotonic() < deadline:
            for name in sorted(waiting):
                server = self.api(f"/hub/api/users/{name}").get("servers", {}).get("", {})
                if server.get("ready"):
                    waiting.discard(name)
            time.sleep(0.5)
        if waiting:
            raise TimeoutError(f"servers of {sorted(waiting)} not ready within {timeout:.0f} s:\n{self.log()}")

    def server_pid(self, name):
        """The process id of a learner's single-user server, as the hub's API reports it."""
        return self.api(f"/hub/api/users/{name}")["servers"][""]["state"]["pid"]

    def kernels(self, name):
        """The ids of a learner's running kernels (the learner's server API, through the hub's proxy)."""
        return [k["id"] for k in self.api(f"/user/{name}/api/kernels")]

    def stop_kernels(self, name):
        for kernel in self.kernels(name):
            self.api(f"/user/{name}/api/kernels/{kernel}", method="DELETE")

    def login(self, page, name):
        """Log ``name`` in through the hub's login form in a Playwright ``page``."""
        page.goto(f"{self.url}/hub/login", wait_until="domcontentloaded")
        page.locator("#username_input").fill(name)
        page.locator("#password_input").fill(self.password)
        page.locator("#login_submit").click()
        page.wait_for_url(lambda url: "/hub/login" not in url, timeout=60_000)

    def lab(self, name):
        """What ``tests/browser.py``'s ``open_and_run_all`` needs of a server: ``url(path)`` and ``log()``."""
        hub = self

        class _Lab:
            def url(self, path):
                return f"{hub.url}/user/{name}/{path.lstrip('/')}"

            def log(self):
                return hub.log()

        return _Lab()

    def __exit__(self, *exc):
        proc, self._proc = self._proc, None
        if proc is not None:
            import psutil

            # Proxy, learners' servers and their kernels: remember them before the hub goes.
            try:
                children = psutil.Process(proc.pid).children(recursive=True)
            except psutil.Error:
                children = []
            stop_process(proc, children)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if getattr(self, "_tmp", None) is not None:
            self._tmp.cleanup()
            self._tmp = None
        return False
