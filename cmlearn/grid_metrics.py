"""Keras's threshold-grid metrics rebuilt from their counts: ``AUC`` and the four "at" metrics.

``keras.metrics.AUC`` keeps the four counts, one entry per threshold of an
evenly spaced grid of ``num_thresholds`` (default 200) whose ends are padded
by 1e-7, and integrates the ROC curve those counts draw.
``SensitivityAtSpecificity``, ``SpecificityAtSensitivity``,
``PrecisionAtRecall`` and ``RecallAtPrecision`` keep the four counts on a
grid from 0 to 1 and pick one entry. Both count by bucketing (see
:func:`grid_counts`), not by comparing each score with each threshold, so
their counts equal ``TruePositives`` and its siblings at the same thresholds
only where no score is filed in the wrong bucket (a score one float32 step
above a threshold can be) and, with fractional weights, only up to the order
of float32 additions. Everything here is NumPy, written out from Keras 3's
source (``keras/src/metrics/confusion_metrics.py`` and ``metrics_utils.py``)
with Keras's float32 operations in Keras's order, so that what it computes
is bit-equal to Keras on TensorFlow's CPU (for up to
:data:`~cmlearn.float32.TF_ONE_THREAD_SUM_LIMIT` = 108,387 samples; see
:func:`grid_counts`):

* :func:`auc_thresholds`, :func:`at_thresholds`: the two grids;
* :func:`grid_counts`: the counts Keras keeps on a grid, with its bucketing rule;
* :func:`auc_from_counts`: the area, from count arrays, as ``AUC.result()`` computes it;
* :func:`at_metric_from_counts`: an "at" metric's ``result()`` from its count arrays;
* :func:`keras_style_auc`: both steps at once, without TensorFlow.

>>> y_true, y_pred = [0, 0, 1, 1], [0.1, 0.3, 0.35, 0.8]
>>> keras_style_auc(y_true, y_pred, num_thresholds=200)   # scikit-learn's roc_auc_score: 1.0
1.0
>>> keras_style_auc(y_true, y_pred, num_thresholds=3)     # one inner threshold, 0.5: a coarse trapezoid
0.75
"""

from __future__ import annotations

import numpy as np

from cmlearn.counts import Counts
from cmlearn.float32 import flush_subnormals, tf_sum
from cmlearn.validation import (
    validate_choice,
    validate_counts,
    validate_inputs,
    validate_number,
    validate_whole_number,
)

__all__ = [
    "EPSILON",
    "AT_METRICS",
    "SUMMATION_METHODS",
    "auc_thresholds",
    "at_thresholds",
    "grid_bucket",
    "grid_counts",
    "auc_from_counts",
    "at_metric_rates",
    "at_metric_from_counts",
    "keras_style_auc",
]

#: ``keras.backend.epsilon()``: AUC's grid starts at -EPSILON and ends at 1 + EPSILON.
EPSILON = 1e-7
#: Each "at" metric: (Keras class, the rate constrained to be >= value, the rate maximised).
AT_METRICS = {
    "sensitivity_at_specificity": ("SensitivityAtSpecificity", "specificity", "sensitivity"),
    "specificity_at_sensitivity": ("SpecificityAtSensitivity", "sensitivity", "specificity"),
    "precision_at_recall": ("PrecisionAtRecall", "recall", "precision"),
    "recall_at_precision": ("RecallAtPrecision", "precision", "recall"),
}
#: How ``AUC`` turns two neighbouring curve points into a rectangle's height.
SUMMATION_METHODS = ("interpolation", "minoring", "majoring")


def _interior(num_thresholds):
    return [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]  # Keras's own expression


def auc_thresholds(num_thresholds=200):
    """``AUC(num_thresholds=n)``'s grid: -1e-7, then n − 2 evenly spaced inside (0, 1), then 1 + 1e-7.

    The padded ends make the first threshold count every sample positive and
    the last count none, so the ROC curve runs from (1, 1) to (0, 0).

    >>> auc_thresholds(3)
    array([-1.0000000e-07,  5.0000000e-01,  1.0000001e+00])
    """
    n = validate_whole_number(num_thresholds, "num_thresholds", minimum=2, example="num_thresholds=200")
    return np.array([0.0 - EPSILON, *_interior(n), 1.0 + EPSILON])


