"""The general sentences of lesson 01 (Counts, not fractions) and its exercise, each held by a property test.

Sentences lesson 01 shares with lesson 00 (counts are float32 sums of
weights, a score equal to the threshold is negative, labels cast to bool)
are held in test_claims_lesson_00.py.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import GRID, PROPERTY, binary_samples, near_ties
from test_claims_lesson_00 import raw_counts, reference_counts

import cmlearn
from cmlearn.keras_run.backend import import_keras


@PROPERTY
@given(
    binary_samples(weights="any"),
    st.sampled_from(["int64", "float64", "bool", "float32"]),
    st.sampled_from(GRID) | near_ties(),
)
def test_result_is_a_float32_scalar_whatever_the_input_types(sample, label_dtype, threshold):
    """01, "What result() returns", Answer: "A float32 scalar, because each count is a **sum of sample
    weights**"; takeaway: "return **counts**: float32 sums of sample weights, never shares of a total"."""
    y_true, y_pred, w = sample
    for value in raw_counts(y_true.astype(label_dtype), y_pred.astype(np.float64), threshold, w):
        assert value.dtype == np.float32 and value.shape == ()


@PROPERTY
@given(binary_samples(min_size=2, weights="integer"), st.data(), st.sampled_from(GRID) | near_ties())
def test_a_metric_accumulates_across_update_state_calls_until_reset_state(sample, data, threshold):
    """01, "Counts accumulate until you reset them", Answer: "every `update_state` call adds to the counts
    until `reset_state()` clears them"; takeaway: "A metric object accumulates across `update_state`
    calls until `reset_state()`." (Exercise hint: "A Keras count adds up every sample passed to
    update_state, batch after batch, until reset_state().")

    The data cut into random batches and fed one after another give the counts of the whole.
    """
    y_true, y_pred, w = sample
    cuts = sorted(data.draw(st.lists(st.integers(1, len(y_true) - 1), max_size=4, unique=True)))
    edges = [0, *cuts, len(y_true)]
    running = None
    for start, stop in zip(edges, edges[1:], strict=False):
        part_w = None if w is None else w[start:stop]
        running = raw_counts(y_true[start:stop], y_pred[start:stop], threshold, part_w, reset=start == 0)
    assert tuple(float(v) for v in running) == reference_counts(y_true, y_pred, threshold, w)
    assert tuple(float(v) for v in raw_counts([], np.zeros(0, np.float32), threshold)) == (0.0, 0.0, 0.0, 0.0)


@PROPERTY
@given(binary_samples(weights="none"), st.sampled_from(GRID) | near_ties())
def test_without_weights_a_count_is_a_whole_number_so_0_25_is_never_a_false_negatives_value(sample, threshold):
    """Exercise 01, "What to remember": "0.25 can never be a value of `FalseNegatives` on unweighted data."
    (Hint: "without sample weights a count is a whole number"; 00's Answer: "A whole number stored as a float".)"""
    y_true, y_pred, _ = sample
    for value in raw_counts(y_true, y_pred, threshold):
        assert float(value).is_integer() and 0 <= float(value) <= len(y_true)


@PROPERTY
@given(st.integers(0, 2**24 - 1) | st.integers(2**24 - 3, 2**24 + 40) | st.just(2**24))
def test_float32_holds_every_whole_number_up_to_2_24_and_past_it_adding_1_can_leave_a_count_unchanged(k):
    """01: "float32 holds every whole number exactly only up to 2**24 = 16,777,216. Past that, adding 1
    can leave a count unchanged."

    A TruePositives holding k (one sample of weight k), fed one more sample: exactly k + 1 while
    k + 1 <= 2**24; past it, the float32 sum fl(fl(k) + 1), never k + 1 when k + 1 is odd, and at
    k = 2**24 unchanged.
    """
    keras = import_keras()
    metric = _tp_metric()
    metric.reset_state()
    metric.update_state([1], [0.9], sample_weight=[float(k)])
    metric.update_state([1], [0.9])
    got = float(keras.ops.convert_to_numpy(metric.result()))
    assert got == float(np.float32(k) + np.float32(1))
    if k + 1 <= 2**24:
        assert float(np.float32(k)) == k and got == k + 1
    elif (k + 1) % 2 == 1:
        assert got != k + 1  # no float32 holds it
    if k == 2**24:
        assert got == k  # the extra sample is lost


_TP = []


