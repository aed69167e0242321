"""Grading counts of (N, K) outputs: Keras's flattened count (:func:`check_flattened_count`), one column's
(:func:`check_column_count`).

The counts come from :mod:`cmlearn.columns` (per column and flattened, as
Keras counts them); the argmax confusion matrix a learner may read instead
is counted by the one counting rule, :func:`cmlearn.numpy_counts`, on the
argmax's labels and predictions.

>>> y_true, y_pred = [[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3]]
>>> check_flattened_count("tn", 2 / 6, y_true, y_pred)
❌ Not yet: TN: 0.3333 is a fraction; Keras's count metrics return counts (sums), never fractions.
Verdict(passed=False)
"""

from __future__ import annotations

import numpy as np

from cmlearn.checks.base import (
    COUNT_DESCRIPTIONS,
    COUNT_TOLERANCE,
    Candidate,
    close_enough,
    count_key,
    count_value,
    first_match,
    never_raise,
    parse_answer,
    print_verdict,
    show_number,
    symbol,
    threshold_text,
    unknown_name,
)
from cmlearn.columns import numpy_counts_flattened, numpy_counts_per_column
from cmlearn.counts import COUNT_NAMES, KERAS_METRIC_NAMES, numpy_counts
from cmlearn.validation import validate_columns, validate_one_threshold, validate_whole_number

__all__ = ["check_flattened_count", "check_column_count"]

_MIRROR = (
    " With a 2-unit softmax the columns mirror each other (column 0 = 1 − column 1, up to float32 rounding), so a "
    "sample called right is a TP in one column and a TN in the other: TP = TN and FP = FN is what Keras should "
    "report, not a bug. Only a row whose two cells are both negative (at 0.5: neither column above 0.5, as 0.5 and "
    "0.5) adds one FN and one TN instead, and one whose cells are both positive (possible below 0.5) one TP and one "
    "FP."
)


def _graded(hint, key, value):
    """The printed message: the count's symbol, then the hint with the answer shown in it."""
    return f"{symbol(key)}: " + hint.replace("{answer}", show_number(value))


@never_raise
def check_flattened_count(name, answer, y_true, y_pred, threshold=0.5):
    """Check a count as Keras's count metrics report it for (N, K) outputs: every cell, flattened.

    The misconceptions recognised: one column's count given for the
    flattened one (with two softmax columns, the belief that TP = TN is a
    bug and the "real" count is one column's), the mean over columns
    instead of the sum, and the count divided by N.

    Examples
    --------
    >>> y_true, y_pred = [[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3]]
    >>> check_flattened_count("tn", 2, y_true, y_pred)
    ✅ Correct: TN = 2 over all 6 cells (3 samples × 2 columns), flattened as Keras counts them.
    Verdict(passed=True)
    >>> check_flattened_count("tn", 1, y_true, y_pred)
    ❌ Not yet: TN: 1 is the TN of column 1 alone. Keras's TrueNegatives has no class_id: it flattens y_pred and
    counts every cell of every column, so the flattened TN is the sum of the columns' TNs. With a 2-unit softmax the
    columns mirror each other (column 0 = 1 − column 1, up to float32 rounding), so a sample called right is a TP in
    one column and a TN in the other: TP = TN and FP = FN is what Keras should report, not a bug. Only a row whose two
    cells are both negative (at 0.5: neither column above 0.5, as 0.5 and 0.5) adds one FN and one TN instead, and
    one whose cells are both positive (possible below 0.5) one TP and one FP.
    Verdict(passed=False)
    """
    key = count_key(name)
    if key not in COUNT_NAMES:
        return print_verdict(False, unknown_name("count", name, COUNT_NAMES))
    labels, _, _ = validate_columns(y_true, y_pred)
    threshold = validate_one_threshold(threshold)
    per_column = numpy_counts_per_column(y_true, y_pred, threshold)
    expected = count_value(numpy_counts_flattened(y_true, y_pred, threshold), key)
    n, k = labels.shape
    value, problem = parse_answer(answer)
    if problem:
        return print_verdict(False, f"{symbol(key)}: {problem}")
    if close_enough(value, expected, COUNT_TOLERANCE):
        return print_verdict(
            True,
            f"{symbol(key)} = {show_number(expected)} over all {n * k} cells ({n} samples × {k} columns), "
            "flattened as Keras counts them.",
        )
    mirror = _MIRROR if k == 2 else ""
    candidates = [
        Candidate(
            count_value(c, key),
            f"{{answer}} is the {symbol(key)} of column {j} alone. Keras's {KERAS_METRIC_NAMES[key]} has no "
            f"class_id: it flattens y_pred and counts every cell of every column, so the flattened {symbol(key)} is "
            f"the sum of the columns' {symbol(key)}s.{mirror}",
        )
        for j, c in reversed(list(enumerate(per_column)))
    ]
    candidates += [
        Candidate(
            expected / k,
            f"{{answer}} is the mean over the {k} columns. Keras adds every cell: the flattened count is the sum, "
            f"{k} times that.",
        ),
        Candidate(
            expected / (n * k), "{answer} is a fraction; Keras's count metrics return counts (sums), never fractions."
        ),
        Candidate(
            expected / n,
            "{answer} is the count divided by the number of samples; Keras's count metrics return counts, "
            "never fractions.",
        ),
    ]
    hint = first_match(value, candidates, COUNT_TOLERANCE) or (
        f"count every cell of the {n} × {k} array, each cell one sample's label and score in one column: "
        f"{COUNT_DESCRIPTIONS[key]}."
    )
    return print_verdict(False, _graded(hint, key, value))


