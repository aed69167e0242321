"""Curve points, normalised matrices, histograms and ties, in plain NumPy.

Everything a threshold slider can show is computed here once, from a
threshold sweep of counts, so that moving the slider only indexes arrays.
Nothing here imports TensorFlow.

>>> from cmlearn.counts import numpy_counts
>>> sweep = numpy_counts([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], thresholds=[0.0, 0.5, 1.0])
>>> roc_points(sweep).x, roc_points(sweep).y  # FPR and TPR at each threshold
(array([1. , 0.5, 0. ]), array([1. , 0.5, 0. ]))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmlearn.counts import format_count
from cmlearn.ratios import rates
from cmlearn.validation import (
    validate_counts,
    validate_inputs,
    validate_number,
    validate_thresholds,
    validate_whole_number,
)

__all__ = [
    "Curve",
    "Ties",
    "threshold_grid",
    "grid_index",
    "roc_points",
    "pr_points",
    "row_normalised",
    "score_histogram",
    "ScoreBins",
    "score_bins",
    "ties_at",
    "compared_threshold_text",
]


@dataclass(frozen=True)
class Curve:
    """Points of a threshold curve: ``x[i], y[i]`` belong to ``thresholds[i]``.

    An undefined rate (0/0) is NaN, so a plot leaves a gap there.
    """

    x: np.ndarray
    y: np.ndarray
    thresholds: np.ndarray
    x_label: str
    y_label: str


def threshold_grid(step=0.01):
    """Thresholds from 0 to 1 in ``step``s, as the exact decimals a slider shows.

    >>> threshold_grid(0.25)
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    >>> threshold_grid(0.3)
    Traceback (most recent call last):
    ...
    ValueError: step must divide 1 into whole steps (e.g. 0.01, 0.05, 0.1), but got 0.3. Fix: pick a step such that 1 /
    step is a whole number.
    """
    n = 1.0 / validate_number(step, "step", low=0, high=1, inclusive="right", example="step=0.01")
    if abs(n - round(n)) > 1e-9 or round(n) > 100_000:
        raise ValueError(
            f"step must divide 1 into whole steps (e.g. 0.01, 0.05, 0.1), but got {step!r}. "
            f"Fix: pick a step such that 1 / step is a whole number."
        )
    n = int(round(n))
    # round() turns 0.35000000000000003 into 0.35, the value a learner reads.
    return np.round(np.arange(n + 1) / n, 12)


def grid_index(value, grid):
    """Where ``value`` sits on ``grid``, or None if it is not a grid point.

    Keras compares in float32, so two thresholds that are equal in float32
    give identical counts; the match is made in float32 for that reason.

    >>> grid = threshold_grid(0.01)
    >>> grid_index(0.35, grid), grid_index(0.1 + 0.25, grid), grid_index(0.355, grid)
    (35, 35, None)
    """
    grid = np.asarray(grid, dtype=np.float64)
    i = int(np.clip(np.searchsorted(grid, value), 0, len(grid) - 1))
    for j in (i - 1, i):
        if 0 <= j < len(grid) and np.float32(grid[j]) == np.float32(value):
            return j
    return None


def roc_points(counts):
    """ROC points (FPR, TPR) of a threshold sweep, divided out by hand.

    Parameters
    ----------
    counts : Counts
        A sweep, e.g. ``keras_counts(y_true, y_pred, threshold_grid())``.

    Returns
    -------
    Curve
        ``x`` is FPR = FP / (FP + TN), ``y`` is TPR = TP / (TP + FN).

    Examples
    --------
    >>> from cmlearn.counts import numpy_counts
    >>> c = roc_points(numpy_counts([0, 1], [0.3, 0.7], thresholds=[0.5]))
    >>> float(c.x[0]), float(c.y[0])
    (0.0, 1.0)
    """
    validate_counts(counts, thresholds="sweep")
    r = rates(counts)
    thresholds = np.asarray(counts.thresholds)
    return Curve(np.asarray(r.fpr), np.asarray(r.tpr), thresholds, "FPR (false positive rate)", "TPR (recall)")


def pr_points(counts):
    """Precision–recall points of a threshold sweep.

    Where nothing is predicted positive, precision is 0/0: NaN here (Keras's
    ``Precision`` metric would report 0.0).

    >>> from cmlearn.counts import numpy_counts
    >>> c = pr_points(numpy_counts([0, 1, 1], [0.6, 0.7, 0.2], thresholds=[0.5, 1.0]))
    >>> c.x, c.y
    (array([0.5, 0. ]), array([0.5, nan]))
    """
    validate_counts(counts, thresholds="sweep")
    r = rates(counts)
    thresholds = np.asarray(counts.thresholds)
    return Curve(np.asarray(r.recall), np.asarray(r.precision), thresholds, "recall (TPR)", "precision")


def row_normalised(matrix):
    """Divide each row of a confusion matrix by its sum: rates per actual class.

    With rows actual and columns predicted (negative first), the result is
    ``[[TNR, FPR], [FNR, TPR]]``. A row with no samples gives NaN.

    >>> row_normalised([[4, 1], [0, 5]])
    array([[0.8, 0.2],
           [0. , 1. ]])
    >>> row_normalised([[3, 0], [0, 0]])[1]
    array([nan, nan])
    """
    m = np.asarray(matrix, dtype=np.float64)
    totals = m.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(totals == 0, np.nan, m / np.where(totals == 0, 1, totals))


def score_histogram(y_true, y_pred, bins=40, sample_weight=None):
    """Per-class (weighted) histograms of the scores on ``bins`` equal bins of [0, 1].

    Returns
    -------
    edges : array of ``bins + 1`` bin edges
    heights : dict ``{0: negatives per bin, 1: positives per bin}``

    Examples
    --------
    >>> edges, heights = score_histogram([0, 1, 1], [0.1, 0.8, 0.9], bins=2)
    >>> edges, heights[0], heights[1]
    (array([0. , 0.5, 1. ]), array([1., 0.]), array([0., 2.]))
    """
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    bins = validate_whole_number(bins, "bins", example="bins=40")
    edges = np.linspace(0.0, 1.0, bins + 1)
    positive = y_true.astype(bool)
    heights = {}
    for label, mask in ((0, ~positive), (1, positive)):
        w = None if weights is None else weights[mask].astype(np.float64)
        heights[label] = np.histogram(y_pred[mask], bins=edges, weights=w)[0].astype(np.float64)
    return edges, heights


@dataclass(frozen=True)
class ScoreBins:
    """Per-class weight of the scores in bins closed on the right, and how each threshold splits its bin.

    ``heights[c][j]`` is the weight of class ``c`` with a score in bin ``j``;
    bin ``j`` is ``(edges[j], edges[j + 1]]`` (the first bin also holds
    ``edges[0]``). Closed on the right because Keras predicts positive only
    when ``y_pred > threshold``: a score equal to an edge lies in the bin on
    the edge's left, the negative side of a threshold placed there.

    For threshold ``i``, ``bin[i]`` is the bin it falls in, and
    ``below[c][i]`` / ``above[c][i]`` split that bin's weight into scores
    ``<= threshold`` (counted negative) and ``> threshold`` (positive).
    """

    edges: np.ndarray
    heights: dict
    thresholds: np.ndarray
    bin: np.ndarray
    below: dict
    above: dict


def score_bins(y_true, y_pred, edges, thresholds, sample_weight=None):
    """Right-closed per-class histograms of the scores, split at each threshold, compared in float32 as Keras does.

    Parameters
    ----------
    y_true, y_pred, sample_weight
        As for :func:`cmlearn.numpy_counts`.
    edges : increasing bin edges from 0 to 1
    thresholds : float or list of floats in [0, 1]

    Returns
    -------
    ScoreBins

    Examples
    --------
    A score equal to the threshold 0.5 lies left of the edge 0.5, with the negatives:

    >>> b = score_bins([0, 1, 1], [0.5, 0.5, 0.9], edges=[0, 0.5, 1], thresholds=[0.5, 0.7])
    >>> b.heights[0], b.heights[1]
    (array([1., 0.]), array([1., 1.]))
    >>> b.bin, b.below[1], b.above[1]  # 0.5 closes bin 0; 0.7 splits bin 1 (0.9 is above it)
    (array([0, 1]), array([1., 0.]), array([0., 1.]))
    """
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    values, _ = validate_thresholds(thresholds)
    edges = np.asarray(edges, dtype=np.float64)
    if edges.ndim != 1 or len(edges) < 2 or np.any(np.diff(edges) <= 0) or edges[0] != 0 or edges[-1] != 1:
        raise ValueError(f"edges must increase from 0 to 1, but got {edges!r}. Fix: e.g. edges=np.linspace(0, 1, 41).")
    if weights is None:
        weights = np.ones_like(y_pred)
    edges32, t32 = edges.astype(np.float32), values.astype(np.float32)
    positive = y_true.astype(bool)
    index = np.clip(np.searchsorted(edges32, t32, side="left") - 1, 0, len(edges) - 2)
    heights, below, above = {}, {}, {}
    for label, mask in ((0, ~positive), (1, positive)):
        order = np.argsort(y_pred[mask], kind="stable")
        scores = y_pred[mask][order]
        cumulative = np.concatenate([[0.0], np.cumsum(weights[mask][order], dtype=np.float64)])

        def upto(v, scores=scores, cumulative=cumulative):  # weight with score <= v
            return cumulative[np.searchsorted(scores, v, side="right")]

        at_edges = upto(edges32)
        at_edges[0] = 0.0  # the first bin holds scores equal to edges[0]
        heights[label] = np.diff(at_edges)
        at_t = upto(t32)
        below[label] = at_t - at_edges[index]
        above[label] = at_edges[index + 1] - at_t
    return ScoreBins(edges, heights, values, index, below, above)


@dataclass(frozen=True)
class Ties:
    """Samples whose float32 score equals the float32 threshold exactly.

    Keras predicts positive only when ``y_pred > threshold``, so every one of
    these samples is counted on the negative side: positives among them are
    false negatives, negatives are true negatives.
    """

    threshold: float | np.ndarray
    n: int | np.ndarray
    n_positive: int | np.ndarray
    n_negative: int | np.ndarray
    weight: float | np.ndarray
    weight_positive: float | np.ndarray
    weight_negative: float | np.ndarray

    def at(self, index, threshold=None):
        """The ties at one threshold of a sweep (optionally relabelled with ``threshold``).

        >>> ties_at([1, 0], [0.5, 0.5], thresholds=[0.4, 0.5]).at(1).n
        2
        """
        if np.ndim(self.threshold) == 0:
            return self
        names = ("n", "n_positive", "n_negative", "weight", "weight_positive", "weight_negative")
        pick = {k: getattr(self, k)[index].item() for k in names}
        return Ties(threshold=float(self.threshold[index] if threshold is None else threshold), **pick)

    def describe(self, weighted=False):
        """One sentence for a learner (one threshold only); ``weighted=True`` adds where the weight goes.

        >>> t = ties_at([1, 0, 1], [0.5, 0.5, 0.9], 0.5, sample_weight=[5, 1, 1])
        >>> print(t.describe())
        2 samples have a score exactly equal to 0.5: 1 actual positive(s) counted as FN, 1 actual negative(s) counted as
        TN, because Keras predicts positive only when y_pred > threshold.
        >>> print(t.describe(weighted=True).split(". ")[-1])
        By weight: 5 goes to FN and 1 to TN.
        """
        if np.ndim(self.threshold) != 0:
            raise ValueError("describe() needs one threshold. Fix: ties_at(y_true, y_pred, 0.5).describe().")
        value = compared_threshold_text(self.threshold)
        if self.n == 0:
            return f"No sample has a score exactly equal to {value}."
        noun, verb = ("sample", "has") if self.n == 1 else ("samples", "have")
        text = (
            f"{self.n} {noun} {verb} a score exactly equal to {value}: "
            f"{self.n_positive} actual positive(s) counted as FN, {self.n_negative} actual negative(s) counted as TN, "
            f"because Keras predicts positive only when y_pred > threshold."
        )
        if weighted:
            text += (
                f" By weight: {format_count(self.weight_positive)} goes to FN and "
                f"{format_count(self.weight_negative)} to TN."
            )
        return text


def compared_threshold_text(threshold):
    """The threshold Keras compares with, named exactly: its float32 value, and the typed value if it reads otherwise.

    Keras casts the threshold to float32 before ``y_pred > threshold``, and
    the scores too. The value named is that float32 written as the shortest
    decimal that reads back to it in float32 (``repr`` of ``np.float32``),
    so no rounding hides which value is compared: 0.4999999 is named
    0.4999999, never 0.5. A typed value that float32 turns into another
    (0.49999999 becomes 0.5) is named beside it.

    >>> compared_threshold_text(0.5), compared_threshold_text(0.4999999), compared_threshold_text(0.35)
    ('0.5', '0.4999999', '0.35')
    >>> compared_threshold_text(0.49999999)
    '0.5 (what 0.49999999 becomes in float32, the value Keras compares with)'
    """
    typed = float(threshold)
    compared = str(np.float32(typed))  # numpy's shortest float32 decimal
    if compared == repr(typed):
        return compared
    return f"{compared} (what {typed!r} becomes in float32, the value Keras compares with)"


def ties_at(y_true, y_pred, thresholds=0.5, sample_weight=None):
    """Count the samples lying exactly on the threshold, in float32 as Keras compares.

    Parameters
    ----------
    y_true, y_pred, sample_weight
        As for :func:`cmlearn.numpy_counts`.
    thresholds : float or list of floats in [0, 1]

    Returns
    -------
    Ties
        Scalars for one threshold, arrays for several.

    Examples
    --------
    >>> t = ties_at([1, 0, 1], [0.3, 0.3, 0.8], thresholds=0.1 * 3, sample_weight=[2, 1, 1])
    >>> t.n, t.n_positive, t.weight, t.weight_positive
    (2, 1, 3.0, 2.0)
    """
    y_true, y_pred, weights = validate_inputs(y_true, y_pred, sample_weight)
    values, is_scalar = validate_thresholds(thresholds)
    if weights is None:
        weights = np.ones_like(y_pred)
    order = np.argsort(y_pred, kind="stable")
    scores = y_pred[order]
    positive = y_true[order].astype(bool)
    t32 = values.astype(np.float32)
    lo = np.searchsorted(scores, t32, side="left")
    hi = np.searchsorted(scores, t32, side="right")

    def between(cumulative):
        cumulative = np.concatenate([[0.0], np.cumsum(cumulative, dtype=np.float64)])
        return cumulative[hi] - cumulative[lo]

    w = weights[order].astype(np.float64)
    parts = {
        "n": (hi - lo).astype(np.int64),
        "n_positive": np.rint(between(positive)).astype(np.int64),
        "weight": between(w),
        "weight_positive": between(np.where(positive, w, 0.0)),
    }
    parts["n_negative"] = parts["n"] - parts["n_positive"]
    parts["weight_negative"] = between(np.where(positive, 0.0, w))
    if is_scalar:
        return Ties(
            threshold=float(values[0]),
            **{k: (int(v[0]) if v.dtype.kind == "i" else float(v[0])) for k, v in parts.items()},
        )
    return Ties(threshold=values, **parts)
