"""Counts from Keras's own metric objects.

This is the only core module that runs Keras, and it imports Keras only
when called, so ``import cmlearn`` stays light.

>>> c = keras_counts([0, 1, 0, 1], [0.2, 0.8, 0.6, 0.5])
>>> c.tp, c.fp, c.tn, c.fn  # 0.5 is not > 0.5, so the last sample is a FN
(1.0, 1.0, 1.0, 1.0)
"""

from __future__ import annotations

import contextlib
import os
import sys

import numpy as np

from cmlearn.counts import KERAS_METRIC_NAMES, _package
from cmlearn.validation import check_inputs, check_thresholds

__all__ = ["keras_counts", "import_keras", "make_count_metrics", "run_metrics", "MAX_CELLS"]

#: Most (thresholds × samples) cells one ``update_state`` call may compare.
#: Keras tiles the scores once per threshold, so a sweep is run in groups of
#: thresholds to keep that memory bounded; every group sees all the samples
#: in one call, exactly as a learner's own metric would (splitting the
#: samples instead would change the order of float32 additions, and so the
#: last bits of a weighted count).
MAX_CELLS = 20_000_000


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
            raise ImportError(
                f"cmlearn runs Keras's own metrics, but Keras could not be imported ({error}). "
                f"Fix: install the pinned packages (make lab, or pip install -r requirements.txt); "
                f"if KERAS_BACKEND is set to a backend that is not installed "
                f"(now {os.environ.get('KERAS_BACKEND', 'unset')!r}), unset it to use TensorFlow."
            ) from None
    import keras

    return keras


def make_count_metrics(thresholds=0.5):
    """The four Keras count metrics, named for stable ``History`` keys.

    >>> [m.name for m in make_count_metrics()]
    ['tp', 'fp', 'tn', 'fn']
    """
    keras = import_keras()
    return [getattr(keras.metrics, cls)(thresholds=thresholds, name=key) for key, cls in KERAS_METRIC_NAMES.items()]


def keras_counts(y_true, y_pred, thresholds=0.5, sample_weight=None):
    """Run real ``keras.metrics`` count objects and return their results.

    Parameters
    ----------
    y_true : array-like of 0/1 labels, shape (N,) or (N, 1)
        Lists, NumPy arrays and tensors of bool, int or float dtype.
    y_pred : array-like of scores in [0, 1], shape (N,) or (N, 1)
    thresholds : float, or list/tuple/array of floats in [0, 1]
        A sample is predicted positive iff ``y_pred > threshold``.
    sample_weight : None, a number, or array-like of shape (N,)

    Returns
    -------
    Counts
        With one threshold, ``.tp .fp .tn .fn`` are Python floats equal to each
        metric's ``result()``. With several, float32 arrays in the order given;
        each entry equals what a one-threshold metric gives at that threshold.

    Notes
    -----
    Given three or more evenly spaced thresholds from 0 to 1, Keras switches
    to a bucketing shortcut that can put a score lying exactly on a threshold
    on the other side from a one-threshold metric. Here every threshold is
    handed to Keras once, in descending order, which keeps Keras on its exact
    ``y_pred > threshold`` comparison; results come back in your order.
    Thresholds go to Keras in groups (:data:`MAX_CELLS`), and each group gets
    all the samples in one ``update_state`` call, so even a count of
    fractional weights equals a one-threshold metric's to the last bit.

    Examples
    --------
    >>> keras_counts([1, 0, 1], [0.9, 0.3, 0.4], thresholds=[0.35, 0.5]).fn
    array([0., 1.], dtype=float32)
    >>> keras_counts([1, 0], [0.9, 0.3], sample_weight=[0.25, 3]).tn
    3.0
    """
    y_true, y_pred, weights = check_inputs(y_true, y_pred, sample_weight)
    values, is_scalar = check_thresholds(thresholds)
    unique, inverse = np.unique(values, return_inverse=True)
    descending = [float(t) for t in unique[::-1]]
    size = max(1, MAX_CELLS // len(y_true))
    parts = []
    for start in range(0, len(descending), size):
        group = descending[start : start + size]
        parts.append(run_metrics(make_count_metrics(group[0] if len(group) == 1 else group), y_true, y_pred, weights))
    tp, fp, tn, fn = (np.concatenate([part[k] for part in parts])[::-1][inverse] for k in range(4))
    return _package(tp, fp, tn, fn, values, is_scalar, source="keras.metrics")


def run_metrics(metrics, y_true, y_pred, sample_weight=None):
    """Feed checked data to Keras metric objects; return their results as arrays.

    Each metric gets all the samples in one ``update_state`` call, as a
    learner's own metric would. Each result is a 1-D float32 copy, one entry
    per threshold.

    >>> run_metrics(make_count_metrics([0.3, 0.6]), np.float32([1, 0]), np.float32([0.5, 0.2]))[0]
    array([1., 0.], dtype=float32)
    """
    keras = import_keras()
    for metric in metrics:
        metric.update_state(y_true, y_pred, sample_weight=sample_weight)
    # Copy: on TensorFlow, result() can be the live variable itself.
    return [
        np.atleast_1d(np.array(keras.ops.convert_to_numpy(m.result()), dtype=np.float32, copy=True)) for m in metrics
    ]
