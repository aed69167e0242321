"""The four confusion-matrix counts, and a plain NumPy reference for them.

:class:`Counts` holds what Keras's ``TruePositives``, ``FalsePositives``,
``TrueNegatives`` and ``FalseNegatives`` return: **counts** (sums of sample
weights), never fractions. :func:`numpy_counts` writes Keras's rule out by
hand, without TensorFlow, so that every Keras number can be checked against
an independent one.

>>> c = numpy_counts([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.6])
>>> c
Counts(tp=1.0, fp=1.0, tn=1.0, fn=1.0, thresholds=0.5)
>>> c.matrix
array([[1., 1.],
       [1., 1.]], dtype=float32)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmlearn.validation import validate_counts, validate_inputs, validate_thresholds

__all__ = ["Counts", "numpy_counts", "count_differences", "disagreements", "COUNT_NAMES", "KERAS_METRIC_NAMES", "CELL_NAMES"]

#: The Keras metric class behind each count.
KERAS_METRIC_NAMES = {
    "tp": "TruePositives",
    "fp": "FalsePositives",
    "tn": "TrueNegatives",
    "fn": "FalseNegatives",
}

#: The four counts, in Keras's order: the one list every module iterates over.
COUNT_NAMES = tuple(KERAS_METRIC_NAMES)

#: Cell names in scikit-learn's layout: rows actual, columns predicted, negative first.
CELL_NAMES = (("tn", "fp"), ("fn", "tp"))


@dataclass(frozen=True, eq=False)
class Counts:
    """True/false positive/negative counts at one threshold or many.

    With one threshold each count is a Python ``float``; with several, a
    float32 NumPy array with one entry per threshold, in the order given.

    Examples
    --------
    >>> c = Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5)
    >>> c.actual_positives, c.actual_negatives, c.total
    (5.0, 5.0, 10.0)
    >>> c.ravel()  # the order of scikit-learn's confusion_matrix(...).ravel()
    (4.0, 1.0, 0.0, 5.0)
    >>> c.row_labels, c.column_labels
    (('actual 0 (negative)', 'actual 1 (positive)'), ('predicted 0 (negative)', 'predicted 1 (positive)'))
    """

    tp: float | np.ndarray
    fp: float | np.ndarray
    tn: float | np.ndarray
    fn: float | np.ndarray
    thresholds: float | np.ndarray
    source: str = "by hand"

    row_labels = ("actual 0 (negative)", "actual 1 (positive)")
    column_labels = ("predicted 0 (negative)", "predicted 1 (positive)")

    @property
    def actual_positives(self):
        """TP + FN: every sample whose label is 1 (weighted)."""
        return self.tp + self.fn

    @property
    def actual_negatives(self):
        """TN + FP: every sample whose label is 0 (weighted)."""
        return self.tn + self.fp

    @property
    def predicted_positives(self):
        """TP + FP: every sample with ``y_pred > threshold``."""
        return self.tp + self.fp

    @property
    def predicted_negatives(self):
        """TN + FN: every sample with ``y_pred <= threshold``."""
        return self.tn + self.fn

    @property
    def total(self):
        """All samples (weighted): TP + FP + TN + FN."""
        return self.tp + self.fp + self.tn + self.fn

    @property
    def matrix(self):
        """The 2×2 matrix ``[[TN, FP], [FN, TP]]``; shape (T, 2, 2) for a sweep."""
        m = np.array([[self.tn, self.fp], [self.fn, self.tp]], dtype=np.float32)
        return m if m.ndim == 2 else np.moveaxis(m, -1, 0)

    def ravel(self):
        """``(tn, fp, fn, tp)``, as ``confusion_matrix(...).ravel()`` gives them."""
        return self.tn, self.fp, self.fn, self.tp

    def __len__(self):
        return int(np.size(self.thresholds))

    def __eq__(self, other):
        """Equal when all four counts and the thresholds are equal (sweeps element by element).

        >>> numpy_counts([0, 1], [0.3, 0.6], [0.2, 0.5]) == numpy_counts([0, 1], [0.3, 0.6], [0.2, 0.5])
        True
        """
        if not isinstance(other, Counts):
            return NotImplemented
        if not np.array_equal(self.thresholds, other.thresholds):
            return False
        return np.shape(self.tp) == np.shape(other.tp) and not any(np.any(d) for d in count_differences(self, other).values())

    __hash__ = None  # sweeps hold arrays

    def at(self, index):
        """The counts at one threshold of a sweep, as a one-threshold ``Counts``.

        >>> sweep = numpy_counts([0, 1], [0.3, 0.6], thresholds=[0.2, 0.5])
        >>> sweep.at(1)
        Counts(tp=1.0, fp=0.0, tn=1.0, fn=0.0, thresholds=0.5)
        """
        if np.ndim(self.thresholds) == 0:
            if index in (0, -1):
                return self
            raise IndexError(f"index {index} is out of range: these counts hold one threshold. Fix: at(0), or no at() at all.")
        pick = {k: float(np.asarray(getattr(self, k))[index]) for k in COUNT_NAMES}
        return Counts(thresholds=float(self.thresholds[index]), source=self.source, **pick)

    def __repr__(self):
        def show(v):
            return repr(float(v)) if np.ndim(v) == 0 else np.array2string(np.asarray(v), separator=", ")

        body = ", ".join(f"{k}={show(getattr(self, k))}" for k in (*COUNT_NAMES, "thresholds"))
        return f"Counts({body})"


def _package(tp, fp, tn, fn, thresholds, is_scalar, source):
    """Shape raw per-threshold float32 counts as a ``Counts``."""
    if is_scalar:
        return Counts(float(tp[0]), float(fp[0]), float(tn[0]), float(fn[0]), float(thresholds[0]), source)
    return Counts(tp, fp, tn, fn, np.asarray(thresholds, dtype=np.float64), source)


def _flush_subnormals(values):
    """Set float32 values too small to be normal to 0, as TensorFlow's CPU kernels do."""
    return np.where(np.abs(values) < np.finfo(np.float32).tiny, np.float32(0), values)


