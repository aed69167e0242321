"""The exercise checks: right answers pass, each misconception gets its own hint,
and no answer, however odd, makes a check raise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cmlearn
from cmlearn import checks
from cmlearn.checks.base import symbol
from cmlearn.counts import KERAS_METRIC_NAMES
from cmlearn.ratios import RATES


@pytest.fixture
def labelled_scores():
    """Labels and generated scores with every cell well away from 0 and 1."""
    return cmlearn.data.make_scores(n_samples=80, prevalence=0.4, separation=1.5, seed=4)


@pytest.fixture
def tied():
    """Scores rounded to one decimal, so several lie exactly on 0.5."""
    y_true = np.array([1, 1, 0, 1, 0, 1, 0, 0, 1, 0])
    y_pred = np.array([0.5, 0.7, 0.5, 0.3, 0.6, 0.5, 0.1, 0.9, 0.8, 0.2])
    return y_true, y_pred


def run(capsys, check, *args, **kwargs):
    """Call a check; return (result, printed text)."""
    result = check(*args, **kwargs)
    return result, capsys.readouterr().out


def assert_pass(capsys, check, *args, **kwargs):
    result, out = run(capsys, check, *args, **kwargs)
    assert isinstance(result, checks.Verdict) and result.passed is True, out
    assert out.startswith(checks.PASS_MARK) and checks.HINT_MARK not in out


def assert_hint(capsys, expected_text, check, *args, **kwargs):
    result, out = run(capsys, check, *args, **kwargs)
    assert isinstance(result, checks.Verdict) and result.passed is False, out
    assert out.startswith(checks.HINT_MARK) and checks.PASS_MARK not in out
    assert expected_text in out, out
    return out


# ------------------------------------------------------------------ counts


@pytest.mark.parametrize(
    "name",
    [
        *KERAS_METRIC_NAMES,
        "actual_positives",
        "actual_negatives",
        "predicted_positives",
        "predicted_negatives",
        "total",
    ],
)
def test_count_passes_the_count_computed_from_the_data(capsys, labelled_scores, name):
    y_true, y_pred = labelled_scores
    expected = getattr(cmlearn.numpy_counts(y_true, y_pred, thresholds=0.4), name)
    assert_pass(capsys, checks.check_count, name, expected, y_true, y_pred, threshold=0.4)
    assert_pass(capsys, checks.check_count, name, int(expected), y_true, y_pred, threshold=0.4)


@pytest.mark.parametrize("name", ["TruePositives", "true_positives", "TP", " tp "])
def test_count_accepts_keras_and_long_names(capsys, labelled_scores, name):
    y_true, y_pred = labelled_scores
    assert_pass(capsys, checks.check_count, name, cmlearn.numpy_counts(y_true, y_pred).tp, y_true, y_pred)


def test_count_read_as_its_rate_gets_the_fraction_hint(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    c = cmlearn.numpy_counts(y_true, y_pred)
    out = assert_hint(
        capsys, "returns a count, not a fraction", checks.check_count, "fn", c.fn / (c.fn + c.tp), y_true, y_pred
    )
    assert "FN / (FN + TP)" in out and "FalseNegatives" in out


def test_count_divided_by_the_total_gets_the_fraction_hint(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    c = cmlearn.numpy_counts(y_true, y_pred)
    assert_hint(capsys, "TN / total", checks.check_count, "tn", c.tn / c.total, y_true, y_pred)


def test_any_share_where_a_count_above_one_is_expected_gets_the_fraction_hint(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    assert cmlearn.numpy_counts(y_true, y_pred).tp > 1
    assert_hint(capsys, "can be larger than 1", checks.check_count, "tp", 0.123, y_true, y_pred)


def test_ties_counted_as_positive_get_the_strict_threshold_hint(capsys, tied):
    y_true, y_pred = tied
    with_ge = int(np.sum((y_true == 1) & (y_pred >= 0.5)))
    assert with_ge != cmlearn.numpy_counts(y_true, y_pred).tp
    assert_hint(capsys, "y_pred >= threshold", checks.check_count, "tp", with_ge, y_true, y_pred)


def test_unweighted_count_gets_the_weights_hint(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    weights = np.where(y_true == 1, 3.0, 0.5)
    unweighted = cmlearn.numpy_counts(y_true, y_pred).fn
    assert unweighted != cmlearn.numpy_counts(y_true, y_pred, sample_weight=weights).fn
    assert_hint(
        capsys, "sum of the weights", checks.check_count, "fn", unweighted, y_true, y_pred, sample_weight=weights
    )
    expected = cmlearn.numpy_counts(y_true, y_pred, sample_weight=weights).fn
    assert_pass(capsys, checks.check_count, "fn", expected, y_true, y_pred, sample_weight=weights)


def test_another_cell_gets_the_letters_hint(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    c = cmlearn.numpy_counts(y_true, y_pred)
    assert len({c.tp, c.fp, c.tn, c.fn}) == 4
    out = assert_hint(capsys, "that is FP", checks.check_count, "fn", c.fp, y_true, y_pred)
    assert "First letter" in out


def test_count_of_part_of_the_data_gets_the_counts_grow_hint(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    once = cmlearn.numpy_counts(y_true, y_pred).tp
    y4, p4 = np.tile(y_true, 4), np.tile(y_pred, 4)
    assert once not in cmlearn.numpy_counts(y4, p4).ravel()  # not another cell by chance
    out = assert_hint(capsys, "adds up every sample passed to update_state", checks.check_count, "tp", once, y4, p4)
    assert "1/4" in out and "until reset_state()" in out


# --------------------------------------------------------- stated figures


def test_a_figure_the_article_states_is_named_before_a_coincidence(capsys):
    # The article's 4 actual positives equals TN and its FN = 1 equals FP: without the
    # claims the hints name those cells, with them they name the article.
    y_true, y_pred = cmlearn.data.article_example()
    claims = cmlearn.data.ARTICLE_CLAIMS
    c = cmlearn.numpy_counts(y_true, y_pred)
    assert (claims["actual_positives"], claims["fn"]) == (c.tn, c.fp)
    assert_hint(capsys, "that is TN", checks.check_count, "actual_positives", 4, y_true, y_pred)
    assert_hint(capsys, "that is FP", checks.check_count, "fn", 1, y_true, y_pred)
    for name in ("actual_positives", "fn", "tn"):
        out = assert_hint(
            capsys,
            f"figure the article states for {symbol(name)}",
            checks.check_count,
            name,
            claims[name],
            y_true,
            y_pred,
            claims=claims,
        )
        assert "that is T" not in out and "that is F" not in out
    out = assert_hint(
        capsys,
        "figure the article states for FNR",
        checks.check_rate,
        "fnr",
        0.25,
        y_true=y_true,
        y_pred=y_pred,
        claims=claims,
    )
    assert "FNR = FN / (FN + TP)" in out
    # A right answer still passes, and another wrong one gets its usual hint.
    assert_pass(capsys, checks.check_count, "fn", 0, y_true, y_pred, claims=claims)
    assert_hint(
        capsys, "that is TN", checks.check_count, "fn", c.tn, y_true, y_pred, claims=claims, claimed_by="the blog"
    )


def test_claims_name_their_source_and_must_be_a_mapping(capsys):
    y_true, y_pred = cmlearn.data.article_example()
    assert_hint(
        capsys,
        "the figure the blog states for FN",
        checks.check_count,
        "fn",
        1,
        y_true,
        y_pred,
        claims={"FalseNegatives": 1},
        claimed_by="the blog",
    )
    assert_hint(capsys, "claims must be a mapping", checks.check_count, "fn", 1, y_true, y_pred, claims=[1])


# ------------------------------------------------------------- verdicts


def test_a_verdict_is_truthy_compares_to_bool_and_displays_nothing():
    from IPython.core.formatters import DisplayFormatter

    passed, failed = checks.Verdict(True), checks.Verdict(0)
    assert bool(passed) and not failed and passed.passed is True and failed.passed is False
    assert passed == True and failed == False and passed != failed  # noqa: E712
    assert repr(failed) == "Verdict(passed=False)"
    assert DisplayFormatter().format(passed) == ({}, {})  # no stray True under a check cell
    assert DisplayFormatter().format(True) != ({}, {})  # what a plain bool would show


def test_non_whole_count_without_weights_is_pointed_out(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    assert_hint(
        capsys, "whole number", checks.check_count, "tp", cmlearn.numpy_counts(y_true, y_pred).tp + 0.5, y_true, y_pred
    )


def test_sweep_of_counts_in_order_passes_and_reversed_gets_a_hint(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    thresholds = [0.2, 0.5, 0.8]
    sweep = cmlearn.numpy_counts(y_true, y_pred, thresholds=thresholds).tp
    assert_pass(capsys, checks.check_count, "tp", list(sweep), y_true, y_pred, threshold=thresholds)
    assert_hint(capsys, "reverse order", checks.check_count, "tp", sweep[::-1], y_true, y_pred, threshold=thresholds)
    assert_hint(capsys, "shape", checks.check_count, "tp", sweep[:2], y_true, y_pred, threshold=thresholds)


def test_unknown_count_name_is_a_hint(capsys, labelled_scores):
    assert_hint(capsys, "unknown count name", checks.check_count, "tpr", 1, *labelled_scores)


def test_check_counts_takes_a_dict_or_a_counts(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    c = cmlearn.numpy_counts(y_true, y_pred)
    assert_pass(capsys, checks.check_counts, c, y_true, y_pred)
    assert_pass(capsys, checks.check_counts, {"TP": c.tp, "fp": c.fp, "tn": c.tn, "fn": c.fn}, y_true, y_pred)
    out = assert_hint(
        capsys, "FN:", checks.check_counts, {"tp": c.tp, "fp": c.fp, "tn": c.tn, "fn": c.fn + 1}, y_true, y_pred
    )
    assert "TP:" not in out
    assert_hint(capsys, "give a dict", checks.check_counts, [c.tp, c.fp], y_true, y_pred)


def test_matrix_layouts(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    m = cmlearn.numpy_counts(y_true, y_pred).matrix
    assert_pass(capsys, checks.check_matrix, m, y_true, y_pred)
    assert_pass(capsys, checks.check_matrix, m.tolist(), y_true, y_pred)
    assert_hint(capsys, "positive class first", checks.check_matrix, m[::-1, ::-1], y_true, y_pred)
    assert_hint(capsys, "rows and columns swapped", checks.check_matrix, m.T, y_true, y_pred)
    assert_hint(capsys, "divided by the total", checks.check_matrix, m / m.sum(), y_true, y_pred)
    assert_hint(capsys, "row sums", checks.check_matrix, m / m.sum(axis=1, keepdims=True), y_true, y_pred)
    assert_hint(capsys, "shape", checks.check_matrix, m.ravel(), y_true, y_pred)


def test_matrix_with_ties_counted_positive(capsys, tied):
    y_true, y_pred = tied
    actual, predicted = y_true == 1, y_pred >= 0.5
    wrong = [
        [np.sum(~actual & ~predicted), np.sum(~actual & predicted)],
        [np.sum(actual & ~predicted), np.sum(actual & predicted)],
    ]
    assert_hint(capsys, ">=", checks.check_matrix, wrong, y_true, y_pred)


# ------------------------------------------------------------------- rates


@pytest.mark.parametrize("name", [*RATES, "recall", "specificity", "sensitivity", "miss_rate", "fall_out", "ppv"])
def test_rate_passes_the_rate_computed_from_the_counts(capsys, labelled_scores, name):
    y_true, y_pred = labelled_scores
    counts = cmlearn.numpy_counts(y_true, y_pred)
    expected = cmlearn.rates(counts)[name]
    assert_pass(capsys, checks.check_rate, name, expected, counts)
    assert_pass(capsys, checks.check_rate, name, round(expected, 3), y_true=y_true, y_pred=y_pred)


def test_fpr_for_specificity_gets_the_complement_hint(capsys, labelled_scores):
    counts = cmlearn.numpy_counts(*labelled_scores)
    out = assert_hint(
        capsys, "complement", checks.check_rate, "specificity", counts.fp / (counts.fp + counts.tn), counts
    )
    assert "FPR = FP / (FP + TN)" in out and "TNR = TN / (TN + FP)" in out


def test_precision_for_recall_names_the_rate_computed(capsys, labelled_scores):
    counts = cmlearn.numpy_counts(*labelled_scores)
    r = cmlearn.rates(counts)
    assert abs(r.precision - r.recall) > 0.01
    assert_hint(capsys, "equals precision = TP / (TP + FP)", checks.check_rate, "recall", r.precision, counts)


def test_rate_given_as_count_or_percent_or_over_total(capsys, labelled_scores):
    counts = cmlearn.numpy_counts(*labelled_scores)
    r = cmlearn.rates(counts)
    assert_hint(capsys, "not a rate", checks.check_rate, "fnr", counts.fn, counts)
    assert_hint(capsys, "not a percentage", checks.check_rate, "fnr", 100 * r.fnr, counts)
    assert_hint(capsys, "divided by every sample", checks.check_rate, "fnr", counts.fn / counts.total, counts)


def test_rounded_too_early_and_out_of_range(capsys, labelled_scores):
    counts = cmlearn.numpy_counts(*labelled_scores)
    r = cmlearn.rates(counts)
    nudged = r.tpr + 0.006 if abs(r.tpr + 0.006 - r.f1) > 0.001 else r.tpr - 0.006
    assert_hint(capsys, "3 decimals", checks.check_rate, "tpr", nudged, counts)
    assert_hint(capsys, "between 0 and 1", checks.check_rate, "tpr", 1.7, counts)


def test_undefined_rate_expects_nan_and_explains_kerass_zero(capsys):
    counts = cmlearn.numpy_counts([0, 1, 0], [0.2, 0.3, 0.1])  # nothing predicted positive
    assert "precision" in cmlearn.rates(counts).undefined
    assert_pass(capsys, checks.check_rate, "precision", float("nan"), counts)
    assert_pass(capsys, checks.check_rate, "precision", np.nan, counts)
    assert_hint(capsys, "Keras's Precision and Recall show 0.0", checks.check_rate, "precision", 0.0, counts)
    assert_pass(capsys, checks.check_rate, "precision", 0.0, counts, zero_division=0)


def test_nan_for_a_defined_rate(capsys, labelled_scores):
    assert_hint(
        capsys, "is defined here", checks.check_rate, "tpr", float("nan"), cmlearn.numpy_counts(*labelled_scores)
    )


def test_check_rate_refuses_a_sweep_with_a_hint(capsys, labelled_scores):
    sweep = cmlearn.numpy_counts(*labelled_scores, thresholds=[0.3, 0.6])
    assert_hint(capsys, "sweep", checks.check_rate, "tpr", 0.5, sweep)


def test_pooled_recall_and_the_per_batch_mean(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    pooled = cmlearn.rates(cmlearn.numpy_counts(y_true, y_pred)).recall
    per_batch = [
        cmlearn.rates(cmlearn.numpy_counts(y_true[i : i + 16], y_pred[i : i + 16])).recall
        for i in range(0, len(y_true), 16)
    ]
    mean = float(np.nanmean(per_batch))
    assert abs(mean - pooled) > RATE_GAP
    assert_pass(capsys, checks.check_pooled_recall, pooled, y_true, y_pred, batch_size=16)
    assert_hint(capsys, "averaged per-batch", checks.check_pooled_recall, mean, y_true, y_pred, batch_size=16)
    assert_hint(
        capsys,
        "not a rate",
        checks.check_pooled_rate,
        "precision",
        cmlearn.numpy_counts(y_true, y_pred).tp,
        y_true,
        y_pred,
        16,
    )


RATE_GAP = 2 * checks.RATE_TOLERANCE


def test_per_batch_mean_with_an_undefined_batch_read_as_zero(capsys):
    # The second batch has no positives: its recall is 0/0, which Keras 1 read as 0.
    y_true = np.array([1, 1, 0, 0, 1, 0])
    y_pred = np.array([0.9, 0.2, 0.3, 0.1, 0.8, 0.7])
    per_batch = [
        cmlearn.rates(cmlearn.numpy_counts(y_true[i : i + 2], y_pred[i : i + 2]), zero_division=0).recall
        for i in (0, 2, 4)
    ]
    assert_hint(
        capsys,
        "averaged per-batch",
        checks.check_pooled_recall,
        float(np.mean(per_batch)),
        y_true,
        y_pred,
        batch_size=2,
    )


# -------------------------------------------------------------- thresholds


@pytest.fixture
def cost_case(labelled_scores):
    y_true, y_pred = labelled_scores
    grid = np.round(np.linspace(0.05, 0.95, 19), 2)
    sweep = cmlearn.numpy_counts(y_true, y_pred, thresholds=grid)
    costs = {
        "right": 1 * sweep.fp + 10 * sweep.fn,
        "swapped": 10 * sweep.fp + 1 * sweep.fn,
        "errors": sweep.fp + sweep.fn,
    }
    best = {k: grid[np.argmin(v)] for k, v in costs.items()}
    assert len(set(best.values())) == 3, best  # the case separates the three mistakes
    return y_true, y_pred, grid, best, costs["right"]


def test_cost_threshold_and_its_mistakes(capsys, cost_case):
    y_true, y_pred, grid, best, cost = cost_case
    args = (y_true, y_pred, grid)
    assert_pass(capsys, checks.check_threshold_by_cost, best["right"], *args, cost_fp=1, cost_fn=10)
    assert_hint(
        capsys, "other way round", checks.check_threshold_by_cost, best["swapped"], *args, cost_fp=1, cost_fn=10
    )
    assert_hint(capsys, "fewest errors", checks.check_threshold_by_cost, best["errors"], *args, cost_fp=1, cost_fn=10)
    assert_hint(
        capsys, "lowest cost itself", checks.check_threshold_by_cost, float(cost.min()), *args, cost_fp=1, cost_fn=10
    )
    assert_hint(
        capsys,
        "position in thresholds",
        checks.check_threshold_by_cost,
        int(np.argmin(cost)),
        *args,
        cost_fp=1,
        cost_fn=10,
    )
    assert_hint(
        capsys, "not one of the thresholds", checks.check_threshold_by_cost, 0.123, *args, cost_fp=1, cost_fn=10
    )
    worst = grid[np.argmax(cost)]
    assert_hint(capsys, "highest cost", checks.check_threshold_by_cost, worst, *args, cost_fp=1, cost_fn=10)


def test_highest_threshold_and_its_mistakes(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    grid = np.round(np.linspace(0, 1, 21), 2)
    recall = cmlearn.rates(cmlearn.numpy_counts(y_true, y_pred, thresholds=grid)).recall
    reaching = grid[recall >= 0.9]
    assert len(reaching) >= 2
    assert_pass(capsys, checks.check_highest_threshold, "recall", reaching.max(), y_true, y_pred, grid, at_least=0.9)
    assert_hint(
        capsys,
        "a higher threshold does too",
        checks.check_highest_threshold,
        "recall",
        reaching.min(),
        y_true,
        y_pred,
        grid,
        at_least=0.9,
    )
    too_high = grid[recall < 0.9].max()
    assert_hint(
        capsys, "below 0.9", checks.check_highest_threshold, "recall", too_high, y_true, y_pred, grid, at_least=0.9
    )


def test_highest_threshold_with_a_tie_on_it(capsys):
    # Recall 3/4 needs the 0.5 score; with a strict > it is lost at threshold 0.5.
    y_true, y_pred = [1, 1, 1, 1, 0], [0.9, 0.8, 0.5, 0.2, 0.1]
    grid = [0.3, 0.5, 0.7]
    assert_pass(capsys, checks.check_highest_threshold, "recall", 0.3, y_true, y_pred, grid, at_least=0.75)
    assert_hint(
        capsys, "y_pred > threshold", checks.check_highest_threshold, "recall", 0.5, y_true, y_pred, grid, at_least=0.75
    )


# ----------------------------------------------------------------- merging


def test_merged_count_sums_parts(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    shards = [(y_true[i : i + 16], y_pred[i : i + 16]) for i in range(0, len(y_true), 16)]
    parts = [cmlearn.numpy_counts(y, p).tp for y, p in shards]
    assert len(set(parts)) > 1
    total = sum(parts)
    assert_pass(capsys, checks.check_merged_count, "tp", total, shards)
    assert_hint(capsys, "averaged the parts", checks.check_merged_count, "tp", total / len(shards), shards)
    assert parts[0] != parts[-1] != total / len(shards)  # so each hint below is told apart
    assert_hint(capsys, "only one part's count (the last)", checks.check_merged_count, "tp", parts[-1], shards)
    assert_hint(capsys, "only one part's count (the first)", checks.check_merged_count, "tp", parts[0], shards)
    out = assert_hint(capsys, "not a fraction", checks.check_merged_count, "tp", total / len(y_true), shards)
    assert "could not be checked" not in out


def test_merged_count_with_weights(capsys, labelled_scores):
    y_true, y_pred = labelled_scores
    w = np.linspace(0.1, 2.0, len(y_true))
    shards = [(y_true[:40], y_pred[:40], w[:40]), (y_true[40:], y_pred[40:])]
    total = (
        cmlearn.numpy_counts(y_true[:40], y_pred[:40], sample_weight=w[:40]).fp
        + cmlearn.numpy_counts(y_true[40:], y_pred[40:]).fp
    )
    assert_pass(capsys, checks.check_merged_count, "fp", total, shards)


# ---------------------------------------------------------- never raise


class _Hostile:
    """Every numeric protocol raises."""

    def __float__(self):
        raise RuntimeError("no float")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __len__(self):
        raise RuntimeError("no len")


ODD_ANSWERS = [
    None,
    "3",
    b"3",
    "__import__('builtins').setattr(__import__('builtins'), 'CMLEARN_EVALUATED', 1)",
    True,
    np.bool_(False),
    {"tp": 1},
    {1, 2},
    [],
    [[1, 2], [3]],
    np.array(["a", "b"]),
    np.zeros((3, 4)),
    np.array([np.inf]),
    complex(1, 2),
    10**400,
    float("inf"),
    -1e308,
    object(),
    _Hostile(),
    print,
    slice(1, 2),
]


def _every_check(answer, y_true, y_pred):
    shards = [(y_true[:5], y_pred[:5]), (y_true[5:], y_pred[5:])]
    grid = [0.2, 0.5, 0.8]
    yield checks.check_count("tp", answer, y_true, y_pred)
    yield checks.check_count("tp", answer, y_true, y_pred, threshold=grid)
    yield checks.check_counts(answer, y_true, y_pred)
    yield checks.check_matrix(answer, y_true, y_pred)
    yield checks.check_rate("fnr", answer, y_true=y_true, y_pred=y_pred)
    yield checks.check_pooled_recall(answer, y_true, y_pred, batch_size=3)
    yield checks.check_threshold_by_cost(answer, y_true, y_pred, grid, cost_fp=1, cost_fn=5)
    yield checks.check_highest_threshold("recall", answer, y_true, y_pred, grid)
    yield checks.check_merged_count("fn", answer, shards)
    yield checks.check_history_count("fn", answer, {"fn": [2.0, 1.0], "val_fn": [1.0, 0.0]}, y_true, y_pred)


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
def test_odd_answers_never_raise_and_get_a_hint(capsys, answer):
    import builtins

    y_true, y_pred = cmlearn.data.article_example()
    for result in _every_check(answer, y_true, y_pred):
        assert result.passed is False
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert len(lines) == 10 and all(line.startswith(checks.HINT_MARK) for line in lines), out
    assert not hasattr(builtins, "CMLEARN_EVALUATED")  # strings are never evaluated


def test_none_says_replace_none(capsys):
    assert_hint(capsys, "Replace None", checks.check_rate, "tpr", None, y_true=[0, 1], y_pred=[0.2, 0.9])


def test_a_string_holding_the_right_number_is_refused(capsys):
    y_true, y_pred = cmlearn.data.article_example()
    tp = cmlearn.numpy_counts(y_true, y_pred).tp
    assert_hint(capsys, "text", checks.check_count, "tp", str(int(tp)), y_true, y_pred)


def test_a_length_one_array_counts_as_a_number(capsys):
    y_true, y_pred = cmlearn.data.article_example()
    assert_pass(capsys, checks.check_count, "tp", np.array([cmlearn.numpy_counts(y_true, y_pred).tp]), y_true, y_pred)


def test_bad_data_from_the_notebook_is_a_hint_not_a_traceback(capsys):
    assert_hint(capsys, "could not be checked", checks.check_count, "tp", 1, [0, 2], [0.1, 0.2])
    assert_hint(capsys, "could not be checked", checks.check_merged_count, "tp", 1, "not shards")
    assert_hint(capsys, "could not be checked", checks.check_pooled_recall, 0.5, [0, 1], [0.1, 0.9], batch_size=0)


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.complex_numbers(),
        st.text(max_size=20),
        st.binary(max_size=8),
        st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=3)), max_size=6),
        st.lists(st.lists(st.floats(), max_size=3), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=4),
        st.tuples(st.integers(), st.floats()),
        st.builds(object),
    )
)
def test_any_answer_returns_a_verdict_and_prints_one_line(answer):
    import contextlib
    import io

    y_true, y_pred = cmlearn.data.article_example()
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        results = list(_every_check(answer, y_true, y_pred))
    assert all(isinstance(r, checks.Verdict) and isinstance(r.passed, bool) for r in results)
    lines = buffer.getvalue().strip().splitlines()
    assert len(lines) == len(results)
    assert all(line[0] in (checks.PASS_MARK, checks.HINT_MARK) for line in lines)


HISTORY = {"fn": [30.0, 22.0], "val_fn": [9.0, 7.0], "tp": [50.0, 58.0], "val_tp": [20.0, 22.0]}
TRAIN_Y, TRAIN_P = [1] * 80, [0.2] * 20 + [0.9] * 60  # with the final weights: FN 20, TP 60


@pytest.mark.parametrize(
    ("name", "answer", "prefix", "y_true", "y_pred", "says"),
    [
        ("fn", 22, "val_", [1] * 29, [0.2] * 7 + [0.9] * 22, "History's fn, the training data's count"),
        ("fn", 16, "val_", [1] * 29, [0.2] * 7 + [0.9] * 22, "val_fn summed over the 2 epochs"),
        ("fn", 9, "val_", [1] * 29, [0.2] * 7 + [0.9] * 22, "val_fn of the first epoch"),
        ("tp", 58, "", TRAIN_Y, TRAIN_P, "while the weights were still changing"),
        ("tp", 22, "", TRAIN_Y, TRAIN_P, "History's val_tp, the validation data's count"),
    ],
)
def test_history_count_names_each_mix_up(capsys, name, answer, prefix, y_true, y_pred, says):
    assert not checks.check_history_count(name, answer, HISTORY, y_true, y_pred, prefix=prefix)
    assert says in capsys.readouterr().out


def test_history_count_passes_the_count_with_final_weights(capsys):
    assert checks.check_history_count("tp", 60, HISTORY, TRAIN_Y, TRAIN_P, prefix="")
    assert capsys.readouterr().out.startswith(checks.PASS_MARK)
    # An answer that is no History entry falls back to the count hints.
    assert not checks.check_history_count("tp", 0.75, HISTORY, TRAIN_Y, TRAIN_P, prefix="")
    assert "not a fraction" in capsys.readouterr().out
