"""Keras's four count metrics: built once here, run, and read back as Counts.

>>> c = keras_counts([0, 1, 0, 1], [0.2, 0.8, 0.6, 0.5])
>>> c.tp, c.fp, c.tn, c.fn  # 0.5 is not > 0.5, so the last sample is a FN
(1.0, 1.0, 1.0, 1.0)
"""

from __future__ import annotations

import numpy as np

from cmlearn.counts import (
    FLOAT32_EXACT_LIMIT,
    KERAS_METRIC_NAMES,
    _exact_counts,
    _package,
    refuse_overflow,
    warn_if_beyond_float32,
)
from cmlearn.keras_run.backend import import_keras
from cmlearn.validation import validate_inputs, validate_text, validate_thresholds

__all__ = [
    "keras_counts",
    "keras_counts_as_given",
    "make_count_metrics",
    "weighted_count_metrics",
    "run_metrics",
    "MAX_CELLS",
]

#: Most (thresholds × samples) cells one ``update_state`` call may compare.
#: Keras tiles the scores once per threshold, so a sweep is run in groups of
#: thresholds to keep that memory bounded; every group sees all the samples
#: in one call, exactly as a learner's own metric would (splitting the
#: samples instead would change the order of float32 additions, and so the
#: last bits of a weighted count). Each call also does some work once per
#: sample, whatever the group's size, so fewer, larger groups use less CPU,
#: at the cost of memory: for a sweep of 101 thresholds over 1,000,000
#: samples, on 2 shared CPU cores, groups of 10 million cells took 0.91 s of
#: CPU (median of 5) against 1.07 s for groups of 5 million, and raised the
#: peak memory by about 200 MB against 115 MB (20 million: 360 MB).
MAX_CELLS = 10_000_000


def make_count_metrics(thresholds=0.5, prefix=""):
    """The four Keras count metrics, named for stable ``History`` keys: the one place they are built.

    >>> [m.name for m in make_count_metrics()]
    ['tp', 'fp', 'tn', 'fn']
    """
    validate_text(prefix, "prefix", example="prefix='weighted_'")
    keras = import_keras()
    return [
        getattr(keras.metrics, cls)(thresholds=thresholds, name=prefix + key) for key, cls in KERAS_METRIC_NAMES.items()
    ]


