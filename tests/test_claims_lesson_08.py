"""The general sentences of lesson 08 (built from counts), its exercise and check_keras_auc's hints.

Each is held on random data.

Every test is named for its sentence and quotes it. The Keras metric objects
are built once (one per grid size or constraint) and reset before each
example; the data are random sizes, integer and fractional weights, scores on
and one or two float32 steps around grid thresholds, and subnormal scores.
"""

import functools
import math
import warnings

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score
from strategies import PROPERTY, SLOW_PROPERTY, binary_samples, float32_steps

from cmlearn.counts import Counts
from cmlearn.grid_metrics import (
    AT_METRICS,
    at_metric_from_counts,
    at_thresholds,
    auc_from_counts,
    auc_thresholds,
    grid_bucket,
    grid_counts,
)
from cmlearn.keras_run.backend import import_keras

keras = import_keras()
GRID_SIZES = (3, 4, 5, 10, 50, 101, 200, 1000)


def _grid(n):
    """AUC(num_thresholds=n)'s interior thresholds, as the Python floats Keras is given."""
    return [float(t) for t in auc_thresholds(n)[1:-1]]


@functools.cache
def _auc(n):
    return keras.metrics.AUC(num_thresholds=n)


@functools.cache
def _direct(n):
    """The four count metrics at the grid's interior thresholds, compared one by one.

    An uneven list of thresholds, so Keras uses no bucket rule.
    """
    thresholds = _grid(n)
    assert len(thresholds) < 3 or not np.allclose(thresholds, np.arange(len(thresholds)) / (len(thresholds) - 1))
    return [cls(thresholds=thresholds) for cls in (keras.metrics.TruePositives, keras.metrics.FalsePositives,
                                                   keras.metrics.TrueNegatives, keras.metrics.FalseNegatives)]


@functools.cache
def _at(name, value, n):
    return getattr(keras.metrics, AT_METRICS[name][0])(value, num_thresholds=n)


def _run(metric, y_true, y_pred, w):
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=w)
    return metric


def _variables(metric, thresholds):
    def array(v):
        return np.array(keras.ops.convert_to_numpy(v), dtype=np.float32, copy=True)

    return Counts(array(metric.true_positives), array(metric.false_positives), array(metric.true_negatives),
                  array(metric.false_negatives), thresholds=thresholds)


def _auc_counts(n, y_true, y_pred, w):
    metric = _run(_auc(n), y_true, y_pred, w)
    return _variables(metric, auc_thresholds(n)), float(keras.ops.convert_to_numpy(metric.result()))


def _direct_counts(n, y_true, y_pred, w):
    out = []
    for metric in _direct(n):
        _run(metric, y_true, y_pred, w)
        out.append(np.array(keras.ops.convert_to_numpy(metric.result()), dtype=np.float32).reshape(-1))
    return out


@st.composite
def near_grid_samples(draw, weights="integer"):
    """(n, y_true, y_pred, w).

    Scores on AUC(n)'s interior thresholds, one or two float32 steps around them, or anywhere.
    """
    n = draw(st.sampled_from(GRID_SIZES))
    grid = _grid(n) or [0.5]
    score = st.builds(lambda t, k: min(max(float32_steps(t, k), 0.0), 1.0), st.sampled_from(grid), st.integers(-2, 2))
    size = draw(st.integers(1, 60))
    y_pred = np.array(draw(st.lists(score | st.floats(0, 1, width=32), min_size=size, max_size=size)), dtype=np.float32)
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=size, max_size=size)))
    if weights == "integer":
        w = draw(st.none() | st.lists(st.integers(0, 5), min_size=size, max_size=size))
    else:
        w = draw(st.lists(st.floats(0, 10, allow_nan=False, width=32), min_size=size, max_size=size))
    return n, y_true, y_pred, (None if w is None else np.array(w, dtype=np.float32))


# ----------------------------------------------------------------- AUC's counts


