"""The general sentences of lesson 02 (Threshold lab) and its exercise, each held by a property test.

"A score equal to the threshold is a negative prediction" is held in
test_claims_lesson_00.py (test_a_score_equal_to_the_threshold_counts_as_negative).
"""

import warnings

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import GRID, PROPERTY, SLOW_PROPERTY, TINY, binary_samples, float32_steps, near_ties, thresholds
from test_claims_lesson_00 import flushed, raw_counts

import cmlearn
from cmlearn.keras_run.backend import import_keras

_GRIDS = {}


def _evenly_spaced_tp(n):
    """A real TruePositives over n evenly spaced thresholds from 0 to 1 (Keras's shortcut), built once per n."""
    if n not in _GRIDS:
        _GRIDS[n] = import_keras().metrics.TruePositives(thresholds=list(np.linspace(0, 1, n)))
    return _GRIDS[n]


@PROPERTY
@given(binary_samples(weights="any"), thresholds(max_size=5))
def test_raising_the_threshold_tn_and_fn_never_shrink_tp_and_fp_never_grow_and_each_row_keeps_its_total(sample, ts):
    """02, guided question 1, Answer: "TN and FN never shrink, TP and FP never grow, and each row of the
    matrix keeps its total"; takeaway: "Raising the threshold moves samples from TP to FN and from FP to
    TN ... the actual positives and negatives never change." (Exercise 02: "TP can only fall as the
    threshold rises".)

    One-threshold Keras metrics at rising thresholds, with any weights. The row totals are exact with
    whole-number weights; with fractional weights they agree up to float32 rounding of each count.
    """
    y_true, y_pred, w = sample
    rising = sorted(set(ts))
    counts = np.array([[float(v) for v in raw_counts(y_true, y_pred, t, w)] for t in rising])  # tp fp tn fn
    assert np.all(np.diff(counts[:, 0]) <= 0) and np.all(np.diff(counts[:, 1]) <= 0)
    assert np.all(np.diff(counts[:, 2]) >= 0) and np.all(np.diff(counts[:, 3]) >= 0)
    positives, negatives = counts[:, 0] + counts[:, 3], counts[:, 1] + counts[:, 2]
    if w is None or np.all(w == np.round(w)):
        assert np.all(positives == positives[0]) and np.all(negatives == negatives[0])
    else:
        scale = 1e-6 * max(1.0, float(np.sum(w, dtype=np.float64)))
        assert np.ptp(positives) <= scale and np.ptp(negatives) <= scale


@PROPERTY
@given(binary_samples(weights="integer", subnormal=True))
def test_at_1_nothing_is_positive_and_at_0_only_scores_read_as_0_stay_negative(sample):
    """02, "The ends", Answer: "At 1.0 nothing is positive, because no score can be *greater* than 1. At 0.0
    almost everything is positive, but not a score of exactly 0" (takeaway; exercise 02: "no score in [0, 1]
    is above 1.0 ... At threshold 1.0 TP and FP are 0").

    At 0.0 the negatives are the scores of exactly 0 and, on the CPU, the subnormal scores below float32's
    smallest normal (~1.2e-38), which TensorFlow reads as 0 (the lesson's assert says so).
    """
    y_true, y_pred, w = sample
    weight = np.ones(len(y_true)) if w is None else w.astype(np.float64)
    tp, fp, tn, fn = (float(v) for v in raw_counts(y_true, y_pred, 1.0, w))
    assert tp == fp == 0.0
    tp, fp, tn, fn = (float(v) for v in raw_counts(y_true, y_pred, 0.0, w))
    read_as_zero = (y_pred == 0) | (np.abs(y_pred) < TINY)
    assert tn + fn == weight[read_as_zero].sum()
    assert tp + fp == weight[~read_as_zero].sum()


@PROPERTY
@given(
    st.sampled_from([3, 11, 101]),
    st.lists(
        st.sampled_from(GRID) | near_ties(tuple(np.linspace(0, 1, 101))) | st.floats(0, 1, width=32),
        min_size=1,
        max_size=20,
    ),
)
def test_the_shortcut_files_a_score_under_bucket_ceil_score_times_n_minus_1_in_float32_minus_1(n, scores):
    """02, "A surprise": "The bucketing method finds a score's place by multiplying it by 100 (the number of
    thresholds minus one) in float32 and rounding up. When that product lands a hair above a whole number
    ..., a score equal to the threshold is counted as *above* it"; "Not only ties": "its product ...
    can land exactly on the whole number, and then `ceil(...) − 1` files it one bucket too low."

    A real TruePositives over n evenly spaced thresholds counts each positive at exactly the thresholds
    up to its bucket, ceil(float32(score) × (n − 1)) − 1 computed in float32, and, as the lesson's end
    says, "nothing warns you" when that differs from a one-threshold metric.
    """
    keras = import_keras()
    metric = _evenly_spaced_tp(n)
    metric.reset_state()
    y_pred = np.array(scores, dtype=np.float32)
    with warnings.catch_warnings(record=True) as caught:  # "nothing warns you when one does"
        warnings.simplefilter("always")
        metric.update_state(np.ones(len(y_pred)), y_pred)
    assert [str(c.message) for c in caught if not issubclass(c.category, DeprecationWarning)] == []
    got = np.array(keras.ops.convert_to_numpy(metric.result()))
    bucket = np.ceil(flushed(y_pred) * np.float32(n - 1)).astype(np.int64) - 1
    expected = np.array([np.sum(bucket >= j) for j in range(n)], dtype=np.float32)
    np.testing.assert_array_equal(got, expected)


