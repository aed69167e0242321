"""Drive a real JupyterLab in a real (headless) Chromium, for the browser tests.

Shared by ``test_widgets_explorer_browser.py``, ``test_widgets_labs_browser.py`` and
``benchmarks/bench_browser.py``. Three pieces (and :data:`CONTRAST`, which measures text contrast in the page):

- :class:`JupyterLab` starts ``jupyter lab`` on 127.0.0.1, on a free port, with
  a random token, over a temp copy of a notebook directory, and with its own
  Jupyter directories so that the only ``python3`` kernel it knows runs this
  interpreter (``sys.executable``; written by the kernel starter ``cmlearn/tools/kernels.py``)
  and no user settings leak in.
- :func:`chromium` launches Debian's Chromium through Playwright's sync API
  with a fresh profile (Playwright's own browser downloads are not used).
- :func:`open_and_run_all` opens a notebook in the page, runs all its cells
  through JupyterLab's *Run* menu, and answers the kernel dialog if one shows.

Usage::

    with JupyterLab(notebook_dir) as lab, chromium() as page:
        open_and_run_all(page, lab, "explorer.ipynb")
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from notebook_runner import kernels

REPO = pathlib.Path(__file__).resolve().parent.parent

__all__ = [
    "CHROMIUM_ARGS",
    "CONTRAST",
    "DARK",
    "JupyterLab",
    "artifacts_dir",
    "chromium",
    "chromium_path",
    "open_and_run_all",
    "require_chromium",
    "voila_presenter",
    "wait_for_widget",
]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: JupyterLab's dark theme, as user settings for :class:`JupyterLab`.
DARK = {"@jupyterlab/apputils-extension/themes": {"theme": "JupyterLab Dark"}}

#: A page function ``(root) => [...]``: every rendered text node under ``root`` with its colour, the colour
#: under it (composited), their contrast ratio and the font size.
CONTRAST = """
(root) => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]*)\\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const luminance = (c) => {
    const l = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  };
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest("title")) continue;
    if (!el.getClientRects().length) continue; // not rendered
    const style = getComputedStyle(el);
    const inSvg = el instanceof SVGElement;
    const bg = background(el);
    const ink = over(parse(inSvg ? style.fill : style.color), bg);
    const [a, b] = [luminance(ink), luminance(bg)].sort((x, y) => y - x);
    out.push({ text: node.textContent.trim().slice(0, 60), ratio: (a + 0.05) / (b + 0.05),
      ink: ink.map(Math.round).join(","), bg: bg.map(Math.round).join(","), size: parseFloat(style.fontSize) });
  }
  return out;
}
"""


def chromium_path():
    """Path of the system Chromium (Debian's ``chromium`` package), or None."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_chromium():
    """Chromium's path; skip the test outside CI when it is missing, fail in CI.

    In CI (environment variable ``CI`` set) a missing browser is a broken set-up,
    so the test must fail loudly rather than pass by being skipped.
    """
    path = chromium_path()
    if path is None:
        reason = "Chromium not found; install it with `apt-get install -y chromium` (as .ci/run does)."
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is missing; install requirements-test.txt."
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    return path


def artifacts_dir():
    """Where screenshots go: ``$CMLEARN_ARTIFACTS`` if set, else a new temp dir."""
    target = os.environ.get("CMLEARN_ARTIFACTS")
    path = pathlib.Path(target) if target else pathlib.Path(tempfile.mkdtemp(prefix="cmlearn-artifacts-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_notebook(directory, name, sources):
    """Write ``name`` in ``directory``: code cells ``sources`` on the ``python3`` kernel. Returns ``name``."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(pathlib.Path(directory) / name))
    return name


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def voila_presenter():
    """Voila serving notebooks/presenter.ipynb on 127.0.0.1 with a token; yields its address, token included.

    Stopped, with its process group, on leaving the block.
    """
    port = _free_port()
    command = [sys.executable, "-m", "voila", "--Voila.ip=127.0.0.1", "--Voila.auto_token=True", f"--port={port}",
               "--no-browser", "notebooks/presenter.ipynb"]
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    with tempfile.TemporaryDirectory(prefix="cmlearn-voila-") as tmp:
        log_path = pathlib.Path(tmp) / "voila.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            try:
                deadline = time.monotonic() + 90
                while not (found := re.search(rf"http://127\.0\.0\.1:{port}/\?token=(\w+)", log_path.read_text())):
                    assert process.poll() is None, f"voila exited:\n{log_path.read_text()}"
                    assert time.monotonic() < deadline, f"voila printed no address:\n{log_path.read_text()}"
                    time.sleep(0.5)
                yield f"http://127.0.0.1:{port}/?token={found.group(1)}"
            finally:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


class JupyterLab:
    """A private JupyterLab server over a temp copy of ``notebook_dir``.

    Parameters
    ----------
    notebook_dir : path
        Directory whose files are copied into the server's root.
    start_timeout : float
        Seconds to wait for the server to answer.
    settings : dict, optional
        Extra JupyterLab user settings, ``{"<extension>/<plugin>": {...}}``, e.g.
        ``{"@jupyterlab/apputils-extension/themes": {"theme": "JupyterLab Dark"}}``.

    Attributes
    ----------
    root : pathlib.Path
        The server's root directory (the copy).
    base_url : str
        ``http://127.0.0.1:<port>/``.
    token : str
        The random token the server requires.
    """

    def __init__(self, notebook_dir, start_timeout=90.0, settings=None):
        self.notebook_dir = pathlib.Path(notebook_dir)
        self.settings = dict(settings or {})
        self.start_timeout = start_timeout
        self.token = secrets.token_hex(24)
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/"
        self._tmp = None
        self._proc = None
        self._log = None

    def url(self, path):
        """Address of ``path`` (e.g. ``lab/tree/x.ipynb``) with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path.lstrip('/')}{sep}token={self.token}"

    def _prepare(self):
        tmp = pathlib.Path(self._tmp.name)
        self.root = tmp / "notebooks"
        shutil.copytree(self.notebook_dir, self.root)
        # One kernelspec named python3 that runs this very interpreter: notebooks
        # saved with the usual python3 metadata start on it without a dialog. The
        # server's restarter starts it again if it dies before it was ever alive.
        kernels.write_kernelspec(tmp / "share" / "kernels", "python3", "Python 3")
        # No news or update toasts over the page (they would hide the widget in screenshots).
        settings = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )
        for plugin, values in self.settings.items():
            path = tmp / "lab-settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(os.environ)
        env.update(
            JUPYTER_PATH=str(tmp / "share"),
            JUPYTER_DATA_DIR=str(tmp / "data"),
            JUPYTER_CONFIG_DIR=str(tmp / "config"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            IPYTHONDIR=str(tmp / "ipython"),
            TF_CPP_MIN_LOG_LEVEL="3",
            PYTHONUNBUFFERED="1",
        )
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={tmp / 'lab-settings'}",
            f"--LabApp.workspaces_dir={tmp / 'lab-workspaces'}",
            "--LabApp.news_url=",
            "--ServerApp.terminals_enabled=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI containers often run as root; jupyter refuses it otherwise
        return cmd, env, tmp / "server.log"

    def __enter__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="cmlearn-lab-")
        cmd, env, log_path = self._prepare()
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self._proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=self.root)
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        request = urllib.request.Request(f"{self.base_url}api/status", headers={"Authorization": f"token {self.token}"})
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self._proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise TimeoutError(f"jupyter lab did not answer within {self.start_timeout:.0f} s:\n{self.log()}")

    def log(self, tail=4000):
        """The last ``tail`` characters of the server's log (kernel errors land here)."""
        try:
            return pathlib.Path(self.log_path).read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def __exit__(self, *exc):
        proc, self._proc = self._proc, None
        if proc is not None:
            import psutil

            # The kernels are the server's children: remember them before it goes.
            try:
                children = psutil.Process(proc.pid).children(recursive=True)
            except psutil.Error:
                children = []
            if proc.poll() is None:
                try:
                    request = urllib.request.Request(
                        f"{self.base_url}api/shutdown", method="POST", headers={"Authorization": f"token {self.token}"}
                    )
                    urllib.request.urlopen(request, timeout=5).close()
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
            for child in children:
                with contextlib.suppress(psutil.Error):
                    child.kill()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        return False