def _tp_metric():
    if not _TP:
        _TP.append(import_keras().metrics.TruePositives())
    return _TP[0]


@PROPERTY
@given(
    st.lists(st.integers(0, 1), min_size=1, max_size=30),
    st.lists(st.sampled_from(GRID) | st.floats(0, 1), min_size=30, max_size=30),
    st.lists(st.sampled_from([0.0, 1e-10, -1e-10, 1e-9, -3e-9, 5e-8, -5e-8]), min_size=30, max_size=30),
    st.sampled_from(GRID),
)
def test_keras_casts_labels_and_scores_to_float32_before_comparing_and_numpy_counts_does_too(
    labels, base, hair, threshold
):
    """01, "Keras compares in float32": "Before comparing anything, Keras casts labels and scores to
    float32 ... A float64 score too close to the threshold for float32 to tell apart *becomes* the
    threshold"; Answer: "To reproduce Keras's counts, compare in float32 as Keras does;
    `cmlearn.numpy_counts` ... does." Takeaway: "a float64 score of 0.5000000001 is a tie".

    Float64 scores a hair (1e-10 .. 5e-8) from a threshold: Keras counts them as their float32
    casts compare, and numpy_counts agrees with Keras.
    """
    n = len(labels)
    near_threshold = np.clip(threshold + np.array(hair[:n]), 0, 1)  # float64, a hair from the threshold
    y_pred = np.where(np.arange(n) % 3 == 0, np.array(base[:n]), near_threshold)
    y_true = np.array(labels)
    got = tuple(float(v) for v in raw_counts(y_true, y_pred, threshold))
    assert got == reference_counts(y_true, y_pred, threshold)  # compared as float32
    reference = cmlearn.numpy_counts(y_true, y_pred, threshold)
    assert got == (reference.tp, reference.fp, reference.tn, reference.fn)
    near = (y_pred != threshold) & (y_pred.astype(np.float32) == np.float32(threshold))
    if near.any():  # a float64 score that float32 turns into the threshold is a negative prediction
        assert got[0] + got[1] == float(np.sum(y_pred.astype(np.float32) > np.float32(threshold)))


@PROPERTY
@given(binary_samples(weights="none"), st.data())
def test_cmlearn_refuses_any_label_that_is_not_0_or_1_and_says_how_to_fix_it(sample, data):
    """01, "Labels are cast to bool", Answer: "`cmlearn` refuses them and says how to turn labels into
    0 and 1 first"."""
    y_true, y_pred, _ = sample
    bad = data.draw(st.sampled_from([2, 0.3, -1, 0.5, 7, 1.5]))
    i = data.draw(st.integers(0, len(y_true) - 1))
    labels = y_true.astype(np.float64)
    labels[i] = bad
    with pytest.raises(ValueError, match=rf"y_true\[{i}\] is {bad:g}") as error:
        cmlearn.keras_counts(labels, y_pred)
    assert "Fix" in str(error.value)


@PROPERTY
@given(binary_samples(weights="integer"))
def test_hard_0_1_predictions_thresholded_again_at_0_5_give_the_same_counts(sample):
    """01: "The article's code first turns the scores into hard 0/1 predictions with `y_pred > 0.5` and
    then hands those to the metrics, whose default threshold of 0.5 applies again. That double step
    changes nothing here". It changes nothing on any data: 1.0 > 0.5 and 0.0 is not."""
    y_true, y_pred, w = sample
    hard = (y_pred > np.float32(0.5)).astype("float32")
    assert raw_counts(y_true, hard, 0.5, w) == raw_counts(y_true, y_pred, 0.5, w)



def test_the_strict_comparison_and_the_float32_cast_live_in_update_confusion_matrix_variables():
    """01's Answer: "in Keras 3.15 this is the `greater` comparison inside `update_confusion_matrix_variables`
    in `keras/src/metrics/metrics_utils.py`"; "Keras compares in float32": "Keras casts labels and scores to
    float32, the type of the metric's variables (`update_confusion_matrix_variables` ...)". Read from the
    installed source (the same in Colab's 3.13.2)."""
    import inspect

    from keras.src.metrics import metrics_utils

    source = inspect.getsource(metrics_utils)
    body = inspect.getsource(metrics_utils.update_confusion_matrix_variables)
    assert "ops.greater(" in source
    assert "ops.cast(y_true, dtype=variable_dtype)" in body and "ops.cast(y_pred, dtype=variable_dtype)" in body
