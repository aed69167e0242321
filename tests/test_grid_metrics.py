"""AUC and the "at" metrics rebuilt from grid counts, without TensorFlow: held against scikit-learn and NumPy."""

import numpy as np
import pytest
from sklearn.metrics import auc, roc_auc_score

from cmlearn.counts import numpy_counts
from cmlearn.grid_metrics import (
    at_metric_from_counts,
    at_thresholds,
    auc_from_counts,
    auc_thresholds,
    grid_counts,
    keras_style_auc,
)


def scores(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    y_pred = np.clip(rng.normal(0.35 + 0.3 * y_true, 0.2), 0, 1).astype(np.float32)
    return y_true, y_pred


def test_grids():
    assert np.allclose(auc_thresholds(5), [-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7], rtol=0, atol=1e-12)
    assert list(at_thresholds(3)) == [0.0, 0.5, 1.0]
    assert list(at_thresholds(1)) == [0.5]
    with pytest.raises(ValueError, match="num_thresholds"):
        auc_thresholds(1)


def test_grid_counts_equal_exact_counts_away_from_grid_points():
    y_true, y_pred = scores()
    n = 11
    y_pred = np.round(y_pred * 1000) / 1000 * 0.999 + 0.0003  # no score near a multiple of 0.1
    grid = grid_counts(y_true, y_pred, n, "auc")
    inner = numpy_counts(y_true, y_pred, list(auc_thresholds(n)[1:-1]))
    for key in ("tp", "fp", "tn", "fn"):
        assert np.array_equal(getattr(grid, key)[1:-1], getattr(inner, key))
    assert (grid.tp[0], grid.fp[0]) == (y_true.sum(), len(y_true) - y_true.sum())  # -1e-7: everything positive
    assert grid.tp[-1] == grid.fp[-1] == 0  # 1 + 1e-7: nothing positive


def test_a_zero_score_is_positive_at_aucs_first_threshold_and_negative_on_the_at_grid():
    assert grid_counts([1], [0.0], 3, "auc").tp[0] == 1
    assert grid_counts([1], [0.0], 3, "at").tp[0] == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auc_approaches_scikit_learns_as_the_grid_grows(seed):
    y_true, y_pred = scores(seed=seed)
    exact = roc_auc_score(y_true, y_pred)
    gaps = [abs(keras_style_auc(y_true, y_pred, n) - exact) for n in (3, 20, 200, 5000)]
    assert gaps[0] > gaps[-1] and gaps[-1] < 1e-3


def test_interpolation_is_the_trapezoid_rule_on_the_grids_roc_points():
    y_true, y_pred = scores()
    counts = grid_counts(y_true, y_pred, 50)
    tpr = counts.tp / (counts.tp + counts.fn)
    fpr = counts.fp / (counts.fp + counts.tn)
    assert auc_from_counts(counts) == pytest.approx(auc(fpr, tpr), abs=1e-6)
    low, high = auc_from_counts(counts, "minoring"), auc_from_counts(counts, "majoring")
    assert low <= auc_from_counts(counts) <= high


def test_one_class_only_gives_zero():
    assert keras_style_auc([1, 1, 1], [0.1, 0.5, 0.9]) == 0.0
    assert keras_style_auc([0, 0, 0], [0.1, 0.5, 0.9]) == 0.0


@pytest.mark.parametrize(
    ("name", "constrained", "dependent"),
    [
        ("sensitivity_at_specificity", "tnr", "tpr"),
        ("specificity_at_sensitivity", "tpr", "tnr"),
        ("precision_at_recall", "tpr", "precision"),
        ("recall_at_precision", "precision", "tpr"),
    ],
)
def test_at_metrics_pick_the_best_feasible_rate(name, constrained, dependent):
    y_true, y_pred = scores()
    counts = grid_counts(y_true, y_pred, 100, "at")
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = {
            "tpr": counts.tp / (counts.tp + counts.fn),
            "tnr": counts.tn / (counts.tn + counts.fp),
            "precision": np.nan_to_num(counts.tp / (counts.tp + counts.fp)),
        }
    for value in (0.5, 0.8, 0.95):
        feasible = rates[constrained] >= np.float32(value)
        expected = rates[dependent][feasible].max() if feasible.any() else 0.0
        assert at_metric_from_counts(counts, name, value) == pytest.approx(expected, abs=1e-7)


def test_bad_arguments_are_named():
    y_true, y_pred = scores(n=10)
    counts = grid_counts(y_true, y_pred, 5)
    with pytest.raises(ValueError, match="summation_method"):
        auc_from_counts(counts, "trapezoid")
    with pytest.raises(ValueError, match="name must be one of"):
        at_metric_from_counts(counts, "recall_at_specificity", 0.5)
    with pytest.raises(ValueError, match=r"value must be in \[0, 1\], but got 1.5"):
        at_metric_from_counts(counts, "recall_at_precision", 1.5)
    with pytest.raises(ValueError, match="kind"):
        grid_counts(y_true, y_pred, 5, "roc")
    with pytest.raises(ValueError, match="sweep"):
        auc_from_counts(numpy_counts(y_true, y_pred))
