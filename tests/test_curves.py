"""Curve points, normalised matrices, histograms and ties against independent computations."""

import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix, precision_score, recall_score, roc_curve
from strategies import GRID, PROPERTY, binary_samples, float32_steps, near_ties

import cmlearn
from cmlearn.counts import numpy_counts
from cmlearn.curves import grid_index, pr_points, roc_points, row_normalised, score_histogram, threshold_grid, ties_at
from cmlearn.data import make_scores


@pytest.fixture(scope="module")
def labelled_scores():
    y_true, y_pred = make_scores(400, prevalence=0.35, seed=3)
    return y_true, y_pred


def test_grid_is_exact_decimals():
    grid = threshold_grid(0.01)
    assert len(grid) == 101 and grid[0] == 0.0 and grid[-1] == 1.0
    assert all(repr(float(g)) == repr(round(i / 100, 2)) for i, g in enumerate(grid))
    assert len(threshold_grid(0.05)) == 21


@pytest.mark.parametrize(
    ("step", "error", "words"),
    [
        (0.3, ValueError, r"step must divide 1 into whole steps .* but got 0\.3\. Fix: pick a step"),
        (1e-6, ValueError, "step must divide 1 into whole steps"),  # a million steps: more than 100,000
        (0, ValueError, r"step must be in \(0, 1\], but got 0\. Fix: e\.g\. step=0\.01\."),
        (-0.1, ValueError, r"step must be in \(0, 1\], but got -0\.1"),
        (1.5, ValueError, r"step must be in \(0, 1\], but got 1\.5"),
        ("a", TypeError, r"step must be a number, but got 'a' \(str\)"),
        (True, TypeError, r"step must be a number, but got True \(bool\)"),
    ],
)
def test_grid_refuses_bad_step(step, error, words):
    with pytest.raises(error, match=words):
        threshold_grid(step)


def test_grid_index_matches_in_float32():
    grid = threshold_grid(0.01)
    for i in (0, 7, 35, 50, 100):
        assert grid_index(grid[i], grid) == i
    assert grid_index(0.1 * 3, grid) == 30  # 0.30000000000000004 is 0.3 in float32
    assert grid_index(0.355, grid) is None
    assert grid_index(0.3 + 1e-6, grid) is None


def test_roc_points_match_sklearn_where_conventions_meet(labelled_scores):
    y_true, y_pred = labelled_scores
    # scikit-learn's thresholds are the scores themselves with ">="; Keras uses ">".
    # Moving each threshold down one float32 step makes ">" select the samples ">=" selects at it.
    fpr_sk, tpr_sk, thr = roc_curve(y_true, y_pred)
    thr = thr[1:]  # drop the +inf first point
    keras_like = np.nextafter(thr.astype(np.float32), np.float32(-1))
    keras_like = keras_like[(keras_like >= 0) & (keras_like <= 1)]
    sweep = numpy_counts(y_true, y_pred, keras_like.astype(np.float64))
    roc = roc_points(sweep)
    np.testing.assert_allclose(roc.x, fpr_sk[1 : 1 + len(keras_like)])
    np.testing.assert_allclose(roc.y, tpr_sk[1 : 1 + len(keras_like)])


def test_pr_points_match_sklearn_scores(labelled_scores):
    y_true, y_pred = labelled_scores
    grid = threshold_grid(0.1)
    pr = pr_points(numpy_counts(y_true, y_pred, grid))
    for i, t in enumerate(grid):
        predicted = (y_pred > np.float32(t)).astype(int)
        assert pr.x[i] == pytest.approx(recall_score(y_true, predicted))
        if predicted.sum() == 0:
            assert np.isnan(pr.y[i])  # undefined, not Keras's 0.0
        else:
            assert pr.y[i] == pytest.approx(precision_score(y_true, predicted))


def test_curves_need_a_sweep(labelled_scores):
    with pytest.raises(ValueError, match="must hold a sweep"):
        roc_points(numpy_counts(*labelled_scores, thresholds=0.5))


