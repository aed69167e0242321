"""The second CI environment, on Colab's versions: its list, and the script that refreshes it."""

from __future__ import annotations

import importlib.util
import pathlib
import re
import tomllib

REPO = pathlib.Path(__file__).resolve().parent.parent
PINS = REPO / ".ci" / "colab-requirements.txt"


def _refresh_module():
    spec = importlib.util.spec_from_file_location("refresh_colab_pins", REPO / ".ci" / "refresh_colab_pins.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins():
    refresh = _refresh_module()
    return {
        refresh.normal(m.group(1)): (m.group(2), m.group(3))
        for m in map(refresh.LINE.match, PINS.read_text().splitlines())
        if m
    }


def test_every_line_is_pinned_and_the_source_is_named():
    text = PINS.read_text()
    assert "googlecolab/backend-info" in text and re.search(r"^# commit [0-9a-f]{12} of \d{4}-\d\d-\d\d\.$", text, re.M)
    assert re.search(r"^# Python: 3\.\d+ \(Colab's\)", text, re.M), "name Colab's Python: make test-colab builds on it"
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.match(r"^[A-Za-z0-9_.-]+==\S+", line), f"not pinned: {line}"


def test_it_has_what_the_bundle_imports_and_not_cmlearn():
    pins = _pins()
    for needed in (
        "tensorflow",
        "keras",
        "tf-keras",
        "numpy",
        "scikit-learn",
        "matplotlib",
        "ipywidgets",
        "ipykernel",
        "nbclient",
        "pytest",
    ):
        assert needed in pins, needed
    assert "cmlearn" not in pins  # installed from a wheel, --no-deps


def test_pyproject_never_asks_for_more_than_colab_has():
    def version(text):
        return tuple(int(p) for p in re.findall(r"\d+", text)[:3])

    pins = _pins()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["keras"]
    for requirement in wanted:
        name, lower = re.match(r"^([A-Za-z0-9_.-]+)\s*>=\s*(\S+)$", requirement).groups()
        assert version(lower) <= version(pins[name.lower()][0]), (
            f"{requirement} is above Colab's {pins[name.lower()][0]}"
        )


def test_refresh_takes_colab_versions_and_keeps_marked_lines():
    refresh = _refresh_module()
    pins = (
        "# commit 000000000000 of 2026-01-01.\n"
        "keras==3.13.2\nhypothesis==6.1.0    # not in Colab's list: x\ngone==1.0\n"
    )
    freeze = "Keras==3.14.0\nhypothesis==9.9.9\n"
    text, changes = refresh.refresh(pins, freeze, commit="a" * 40, date="2026-09-01")
    assert text.splitlines() == [
        "# commit aaaaaaaaaaaa of 2026-09-01.",
        "keras==3.14.0",
        "hypothesis==6.1.0    # not in Colab's list: x",
        "gone==1.0",
    ]
    assert changes == ["keras: 3.13.2 -> 3.14.0", "gone: no longer in Colab's list (kept 1.0; mark or drop it)"]
