"""A newcomer's own machine: what ``make lab`` and ``make test`` would install and start (``make -n``: nothing runs).

The learner's route (make lab, make present) installs requirements.txt only,
cmlearn included (``-e .``); make test adds the test tools of
requirements-test.txt. As root (a container, a cloud VM) JupyterLab refuses
to start without ``--allow-root``, so make lab passes it there, and only there.
"""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

pytestmark = [pytest.mark.checkout_files]

REPO = pathlib.Path(__file__).resolve().parent.parent


def _plan(goal, tmp_path, env=None):
    """The commands ``make -n goal`` prints for a venv that does not exist yet."""
    done = subprocess.run(["make", "-n", "--no-print-directory", goal, f"VENV={tmp_path}/venv"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _installs(lines):
    return [line for line in lines if " -m pip install " in line]


@pytest.mark.parametrize("goal", ["lab", "present"])
def test_the_learners_route_installs_requirements_txt_only(goal, tmp_path):
    installs = _installs(_plan(goal, tmp_path))
    assert installs[-1].endswith("-m pip install --quiet -r requirements.txt -e ."), installs
    assert not any("requirements-test" in line for line in installs), installs


def test_make_test_adds_the_test_tools(tmp_path):
    installs = _installs(_plan("test", tmp_path))
    assert any(line.endswith("-r requirements.txt -e .") for line in installs), installs
    assert any(line.endswith("-r requirements-test.txt") for line in installs), installs


def _lab_command(tmp_path, uid):
    """make lab's jupyter line, with ``id -u`` answering ``uid``."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (fake / "id").chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}{os.pathsep}{os.environ['PATH']}")
    lines = _plan("lab", tmp_path, env=env)
    return [line for line in lines if "jupyter lab" in line], lines


def test_as_root_make_lab_says_so_and_allows_root(tmp_path):
    (command,), lines = _lab_command(tmp_path, 0)
    assert " --allow-root " in command
    assert any("Running as root" in line and "--allow-root" in line for line in lines), lines


def test_as_a_user_make_lab_does_not_allow_root(tmp_path):
    (command,), lines = _lab_command(tmp_path, 1000)
    assert "--allow-root" not in command and not any("Running as root" in line for line in lines), lines
