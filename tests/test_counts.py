"""cmlearn.counts: the Counts class, the NumPy counting rule and the one comparison of counts."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cmlearn
from cmlearn.counts import (
    Agreement,
    Counts,
    Float32RangeWarning,
    agreement,
    count_differences,
    disagreements,
    numpy_counts,
    warn_if_beyond_float32,
)


def test_counts_compare_equal_even_for_sweeps():
    a = cmlearn.numpy_counts([0, 1, 1], [0.2, 0.6, 0.9], [0.3, 0.7])
    assert a == cmlearn.keras_counts([0, 1, 1], [0.2, 0.6, 0.9], [0.3, 0.7])
    assert a != cmlearn.numpy_counts([0, 1, 1], [0.2, 0.6, 0.9], [0.3, 0.8])
    with pytest.raises(IndexError, match="one threshold"):
        a.at(0).at(5)


def test_disagreements_finds_exactly_the_differing_thresholds():
    y_true, y_pred = cmlearn.data.make_scores(200, seed=3)
    thresholds = [0.2, 0.4, 0.6]
    a = cmlearn.numpy_counts(y_true, y_pred, thresholds)
    assert disagreements(a, a).size == 0
    fn = a.fn.copy()
    fn[1] += 1
    b = cmlearn.Counts(a.tp, a.fp, a.tn, fn, a.thresholds)
    assert list(disagreements(a, b)) == [0.4]


def test_disagreements_refuses_mismatched_or_single_counts():
    a = cmlearn.numpy_counts([0, 1], [0.2, 0.9], thresholds=[0.1, 0.5])
    b = cmlearn.numpy_counts([0, 1], [0.2, 0.9], thresholds=[0.1, 0.6])
    with pytest.raises(ValueError, match="same thresholds"):
        disagreements(a, b)
    with pytest.raises(ValueError, match="b must hold a sweep"):
        disagreements(a, cmlearn.numpy_counts([0, 1], [0.2, 0.9]))


def test_count_differences_is_exact_by_default_and_tolerant_with_rtol():
    a = numpy_counts([0, 1, 1], [0.2, 0.6, 0.9], [0.3, 0.7], sample_weight=[1.0, 0.1, 0.2])
    nudged = Counts(a.tp * np.float32(1 + 1e-7), a.fp, a.tn, a.fn, a.thresholds)
    assert not any(np.any(d) for d in count_differences(a, a).values())
    assert count_differences(a, nudged)["tp"].any() and a != nudged
    assert not any(np.any(d) for d in count_differences(a, nudged, rtol=1e-5).values())
    np.testing.assert_array_equal(
        count_differences(a, Counts(a.tp, a.fp, a.tn, a.fn + [0, 1], a.thresholds))["fn"], [False, True]
    )


def test_ties_positive_is_the_greater_or_equal_slip():
    y_true, y_pred = [1, 0, 1], [0.5, 0.5, 0.2]
    keras_rule = numpy_counts(y_true, y_pred, 0.5)
    slip = numpy_counts(y_true, y_pred, 0.5, ties="positive")
    assert (keras_rule.tp, keras_rule.fp) == (0.0, 0.0) and (slip.tp, slip.fp) == (1.0, 1.0)
    assert slip.source != keras_rule.source
    with pytest.raises(ValueError, match="ties must be"):
        numpy_counts(y_true, y_pred, ties=">=")


def test_counts_built_by_hand_say_so():
    assert Counts(1.0, 0.0, 0.0, 0.0, 0.5).source == "by hand"
    assert numpy_counts([1], [0.9]).source == "numpy"


# Issue 13, item 2: the reference is exact, past 2**24 too, and says when Keras's float32 count cannot be.
@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 1), st.floats(0, 1, width=32), st.integers(0, 2**30)), min_size=1, max_size=30
    ),
    threshold=st.floats(0, 1, width=32),
)
def test_numpy_counts_are_exact_integers_past_two_to_the_24(data, threshold):
    y_true, y_pred, w = (np.array(column) for column in zip(*data, strict=True))
    w = w.astype(np.float32)  # what Keras would see; the sums are then exact Python integers
    c = numpy_counts(y_true, y_pred, threshold, sample_weight=w)
    above = np.float32(y_pred) > np.float32(threshold)
    exact = {
        "tp": sum(int(x) for x, a, t in zip(w, above, y_true, strict=True) if t and a),
        "fp": sum(int(x) for x, a, t in zip(w, above, y_true, strict=True) if not t and a),
        "tn": sum(int(x) for x, a, t in zip(w, above, y_true, strict=True) if not t and not a),
        "fn": sum(int(x) for x, a, t in zip(w, above, y_true, strict=True) if t and not a),
    }
    assert {k: getattr(c, k) for k in exact} == exact
    assert c.beyond_float32 is any(v >= 2**24 for v in exact.values())
    assert ("past 2**24" in repr(c)) is c.beyond_float32


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5_000), st.integers(0, 2**32 - 1))
def test_numpy_counts_of_fractional_weights_are_within_float64_rounding(n, seed):
    rng = np.random.default_rng(seed)
    y_true, y_pred = (rng.random(n) < 0.5).astype(int), rng.random(n).astype(np.float32)
    w = (rng.random(n) * 10.0 ** rng.integers(-3, 6)).astype(np.float32)
    c = numpy_counts(y_true, y_pred, [0.3, 0.7], sample_weight=w)
    for j, t in enumerate((0.3, 0.7)):
        above = y_pred > np.float32(t)
        exact = math.fsum(w[(y_true == 1) & above].astype(float))  # correctly rounded
        assert abs(c.tp[j] - exact) <= 1e-13 * max(exact, 1e-300)


def test_agreement_explains_rounding_and_the_float32_range_but_not_a_miscount():
    equal = Counts(5.0, 1.0, 4.0, 0.0, 0.5)
    assert agreement(equal, equal) == Agreement(True, "equal", agreement(equal, equal).text, {})
    rounded = agreement(Counts(114.82000732421875, 1.0, 4.0, 0.0, 0.5), Counts(114.81999969482422, 1.0, 4.0, 0.0, 0.5))
    assert (rounded.agree, rounded.kind) == (True, "rounding") and "fractional weights" in rounded.text
    # Whole numbers below 2**24 are exact in float32: one sample in 200,000 is a real difference.
    miscount = agreement(Counts(200_000.0, 1.0, 4.0, 0.0, 0.5), Counts(200_001.0, 1.0, 4.0, 0.0, 0.5))
    assert (miscount.agree, miscount.kind) == (False, "differ")
    assert "TP: Keras 200,000 vs NumPy 200,001" in miscount.text
    past = agreement(Counts(2.0**24, 0.0, 0.0, 0.0, 0.5), Counts(2.0**24 + 1, 0.0, 0.0, 0.0, 0.5))
    assert (past.agree, past.kind, past.largest_difference) == (
        True,
        "float32 range",
        1.0,
    ) and "every 2nd whole number" in past.text
    far = agreement(Counts(2.0**25, 0.0, 0.0, 0.0, 0.5), Counts(2.0**26, 0.0, 0.0, 0.0, 0.5))
    assert not far.agree  # past 2**24 still, but far more than float32 rounding explains
    with pytest.raises(ValueError, match="one threshold"):
        agreement(numpy_counts([1], [0.9], [0.2, 0.5]), numpy_counts([1], [0.9], [0.2, 0.5]))


def test_float32_range_warning_names_the_counts_and_leaves_small_counts_alone():
    with pytest.warns(Float32RangeWarning, match=r"TP = 16,777,218 is at or past 2\*\*24"):
        warn_if_beyond_float32(Counts(2.0**24 + 2, 0.0, 1.0, 0.0, 0.5))
    # 2**24 itself is what float32 reads for 2**24 + 1 samples: it may be inexact.
    with pytest.warns(Float32RangeWarning, match=r"TP = 16,777,216 is at or past 2\*\*24"):
        warn_if_beyond_float32(Counts(2.0**24, 0.0, 1.0, 0.0, 0.5))
    with pytest.warns(Float32RangeWarning, match=r"a sum of the weights fed, .*, is at or past"):
        warn_if_beyond_float32(Counts(3.5, 0.0, 1.0, 0.0, 0.5, largest_exact_sum=2.0**24 + 0.5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_if_beyond_float32(Counts(2.0**24 - 1, 0.0, 1.0, 0.0, 0.5)).tp == 2**24 - 1
