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
       [1., 1.]])
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from cmlearn.float32 import TF_ONE_THREAD_SUM_LIMIT, flush_subnormals  # noqa: F401 (the limit is also read here)
from cmlearn.validation import validate_counts, validate_inputs, validate_thresholds

__all__ = [
    "Counts",
    "numpy_counts",
    "count_differences",
    "disagreements",
    "agreement",
    "Agreement",
    "refuse_overflow",
    "warn_if_beyond_float32",
    "Float32RangeWarning",
    "FLOAT32_EXACT_LIMIT",
    "COUNT_NAMES",
    "KERAS_METRIC_NAMES",
    "CELL_NAMES",
    "format_count",
]

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

#: 2**24 = 16,777,216: float32, the type Keras counts in, holds every whole
#: number up to here and no further (2**24 + 1 rounds back to 2**24), so a
#: Keras count past it can be off by whole samples.
FLOAT32_EXACT_LIMIT = 2**24

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def format_count(value):
    """Show a count the way a learner reads it, thousands grouped: ``5``, ``2.5``, ``20,843.4``, ``100,000``.

    >>> format_count(5.0), format_count(2.5), format_count(20843.359375), format_count(1e5), format_count(2e38)
    ('5', '2.5', '20,843.4', '100,000', '2e+38')
    """
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"


class Float32RangeWarning(UserWarning):
    """A Keras count may be at or past 2**24, where float32 can no longer hold every whole number."""


@dataclass(frozen=True, eq=False)
class Counts:
    """True/false positive/negative counts at one threshold or many.

    With one threshold each count is a Python ``float``; with several, a
    NumPy array with one entry per threshold, in the order given: float32 as
    Keras returns them, float64 from the exact reference :func:`numpy_counts`.

    A count at or past 2**24 (:data:`FLOAT32_EXACT_LIMIT`) sets
    :attr:`beyond_float32`, and the repr says so: float32 cannot hold every
    whole number there, so Keras's count may be off by whole samples.
    The functions that run Keras also set ``largest_exact_sum``: the largest
    sum Keras formed, computed exactly from the inputs (int64 samples,
    float64 weights), so that the flag never rests on Keras's own rounded
    counts alone: a count, or for a grid metric, which derives TN and FN
    from its class totals, the larger class total.

    Examples
    --------
    >>> c = Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5)
    >>> c.actual_positives, c.actual_negatives, c.total
    (5.0, 5.0, 10.0)
    >>> c.ravel()  # the order of scikit-learn's confusion_matrix(...).ravel()
    (4.0, 1.0, 0.0, 5.0)
    >>> c.row_labels, c.column_labels
    (('actual 0 (negative)', 'actual 1 (positive)'), ('predicted 0 (negative)', 'predicted 1 (positive)'))
    >>> c.beyond_float32
    False
    >>> Counts(tp=2.0**25 + 3, fp=0.0, tn=0.0, fn=0.0, thresholds=0.5)
    Counts(tp=33554435.0, fp=0.0, tn=0.0, fn=0.0, thresholds=0.5)  # at or past 2**24 = 16,777,216: a float32 count
    (Keras's) may be inexact here
    """

    tp: float | np.ndarray
    fp: float | np.ndarray
    tn: float | np.ndarray
    fn: float | np.ndarray
    thresholds: float | np.ndarray
    source: str = "by hand"
    largest_exact_sum: float | None = None

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
    def beyond_float32(self):
        """True when a count may be inexact in float32 (Keras's type): it reads 2**24 or more, or ``fed_total`` does.

        Below 2**24 = 16,777,216, a count of whole-number weights is exact in
        float32 in any order of addition; past it, float32 rounds to every
        2nd, 4th, ... whole number, so Keras may lose or gain a few samples.
        The test is "at or past", not "past": 2**24 + 1 samples read
        16,777,216, which is 2**24 itself. For a sum of non-negative whole
        numbers the float32 result reaches 2**24 exactly when the exact sum
        does (every partial sum below 2**24 is exact, and rounding never
        takes a sum at or past 2**24 back below it), so a Keras count that
        reads less than 2**24 is exact. Fractional weights, and counts that
        Keras derives as a total minus a count, are decided by
        ``largest_exact_sum``. The exact count is :func:`numpy_counts`'s.

        >>> Counts(2.0**24, 0.0, 0.0, 0.0, 0.5).beyond_float32   # what Keras reads for 2**24 + 1 positives
        True
        >>> Counts(3.5, 0.0, 0.0, 0.0, 0.5, largest_exact_sum=2.0**24 + 0.5).beyond_float32
        True
        """
        counts = (np.abs(np.asarray(getattr(self, k), dtype=np.float64)) for k in COUNT_NAMES)
        exact = self.largest_exact_sum is not None and abs(float(self.largest_exact_sum)) >= FLOAT32_EXACT_LIMIT
        return exact or any(bool(np.any(c >= FLOAT32_EXACT_LIMIT)) for c in counts)

    @property
    def matrix(self):
        """The 2×2 matrix ``[[TN, FP], [FN, TP]]`` (float64, every count as held); shape (T, 2, 2) for a sweep."""
        m = np.array([[self.tn, self.fp], [self.fn, self.tp]], dtype=np.float64)
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
        same_shape = np.shape(self.tp) == np.shape(other.tp)
        return same_shape and not any(np.any(d) for d in count_differences(self, other).values())

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
            raise IndexError(
                f"index {index} is out of range: these counts hold one threshold. Fix: at(0), or no at() at all."
            )
        pick = {k: float(np.asarray(getattr(self, k))[index]) for k in COUNT_NAMES}
        return Counts(thresholds=float(self.thresholds[index]), source=self.source, **pick)

    def __repr__(self):
        def show(v):
            return repr(float(v)) if np.ndim(v) == 0 else np.array2string(np.asarray(v), separator=", ")

        body = ", ".join(f"{k}={show(getattr(self, k))}" for k in (*COUNT_NAMES, "thresholds"))
        inexact = f"  # at or past 2**24 = {FLOAT32_EXACT_LIMIT:,}: a float32 count (Keras's) may be inexact here"
        note = inexact if self.beyond_float32 else ""
        return f"Counts({body}){note}"


