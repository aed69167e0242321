"""Real Keras metrics on (N, K) outputs: per column and flattened, held against the NumPy reference."""

import numpy as np
import pytest

import cmlearn
from cmlearn.columns import numpy_counts_flattened, numpy_counts_per_column, numpy_counts_top_k
from cmlearn.keras_run import keras_counts_flattened, keras_counts_per_column
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.metrics import make_count_metrics, run_metrics


def outputs(n=40, k=3, seed=0):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, k))
    y_pred = (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)).astype(np.float32)
    return np.eye(k, dtype=np.float32)[rng.integers(0, k, n)], y_pred


@pytest.mark.parametrize("k", [2, 3, 5])
def test_flattened_equals_keras_fed_the_whole_array_and_the_numpy_sum(k):
    y_true, y_pred = outputs(k=k, seed=k)
    flat = keras_counts_flattened(y_true, y_pred)
    by_hand = run_metrics(make_count_metrics(0.5), y_true, y_pred)  # Keras's own objects, nothing sliced
    assert [flat.tp, flat.fp, flat.tn, flat.fn] == [float(r[0]) for r in by_hand]
    assert flat == numpy_counts_flattened(y_true, y_pred)
    assert flat.total == k * len(y_true)


def test_per_column_equals_numpy_and_keras_class_id_rates():
    keras = import_keras()
    y_true, y_pred = outputs(k=4, seed=9)
    per_column = keras_counts_per_column(y_true, y_pred)
    assert all(a == b for a, b in zip(per_column, numpy_counts_per_column(y_true, y_pred), strict=True))
    for k, counts in enumerate(per_column):
        precision = keras.metrics.Precision(class_id=k)
        recall = keras.metrics.Recall(class_id=k)
        precision.update_state(y_true, y_pred)
        recall.update_state(y_true, y_pred)
        r = cmlearn.rates(counts, zero_division=0)
        assert float(precision.result()) == pytest.approx(r.precision, rel=1e-6)
        assert float(recall.result()) == pytest.approx(r.recall, rel=1e-6)


def test_sweeps_and_weights_per_column_and_flattened():
    y_true, y_pred = outputs(n=25, k=3, seed=2)
    w = np.linspace(0, 3, 25).astype(np.float32)
    thresholds = [0.7, 0.0, 0.5, 1.0, 0.5]
    flat = keras_counts_flattened(y_true, y_pred, thresholds, sample_weight=w)
    reference = numpy_counts_flattened(y_true, y_pred, thresholds, sample_weight=w)
    for key in ("tp", "fp", "tn", "fn"):
        assert np.allclose(getattr(flat, key), getattr(reference, key), rtol=1e-6)
    per_column = keras_counts_per_column(y_true, y_pred, thresholds, sample_weight=w)
    assert len(per_column) == 3 and per_column[0].tp.shape == (5,)


def test_keras_top_k_matches_the_numpy_rule():
    keras = import_keras()
    y_true, y_pred = outputs(n=60, k=4, seed=5)
    for k, threshold in ((1, None), (2, None), (1, 0.5)):
        kwargs = {"top_k": k} if threshold is None else {"top_k": k, "thresholds": threshold}
        precision, recall = keras.metrics.Precision(**kwargs), keras.metrics.Recall(**kwargs)
        precision.update_state(y_true, y_pred)
        recall.update_state(y_true, y_pred)
        r = cmlearn.rates(numpy_counts_top_k(y_true, y_pred, k, threshold), zero_division=0)
        assert float(precision.result()) == pytest.approx(r.precision, rel=1e-6)
        assert float(recall.result()) == pytest.approx(r.recall, rel=1e-6)


def test_the_single_column_functions_point_to_these():
    y_true, y_pred = outputs()
    with pytest.raises(ValueError) as error:
        cmlearn.keras_counts(y_true, y_pred)
    assert "keras_counts_per_column" in str(error.value) and "keras_counts_flattened" in str(error.value)
    with pytest.raises(ValueError, match="K >= 2"):
        keras_counts_flattened(y_true[:, 0], y_pred[:, 0])
