"""Counts when ``y_pred`` has several columns (softmax classes, multi-label sigmoids), in NumPy.

Keras's ``TruePositives`` and its siblings have no ``class_id``: given an
(N, K) array they flatten it and count all N × K cells as one binary
problem. That flattened count is the **sum of the K per-column counts**, a
one-vs-rest micro count in which every sample adds to K cells, so TN holds
the other K − 1 columns of every sample. It is no class's count and no
confusion matrix.

This module is the TensorFlow-free reference: one :class:`~cmlearn.Counts`
per column, their sum (Keras's flattened count), and Keras's ``top_k`` rule.
:mod:`cmlearn.keras_run.columns` runs the real Keras metrics.

>>> y_true = [[1, 0], [0, 1], [0, 1]]            # one-hot, 2 classes
>>> y_pred = [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3]]  # a 2-unit softmax
>>> [c.tp for c in numpy_counts_per_column(y_true, y_pred)]
[1.0, 1.0]
>>> numpy_counts_flattened(y_true, y_pred)       # TP = TN and FP = FN here, total 2N
Counts(tp=2.0, fp=1.0, tn=2.0, fn=1.0, thresholds=0.5)
"""

from __future__ import annotations

import numpy as np

from cmlearn.counts import COUNT_NAMES, Counts, numpy_counts
from cmlearn.float32 import flush_subnormals, tf_sum
from cmlearn.validation import validate_columns, validate_counts, validate_one_threshold, validate_top_k

__all__ = ["numpy_counts_per_column", "numpy_counts_flattened", "sum_counts", "numpy_counts_top_k", "NEG_INF"]

#: Keras's ``metrics_utils.NEG_INF``: the threshold ``Precision``/``Recall(top_k=k)`` use by default, and
#: the score ``top_k`` writes into every dropped cell. A number, not minus infinity.
NEG_INF = -1e10


def numpy_counts_per_column(y_true, y_pred, thresholds=0.5, sample_weight=None):
    """One :class:`~cmlearn.Counts` per column: each class (or label) as its own binary problem.

    Column ``k`` asks "is this sample of class k?": its TP, FP, TN and FN
    add up to N (the weighted number of samples), and its TN counts only
    samples that are not of class k and scored at most the threshold in
    column k.

    Parameters
    ----------
    y_true : array-like of 0/1, shape (N, K), K >= 2 (one-hot or multi-label)
    y_pred : array-like of scores in [0, 1], shape (N, K)
    thresholds : float or list of floats in [0, 1]
    sample_weight : None, a number, or one weight per sample, shape (N,)

    Returns
    -------
    list of Counts, one per column, in column order

    Examples
    --------
    >>> per_class = numpy_counts_per_column([[1, 0, 0], [0, 0, 1]], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    >>> [(c.tp, c.tn) for c in per_class]
    [(1.0, 1.0), (0.0, 2.0), (1.0, 1.0)]
    """
    y_true, y_pred, weights = validate_columns(y_true, y_pred, sample_weight)
    return [numpy_counts(y_true[:, k], y_pred[:, k], thresholds, weights) for k in range(y_true.shape[1])]


def sum_counts(counts, source="sum of the columns' counts"):
    """Add Counts cell by cell (same thresholds): the per-column counts summed into Keras's flattened count.

    >>> a = Counts(tp=1.0, fp=0.0, tn=2.0, fn=1.0, thresholds=0.5)
    >>> sum_counts([a, a])
    Counts(tp=2.0, fp=0.0, tn=4.0, fn=2.0, thresholds=0.5)
    """
    counts = list(counts)
    if not counts:
        raise ValueError(
            "counts is empty. Fix: pass the list of Counts to add, e.g. numpy_counts_per_column(y_true, y_pred)."
        )
    for i, c in enumerate(counts):
        validate_counts(c, f"counts[{i}]")
        if not np.array_equal(np.asarray(c.thresholds), np.asarray(counts[0].thresholds)):
            raise ValueError(
                f"counts[{i}] holds thresholds {c.thresholds!r}, counts[0] holds {counts[0].thresholds!r}; "
                f"only counts at the same thresholds add up. Fix: count every column with the same thresholds."
            )
    # float32, as Keras accumulates; whole-number counts stay exact below 2**24.
    sums = {
        k: np.sum([np.asarray(getattr(c, k), dtype=np.float32) for c in counts], axis=0, dtype=np.float32)
        for k in COUNT_NAMES
    }
    if np.ndim(counts[0].thresholds) == 0:
        return Counts(**{k: float(v) for k, v in sums.items()}, thresholds=counts[0].thresholds, source=source)
    return Counts(**sums, thresholds=np.asarray(counts[0].thresholds), source=source)


