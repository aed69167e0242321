"""The NumPy references held bit for bit against raw Keras metric objects, on random data.

``grid_metrics.grid_counts``, ``auc_from_counts`` and ``at_metric_from_counts``
against ``keras.metrics.AUC`` and the four "at" metrics (their own variables and
``result()``); ``columns.numpy_counts_top_k`` and ``numpy_counts_flattened``
against ``Precision``/``Recall(top_k=...)`` and the four count metrics. The data
have every size from 1 to 300 (and a few far larger), scores on the grid's
thresholds, one or two float32 steps either side, subnormal scores, and
integer or fractional weights. Each Keras object is built once and reset.
"""

import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import GRID, PROPERTY, SLOW_PROPERTY, binary_samples, near_ties, sample_weights, scores

from cmlearn.columns import numpy_counts_flattened, numpy_counts_top_k
from cmlearn.counts import TF_ONE_THREAD_SUM_LIMIT
from cmlearn.grid_metrics import (
    AT_METRICS,
    SUMMATION_METHODS,
    at_metric_from_counts,
    at_thresholds,
    auc_from_counts,
    grid_counts,
)
from cmlearn.keras_run.backend import import_keras

keras = import_keras()
NUM_THRESHOLDS = (2, 3, 5, 11, 101, 200)


@functools.cache
def _metric(cls, *args, **kwargs):
    return getattr(keras.metrics, cls)(*args, **kwargs)


def _fed(metric, y_true, y_pred, w):
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=w)
    return metric


def _variables(metric):
    names = ("true_positives", "false_positives", "true_negatives", "false_negatives")
    return [np.array(keras.ops.convert_to_numpy(getattr(metric, v)), dtype=np.float32) for v in names]


def _same_bits(a, b):
    return np.array_equal(np.asarray(a, np.float32).view(np.int32), np.asarray(b, np.float32).view(np.int32))


@st.composite
def grid_samples(draw, num_thresholds=NUM_THRESHOLDS, max_size=300, subnormal=True):
    """(y_true, y_pred, w, n): scores on n's grid and one or two float32 steps off it, and anything else."""
    n = draw(st.sampled_from(num_thresholds))
    grid = tuple(float(t) for t in at_thresholds(n)) + GRID
    y_true, y_pred, w = draw(binary_samples(max_size=max_size, grid=grid, subnormal=subnormal))
    return y_true, y_pred, w, n


# ------------------------------------------------------------------ AUC and the "at" metrics


@PROPERTY
@given(grid_samples(), st.sampled_from(SUMMATION_METHODS))
def test_grid_counts_and_auc_from_counts_are_bit_equal_to_keras_auc(sample, method):
    y_true, y_pred, w, n = sample
    metric = _fed(_metric("AUC", num_thresholds=n, summation_method=method), y_true, y_pred, w)
    ours = grid_counts(y_true, y_pred, n, "auc", sample_weight=w)
    for theirs, mine in zip(_variables(metric), (ours.tp, ours.fp, ours.tn, ours.fn), strict=True):
        assert _same_bits(theirs, mine)
    result = np.float32(keras.ops.convert_to_numpy(metric.result()))
    assert _same_bits(auc_from_counts(ours, method), result)


@PROPERTY
@given(
    grid_samples(num_thresholds=(1, *NUM_THRESHOLDS)),
    st.sampled_from(sorted(AT_METRICS)),
    st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0]),
)
def test_grid_counts_and_at_metric_from_counts_are_bit_equal_to_keras_at_metrics(sample, name, value):
    y_true, y_pred, w, n = sample
    metric = _fed(_metric(AT_METRICS[name][0], value, num_thresholds=n), y_true, y_pred, w)
    ours = grid_counts(y_true, y_pred, n, "at", sample_weight=w)
    for theirs, mine in zip(_variables(metric), (ours.tp, ours.fp, ours.tn, ours.fn), strict=True):
        assert _same_bits(theirs, mine)
    assert _same_bits(at_metric_from_counts(ours, name, value), np.float32(keras.ops.convert_to_numpy(metric.result())))