@PROPERTY
@given(binary_samples(weights="integer", subnormal=True))
def test_without_fractional_weights_auc_with_3_thresholds_keeps_true_positives_at_one_half(sample):
    """08, answer to the first Predict (cell n08-06): "On a 3-point grid that is `ceil(score × 2) − 1`,
    and multiplying by 2 is exact in float32, so the rule agrees with `score > 0.5` on any data without
    fractional weights." Takeaway: "Without fractional weights `AUC(num_thresholds=3).true_positives[1]`
    is always `TruePositives(0.5)`." Exercise 08, exercise 1 ("TruePositives(0.5): the same count")."""
    y_true, y_pred, w = sample
    counts, _ = _auc_counts(3, y_true, y_pred, w)
    singles = [float(_run(cls(thresholds=0.5), y_true, y_pred, w).result()) for cls in _ONE_HALF]
    assert [float(getattr(counts, k)[1]) for k in ("tp", "fp", "tn", "fn")] == singles


_ONE_HALF = (
    keras.metrics.TruePositives,
    keras.metrics.FalsePositives,
    keras.metrics.TrueNegatives,
    keras.metrics.FalseNegatives,
)


@PROPERTY
@given(near_grid_samples(weights="integer"))
def test_auc_counts_equal_true_positives_except_scores_on_or_one_step_above_a_grid_threshold(sample):
    """08, cell n08-06: "On other grids it can file a score lying exactly on a grid threshold, or one
    float32 step above it, on the wrong side"; the takeaway says the same. Held the other way round:
    at every grid threshold that no score lies on or one float32 step above, AUC's four counts equal
    the four count metrics' at that threshold (no fractional weights)."""
    n, y_true, y_pred, w = sample
    counts, _ = _auc_counts(n, y_true, y_pred, w)
    direct = _direct_counts(n, y_true, y_pred, w)
    flushed = np.where(np.abs(y_pred) < np.finfo(np.float32).tiny, np.float32(0), y_pred)
    for i, t in enumerate(_grid(n), start=1):
        t32 = np.float32(t)
        if np.any((flushed == t32) | (flushed == np.nextafter(t32, np.float32(2)))):
            continue
        assert [getattr(counts, k)[i] for k in ("tp", "fp", "tn", "fn")] == [d[i - 1] for d in direct], (n, t)


def test_a_score_on_or_one_float32_step_above_a_grid_threshold_can_be_filed_on_the_wrong_side():
    """08, cell n08-06: "it can file a score lying exactly on a grid threshold, or one float32 step
    above it, on the wrong side (lesson 02 shows one)": both directions, on real Keras objects."""
    above = np.nextafter(np.float32(0.03), np.float32(1))
    counts, _ = _auc_counts(101, [1], [above], None)
    assert counts.tp[3] == 0.0 and float(_run(keras.metrics.TruePositives(0.03), [1], [above], None).result()) == 1.0
    thresholds = np.float32(auc_thresholds(101))
    on = [i for i in range(1, 100) if grid_bucket([thresholds[i]], 101)[0] >= i]  # a tie the bucket rule counts above
    assert on, "no grid threshold of 101 whose own value is filed above it"
    i = on[0]
    counts, _ = _auc_counts(101, [1], [thresholds[i]], None)
    assert (
        counts.tp[i] == 1.0
        and float(_run(keras.metrics.TruePositives(float(auc_thresholds(101)[i])), [1], [thresholds[i]], None).result())
        == 0.0
    )


@PROPERTY
@given(near_grid_samples(weights="fractional"))
def test_with_fractional_weights_auc_counts_differ_from_true_positives_only_in_the_last_bits(sample):
    """08, cell n08-06: "with fractional weights the two metrics add the same weights in different
    orders, which can change the last bits" (away from the thresholds the bucket rule misfiles)."""
    n, y_true, y_pred, w = sample
    counts, _ = _auc_counts(n, y_true, y_pred, w)
    direct = _direct_counts(n, y_true, y_pred, w)
    total = float(np.sum(w, dtype=np.float64))
    flushed = np.where(np.abs(y_pred) < np.finfo(np.float32).tiny, np.float32(0), y_pred)
    for i, t in enumerate(_grid(n), start=1):
        t32 = np.float32(t)
        if np.any((flushed == t32) | (flushed == np.nextafter(t32, np.float32(2)))):
            continue
        for k, d in zip(("tp", "fp", "tn", "fn"), direct, strict=True):
            assert math.isclose(getattr(counts, k)[i], d[i - 1], rel_tol=1e-6, abs_tol=1e-6 * total), (n, t, k)