def numpy_counts(y_true, y_pred, thresholds=0.5, sample_weight=None, ties="negative"):
    """Count as Keras does, in plain NumPy: the independent reference.

    Keras's rule, written out: inputs are cast to float32; a prediction is
    positive iff ``y_pred > threshold`` (strictly, so a score equal to the
    threshold is negative); each count is the sum of the weights of its
    samples (weight 1 when ``sample_weight`` is None). TensorFlow on the CPU
    also flushes subnormal float32 numbers (below about 1.2e-38, e.g. the
    sigmoid of -90) to zero, so such a score is *not* above a threshold of 0;
    this reference does the same.

    Which samples land in which cell is exactly Keras's. The sums are exact
    too while every weight is a whole number and each count stays below
    2**24 (16,777,216), where float32 stops holding every integer. Fractional
    weights are added here in float64 and rounded once, while Keras adds in
    float32 in its own order, so such counts agree to float32 rounding (about
    one part in ten million), not bit for bit.

    Parameters
    ----------
    y_true : array-like of 0/1 labels, shape (N,) or (N, 1)
    y_pred : array-like of scores in [0, 1], shape (N,) or (N, 1)
    thresholds : float, or list/tuple/array of floats in [0, 1]
    sample_weight : None, a number, or array-like of shape (N,)
    ties : {"negative", "positive"}
        Where a score equal to the threshold goes. ``"negative"`` is Keras's
        rule; ``"positive"`` (``y_pred >= threshold``) is the common slip,
        counted so that answer checks can recognise it.

    Returns
    -------
    Counts
        Python floats for one threshold; float32 arrays for several.

    Examples
    --------
    A score equal to the threshold is a negative prediction:

    >>> numpy_counts([1, 1], [0.5, 0.7], thresholds=0.5).tp
    1.0

    Weights are summed, so counts need not be whole numbers:

    >>> numpy_counts([1, 1], [0.9, 0.7], sample_weight=[0.5, 2.0]).tp
    2.5
    >>> numpy_counts([0, 1, 1], [0.4, 0.45, 0.9], thresholds=[0.3, 0.5]).tp
    array([2., 1.], dtype=float32)

    A subnormal score counts as 0, as on TensorFlow's CPU kernels:

    >>> numpy_counts([1, 1], [1e-40, 1e-37], thresholds=0.0).tp
    1.0
    """
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    values, is_scalar = validate_thresholds(thresholds)
    if ties not in ("negative", "positive"):
        raise ValueError(f'ties must be "negative" (Keras) or "positive", but got {ties!r}. Fix: leave the default.')
    above = np.greater if ties == "negative" else np.greater_equal
    if weights is None:
        weights = np.ones_like(y_pred)
    y_pred = _flush_subnormals(y_pred)
    weights = _flush_subnormals(weights).astype(np.float64)
    positive = y_true.astype(bool)
    out = np.zeros((4, len(values)), dtype=np.float64)
    for j, threshold in enumerate(_flush_subnormals(values.astype(np.float32))):
        predicted_positive = above(y_pred, threshold)  # both float32, as in Keras
        out[0, j] = weights[positive & predicted_positive].sum()
        out[1, j] = weights[~positive & predicted_positive].sum()
        out[2, j] = weights[~positive & ~predicted_positive].sum()
        out[3, j] = weights[positive & ~predicted_positive].sum()
    tp, fp, tn, fn = out.astype(np.float32)
    source = "numpy" if ties == "negative" else "numpy (y_pred >= threshold)"
    return _package(tp, fp, tn, fn, values, is_scalar, source=source)


