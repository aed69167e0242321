"""The general sentences of lesson 00 (Start here), each held by a property test against real Keras.

Each test is named for its sentence; its docstring quotes the sentence and
says where it stands. The sentences about ``fit`` resetting its metrics and
about replicas are held in lessons 05 and 06's claim tests, where they are
shown.
"""

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import GRID, PROPERTY, TINY, binary_samples, near_ties

from cmlearn.keras_run.backend import import_keras

NAMES = ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")
_METRICS = {}


def raw_counts(y_true, y_pred, threshold=0.5, sample_weight=None, reset=True):
    """(tp, fp, tn, fn) from the four real keras.metrics objects at ``threshold``, built once per threshold."""
    keras = import_keras()
    key = float(threshold)
    if key not in _METRICS:
        _METRICS[key] = [getattr(keras.metrics, name)(thresholds=key) for name in NAMES]
    out = []
    for metric in _METRICS[key]:
        if reset:
            metric.reset_state()
        metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        out.append(np.asarray(keras.ops.convert_to_numpy(metric.result())))
    return tuple(out)


def flushed(values):
    """float32, with values below float32's smallest normal read as 0, as TensorFlow's CPU kernels read them."""
    values = np.asarray(values, dtype=np.float32)
    return np.where(np.abs(values) < TINY, np.float32(0), values)


def reference_counts(y_true, y_pred, threshold, sample_weight=None):
    """An independent count, in float32.

    A label is positive iff its float32 value is not 0; a prediction is positive iff y_pred > threshold.
    """
    actual = flushed(y_true) != 0
    predicted = flushed(y_pred) > flushed(threshold)
    w = np.ones(len(actual)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    return tuple(
        float(w[a & p].sum())
        for a, p in ((actual, predicted), (~actual, predicted), (~actual, ~predicted), (actual, ~predicted))
    )


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID) | near_ties())
def test_each_count_is_a_float32_sum_of_sample_weights(sample, threshold):
    """00, "What this bundle is about": "Each one returns a **count**: a float32 sum of sample weights
    (with no weights, simply how many samples fell in that cell)." (Also 01's takeaways.)

    Whole-number weights give the exact sum; fractional ones the sum up to float32 rounding.
    """
    y_true, y_pred, w = sample
    got = raw_counts(y_true, y_pred, threshold, w)
    expected = reference_counts(y_true, y_pred, threshold, w)
    for value, exact in zip(got, expected, strict=True):
        assert value.dtype == np.float32 and value.shape == ()
        if w is None or np.all(w == np.round(w)):
            assert float(value) == exact
        else:
            assert abs(float(value) - exact) <= 1e-6 * max(1.0, float(np.sum(w, dtype=np.float64)))
    if w is None:
        assert sum(float(v) for v in got) == len(y_true)  # every sample in exactly one cell


@PROPERTY
@given(binary_samples(weights="any"), binary_samples(weights="none"), st.sampled_from(GRID) | near_ties())
def test_counts_grow_with_the_data_fed_between_resets_while_a_rate_does_not(first, second, threshold):
    """00: "a metric object adds to its counts at every `update_state` call until `reset_state()` clears
    them, so the more data you feed it in between, the bigger the counts (never smaller), while a rate
    (one count divided by another) does not grow with the amount of data: the same data fed twice
    doubles every count and leaves every rate as it was."

    Held as: feeding more data never makes a count smaller (weights are >= 0); the same data fed
    twice gives exactly twice every count and exactly the same rates, with any weights (float32
    doubling is exact); reset_state() gives 0.
    """
    y1, p1, w1 = first
    once = raw_counts(y1, p1, threshold, w1)
    twice = raw_counts(y1, p1, threshold, w1, reset=False)
    assert all(float(b) == 2 * float(a) for a, b in zip(once, twice, strict=True))  # exactly twice

    def share(counts, num, den):
        d = sum(float(counts[k]) for k in den)
        return None if d == 0 else sum(float(counts[k]) for k in num) / d

    for num, den in (((0,), (0, 3)), ((3,), (3, 0)), ((0,), (0, 1)), ((1,), (1, 2)), ((0, 2), (0, 1, 2, 3))):
        assert share(once, num, den) == share(twice, num, den)  # TPR, FNR, precision, FPR, accuracy
    y2, p2, _ = second
    more = raw_counts(y2, p2, threshold, None, reset=False)
    assert all(float(m) >= float(t) for m, t in zip(more, twice, strict=True))  # never smaller
    keras = import_keras()
    for metric in _METRICS[float(threshold)]:
        metric.reset_state()
        assert float(keras.ops.convert_to_numpy(metric.result())) == 0.0


