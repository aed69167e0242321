"""Grading counts: one count (:func:`check_count`), all four (:func:`check_counts`), the 2×2 matrix
(:func:`check_matrix`).

The right answer is :func:`cmlearn.numpy_counts`; the likely mistakes are
built from the homes of their rules: each rate of :data:`cmlearn.ratios.RATES`
with this count alone on top (with its :func:`~cmlearn.ratios.formula_text`),
the count over the total or over another margin of the matrix, the ``>=``
tie rule (``numpy_counts(..., ties="positive")``), the samples counted
without their weights, another count, and scikit-learn's layout
(:data:`cmlearn.counts.CELL_NAMES`) turned around.

>>> check_count("tn", 0.8, [0, 0, 0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4, 0.6, 0.9])
❌ Not yet: TN: Keras's TrueNegatives returns a count, not a fraction. Your 0.8 equals TN / (TN + FP), a rate.
Count the samples instead: true negatives are samples with label 0 and y_pred <= threshold.
Verdict(passed=False)
"""

from __future__ import annotations

import numpy as np

from cmlearn.checks.base import (
    COUNT_DESCRIPTIONS,
    COUNT_TOLERANCE,
    Candidate,
    claim_hint,
    close_enough,
    count_key,
    count_value,
    first_match,
    never_raise,
    parse_answer,
    print_verdict,
    show_number,
    stated_figure,
    symbol,
    threshold_text,
    unknown_name,
)
from cmlearn.counts import CELL_NAMES, COUNT_NAMES, KERAS_METRIC_NAMES, numpy_counts
from cmlearn.ratios import RATES, formula_text, rates

__all__ = ["check_count", "check_counts", "check_matrix", "diagnose_count"]


def _division(key):
    """A rate's division without its symbol: ``FN / (FN + TP)`` for ``fnr`` (from :func:`formula_text`)."""
    return formula_text(key).partition(" = ")[2]


def _fractions(key, counts):
    """Candidates for a count given as a fraction: ``[(value, what it is), ...]``.

    Every rate of :data:`~cmlearn.ratios.RATES` whose numerator is this
    count alone (its value from :func:`cmlearn.rates`), the count over the
    total, then over each other two-count denominator of RATES that holds it
    (a margin of the matrix that no rate divides this count by).
    """
    expected = count_value(counts, key)
    own = [rate for rate, spec in RATES.items() if spec.numerator == ((key, 1),)]
    r = rates(counts)
    found = [(np.asarray(r[rate], dtype=np.float64), f"{_division(rate)}, a rate") for rate in own]
    covered = {_names(RATES[rate].denominator) for rate in own}
    with np.errstate(divide="ignore", invalid="ignore"):
        found.append((expected / count_value(counts, "total"), f"{symbol(key)} / total (all samples)"))
        for rate, spec in RATES.items():
            pair = _names(spec.denominator)
            if len(pair) == 2 and key in pair and pair not in covered:
                covered.add(pair)
                below = sum(count_value(counts, name) for name in pair)
                found.append((expected / below, f"{symbol(key)} / {_division(rate).split(' / ', 1)[1]}"))
    return found


def _names(terms):
    """The counts a sum of RATES terms adds, as a set."""
    return frozenset(name for name, _ in terms)


def _count_hints(key, y_true, y_pred, thresholds, sample_weight):
    """(expected, [Candidate, ...]) for one count, at one threshold or a sweep."""
    counts = numpy_counts(y_true, y_pred, thresholds, sample_weight)
    expected = count_value(counts, key)
    metric = KERAS_METRIC_NAMES.get(key)
    count_word = "a sum of sample weights" if sample_weight is not None else "a count"
    label = f"Keras's {metric} returns" if metric else f"the number of {key.replace('_', ' ')} is"
    description = COUNT_DESCRIPTIONS[key]
    candidates = [
        Candidate(
            value,
            f"{label} {count_word}, not a fraction. Your {{answer}} equals {what}. "
            f"Count the samples instead: {description}.",
        )
        for value, what in _fractions(key, counts)
    ]
    candidates.append(
        Candidate(
            count_value(numpy_counts(y_true, y_pred, thresholds, sample_weight, ties="positive"), key),
            "you counted a score equal to the threshold as positive (y_pred >= threshold). "
            "Keras uses a strict y_pred > threshold, so a score exactly on the threshold is a negative prediction.",
        )
    )
    if sample_weight is not None:
        candidates.append(
            Candidate(
                count_value(numpy_counts(y_true, y_pred, thresholds), key),
                "that is the number of samples, but these samples carry weights. "
                "With sample_weight, each count is the sum of the weights of its samples.",
            )
        )
    for other in COUNT_NAMES:
        if other != key:
            candidates.append(
                Candidate(
                    count_value(counts, other),
                    f"that is {symbol(other)}: {COUNT_DESCRIPTIONS[other]}. "
                    f"You were asked for {symbol(key)}: {description}. (First letter: was the prediction right? "
                    f"Second letter: what was predicted?)",
                )
            )
    if np.ndim(expected) == 1:
        candidates.append(
            Candidate(
                expected[::-1],
                "your values are in reverse order. Keras returns one value per threshold, in the order given.",
            )
        )
    return expected, candidates


