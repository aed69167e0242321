"""Real Keras count metrics on several output columns: per class (or label), or flattened on purpose.

cmlearn's other functions refuse an (N, K) ``y_pred``, because Keras's
``TruePositives``, ``FalsePositives``, ``TrueNegatives`` and
``FalseNegatives`` would flatten it silently. These two functions take it,
and say in their names what they count.

>>> y_true = [[1, 0], [0, 1], [0, 1]]
>>> y_pred = [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3]]
>>> keras_counts_flattened(y_true, y_pred)
Counts(tp=2.0, fp=1.0, tn=2.0, fn=1.0, thresholds=0.5)
>>> keras_counts_per_column(y_true, y_pred)[1]
Counts(tp=1.0, fp=0.0, tn=1.0, fn=1.0, thresholds=0.5)
"""

from __future__ import annotations

import numpy as np

from cmlearn.counts import _package
from cmlearn.keras_run.metrics import keras_counts, make_count_metrics, run_metrics
from cmlearn.validation import validate_columns, validate_thresholds

__all__ = ["keras_counts_per_column", "keras_counts_flattened"]


def keras_counts_per_column(y_true, y_pred, thresholds=0.5, sample_weight=None):
    """One Counts per column, each from Keras's own four count metrics fed that column alone.

    Column ``k`` is class (or label) ``k`` as a binary problem of its own,
    "is it k, or not?": its four counts add up to N, and its TN holds only
    the samples that are not k and were not scored above the threshold for
    k. This is what ``TruePositives`` would need a ``class_id`` for; it has
    none, so each column is sliced (``y_true[:, k]``, ``y_pred[:, k]``)
    and counted by :func:`cmlearn.keras_counts`.

    Parameters
    ----------
    y_true : array-like of 0/1, shape (N, K), K >= 2 (one-hot or multi-label)
    y_pred : array-like of scores in [0, 1], shape (N, K) (softmax or sigmoid outputs)
    thresholds : float or list of floats in [0, 1]
    sample_weight : None, a number, or one weight per sample, shape (N,)

    Returns
    -------
    list of Counts, one per column, in column order

    Examples
    --------
    >>> per_class = keras_counts_per_column([[1, 0, 0], [0, 0, 1]], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    >>> [c.total for c in per_class]   # each column counts every sample once
    [2.0, 2.0, 2.0]
    """
    y_true, y_pred, weights = validate_columns(y_true, y_pred, sample_weight)
    validate_thresholds(thresholds)
    return [keras_counts(y_true[:, k], y_pred[:, k], thresholds, weights) for k in range(y_true.shape[1])]


def keras_counts_flattened(y_true, y_pred, thresholds=0.5, sample_weight=None):
    """Keras's four count metrics fed the whole (N, K) arrays, as a model with K outputs would.

    Keras flattens both arrays and counts every one of the N × K cells as a
    binary decision (a sample's weight goes to each cell of its row). The
    result is the sum of the per-column counts of
    :func:`keras_counts_per_column`: a one-vs-rest micro count. With one-hot
    labels the four add up to K × N and TN holds the K − 1 other classes of
    every sample, so it is no class's TN. With a 2-unit softmax the columns
    mirror each other, TP = TN and FP = FN (not a bug: the same decisions
    counted twice), except that each row with neither column above the
    threshold (in float32, softmax can give [0.49999997, 0.5]) adds one FN
    and one TN: TN − TP = FN − FP = the number of such rows
    (:func:`cmlearn.columns.numpy_counts_flattened`).

    The thresholds reach Keras in descending order, one group per call, as
    in :func:`cmlearn.keras_counts`, so Keras compares every cell with
    ``y_pred > threshold`` (no bucketing shortcut).

    Parameters
    ----------
    y_true, y_pred, thresholds, sample_weight
        As for :func:`keras_counts_per_column`.

    Returns
    -------
    Counts
        With one threshold, floats; with several, float32 arrays in the order given.

    Examples
    --------
    >>> c = keras_counts_flattened([[1, 0], [0, 1]], [[0.9, 0.1], [0.6, 0.4]])
    >>> c.tp == c.tn, c.fp == c.fn, c.total
    (True, True, 4.0)
    """
    y_true, y_pred, weights = validate_columns(y_true, y_pred, sample_weight)
    values, is_scalar = validate_thresholds(thresholds)
    unique, inverse = np.unique(values, return_inverse=True)
    descending = [float(t) for t in unique[::-1]]
    parts = [run_metrics(make_count_metrics(t), y_true, y_pred, weights) for t in descending]
    tp, fp, tn, fn = (np.concatenate([part[k] for part in parts])[::-1][inverse] for k in range(4))
    return _package(tp, fp, tn, fn, values, is_scalar, source="keras.metrics (every cell, flattened)")
