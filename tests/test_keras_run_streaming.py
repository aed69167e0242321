"""cmlearn.keras_run.streaming: StreamingFNR and batch_fnr against pooled NumPy counts."""

import numpy as np
import pytest

from cmlearn import data, numpy_counts, rates
from cmlearn.batch_log import batch_slices
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.streaming import StreamingFNR

keras = import_keras()


def _value(x):
    return float(keras.ops.convert_to_numpy(x))


def test_streaming_fnr_equals_pooled_counts_batch_after_batch():
    y_true, y_pred = data.make_scores(230, prevalence=0.3, seed=4)
    weights = np.random.default_rng(1).uniform(0, 3, len(y_true)).astype(np.float32)
    metric = StreamingFNR(threshold=0.4)
    for rows in batch_slices(len(y_true), 64):
        metric.update_state(y_true[rows], y_pred[rows], sample_weight=weights[rows])
        seen = slice(0, rows.stop)
        expected = rates(numpy_counts(y_true[seen], y_pred[seen], 0.4, weights[seen])).fnr
        assert _value(metric.result()) == pytest.approx(expected, rel=1e-6)
    metric.reset_state()
    assert np.isnan(_value(metric.result()))


def test_streaming_fnr_follows_keras_rules_for_ties_labels_and_scalar_weights():
    metric = StreamingFNR(zero_division=0.0)
    assert _value(metric.result()) == 0.0
    metric.update_state(np.array([[1], [1], [0]]), np.array([[0.5], [0.51], [0.9]]), sample_weight=2.0)
    # 0.5 is not > 0.5: one miss, one hit, each weighted 2
    assert [_value(v) for v in metric.variables] == [2.0, 2.0]
    assert _value(metric.result()) == 0.5


def test_streaming_fnr_config_round_trip_and_bad_threshold():
    metric = StreamingFNR(threshold=0.3, name="fnr30")
    clone = type(metric).from_config(metric.get_config())
    assert (clone.threshold, clone.name) == (0.3, "fnr30")
    with pytest.raises(ValueError, match="thresholds must lie in"):
        StreamingFNR(threshold=1.5)
    with pytest.raises(ValueError, match="threshold must be one number"):
        StreamingFNR(threshold=[0.2, 0.4])


