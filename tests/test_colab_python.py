"""make test-colab runs on Colab's Python, found by the Makefile, or stops and says how to get it.

The version lives in one place, the ``# Python: X.Y`` line of
.ci/colab-requirements.txt: the Makefile reads it to find the interpreter and
cmlearn.tools.tested_versions ships it to check_env. These tests run the
Makefile's own lookup (``make colab-python``, ``make -n colab-venv``: no venv
is built) against that line, the real one and made-up ones.
"""

from __future__ import annotations

import hashlib
import pathlib
import subprocess
import sys

import pytest

from cmlearn import tested_versions

pytestmark = [pytest.mark.checkout_files]

REPO = pathlib.Path(__file__).resolve().parent.parent
PINS = REPO / ".ci" / "colab-requirements.txt"
THIS = f"{sys.version_info.major}.{sys.version_info.minor}"


def _make(*args, **kwargs):
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True, timeout=60, **kwargs
    )


def _pins_for(tmp_path, python):
    """A copy of Colab's pins whose Python line names ``python``."""
    text = PINS.read_text().replace(f"# Python: {tested_versions.COLAB_PYTHON} ", f"# Python: {python} ", 1)
    assert f"# Python: {python} " in text
    path = tmp_path / "colab-requirements.txt"
    path.write_text(text)
    return path


def test_the_makefile_finds_the_python_check_env_names_as_colabs():
    found = _make("colab-python")
    assert found.returncode == 0, found.stderr  # make test needs it: this machine must have Colab's Python
    interpreter = found.stdout.strip().rpartition(": ")[2]
    assert found.stdout.startswith(f"Colab's Python {tested_versions.COLAB_PYTHON} for make test-colab: ")
    version = subprocess.run([interpreter, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == tested_versions.COLAB_PYTHON


def test_no_python_of_colabs_version_stops_with_the_fix(tmp_path):
    # A version no machine has, and no pyenv: make stops and names both ways to get one.
    stopped = _make("colab-python", f"COLAB_PINS={_pins_for(tmp_path, '3.99')}", f"PYENV_DIR={tmp_path}")
    assert stopped.returncode != 0 and "Colab's Python" not in stopped.stdout
    assert "No Python 3.99 (Colab's) found" in stopped.stderr
    assert (
        "pyenv install 3.99" in stopped.stderr and "make test-colab COLAB_PYTHON=/path/to/python3.99" in stopped.stderr
    )


def test_a_colab_python_of_another_version_is_refused(tmp_path):
    pins = _pins_for(tmp_path, "3.99")
    stopped = _make("colab-python", f"COLAB_PINS={pins}", f"COLAB_PYTHON={sys.executable}")
    assert stopped.returncode != 0 and f"COLAB_PYTHON={sys.executable} does not run as Python 3.99" in stopped.stderr


def test_the_colab_venv_is_built_by_that_python_and_keyed_to_its_version(tmp_path):
    # Colab's line set to this interpreter's version, so the lookup accepts it; -n builds nothing.
    pins = _pins_for(tmp_path, THIS)
    plan = _make("-n", "colab-venv", f"COLAB_PINS={pins}", f"COLAB_PYTHON={sys.executable}", f"CACHE={tmp_path}")
    assert plan.returncode == 0, plan.stderr
    lines = [line.partition("#")[0].strip() for line in pins.read_text().splitlines()]
    key = hashlib.sha256(("\n".join(p for p in lines if p) + sys.version).encode()).hexdigest()[:12]
    assert f"{sys.executable} -m venv {tmp_path}/colab-venv-{key}" in plan.stdout, plan.stdout


def test_the_pins_file_without_a_python_line_stops(tmp_path):
    pins = tmp_path / "colab-requirements.txt"
    pins.write_text(PINS.read_text().replace("# Python: ", "# Interpreter: ", 1))
    stopped = _make("colab-python", f"COLAB_PINS={pins}")
    assert stopped.returncode != 0 and 'has no "# Python: X.Y" line' in stopped.stderr
