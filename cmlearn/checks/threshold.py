"""Grading a chosen threshold: the cheapest one (:func:`check_threshold_by_cost`), the highest one reaching a rate
(:func:`check_highest_threshold`).

The answer is a threshold picked from the ones offered. The costs come from
:func:`cmlearn.costs.expected_cost`, the rates from :func:`cmlearn.rates`,
the counts (and the ``>=`` tie rule a learner may use) from
:func:`cmlearn.numpy_counts`.

>>> check_threshold_by_cost(3, [0, 1], [0.2, 0.6], [0.3, 0.7], cost_fp=1, cost_fn=5)
❌ Not yet: 3 is not one of the thresholds offered; pick one from thresholds.
Verdict(passed=False)
"""

from __future__ import annotations

import numpy as np

from cmlearn.checks.base import (
    Candidate,
    Tolerance,
    first_match,
    never_raise,
    parse_answer,
    print_verdict,
    rate_key,
    show_number,
    unknown_name,
)
from cmlearn.costs import expected_cost
from cmlearn.counts import numpy_counts
from cmlearn.ratios import ALIASES, RATES, rates
from cmlearn.validation import validate_number, validate_thresholds

__all__ = ["check_threshold_by_cost", "check_highest_threshold"]

#: A threshold given as a number is the offered one it is within this of.
_ON_THE_GRID = 1e-6


def _pick_threshold(answer, grid, extra=()):
    """(index into grid, None), or (None, hint) with the hint of the first ``extra`` candidate it equals."""
    value, problem = parse_answer(answer)
    if problem:
        return None, problem
    close = np.flatnonzero(np.isclose(grid, float(value), rtol=0, atol=_ON_THE_GRID))
    if close.size:
        return int(close[0]), None
    hint = first_match(value, extra, Tolerance(rtol=0, atol=1e-9))
    return None, hint or f"{show_number(value)} is not one of the thresholds offered; pick one from thresholds."


@never_raise
def check_threshold_by_cost(answer, y_true, y_pred, thresholds, cost_fp, cost_fn, sample_weight=None):
    """Check the threshold (from ``thresholds``) with the lowest total cost.

    The cost at a threshold is ``cost_fp * FP + cost_fn * FN``. Any threshold
    that ties for the lowest cost passes.

    Examples
    --------
    >>> y_true, y_pred = [0, 0, 1, 1, 1], [0.1, 0.4, 0.3, 0.6, 0.9]
    >>> check_threshold_by_cost(0.2, y_true, y_pred, [0.2, 0.5], cost_fp=1, cost_fn=10)
    ✅ Correct: threshold 0.2 costs 1·1 + 10·0 = 1, the lowest of the thresholds offered.
    Verdict(passed=True)
    >>> check_threshold_by_cost(0.5, y_true, y_pred, [0.2, 0.5], cost_fp=1, cost_fn=10)
    ❌ Not yet: 0.5 makes the fewest errors (FP + FN), i.e. the best accuracy, but here a false negative costs 10
    and a false positive 1. Minimise cost_fp·FP + cost_fn·FN.
    Verdict(passed=False)
    """
    grid, _ = validate_thresholds(thresholds)
    sweep = numpy_counts(y_true, y_pred, list(grid), sample_weight)
    fp, fn = np.asarray(sweep.fp, dtype=float), np.asarray(sweep.fn, dtype=float)

    def best(a, b):
        cost = expected_cost(sweep, cost_fp=a, cost_fn=b)
        return set(np.flatnonzero(np.isclose(cost, cost.min())).tolist()), cost

    right, cost = best(cost_fp, cost_fn)
    index, problem = _pick_threshold(
        answer,
        grid,
        extra=[
            Candidate(cost.min(), "that is the lowest cost itself; give the threshold that reaches it."),
            Candidate(min(right), "that is the position in thresholds; give thresholds[i], the threshold itself."),
        ],
    )
    if problem:
        return print_verdict(False, problem)
    t = show_number(grid[index])
    a, b = show_number(cost_fp), show_number(cost_fn)
    sum_text = f"{a}·{show_number(fp[index])} + {b}·{show_number(fn[index])} = {show_number(cost[index])}"
    if index in right:
        return print_verdict(True, f"threshold {t} costs {sum_text}, the lowest of the thresholds offered.")
    if index in best(1.0, 1.0)[0]:
        return print_verdict(
            False,
            f"{t} makes the fewest errors (FP + FN), i.e. the best accuracy, but here a false negative costs {b} "
            f"and a false positive {a}. Minimise cost_fp·FP + cost_fn·FN.",
        )
    if index in best(cost_fn, cost_fp)[0]:
        return print_verdict(
            False,
            f"{t} would be best if the costs were the other way round. A false positive costs {a}, "
            f"a false negative {b}.",
        )
    if np.isclose(cost[index], cost.max()) and not np.isclose(cost.max(), cost.min()):
        return print_verdict(False, f"{t} has the highest cost, not the lowest. Minimise cost_fp·FP + cost_fn·FN.")
    return print_verdict(False, f"at {t} the cost is {sum_text}; another threshold costs less.")


