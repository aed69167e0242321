"""Per-column and flattened counts (NumPy) held against scikit-learn and plain NumPy."""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, multilabel_confusion_matrix

from cmlearn.columns import numpy_counts_flattened, numpy_counts_per_column, numpy_counts_top_k, sum_counts
from cmlearn.counts import Counts, numpy_counts


def softmax_outputs(n=60, k=4, seed=1):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, k)).astype(np.float32)
    y_pred = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, k, n)
    return np.eye(k, dtype=np.float32)[labels], y_pred.astype(np.float32)


@pytest.mark.parametrize("threshold", [0.0, 0.25, 0.5, 0.9])
def test_per_column_counts_equal_scikit_learns_multilabel_matrices(threshold):
    y_true, y_pred = softmax_outputs()
    per_column = numpy_counts_per_column(y_true, y_pred, threshold)
    # scikit-learn: one 2x2 matrix [[TN, FP], [FN, TP]] per column.
    matrices = multilabel_confusion_matrix(y_true.astype(int), (y_pred > np.float32(threshold)).astype(int))
    for counts, matrix in zip(per_column, matrices, strict=True):
        assert np.array_equal(counts.matrix, matrix)


def test_flattened_counts_are_the_sum_of_the_columns_and_scikit_learns_ravelled_count():
    y_true, y_pred = softmax_outputs()
    flat = numpy_counts_flattened(y_true, y_pred)
    tn, fp, fn, tp = confusion_matrix(y_true.ravel(), (y_pred.ravel() > 0.5).astype(int), labels=[0, 1]).ravel()
    assert flat.ravel() == (tn, fp, fn, tp)
    assert flat.total == y_true.size  # every cell: K x N
    assert flat == sum_counts(numpy_counts_per_column(y_true, y_pred))


def test_two_column_softmax_mirrors_itself():
    y_true, y_pred = softmax_outputs(n=50, k=2, seed=3)
    flat = numpy_counts_flattened(y_true, y_pred)
    assert (flat.tp, flat.fp) == (flat.tn, flat.fn)
    assert flat.total == 2 * len(y_true)
    one_column = numpy_counts(y_true[:, 1], y_pred[:, 1])
    assert flat.tp == one_column.tp + one_column.tn  # column 0's TP is column 1's TN


def test_a_tie_at_half_breaks_the_mirror():
    flat = numpy_counts_flattened([[0, 1]], [[0.5, 0.5]])
    assert (flat.tp, flat.fp, flat.tn, flat.fn) == (0.0, 0.0, 1.0, 1.0)


def test_weights_apply_to_every_cell_of_their_row():
    y_true, y_pred = softmax_outputs(n=20, k=3)
    w = np.arange(20, dtype=np.float32)
    flat = numpy_counts_flattened(y_true, y_pred, sample_weight=w)
    repeated = numpy_counts(y_true.ravel(), y_pred.ravel(), sample_weight=np.repeat(w, 3))
    assert flat == repeated
    assert flat.total == 3 * w.sum()


def test_thresholds_list_gives_sweeps_per_column():
    y_true, y_pred = softmax_outputs(n=30, k=3)
    per_column = numpy_counts_per_column(y_true, y_pred, [0.2, 0.6])
    assert all(c.tp.shape == (2,) for c in per_column)
    assert sum_counts(per_column) == numpy_counts_flattened(y_true, y_pred, [0.2, 0.6])


def test_top_k_one_without_threshold_is_argmax():
    y_true, y_pred = softmax_outputs(n=80, k=5, seed=4)
    c = numpy_counts_top_k(y_true, y_pred, k=1)
    right = np.sum(y_pred.argmax(axis=1) == y_true.argmax(axis=1))
    assert c.tp == right and c.fp == len(y_true) - right and c.fn == len(y_true) - right
    assert c.tp + c.fp == len(y_true)  # one positive prediction per row


def test_top_k_with_a_threshold_drops_low_top_scores():
    y_true, y_pred = softmax_outputs(n=80, k=5, seed=4)
    c = numpy_counts_top_k(y_true, y_pred, k=1, threshold=0.5)
    confident = y_pred.max(axis=1) > 0.5
    assert c.tp + c.fp == confident.sum()


def test_top_k_two_keeps_two_cells_per_row():
    y_true, y_pred = softmax_outputs(n=10, k=4)
    c = numpy_counts_top_k(y_true, y_pred, k=2)
    assert c.tp + c.fp == 20


@pytest.mark.parametrize(
    ("y_true", "y_pred", "words"),
    [
        ([1, 0], [0.2, 0.8], ["shape (2,)", "K >= 2", "keras_counts"]),
        ([[1], [0]], [[0.2], [0.8]], ["shape (2, 1)", "K >= 2"]),
        ([[1, 0], [0, 1]], [[0.2, 0.8, 0.0], [0.1, 0.1, 0.8]], ["same shape", "(2, 2)", "(2, 3)"]),
        ([[1, 0], [0, 2]], [[0.2, 0.8], [0.1, 0.9]], ["column 1", "y_true[1] is 2"]),
        ([[1, 0], [0, 1]], [[0.2, 0.8], [0.1, 3.0]], ["column 1", "logits"]),
    ],
)
def test_bad_columns_are_refused_by_name(y_true, y_pred, words):
    with pytest.raises(ValueError) as error:
        numpy_counts_per_column(y_true, y_pred)
    for word in words:
        assert word in str(error.value)


def test_sum_counts_refuses_mixed_thresholds_and_nothing():
    a = Counts(1.0, 0.0, 0.0, 0.0, 0.5)
    b = Counts(1.0, 0.0, 0.0, 0.0, 0.3)
    with pytest.raises(ValueError, match="same thresholds"):
        sum_counts([a, b])
    with pytest.raises(ValueError, match="empty"):
        sum_counts([])