def _package(tp, fp, tn, fn, thresholds, is_scalar, source, largest_exact_sum=None):
    """Shape raw per-threshold float32 counts as a ``Counts``."""
    if is_scalar:
        one = (float(tp[0]), float(fp[0]), float(tn[0]), float(fn[0]), float(thresholds[0]))
        return Counts(*one, source, largest_exact_sum)
    return Counts(tp, fp, tn, fn, np.asarray(thresholds, dtype=np.float64), source, largest_exact_sum)


def numpy_counts(y_true, y_pred, thresholds=0.5, sample_weight=None, ties="negative"):
    """Count as Keras does, in plain NumPy, but exactly: the independent reference.

    Keras's rule, written out: inputs are cast to float32; a prediction is
    positive iff ``y_pred > threshold`` (strictly, so a score equal to the
    threshold is negative); each count is the sum of the weights of its
    samples (weight 1 when ``sample_weight`` is None). TensorFlow on the CPU
    also flushes subnormal float32 numbers (below about 1.2e-38, e.g. the
    sigmoid of -90) to zero, so such a score is *not* above a threshold of 0;
    this reference does the same.

    Which samples land in which cell is exactly Keras's. The sums are not
    Keras's float32 ones but wider: samples are counted as whole numbers
    (int64) and weights added in float64, so a count of whole-number weights
    is exact (up to 2**53), past 2**24 too, where Keras's float32 count
    cannot be (:attr:`Counts.beyond_float32`). Fractional weights are added
    in float64, within about one part in 10**15 of the exact sum, while
    Keras adds them in float32 in its own order: such counts agree with
    Keras's to float32 rounding (about one part in ten million), not bit for
    bit. :func:`agreement` tells these cases apart.

    Parameters
    ----------
    y_true : array-like of 0/1 labels, shape (N,) or (N, 1)
    y_pred : array-like of scores in [0, 1], shape (N,) or (N, 1)
    thresholds : float, or list/tuple/array of floats in [0, 1]
    sample_weight : None, a number, or array-like of shape (N,); one
        weight, e.g. ``[2.0]``, weights every sample alike, as in Keras
    ties : {"negative", "positive"}
        Where a score equal to the threshold goes. ``"negative"`` is Keras's
        rule; ``"positive"`` (``y_pred >= threshold``) is the common slip,
        counted so that answer checks can recognise it.

    Returns
    -------
    Counts
        Python floats for one threshold; float64 arrays for several.

    Raises
    ------
    ValueError
        If a count would pass float32's largest number (about 3.4e38), where
        Keras's count would read inf.

    Examples
    --------
    A score equal to the threshold is a negative prediction:

    >>> numpy_counts([1, 1], [0.5, 0.7], thresholds=0.5).tp
    1.0

    Weights are summed, so counts need not be whole numbers:

    >>> numpy_counts([1, 1], [0.9, 0.7], sample_weight=[0.5, 2.0]).tp
    2.5
    >>> numpy_counts([0, 1, 1], [0.4, 0.45, 0.9], thresholds=[0.3, 0.5]).tp
    array([2., 1.])

    Past 2**24 the count stays exact, and says that Keras's cannot be:

    >>> big = numpy_counts([1, 1], [0.9, 0.8], sample_weight=[2**24, 1])
    >>> big.tp, big.beyond_float32
    (16777217.0, True)

    A subnormal score counts as 0, as on TensorFlow's CPU kernels:

    >>> numpy_counts([1, 1], [1e-40, 1e-37], thresholds=0.0).tp
    1.0
    """
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    values, is_scalar = validate_thresholds(thresholds)
    if ties not in ("negative", "positive"):
        raise ValueError(f'ties must be "negative" (Keras) or "positive", but got {ties!r}. Fix: leave the default.')
    out = _exact_counts(y_true, y_pred, values, weights, ties)
    _raise_if_overflow(out, values)
    tp, fp, tn, fn = out
    source = "numpy" if ties == "negative" else "numpy (y_pred >= threshold)"
    return _package(tp, fp, tn, fn, values, is_scalar, source=source)


