"""Small helpers the lesson notebooks call, so the notebooks hold no logic.

:func:`keras_counts_as_given` runs Keras's count metrics with a list of
thresholds exactly as a learner would write it, shortcuts and all;
:func:`disagreements` finds the thresholds where two sweeps differ. Keras is
imported only inside :func:`keras_counts_as_given`.

>>> from cmlearn.counts import numpy_counts
>>> a = numpy_counts([0, 1], [0.3, 0.8], thresholds=[0.2, 0.5])
>>> b = numpy_counts([0, 1], [0.3, 0.8], thresholds=[0.2, 0.5])
>>> disagreements(a, b)
array([], dtype=float64)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from cmlearn.counts import KERAS_METRIC_NAMES, _package
from cmlearn.rates import ALIASES, RATES, format_count, rates
from cmlearn.validation import check_inputs, check_thresholds

__all__ = ["ClaimCheck", "check_claims", "keras_counts_as_given", "disagreements"]

_COUNT_NAMES = (*KERAS_METRIC_NAMES, "actual_positives", "actual_negatives", "predicted_positives", "predicted_negatives", "total")


class ClaimCheck(NamedTuple):
    """One stated number held against the number computed from counts."""

    name: str
    claimed: float
    computed: float
    holds: bool

    def __str__(self):
        verdict = "holds" if self.holds else "WRONG"
        return f"{self.name:>17}: stated {format_count(self.claimed)}, computed {format_count(self.computed)} -> {verdict}"


def check_claims(claims, counts):
    """Hold stated numbers (``{name: value}``) against one threshold's counts.

    Names are counts (``tp``, ``fn``, ``actual_positives``, ...) or rates
    (``fnr``, ``recall``, ...); rates are divided out by :func:`cmlearn.rates`.
    A claim holds when it equals the computed value to float32 precision.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> c = Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5)
    >>> for row in check_claims({"fn": 1, "fnr": 0.25, "tp": 5}, c):
    ...     print(row)
                   fn: stated 1, computed 0 -> WRONG
                  fnr: stated 0.25, computed 0 -> WRONG
                   tp: stated 5, computed 5 -> holds
    """
    if not hasattr(counts, "tp") or np.ndim(counts.thresholds) != 0:
        raise TypeError(
            f"counts must be a Counts at one threshold, but got {counts!r}. "
            f"Fix: cmlearn.keras_counts(y_true, y_pred, thresholds=0.5)."
        )
    known = (*_COUNT_NAMES, *RATES, *ALIASES)
    unknown = [name for name in claims if name not in known]
    if unknown:
        raise ValueError(f"claims has unknown names {unknown}; known: {', '.join(known)}.")
    hand = rates(counts)
    rows = []
    for name, claimed in claims.items():
        computed = float(getattr(counts, name) if name in _COUNT_NAMES else hand[name])
        holds = math.isclose(float(claimed), computed, rel_tol=1e-6, abs_tol=1e-6)
        rows.append(ClaimCheck(name, float(claimed), computed, holds))
    return rows


def keras_counts_as_given(y_true, y_pred, thresholds):
    """Keras's four count metrics built with ``thresholds`` exactly as given.

    This is what ``keras.metrics.TruePositives(thresholds=[...])`` (and its
    three siblings) report for one ``update_state`` call. Unlike
    :func:`cmlearn.keras_counts`, nothing is reordered, so when the list is
    three or more evenly spaced thresholds from 0 to 1, Keras takes its
    bucketing shortcut, and a score lying exactly on a threshold can be
    counted on the other side from a one-threshold metric.

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
    y_true, y_pred, _ = check_inputs(y_true, y_pred, None)
    values, is_scalar = check_thresholds(thresholds)
    if is_scalar:
        raise ValueError(
            f"thresholds must be a list of several thresholds here, but got {thresholds!r}. "
            f"Fix: for one threshold use cmlearn.keras_counts(y_true, y_pred, {thresholds!r})."
        )
    from cmlearn.keras_metrics import make_count_metrics, run_metrics

    metrics = make_count_metrics([float(t) for t in values])
    tp, fp, tn, fn = run_metrics(metrics, y_true, y_pred)
    return _package(tp, fp, tn, fn, values, False, source="keras.metrics (thresholds as given)")


def disagreements(a, b):
    """The thresholds at which two sweeps of counts differ in any count.

    Parameters
    ----------
    a, b : Counts
        Two sweeps over the same thresholds, in the same order.

    Returns
    -------
    numpy.ndarray
        The thresholds (float64) where TP, FP, TN or FN differ; empty if none.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> a = Counts(np.float32([2, 1]), np.float32([1, 0]), np.float32([0, 1]), np.float32([0, 1]), np.array([0.2, 0.6]))
    >>> b = Counts(np.float32([2, 2]), np.float32([1, 0]), np.float32([0, 1]), np.float32([0, 0]), np.array([0.2, 0.6]))
    >>> disagreements(a, b)
    array([0.6])
    """
    for name, counts in (("a", a), ("b", b)):
        if not hasattr(counts, "tp") or np.ndim(counts.thresholds) != 1:
            raise TypeError(
                f"{name} must be a Counts holding a sweep of thresholds, but got {counts!r}. "
                f"Fix: pass e.g. cmlearn.keras_counts(y_true, y_pred, thresholds=[0.1, 0.5, 0.9])."
            )
    ta, tb = np.asarray(a.thresholds, dtype=np.float64), np.asarray(b.thresholds, dtype=np.float64)
    if ta.shape != tb.shape or not np.array_equal(ta.astype(np.float32), tb.astype(np.float32)):
        raise ValueError(
            "a and b must hold the same thresholds in the same order, but they differ. "
            "Fix: count both sweeps with the same thresholds list."
        )
    differ = np.zeros(ta.shape, dtype=bool)
    for key in KERAS_METRIC_NAMES:
        differ |= np.asarray(getattr(a, key)) != np.asarray(getattr(b, key))
    return ta[differ]