def _rates_over(key, y_true, y_pred, grid, sample_weight, ties="negative"):
    """One rate at every threshold offered, float64 (NaN where undefined)."""
    counts = numpy_counts(y_true, y_pred, list(grid), sample_weight, ties=ties)
    return np.asarray(rates(counts)[key], dtype=float)


@never_raise
def check_highest_threshold(rate, answer, y_true, y_pred, thresholds, at_least=0.9, sample_weight=None):
    """Check the highest threshold (from ``thresholds``) whose ``rate`` is at least ``at_least``.

    Like every check that takes a name (:func:`~cmlearn.checks.check_count`,
    :func:`~cmlearn.checks.check_rate`, ...), the name comes first, then the
    answer, the data and the settings.

    Examples
    --------
    >>> y_true, y_pred = [1, 1, 1, 1, 0], [0.9, 0.8, 0.6, 0.3, 0.7]
    >>> check_highest_threshold("recall", 0.5, y_true, y_pred, [0.2, 0.5, 0.7], at_least=0.75)
    ✅ Correct: at threshold 0.5, TPR = 0.750 >= 0.75, and no higher threshold offered reaches it.
    Verdict(passed=True)
    >>> check_highest_threshold("recall", 0.2, y_true, y_pred, [0.2, 0.5, 0.7], at_least=0.75)
    ❌ Not yet: at 0.2, TPR = 1.000 reaches 0.75, but a higher threshold does too (predicting no more positives).
    Look for the highest one.
    Verdict(passed=False)
    """
    key = rate_key(rate)
    if key is None:
        return print_verdict(False, unknown_name("rate", rate, [*RATES, *ALIASES]))
    at_least = validate_number(at_least, "at_least", low=0, high=1, example="at_least=0.9")
    grid, _ = validate_thresholds(thresholds)
    values = _rates_over(key, y_true, y_pred, grid, sample_weight)
    reaches = np.nan_to_num(values, nan=-np.inf) >= at_least
    index, problem = _pick_threshold(answer, grid)
    if problem:
        return print_verdict(False, problem)
    name, t, target = RATES[key].symbol, show_number(grid[index]), show_number(at_least)
    if not reaches.any():
        return print_verdict(False, f"no threshold offered reaches {name} >= {target}.")
    there = f"{name} = {values[index]:.3f}"
    if reaches[index] and np.isclose(grid[index], grid[reaches].max()):
        return print_verdict(
            True, f"at threshold {t}, {there} >= {target}, and no higher threshold offered reaches it."
        )
    if reaches[index]:
        return print_verdict(
            False,
            f"at {t}, {there} reaches {target}, but a higher threshold does too (predicting no more positives). "
            "Look for the highest one.",
        )
    with_ge = np.nan_to_num(_rates_over(key, y_true, y_pred, grid, sample_weight, "positive"), nan=-np.inf)
    reaches_with_ge = with_ge >= at_least
    if reaches_with_ge[index] and np.isclose(grid[index], grid[reaches_with_ge].max()):
        return print_verdict(
            False,
            f"with y_pred >= threshold {t} would do, but Keras predicts positive only when y_pred > threshold, "
            f"so a score equal to {t} is negative and {there} there.",
        )
    return print_verdict(False, f"at {t}, {there}, below {target}. Compute {name} at every threshold offered.")
