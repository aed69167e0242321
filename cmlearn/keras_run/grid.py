"""Run Keras's ``AUC`` and "at" metrics and read their count arrays back as Counts.

Both keep the four counts on a grid of thresholds; :mod:`cmlearn.grid_metrics`
rebuilds their ``result()`` from those counts without TensorFlow.

>>> run = keras_auc([0, 0, 1, 1], [0.1, 0.3, 0.35, 0.8], num_thresholds=3)
>>> run.result, run.counts.tp   # counts at -1e-7, 0.5 and 1 + 1e-7
(0.75, array([2., 1., 0.], dtype=float32))
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from cmlearn.counts import Counts
from cmlearn.grid_metrics import AT_METRICS, SUMMATION_METHODS, at_thresholds, auc_thresholds
from cmlearn.keras_run.backend import import_keras
from cmlearn.validation import validate_choice, validate_inputs, validate_number, validate_whole_number

__all__ = ["GridRun", "keras_auc", "keras_at_metric", "auc_by_num_thresholds"]


class GridRun(NamedTuple):
    """A grid metric's ``result()`` and the four count arrays it was computed from."""

    result: float
    counts: Counts


def _largest_class_total(y_true, weights):
    """The larger class total (float64, exact): the grid metrics derive TN and FN from their float32 sums."""
    w = np.ones(len(y_true)) if weights is None else np.asarray(weights, dtype=np.float64)
    positive = np.asarray(y_true).astype(bool)
    return float(max(w[positive].sum(), w[~positive].sum()))


def _grid_run(metric, thresholds, source, largest_exact_sum=None):
    """A metric's ``result()`` and its four count variables, copied out as a :class:`GridRun`."""
    keras = import_keras()

    def array(variable):
        return np.array(keras.ops.convert_to_numpy(variable), dtype=np.float32, copy=True)

    counts = Counts(
        array(metric.true_positives),
        array(metric.false_positives),
        array(metric.true_negatives),
        array(metric.false_negatives),
        thresholds=thresholds,
        source=source,
        largest_exact_sum=largest_exact_sum,
    )
    return GridRun(float(keras.ops.convert_to_numpy(metric.result())), counts)


def keras_auc(y_true, y_pred, num_thresholds=200, summation_method="interpolation", sample_weight=None):
    """``keras.metrics.AUC`` (ROC) after one ``update_state``: its result and its own count arrays.

    The counts are the metric's variables ``true_positives``,
    ``false_positives``, ``true_negatives`` and ``false_negatives``, one
    entry per threshold of its grid (:func:`cmlearn.grid_metrics.auc_thresholds`).

    Examples
    --------
    >>> run = keras_auc([1, 1, 0], [0.9, 0.6, 0.2])
    >>> run.result, len(run.counts)
    (1.0, 200)
    """
    validate_choice(summation_method, "summation_method", SUMMATION_METHODS)
    n = validate_whole_number(num_thresholds, "num_thresholds", minimum=2, example="num_thresholds=200")
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    keras = import_keras()
    metric = keras.metrics.AUC(num_thresholds=n, curve="ROC", summation_method=summation_method, name="auc")
    metric.update_state(y_true, y_pred, sample_weight=weights)
    source = f"keras.metrics.AUC(num_thresholds={n}) variables"
    return _grid_run(metric, auc_thresholds(n), source, _largest_class_total(y_true, weights))


def keras_at_metric(name, value, y_true, y_pred, num_thresholds=200, sample_weight=None):
    """One of Keras's "at" metrics after one ``update_state``: its result and its count arrays.

    ``name`` is ``"sensitivity_at_specificity"``, ``"specificity_at_sensitivity"``,
    ``"precision_at_recall"`` or ``"recall_at_precision"``; ``value`` is the
    bound of the rate it constrains (e.g. the specificity).

    Examples
    --------
    >>> run = keras_at_metric("sensitivity_at_specificity", 0.5, [0, 0, 1, 1], [0.1, 0.6, 0.4, 0.8], num_thresholds=5)
    >>> run.result, run.counts.thresholds
    (1.0, array([0.  , 0.25, 0.5 , 0.75, 1.  ]))
    """
    validate_choice(name, "name", AT_METRICS)
    value = validate_number(value, "value", low=0, high=1, example="value=0.9")
    n = validate_whole_number(num_thresholds, "num_thresholds", minimum=1, example="num_thresholds=200")
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    keras = import_keras()
    metric = getattr(keras.metrics, AT_METRICS[name][0])(value, num_thresholds=n, name=name)
    metric.update_state(y_true, y_pred, sample_weight=weights)
    source = f"keras.metrics.{AT_METRICS[name][0]}(num_thresholds={n}) variables"
    return _grid_run(metric, at_thresholds(n), source, _largest_class_total(y_true, weights))


def auc_by_num_thresholds(y_true, y_pred, num_thresholds=(3, 10, 50, 200, 1000)):
    """Keras's AUC at several grid sizes beside scikit-learn's exact ``roc_auc_score``.

    Returns
    -------
    list of dict
        One row per grid size: ``num_thresholds``, ``keras`` (``AUC.result()``),
        ``sklearn`` and ``difference`` (keras − sklearn).

    Examples
    --------
    >>> rows = auc_by_num_thresholds([0, 0, 1, 1], [0.1, 0.3, 0.35, 0.8], num_thresholds=[3, 200])
    >>> [(r["num_thresholds"], r["keras"], r["sklearn"]) for r in rows]
    [(3, 0.75, 1.0), (200, 1.0, 1.0)]
    """
    from sklearn.metrics import roc_auc_score

    y_true, y_pred, _ = validate_inputs(y_true, y_pred)
    exact = float(roc_auc_score(y_true, y_pred))
    rows = []
    for n in num_thresholds:
        result = keras_auc(y_true, y_pred, num_thresholds=n).result
        rows.append({"num_thresholds": int(n), "keras": result, "sklearn": exact, "difference": result - exact})
    return rows