def diagnose_count(key, answer, y_true, y_pred, thresholds, sample_weight, claims=None, claimed_by="the article"):
    """(passed, message) for one count; the message has no mark."""
    expected, candidates = _count_hints(key, y_true, y_pred, thresholds, sample_weight)
    stated = stated_figure(claims, key, count_key)
    if stated is not None:  # before the other hints: a copied figure can equal another count by chance
        how = f"Count it from the data yourself: {COUNT_DESCRIPTIONS[key]}."
        candidates.insert(0, Candidate(stated, claim_hint(claimed_by, symbol(key), how)))
    value, problem = parse_answer(answer, np.shape(expected))
    where = threshold_text(thresholds)
    if problem:
        return False, f"{symbol(key)}: {problem}"
    if close_enough(value, expected, COUNT_TOLERANCE):
        # Actual positives, actual negatives and the total do not depend on the threshold.
        at = f" at {where}" if key in COUNT_NAMES or key.startswith("predicted") else ""
        return True, f"{symbol(key)} = {show_number(expected)}{at}."
    hint = first_match(value, candidates, COUNT_TOLERANCE)
    if hint is None and np.ndim(value) == 0 and value >= 1:
        share = float(expected) / float(value)
        if share >= 1.5 and abs(share - round(share)) < 1e-6:
            hint = (
                f"your answer is 1/{round(share)} of the count. A Keras count adds up every sample passed to "
                f"update_state, batch after batch, until reset_state(). Did you count only part of the data?"
            )
    if hint is None and np.all((value >= 0) & (value <= 1)) and np.any(expected > 1):
        hint = (
            f"{symbol(key)} is a count, so it can be larger than 1, but your answer is between 0 and 1. "
            f"Keras's count metrics never divide. Count the samples: {COUNT_DESCRIPTIONS[key]}."
        )
    if hint is None and sample_weight is None and np.any(value != np.round(value)):
        hint = f"without sample weights a count is a whole number. {COUNT_DESCRIPTIONS[key].capitalize()}."
    if hint is None:
        hint = f"recount at {where}: {COUNT_DESCRIPTIONS[key]}."
    return False, f"{symbol(key)}: " + hint.replace("{answer}", show_number(value))


@never_raise
def check_count(
    name, answer, y_true, y_pred, threshold=0.5, sample_weight=None, *, claims=None, claimed_by="the article"
):
    """Check one count (TP, FP, TN, FN, or a row/column sum) against the data.

    Parameters
    ----------
    name : str
        ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"`` (or ``"TruePositives"``, ...),
        or ``"actual_positives"``, ``"actual_negatives"``,
        ``"predicted_positives"``, ``"predicted_negatives"``, ``"total"``.
    answer : number, or one number per threshold when ``threshold`` is a list
    y_true, y_pred, sample_weight
        The data the count is about, as for :func:`cmlearn.numpy_counts`.
    threshold : float or list of floats
        A prediction is positive iff ``y_pred > threshold``.
    claims : mapping, optional
        Figures a source states about these data, e.g.
        ``cmlearn.data.ARTICLE_CLAIMS``: an answer equal to the stated
        figure gets a hint saying so before any other hint.
    claimed_by : str
        Who states ``claims``, for the hint ("the article").

    Returns
    -------
    Verdict

    Examples
    --------
    >>> check_count("tp", 1, [1, 1], [0.5, 0.7])
    ✅ Correct: TP = 1 at threshold 0.5.
    Verdict(passed=True)
    >>> check_count("tp", 2, [1, 1], [0.5, 0.7])
    ❌ Not yet: TP: you counted a score equal to the threshold as positive (y_pred >= threshold). Keras uses a
    strict y_pred > threshold, so a score exactly on the threshold is a negative prediction.
    Verdict(passed=False)
    >>> check_count("tp", None, [1, 1], [0.5, 0.7])
    ❌ Not yet: TP: the answer is still None. Replace None with your code, then run the cell again.
    Verdict(passed=False)
    >>> check_count("fn", 1, [1, 0, 1], [0.9, 0.7, 0.6], claims={"fn": 1})  # 1 is also FP
    ❌ Not yet: FN: that is the figure the article states for FN, the one you are checking; the data give a
    different number. Count it from the data yourself: false negatives are samples with label 1 and
    y_pred <= threshold.
    Verdict(passed=False)
    """
    key = count_key(name)
    if key is None:
        return print_verdict(False, unknown_name("count", name, COUNT_DESCRIPTIONS))
    return print_verdict(*diagnose_count(key, answer, y_true, y_pred, threshold, sample_weight, claims, claimed_by))