def weighted_count_metrics(thresholds=0.5, prefix="weighted_"):
    """The four count metrics again, named ``weighted_tp`` ... for ``weighted_metrics=``.

    A metric object must not sit in both ``metrics=`` and
    ``weighted_metrics=``: Keras 3 accepts it without a word, updates it
    twice per batch (once unweighted, once weighted) and reports the sum
    under both names. So the weighted set needs objects of its own, and
    names of its own, since ``History`` keys come from the names.
    :func:`cmlearn.keras_run.models.logistic_model` refuses a shared object.

    >>> [m.name for m in weighted_count_metrics()]
    ['weighted_tp', 'weighted_fp', 'weighted_tn', 'weighted_fn']
    """
    validate_text(prefix, "prefix", empty=False, example="prefix='weighted_'")
    return make_count_metrics(thresholds, prefix)


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

    Every entry of a sweep equals, to the last bit, what a one-threshold
    metric reports at that threshold. A metric holding several thresholds
    sums each threshold's weights as one row of a matrix, and TensorFlow
    may add a row in another order than the single vector of a
    one-threshold metric (it did from 8,193 samples, at sizes that are not
    multiples of 8), which changes the last bits of a float32 sum of
    fractional weights. So when the order can matter (a weight is not a whole number,
    or the weights add up past 2**24, where float32 stops holding every
    whole number), each threshold gets four one-threshold metrics of its
    own; otherwise every sum is an exact whole number in any order, and the
    thresholds share metrics, in groups of :data:`MAX_CELLS`.

    ``sample_weight`` may be one number, or one weight in a list (``[2.0]``);
    either weights every sample alike, as Keras broadcasts it. A count that
    would pass float32's largest number (Keras would report inf) is refused.
    A count that may be inexact comes with a
    :class:`cmlearn.counts.Float32RangeWarning` and ``beyond_float32`` True:
    decided from the inputs, not from Keras's already-rounded counts, so it
    is flagged whenever its exact value (the samples, or the float64 sum of
    the weights, in its cell) is 2**24 or more. 2**24 + 1 positives read
    16,777,216 and are flagged; counts of whole-number weights that are all
    below 2**24 are exact, and are not.

    Examples
    --------
    >>> keras_counts([1, 0, 1], [0.9, 0.3, 0.4], thresholds=[0.35, 0.5]).fn
    array([0., 1.], dtype=float32)
    >>> keras_counts([1, 0], [0.9, 0.3], sample_weight=[0.25, 3]).tn
    3.0
    """
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    values, is_scalar = validate_thresholds(thresholds)
    refuse_overflow(y_true, y_pred, values, weights)
    largest = _largest_exact_count(y_true, y_pred, values, weights)
    unique, inverse = np.unique(values, return_inverse=True)
    descending = [float(t) for t in unique[::-1]]
    if _order_can_matter(y_true, weights):
        size = 1  # one-threshold metrics: each sum added exactly as a learner's own metric adds it
    else:
        size = max(1, MAX_CELLS // len(y_true))
    y_true, y_pred, weights = _as_tensors(y_true, y_pred, weights)
    parts = []
    for start in range(0, len(descending), size):
        group = descending[start : start + size]
        parts.append(run_metrics(make_count_metrics(group[0] if len(group) == 1 else group), y_true, y_pred, weights))
    tp, fp, tn, fn = (np.concatenate([part[k] for part in parts])[::-1][inverse] for k in range(4))
    return warn_if_beyond_float32(_package(tp, fp, tn, fn, values, is_scalar, "keras.metrics", largest))


def _as_tensors(y_true, y_pred, weights):
    """The inputs as float32 tensors, made once for a whole sweep instead of once per ``update_state`` call.

    Keras casts labels, scores and weights to its variables' float32 first
    thing in every call; doing it here once gives each call the same float32
    values (labels are 0 and 1; scores and weights are float32 already), so
    the counts do not change, and a 101-threshold sweep skips 84 copies and
    casts of each array.
    """
    keras = import_keras()
    return tuple(
        None if a is None else keras.ops.convert_to_tensor(np.asarray(a, dtype=np.float32))
        for a in (y_true, y_pred, weights)
    )


def _largest_exact_count(y_true, y_pred, values, weights):
    """The largest exact count (float64) behind Keras's four, from the inputs: whether one may be inexact.

    Keras's float32 counts are already rounded (2**24 + 1 positives read
    2**24), so the decision is made from what Keras was fed: a count is
    never more than its class's total, and only when a class reaches 2**24
    are the exact counts themselves computed.
    """
    w = np.ones(len(y_true)) if weights is None else weights.astype(np.float64)
    positive = y_true.astype(bool)
    largest = float(max(w[positive].sum(), w[~positive].sum()))
    return largest if largest < FLOAT32_EXACT_LIMIT else float(_exact_counts(y_true, y_pred, values, weights).max())


def _order_can_matter(y_true, weights):
    """Could float32 sums of these weights depend on the order of addition?

    Not while every weight is a whole number and all of them add up to at
    most 2**24: every partial sum is then a whole number float32 holds.
    """
    if weights is None:
        return len(y_true) > FLOAT32_EXACT_LIMIT
    return bool(np.any(weights != np.round(weights))) or float(np.sum(weights, dtype=np.float64)) > FLOAT32_EXACT_LIMIT


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


def keras_counts_as_given(y_true, y_pred, thresholds):
    """Keras's four count metrics built with ``thresholds`` exactly as given.

    This is what ``keras.metrics.TruePositives(thresholds=[...])`` (and its
    three siblings) report for one ``update_state`` call. Unlike
    :func:`cmlearn.keras_counts`, nothing is reordered, so when the list is
    three or more evenly spaced thresholds from 0 to 1, Keras takes its
    bucketing shortcut: it files a score under bucket
    ``ceil(y_pred * (n - 1)) - 1`` in float32 (``n`` thresholds), and that
    can put it on the other side of a threshold from a one-threshold metric.
    A score lying exactly on a threshold can land above it, and a score one
    float32 step above a threshold can land below it, although it is not
    tied: on a 101-point grid, 15 of the 99 interior thresholds miscount such
    a score (lesson 02 and ``tests/test_keras_run_metrics.py`` assert it).

    Parameters
    ----------
    y_true : array-like of 0/1 labels
    y_pred : array-like of scores in [0, 1]
    thresholds : list/tuple/array of floats in [0, 1]

    Returns
    -------
    Counts
        float32 arrays, one entry per threshold, in the order given.

    Examples
    --------
    >>> keras_counts_as_given([0, 1, 1], [0.2, 0.6, 0.9], [0.0, 0.5, 1.0]).tp
    array([2., 2., 0.], dtype=float32)
    """
    y_true, y_pred, _ = validate_inputs(y_true, y_pred, None)
    values, is_scalar = validate_thresholds(thresholds)
    if is_scalar:
        raise ValueError(
            f"thresholds must be a list of several thresholds here, but got {thresholds!r}. "
            f"Fix: for one threshold use cmlearn.keras_counts(y_true, y_pred, {thresholds!r})."
        )
    metrics = make_count_metrics([float(t) for t in values])
    tp, fp, tn, fn = run_metrics(metrics, y_true, y_pred)
    return _package(tp, fp, tn, fn, values, False, source="keras.metrics (thresholds as given)")