@SLOW_PROPERTY
@given(binary_samples(weights="integer"), thresholds(max_size=6), st.sampled_from([0, 3, 11, 101]))
def test_keras_counts_gives_the_one_threshold_answer_at_every_threshold(sample, ts, n_even):
    """02, end of "Not only ties": "`cmlearn.keras_counts` hands Keras its thresholds in descending order,
    which keeps Keras on its exact `y_pred > threshold` comparison, and so gives the one-threshold answer
    at every threshold."

    Random lists, and evenly spaced grids that would trigger the shortcut, against one-threshold metrics.
    (With fractional weights on large data, see keras_counts's notes: it then runs one-threshold metrics.)
    """
    y_true, y_pred, w = sample
    ts = list(np.linspace(0, 1, n_even)) if n_even else ts
    sweep = cmlearn.keras_counts(y_true, y_pred, ts, sample_weight=w)
    for i, t in enumerate(ts):
        single = tuple(float(v) for v in raw_counts(y_true, y_pred, t, w))
        assert (float(sweep.tp[i]), float(sweep.fp[i]), float(sweep.tn[i]), float(sweep.fn[i])) == single, t


@PROPERTY
@given(binary_samples(weights="any"), thresholds(max_size=5))
def test_keras_returns_one_count_per_threshold_in_the_order_given(sample, ts):
    """Exercise 02, exercise 2: "Keras metrics accept a list of thresholds and return one count per
    threshold, in the order given" (hint: "Keras returns one value per threshold, in the order given").

    A real TruePositives given a list (in any order; not an evenly spaced grid from 0 to 1, where lesson
    02's shortcut applies) returns entry i for threshold i, equal to a one-threshold metric there.
    """
    y_true, y_pred, w = sample
    assume(len(ts) > 1)
    from keras.src.metrics.metrics_utils import is_evenly_distributed_thresholds

    assume(not is_evenly_distributed_thresholds(np.array(ts)))
    keras = import_keras()
    metric = keras.metrics.TruePositives(thresholds=list(ts))
    metric.update_state(y_true, y_pred, sample_weight=w)
    got = np.array(keras.ops.convert_to_numpy(metric.result()))
    assert got.shape == (len(ts),)
    for i, t in enumerate(ts):
        single = float(raw_counts(y_true, y_pred, t, w)[0])
        assert got[i] == single or (w is not None and abs(got[i] - single) <= 1e-6 * max(1.0, single)), (i, t)


@PROPERTY
@given(binary_samples(min_size=2, weights="none"), st.floats(0, 1))
def test_the_thresholds_that_reach_a_recall_form_a_run_starting_at_the_lowest(sample, at_least):
    """Exercise 02, exercise 3: "Recall never rises with the threshold, so the thresholds that reach 0.9
    form a run starting at 0; take its top." Held for any level and data, on the exercise's grid."""
    y_true, y_pred, _ = sample
    assume(y_true.sum() > 0)
    grid = np.round(np.linspace(0, 1, 21), 2)
    sweep = cmlearn.keras_counts(y_true, y_pred, grid)
    recall = sweep.tp / (sweep.tp + sweep.fn)
    assert np.all(np.diff(recall) <= 0)
    reached = recall >= at_least
    k = int(reached.sum())
    assert reached[:k].all() and not reached[k:].any()  # a run from the lowest threshold


def test_a_score_one_float32_step_above_a_threshold_is_above_it():
    """02, "Not only ties": "Take a score one float32 step above a threshold: it is above the threshold, and a
    one-threshold metric counts it as positive there." Held for every interior threshold of the 101-point grid."""
    for t in np.linspace(0, 1, 101)[1:-1]:
        score = float32_steps(t, 1)
        assert np.float32(score) > np.float32(t)
        assert float(raw_counts([1], np.array([score], np.float32), float(t))[0]) == 1.0
