"""Keras-side training helpers against NumPy counts and hand computation."""

import numpy as np
import pytest

from cmlearn import data, numpy_counts, rates
from cmlearn.batches import BatchLog, batch_slices
from cmlearn.keras_metrics import import_keras, make_count_metrics
from cmlearn.training import (
    StreamingFNR,
    averaging_trap,
    batch_fnr,
    breast_cancer_split,
    evaluate_scores,
    history_counts,
    logistic_model,
    merge_counts,
    passthrough_model,
    record_batch_logs,
    sum_states,
    weighted_count_metrics,
)

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


def test_averaging_trap_in_keras_evaluate():
    y_true, y_pred, batch_size = averaging_trap()
    log = BatchLog()
    for rows in batch_slices(len(y_true), batch_size):
        log.add(numpy_counts(y_true[rows], y_pred[rows]))
    model = passthrough_model([batch_fnr, StreamingFNR(name="streaming_fnr"), keras.metrics.Recall(name="recall")])
    logs = evaluate_scores(model, y_true, y_pred, batch_size=batch_size)
    assert logs["batch_fnr"] == pytest.approx(log.averaged("fnr")) == pytest.approx(0.75)
    assert logs["streaming_fnr"] == pytest.approx(log.pooled("fnr")) == pytest.approx(0.5)
    assert logs["recall"] == pytest.approx(1 - logs["streaming_fnr"])


def test_weighted_metrics_use_sample_weight_and_metrics_do_not():
    x_train, _, y_train, _ = breast_cancer_split()
    x_train, y_train = x_train[:120], y_train[:120]
    weight = np.where(y_train == 1, 5.0, 1.0)
    model = logistic_model(x_train.shape[1], metrics=make_count_metrics(), weighted_metrics=weighted_count_metrics())
    history = model.fit(x_train, y_train, sample_weight=weight, epochs=2, batch_size=40, shuffle=False, verbose=0)
    plain, weighted = history_counts(history), history_counts(history, "weighted_")
    assert plain.total.tolist() == [120.0, 120.0]
    np.testing.assert_array_equal(weighted.tp, 5 * plain.tp)
    np.testing.assert_array_equal(weighted.fn, 5 * plain.fn)
    np.testing.assert_array_equal(weighted.tn, plain.tn)
    np.testing.assert_array_equal(weighted.fp, plain.fp)


def test_history_counts_and_batch_logs_match_numpy_on_frozen_model():
    # learning rate 0: the model never changes, so every count is checkable by NumPy.
    x_train, x_val, y_train, y_val = breast_cancer_split()
    model = logistic_model(x_train.shape[1], metrics=make_count_metrics(), learning_rate=0.0)
    callback, records = record_batch_logs()
    history = model.fit(
        x_train, y_train, validation_data=(x_val, y_val), epochs=2, batch_size=100,
        shuffle=False, verbose=0, callbacks=[callback],
    )
    train_scores = model.predict(x_train, verbose=0)
    val_scores = model.predict(x_val, verbose=0)
    expected_train, expected_val = numpy_counts(y_train, train_scores), numpy_counts(y_val, val_scores)
    train, val = history_counts(history), history_counts(history, "val_")
    for key in ("tp", "fp", "tn", "fn"):
        assert getattr(train, key).tolist() == [getattr(expected_train, key)] * 2
        assert getattr(val, key).tolist() == [getattr(expected_val, key)] * 2
    # per-batch logs are running counts within an epoch and restart each epoch
    assert [r["epoch"] for r in records] == [0] * 4 + [1] * 4
    for rows, record in zip(batch_slices(len(y_train), 100) * 2, records, strict=True):
        seen = numpy_counts(y_train[: rows.stop], train_scores[: rows.stop])
        assert record["tp"] == seen.tp and record["fn"] == seen.fn


def test_history_counts_errors():
    with pytest.raises(KeyError, match="History has no 'val_tp'"):
        history_counts({"tp": [1.0], "fp": [1.0], "tn": [1.0], "fn": [1.0]}, prefix="val_")
    with pytest.raises(TypeError, match="History or its .history dict"):
        history_counts([1, 2])


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


def test_plot_history_counts_draws_counts_and_rates():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cmlearn.training import plot_history_counts

    h = {"tp": [3.0, 4.0], "fn": [2.0, 1.0], "fp": [1.0, 1.0], "tn": [6.0, 6.0],
         "val_tp": [1.0, 2.0], "val_fn": [1.0, 0.0], "val_fp": [0.0, 0.0], "val_tn": [3.0, 3.0]}
    fig = plot_history_counts(h, count="fn", rate="fnr")
    left, right = fig.axes
    assert [list(line.get_ydata()) for line in left.lines] == [[2.0, 1.0], [1.0, 0.0]]
    np.testing.assert_allclose(right.lines[0].get_ydata(), [0.4, 0.2])
    np.testing.assert_allclose(right.lines[1].get_ydata(), [0.5, 0.0])
    plt.close(fig)
    with pytest.raises(ValueError, match="count must be one of"):
        plot_history_counts(h, count="recall")


def test_history_counts_refuses_sweeps():
    with pytest.raises(ValueError, match="one-threshold metrics"):
        history_counts({k: [[1.0, 2.0]] for k in ("tp", "fp", "tn", "fn")})
