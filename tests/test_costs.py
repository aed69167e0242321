"""cmlearn.costs: expected cost and the cheapest threshold of a sweep, against hand computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmlearn import data, numpy_counts
from cmlearn.costs import cheapest_threshold, expected_cost
from cmlearn.counts import Counts


@pytest.mark.parametrize(
    ("fp", "fn", "cost_fp", "cost_fn", "expected"),
    [(1.0, 0.0, 1, 10, 1.0), (2.0, 3.0, 1, 10, 32.0), (2.5, 0.5, 2, 4, 7.0), (0.0, 0.0, 5, 5, 0.0)],
)
def test_expected_cost_table(fp, fn, cost_fp, cost_fn, expected):
    counts = Counts(tp=4.0, fp=fp, tn=6.0, fn=fn, thresholds=0.5)
    assert expected_cost(counts, cost_fp, cost_fn) == expected
    assert expected_cost(counts, cost_fp, cost_fn, per_sample=True) == pytest.approx(expected / counts.total)


def test_total_cost_doubles_with_data_but_per_sample_cost_does_not():
    y_true, y_pred = data.make_scores(300, prevalence=0.2, seed=3)
    once = numpy_counts(y_true, y_pred)
    twice = numpy_counts(np.concatenate([y_true, y_true]), np.concatenate([y_pred, y_pred]))
    assert expected_cost(twice, 1, 7) == 2 * expected_cost(once, 1, 7)
    assert expected_cost(twice, 1, 7, per_sample=True) == pytest.approx(expected_cost(once, 1, 7, per_sample=True))


def test_expected_cost_refuses_non_counts_and_empty_totals():
    with pytest.raises(TypeError, match="counts must be a cmlearn Counts"):
        expected_cost({"fp": 1, "fn": 2}, 1, 1)
    empty = numpy_counts([0, 1], [0.2, 0.8], sample_weight=[0, 0])
    assert expected_cost(empty, 1, 1) == 0.0
    with pytest.raises(ValueError, match="per_sample=True divides by counts.total"):
        expected_cost(empty, 1, 1, per_sample=True)


def test_plot_costs_draws_the_computed_costs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cmlearn.costs import plot_costs

    y_true, y_pred = data.make_scores(200, seed=1)
    grid = np.linspace(0, 1, 11)
    choice = cheapest_threshold(numpy_counts(y_true, y_pred, grid), 1, 5)
    fig = plot_costs(choice, reference=0.5)
    curve, point = fig.axes[0].lines[:2]
    np.testing.assert_array_equal(curve.get_ydata(), choice.costs)
    assert list(point.get_xdata()) == [choice.threshold] and list(point.get_ydata()) == [choice.cost]
    plt.close(fig)
    with pytest.raises(TypeError, match="CostChoice"):
        plot_costs(choice.costs)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.floats(0, 1, width=32, allow_subnormal=False)), min_size=1, max_size=40),
    st.floats(0, 100),
    st.floats(0.01, 100),
)
def test_cheapest_threshold_is_the_brute_force_minimum(samples, cost_fp, cost_fn):
    y_true = [int(t) for t, _ in samples]
    y_pred = [p for _, p in samples]
    grid = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
    choice = cheapest_threshold(numpy_counts(y_true, y_pred, grid), cost_fp, cost_fn)
    by_hand = []
    for t in grid:
        fp = sum(1 for yt, yp in zip(y_true, y_pred, strict=True) if yt == 0 and np.float32(yp) > np.float32(t))
        fn = sum(1 for yt, yp in zip(y_true, y_pred, strict=True) if yt == 1 and not np.float32(yp) > np.float32(t))
        by_hand.append(cost_fp * fp + cost_fn * fn)
    assert choice.cost == pytest.approx(min(by_hand))
    assert choice.index == int(np.argmin(by_hand))
    assert choice.threshold == grid[choice.index]
    np.testing.assert_allclose(choice.costs, by_hand)


def test_dearer_misses_move_the_threshold_down():
    y_true, y_pred = data.make_scores(500, prevalence=0.3, seed=0)
    grid = np.linspace(0, 1, 21)
    cheap = cheapest_threshold(numpy_counts(y_true, y_pred, grid), cost_fp=1, cost_fn=1)
    dear = cheapest_threshold(numpy_counts(y_true, y_pred, grid), cost_fp=1, cost_fn=20)
    assert dear.threshold < cheap.threshold


def test_a_single_threshold_still_gives_a_sweep():
    choice = cheapest_threshold(numpy_counts([0, 1], [0.2, 0.8], 0.5), cost_fp=1, cost_fn=1)
    assert choice.threshold == 0.5 and choice.costs.shape == (1,)
