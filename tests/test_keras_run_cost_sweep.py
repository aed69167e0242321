"""cmlearn.keras_run.cost_sweep: the cheapest threshold from Keras's counts."""

import numpy as np
import pytest

from cmlearn import data
from cmlearn.keras_run.cost_sweep import threshold_by_cost


def test_keras_and_numpy_choose_the_same_threshold():
    y_true, y_pred = data.make_scores(200, prevalence=0.3, seed=5)
    y_pred = np.round(y_pred, 2)  # scores exactly on the grid: the hard case
    grid = np.linspace(0, 1, 101)
    by_keras = threshold_by_cost(y_true, y_pred, grid, cost_fp=1, cost_fn=4)
    by_numpy = threshold_by_cost(y_true, y_pred, grid, cost_fp=1, cost_fn=4, count_with="numpy")
    assert by_keras.threshold == by_numpy.threshold
    np.testing.assert_array_equal(by_keras.costs, by_numpy.costs)
    assert by_keras.counts.source == "keras.metrics"


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"cost_fp": -1, "cost_fn": 1}, ValueError, "cost_fp must be a finite number >= 0"),
        ({"cost_fp": 1, "cost_fn": float("nan")}, ValueError, "cost_fn must be a finite number"),
        ({"cost_fp": "1", "cost_fn": 1}, TypeError, "cost_fp must be a number"),
        ({"cost_fp": True, "cost_fn": 1}, TypeError, "cost_fp must be a number"),
        ({"cost_fp": 0, "cost_fn": 0}, ValueError, "both 0"),
        ({"cost_fp": 1, "cost_fn": 1, "count_with": "torch"}, ValueError, "count_with"),
        ({"cost_fp": 1, "cost_fn": 1, "thresholds": [0.5, 1.5]}, ValueError, "thresholds must lie in"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words):
    kwargs = {"thresholds": [0.5], "count_with": "numpy", **kwargs}
    with pytest.raises(error, match=words):
        threshold_by_cost([0, 1], [0.2, 0.8], **kwargs)


def test_bad_inputs_reuse_the_shared_validation():
    with pytest.raises(ValueError, match="y_pred must be scores in"):
        threshold_by_cost([0, 1], [0.2, 3.0], [0.5], 1, 1, count_with="numpy")