def _argmax_counts(labels, scores, column):
    """Column ``column``'s counts read off the argmax confusion matrix: a sample is predicted ``column`` when its
    top score is there, whatever that score (no threshold), counted by :func:`cmlearn.numpy_counts`."""
    is_column = (np.asarray(labels).argmax(axis=1) == column).astype(int)
    picked = (np.asarray(scores).argmax(axis=1) == column).astype(float)  # 1.0 > 0.5 > 0.0
    return numpy_counts(is_column, picked, 0.5)


@never_raise
def check_column_count(name, answer, y_true, y_pred, column, threshold=0.5):
    """Check one class's (or label's) count: column ``column`` as a binary problem of its own.

    The misconceptions recognised: Keras's flattened count (every column)
    read as this class's count, another column's count, and the count from
    an argmax confusion matrix (which ignores the threshold).

    Examples
    --------
    >>> y_true = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]
    >>> y_pred = [[0.7, 0.2, 0.1], [0.2, 0.7, 0.1], [0.1, 0.3, 0.6], [0.3, 0.3, 0.4]]
    >>> check_column_count("fn", 0, y_true, y_pred, column=2)
    ❌ Not yet: FN: 0 is FN for column 2 from the argmax confusion matrix: an argmax prediction has no threshold
    (a top score of 0.4 still predicts its class). Keras's counts for one class compare that column with
    threshold 0.5.
    Verdict(passed=False)
    >>> check_column_count("tn", 8, y_true, y_pred, column=2)
    ❌ Not yet: TN: 8 is Keras's flattened TN, summed over all 3 columns. It is no class's TN: a flattened count
    adds up every sample's cells in every column. Count column 2 alone (y_true[:, 2], y_pred[:, 2]).
    Verdict(passed=False)
    >>> check_column_count("tn", 2, y_true, y_pred, column=2)
    ✅ Correct: TN = 2 for column 2 (each of the 4 samples counted once) at threshold 0.5.
    Verdict(passed=True)
    """
    key = count_key(name)
    if key not in COUNT_NAMES:
        return print_verdict(False, unknown_name("count", name, COUNT_NAMES))
    labels, scores, _ = validate_columns(y_true, y_pred)
    n, k = labels.shape
    column = validate_whole_number(column, "column", minimum=0, maximum=k - 1)
    threshold = validate_one_threshold(threshold)
    per_column = numpy_counts_per_column(y_true, y_pred, threshold)
    expected = count_value(per_column[column], key)
    value, problem = parse_answer(answer)
    if problem:
        return print_verdict(False, f"{symbol(key)}: {problem}")
    if close_enough(value, expected, COUNT_TOLERANCE):
        return print_verdict(
            True,
            f"{symbol(key)} = {show_number(expected)} for column {column} (each of the {n} samples counted once) "
            f"at {threshold_text(threshold)}.",
        )
    candidates = [
        Candidate(
            count_value(numpy_counts_flattened(y_true, y_pred, threshold), key),
            f"{{answer}} is Keras's flattened {symbol(key)}, summed over all {k} columns. It is no class's "
            f"{symbol(key)}: a flattened count adds up every sample's cells in every column. Count column {column} "
            f"alone (y_true[:, {column}], y_pred[:, {column}]).",
        ),
        Candidate(
            count_value(_argmax_counts(labels, scores, column), key),
            f"{{answer}} is {symbol(key)} for column {column} from the argmax confusion matrix: an argmax prediction "
            f"has no threshold (a top score of 0.4 still predicts its class). Keras's counts for one class compare "
            f"that column with {threshold_text(threshold)}.",
        ),
    ]
    candidates += [
        Candidate(
            count_value(c, key),
            f"{{answer}} is the {symbol(key)} of column {j}; you were asked for column {column} "
            "(columns count from 0).",
        )
        for j, c in enumerate(per_column)
        if j != column
    ]
    hint = first_match(value, candidates, COUNT_TOLERANCE) or f"in column {column}, {COUNT_DESCRIPTIONS[key]}."
    return print_verdict(False, _graded(hint, key, value))
