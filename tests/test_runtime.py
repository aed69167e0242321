"""cmlearn.runtime: where cmlearn runs, and advice that never reinstalls what a no-deps install keeps."""

import pathlib
import re

import pytest

from cmlearn import runtime


def test_place_tells_a_checkout_from_an_install(tmp_path):
    package = tmp_path / "cmlearn"
    package.mkdir()
    assert runtime.place(modules={}, package_dir=package) == "installed"
    (tmp_path / "Makefile").write_text("")
    (tmp_path / "requirements.txt").write_text("")
    assert runtime.place(modules={}, package_dir=package) == "checkout"
    assert runtime.place(modules={"google.colab": object()}, package_dir=package) == "colab"


def test_this_run_knows_where_it_is():
    # make test runs a checkout (editable); make test-colab an installed wheel.
    from notebook_runner import INSTALLED

    assert runtime.place() == ("installed" if INSTALLED else "checkout")


@pytest.mark.parametrize("where", ["colab", "installed"])
@pytest.mark.parametrize(
    "dist", ["tensorflow", "keras", "ipywidgets", "tf-keras", "numpy", "scikit-learn", "matplotlib"]
)
def test_advice_off_a_checkout_never_reinstalls_what_no_deps_keeps(where, dist):
    text = runtime.advice_for(dist, where, major="3")
    assert "make clean" not in text and "-r requirements.txt" not in text
    installs = re.findall(r"pip install ([^.;]*)", text)
    assert not any(re.search(r'(^|[\s"])(tensorflow|keras|ipywidgets)([\s">=]|$)', cmd) for cmd in installs), text
    if dist in runtime.KEPT:
        assert text.startswith(f"Do not reinstall {dist} here")
    assert ("Colab's" in text) == (where == "colab" and dist != "tf-keras"), text


def test_a_checkout_rebuilds_from_the_pins():
    assert runtime.advice_for("keras", "checkout").startswith("Fix: make clean lab")


def test_the_package_knows_its_place_from_its_own_folder():
    assert pathlib.Path(runtime.__file__).parent.name == "cmlearn"