def at_thresholds(num_thresholds=200):
    """The "at" metrics' grid: 0, n − 2 evenly spaced inside (0, 1), 1 (no padding; n = 1 gives [0.5]).

    >>> at_thresholds(5)
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    n = validate_whole_number(num_thresholds, "num_thresholds", minimum=1, example="num_thresholds=200")
    return np.array([0.5]) if n == 1 else np.array([0.0, *_interior(n), 1.0])


def grid_bucket(y_pred, num_thresholds):
    """Keras's bucket for each score on an evenly spaced grid: ``ceil(score × (n − 1)) − 1`` in float32.

    A score is counted positive at every grid threshold up to its bucket.
    The product is rounded to float32, so a score one float32 step above a
    threshold can land on a whole number and be filed one bucket low.

    >>> grid_bucket([0.5, 0.51, np.nextafter(np.float32(0.03), np.float32(1))], 101)
    array([49, 50,  2])
    """
    y_pred = np.asarray(y_pred, dtype=np.float32)
    return (np.ceil(y_pred * np.float32(num_thresholds - 1)) - 1).astype(np.int64)


def grid_counts(y_true, y_pred, num_thresholds=200, kind="auc", sample_weight=None):
    """The four counts Keras keeps on its grid, by Keras's bucketing rule (float32).

    On an evenly spaced grid Keras does not compare every score with every
    threshold: it files each score in bucket ``ceil(score × (n − 1)) − 1``
    (computed in float32) and counts it positive at every threshold up to
    its bucket. For AUC (``kind="auc"``) a bucket below 0 becomes 0, so a
    score of exactly 0 is positive at the padded first threshold; for the
    "at" metrics (``kind="at"``) it is dropped, so 0 is negative everywhere.
    The float32 product decides, not ``>``: a score lying on a grid
    threshold is negative there when ``score × (n − 1)`` rounds to a whole
    number, as with ``>``, but can be counted positive when it does not;
    and a score one float32 step above a threshold can be filed below it.

    The arithmetic is Keras's, in float32 and in its order: each bucket adds
    its samples' weights one by one in sample order (TensorFlow's
    ``unsorted_segment_sum``), a reversed cumulative sum gives TP and FP,
    and TN and FN are each class's total (``reduce_sum``, added in
    TensorFlow's CPU order) minus FP and TP. So the four arrays are
    bit-equal to the metric's own variables, fractional weights included,
    for data of up to :data:`~cmlearn.float32.TF_ONE_THREAD_SUM_LIMIT`
    (108,387) samples. On more, TensorFlow splits the class totals between
    its threads, in an order that depends on their number: TP and FP stay
    bit-equal, TN and FN can differ in their last bits.

    Returns
    -------
    Counts
        float32 arrays, one entry per grid threshold, ascending.

    Examples
    --------
    >>> grid_counts([1, 0, 1], [0.5, 0.2, 0.9], num_thresholds=3).tp   # thresholds -1e-7, 0.5, 1 + 1e-7
    array([2., 1., 0.], dtype=float32)
    """
    validate_choice(kind, "kind", ("auc", "at"), what="AUC's padded grid, or the \"at\" metrics' grid")
    thresholds = auc_thresholds(num_thresholds) if kind == "auc" else at_thresholds(num_thresholds)
    n = len(thresholds)
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    # Keras's operations, in its order, in float32 (metrics_utils.py); subnormals flushed as on TensorFlow's CPU.
    y_pred = np.clip(flush_subnormals(y_pred.astype(np.float32)), np.float32(0), np.float32(1))
    label = y_true.astype(bool).astype(np.float32)
    w = np.ones_like(y_pred) if weights is None else flush_subnormals(weights.astype(np.float32))
    true_labels, false_labels = label * w, (np.float32(1) - label) * w
    if n == 1:  # num_thresholds=1: one threshold, 0.5, compared directly, each cell summed (reduce_sum)
        above = y_pred > np.float32(0.5)
        cells = (label > 0) & above, (label == 0) & above, (label == 0) & ~above, (label > 0) & ~above
        counts = [np.array([tf_sum(np.where(cell, w, np.float32(0)))], dtype=np.float32) for cell in cells]
        largest = max(float(np.sum(w[cell], dtype=np.float64)) for cell in cells)
        source = "numpy (Keras's at grid, one threshold)"
        return Counts(*counts, thresholds=thresholds, source=source, largest_exact_sum=largest)
    buckets = grid_bucket(y_pred, n)
    if kind == "auc":
        buckets = np.maximum(buckets, 0)
    kept = buckets >= 0  # unsorted_segment_sum drops a negative bucket
    tp_bucket, fp_bucket = np.zeros(n, np.float32), np.zeros(n, np.float32)
    np.add.at(tp_bucket, buckets[kept], true_labels[kept])  # one by one, in sample order, as TensorFlow's CPU kernel
    np.add.at(fp_bucket, buckets[kept], false_labels[kept])
    tp = np.cumsum(tp_bucket[::-1], dtype=np.float32)[::-1]  # a reversed cumulative sum, in order
    fp = np.cumsum(fp_bucket[::-1], dtype=np.float32)[::-1]
    fn, tn = tf_sum(true_labels) - tp, tf_sum(false_labels) - fp
    largest = float(max(np.sum(true_labels, dtype=np.float64), np.sum(false_labels, dtype=np.float64)))
    source = f"numpy (Keras's {kind} grid, bucketed)"
    return Counts(tp, fp, tn, fn, thresholds=thresholds, source=source, largest_exact_sum=largest)


def _arrays(counts):
    validate_counts(counts, thresholds="sweep")
    return [np.asarray(getattr(counts, k), dtype=np.float32) for k in ("tp", "fp", "tn", "fn")]


def _divide_no_nan(a, b):
    """Keras's ``divide_no_nan``: a / b, and 0 where b is 0 (float32; a subnormal quotient is 0, as on the CPU)."""
    out = np.zeros_like(a, dtype=np.float32)
    np.divide(a, b, out=out, where=b != 0)
    return flush_subnormals(out)


