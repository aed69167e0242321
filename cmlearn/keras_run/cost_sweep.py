"""Sweep thresholds with Keras's own counts and pick the one whose mistakes cost least.

The arithmetic is :func:`cmlearn.costs.cheapest_threshold`; this module only counts.
"""

from __future__ import annotations

import numpy as np

from cmlearn.costs import cheapest_threshold
from cmlearn.counts import numpy_counts
from cmlearn.keras_run.metrics import keras_counts
from cmlearn.validation import validate_choice, validate_cost

__all__ = ["threshold_by_cost"]


def threshold_by_cost(y_true, y_pred, thresholds, cost_fp, cost_fn, sample_weight=None, count_with="keras"):
    """Sweep ``thresholds`` and pick the one whose mistakes cost least.

    Parameters
    ----------
    y_true, y_pred, sample_weight
        As for :func:`cmlearn.keras_counts` (validated the same way).
    thresholds : list or array of floats in [0, 1]
        The candidates, e.g. ``np.linspace(0, 1, 101)``.
    cost_fp, cost_fn : float >= 0, not both 0
    count_with : {"keras", "numpy"}
        Count with Keras's own metrics (default) or with the NumPy reference;
        both give the same counts.

    Returns
    -------
    CostChoice

    Examples
    --------
    >>> choice = threshold_by_cost([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], [0.3, 0.5, 0.7], cost_fp=1, cost_fn=5)
    >>> choice.threshold, choice.costs, choice.counts.source
    (0.3, array([1., 6., 5.]), 'keras.metrics')
    """
    validate_cost(cost_fp, "cost_fp")  # before counting: a bad cost fails fast
    validate_cost(cost_fn, "cost_fn")
    counters = {"keras": keras_counts, "numpy": numpy_counts}
    count = counters[validate_choice(count_with, "count_with", tuple(counters))]
    # Even one candidate is passed as a list, so the result is always a sweep.
    if np.ndim(thresholds) == 0 and not isinstance(thresholds, (str, bytes)):
        thresholds = [thresholds]
    counts = count(y_true, y_pred, thresholds=thresholds, sample_weight=sample_weight)
    return cheapest_threshold(counts, cost_fp, cost_fn)