def _exact_counts(y_true, y_pred, values, weights, ties="negative"):
    """The four counts at each threshold, shape (4, T) float64: whole samples as int64, weights in float64."""
    above = np.greater if ties == "negative" else np.greater_equal
    y_pred = flush_subnormals(y_pred)
    positive = y_true.astype(bool)
    out = np.zeros((4, len(values)), dtype=np.float64)
    if weights is None:
        n_positive = np.count_nonzero(positive)
        n_negative = len(positive) - n_positive
    else:
        weights = flush_subnormals(weights).astype(np.float64)
    for j, threshold in enumerate(flush_subnormals(values.astype(np.float32))):
        predicted_positive = above(y_pred, threshold)  # both float32, as in Keras
        if weights is None:
            tp = np.count_nonzero(positive & predicted_positive)
            fp = np.count_nonzero(predicted_positive) - tp
            out[:, j] = tp, fp, n_negative - fp, n_positive - tp
        else:
            out[0, j] = weights[positive & predicted_positive].sum()
            out[1, j] = weights[~positive & predicted_positive].sum()
            out[2, j] = weights[~positive & ~predicted_positive].sum()
            out[3, j] = weights[positive & ~predicted_positive].sum()
    return out


def _raise_if_overflow(out, values):
    """Refuse a count (shape (4, T) exact sums) that float32 cannot hold: Keras would report inf."""
    too_big = out > _FLOAT32_MAX
    if too_big.any():
        k, j = (int(i[0]) for i in np.nonzero(too_big))
        raise ValueError(
            f"sample_weight is too large for float32, the type Keras counts in: at threshold "
            f"{values[j]:g}, {COUNT_NAMES[k].upper()} would be {out[k, j]:.3g}, past float32's largest "
            f"number {_FLOAT32_MAX:.3g}, so Keras would report inf. Fix: rescale the weights, "
            f"e.g. sample_weight / np.mean(sample_weight) (rates do not change)."
        )