def test_row_normalised_matches_sklearn(labelled_scores):
    y_true, y_pred = labelled_scores
    for t in (0.2, 0.5, 0.8):
        predicted = (y_pred > np.float32(t)).astype(int)
        expected = confusion_matrix(y_true, predicted, normalize="true")
        np.testing.assert_allclose(row_normalised(numpy_counts(y_true, y_pred, t).matrix), expected)
    sweep = numpy_counts(y_true, y_pred, [0.2, 0.8])
    assert row_normalised(sweep.matrix).shape == (2, 2, 2)
    np.testing.assert_allclose(row_normalised(sweep.matrix).sum(axis=-1), 1.0)


def test_score_histogram_matches_numpy(labelled_scores):
    y_true, y_pred = labelled_scores
    w = np.random.default_rng(0).uniform(0, 3, len(y_true))
    edges, heights = score_histogram(y_true, y_pred, bins=10, sample_weight=w)
    for label in (0, 1):
        mask = y_true == label
        expected = np.histogram(y_pred[mask], bins=np.linspace(0, 1, 11), weights=w[mask])[0]
        np.testing.assert_allclose(heights[label], expected, rtol=1e-6)
    assert heights[0].sum() + heights[1].sum() == pytest.approx(w.sum(), rel=1e-5)
    with pytest.raises(ValueError, match="bins must be"):
        score_histogram(y_true, y_pred, bins=0)


def test_ties_against_brute_force():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, 500)
    y_pred = np.round(rng.uniform(0, 1, 500), 2)  # many scores sit exactly on 0.xx
    w = rng.uniform(0, 2, 500).astype(np.float32)
    grid = threshold_grid(0.01)
    ties = ties_at(y_true, y_pred, grid, sample_weight=w)
    for i, t in enumerate(grid):
        on = y_pred.astype(np.float32) == np.float32(t)
        assert ties.n[i] == on.sum()
        assert ties.n_positive[i] == (on & (y_true == 1)).sum()
        assert ties.weight[i] == pytest.approx(w[on].sum(dtype=np.float64))
        assert ties.weight_negative[i] == pytest.approx(w[on & (y_true == 0)].sum(dtype=np.float64))
        one = ties.at(i)
        assert one.n == ties.n[i] and np.ndim(one.threshold) == 0
    assert ties.n.sum() > 0


def test_ties_are_the_samples_keras_calls_negative():
    y_true, y_pred = [1, 1, 0], [0.3, 0.7, 0.3]
    t = ties_at(y_true, y_pred, 0.1 * 3)  # the float32 threshold equals float32(0.3)
    assert (t.n, t.n_positive, t.n_negative) == (2, 1, 1)
    c = numpy_counts(y_true, y_pred, 0.1 * 3)
    assert c.fn == 1 and c.tn == 1  # both tied samples are on the negative side
    assert "counted as FN" in t.describe()
    assert ties_at(y_true, y_pred, 0.5).describe().startswith("No sample")


def test_ties_refuse_bad_input_with_cmlearn_messages():
    with pytest.raises(ValueError, match="y_pred must be scores in"):
        ties_at([0, 1], [0.2, 3.0])
    with pytest.raises(ValueError, match="thresholds must lie in"):
        ties_at([0, 1], [0.2, 0.3], 2)


def test_score_bins_against_brute_force():
    from cmlearn.curves import score_bins

    rng = np.random.default_rng(3)
    y_true = rng.integers(0, 2, 400)
    y_pred = np.round(rng.uniform(0, 1, 400), 2)  # many scores on edges and thresholds
    y_pred[:3] = 0.0
    w = rng.uniform(0, 2, 400).astype(np.float32)
    edges = np.linspace(0, 1, 21)
    thresholds = [0.0, 0.05, 0.07, 0.355, 0.5, 1.0]
    bins = score_bins(y_true, y_pred, edges, thresholds, sample_weight=w)
    s, e = y_pred.astype(np.float32), edges.astype(np.float32)
    for label in (0, 1):
        m = y_true == label
        for j in range(20):
            inside = (s > e[j]) & (s <= e[j + 1]) if j else (s <= e[1])
            assert bins.heights[label][j] == pytest.approx(w[m & inside].sum(dtype=np.float64), abs=1e-9)
        for i, t in enumerate(np.float32(thresholds)):
            j = bins.bin[i]
            assert (e[j] < t or j == 0) and t <= e[j + 1]
            inside = ((s > e[j]) | (j == 0)) & (s <= e[j + 1]) & m
            assert bins.below[label][i] == pytest.approx(w[inside & (s <= t)].sum(dtype=np.float64), abs=1e-9)
            assert bins.above[label][i] == pytest.approx(w[inside & (s > t)].sum(dtype=np.float64), abs=1e-9)
    assert bins.bin[0] == 0 and bins.below[0][0] + bins.below[1][0] == pytest.approx(w[s == 0].sum(dtype=np.float64))
    with pytest.raises(ValueError, match="edges must increase"):
        score_bins(y_true, y_pred, [0, 0.5], 0.5)


