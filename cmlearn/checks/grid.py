"""Grading the threshold-grid metrics: ``AUC`` (:func:`check_keras_auc`) and the "at" metrics (:func:`check_at_metric`).

Everything comes from :mod:`cmlearn.grid_metrics`, which rebuilds these
metrics bit-equal to Keras: the grid counts, the area and its other
summation methods, the "at" metrics' rate table
(:func:`~cmlearn.grid_metrics.at_metric_rates`) and result. The exact area a
learner may expect instead is scikit-learn's ``roc_auc_score``, imported when
a check runs.

>>> check_keras_auc("0.75", [0, 1], [0.2, 0.8])
❌ Not yet: the answer is the text '0.75'. Give a number (e.g. 3, not '3'), computed from the data.
Verdict(passed=False)
"""

from __future__ import annotations

import math

import numpy as np

from cmlearn.checks.base import (
    Candidate,
    Tolerance,
    close_enough,
    first_match,
    never_raise,
    parse_answer,
    print_verdict,
    show_number,
    unknown_name,
)
from cmlearn.float32 import flush_subnormals
from cmlearn.grid_metrics import (
    AT_METRICS,
    at_metric_from_counts,
    at_metric_rates,
    auc_from_counts,
    grid_counts,
    keras_style_auc,
)

__all__ = ["check_keras_auc", "check_at_metric"]

#: Keras's grid metrics are float32 results: an answer rebuilt from the counts is within this.
_GRID_TOLERANCE = Tolerance(rtol=0.0, atol=1e-6)


def _sklearn_auc(y_true, y_pred):
    """scikit-learn's exact ROC AUC, or nan where it is undefined (one class only)."""
    import warnings

    from sklearn.metrics import roc_auc_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(roc_auc_score(y_true, y_pred))
        except ValueError:  # older scikit-learn raises on one class
            return float("nan")


@never_raise
def check_keras_auc(answer, y_true, y_pred, num_thresholds=200):
    """Check ``keras.metrics.AUC(num_thresholds=...)``'s result, computed without Keras.

    The misconceptions recognised: scikit-learn's exact ``roc_auc_score``
    expected from Keras (Keras integrates counts on a grid of
    ``num_thresholds`` thresholds), the minoring or majoring sum for
    Keras's default interpolation, and, with one class only, NaN (what
    scikit-learn gives) where Keras reports 0.0.

    Examples
    --------
    >>> y_true, y_pred = [0, 0, 1, 1], [0.1, 0.3, 0.35, 0.8]
    >>> check_keras_auc(0.75, y_true, y_pred, num_thresholds=3)
    ✅ Correct: Keras's AUC with num_thresholds=3 is 0.7500 here.
    Verdict(passed=True)
    >>> check_keras_auc(1.0, y_true, y_pred, num_thresholds=3)
    ❌ Not yet: 1.0000 is scikit-learn's roc_auc_score, the exact area. Keras's AUC counts TP, FP, TN and FN only
    at its 3 thresholds (-1e-7, evenly spaced inside, 1 + 1e-7) and sums trapezoids between those points, so here
    it is 0.7500. More thresholds need not bring the two closer: Keras gives a positive and a negative that share a
    cell of its grid half credit, whichever is scored higher.
    Verdict(passed=False)
    """
    expected = keras_style_auc(y_true, y_pred, num_thresholds)
    exact = _sklearn_auc(y_true, y_pred)
    value, problem = parse_answer(answer)
    if problem:
        return print_verdict(False, problem)
    if math.isnan(float(value)):
        if math.isnan(exact):
            return print_verdict(
                False,
                "nan is scikit-learn's answer for one class only (with a warning; older versions raise). "
                f"Keras's AUC returns {expected:.1f}: with every TPR or every FPR 0, each trapezoid has no width "
                "or no height.",
            )
        return print_verdict(False, "the answer is nan; Keras's AUC always returns a number.")
    if close_enough(value, expected, _GRID_TOLERANCE):
        return print_verdict(True, f"Keras's AUC with num_thresholds={num_thresholds} is {float(expected):.4f} here.")
    counts = grid_counts(y_true, y_pred, num_thresholds, "auc")
    other_sum = (
        "you took the {} of each pair of neighbouring TPRs (summation_method='{}'). "
        "Keras's default interpolation takes their mean: trapezoids."
    )
    candidates = [
        Candidate(
            exact,
            f"{float(value):.4f} is scikit-learn's roc_auc_score, the exact area. Keras's AUC counts TP, FP, TN and "
            f"FN only at its {num_thresholds} thresholds (-1e-7, evenly spaced inside, 1 + 1e-7) and sums "
            f"trapezoids between those points, so here it is {expected:.4f}. More thresholds need not bring the two "
            f"closer: Keras gives a positive and a negative that share a cell of its grid half credit, whichever "
            f"is scored higher.",
        ),
        Candidate(auc_from_counts(counts, "minoring"), other_sum.format("lower", "minoring")),
        Candidate(auc_from_counts(counts, "majoring"), other_sum.format("higher", "majoring")),
        Candidate(
            -expected,
            "your area is negative: the thresholds go up while FPR goes down, so each width is FPR[i] − FPR[i+1].",
        ),
    ]
    hint = first_match(value, candidates, _GRID_TOLERANCE)
    if hint is None and close_enough(value, expected, Tolerance(rtol=0.0, atol=5e-3)):
        hint = "close, but not Keras's number: use Keras's own grid (auc_thresholds) and its counts, in float32."
    return print_verdict(
        False,
        hint
        or "rebuild it from the counts on Keras's grid: points (FPR, TPR) at each threshold, trapezoids between "
        f"neighbours (num_thresholds={num_thresholds}).",
    )


