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

from cmlearn.validation import check_inputs, check_thresholds

__all__ = ["Counts", "numpy_counts", "KERAS_METRIC_NAMES", "CELL_NAMES"]

#: The Keras metric class behind each count.
KERAS_METRIC_NAMES = {
    "tp": "TruePositives",
    "fp": "FalsePositives",
    "tn": "TrueNegatives",
    "fn": "FalseNegatives",
}

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
    source: str = "numpy"

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
        return all(np.array_equal(getattr(self, k), getattr(other, k)) for k in (*KERAS_METRIC_NAMES, "thresholds"))

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
        pick = {k: float(np.asarray(getattr(self, k))[index]) for k in KERAS_METRIC_NAMES}
        return Counts(thresholds=float(self.thresholds[index]), source=self.source, **pick)

    def __repr__(self):
        def show(v):
            return repr(float(v)) if np.ndim(v) == 0 else np.array2string(np.asarray(v), separator=", ")

        body = ", ".join(f"{k}={show(getattr(self, k))}" for k in (*KERAS_METRIC_NAMES, "thresholds"))
        return f"Counts({body})"


def _package(tp, fp, tn, fn, thresholds, is_scalar, source):
    """Shape raw per-threshold float32 counts as a ``Counts``."""
    if is_scalar:
        return Counts(float(tp[0]), float(fp[0]), float(tn[0]), float(fn[0]), float(thresholds[0]), source)
    return Counts(tp, fp, tn, fn, np.asarray(thresholds, dtype=np.float64), source)


def _flush_subnormals(values):
    """Set float32 values too small to be normal to 0, as TensorFlow's CPU kernels do."""
    return np.where(np.abs(values) < np.finfo(np.float32).tiny, np.float32(0), values)


def numpy_counts(y_true, y_pred, thresholds=0.5, sample_weight=None):
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
    y_true, y_pred, weights = check_inputs(y_true, y_pred, sample_weight)
    values, is_scalar = check_thresholds(thresholds)
    if weights is None:
        weights = np.ones_like(y_pred)
    y_pred = _flush_subnormals(y_pred)
    weights = _flush_subnormals(weights).astype(np.float64)
    positive = y_true.astype(bool)
    out = np.zeros((4, len(values)), dtype=np.float64)
    for j, threshold in enumerate(_flush_subnormals(values.astype(np.float32))):
        predicted_positive = y_pred > threshold  # both float32, as in Keras
        out[0, j] = weights[positive & predicted_positive].sum()
        out[1, j] = weights[~positive & predicted_positive].sum()
        out[2, j] = weights[~positive & ~predicted_positive].sum()
        out[3, j] = weights[positive & ~predicted_positive].sum()
    tp, fp, tn, fn = out.astype(np.float32)
    return _package(tp, fp, tn, fn, values, is_scalar, source="numpy")