@SLOW_PROPERTY
@given(st.integers(8_193, TF_ONE_THREAD_SUM_LIMIT), st.sampled_from(NUM_THRESHOLDS), st.integers(0, 2**32 - 1))
def test_grid_counts_stay_bit_equal_on_larger_data_up_to_the_one_thread_limit(size, n, seed):
    """Sums of more than 8,192 values take Eigen's tree order; fractional weights make every bit count."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random(size) < 0.4).astype(np.float32)
    y_pred = rng.random(size).astype(np.float32)
    y_pred[: size // 10] = np.float32(rng.integers(0, n, size // 10) / max(n - 1, 1))  # ties on the grid
    w = (rng.random(size) * 10.0 ** rng.integers(-2, 3)).astype(np.float32)
    metric = _fed(_metric("AUC", num_thresholds=n), y_true, y_pred, w)
    ours = grid_counts(y_true, y_pred, n, "auc", sample_weight=w)
    for theirs, mine in zip(_variables(metric), (ours.tp, ours.fp, ours.tn, ours.fn), strict=True):
        assert _same_bits(theirs, mine)
    assert _same_bits(auc_from_counts(ours), np.float32(keras.ops.convert_to_numpy(metric.result())))


# ------------------------------------------------------------------ several columns: top_k and the flattened count


@st.composite
def column_samples(draw, weights="any", max_rows=40):
    """(y_true, y_pred, w) of shape (N, K), K >= 2: ties, near-ties of the grid, subnormal scores; 0/1 labels."""
    k = draw(st.integers(2, 6))
    n = draw(st.integers(1, max_rows))
    cells = st.lists(st.lists(scores(subnormal=True), min_size=k, max_size=k), min_size=n, max_size=n)
    y_pred = np.array(draw(cells), dtype=np.float32)
    y_true = np.array(
        draw(st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), min_size=n, max_size=n)), np.float32
    )
    w = draw(sample_weights(n, weights))
    return y_true, y_pred, None if w is None else np.array(w, dtype=np.float32)


def _keras_top_k(y_true, y_pred, w, top_k, threshold):
    """(tp, fp, fn) from raw Precision/Recall(top_k=..., thresholds=...) variables."""
    kwargs = {"top_k": top_k} if threshold is None else {"top_k": top_k, "thresholds": threshold}
    p = _fed(_metric("Precision", **kwargs), y_true, y_pred, w)
    r = _fed(_metric("Recall", **kwargs), y_true, y_pred, w)
    read = [
        np.float32(keras.ops.convert_to_numpy(v)).ravel()[0]
        for v in (p.true_positives, p.false_positives, r.false_negatives)
    ]
    assert read[0] == np.float32(keras.ops.convert_to_numpy(r.true_positives)).ravel()[0]
    return read


@PROPERTY
@given(column_samples(), st.data())
def test_numpy_counts_top_k_is_bit_equal_to_keras_precision_and_recall_top_k(sample, data):
    y_true, y_pred, w = sample
    top_k = data.draw(st.integers(1, y_pred.shape[1]))
    threshold = data.draw(st.none() | st.sampled_from([0.0, 0.5]) | near_ties())
    ours = numpy_counts_top_k(y_true, y_pred, top_k, threshold, sample_weight=w)
    assert _same_bits([ours.tp, ours.fp, ours.fn], _keras_top_k(y_true, y_pred, w, top_k, threshold))


@PROPERTY
@given(column_samples(weights="integer"), st.sampled_from([0.0, 0.5]) | near_ties())
def test_numpy_counts_flattened_equals_keras_four_count_metrics_on_the_whole_array(sample, threshold):
    y_true, y_pred, w = sample
    ours = numpy_counts_flattened(y_true, y_pred, threshold, sample_weight=w)
    theirs = [
        np.float32(keras.ops.convert_to_numpy(_fed(_metric(cls, thresholds=threshold), y_true, y_pred, w).result()))
        for cls in ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")
    ]
    assert _same_bits([ours.tp, ours.fp, ours.tn, ours.fn], theirs)


@PROPERTY
@given(column_samples(weights="fractional"), st.sampled_from([0.0, 0.5]) | near_ties())
def test_numpy_counts_flattened_of_fractional_weights_is_within_float32_rounding_of_keras(sample, threshold):
    y_true, y_pred, w = sample
    ours = numpy_counts_flattened(y_true, y_pred, threshold, sample_weight=w)
    for cls, name in zip(
        ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"), ("tp", "fp", "tn", "fn"), strict=True
    ):
        theirs = float(keras.ops.convert_to_numpy(_fed(_metric(cls, thresholds=threshold), y_true, y_pred, w).result()))
        assert abs(getattr(ours, name) - theirs) <= y_pred.size * 2.0**-23 * max(abs(theirs), 1e-30)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "top_k", "threshold", "expected"),
    [
        ([[0, 1]], [[0.0, 1e-40]], 1, None, (0.0, 1.0, 1.0)),  # 1e-40 is 0 on the CPU: a tie, column 0 kept
        ([[1, 0]], [[1e-40, 0.5]], 2, 0.0, (0.0, 1.0, 1.0)),  # 1e-40 is not above 0.0
    ],
)
def test_numpy_counts_top_k_flushes_subnormal_scores_as_keras_does(y_true, y_pred, top_k, threshold, expected):
    """Issue 18, item 18: the two examples, held against Keras and against the stated counts."""
    y_true, y_pred = np.float32(y_true), np.float32(y_pred)
    ours = numpy_counts_top_k(y_true, y_pred, top_k, threshold)
    assert (ours.tp, ours.fp, ours.fn) == expected
    assert tuple(float(v) for v in _keras_top_k(y_true, y_pred, None, top_k, threshold)) == expected


def test_numpy_counts_top_k_refuses_more_columns_than_there_are_as_keras_does():
    """Issue 18, item 19: k=5 on 4 columns; Keras raises InvalidArgumentError."""
    y_true, y_pred = np.eye(4, dtype=np.float32)[[0, 1]], np.full((2, 4), 0.25, np.float32)
    with pytest.raises(
        ValueError, match=r"top_k must be at most the number of columns of y_pred, 4, but got 5.*Fix: e\.g\. top_k=1"
    ):
        numpy_counts_top_k(y_true, y_pred, 5)
    with pytest.raises(ValueError, match=r"top_k must be a whole number >= 1, but got 0"):
        numpy_counts_top_k(y_true, y_pred, 0)
    with pytest.raises(Exception, match="at least k columns"):
        keras.metrics.Precision(top_k=5).update_state(y_true, y_pred)


#: Logits that make float32 near-ties in a 2-unit softmax (3e-8 apart gives [0.49999997, 0.5]).
NEAR_EQUAL_LOGIT = st.sampled_from([0.0, 1e-8, 3e-8, 6e-8, 1e-7, 2e-7, -3e-8, -6e-8]) | st.floats(-20, 20, width=32)


@PROPERTY
@given(st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(st.tuples(NEAR_EQUAL_LOGIT, NEAR_EQUAL_LOGIT), min_size=n, max_size=n),
    st.lists(st.integers(0, 1), min_size=n, max_size=n),
    sample_weights(n, "integer"),
)))
def test_numpy_counts_flattened_breaks_the_mirror_exactly_on_rows_with_neither_column_above_the_threshold(sample):
    """columns.numpy_counts_flattened's docstring: with a 2-unit softmax and one-hot labels, "TN − TP = FN − FP =
    the number (with weights, the weight) of rows with neither column above the threshold"; real
    keras.activations.softmax outputs of near-equal float32 logits, and Keras's own counts."""
    logits, labels, w = sample
    y_pred = np.array(keras.ops.convert_to_numpy(keras.activations.softmax(np.float32(logits))), dtype=np.float32)
    y_true = np.eye(2, dtype=np.float32)[labels]
    w = None if w is None else np.float32(w)
    c = numpy_counts_flattened(y_true, y_pred, 0.5, sample_weight=w)
    neither = (y_pred <= np.float32(0.5)).all(axis=1)
    weight = np.ones(len(labels)) if w is None else w.astype(np.float64)
    assert c.tn - c.tp == c.fn - c.fp == weight[neither].sum()
    assert not (y_pred > np.float32(0.5)).all(axis=1).any()  # never both columns above 0.5
    theirs = [
        float(keras.ops.convert_to_numpy(_fed(_metric(cls, thresholds=0.5), y_true, y_pred, w).result()))
        for cls in ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")
    ]
    assert theirs == [c.tp, c.fp, c.tn, c.fn]


def test_keras_softmax_of_near_equal_logits_gives_a_row_with_neither_column_above_one_half():
    """The docstring's example row, from Keras itself: [0.49999997, 0.5] adds one FN and one TN."""
    row = np.array(keras.ops.convert_to_numpy(keras.activations.softmax(np.float32([[0.0, 3e-8]]))), dtype=np.float32)
    assert row.tolist() == np.float32([[0.49999997, 0.5]]).tolist()
    c = numpy_counts_flattened([[1, 0]], row)
    assert (c.tp, c.fp, c.tn, c.fn) == (0.0, 0.0, 1.0, 1.0)
