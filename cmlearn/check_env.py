"""Print each dependency as OK or say what is wrong: ``python -m cmlearn.check_env``.

Versions are compared with the bundle's pins (``requirements.txt``) when
cmlearn runs from a checkout; elsewhere (Colab, a JupyterHub) a different
version is reported as a note, not a failure, as long as the major version
the lessons rely on is there.
"""

from __future__ import annotations

import importlib
import pathlib
import re
import sys

#: import name -> (distribution name, what it is for, required major version or None)
REQUIRED = {
    "numpy": ("numpy", "reference counts", None),
    "keras": ("keras", "the metrics being taught", "3"),
    "tensorflow": ("tensorflow", "Keras's backend", "2"),
    "sklearn": ("scikit-learn", "real data and cross-checks", "1"),
    "matplotlib": ("matplotlib", "plots", "3"),
    "ipywidgets": ("ipywidgets", "sliders and controls", None),
}


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
    """Return ``[(status, line)]`` for Python and each dependency."""
    pins = read_pins() if pins is None else pins
    rows = []
    ok_python = sys.version_info >= (3, 10)
    rows.append(("OK" if ok_python else "FAIL", f"python {sys.version.split()[0]} (3.10 or newer needed)"))
    for module, (dist, purpose, major) in REQUIRED.items():
        try:
            version = importlib.import_module(module).__version__
        except Exception as error:  # missing or broken install
            rows.append(("FAIL", f"{dist}: cannot import ({error.__class__.__name__}: {error}). Fix: make lab, or pip install -r requirements.txt"))
            continue
        if major and version.split(".")[0] != major:
            rows.append(("FAIL", f"{dist} {version}: the lessons need version {major}.x ({purpose})"))
        elif dist in pins and pins[dist] != version:
            rows.append(("NOTE", f"{dist} {version}: the bundle is tested with {pins[dist]} ({purpose})"))
        else:
            rows.append(("OK", f"{dist} {version} ({purpose})"))
    return rows


def main():
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    rows = check()
    for status, line in rows:
        print(f"[{status:^4}] {line}")
    failed = [line for status, line in rows if status == "FAIL"]
    print("Environment ready." if not failed else f"{len(failed)} problem(s) above; fix them before starting.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
