"""Keras's AUC and "at" metrics: their results rebuilt from their own count arrays, and from NumPy grid counts."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from cmlearn.grid_metrics import AT_METRICS, at_metric_from_counts, auc_from_counts, grid_counts, keras_style_auc
from cmlearn.keras_run import auc_by_num_thresholds, keras_at_metric, keras_auc, keras_counts
from cmlearn.keras_run.backend import import_keras

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GRID = [0.0, 0.25, 0.5, 0.75, 1.0, 0.1 * 3, 1 / 3]


@st.composite
def samples(draw):
    n = draw(st.integers(1, 30))
    y_true = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    y_pred = draw(st.lists(st.sampled_from(GRID) | st.floats(0, 1, width=32), min_size=n, max_size=n))
    return np.array(y_true), np.array(y_pred, dtype=np.float32), draw(st.sampled_from([2, 3, 5, 11, 200]))


@SETTINGS
@given(samples(), st.sampled_from(["interpolation", "minoring", "majoring"]))
def test_auc_result_is_rebuilt_from_its_counts_and_its_counts_from_numpy(data, method):
    y_true, y_pred, n = data
    run = keras_auc(y_true, y_pred, num_thresholds=n, summation_method=method)
    assert auc_from_counts(run.counts, method) == pytest.approx(run.result, abs=1e-6)
    assert run.counts == grid_counts(y_true, y_pred, n, "auc")
    assert keras_style_auc(y_true, y_pred, n, method) == pytest.approx(run.result, abs=1e-6)


@SETTINGS
@given(samples(), st.sampled_from(sorted(AT_METRICS)), st.sampled_from([0.0, 0.3, 0.5, 0.9, 1.0]))
def test_at_metric_result_is_rebuilt_from_its_counts(data, name, value):
    y_true, y_pred, n = data
    n = max(n, 1)
    run = keras_at_metric(name, value, y_true, y_pred, num_thresholds=n)
    assert at_metric_from_counts(run.counts, name, value) == pytest.approx(run.result, abs=1e-6)
    assert run.counts == grid_counts(y_true, y_pred, n, "at")


def test_auc_with_three_thresholds_holds_true_positives_at_half():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 200)
    y_pred = rng.random(200).astype(np.float32)
    run = keras_auc(y_true, y_pred, num_thresholds=3)
    at_half = keras_counts(y_true, y_pred, 0.5)
    assert (run.counts.tp[1], run.counts.fp[1], run.counts.tn[1], run.counts.fn[1]) == (
        at_half.tp,
        at_half.fp,
        at_half.tn,
        at_half.fn,
    )


def test_one_class_only():
    keras = import_keras()
    assert keras_auc([1, 1, 1], [0.2, 0.6, 0.9]).result == 0.0
    metric = keras.metrics.AUC()
    metric.update_state([0, 0], [0.2, 0.7])
    assert float(metric.result()) == 0.0


def test_on_this_one_data_set_the_difference_from_scikit_learn_shrinks_at_3_50_and_2000_thresholds():
    """One data set only: in general more thresholds need not bring Keras closer (tests/test_claims_lesson_08.py)."""
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, 300)
    y_pred = np.clip(rng.normal(0.4 + 0.2 * y_true, 0.2), 0, 1).astype(np.float32)
    rows = auc_by_num_thresholds(y_true, y_pred, [3, 50, 2000])
    assert all(r["sklearn"] == roc_auc_score(y_true, y_pred) for r in rows)
    gaps = [abs(r["difference"]) for r in rows]
    assert gaps[0] > gaps[1] > gaps[2]


def test_bad_names_are_refused():
    with pytest.raises(ValueError, match="name must be one of"):
        keras_at_metric("recall_at_recall", 0.5, [0, 1], [0.2, 0.8])
    with pytest.raises(ValueError, match="summation_method"):
        keras_auc([0, 1], [0.2, 0.8], summation_method="careful")