@PROPERTY
@given(st.sampled_from(GRID_SIZES), binary_samples(weights="integer", subnormal=True))
def test_auc_padded_ends_count_every_sample_positive_then_none(n, sample):
    """08, cell n08-06: "At the first threshold, just below 0, every score is above it, so
    `true_positives[0]` is every malignant tumour (64); at the last, just above 1, none is ... Keras
    pads the ends by 1e-7 so that the curve always runs from "everything positive" to "nothing
    positive"." (Whole-number weights, so that the sums are exact.)"""
    y_true, y_pred, w = sample
    counts, _ = _auc_counts(n, y_true, y_pred, w)
    weight = np.ones(len(y_true)) if w is None else w.astype(np.float64)
    positives, negatives = weight[y_true == 1].sum(), weight[y_true == 0].sum()
    assert (counts.tp[0], counts.fp[0], counts.tn[0], counts.fn[0]) == (positives, negatives, 0, 0)
    assert (counts.tp[-1], counts.fp[-1], counts.tn[-1], counts.fn[-1]) == (0, 0, negatives, positives)


# ------------------------------------------------------------ the area, rebuilt


@PROPERTY
@given(
    st.sampled_from(GRID_SIZES),
    st.sampled_from(["interpolation", "minoring", "majoring"]),
    binary_samples(subnormal=True),
)
def test_auc_rebuilt_from_its_counts_equals_result_to_the_last_bit(n, method, sample):
    """08, answer to "will the hand-made area equal `result()` exactly, or only nearly?" (cell n08-10):
    "Exactly, to the last bit, here and on any data ... `auc_from_counts` adds the trapezoids in the
    order TensorFlow does"; takeaway: "rebuilt by hand from the count arrays it matches to the last bit".
    From AUC's own count arrays, any weights; grid_counts' side is held by
    tests/test_references_against_keras.py::test_grid_counts_and_auc_from_counts_are_bit_equal_to_keras_auc."""
    y_true, y_pred, w = sample
    metric = _run(_auc_method(n, method), y_true, y_pred, w)
    counts = _variables(metric, auc_thresholds(n))
    result = np.float32(keras.ops.convert_to_numpy(metric.result()))
    assert np.float32(auc_from_counts(counts, method)).tobytes() == result.tobytes()


def test_a_float32_sum_can_change_in_its_last_bit_with_the_order_of_its_terms():
    """08, cell n08-10: "a float32 sum can change in its last bit when its terms are added in another
    order": the same three terms, added left to right and right to left, with TensorFlow's float32 adds."""
    terms = [np.float32(1), np.float32(2**-24), np.float32(2**-24)]
    left = keras.ops.add(keras.ops.add(terms[0], terms[1]), terms[2])
    right = keras.ops.add(terms[0], keras.ops.add(terms[1], terms[2]))
    assert float(left) == 1.0 and float(right) == 1.0 + 2**-23


@functools.cache
def _auc_method(n, method):
    return keras.metrics.AUC(num_thresholds=n, summation_method=method)


@PROPERTY
@given(st.sampled_from(GRID_SIZES), binary_samples(subnormal=True))
def test_keras_auc_always_returns_a_number(n, sample):
    """check_keras_auc's hint for a nan answer: "Keras's AUC always returns a number." (scores in
    [0, 1], any weights, zero weights and one class included)."""
    y_true, y_pred, w = sample
    _, result = _auc_counts(n, y_true, y_pred, w)
    assert math.isfinite(result) and 0.0 <= result <= 1.0


def _pairs_sharing_a_cell(n, y_true, y_pred, w):
    """(wrong-order weight, right-order weight, P, N) of the positive-negative pairs in one AUC bucket."""
    weight = np.ones(len(y_true)) if w is None else w.astype(np.float64)
    bucket = np.maximum(grid_bucket(y_pred, n), 0)
    pos, neg = y_true == 1, y_true == 0
    same = bucket[pos][:, None] == bucket[neg][None, :]
    pair_weight = weight[pos][:, None] * weight[neg][None, :]
    higher = y_pred[pos][:, None] > y_pred[neg][None, :]
    lower = y_pred[pos][:, None] < y_pred[neg][None, :]
    return (
        (pair_weight * (same & lower)).sum(),
        (pair_weight * (same & higher)).sum(),
        weight[pos].sum(),
        weight[neg].sum(),
    )