def refuse_overflow(y_true, y_pred, thresholds, sample_weight=None):
    """Raise ``ValueError`` if a count would pass float32's largest number; else return None.

    Only a count that overflows is refused, not large weights as such: two
    weights of 2e38, one a TP and one a TN, give TP = TN = 2e38, as in Keras.
    Arguments as :func:`numpy_counts` takes them (validated here).

    >>> refuse_overflow([1, 0], [0.9, 0.1], 0.5, sample_weight=[2e38, 2e38])
    >>> refuse_overflow([1, 1], [0.9, 0.8], 0.5, sample_weight=[2e38, 2e38])
    Traceback (most recent call last):
    ...
    ValueError: sample_weight is too large for float32, the type Keras counts in: at threshold 0.5, TP would be 4e+38,
    past float32's largest number 3.4e+38, so Keras would report inf. Fix: rescale the weights, e.g. sample_weight /
    np.mean(sample_weight) (rates do not change).
    """
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    values, _ = validate_thresholds(thresholds)
    if weights is None:
        return None
    positive = y_true.astype(bool)
    w = weights.astype(np.float64)
    if max(w[positive].sum(), w[~positive].sum()) <= _FLOAT32_MAX:
        return None  # a count never exceeds its class's total weight
    _raise_if_overflow(_exact_counts(y_true, y_pred, values, weights), values)
    return None


def warn_if_beyond_float32(counts, who="keras_counts"):
    """Warn (:class:`Float32RangeWarning`) when a count may be past float32's exact range; return ``counts``.

    The test is :attr:`Counts.beyond_float32`.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = warn_if_beyond_float32(Counts(2.0**25, 0.0, 0.0, 0.0, 0.5))
    >>> print(caught[0].message)
    keras_counts: TP = 33,554,432 is at or past 2**24 = 16,777,216, where float32 (the type Keras counts in) cannot hold
    every whole number, so such a count can be off by whole samples (a few in one call, more when many small batches add
    to it). The exact count is cmlearn.numpy_counts(...)'s.
    """
    if counts.beyond_float32:
        big = [k for k in COUNT_NAMES if np.any(np.asarray(getattr(counts, k), np.float64) >= FLOAT32_EXACT_LIMIT)]
        shown = ", ".join(f"{k.upper()} = {format_count(np.max(getattr(counts, k)))}" for k in big)
        if not big:
            shown, big = f"a sum of the weights fed, {format_count(counts.largest_exact_sum)},", ["sum"]
        warnings.warn(
            f"{who}: {shown} {'is' if len(big) == 1 else 'are'} at or past 2**24 = {FLOAT32_EXACT_LIMIT:,}, "
            f"where float32 (the type Keras counts in) "
            f"cannot hold every whole number, so such a count can be off by whole samples (a few in one call, "
            f"more when many small batches add to it). The exact count is cmlearn.numpy_counts(...)'s.",
            Float32RangeWarning,
            stacklevel=3,
        )
    return counts


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


@dataclass(frozen=True)
class Agreement:
    """How Keras's counts compare with the reference's, and a sentence that says so.

    ``kind`` is ``"equal"``; ``"rounding"`` (fractional weights summed in
    another order); ``"float32 range"`` (a count past 2**24, where float32
    cannot hold every whole number); or ``"differ"`` (a difference neither
    explains: a real disagreement). ``agree`` is False only for ``"differ"``.
    ``differences`` maps each differing count's name to ``(keras, reference)``.
    """

    agree: bool
    kind: str
    text: str
    differences: dict

    @property
    def largest_difference(self):
        """The largest |Keras - reference| over the four counts (0.0 when equal)."""
        return max((abs(a - b) for a, b in self.differences.values()), default=0.0)


