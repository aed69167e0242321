"""cmlearn.claims: numbers stated in prose held against computed counts and rates."""

import math

import pytest

import cmlearn
from cmlearn.claims import check_claims


def test_article_claims_all_fail_against_its_own_data():
    y_true, y_pred = cmlearn.data.article_example()
    counts = cmlearn.numpy_counts(y_true, y_pred, thresholds=0.5)
    rows = check_claims(cmlearn.data.ARTICLE_CLAIMS, counts)
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
    rows = check_claims(claims, counts)
    assert all(row.holds for row in rows), rows
    assert "holds" in str(rows[0]) and "WRONG" in str(check_claims({"tp": 3}, counts)[0])


def test_undefined_rate_claim_does_not_hold():
    counts = cmlearn.numpy_counts([0, 0], [0.1, 0.2])  # no positives: recall is 0/0
    (row,) = check_claims({"recall": 0.0}, counts)
    assert math.isnan(row.computed) and not row.holds


def test_check_claims_refuses_bad_input():
    counts = cmlearn.numpy_counts([0, 1], [0.2, 0.9])
    with pytest.raises(ValueError, match="unknown names \\['fnrate'\\]"):
        check_claims({"fnrate": 0.1}, counts)
    sweep = cmlearn.numpy_counts([0, 1], [0.2, 0.9], thresholds=[0.1, 0.5])
    with pytest.raises(ValueError, match="must hold one threshold"):
        check_claims({"tp": 1}, sweep)


