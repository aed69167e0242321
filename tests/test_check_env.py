"""cmlearn.check_env: one line per dependency, a NOTE per version difference, and a fix for every FAIL."""

import importlib.metadata
import os
import sys

from cmlearn import check_env, tested_versions


def test_check_env_reports_every_dependency():
    rows = check_env.check()
    assert rows[0][1].startswith("python")
    names = " ".join(line for _, line in rows)
    for dist in (
        "numpy",
        "keras",
        "tensorflow",
        "scikit-learn",
        "matplotlib",
        "ipywidgets",
        "anywidget",
        "tf-keras",
        "jupyterlab",
        "voila",
    ):
        assert dist in names
    assert all(status in ("OK", "NOTE") for status, _ in rows), rows
    off_pin = check_env.check(pins={"numpy": "0.0.1"})
    assert any(status == "NOTE" and "0.0.1" in line for status, line in off_pin)


def test_every_difference_from_the_tested_versions_is_a_note():
    # Holds in both CI runs: none in the pinned one, one per package in the run on Colab's versions.
    rows = check_env.check()
    for _, (dist, _, _) in check_env.REQUIRED.items():
        installed = importlib.metadata.version(dist)
        noted = any(status == "NOTE" and line.startswith(f"{dist} {installed}:") for status, line in rows)
        assert noted == (installed != tested_versions.PINNED[dist]), (dist, installed, rows)


def test_colab_versions_need_nothing_and_keras_names_its_lesson():
    rows = dict(reversed(row) for row in check_env.check(pins={"keras": "3.15.1"}, where="colab"))
    note = check_env._version_note("keras", "3.13.2", "colab", "3.15.1", "3.13.2")
    assert "with 3.13.2 in the CI run on Colab's versions. Nothing to do." in note
    assert "shown in lesson 05 with your Keras" in note and "make clean" not in note
    assert any("Colab has no Voila" in line or "voila 0" in line for line in rows)


def test_an_untested_version_says_what_to_expect_and_in_a_checkout_how_to_pin():
    note = check_env._version_note("numpy", "9.9.9", "checkout", "2.4.6", "2.1.3")
    assert "tested with 2.4.6 and with Colab's 2.1.3" in note and "the lesson says so" in note
    assert note.endswith("make clean lab installs the pinned version.")


def test_check_env_fails_a_missing_dependency_and_notes_a_missing_front_end(monkeypatch, capsys):
    monkeypatch.setitem(check_env.REQUIRED, "no_such_module_xyz", ("no-such-dist", "a test", None))
    monkeypatch.setattr(check_env, "FRONT_ENDS", {"no-such-front-end": ("make nothing", "elsewhere")})
    rows = dict((line.split()[0].rstrip(":"), status) for status, line in check_env.check())
    assert rows["no-such-dist"] == "FAIL" and rows["no-such-front-end"] == "NOTE"
    failed = check_env.report()
    assert len(failed) == 1 and "cannot import" in failed[0]
    assert "1 problem(s) above" in capsys.readouterr().out


def test_on_colab_a_failure_never_advises_reinstalling(monkeypatch):
    monkeypatch.setitem(check_env.REQUIRED, "no_such_module_xyz", ("keras", "a test", "3"))
    rows = [line for status, line in check_env.check(where="colab") if status == "FAIL"]
    assert rows and all("Do not reinstall keras" in line and "requirements.txt" not in line for line in rows), rows


def test_each_ci_run_is_on_a_python_check_env_calls_tested():
    """check_env calls Python 3.11 and Colab's 3.13 tested: the main CI run is on the first,
    the run on Colab's versions (CMLEARN_TEST_INSTALLED=1, make test-colab) on the second."""
    colab_run = os.environ.get("CMLEARN_TEST_INSTALLED") == "1"
    status, line = check_env.check()[0]
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    if colab_run or os.environ.get("CI"):
        assert minor == (tested_versions.COLAB_PYTHON if colab_run else tested_versions.PYTHON), (minor, colab_run)
        assert status == "OK" and line.endswith("Colab's versions)" if colab_run else "on the pins)"), line
    else:  # a developer's make test may use another Python 3.11+: then it is a NOTE, never an OK
        assert (status == "OK") == (minor in (tested_versions.PYTHON, tested_versions.COLAB_PYTHON)), line


def test_an_untested_python_is_a_note_naming_both_tested_ones():
    pinned, colab = (
        tuple(map(int, v.split("."))) + (0,) for v in (tested_versions.PYTHON, tested_versions.COLAB_PYTHON)
    )
    status, line = check_env._python_row((3, 99, 1))
    assert status == "NOTE" and "nothing proves it" in line
    assert f"Python {tested_versions.PYTHON} (with the pins) and on Colab's {tested_versions.COLAB_PYTHON}" in line
    assert check_env._python_row(pinned)[0] == check_env._python_row(colab)[0] == "OK"
    assert "Colab's Python" in check_env._python_row(colab)[1]
    assert check_env._python_row((3, 10, 12)) == ("FAIL", "python 3.10.12: the pinned packages need 3.11 or newer")