@PROPERTY
@given(st.sampled_from(GRID_SIZES), binary_samples(min_size=2, weights="integer"))
def test_keras_auc_gives_half_credit_to_pairs_sharing_a_grid_cell(n, sample):
    """08, answer on the table (cell n08-14): "Keras's trapezoids give half credit to a malignant and a
    benign tumour that it files in the same cell of its grid ..., whichever is scored higher, while
    scikit-learn credits every pair by its order (half credit only for equal scores). So Keras's AUC
    minus scikit-learn's is (wrong-order pairs − right-order pairs sharing a cell) / (2 × 64 × 107), up
    to float32 rounding." Takeaway: "a positive and a negative that share a cell of the grid get half
    credit whichever is higher". check_keras_auc's hint says the same. Against real AUC and scikit-learn."""
    y_true, y_pred, w = sample
    wrong, right, p, q = _pairs_sharing_a_cell(n, y_true, y_pred, w)
    assume(p > 0 and q > 0)
    _, result = _auc_counts(n, y_true, y_pred, w)
    exact = roc_auc_score(y_true, y_pred, sample_weight=w)
    assert math.isclose(result - exact, (wrong - right) / (2 * p * q), abs_tol=2e-6)


# ----------------------------------------------------------------- "at" metrics


@PROPERTY
@given(st.sampled_from(sorted(AT_METRICS)), st.sampled_from([0.0, 0.5, 0.8, 0.9, 1.0]), st.sampled_from([5, 20, 200]),
       binary_samples(subnormal=True))
def test_an_at_metric_rebuilt_from_its_counts_equals_result_exactly(name, value, n, sample):
    """08, answer to "rebuilt from its count arrays by `at_metric_from_counts`, will it match
    `result()`?" (cell n08-18): "Yes, exactly, here and on any data: one float32 division per
    threshold, a filter, a maximum". All four "at" metrics, any weights. Cell n08-16: "It keeps the four
    counts at 200 thresholds from 0 to 1 (no padding here) ... returns the highest sensitivity among them
    (0.0 if none)"."""
    y_true, y_pred, w = sample
    metric = _run(_at(name, value, n), y_true, y_pred, w)
    assert np.allclose(
        metric.thresholds, at_thresholds(n), rtol=0, atol=1e-7
    )  # "200 thresholds from 0 to 1 (no padding here)"
    counts = _variables(metric, at_thresholds(n))
    assert at_metric_from_counts(counts, name, value) == float(keras.ops.convert_to_numpy(metric.result()))


@PROPERTY
@given(st.sampled_from([5, 20, 200]), binary_samples(weights="integer", subnormal=True))
def test_grid_counts_give_the_counts_keras_keeps_without_fractional_weights(n, sample):
    """Exercise 08's introduction: "`grid_counts` gives the counts Keras keeps (it follows Keras's
    own rule for filing scores on its grid)": equal to AUC's and SensitivityAtSpecificity's own
    variables, for whole-number weights (the exercises use none)."""
    y_true, y_pred, w = sample
    counts, _ = _auc_counts(n, y_true, y_pred, w)
    assert counts == grid_counts(y_true, y_pred, n, "auc", sample_weight=w)
    at = _variables(_run(_at("sensitivity_at_specificity", 0.5, n), y_true, y_pred, w), at_thresholds(n))
    assert at == grid_counts(y_true, y_pred, n, "at", sample_weight=w)


# --------------------------------------------------------------------- one class


@SLOW_PROPERTY
@given(st.sampled_from([0, 1]), st.sampled_from(GRID_SIZES), binary_samples(min_size=2))
def test_with_one_class_keras_auc_is_0_and_scikit_learn_returns_nan_with_a_warning(label, n, sample):
    """08, answer on one class (cell n08-22): "Keras reports **0.0**: with no negatives every FPR is 0,
    so every trapezoid has no width ... the pinned 1.9.1 and Colab's 1.6.1 return `nan` with an
    `UndefinedMetricWarning` ("Only one class is present in y_true. ROC AUC score is not defined in that
    case.")". Exercise 08, exercise 4's note and check_keras_auc's nan hint say the same. Either class alone."""
    _, y_pred, w = sample
    y_true = np.full(len(y_pred), label)
    _, result = _auc_counts(n, y_true, y_pred, w)
    assert result == 0.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exact = roc_auc_score(y_true, y_pred)
    assert np.isnan(exact)
    assert [type(c.message).__name__ for c in caught] == ["UndefinedMetricWarning"]
    assert str(caught[0].message).startswith(
        "Only one class is present in y_true. ROC AUC score is not defined in that case."
    )