def agreement(keras, reference, rtol=1e-5):
    """Compare Keras's counts at one threshold with the NumPy reference's, and explain any difference.

    The one judgement behind every agreement badge (the explorer's
    ``agreement`` draws this verdict's ``agree`` and ``text``). A difference is
    explained, and the counts still agree, when it is within ``rtol``
    relatively *and* float32 can account for it: the counts are not whole
    numbers (fractional weights, which Keras adds in float32 in its own
    order), or a count is past 2**24 = 16,777,216 (where float32, Keras's
    count type, cannot hold every whole number; the reference is exact).
    Whole-number counts below 2**24 are exact in float32, so there any
    difference is a disagreement.

    Parameters
    ----------
    keras, reference : Counts at one threshold
    rtol : float
        The largest relative difference float32 may explain.

    Returns
    -------
    Agreement

    Examples
    --------
    >>> agreement(Counts(5.0, 1.0, 4.0, 0.0, 0.5), Counts(5.0, 1.0, 4.0, 0.0, 0.5)).kind
    'equal'
    >>> a = agreement(Counts(2.0**25, 0.0, 0.0, 0.0, 0.5), Counts(2.0**25 + 3, 0.0, 0.0, 0.0, 0.5))
    >>> a.agree, a.kind
    (True, 'float32 range')
    >>> print(a.text)
    ✔ Keras agrees with the NumPy reference as far as float32 allows: past 2**24 = 16,777,216, float32 (the type Keras
    counts in) holds only every 4th whole number, so Keras reads TP = 33,554,432 where the exact count is 33,554,435.
    >>> agreement(Counts(5.0, 1.0, 4.0, 0.0, 0.5), Counts(4.0, 1.0, 4.0, 1.0, 0.5)).text
    '✘ Keras and the NumPy reference differ: TP: Keras 5 vs NumPy 4; FN: Keras 0 vs NumPy 1'
    """
    for name, counts in (("keras", keras), ("reference", reference)):
        validate_counts(counts, name, thresholds="one")
    pairs = {k: (float(getattr(keras, k)), float(getattr(reference, k))) for k in COUNT_NAMES}
    differ = {k: pair for k, pair in pairs.items() if count_differences(keras, reference)[k]}
    if not differ:
        text = "✔ Keras agrees with the NumPy reference (y_pred > threshold, compared in float32)"
        return Agreement(True, "equal", text, {})
    within = {k for k, d in count_differences(keras, reference, rtol=rtol).items() if not d}
    beyond = {k for k, (a, b) in differ.items() if max(abs(a), abs(b)) > FLOAT32_EXACT_LIMIT}
    fractional = {k for k, (a, b) in differ.items() if not (a.is_integer() and b.is_integer())}
    unexplained = [k for k in differ if k not in within or k not in beyond | fractional]
    if unexplained:
        details = "; ".join(
            f"{k.upper()}: Keras {format_count(a)} vs NumPy {format_count(b)}" for k, (a, b) in differ.items()
        )
        return Agreement(False, "differ", f"✘ Keras and the NumPy reference differ: {details}", differ)
    if beyond:
        k = max(beyond, key=lambda name: abs(differ[name][0] - differ[name][1]))
        a, b = differ[k]
        step = int(np.spacing(np.float32(max(a, b))))
        text = (
            f"✔ Keras agrees with the NumPy reference as far as float32 allows: past 2**24 = {FLOAT32_EXACT_LIMIT:,}, "
            f"float32 (the type Keras "
            f"counts in) holds only every {_ordinal(step)} whole number, so Keras reads {k.upper()} = "
            f"{format_count(a)} where the exact count is {format_count(b)}."
        )
        return Agreement(True, "float32 range", text, differ)
    largest = max(abs(a - b) for a, b in differ.values())
    text = (
        f"✔ Keras agrees with the NumPy reference up to float32 rounding of the fractional weights' sums "
        f"(largest difference {largest:.3g})"
    )
    return Agreement(True, "rounding", text, differ)


def _ordinal(n):
    """2nd, 4th, 8th, ..., 32nd: the step between neighbouring float32 whole numbers."""
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
