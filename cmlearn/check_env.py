"""Print each dependency as OK or say what is wrong: ``python -m cmlearn.check_env``.

Versions are compared with the bundle's pins (``requirements.txt``) when
cmlearn runs from a checkout; elsewhere (Colab, a JupyterHub) a different
version is reported as a note, not a failure, as long as the major version
the lessons rely on is there.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pathlib
import re
import sys

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

#: What to do about any FAIL: rebuild the pinned environment from scratch.
FIX = "Fix: make clean lab (rebuilds .venv from the pins), or pip install -r requirements.txt"

#: Front ends: a local set-up needs them, but Colab and JupyterHubs bring their
#: own, so a missing one is a NOTE, not a FAIL.
FRONT_ENDS = {"jupyterlab": "make lab", "voila": "make present"}


def read_pins(path=None):
    """``{distribution: version}`` from requirements.txt, or ``{}`` if absent.

    >>> pins = read_pins()
    >>> isinstance(pins, dict)
    True
    """
    path = pathlib.Path(path) if path else pathlib.Path(__file__).resolve().parent.parent / "requirements.txt"
    if not path.exists():
        return {}
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)==([^\s#;]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def check(pins=None):
    """Return ``[(status, line)]`` for Python and each dependency.

    >>> rows = check()
    >>> rows[0][1].startswith("python"), {status for status, _ in rows} <= {"OK", "NOTE", "FAIL"}
    (True, True)
    """
    pins = read_pins() if pins is None else pins
    rows = []
    ok_python = sys.version_info >= MIN_PYTHON
    needed = ".".join(map(str, MIN_PYTHON))
    rows.append(("OK" if ok_python else "FAIL", f"python {sys.version.split()[0]} ({needed} or newer needed)"))
    try:  # first through cmlearn, which keeps TensorFlow's start-up messages off the screen
        from cmlearn.keras_run.backend import import_keras

        import_keras()
    except Exception:  # reported below, with the rest
        pass
    for module, (dist, purpose, major) in REQUIRED.items():
        try:
            version = importlib.import_module(module).__version__
        except Exception as error:  # missing or broken install
            rows.append(("FAIL", f"{dist}: cannot import ({error.__class__.__name__}: {error}). {FIX}"))
            continue
        if major and version.split(".")[0] != major:
            rows.append(("FAIL", f"{dist} {version}: the lessons need version {major}.x ({purpose}). {FIX}"))
        elif dist in pins and pins[dist] != version:
            rows.append(("NOTE", f"{dist} {version}: the bundle is tested with {pins[dist]} ({purpose})"))
        else:
            rows.append(("OK", f"{dist} {version} ({purpose})"))
    for dist, command in FRONT_ENDS.items():
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            rows.append(("NOTE", f"{dist}: not installed; only `{command}` needs it (Colab and JupyterHubs bring their own)"))
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
