"""cmlearn.keras_run.merging: metric objects and stateless states add up to the whole."""

import numpy as np
import pytest

from cmlearn import data, numpy_counts, rates
from cmlearn.batch_log import batch_slices
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.merging import merge_counts, sum_states
from cmlearn.keras_run.streaming import StreamingFNR

keras = import_keras()


def _value(x):
    return float(keras.ops.convert_to_numpy(x))


def test_merge_counts_sums_parts_and_matches_whole():
    y_true, y_pred = data.make_scores(300, prevalence=0.4, seed=2)
    parts = []
    for rows in batch_slices(len(y_true), 110):
        metric = keras.metrics.FalseNegatives(thresholds=[0.3, 0.6])
        metric.update_state(y_true[rows], y_pred[rows])
        parts.append(metric)
    before = [keras.ops.convert_to_numpy(p.result()).copy() for p in parts]
    merged = merge_counts(parts)
    whole = numpy_counts(y_true, y_pred, thresholds=[0.3, 0.6])
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(merged.result()), whole.fn)
    for part, value in zip(parts, before, strict=True):  # inputs untouched
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(part.result()), value)
    a, b = StreamingFNR(), StreamingFNR()
    a.update_state(y_true[:150], y_pred[:150])
    b.update_state(y_true[150:], y_pred[150:])
    assert _value(merge_counts([a, b]).result()) == pytest.approx(rates(numpy_counts(y_true, y_pred)).fnr)


def test_merge_counts_refuses_what_cannot_be_added():
    with pytest.raises(TypeError, match="of one class"):
        merge_counts([keras.metrics.TruePositives(), keras.metrics.FalsePositives()])
    with pytest.raises(ValueError, match="share one configuration"):
        merge_counts([keras.metrics.TruePositives(0.3), keras.metrics.TruePositives(0.6)])
    with pytest.raises(TypeError, match="Keras metric objects"):
        merge_counts([1, 2])
    with pytest.raises(ValueError, match="non-empty list"):
        merge_counts([])


def test_sum_states_matches_update_state_on_everything():
    y_true, y_pred = data.make_scores(90, seed=7)
    metric = keras.metrics.TrueNegatives(thresholds=[0.2, 0.5])
    start = [v.value for v in metric.variables]
    states = [metric.stateless_update_state(start, y_true[rows], y_pred[rows]) for rows in batch_slices(90, 40)]
    summed = sum_states(states)
    expected = numpy_counts(y_true, y_pred, [0.2, 0.5]).tn
    # a count metric's state is its count
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(summed[0]), expected)
    # Keras 3.15.1 (TensorFlow): with several thresholds stateless_result hands back the
    # metric's own (untouched, zero) variable, not the state passed in.
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(metric.stateless_result(summed)), [0.0, 0.0])
    one = keras.metrics.TrueNegatives(thresholds=0.5)
    start = [v.value for v in one.variables]
    states = [one.stateless_update_state(start, y_true[rows], y_pred[rows]) for rows in batch_slices(90, 40)]
    assert _value(one.stateless_result(sum_states(states))) == expected[1]
    with pytest.raises(ValueError, match="states is empty"):
        sum_states([])


def test_keras3_has_no_merge_state_and_tf_keras_does():
    assert not hasattr(keras.metrics.TruePositives(), "merge_state")
    assert not hasattr(keras.metrics.TruePositives(), "reset_states")
    import tf_keras  # in requirements.txt: Keras 2, for the old habits

    a, b = tf_keras.metrics.TruePositives(), tf_keras.metrics.TruePositives()
    a.update_state([1, 1], [0.9, 0.8])
    b.update_state([1, 0], [0.7, 0.9])
    a.merge_state([b])
    assert float(a.result()) == 3.0
