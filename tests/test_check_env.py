"""cmlearn.check_env: one line per dependency, and a fix for every FAIL."""


from cmlearn import check_env


def test_check_env_reports_every_dependency():

    rows = check_env.check()
    assert rows[0][1].startswith("python")
    names = " ".join(line for _, line in rows)
    for dist in ("numpy", "keras", "tensorflow", "scikit-learn", "matplotlib", "ipywidgets", "tf-keras", "jupyterlab", "voila"):
        assert dist in names
    assert all(status in ("OK", "NOTE") for status, _ in rows), rows
    off_pin = check_env.check(pins={"numpy": "0.0.1"})
    assert any(status == "NOTE" and "0.0.1" in line for status, line in off_pin)


def test_check_env_fails_a_missing_dependency_and_notes_a_missing_front_end(monkeypatch, capsys):

    monkeypatch.setitem(check_env.REQUIRED, "no_such_module_xyz", ("no-such-dist", "a test", None))
    monkeypatch.setattr(check_env, "FRONT_ENDS", {"no-such-front-end": "make nothing"})
    rows = dict((line.split()[0].rstrip(":"), status) for status, line in check_env.check())
    assert rows["no-such-dist"] == "FAIL" and rows["no-such-front-end"] == "NOTE"
    failed = check_env.report()
    assert len(failed) == 1 and "cannot import" in failed[0]
    assert "1 problem(s) above" in capsys.readouterr().out
