"""What Binder would build from this checkout, read from repo2docker's own plan.

Binder builds its images with repo2docker (pinned in requirements-test.txt).
``repo2docker --no-build --debug`` prints the Dockerfile it would build,
without Docker; these tests read it, so a change that Binder would read
differently (another Python, another file in binder/, a lost postBuild)
fails here rather than in front of a class. Then they check that our pins
install over the environment that Dockerfile starts from (repo2docker's
locked conda environment with its own JupyterLab and Notebook) with no
conflict: pip does not check the packages it leaves alone, so a base package
that requires an older JupyterLab than ours would be left broken in the image.
Network: only the package index, for pip's dry-run resolution.
"""

from __future__ import annotations

import functools
import json
import pathlib
import re
import shutil
import subprocess
import sys

import escapism  # repo2docker's own, which names its files with it
import pytest

from cmlearn import tested_versions

pytestmark = [pytest.mark.checkout_files]

REPO = pathlib.Path(__file__).resolve().parent.parent

#: The lines that read this repository, in the order the image runs them: the
#: pins installed into the server's own environment, then the checkout copied
#: in, then postBuild. Any other line naming binder/ or the checkout fails the test.
EXPECTED_STEPS = [
    "COPY --chown=0:0 src/binder/requirements.txt ${REPO_DIR}/binder/requirements.txt",
    'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"',
    "COPY --chown=0:0 src/ ${REPO_DIR}/",
    "RUN chmod +x binder/postBuild",
    "RUN ./binder/postBuild",
]

#: conda-forge's name -> PyPI's, where they differ beyond _ and - (a metapackage of JupyterHub's single-user server).
CONDA_TO_PYPI = {"jupyterhub-singleuser": "jupyterhub"}


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def plan(repo):
    """``(dockerfile, log)`` that repo2docker prints for ``repo``, building nothing."""
    done = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(repo)],
        capture_output=True, text=True, timeout=120, cwd=repo.parent,  # cwd: no repo2docker_config of ours is read
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


@functools.cache
def checkout_plan():
    return plan(REPO)


def planned_python(log):
    """The Python version repo2docker's log says the environment is built for."""
    return re.search(r"^Building conda environment for python=(\S+)$", log, re.M).group(1)


def base_lock(dockerfile):
    """The conda lock file the Dockerfile installs as the server's environment (a file inside repo2docker)."""
    (escaped,) = re.findall(r"^COPY --chown=0:0 build_script_files/(\S+) /tmp/env/environment\.lock$", dockerfile, re.M)
    return pathlib.Path(escapism.unescape(escaped.rpartition("-")[0], escape_char="-"))


def base_packages(lock):
    """``{PyPI name: version}`` of the base environment's own top-level packages (its .yml beside the lock)."""
    locked = {}
    for file in re.findall(r"^https://\S+/([^/\s]+?)\.(?:conda|tar\.bz2)#", lock.read_text(), re.M):
        name, version, _build = file.rsplit("-", 2)
        locked[name] = version
    spec = lock.with_name(lock.name.replace("-linux-64.lock", ".yml"))
    wanted = re.findall(r"^\s*-\s+([A-Za-z0-9_.-]+)", spec.read_text().partition("dependencies:")[2], re.M)
    return {
        _normal(CONDA_TO_PYPI.get(name, name)): locked[name]
        for name in wanted
        if name not in ("python", "nodejs", "pip")
    }


