"""Print each dependency as OK or say what is wrong: ``python -m cmlearn.check_env``.

Versions are compared with the ones the bundle is tested with, which ship
inside the package (:mod:`cmlearn.tested_versions`), so the comparison works
wherever cmlearn is installed: a checkout, Colab, a JupyterHub. A version
other than the pinned one is a NOTE that says whether CI tests it too (the
run on Colab's versions) and what to do, which is usually nothing. A FAIL
(missing, or the wrong major version) comes with advice that fits the place
(:mod:`cmlearn.runtime`): rebuild the pinned .venv in a checkout; never
reinstall TensorFlow, Keras or ipywidgets on Colab or in another install.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys

from cmlearn import behaviours, tested_versions
from cmlearn.runtime import advice_for, place

#: The oldest Python the pinned packages install on (numpy, scikit-learn,
#: matplotlib and Keras all require 3.11; tests/test_pins.py checks it).
MIN_PYTHON = (3, 11)

#: import name -> (distribution name, what it is for, required major version or None)
REQUIRED = {
    "numpy": ("numpy", "reference counts", None),
    "keras": ("keras", "the metrics being taught", "3"),
    "tensorflow": ("tensorflow", "Keras's backend", "2"),
    "sklearn": ("scikit-learn", "real data and cross-checks", "1"),
    "matplotlib": ("matplotlib", "plots", "3"),
    "ipywidgets": ("ipywidgets", "sliders and controls", None),
    "anywidget": ("anywidget", "the threshold explorer drawn in the browser", None),
    "tf_keras": ("tf-keras", "Keras 2 beside Keras 3 in lesson 06", "2"),
}

#: Front ends a local set-up needs, and what to say when one is missing (a NOTE, not a FAIL).
FRONT_ENDS = {
    "jupyterlab": ("make lab", "Colab and JupyterHubs bring their own notebook front end"),
    "voila": ("make present", "Colab has no Voila: there, run presenter.ipynb as a notebook"),
}

#: What a version other than the tested ones means for the lessons.
_DIFFERS = (
    "most lessons run the same; where a claim depends on the version, the lesson says so and shows what yours does"
)


def _version_note(dist, version, where, pinned=None, colab=None):
    """The NOTE for a version other than the pinned one."""
    pinned = tested_versions.PINNED.get(dist) if pinned is None else pinned
    colab = tested_versions.COLAB.get(dist) if colab is None else colab
    if version == colab:
        tested = f"tested with {pinned}, and with {colab} in the CI run on Colab's versions"
    elif colab:
        tested = f"tested with {pinned} and with Colab's {colab}"
    else:
        tested = f"tested with {pinned}"
    todo = "nothing to do" if version == colab else _DIFFERS
    if dist == "keras":
        known = behaviours.differences(version, pinned)
        todo += "".join(
            f". Known difference from {pinned}, shown in lesson {behaviours.LESSONS[b]} with your Keras: "
            f"{behaviours.BEHAVIOURS[b][outcome]}"
            for b, outcome in known
        )
    if where == "checkout":
        todo += "; make clean lab installs the pinned version"
    return f"{dist} {version}: the bundle is {tested}. {todo[0].upper()}{todo[1:]}."


def _python_row(version_info):
    """``(status, line)`` for a Python version: tested by one of the CI runs, untested, or too old.

    >>> _python_row((3, 13, 0))
    ('OK', "python 3.13.0 (3.11 or newer needed; Colab's Python, tested in the CI run on Colab's versions)")
    >>> _python_row((3, 10, 12))[0]
    'FAIL'
    """
    needed = ".".join(map(str, MIN_PYTHON))
    python = ".".join(map(str, version_info[:3]))
    minor = ".".join(map(str, version_info[:2]))
    pinned, colab = tested_versions.PYTHON, tested_versions.COLAB_PYTHON
    if tuple(version_info[:2]) < MIN_PYTHON:
        return "FAIL", f"python {python}: the pinned packages need {needed} or newer"
    if minor == pinned:
        return "OK", f"python {python} ({needed} or newer needed; tested in the CI run on the pins)"
    if minor == colab:
        return (
            "OK",
            f"python {python} ({needed} or newer needed; Colab's Python, tested in the CI run on Colab's versions)",
        )
    return "NOTE", (f"python {python}: the bundle is tested on Python {pinned} (with the pins) and on Colab's {colab} "
                    "(with Colab's versions), not on this one; it should run the same, but nothing proves it here.")


def check(pins=None, where=None):
    """Return ``[(status, line)]`` for Python and each dependency.

    ``pins`` (default: the tested versions shipped in the package) maps a
    distribution to its pinned version; ``where`` (default: detected) is one
    of :data:`cmlearn.runtime.PLACES`.

    >>> rows = check()
    >>> rows[0][1].startswith("python"), {status for status, _ in rows} <= {"OK", "NOTE", "FAIL"}
    (True, True)
    """
    pins = tested_versions.PINNED if pins is None else pins
    where = where or place()
    rows = []
    rows.append(_python_row(sys.version_info))
    try:  # first through cmlearn, which keeps TensorFlow's start-up messages off the screen
        from cmlearn.keras_run.backend import import_keras

        import_keras()
    except Exception:  # reported below, with the rest
        pass
    for module, (dist, purpose, major) in REQUIRED.items():
        try:
            version = importlib.import_module(module).__version__
        except Exception as error:  # missing or broken install
            rows.append(
                (
                    "FAIL",
                    f"{dist}: cannot import ({error.__class__.__name__}: {error}). {advice_for(dist, where, major)}",
                )
            )
            continue
        if major and version.split(".")[0] != major:
            rows.append(
                (
                    "FAIL",
                    f"{dist} {version}: the lessons need version {major}.x ({purpose}). "
                    f"{advice_for(dist, where, major)}",
                )
            )
        elif dist in pins and pins[dist] != version:
            rows.append(("NOTE", _version_note(dist, version, where, pins[dist], tested_versions.COLAB.get(dist))))
        else:
            rows.append(("OK", f"{dist} {version} ({purpose})"))
    for dist, (command, elsewhere) in FRONT_ENDS.items():
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            rows.append(("NOTE", f"{dist}: not installed; only `{command}` needs it ({elsewhere})"))
            continue
        rows.append(("OK", f"{dist} {version} (for {command})"))
    return rows


def report(rows=None):
    """Print one line per check; return the lines that failed.

    >>> report([("OK", "numpy 2.4.6 (reference counts)")])
    [ OK ] numpy 2.4.6 (reference counts)
    Environment ready.
    []
    """
    rows = check() if rows is None else rows
    for status, line in rows:
        print(f"[{status:^4}] {line}")
    failed = [line for status, line in rows if status == "FAIL"]
    print("Environment ready." if not failed else f"{len(failed)} problem(s) above; fix them before starting.")
    return failed


def main():
    """Print the report; exit status 1 when anything failed (``python -m cmlearn.check_env``)."""
    return 1 if report() else 0


if __name__ == "__main__":
    sys.exit(main())