@contextlib.contextmanager
def chromium(width=1400, height=1100, timeout_ms=30_000):
    """A Playwright page in the system Chromium with a fresh, temporary profile.

    Yields
    ------
    playwright.sync_api.Page
    """
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium not found; install it with `apt-get install -y chromium`.")
    with tempfile.TemporaryDirectory(prefix="cmlearn-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=path,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(timeout_ms)
            yield page
        finally:
            context.close()


def _answer_kernel_dialog(page):
    """Accept JupyterLab's 'Select Kernel' dialog if it is showing (its default is our python3)."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        page.locator(".jp-Dialog .jp-mod-accept").first.click()


def _execution_started(page):
    """True once any cell's prompt shows ``[*]`` or an execution count."""
    prompts = page.locator(".jp-NotebookPanel .jp-InputArea-prompt").all_inner_texts()
    return any(("*" in text) or any(ch.isdigit() for ch in text) for text in prompts)


def open_and_run_all(page, lab, notebook, timeout_ms=90_000):
    """Open ``notebook`` (a path relative to the server root) and run all its cells.

    Waits for the notebook panel and for the kernel to be idle, then chooses
    *Run > Run All Cells* from the menu bar, as a learner would. The toolbar
    can read "idle" a moment before the kernel's connection is usable, and a
    run requested then is silently dropped; so the choice is repeated until a
    cell's prompt shows that execution started.
    """
    page.goto(lab.url(f"lab/tree/{notebook}"), wait_until="domcontentloaded", timeout=timeout_ms)
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(state="visible", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    status = page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator")
    attempts = 0
    while time.monotonic() < deadline:
        _answer_kernel_dialog(page)
        if not (status.count() and status.first.get_attribute("data-status") == "idle"):
            page.wait_for_timeout(250)
            continue
        attempts += 1
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator('.lm-Menu-item:has(.lm-Menu-itemLabel:text-is("Run All Cells"))').first.click()
        retry_at = time.monotonic() + 10
        while time.monotonic() < min(retry_at, deadline):
            if _execution_started(page):
                return attempts
            page.wait_for_timeout(200)
    raise TimeoutError(
        f"no cell started running within {timeout_ms / 1000:.0f} s ({attempts} tries of Run All Cells):\n{lab.log()}"
    )


def wait_for_widget(page, selector, timeout_s=150.0, lab=None):
    """Wait until ``selector`` is visible; fail at once with the traceback if a cell raised.

    A cell error shows as an output containing a Python traceback; waiting the
    full timeout for a widget that can never appear would only hide it.
    """
    deadline = time.monotonic() + timeout_s
    target = page.locator(selector).first
    errors = page.locator(".jp-OutputArea-output", has_text="Traceback (most recent call last)")
    while time.monotonic() < deadline:
        if target.count() and target.is_visible():
            return target
        if errors.count():
            raise AssertionError(f"a notebook cell raised while waiting for {selector!r}:\n{errors.first.inner_text()}")
        page.wait_for_timeout(250)
    shot = artifacts_dir() / "timeout.png"
    page.screenshot(path=str(shot), full_page=True)
    server_log = f"\nserver log:\n{lab.log()}" if lab is not None else ""
    raise TimeoutError(f"{selector!r} did not appear within {timeout_s:.0f} s (page: {shot}){server_log}")