def numpy_counts_flattened(y_true, y_pred, thresholds=0.5, sample_weight=None):
    """What Keras's four count metrics report for an (N, K) array: every cell counted, columns summed.

    This is the flattened, one-vs-rest **micro** count. With one-hot labels
    and a K-unit softmax each sample adds to K cells, so the four counts add
    up to K × N; TN holds, for every sample, the K − 1 classes it is not and
    was not predicted to be.

    With K = 2 (a 2-unit softmax, one-hot labels) and threshold 0.5, a row
    with one column above 0.5 counts the same decision twice: a TP in one
    column and a TN in the other, or an FP and an FN. A row where **neither**
    column is above 0.5 breaks this mirror: it adds one FN (its own class's
    column) and one TN, and no TP or FP. That is not only the exact tie
    [0.5, 0.5]: in float32, ``keras.activations.softmax`` of near-equal
    logits also gives [0.49999997, 0.5] and [0.5, 0.49999997]. (No softmax
    row has both columns above 0.5: they add up to 1, give or take
    rounding.) The rule is exact: TN − TP = FN − FP = the number (with
    weights, the weight) of rows with neither column above the threshold.

    Examples
    --------
    >>> numpy_counts_flattened([[1, 0], [0, 1]], [[0.5, 0.5], [0.1, 0.9]])
    Counts(tp=1.0, fp=0.0, tn=2.0, fn=1.0, thresholds=0.5)
    >>> numpy_counts_flattened([[1, 0]], [[0.49999997, 0.5]])   # neither above 0.5: one FN, one TN
    Counts(tp=0.0, fp=0.0, tn=1.0, fn=1.0, thresholds=0.5)
    """
    per_column = numpy_counts_per_column(y_true, y_pred, thresholds, sample_weight)
    return sum_counts(per_column, source="numpy (every cell, flattened)")


def numpy_counts_top_k(y_true, y_pred, k=1, threshold=None, sample_weight=None):
    """Flattened counts under Keras's ``top_k`` rule, as ``Precision(top_k=k)`` and ``Recall(top_k=k)`` keep them.

    Keras keeps, in each row, the ``k`` highest scores (``tf.math.top_k``:
    the lower column index wins a tie) and writes :data:`NEG_INF` = −1e10
    (``metrics_utils.NEG_INF``) into the others; then every cell is compared
    with the threshold and counted, flattened. With ``top_k`` and no
    ``thresholds``, Keras's threshold is that same −1e10, not minus infinity:
    a kept score in [0, 1] is above it, so each row's top ``k`` cells are its
    positive predictions whatever their scores, and a dropped cell holds
    −1e10, which is not above −1e10 (``>`` is strict), so it counts as a
    negative prediction. (A real −inf threshold would count every cell
    positive.) With ``k=1`` and one-hot labels, precision and recall both
    equal the share of rows whose argmax is right. Give ``threshold`` to
    mimic ``Precision(thresholds=t, top_k=k)``, where a kept cell must also
    score above ``t``.

    As TensorFlow's CPU kernels do, a subnormal score (below about 1.2e-38)
    is taken as 0, in choosing the top ``k`` and in the comparison; the
    weights are added in float32 in TensorFlow's order, so the counts are
    bit-equal to Keras's for up to 108,387 cells.

    Parameters
    ----------
    y_true, y_pred : shape (N, K), as for :func:`numpy_counts_per_column`
    k : int from 1 to K, the number of cells kept per row (Keras's ``top_k``)
    threshold : None (Keras's default with ``top_k``: −1e10) or a float in [0, 1]
    sample_weight : None, a number, or one weight per sample, shape (N,)

    Returns
    -------
    Counts
        Flattened over all cells; ``Precision(top_k=k)`` is TP / (TP + FP),
        ``Recall(top_k=k)`` TP / (TP + FN). ``thresholds`` is −1e10 when
        ``threshold`` is None.

    Examples
    --------
    >>> y_true, y_pred = [[1, 0, 0], [0, 1, 0]], [[0.6, 0.3, 0.1], [0.45, 0.4, 0.15]]
    >>> c = numpy_counts_top_k(y_true, y_pred)
    >>> c.tp, c.fp, c.fn, c.thresholds  # row 2's argmax (column 0) is wrong: one FP, one FN
    (1.0, 1.0, 1.0, -10000000000.0)
    >>> numpy_counts_top_k(y_true, y_pred, threshold=0.5).fp  # 0.45 is not above 0.5: no prediction
    0.0
    >>> numpy_counts_top_k([[0, 1]], [[0.0, 1e-40]])  # 1e-40 is 0 on the CPU: a tie, column 0 kept
    Counts(tp=0.0, fp=1.0, tn=0.0, fn=1.0, thresholds=-10000000000.0)
    """
    y_true, y_pred, weights = validate_columns(y_true, y_pred, sample_weight)
    k = validate_top_k(k, y_pred.shape[1])
    y_pred = flush_subnormals(y_pred.astype(np.float32))
    order = np.argsort(-y_pred, axis=1, kind="stable")[:, :k]
    kept = np.zeros_like(y_pred, dtype=bool)
    np.put_along_axis(kept, order, True, axis=1)
    if threshold is None:
        predicted = kept
    else:
        threshold = validate_one_threshold(threshold)
        predicted = kept & (y_pred > flush_subnormals(np.float32(threshold)))
    positive = y_true.astype(bool)
    w = np.ones(len(y_true), np.float32) if weights is None else flush_subnormals(weights.astype(np.float32))
    w = np.broadcast_to(w[:, None], y_true.shape)
    cells = {
        "tp": positive & predicted,
        "fp": ~positive & predicted,
        "tn": ~positive & ~predicted,
        "fn": positive & ~predicted,
    }
    return Counts(
        **{name: float(tf_sum(np.where(mask, w, np.float32(0)))) for name, mask in cells.items()},
        thresholds=NEG_INF if threshold is None else threshold,
        source=f"numpy (top_k={k}, flattened)",
    )