def count_differences(a, b, rtol=0.0):
    """Where two Counts differ, count by count: ``{name: bool or bool array}``.

    The one comparison of counts in cmlearn. Two counts agree when
    ``|a - b| <= rtol * max(|a|, |b|)``; with the default ``rtol=0`` only
    equal counts agree. Weighted counts are float32 sums added in different
    orders by Keras and NumPy, so a tiny ``rtol`` accepts float32 rounding.

    >>> a = Counts(tp=3.0, fp=1.0, tn=2.0, fn=0.0, thresholds=0.5)
    >>> b = Counts(tp=3.0, fp=1.0000001, tn=2.0, fn=1.0, thresholds=0.5)
    >>> [k for k, d in count_differences(a, b).items() if d]
    ['fp', 'fn']
    >>> [k for k, d in count_differences(a, b, rtol=1e-5).items() if d]
    ['fn']
    """
    out = {}
    for key in COUNT_NAMES:
        x = np.asarray(getattr(a, key), dtype=np.float64)
        y = np.asarray(getattr(b, key), dtype=np.float64)
        differ = np.abs(x - y) > rtol * np.maximum(np.abs(x), np.abs(y))
        out[key] = bool(differ) if differ.ndim == 0 else differ
    return out


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
    >>> a = Counts(np.float32([2, 1]), np.float32([1, 0]), np.float32([0, 1]), np.float32([0, 1]), np.array([0.2, 0.6]))
    >>> b = Counts(np.float32([2, 2]), np.float32([1, 0]), np.float32([0, 1]), np.float32([0, 0]), np.array([0.2, 0.6]))
    >>> disagreements(a, b)
    array([0.6])
    """
    for name, counts in (("a", a), ("b", b)):
        validate_counts(counts, name, thresholds="sweep")
    ta, tb = np.asarray(a.thresholds, dtype=np.float64), np.asarray(b.thresholds, dtype=np.float64)
    if ta.shape != tb.shape or not np.array_equal(ta.astype(np.float32), tb.astype(np.float32)):
        raise ValueError(
            "a and b must hold the same thresholds in the same order, but they differ. "
            "Fix: count both sweeps with the same thresholds list."
        )
    differ = np.zeros(ta.shape, dtype=bool)
    for d in count_differences(a, b).values():
        differ |= d
    return ta[differ]
