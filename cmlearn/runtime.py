"""Where cmlearn runs, and the advice that fits there: a checkout, Colab, or any other install.

From a checkout (``make lab``) the fix for a broken environment is to rebuild
it from the pins. Anywhere else (Colab, a JupyterHub, a pip install) cmlearn
was installed without its dependencies (``--no-deps``) precisely so that the
runtime's own TensorFlow, Keras and ipywidgets stay as they are: advice there
never reinstalls them. ``check_env`` and ``keras_run.backend`` take their
advice from here.

>>> place(modules={"google.colab": None})
'colab'
>>> "requirements.txt" in advice_for("keras", "checkout")
True
>>> "requirements.txt" in advice_for("keras", "colab")
False
"""

from __future__ import annotations

import pathlib
import sys

__all__ = ["PLACES", "KEPT", "place", "advice_for", "RUNTIME_NAMES"]

#: The places this module tells apart.
PLACES = ("checkout", "colab", "installed")
#: What a no-deps install exists to keep: never advise reinstalling these outside a checkout.
KEPT = ("tensorflow", "keras", "ipywidgets")
#: How the advice names each place's environment.
RUNTIME_NAMES = {"colab": "Colab's runtime", "installed": "this environment", "checkout": ".venv"}


def place(modules=None, package_dir=None):
    """``"colab"``, ``"checkout"`` (the Makefile and requirements.txt beside the package) or ``"installed"``.

    >>> place(modules={}, package_dir=pathlib.Path("/nowhere/cmlearn"))
    'installed'
    """
    modules = sys.modules if modules is None else modules
    if "google.colab" in modules:
        return "colab"
    root = pathlib.Path(package_dir or pathlib.Path(__file__).resolve().parent).parent
    if (root / "Makefile").is_file() and (root / "requirements.txt").is_file():
        return "checkout"
    return "installed"


def advice_for(dist, where=None, major=None):
    """What to do when ``dist`` is missing or has the wrong major version, at ``where``.

    >>> print(advice_for("tensorflow", "colab", major="2"))
    Do not reinstall tensorflow here: cmlearn was installed with --no-deps so that Colab's runtime keeps its own
    TensorFlow, Keras and ipywidgets, and replacing them can break the runtime. Use a runtime that has tensorflow
    2.x (Colab's default one does: Runtime > Disconnect and delete runtime, then run again), or run the bundle from
    a clone with `make lab`, or on Binder.
    """
    where = where or place()
    if where == "checkout":
        return "Fix: make clean lab (rebuilds .venv from the pins), or pip install -r requirements.txt"
    runtime = RUNTIME_NAMES[where]
    if dist in KEPT:
        wanted = f"{dist} {major}.x" if major else dist
        fresh = (
            "Colab's default one does: Runtime > Disconnect and delete runtime, then run again"
            if where == "colab"
            else "ask whoever set up this environment"
        )
        return (
            f"Do not reinstall {dist} here: cmlearn was installed with --no-deps so that {runtime} keeps its own "
            f"TensorFlow, Keras and ipywidgets, and replacing them can break the runtime. Use a runtime that has "
            f"{wanted} ({fresh}), or run the bundle from a clone with `make lab`, or on Binder."
        )
    if dist == "tf-keras":
        return (
            'Fix: %pip install --no-deps "tf-keras==X.Y.*" with X.Y the version of TensorFlow here (tf-keras '
            "follows TensorFlow's minor version; --no-deps leaves TensorFlow as it is)."
        )
    spec = f"{dist}>={major}" if major else dist
    return (
        f'Fix: %pip install "{spec}" (this one package only; not requirements.txt, whose pins would replace '
        f"{runtime}'s TensorFlow, Keras and ipywidgets)."
    )