# Issue 18, item 13: the tie sentence names the exact threshold Keras compares with, and is true of it.
_NUMBER = re.compile(r"\d+\.\d+(?:e-?\d+)?|\d+e-?\d+|\d+")


def _typed_thresholds():
    """What a learner types: grid values, float64 values a hair off them (0.4999999), float32 near-ties, any float."""
    hair = st.builds(
        lambda v, d: min(max(v + d, 0.0), 1.0),
        st.sampled_from(GRID),
        st.sampled_from([-1e-7, 1e-7, -1e-8, 1e-8, -4e-8, 6e-8]),
    )
    return st.sampled_from(GRID) | hair | near_ties() | st.floats(0, 1, allow_nan=False)


@PROPERTY
@given(binary_samples(max_size=30, weights="integer"), _typed_thresholds())
# lesson 02's tie data:
@example((np.array([1, 0, 1]), np.array([0.5, 0.5, 0.9], dtype=np.float32), None), 0.4999999)
@example((np.array([1, 0, 1]), np.array([0.5, 0.5, 0.9], dtype=np.float32), None), 0.5000001)
@example((np.array([1, 0, 1]), np.array([0.5, 0.5, 0.9], dtype=np.float32), None), 0.49999999)
def test_the_tie_sentence_says_none_exactly_when_no_float32_score_equals_the_float32_threshold(sample, typed):
    """curves.Ties.describe (shown by the explorer): "No sample has a score exactly equal to <t>" /
    "<n> samples have ...".

    It says "none" exactly when no sample's float32 score equals the float32
    threshold, every value it names is (in float32) the value compared, the
    compared value itself is named exactly, and the tied samples are where
    real Keras metric objects put them: on the negative side.
    """
    y_true, y_pred, w = sample
    t32 = np.float32(typed)
    sentence = ties_at(y_true, y_pred, typed, sample_weight=w).describe(weighted=w is not None)
    on = np.float32(y_pred) == t32
    assert sentence.startswith("No sample") == (not on.any()), sentence
    if on.any():
        assert sentence.startswith(f"{on.sum()} sample"), sentence
        assert f"{(on & (y_true == 1)).sum()} actual positive(s) counted as FN" in sentence
        assert f"{(on & (y_true == 0)).sum()} actual negative(s) counted as TN" in sentence
    named_part = sentence.split("equal to ", 1)[1].split(": ")[0].split(", the value")[0]
    named = [float(x) for x in _NUMBER.findall(named_part.replace("float32", ""))]
    assert named and all(np.float32(x) == t32 for x in named), (sentence, named)
    # the compared float32 first, as its shortest float32 decimal:
    assert named_part.split()[0].rstrip(".") == str(t32), sentence
    if on.any() and t32 > np.finfo(np.float32).tiny:
        # Real Keras: one float32 step below the threshold the tied samples turn positive, and only they.
        below = float32_steps(float(t32), -1)
        k = cmlearn.keras_counts(y_true, y_pred, [below, float(t32)], sample_weight=w)
        weight = np.ones(len(y_true)) if w is None else w.astype(np.float64)
        assert k.tp[0] - k.tp[1] == weight[on & (y_true == 1)].sum() == k.fn[1] - k.fn[0]
        assert k.fp[0] - k.fp[1] == weight[on & (y_true == 0)].sum() == k.tn[1] - k.tn[0]


def test_the_tie_sentence_at_a_typed_0_4999999_does_not_name_0_5():
    """The issue's case: at a typed 0.4999999 on lesson 02's tie data it said "... exactly equal to 0.5"."""
    sentence = ties_at([1, 0, 1], [0.5, 0.5, 0.9], 0.4999999).describe()
    assert sentence == (
        "No sample has a score exactly equal to 0.4999999."
    )
