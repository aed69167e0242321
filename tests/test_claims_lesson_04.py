"""The general sentences of lesson 04 (Counts grow, rates don't) and its exercise, each held by a property test."""

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import GRID, PROPERTY, SLOW_PROPERTY, binary_samples, near_ties
from test_claims_lesson_00 import raw_counts

import cmlearn
from cmlearn.costs import expected_cost
from cmlearn.counts import Counts
from cmlearn.keras_run import threshold_by_cost


def _counts(y_true, y_pred, threshold, w):
    return Counts(*(float(v) for v in raw_counts(y_true, y_pred, threshold, w)), float(threshold))


def _same_rates(a, b):
    ra, rb = cmlearn.rates(a).as_dict(), cmlearn.rates(b).as_dict()
    return all((math.isnan(ra[k]) and math.isnan(rb[k])) or ra[k] == rb[k] for k in ra)


@PROPERTY
@given(binary_samples(weights="integer"), st.integers(2, 4), st.sampled_from(GRID) | near_ties())
def test_the_same_samples_k_times_give_exactly_k_times_every_count_and_exactly_the_same_rates(sample, k, threshold):
    """04, "Same data, twice", Answer: "Every count doubled, exactly; every rate is exactly the same number";
    takeaway: "the same samples twice give exactly twice every count and exactly the same rates" (unweighted
    or whole-number weights, as the takeaway says); exercise 04: "Every count triples"; "Numerator and
    denominator both triple, so recall does not move"; its introduction: "Rates ... stay put when the data
    are simply repeated".

    The copies joined end to end and fed in one update_state. (With fractional weights a float32 sum of
    the joined data can differ from k times the sum in its last bits: the takeaway says so.)
    """
    y_true, y_pred, w = sample
    once = _counts(y_true, y_pred, threshold, w)
    many = _counts(np.tile(y_true, k), np.tile(y_pred, k), threshold, None if w is None else np.tile(w, k))
    assert many.ravel() == tuple(k * v for v in once.ravel())
    assert _same_rates(once, many)  # (k·a)/(k·b) and a/b are the same fraction, rounded once: equal to the bit


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID), st.floats(0, 20), st.floats(0, 20))
def test_the_cost_of_twice_the_data_is_twice_the_cost_and_the_cost_per_sample_stays(
    sample, threshold, cost_fp, cost_fn
):
    """04, "the cost of mistakes": "That is arithmetic on **counts**, and it grows with the data: the same
    classifier on twice the data costs twice as much." The same data fed twice to real metric objects."""
    y_true, y_pred, w = sample
    once = _counts(y_true, y_pred, threshold, w)
    twice = Counts(*(float(v) for v in raw_counts(y_true, y_pred, threshold, w, reset=False)), float(threshold))
    assert expected_cost(twice, cost_fp, cost_fn) == 2 * expected_cost(once, cost_fp, cost_fn)
    if once.total > 0:
        assert expected_cost(twice, cost_fp, cost_fn, per_sample=True) == expected_cost(
            once, cost_fp, cost_fn, per_sample=True
        )


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID) | near_ties(), st.floats(0, 20), st.floats(0, 20))
def test_a_cost_from_rates_needs_the_class_sizes(sample, threshold, cost_fp, cost_fn):
    """04: "Could we work the cost out from rates alone? Only with the class sizes: `cost = 10·FNR·(actual
    positives) + 1·FPR·(actual negatives)`." Held for any costs, where both classes are present."""
    y_true, y_pred, w = sample
    c = _counts(y_true, y_pred, threshold, w)
    assume(c.actual_positives > 0 and c.actual_negatives > 0)
    r = cmlearn.rates(c)
    from_rates = cost_fn * r.fnr * c.actual_positives + cost_fp * r.fpr * c.actual_negatives
    assert abs(from_rates - expected_cost(c, cost_fp, cost_fn)) <= 1e-9 * max(1.0, from_rates)


@SLOW_PROPERTY
@given(binary_samples(min_size=4, weights="none"), st.floats(0.1, 10), st.floats(0.1, 10))
def test_doubling_the_data_keeps_the_cheapest_threshold(sample, cost_fp, cost_fn):
    """04, "Choosing a threshold by cost", Answer: "Doubling the data doubles every cost, so the same threshold
    stays the cheapest: the choice depends on the costs and on the scores, not on how many samples you
    happened to have." threshold_by_cost counts with real Keras metrics."""
    y_true, y_pred, _ = sample
    grid = np.linspace(0, 1, 101)
    once = threshold_by_cost(y_true, y_pred, grid, cost_fp=cost_fp, cost_fn=cost_fn)
    twice = threshold_by_cost(np.tile(y_true, 2), np.tile(y_pred, 2), grid, cost_fp=cost_fp, cost_fn=cost_fn)
    assert twice.threshold == once.threshold
    np.testing.assert_array_equal(twice.costs, 2 * once.costs)


@PROPERTY
@given(st.integers(1, 2000), st.floats(0, 1))
def test_an_always_negative_model_has_accuracy_the_negative_share_and_recall_0(n, prevalence):
    """04, "The accuracy paradox": the always-negative model's "accuracy 0.99 and recall 0 ... the 9,900 negatives
    dominate the accuracy"; takeaway: "An always-negative model on 1 % positives has accuracy 0.99 and recall 0";
    exercise 04: "98% accuracy, 0% recall: it never finds a single positive". For any data: accuracy is the
    share of negatives, recall 0 (when there are positives), balanced accuracy 0.5 with both classes present."""
    positives = round(n * prevalence)
    y_true = np.array([1] * positives + [0] * (n - positives))
    c = _counts(y_true, np.zeros(n, np.float32), 0.5, None)
    r = cmlearn.rates(c)
    assert c.tp == c.fp == 0.0
    assert r.accuracy == (n - positives) / n
    if positives:
        assert r.recall == 0.0
    if 0 < positives < n:
        assert r.balanced_accuracy == 0.5


def test_with_fractional_weights_the_joined_copies_can_differ_from_twice_in_the_last_bits():
    """04's takeaway qualifier: "(with fractional weights, up to float32 rounding)". Joined copies fed in one
    update_state are summed in another order than twice one copy: some random data set shows it."""
    rng = np.random.default_rng(0)
    differ = 0
    for _ in range(20):
        y, s, w = rng.integers(0, 2, 50), rng.random(50).astype(np.float32), (3 * rng.random(50)).astype(np.float32)
        once = float(raw_counts(y, s, 0.5, w)[0])
        joined = float(raw_counts(np.tile(y, 2), np.tile(s, 2), 0.5, np.tile(w, 2))[0])
        assert abs(joined - 2 * once) <= 1e-6 * 2 * once
        differ += joined != 2 * once
    assert differ > 0
