"""cmlearn.check_env: one line per dependency, a NOTE per version difference, and a fix for every FAIL."""

import importlib.metadata

from cmlearn import check_env, tested_versions


def test_check_env_reports_every_dependency():
    rows = check_env.check()
    assert rows[0][1].startswith("python")
    names = " ".join(line for _, line in rows)
    for dist in ("numpy", "keras", "tensorflow", "scikit-learn", "matplotlib", "ipywidgets", "anywidget", "tf-keras", "jupyterlab", "voila"):
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