@never_raise
def check_at_metric(name, answer, counts, value):
    """Check an "at" metric (e.g. ``"sensitivity_at_specificity"``) read from its count arrays.

    Like every check that takes a name, the name comes first, then the
    answer, the data (``counts``: the metric's own variables, or
    :func:`cmlearn.grid_metrics.grid_counts` with ``kind="at"``) and the
    setting (``value``, the constraint's bound).

    The misconceptions recognised: a strict ``>`` in the constraint where
    Keras uses ``>=``, the constrained rate given instead of the one
    maximised, and the worst feasible value instead of the best.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> tp, fp, tn, fn = np.float32([4, 3, 1]), np.float32([4, 1, 0]), np.float32([0, 3, 4]), np.float32([0, 1, 3])
    >>> c = Counts(tp, fp, tn, fn, np.array([0, 0.5, 1]))
    >>> check_at_metric("sensitivity_at_specificity", 0.75, c, 0.75)
    ✅ Correct: SensitivityAtSpecificity(0.75) = 0.7500: the best sensitivity among the thresholds whose
    specificity is >= 0.75.
    Verdict(passed=True)
    >>> check_at_metric("sensitivity_at_specificity", 0.25, c, 0.75)
    ❌ Not yet: you required specificity > 0.75; Keras keeps thresholds where it is >= 0.75.
    Verdict(passed=False)
    """
    if name not in AT_METRICS:
        return print_verdict(False, unknown_name("metric", name, AT_METRICS))
    expected = at_metric_from_counts(counts, name, value)  # validates counts and value
    got, problem = parse_answer(answer)
    if problem:
        return print_verdict(False, problem)
    cls, constrained, dependent = AT_METRICS[name]
    bound = show_number(value)
    if close_enough(got, expected, _GRID_TOLERANCE):
        return print_verdict(
            True,
            f"{cls}({bound}) = {expected:.4f}: the best {dependent} among the thresholds whose {constrained} "
            f"is >= {bound}.",
        )
    rate = at_metric_rates(counts)
    bound32 = flush_subnormals(np.float32(value))  # as at_metric_from_counts and Keras compare it
    feasible = rate[constrained] >= bound32
    strict = rate[constrained] > bound32
    candidates = []
    if strict.any():
        candidates.append(
            Candidate(
                rate[dependent][strict].max(),
                f"you required {constrained} > {bound}; Keras keeps thresholds where it is >= {bound}.",
            )
        )
    if feasible.any():
        best = int(np.flatnonzero(feasible & (rate[dependent] == rate[dependent][feasible].max()))[0])
        candidates.append(
            Candidate(
                rate[constrained][best],
                f"that is the {constrained} at the chosen threshold, the constraint; {cls} returns the {dependent} "
                "there.",
            )
        )
        candidates.append(
            Candidate(
                rate[dependent][feasible].min(),
                f"that is the lowest {dependent} among the thresholds that qualify; Keras returns the highest.",
            )
        )
    hint = first_match(got, candidates, _GRID_TOLERANCE)
    return print_verdict(
        False,
        hint
        or f"at each threshold compute {constrained} and {dependent} from the counts; keep thresholds whose "
        f"{constrained} >= {bound}; return the largest {dependent} (0.0 if none).",
    )
