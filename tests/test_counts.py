"""cmlearn.counts: the Counts class, the NumPy counting rule and the one comparison of counts."""

import pytest

import cmlearn
from cmlearn.counts import disagreements


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
