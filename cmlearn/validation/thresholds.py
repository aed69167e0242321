"""Thresholds: one number, or an ordered list, each in [0, 1].

A prediction is positive when ``y_pred > threshold``; Keras takes one
threshold or a list and returns one count per threshold, in the order given.

>>> validate_one_threshold(0.5)
0.5
"""

from __future__ import annotations

import numbers

import numpy as np

from cmlearn.validation.samples import _as_array, _first_bad

__all__ = ["validate_thresholds", "validate_one_threshold"]


def validate_thresholds(thresholds):
    """Validate ``thresholds``; return ``(float64 array, is_scalar)``.

    One number gives a scalar result; a list, tuple or 1-D array gives one
    result per threshold, in the order given (as Keras does).

    Examples
    --------
    >>> validate_thresholds(0.5)
    (array([0.5]), True)
    >>> validate_thresholds([0.2, 0.8])
    (array([0.2, 0.8]), False)
    >>> validate_thresholds(50)
    Traceback (most recent call last):
    ...
    ValueError: thresholds must lie in [0, 1], but thresholds[0] is 50. A prediction is positive when y_pred >
    threshold, and scores are in [0, 1]. Fix: give a probability such as 0.5 (for 50%, write 0.5).
    """
    is_scalar = isinstance(thresholds, numbers.Real) or (
        hasattr(thresholds, "ndim") and np.ndim(thresholds) == 0
    )
    if isinstance(thresholds, (set, frozenset, dict)):
        kind = "a dict" if isinstance(thresholds, dict) else "a set"
        raise TypeError(
            f"thresholds must be one number or an ordered list, but got {kind}, {thresholds!r}: it has no "
            f"order, and Keras returns one count per threshold in the order given. "
            f"Fix: pass a list, e.g. thresholds=sorted({thresholds!r})."
        )
    values = _as_array(thresholds, "thresholds")
    if values.dtype == bool:
        raise TypeError(
            f"thresholds must be numbers in [0, 1], not booleans ({thresholds!r}). "
            f"Fix: pass e.g. 0.5 or [0.3, 0.5, 0.7]."
        )
    values = np.atleast_1d(values).astype(np.float64)
    if values.ndim != 1:
        raise ValueError(
            f"thresholds must be one number or a flat list of numbers, but it has shape "
            f"{values.shape}. Fix: pass e.g. 0.5 or [0.3, 0.5, 0.7]."
        )
    if values.size == 0:
        raise ValueError(
            f"thresholds is empty ({thresholds!r}). Keras would return an empty array of counts; cmlearn "
            f"refuses it, as an empty list is nearly always a slip (a filter or range that kept nothing). "
            f"Fix: pass one number such as 0.5, or a non-empty list such as [0.3, 0.5, 0.7]."
        )
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        i = _first_bad(bad)
        shown = np.atleast_1d(np.asarray(thresholds)).ravel()[i]
        shown = shown.item() if hasattr(shown, "item") else shown
        raise ValueError(
            f"thresholds must lie in [0, 1], but thresholds[{i}] is {shown!r}. "
            f"A prediction is positive when y_pred > threshold, and scores are in "
            f"[0, 1]. Fix: give a probability such as 0.5 (for 50%, write 0.5)."
        )
    return values, bool(is_scalar)


def validate_one_threshold(threshold, name="threshold"):
    """Validate a single threshold; return it as a float.

    >>> validate_one_threshold(0.25)
    0.25
    >>> validate_one_threshold([0.2, 0.5])
    Traceback (most recent call last):
    ...
    ValueError: threshold must be one number, but got [0.2, 0.5]. Fix: e.g. threshold=0.5.
    """
    values, is_scalar = validate_thresholds(threshold)
    if not is_scalar:
        raise ValueError(f"{name} must be one number, but got {threshold!r}. Fix: e.g. {name}=0.5.")
    return float(values[0])
