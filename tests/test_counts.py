"""cmlearn.counts: the Counts class, the NumPy counting rule and the one comparison of counts."""

import numpy as np
import pytest

import cmlearn
from cmlearn.counts import Counts, count_differences, disagreements, numpy_counts


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
    np.testing.assert_array_equal(count_differences(a, Counts(a.tp, a.fp, a.tn, a.fn + [0, 1], a.thresholds))["fn"], [False, True])


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
