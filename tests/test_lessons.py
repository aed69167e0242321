"""cmlearn.lessons: claim checks, Keras with thresholds as given, sweep disagreements."""

import math

import numpy as np
import pytest

import cmlearn
from cmlearn import curves, lessons


def test_article_claims_all_fail_against_its_own_data():
    y_true, y_pred = cmlearn.data.article_example()
    counts = cmlearn.numpy_counts(y_true, y_pred, thresholds=0.5)
    rows = lessons.check_claims(cmlearn.data.ARTICLE_CLAIMS, counts)
    assert [row.name for row in rows] == list(cmlearn.data.ARTICLE_CLAIMS)
    assert not any(row.holds for row in rows)
    computed = {row.name: row.computed for row in rows}
    assert computed["fn"] == counts.fn and computed["tn"] == counts.tn
    assert computed["actual_positives"] == y_true.sum()
    assert computed["fnr"] == cmlearn.rates(counts).fnr


def test_true_claims_hold_including_rates_by_alias():
    counts = cmlearn.numpy_counts([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.6])
    r = cmlearn.rates(counts)
    claims = {"tp": counts.tp, "total": 4, "recall": r.recall, "specificity": r.tnr}
    rows = lessons.check_claims(claims, counts)
    assert all(row.holds for row in rows), rows
    assert "holds" in str(rows[0]) and "WRONG" in str(lessons.check_claims({"tp": 3}, counts)[0])


def test_undefined_rate_claim_does_not_hold():
    counts = cmlearn.numpy_counts([0, 0], [0.1, 0.2])  # no positives: recall is 0/0
    (row,) = lessons.check_claims({"recall": 0.0}, counts)
    assert math.isnan(row.computed) and not row.holds


def test_check_claims_refuses_bad_input():
    counts = cmlearn.numpy_counts([0, 1], [0.2, 0.9])
    with pytest.raises(ValueError, match="unknown names \\['fnrate'\\]"):
        lessons.check_claims({"fnrate": 0.1}, counts)
    sweep = cmlearn.numpy_counts([0, 1], [0.2, 0.9], thresholds=[0.1, 0.5])
    with pytest.raises(TypeError, match="one threshold"):
        lessons.check_claims({"tp": 1}, sweep)


def test_disagreements_finds_exactly_the_differing_thresholds():
    y_true, y_pred = cmlearn.data.make_scores(200, seed=3)
    thresholds = [0.2, 0.4, 0.6]
    a = cmlearn.numpy_counts(y_true, y_pred, thresholds)
    assert lessons.disagreements(a, a).size == 0
    fn = a.fn.copy()
    fn[1] += 1
    b = cmlearn.Counts(a.tp, a.fp, a.tn, fn, a.thresholds)
    assert list(lessons.disagreements(a, b)) == [0.4]


def test_disagreements_refuses_mismatched_or_single_counts():
    a = cmlearn.numpy_counts([0, 1], [0.2, 0.9], thresholds=[0.1, 0.5])
    b = cmlearn.numpy_counts([0, 1], [0.2, 0.9], thresholds=[0.1, 0.6])
    with pytest.raises(ValueError, match="same thresholds"):
        lessons.disagreements(a, b)
    with pytest.raises(TypeError, match="sweep"):
        lessons.disagreements(a, cmlearn.numpy_counts([0, 1], [0.2, 0.9]))


def test_as_given_matches_one_threshold_counts_off_the_even_grid():
    y_true, y_pred = cmlearn.data.make_scores(300, seed=1)
    thresholds = [0.7, 0.1, 0.45, 0.3]  # not evenly spaced: Keras's exact path
    given = lessons.keras_counts_as_given(y_true, y_pred, thresholds)
    exact = cmlearn.keras_counts(y_true, y_pred, thresholds)
    assert lessons.disagreements(given, exact).size == 0
    assert given.source != exact.source


def test_as_given_shows_the_even_grid_shortcut_only_on_ties():
    y_true, y_pred = cmlearn.data.make_scores(300, seed=0)
    y_pred = np.round(y_pred, 2)
    grid = np.linspace(0, 1, 101)
    given = lessons.keras_counts_as_given(y_true, y_pred, list(grid))
    reference = cmlearn.numpy_counts(y_true, y_pred, grid)
    differ = lessons.disagreements(given, reference)
    assert differ.size > 0
    assert np.all(curves.ties_at(y_true, y_pred, differ).n > 0)
    # Away from the ties, the shortcut and the strict comparison agree.
    off_grid = np.round(y_pred + 0.005, 3)
    shifted = lessons.keras_counts_as_given(y_true, np.clip(off_grid, 0, 1), list(grid))
    assert lessons.disagreements(shifted, cmlearn.numpy_counts(y_true, np.clip(off_grid, 0, 1), grid)).size == 0


def test_as_given_refuses_one_threshold():
    with pytest.raises(ValueError, match="several thresholds"):
        lessons.keras_counts_as_given([0, 1], [0.2, 0.9], 0.5)
