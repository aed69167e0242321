"""The one place cmlearn imports Keras (and TensorFlow under it), quietly.

Every module of :mod:`cmlearn.keras_run` gets Keras from :func:`import_keras`
when a function runs, so importing cmlearn, its widgets or this subpackage
starts no TensorFlow.
"""

from __future__ import annotations

import contextlib
import os
import sys

from cmlearn.runtime import advice_for

__all__ = ["import_keras", "import_tensorflow"]


@contextlib.contextmanager
def _native_stderr_silenced():
    """Send C-level writes to stderr (TensorFlow's start-up banners) to /dev/null."""
    sys.stderr.flush()
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def import_keras():
    """Import Keras (TensorFlow backend) without TensorFlow's start-up noise.

    The counts taught here need no GPU, so unless you set
    ``CUDA_VISIBLE_DEVICES`` yourself (or run on Colab), TensorFlow is kept on
    the CPU, which also silences its GPU probing messages. A failed import
    becomes an ``ImportError`` that says how to fix it.

    >>> import_keras().metrics.TrueNegatives.__name__
    'TrueNegatives'
    """
    if "keras" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        if "google.colab" not in sys.modules:
            os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
        try:
            with _native_stderr_silenced():  # importing Keras starts TensorFlow
                import keras
        except (ImportError, ValueError) as error:  # ValueError: KERAS_BACKEND names no backend Keras knows
            backend = os.environ.get("KERAS_BACKEND", "unset")
            advice = advice_for("keras", major="3").removeprefix("Fix: ")
            raise ImportError(
                f"cmlearn runs Keras's own metrics, but Keras could not be imported ({error}). Fix: if "
                f"KERAS_BACKEND names a backend that is not installed (now {backend!r}), unset it to use "
                f"TensorFlow. Otherwise: {advice}"
            ) from None
    import keras

    return keras


def import_tensorflow():
    """TensorFlow itself, started quietly through :func:`import_keras` (its backend).

    >>> import_tensorflow().__name__
    'tensorflow'
    """
    import_keras()
    import tensorflow

    return tensorflow