def auc_from_counts(counts, summation_method="interpolation"):
    """The ROC AUC that ``keras.metrics.AUC`` computes from its count arrays.

    From the counts at each grid threshold (ascending), Keras takes the
    curve points x = FPR = FP / (FP + TN) and y = TPR = TP / (TP + FN)
    (``divide_no_nan``: 0/0 is 0), and sums one rectangle per pair of
    neighbouring thresholds: width x[i] − x[i+1], height the mean of y[i]
    and y[i+1] (``"interpolation"``, the trapezoid rule), their minimum
    (``"minoring"``) or their maximum (``"majoring"``). In float32, as Keras,
    and the rectangles are added in the order of TensorFlow's CPU
    ``reduce_sum`` (a NumPy ``np.sum`` of the same terms can differ in the
    last bit), so given the metric's own
    count arrays the result is bit-equal to ``AUC.result()`` (grids of up to
    108,388 thresholds).

    With one class only (every FPR 0, or every TPR 0) every width or height
    is 0, so the area is 0.0 where scikit-learn's ``roc_auc_score`` refuses.

    Parameters
    ----------
    counts : Counts
        A sweep at a grid's thresholds, ascending: ``AUC``'s own variables
        (``true_positives``, ...), or :func:`grid_counts`.
    summation_method : {"interpolation", "minoring", "majoring"}

    Returns
    -------
    float

    Examples
    --------
    >>> c = Counts(np.float32([2, 1, 0]), np.float32([2, 0, 0]), np.float32([0, 2, 2]), np.float32([0, 1, 2]),
    ...            np.array([0, 0.5, 1]))
    >>> auc_from_counts(c)   # points (1, 1), (0, 0.5), (0, 0): 1 × (1 + 0.5) / 2
    0.75
    >>> auc_from_counts(c, "minoring")
    0.5
    """
    validate_choice(summation_method, "summation_method", SUMMATION_METHODS)
    tp, fp, tn, fn = _arrays(counts)
    y = _divide_no_nan(tp, tp + fn)
    x = _divide_no_nan(fp, fp + tn)
    if summation_method == "interpolation":
        heights = flush_subnormals((y[:-1] + y[1:]) / np.float32(2))
    elif summation_method == "minoring":
        heights = np.minimum(y[:-1], y[1:])
    else:
        heights = np.maximum(y[:-1], y[1:])
    return float(tf_sum(flush_subnormals((x[:-1] - x[1:]) * heights)))