@never_raise
def check_counts(answer, y_true, y_pred, threshold=0.5, sample_weight=None):
    """Check all four counts at once.

    Parameters
    ----------
    answer : dict with keys ``"tp" "fp" "tn" "fn"``, or a Counts-like object
        with those attributes.
    y_true, y_pred, threshold, sample_weight
        As for :func:`check_count`.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> check_counts({"tp": 1, "fp": 1, "tn": 1, "fn": 1}, [0, 1, 1, 0], [0.2, 0.9, 0.5, 0.7])
    ✅ Correct: TP = 1, FP = 1, TN = 1, FN = 1 at threshold 0.5.
    Verdict(passed=True)
    """
    if answer is None:
        return print_verdict(False, parse_answer(None).problem)
    if isinstance(answer, dict):
        answer = {(count_key(k) or k) if isinstance(k, str) else k: v for k, v in answer.items()}
        get = answer.get
    else:
        get = lambda k: getattr(answer, k, None)  # noqa: E731  (a Counts or similar)
    missing = [k for k in COUNT_NAMES if get(k) is None]
    if len(missing) == len(COUNT_NAMES):
        return print_verdict(
            False,
            f"the answer is a {type(answer).__name__}; give a dict like "
            "{'tp': ..., 'fp': ..., 'tn': ..., 'fn': ...} (or the Counts itself).",
        )
    results = [(k, *diagnose_count(k, get(k), y_true, y_pred, threshold, sample_weight)) for k in COUNT_NAMES]
    wrong = [message for _, passed, message in results if not passed]
    if wrong:
        return print_verdict(False, " | ".join(wrong))
    shown = ", ".join(m.split(" at ")[0] for _, _, m in results)
    return print_verdict(True, f"{shown} at {threshold_text(threshold)}.")


def _matrix(counts):
    """The counts in scikit-learn's layout, :data:`~cmlearn.counts.CELL_NAMES`, as a float array."""
    return np.array([[count_value(counts, name) for name in row] for row in CELL_NAMES], dtype=float)


#: scikit-learn's layout written out, from CELL_NAMES: ``[[TN, FP], [FN, TP]]``.
_LAYOUT = "[" + ", ".join("[" + ", ".join(name.upper() for name in row) + "]" for row in CELL_NAMES) + "]"


@never_raise
def check_matrix(answer, y_true, y_pred, threshold=0.5, sample_weight=None):
    """Check a 2×2 confusion matrix in scikit-learn's layout ``[[TN, FP], [FN, TP]]``.

    Rows are the actual labels, columns the predictions, negative first.

    Examples
    --------
    >>> check_matrix([[1, 1], [1, 1]], [0, 1, 1, 0], [0.2, 0.9, 0.5, 0.7])
    ✅ Correct: [[TN, FP], [FN, TP]] = [[1, 1], [1, 1]] at threshold 0.5.
    Verdict(passed=True)
    >>> check_matrix([[2, 0], [0, 1]], [0, 1, 1], [0.2, 0.9, 0.7])
    ❌ Not yet: rows are actual labels and columns predictions, negative first: [[TN, FP], [FN, TP]]. Yours puts
    the positive class first ([[TP, FN], [FP, TN]]), as some textbooks do.
    Verdict(passed=False)
    """
    expected = _matrix(numpy_counts(y_true, y_pred, threshold, sample_weight))
    value, problem = parse_answer(answer, (2, 2))
    if problem:
        return print_verdict(False, problem)
    if close_enough(value, expected, COUNT_TOLERANCE):
        rows = ", ".join("[" + ", ".join(show_number(v) for v in row) + "]" for row in expected)
        return print_verdict(True, f"{_LAYOUT} = [{rows}] at {threshold_text(threshold)}.")
    layout = f"rows are actual labels and columns predictions, negative first: {_LAYOUT}. "
    with np.errstate(divide="ignore", invalid="ignore"):
        candidates = [
            Candidate(
                expected[::-1, ::-1],
                layout + "Yours puts the positive class first ([[TP, FN], [FP, TN]]), as some textbooks do.",
            ),
            Candidate(expected.T, layout + "Yours has rows and columns swapped (rows = predictions)."),
            Candidate(
                expected.T[::-1, ::-1], layout + "Yours puts the positive class first and has rows and columns swapped."
            ),
            Candidate(
                expected / expected.sum(), "the cells are counts, not fractions: yours are divided by the total."
            ),
            Candidate(
                expected / expected.sum(axis=1, keepdims=True),
                "the cells are counts, not fractions: yours are divided by their row sums (rates).",
            ),
            Candidate(
                _matrix(numpy_counts(y_true, y_pred, threshold, sample_weight, ties="positive")),
                "you counted a score equal to the threshold as positive (>=). Keras uses a strict y_pred > threshold.",
            ),
        ]
    if sample_weight is not None:
        candidates.append(
            Candidate(
                _matrix(numpy_counts(y_true, y_pred, threshold)),
                "those are numbers of samples; with sample_weight each cell is the sum of the weights of its samples.",
            )
        )
    hint = first_match(value, candidates, COUNT_TOLERANCE)
    return print_verdict(False, hint or layout + "Recount each cell: a prediction is positive iff y_pred > threshold.")
