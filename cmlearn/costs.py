"""What mistakes cost: an expected cost needs counts, not rates.

A false negative (a missed tumour) and a false positive (a needless
biopsy) rarely cost the same. The bill for a data set is
``cost_fp * FP + cost_fn * FN``: it grows with the **counts**, so it can
only be written with counts, and picking the threshold that makes it
smallest is a sweep over thresholds. The arithmetic here is plain NumPy on
:class:`~cmlearn.counts.Counts`; :func:`cmlearn.keras_run.threshold_by_cost`
counts a sweep with Keras and hands it to :func:`cheapest_threshold`.

>>> from cmlearn.counts import Counts
>>> c = Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5)
>>> expected_cost(c, cost_fp=1, cost_fn=10)  # 1 FP at 1 + 0 FN at 10
1.0
>>> expected_cost(c, cost_fp=1, cost_fn=10, per_sample=True)  # over 10 samples
0.1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmlearn.counts import Counts
from cmlearn.validation import validate_cost, validate_counts

__all__ = ["expected_cost", "cheapest_threshold", "CostChoice", "plot_costs"]


def expected_cost(counts, cost_fp, cost_fn, per_sample=False):
    """The total (or per-sample) cost of the mistakes in ``counts``.

    Parameters
    ----------
    counts : Counts
        One threshold or a sweep (then the result has one entry per threshold).
    cost_fp, cost_fn : float >= 0
        What one false positive and one false negative cost.
    per_sample : bool
        Divide by ``counts.total``: the average cost of one sample, which
        (unlike the total) does not grow with the size of the data.

    Returns
    -------
    float, or float64 array for a sweep

    Examples
    --------
    >>> from cmlearn.counts import numpy_counts
    >>> sweep = numpy_counts([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], thresholds=[0.3, 0.5])
    >>> expected_cost(sweep, cost_fp=1, cost_fn=5)  # 0.3: one FP; 0.5: one FP and one FN
    array([1., 6.])
    >>> expected_cost(sweep, cost_fp=-1, cost_fn=5)
    Traceback (most recent call last):
    ...
    ValueError: cost_fp must be a finite number >= 0, but got -1. A cost is what one mistake of that kind costs you; a
    benefit is not a negative cost here. Fix: e.g. cost_fp=1.0.
    """
    counts = validate_counts(counts)
    cost_fp = validate_cost(cost_fp, "cost_fp")
    cost_fn = validate_cost(cost_fn, "cost_fn")
    # float64: a float32 count times a large cost must not lose digits.
    cost = cost_fp * np.asarray(counts.fp, dtype=np.float64) + cost_fn * np.asarray(counts.fn, dtype=np.float64)
    if per_sample:
        total = np.asarray(counts.total, dtype=np.float64)
        if np.any(total == 0):
            raise ValueError(
                "per_sample=True divides by counts.total, but it is 0 (every sample has weight 0). "
                "Fix: use per_sample=False, or give some samples a positive weight."
            )
        cost = cost / total
    return float(cost) if cost.ndim == 0 else cost


@dataclass(frozen=True)
class CostChoice:
    """The threshold with the smallest expected cost, and the sweep behind it.

    Attributes
    ----------
    threshold : float
        The chosen threshold (the first of any tied ones, in the order given).
    cost : float
        Its total cost, ``cost_fp * FP + cost_fn * FN``.
    index : int
        Its position in ``thresholds``.
    costs : float64 array
        The total cost at every threshold, in the order given.
    counts : Counts
        The sweep of counts the costs were computed from.
    """

    threshold: float
    cost: float
    index: int
    costs: np.ndarray
    counts: Counts


def cheapest_threshold(counts, cost_fp, cost_fn):
    """Pick, from a sweep of counts, the threshold whose mistakes cost least.

    Parameters
    ----------
    counts : Counts
        A sweep, e.g. ``keras_counts(y_true, y_pred, thresholds=np.linspace(0, 1, 101))``;
        one threshold is taken as a sweep of one.
    cost_fp, cost_fn : float >= 0, not both 0

    Returns
    -------
    CostChoice

    Examples
    --------
    >>> from cmlearn.counts import numpy_counts
    >>> sweep = numpy_counts([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], thresholds=[0.3, 0.5, 0.7])
    >>> choice = cheapest_threshold(sweep, cost_fp=1, cost_fn=5)
    >>> choice.threshold, choice.cost, choice.costs
    (0.3, 1.0, array([1., 6., 5.]))
    >>> cheapest_threshold(sweep, cost_fp=10, cost_fn=1).threshold
    0.7
    """
    counts = validate_counts(counts)
    cost_fp = validate_cost(cost_fp, "cost_fp")
    cost_fn = validate_cost(cost_fn, "cost_fn")
    if cost_fp == 0 and cost_fn == 0:
        raise ValueError(
            "cost_fp and cost_fn are both 0, so every threshold costs nothing and none is best. "
            "Fix: give at least one kind of mistake a positive cost."
        )
    costs = np.atleast_1d(expected_cost(counts, cost_fp, cost_fn))
    index = int(np.argmin(costs))
    return CostChoice(
        threshold=float(np.atleast_1d(counts.thresholds)[index]),
        cost=float(costs[index]),
        index=index,
        costs=costs,
        counts=counts,
    )


def plot_costs(choice, reference=0.5):
    """Draw a :class:`CostChoice`: total cost against threshold, the minimum marked.

    The figure only draws ``choice.costs``; ``reference`` (e.g. the default
    0.5) is marked for comparison if it is one of the swept thresholds.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(choice, CostChoice):
        raise TypeError(
            f"choice must be a CostChoice from threshold_by_cost, but got {type(choice).__name__}. "
            f"Fix: pass what threshold_by_cost or cheapest_threshold returned, e.g. plot_costs(choice)."
        )
    import matplotlib.pyplot as plt

    from cmlearn.style import CURVE_COLOR, POINT_COLOR, THRESHOLD_COLOR

    thresholds = np.atleast_1d(choice.counts.thresholds)
    fig, ax = plt.subplots(figsize=(6, 3.2), constrained_layout=True)
    ax.plot(thresholds, choice.costs, color=CURVE_COLOR, label="total cost")
    ax.plot([choice.threshold], [choice.cost], "o", color=POINT_COLOR,
            label=f"cheapest: threshold {choice.threshold:g}, cost {choice.cost:g}")
    at = np.flatnonzero(np.isclose(thresholds, reference))
    if at.size:
        ax.axvline(reference, color=THRESHOLD_COLOR, linestyle="--",
                   label=f"threshold {reference:g}: cost {choice.costs[at[0]]:g}")
    ax.set(xlabel="threshold", ylabel="cost_fp·FP + cost_fn·FN")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return fig