def at_metric_rates(counts):
    """The rates the "at" metrics read, one float32 array per name, as Keras divides them.

    ``divide_no_nan``: 0/0 is 0. The one home of that table, for
    :func:`at_metric_from_counts` and the grader.

    >>> c = Counts(np.float32([2, 1]), np.float32([2, 0]), np.float32([0, 2]), np.float32([0, 1]), np.array([0, 0.5]))
    >>> at_metric_rates(c)["specificity"]
    array([0., 1.], dtype=float32)
    """
    tp, fp, tn, fn = _arrays(counts)
    return {
        "sensitivity": _divide_no_nan(tp, tp + fn),
        "recall": _divide_no_nan(tp, tp + fn),
        "specificity": _divide_no_nan(tn, tn + fp),
        "precision": _divide_no_nan(tp, tp + fp),
    }


def at_metric_from_counts(counts, name, value):
    """An "at" metric's ``result()`` from its count arrays.

    ``SensitivityAtSpecificity(value)`` keeps the thresholds whose
    specificity is at least ``value`` and returns the highest sensitivity
    among them; the other three swap the roles (see :data:`AT_METRICS`).
    Rates use ``divide_no_nan`` (0/0 is 0); when no threshold qualifies the
    result is 0.0. Given the metric's own count arrays, the result is
    bit-equal to its ``result()``.

    Parameters
    ----------
    counts : Counts
        A sweep: the metric's own variables, or :func:`grid_counts` with ``kind="at"``.
    name : str
        ``"sensitivity_at_specificity"``, ``"specificity_at_sensitivity"``,
        ``"precision_at_recall"`` or ``"recall_at_precision"``.
    value : float
        The constraint's bound, in [0, 1].

    Examples
    --------
    >>> c = Counts(np.float32([2, 1, 0]), np.float32([2, 0, 0]), np.float32([0, 2, 2]), np.float32([0, 1, 2]),
    ...            np.array([0, 0.5, 1]))
    >>> at_metric_from_counts(c, "sensitivity_at_specificity", 0.9)   # specificity 1 at 0.5 and 1: best TPR 0.5
    0.5
    """
    validate_choice(name, "name", AT_METRICS)
    value = validate_number(value, "value", low=0, high=1, example="value=0.9")
    rate = at_metric_rates(counts)
    _, constrained, dependent = AT_METRICS[name]
    feasible = rate[constrained] >= flush_subnormals(np.float32(value))  # TensorFlow's CPU reads a subnormal as 0
    return float(np.max(np.where(feasible, rate[dependent], np.float32(0)), initial=np.float32(0)))


def keras_style_auc(y_true, y_pred, num_thresholds=200, summation_method="interpolation", sample_weight=None):
    """``keras.metrics.AUC(num_thresholds=...)`` on these data, without TensorFlow.

    :func:`grid_counts` then :func:`auc_from_counts`.

    >>> keras_style_auc([1, 1, 1], [0.2, 0.6, 0.9])   # one class only: 0.0
    0.0
    """
    return auc_from_counts(grid_counts(y_true, y_pred, num_thresholds, "auc", sample_weight), summation_method)
