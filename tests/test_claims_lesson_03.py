"""The general sentences of lesson 03 (From counts to rates) and its exercise, each held by a property test.

Against real Keras metric objects (Precision, Recall, the four counts) and
scikit-learn (precision_score, recall_score, confusion_matrix, roc_curve,
precision_recall_curve), which the sentences name.
"""

import math
import re
import warnings

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import confusion_matrix, precision_recall_curve, precision_score, recall_score, roc_curve
from strategies import GRID, PROPERTY, TINY, binary_samples, float32_steps, near_ties
from test_claims_lesson_00 import flushed, raw_counts

import cmlearn
from cmlearn.counts import Counts
from cmlearn.keras_run.backend import import_keras
from cmlearn.ratios import RATES

_RATE_METRICS = {}


def _keras_rate(name, y_true, y_pred, threshold, w):
    """A real keras.metrics.Precision or Recall at ``threshold`` (built once per threshold), fed once."""
    keras = import_keras()
    key = (name, float(threshold))
    if key not in _RATE_METRICS:
        _RATE_METRICS[key] = getattr(keras.metrics, name)(thresholds=float(threshold))
    metric = _RATE_METRICS[key]
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=w)
    return float(keras.ops.convert_to_numpy(metric.result()))


def _counts(y_true, y_pred, threshold, w):
    return Counts(*(float(v) for v in raw_counts(y_true, y_pred, threshold, w)), float(threshold))


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID) | near_ties())
def test_keras_precision_and_recall_match_the_hand_division_to_float32_precision_except_at_0_over_0(sample, threshold):
    """03, "Held against Keras's Precision and Recall", Answer: "They agree to float32 precision (Keras divides
    in float32, `cmlearn.rates` in float64...)"; takeaway: "match the hand division to float32 precision,
    except at 0/0, where Keras reports 0.0".

    Within two float32 roundings (the sum TP + FP and the division): relative 2**-23.
    """
    y_true, y_pred, w = sample
    r = cmlearn.rates(_counts(y_true, y_pred, threshold, w))
    for name, mine in (("Precision", r.precision), ("Recall", r.recall)):
        theirs = _keras_rate(name, y_true, y_pred, threshold, w)
        if math.isnan(mine):
            assert theirs == 0.0
        else:
            assert abs(theirs - mine) <= 2.0**-23 * mine, (name, theirs, mine)


