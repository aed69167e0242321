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
from hypothesis import given
from hypothesis import strategies as st
from strategies import GRID, PROPERTY, SLOW_PROPERTY, binary_samples

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
@given(grid_samples(num_thresholds=(1, *NUM_THRESHOLDS)), st.sampled_from(sorted(AT_METRICS)), st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0]))
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
