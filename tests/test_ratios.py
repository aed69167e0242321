"""Rates divided by hand agree with Keras's Precision/Recall and scikit-learn."""

import math
import re
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

import cmlearn
from cmlearn.counts import Counts
from cmlearn.keras_run.backend import import_keras
from cmlearn.ratios import ALIASES, RATES, format_rate

counts_st = st.builds(
    lambda tp, fp, tn, fn: Counts(float(tp), float(fp), float(tn), float(fn), 0.5),
    *[st.integers(0, 50)] * 4,
)


@settings(max_examples=200, deadline=None)
@given(counts_st)
def test_rates_are_the_textbook_divisions(c):
    r = cmlearn.rates(c)

    def div(a, b):
        return a / b if b else math.nan

    expected = {
        "tpr": div(c.tp, c.tp + c.fn),
        "tnr": div(c.tn, c.tn + c.fp),
        "fpr": div(c.fp, c.fp + c.tn),
        "fnr": div(c.fn, c.fn + c.tp),
        "precision": div(c.tp, c.tp + c.fp),
        "npv": div(c.tn, c.tn + c.fn),
        "accuracy": div(c.tp + c.tn, c.total),
        "prevalence": div(c.tp + c.fn, c.total),
        "f1": div(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    }
    present = [v for v in (expected["tpr"], expected["tnr"]) if not math.isnan(v)]  # as scikit-learn
    expected["balanced_accuracy"] = sum(present) / len(present) if present else math.nan
    for key, value in expected.items():
        got = getattr(r, key)
        assert (math.isnan(got) and math.isnan(value)) or got == pytest.approx(value), key
        assert (key in r.undefined) == math.isnan(value)
    if not math.isnan(r.tnr):
        assert r.specificity == r.tnr and r.tnr + r.fpr == pytest.approx(1.0)
    for alias, key in ALIASES.items():
        assert getattr(r, alias) is getattr(r, key) or math.isnan(getattr(r, key))


def test_rates_match_sklearn_on_real_scores():
    y_true, y_pred = cmlearn.data.make_scores(500, prevalence=0.3, seed=11)
    r = cmlearn.rates(cmlearn.keras_counts(y_true, y_pred, 0.5))
    y_label = (y_pred > 0.5).astype(int)
    assert r.recall == pytest.approx(skm.recall_score(y_true, y_label))
    assert r.precision == pytest.approx(skm.precision_score(y_true, y_label))
    assert r.accuracy == pytest.approx(skm.accuracy_score(y_true, y_label))
    assert r.balanced_accuracy == pytest.approx(skm.balanced_accuracy_score(y_true, y_label))
    assert r.f1 == pytest.approx(skm.f1_score(y_true, y_label))


def test_rates_match_keras_precision_and_recall_and_differ_at_zero_over_zero():
    keras = import_keras()
    y_true, y_pred = cmlearn.data.make_scores(400, seed=4)
    for threshold in (0.3, 0.5, 0.8):
        r = cmlearn.rates(cmlearn.keras_counts(y_true, y_pred, threshold))
        assert r.precision == pytest.approx(float(keras.metrics.Precision(threshold)(y_true, y_pred)), rel=1e-6)
        assert r.recall == pytest.approx(float(keras.metrics.Recall(threshold)(y_true, y_pred)), rel=1e-6)
    # Nothing predicted positive: precision is 0/0. Keras says 0.0; we say NaN unless asked.
    y_true, y_pred = [0, 1, 0], [0.1, 0.2, 0.3]
    c = cmlearn.keras_counts(y_true, y_pred, 0.5)
    assert float(keras.metrics.Precision(0.5)(y_true, y_pred)) == 0.0
    assert math.isnan(cmlearn.rates(c).precision) and "precision" in cmlearn.rates(c).undefined
    assert cmlearn.rates(c, zero_division=0).precision == 0.0
    assert cmlearn.rates(c, zero_division=1).precision == 1.0


def test_rates_of_a_sweep_are_arrays():
    y_true, y_pred = cmlearn.data.make_scores(300, seed=8)
    sweep = cmlearn.keras_counts(y_true, y_pred, [0.2, 0.5, 0.9])
    r = cmlearn.rates(sweep)
    assert r.tpr.shape == (3,)
    for j in range(3):
        assert r.tpr[j] == cmlearn.rates(sweep.at(j)).tpr
    with pytest.raises(ValueError, match=r"counts.at\(i\)"):
        r.formula("tpr")


@pytest.mark.parametrize("key", list(RATES))
def test_every_formula_shows_live_numbers_and_its_value(key):
    c = Counts(tp=7.0, fp=2.0, tn=9.0, fn=3.0, thresholds=0.5)
    r = cmlearn.rates(c)
    text = r.formula(key)
    assert text.startswith(RATES[key].symbol + " = ")
    assert text.endswith(f" = {r.text(key)}")


def test_formula_of_fractional_and_undefined_counts():
    c = Counts(tp=2.5, fp=0.0, tn=0.0, fn=0.0, thresholds=0.5)
    r = cmlearn.rates(c)
    assert r.formula("precision") == "precision = TP / (TP + FP) = 2.5 / (2.5 + 0) = 1.000"
    assert r.formula("tnr") == "TNR = TN / (TN + FP) = 0 / (0 + 0) = undefined (0/0), shown as nan"
    with pytest.raises(ValueError, match=r"name must be one of 'tpr', .*, but got 'recal'\. Fix: e\.g\. name='tpr'\."):
        r.formula("recal")
    with pytest.raises(AttributeError, match=r"the rate must be one of 'tpr', .*, but got 'recal'"):
        r.recal  # noqa: B018


def test_article_fnr_is_zero_not_a_quarter():
    y_true, y_pred = cmlearn.data.article_example()
    r = cmlearn.rates(cmlearn.keras_counts(y_true, y_pred, 0.5))
    assert r.formula("fnr") == "FNR = FN / (FN + TP) = 0 / (0 + 5) = 0.000"
    assert r.fnr != cmlearn.data.ARTICLE_CLAIMS["fnr"]
    np.testing.assert_equal(r.as_dict()["fnr"], 0.0)


# Issue 13, item 5: balanced accuracy with one class present, held against scikit-learn's
# balanced_accuracy_score, which averages recall over the classes present in y_true.
BALANCED_CASES = [
    ("only negatives", [0, 0, 0], [0.1, 0.9, 0.8], None),
    ("only positives", [1, 1, 1, 1], [0.9, 0.2, 0.7, 0.6], None),
    ("both classes", [0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6], None),
    ("a class weighted out", [0, 1, 0, 1], [0.2, 0.9, 0.7, 0.3], [1, 0, 2, 0]),
]


@pytest.mark.parametrize("zero_division", [0, 1, math.nan])
@pytest.mark.parametrize("case", BALANCED_CASES, ids=[c[0] for c in BALANCED_CASES])
def test_balanced_accuracy_matches_sklearn_with_one_class_present(case, zero_division):
    _, y_true, y_pred, w = case
    r = cmlearn.rates(cmlearn.numpy_counts(y_true, y_pred, sample_weight=w), zero_division=zero_division)
    y_label = (np.float32(y_pred) > np.float32(0.5)).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "y_pred contains classes not in y_true"
        expected = skm.balanced_accuracy_score(y_true, y_label, sample_weight=w)
    assert r.balanced_accuracy == pytest.approx(expected)
    assert "balanced_accuracy" not in r.undefined
    formula = r.formula("balanced_accuracy")
    assert formula.endswith(format_rate(expected)) or "left out" in formula


def test_balanced_accuracy_formula_says_which_class_is_left_out():
    r = cmlearn.rates(cmlearn.numpy_counts([0, 0, 0], [0.1, 0.9, 0.8]), zero_division=0)
    assert r.balanced_accuracy == pytest.approx(1 / 3)  # TNR alone; not (0 + 1/3) / 2
    assert "over the classes present = TNR = 0.333 (TPR is 0/0" in r.formula("balanced_accuracy")
    empty = cmlearn.rates(Counts(0.0, 0.0, 0.0, 0.0, 0.5), zero_division=1)
    assert empty.balanced_accuracy == 1.0 and "balanced_accuracy" in empty.undefined  # no class at all


# Issue 18, item 14: one rate format (cmlearn.ratios.format_rate) for the formulas, the explorer and the labs.
# A division that ends within 4 decimals is shown in full; any other is rounded half away from zero to 3.
EXACT_RATE = {
    "tpr": lambda c: (c["tp"], c["tp"] + c["fn"]),
    "tnr": lambda c: (c["tn"], c["tn"] + c["fp"]),
    "fpr": lambda c: (c["fp"], c["fp"] + c["tn"]),
    "fnr": lambda c: (c["fn"], c["fn"] + c["tp"]),
    "precision": lambda c: (c["tp"], c["tp"] + c["fp"]),
    "npv": lambda c: (c["tn"], c["tn"] + c["fn"]),
    "accuracy": lambda c: (c["tp"] + c["tn"], c["tp"] + c["tn"] + c["fp"] + c["fn"]),
    "prevalence": lambda c: (c["tp"] + c["fn"], c["tp"] + c["tn"] + c["fp"] + c["fn"]),
    "f1": lambda c: (2 * c["tp"], 2 * c["tp"] + c["fp"] + c["fn"]),
}


def _reference_text_value(exact):
    """What the shown text must read as: the exact rate if it ends within 4 decimals, else rounded half away from 0."""
    if (exact * 10**4).denominator == 1:
        return exact
    return Fraction(math.floor(exact * 1000 + Fraction(1, 2)), 1000)  # rates are >= 0: half away = half up


# Counts whose rates land on exact halves at 3 places (4/64 = 0.0625), end sooner, or never end;
# fractional float32 counts as sums of float32 weights give.
_count = st.integers(0, 200).map(float) | st.sampled_from([0.5, 0.25, 1.5, 2.5, 0.125]) | st.floats(
    0, 50, allow_nan=False, width=32
)


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(_count, _count, _count, _count),
    st.sampled_from([(4, 60, 9, 1), (1, 7, 7, 1), (3, 37, 1, 39)]),
    st.booleans(),
)
def test_a_rate_that_ends_within_4_decimals_is_shown_in_full_and_any_other_rounded_half_away_from_zero(
    drawn, halves, use_halves
):
    tp, fp, tn, fn = (float(v) for v in (halves if use_halves else drawn))
    c = Counts(tp=tp, fp=fp, tn=tn, fn=fn, thresholds=0.5)
    r = cmlearn.rates(c)
    exact_counts = {k: Fraction(getattr(c, k)) for k in ("tp", "fp", "tn", "fn")}
    expected = {}
    for key, parts in EXACT_RATE.items():
        num, den = parts(exact_counts)
        expected[key] = None if den == 0 else num / den
    present = [expected[k] for k in ("tpr", "tnr") if expected[k] is not None]
    expected["balanced_accuracy"] = sum(present, Fraction(0)) / len(present) if present else None
    for key, exact in expected.items():
        text = r.text(key)
        if exact is None:
            assert text == "undefined", key
            continue
        assert re.fullmatch(r"\d+\.\d{3,4}", text), (key, text)
        assert Fraction(text) == _reference_text_value(exact), (key, text, exact)
        ends_at_4 = (exact * 1000).denominator != 1 and (exact * 10**4).denominator == 1
        assert len(text.split(".")[1]) == (4 if ends_at_4 else 3), (key, text)
        assert r.formula(key).endswith(f" = {text}") or "left out" in r.formula(key)  # the formula shows the same text


def test_fnr_4_of_64_is_shown_as_0_0625_in_the_formula_not_rounded_half_to_even():
    """The issue's case: "FNR = 4 / (4 + 60) = 0.062", where 4/64 = 0.0625 (and a hand division gives 0.063)."""
    r = cmlearn.rates(Counts(tp=60.0, fp=3.0, tn=104.0, fn=4.0, thresholds=0.5))
    assert r.formula("fnr") == "FNR = FN / (FN + TP) = 4 / (4 + 60) = 0.0625"
    assert f"{r.fnr:.3f}" == "0.062"  # what the old f"{value:.3f}" showed: half to even, in binary


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1, allow_nan=False))
def test_a_float_rate_is_read_as_its_shortest_decimal(value):
    """A float (a mean of per-batch rates) is read as repr gives it, then shown by the same rule."""
    assert Fraction(format_rate(value)) == _reference_text_value(Fraction(repr(value)))