@PROPERTY
@given(binary_samples(weights="integer"), st.sampled_from([0.9, 1.0]))
def test_at_0_over_0_keras_and_sklearn_report_0_sklearn_warns_and_only_cmlearn_reports_nan(sample, threshold):
    """03's introduction: "on 0/0, Keras and scikit-learn both report 0 (scikit-learn with a warning) and only
    this bundle reports NaN"; "Where they differ: 0 / 0", Answer; exercise 03: "Keras's `Precision` and
    `Recall` show 0.0 there (and so does scikit-learn's `precision_score` by default, with a warning)".
    Hint: "Keras's Precision and Recall show 0.0 in this case". (scikit-learn 1.6.1 and 1.9.1 alike.)

    Every score is put at or below the threshold, so nothing is predicted positive.
    """
    y_true, y_pred, w = sample
    assume(w is None or w.sum() > 0)  # scikit-learn 1.9 refuses weights that are all 0
    y_pred = np.minimum(y_pred, np.float32(threshold))
    counts = _counts(y_true, y_pred, threshold, w)
    assert counts.tp + counts.fp == 0
    assert _keras_rate("Precision", y_true, y_pred, threshold, w) == 0.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sk = precision_score(y_true, y_pred > np.float32(threshold), sample_weight=w)
    assert sk == 0.0 and any(issubclass(c.category, UndefinedMetricWarning) for c in caught)
    assert math.isnan(precision_score(y_true, y_pred > np.float32(threshold), sample_weight=w, zero_division=np.nan))
    r = cmlearn.rates(counts)
    assert math.isnan(r.precision) and "precision" in r.undefined
    assert cmlearn.rates(counts, zero_division=0).precision == 0.0
    # Recall at 0/0 (no actual positives) behaves the same in Keras.
    negatives = np.zeros_like(y_true)
    assert _keras_rate("Recall", negatives, y_pred, threshold, None) == 0.0
    assert math.isnan(cmlearn.rates(_counts(negatives, y_pred, threshold, None)).recall)


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID) | near_ties())
def test_specificity_is_tnr_fpr_is_one_minus_it_and_sklearn_recall_of_class_0_is_the_same_number(sample, threshold):
    """03, "Specificity is TNR, not FPR", Answer: "Specificity is the **true negative rate**, TN / (TN + FP) ...
    FPR = 1 − specificity ... its recall of the negative class (`pos_label=0`) is the same number"; takeaway:
    "Keras, scikit-learn and cmlearn agree on it"; exercise 03: "FP / (FP + TN) is the false positive rate,
    1 − specificity". With weights, up to float32 rounding of Keras's counts.
    """
    y_true, y_pred, w = sample
    r = cmlearn.rates(_counts(y_true, y_pred, threshold, w))
    assume(not math.isnan(r.tnr))
    assert r.specificity == r.tnr and abs(r.tnr + r.fpr - 1) <= 1e-12
    predicted = flushed(y_pred) > flushed(threshold)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = recall_score(y_true, predicted, pos_label=0, sample_weight=w)
    assert abs(sk - r.tnr) <= 1e-6


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID) | near_ties())
def test_counts_matrix_and_ravel_follow_sklearn_confusion_matrix_with_labels_0_1(sample, threshold):
    """03, "The matrix, laid out as scikit-learn does": "`counts.matrix` follows `sklearn.metrics.confusion_matrix`
    ... `counts.ravel()` gives `(tn, fp, fn, tp)`, the order of `confusion_matrix(...).ravel()`"; takeaway
    "`[[TN, FP], [FN, TP]]`". scikit-learn gives 2×2 only with `labels=[0, 1]` when a class may be missing
    (the lesson says so); without it, one class gives a 1×1 matrix.
    """
    y_true, y_pred, w = sample
    assume(w is None or w.sum() > 0)  # scikit-learn 1.9 refuses weights that are all 0
    counts = _counts(y_true, y_pred, threshold, w)
    hard = (flushed(y_pred) > flushed(threshold)).astype(int)
    sk = confusion_matrix(y_true, hard, labels=[0, 1], sample_weight=w)
    np.testing.assert_allclose(counts.matrix, sk, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(counts.ravel(), sk.ravel(), rtol=1e-6, atol=1e-6)
    if len(set(y_true) | set(hard)) == 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert confusion_matrix(y_true, hard).shape == (1, 1)


@PROPERTY
@given(binary_samples(min_size=2, weights="any"))
def test_sklearns_threshold_tools_count_a_score_equal_to_the_threshold_as_positive(sample):
    """03, "`>` in Keras, `>=` in scikit-learn": "scikit-learn's threshold tools, such as `roc_curve` (and
    `precision_recall_curve`), count a score *equal* to a threshold as positive: `y_pred >= threshold`."
    (Also 01's Answer: "scikit-learn's threshold tools use `>=` instead".)"""
    y_true, y_pred, w = sample
    weight = np.ones(len(y_true)) if w is None else w.astype(np.float64)
    positives, negatives = weight[y_true == 1].sum(), weight[y_true == 0].sum()
    assume(positives > 0 and negatives > 0)
    fpr, tpr, ts = roc_curve(y_true, y_pred, sample_weight=w, drop_intermediate=False)
    for f, t, th in zip(fpr, tpr, ts, strict=True):
        if np.isfinite(th):
            at = y_pred >= th
            assert abs(t - weight[at & (y_true == 1)].sum() / positives) <= 1e-9
            assert abs(f - weight[at & (y_true == 0)].sum() / negatives) <= 1e-9
    precision, recall, ts = precision_recall_curve(y_true, y_pred, sample_weight=w)
    for p, rec, th in zip(precision[:-1], recall[:-1], ts, strict=True):
        at = y_pred >= th
        if weight[at].sum() > 0:
            assert abs(p - weight[at & (y_true == 1)].sum() / weight[at].sum()) <= 1e-9
        assert abs(rec - weight[at & (y_true == 1)].sum() / positives) <= 1e-9


@PROPERTY
@given(binary_samples(min_size=2, weights="integer"))
def test_sklearns_roc_point_at_a_score_is_keras_point_one_float32_step_below_it(sample):
    """03: "scikit-learn's point at 0.5 is Keras's point at the next float32 *below* 0.5". Held at every score
    of any data (float32 scores above float32's smallest normal: TensorFlow reads smaller ones as 0)."""
    y_true, y_pred, w = sample
    weight = np.ones(len(y_true)) if w is None else w
    assume(weight[y_true == 1].sum() > 0 and weight[y_true == 0].sum() > 0)
    fpr, tpr, ts = roc_curve(y_true, y_pred, sample_weight=w, drop_intermediate=False)
    keep = [i for i, th in enumerate(ts) if np.isfinite(th) and th > 2 * TINY]
    assume(keep)
    below = [float32_steps(float(ts[i]), -1) for i in keep]
    sweep = cmlearn.keras_counts(y_true, y_pred, below, sample_weight=w)
    r = cmlearn.rates(sweep)
    np.testing.assert_allclose(np.atleast_1d(r.tpr), tpr[keep], rtol=1e-12)
    np.testing.assert_allclose(np.atleast_1d(r.fpr), fpr[keep], rtol=1e-12)


@PROPERTY
@given(binary_samples(weights="integer"), st.sampled_from(GRID) | near_ties())
def test_keras_gt_and_sklearn_ge_disagree_exactly_on_scores_equal_to_the_threshold(sample, threshold):
    """03, takeaway: "Keras's `>` and scikit-learn's `>=` disagree exactly on scores equal to the threshold."

    Every other sample is put on the threshold; the two matrices differ by exactly the tied samples,
    moved from the predicted-negative column to the predicted-positive one.
    """
    y_true, y_pred, w = sample
    assume(w is None or w.sum() > 0)  # scikit-learn 1.9 refuses weights that are all 0
    assume(threshold == 0 or threshold >= TINY)  # subnormals aside: TensorFlow reads them as 0, NumPy does not
    y_pred = y_pred.copy()
    y_pred[::2] = np.float32(threshold)
    assume(np.all((y_pred == 0) | (y_pred >= TINY)))
    weight = np.ones(len(y_true)) if w is None else w.astype(np.float64)
    keras_side = _counts(y_true, y_pred, threshold, w)
    sk = confusion_matrix(y_true, (y_pred >= np.float32(threshold)).astype(int), labels=[0, 1], sample_weight=w)
    tied = y_pred == np.float32(threshold)
    tied_pos, tied_neg = weight[tied & (y_true == 1)].sum(), weight[tied & (y_true == 0)].sum()
    assert sk[1, 1] - keras_side.tp == tied_pos == keras_side.fn - sk[1, 0]
    assert sk[0, 1] - keras_side.fp == tied_neg == keras_side.tn - sk[0, 0]


@PROPERTY
@given(st.tuples(*[st.integers(0, 50)] * 4), st.integers(2, 9))
def test_any_rate_is_rebuilt_from_the_counts_but_the_counts_not_from_a_rate(cells, k):
    """03, "Every rate is a division", Answer: "you can always rebuild any rate from them; from a rate alone you
    cannot get the counts back." k times every count gives other counts and every rate the same."""
    c = Counts(*(float(v) for v in cells), 0.5)
    scaled = Counts(*(float(k * v) for v in cells), 0.5)
    a, b = cmlearn.rates(c).as_dict(), cmlearn.rates(scaled).as_dict()
    for key in RATES:
        assert (math.isnan(a[key]) and math.isnan(b[key])) or abs(a[key] - b[key]) <= 1e-12, key
    assert c.ravel() != scaled.ravel() or sum(cells) == 0


@PROPERTY
@given(st.tuples(*[st.integers(0, 50) | st.floats(0, 50, width=32)] * 4))
def test_a_rate_lies_between_0_and_1(cells):
    """The rate checks' hint (exercises 03 and 04): "a rate lies between 0 and 1". Every defined rate of
    any non-negative counts."""
    r = cmlearn.rates(Counts(*(float(v) for v in cells), 0.5))
    for key, value in r.as_dict().items():
        assert math.isnan(value) or 0 <= value <= 1, key


def test_keras_has_no_tnr_fpr_or_fnr_metric_at_a_fixed_threshold():
    """Exercise 03: "Keras has no TNR, FPR or FNR metric at a fixed threshold" (facts checked in Keras 3.15.1 and
    3.13.2). Held over every name keras.metrics exports."""
    keras = import_keras()
    names = [n.lower() for n in dir(keras.metrics)]
    fixed = [n for n in names if not re.search(r"at(sensitivity|specificity|recall|precision)$", n)]
    for word in (
        "specificity",
        "negativerate",
        "positiverate",
        "fallout",
        "missrate",
        "selectivity",
        "fnr",
        "fpr",
        "tnr",
    ):
        assert [n for n in fixed if word in n] == [], word
    assert "specificityatsensitivity" in names  # a TNR, but at the threshold that meets a sensitivity


def test_float32_0_over_0_is_nan_with_a_warning_and_python_floats_raise():
    """Exercise 03, exercise 5: "dividing 0 by 0 gives `nan` and a `RuntimeWarning`, not an error. (Plain Python
    floats raise `ZeroDivisionError` instead".)"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = np.float32(0) / (np.float32(0) + np.float32(0))
    assert np.isnan(value) and [c.category for c in caught] == [RuntimeWarning]
    try:
        0.0 / (0.0 + 0.0)
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("a Python float 0/0 did not raise")
