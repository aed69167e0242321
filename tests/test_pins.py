"""One list of pins: requirements.txt. Conda and Binder must follow it.

environment.yml (the conda route) and binder/ (what Binder builds) repeat
the pins because their tools cannot read requirements.txt from there. These
tests fail when a copy drifts, and when the environment running the tests
is not the pinned one (CI installs exactly these pins).
"""

from __future__ import annotations

import importlib.metadata
import pathlib
import re

import pytest

pytestmark = [pytest.mark.checkout_files, pytest.mark.maintainer_tools]

REPO = pathlib.Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s#;]+)")


def read_pins(path):
    """``{normalized name: version}`` for every ``name==version`` line of a file."""
    pins = {}
    for line in pathlib.Path(path).read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            assert name not in pins, f"{path}: {name} is pinned twice"
            pins[name] = match.group(2)
    return pins


def binder_only(path):
    """The names pinned on lines marked ``# Binder only:`` (binder/requirements.txt's own additions)."""
    lines = pathlib.Path(path).read_text().splitlines()
    return {
        re.sub(r"[-_.]+", "-", m.group(1)).lower() for m in map(PIN.match, lines) if m and "# Binder only:" in m.string
    }


def test_requirements_has_pins():
    pins = read_pins(REPO / "requirements.txt")
    for needed in ("tensorflow", "keras", "numpy", "ipywidgets", "voila"):
        assert needed in pins, f"requirements.txt does not pin {needed}"


@pytest.mark.parametrize("copy", ["environment.yml", "binder/requirements.txt"])
def test_copies_match_requirements(copy):
    source = read_pins(REPO / "requirements.txt")
    pins = read_pins(REPO / copy)
    missing = sorted(set(source) - set(pins))
    # Binder's own: a pin marked "Binder only" moves a package of Binder's base image (tests/test_binder_plan.py).
    extra = sorted(set(pins) - set(source) - binder_only(REPO / copy))
    different = {name: (pins[name], source[name]) for name in set(source) & set(pins) if pins[name] != source[name]}
    assert not missing, f"{copy} lacks pins that requirements.txt has: {missing}"
    assert not extra, f"{copy} pins packages that requirements.txt does not: {extra}"
    assert not different, f"{copy} disagrees with requirements.txt (copy, source): {different}"


def test_read_pins_sees_a_difference(tmp_path):
    # The comparison above must be able to fail: a changed version is noticed.
    original = (REPO / "requirements.txt").read_text()
    name, version = next(iter(read_pins(REPO / "requirements.txt").items()))
    changed = tmp_path / "requirements.txt"
    changed.write_text(original.replace(f"{name}=={version}", f"{name}==0.0.1", 1))
    assert read_pins(changed)[name] == "0.0.1" != version


def test_environment_yml_comments_every_pin_and_installs_cmlearn():
    text = (REPO / "environment.yml").read_text()
    for line in text.splitlines():
        if PIN.match(line) or re.match(r"^\s*-\s+python=", line):
            assert "#" in line, f"environment.yml: say why this pin is there: {line.strip()}"
    assert re.search(r"^\s*-\s+python=3\.11\b", text, re.M), "environment.yml should ask for python=3.11"
    assert re.search(r"^\s*-\s+pip\b", text, re.M), "environment.yml should install pip"
    assert re.search(r"^\s*-\s+-e \.", text, re.M), "environment.yml should install cmlearn with '-e .'"


def test_binder_runtime_and_postbuild():
    assert (REPO / "binder/runtime.txt").read_text().strip() == "python-3.11"
    post = REPO / "binder/postBuild"
    text = post.read_text()
    assert text.startswith("#!/usr/bin/env bash"), "postBuild must be a bash script"
    assert "set -euo pipefail" in text, "postBuild must stop at the first error"
    assert re.search(r"pip install --no-deps[^\n]* -e \.", text), (
        "postBuild must install cmlearn without touching the pins"
    )
    assert post.stat().st_mode & 0o111, "postBuild must be executable"


def test_installed_versions_equal_pins():
    mismatched = {}
    for name, version in read_pins(REPO / "requirements.txt").items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            mismatched[name] = (installed, version)
    assert not mismatched, f"installed vs pinned: {mismatched}; run: pip install -r requirements-test.txt"


def test_test_requirements_are_installed_as_pinned():
    mismatched = {}
    for name, version in read_pins(REPO / "requirements-test.txt").items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            mismatched[name] = (installed, version)
    assert not mismatched, f"installed vs pinned in requirements-test.txt: {mismatched}"


def _lower_bound(requires_python):
    """``(3, 11)`` from ``">=3.11"``; None when there is no ``>=`` bound."""
    match = re.search(r">=\s*(\d+)\.(\d+)", requires_python or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def test_stated_python_is_what_the_pins_need():
    # The oldest Python the pinned packages install on, read from their own metadata.
    bounds = {
        name: _lower_bound(importlib.metadata.metadata(name).get("Requires-Python"))
        for name in read_pins(REPO / "requirements.txt")
    }
    needed = max(b for b in bounds.values() if b)
    text = ".".join(map(str, needed))
    from cmlearn.check_env import MIN_PYTHON

    assert MIN_PYTHON == needed, f"check_env.MIN_PYTHON is {MIN_PYTHON}; the pins need {needed}: {bounds}"
    assert f'requires-python = ">={text}"' in (REPO / "pyproject.toml").read_text()
    assert f"Python {text} or newer" in (REPO / "README.md").read_text()
    assert f"sys.version_info >= {needed}" in (REPO / "Makefile").read_text()
    assert f"Python {text} or newer" in (REPO / "notebooks" / "00_start_here.ipynb").read_text()


def test_lower_bound_reads_requires_python():
    assert _lower_bound(">=3.11") == (3, 11)
    assert _lower_bound(">=3.9,<3.14") == (3, 9)
    assert _lower_bound(None) is None


def test_tested_versions_shipped_in_the_package_equal_the_pins():
    from cmlearn.tools import tested_versions as tool

    assert (REPO / tool.TARGET).read_text() == tool.render(REPO), (
        f"{tool.TARGET} is stale. Fix: python -m cmlearn.tools.tested_versions"
    )


def test_the_tested_versions_tool_notices_a_stale_module(tmp_path):
    import shutil

    from cmlearn.tools import tested_versions as tool

    for name in ("pyproject.toml", "requirements.txt", "environment.yml", ".ci/colab-requirements.txt", tool.TARGET):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, tmp_path / name)
    (tmp_path / "notebooks").mkdir()
    assert (tmp_path / tool.TARGET).read_text() == tool.render(tmp_path)
    text = (tmp_path / "requirements.txt").read_text().replace("keras==", "keras==0.0.1  # was ", 1)
    (tmp_path / "requirements.txt").write_text(text)
    assert '"keras": "0.0.1"' in tool.render(tmp_path) != (tmp_path / tool.TARGET).read_text()
