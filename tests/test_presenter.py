"""Presenter mode: ``make present`` serves notebooks/presenter.ipynb with Voila, token required.

The test runs the Makefile's own voila command as written (with this
environment's voila, plus a free port and no browser appended), and takes the
token from the address Voila prints, as a presenter does. Voila started alone
serves without any token; the Makefile's ``--Voila.auto_token=True`` turns
authentication on with a fresh random token.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import nbformat
import pytest

pytestmark = pytest.mark.voila

REPO = pathlib.Path(__file__).resolve().parent.parent
PRESENTER = REPO / "notebooks" / "presenter.ipynb"


def present_command():
    """The recipe of the Makefile's ``present`` target, as an argument list."""
    lines = (REPO / "Makefile").read_text().splitlines()
    start = lines.index(next(line for line in lines if line.startswith("present:")))
    recipe = [line.strip() for line in lines[start + 1 :] if line.startswith("\t")][:1]
    assert recipe, "the Makefile's present target has no command"
    bin_dir = str(pathlib.Path(sys.executable).parent)
    return shlex.split(recipe[0].replace("$(BIN)", bin_dir))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, timeout):
    """``(status, body)`` without following redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def test_make_present_keeps_auth_on_and_stays_local():
    command = present_command()
    assert "--Voila.ip=127.0.0.1" in command, command
    # Read the arguments with Voila's own parser: a bare token flag followed by the
    # notebook would make the notebook's path the token and serve no notebook.
    from voila.app import Voila

    app = Voila()
    app.parse_command_line(command[1:])
    assert app.ip == "127.0.0.1"
    assert app.extra_args == ["notebooks/presenter.ipynb"], f"voila would not serve the presenter: {command}"
    assert app.auto_token or (app.token and len(app.token) >= 32), (
        f"make present must keep token authentication on: {command}"
    )


def test_presenter_notebook_is_code_free_for_the_audience():
    nb = nbformat.read(PRESENTER, as_version=4)
    sources = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "cmlearn.notebook_setup(" in sources and "breast_cancer_scores()" in sources
    for lab in ("ThresholdExplorer(", "DatasetLab(", "BatchStepper("):
        assert lab in sources, f"the presenter should show {lab}...)"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.fixture(scope="module")
def presenter(tmp_path_factory):
    """A running ``make present`` server: yields ``(base_url, token)``."""
    port = free_port()
    command = [*present_command(), f"--port={port}", "--no-browser"]
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    log = log_path.open("w")  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"voila exited early with code {process.returncode}:\n{log_path.read_text()}")
            printed = re.search(rf"http://127\.0\.0\.1:{port}/\?token=(\w+)", log_path.read_text())
            if printed:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"voila printed no address with a token within 90 s:\n{log_path.read_text()}")
            time.sleep(0.5)
        token = printed.group(1)
        assert len(token) >= 32, f"the printed token is too short to be a generated one: {token!r}"
        yield base, token
    finally:
        # Only the process group this fixture started.
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def test_presenter_refuses_visitors_without_the_token(presenter):
    base, _ = presenter
    status, _ = fetch(base + "/", timeout=30)
    assert status in (302, 401, 403), f"the page was served without a token (HTTP {status})"


def test_presenter_renders_the_explorer(presenter):
    base, token = presenter
    status, page = fetch(f"{base}/?token={token}", timeout=300)
    assert status == 200, page[:2000]
    for sign in ("Traceback", "There was an error when executing cell", "Error:"):
        assert sign not in page, f"the presenter page shows an error ({sign!r}):\n{page[:3000]}"
    assert "Keras counts, you divide" in page  # the title cell
    views = re.findall(r'<script type="application/vnd\.voila\.cell-output\+json">\s*(\{.*?\})\s*</script>', page, re.S)
    outputs = [json.loads(view) for view in views]
    widget_views = [out for out in outputs if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    shown = " ".join(out["data"].get("text/plain", "") for out in widget_views)
    for lab in ("ThresholdExplorer(", "DatasetLab(", "BatchStepper("):
        assert lab in shown, f"no {lab}...) widget in the page"
    # Voila shows outputs, never the code that made them.
    assert "breast_cancer_scores()" not in page