def _resolve(python, requirements, *extra, report=None):
    """pip's dry-run resolution for Binder's Python; ``(returncode, stderr)``."""
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
               "--python-version", python, "--only-binary=:all:", "-r", str(requirements), *extra]
    if report:
        command += ["--report", str(report)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    return done.returncode, "\n".join(
        line for line in done.stderr.splitlines() if not line.startswith("WARNING: Location")
    )


def conflicts(repo, tmp_path):
    """pip's error when binder/requirements.txt cannot go over the base environment, else None.

    In the image, pip moves only the packages our pins need (their closure, found by
    a first resolution); every other base package stays at its locked version, so it
    joins the second resolution pinned there.
    """
    dockerfile, log = plan(repo)
    python, requirements = planned_python(log), repo / "binder" / "requirements.txt"
    report = tmp_path / "closure.json"
    code, error = _resolve(python, requirements, report=report)
    if code:
        return error
    closure = {_normal(item["metadata"]["name"]) for item in json.loads(report.read_text())["install"]}
    staying = [
        f"{name}=={version}" for name, version in base_packages(base_lock(dockerfile)).items() if name not in closure
    ]
    code, error = _resolve(python, requirements, *staying)
    return error if code else None


def test_binder_builds_on_the_python_of_runtime_txt_the_pinned_run_uses():
    dockerfile, log = checkout_plan()
    assert planned_python(log) == tested_versions.PYTHON, log  # repo2docker's reading of binder/runtime.txt
    lock = base_lock(dockerfile)
    assert lock.name == f"environment.py-{tested_versions.PYTHON}-linux-64.lock" and lock.is_file()
    assert re.search(rf"/python-{re.escape(tested_versions.PYTHON)}\.\d+-", lock.read_text()), lock


def test_binder_installs_binder_requirements_then_runs_postbuild_and_reads_nothing_else():
    dockerfile, _ = checkout_plan()
    lines = dockerfile.splitlines()
    reading_the_repo = [
        line for line in lines if re.search(r"\bsrc/|binder/|\brequirements|environment\.yml|apt\.txt", line)
    ]
    assert reading_the_repo == EXPECTED_STEPS, reading_the_repo
    # The pins go into the environment the server runs from (one environment on Python 3), so they must agree with it.
    assert "ENV KERNEL_PYTHON_PREFIX=${NB_PYTHON_PREFIX}" in lines


def test_the_pins_install_over_binders_base_environment_without_a_conflict(tmp_path):
    base = base_packages(base_lock(checkout_plan()[0]))
    assert {"jupyterlab", "notebook"} <= set(base), base
    error = conflicts(REPO, tmp_path)
    assert error is None, f"binder/requirements.txt conflicts with Binder's base environment {base}:\n{error}"


def _copy_binder(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "binder", copy / "binder")
    return copy


def test_the_plan_notices_another_python_and_a_lost_postbuild(tmp_path):
    copy = _copy_binder(tmp_path)
    (copy / "binder" / "runtime.txt").write_text("python-3.12\n")
    (copy / "binder" / "postBuild").unlink()
    dockerfile, log = plan(copy)
    assert planned_python(log) == "3.12" != tested_versions.PYTHON
    assert base_lock(dockerfile).name == "environment.py-3.12-linux-64.lock"
    assert "RUN ./binder/postBuild" not in dockerfile.splitlines()


def test_the_conflict_check_notices_a_base_package_our_pins_break(tmp_path):
    # Without the notebook line, pip would leave the base environment's Notebook,
    # which requires an older JupyterLab than the pinned one, in place.
    copy = _copy_binder(tmp_path)
    requirements = copy / "binder" / "requirements.txt"
    kept = [line for line in requirements.read_text().splitlines() if not re.match(r"notebook==", line)]
    assert len(kept) < len(requirements.read_text().splitlines()), "binder/requirements.txt has no notebook line"
    requirements.write_text("\n".join(kept) + "\n")
    error = conflicts(copy, tmp_path)
    assert error and "notebook" in error and "jupyterlab" in error, error


def test_a_binder_only_pin_moves_a_package_of_binders_base_environment():
    # binder/requirements.txt may add to requirements.txt's pins only to move a base package (tests/test_pins.py).
    from test_pins import binder_only

    extra = binder_only(REPO / "binder" / "requirements.txt")
    assert extra <= set(base_packages(base_lock(checkout_plan()[0]))), extra