@PROPERTY
@given(binary_samples(weights="integer", subnormal=True), st.sampled_from(GRID) | near_ties())
def test_a_score_equal_to_the_threshold_counts_as_negative(sample, threshold):
    """00: "a score *equal* to the threshold counts as negative" (also 01, "A score equal to the
    threshold is negative", its Answer and takeaway; 02's Answer and takeaway; exercise 01).

    The tied samples are placed on the threshold itself, so every example has ties; real Keras
    counts them in TN and FN, never in TP or FP. (TensorFlow on the CPU also reads scores below
    float32's smallest normal, ~1.2e-38, as 0: at threshold 0 they are ties too.)
    """
    y_true, y_pred, w = sample
    y_pred = y_pred.copy()
    y_pred[::2] = np.float32(threshold)  # every other sample exactly on the threshold
    tp, fp, tn, fn = raw_counts(y_true, y_pred, threshold, w)
    assert (float(tp), float(fp), float(tn), float(fn)) == reference_counts(y_true, y_pred, threshold, w)
    tied = flushed(y_pred) == flushed(threshold)
    weight = np.ones(len(y_true)) if w is None else w.astype(np.float64)
    above = flushed(y_pred) > flushed(threshold)
    assert float(tp) == weight[above & (y_true == 1)].sum()  # no tied positive in TP
    assert float(fn) >= weight[tied & (y_true == 1)].sum() and float(tn) >= weight[tied & (y_true == 0)].sum()


_LABELS = st.sampled_from([0.0, 1.0, 2.0, 0.3, -1.0, 1e-50, 1e-40, float("nan"), 7.0, -0.0, float(TINY), 1e-30])


@PROPERTY
@given(st.lists(_LABELS, min_size=1, max_size=30), st.data())
def test_labels_are_cast_to_bool_every_label_not_0_in_float32_is_positive(labels, data):
    """00: "labels are cast to bool"; 01, "Labels are cast to bool": "every label that is not 0 (once cast
    to float32 ...) counts as a positive: negative labels and NaN included. (On the CPU, TensorFlow also
    reads a float32 below its smallest normal number, about 1.2e-38, as 0, so such a tiny label is a
    negative.)"; takeaway: "any label that is not 0 in float32, a 2 or a soft 0.3, is counted as a positive".

    Labels 2, 0.3, -1, NaN and 1e-30 are positives; 1e-50 (0 in float32) and the subnormal 1e-40
    (read as 0) are negatives.
    """
    y_true = np.array(labels, dtype=np.float64)
    y_pred = np.array(
        data.draw(st.lists(st.floats(0, 1, width=32), min_size=len(labels), max_size=len(labels))), dtype=np.float32
    )
    got = tuple(float(v) for v in raw_counts(y_true, y_pred, 0.5))
    positive = flushed(y_true) != 0  # NaN != 0: positive
    predicted = flushed(y_pred) > np.float32(0.5)
    assert got == tuple(
        float(np.sum(a & p))
        for a, p in ((positive, predicted), (~positive, predicted), (~positive, ~predicted), (positive, ~predicted))
    )


@PROPERTY
@given(
    binary_samples(weights="none"), st.floats(-30, 30, width=32) | st.sampled_from([0.0, 0.5, 1.0]), st.floats(1, 20)
)
def test_logits_pass_without_a_warning_and_are_compared_with_the_threshold_as_given(sample, threshold_like, scale):
    """00: "logits pass without a warning" (01's Answer: "a logit such as 2.5 is compared with 0.5 as if it
    were a probability").

    Scores far outside [0, 1] are counted, with no Python warning, by the same strict comparison.
    """
    y_true, y_pred, _ = sample
    logits = ((y_pred.astype(np.float64) - 0.5) * 2 * scale).astype(np.float32)
    threshold = min(max(threshold_like, 0.0), 1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = tuple(float(v) for v in raw_counts(y_true, logits, threshold))
    assert [w for w in caught if "logit" in str(w.message).lower() or "range" in str(w.message).lower()] == []
    assert got == reference_counts(y_true, logits, threshold)


def test_keras_3_metrics_have_neither_reset_states_nor_merge_state():
    """00: "older tutorials show Keras 2 methods that Keras 3 no longer has" (lesson 06 shows them).

    Held for every confusion-matrix metric of keras.metrics (Keras 3.15.1 and 3.13.2 alike).
    """
    keras = import_keras()
    for name in (*NAMES, "Precision", "Recall", "AUC"):
        metric = getattr(keras.metrics, name)()
        assert not hasattr(metric, "reset_states") and not hasattr(metric, "merge_state"), name
        assert hasattr(metric, "reset_state") and hasattr(metric, "update_state")
