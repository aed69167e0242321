"""Check a learner's answer against one computed from the data, with a hint.

("Check" in cmlearn means this: grading a stated answer. Arguments are
*validated*, by :mod:`cmlearn.validation`.)

Every check recomputes the right answer from the data it is given (with
:func:`cmlearn.numpy_counts` and :func:`cmlearn.rates`), compares, and prints
one line: ``✅ Correct: ...`` or ``❌ Not yet: ...`` followed by a hint aimed
at the likely misconception (a count read as a fraction, ``>=`` used for
``>``, the complement rate, per-batch averaging, forgotten weights, a figure
copied from a source instead of computed, ...). It returns a :class:`Verdict`,
true when the answer passed, which a notebook does not display: the printed
line is all a learner sees.

A check never raises, whatever the answer (``None``, text, arrays of the
wrong shape, objects of any kind), and never evaluates a learner's strings.
No check imports TensorFlow.

>>> y_true, y_pred = [0, 1, 1, 0], [0.2, 0.9, 0.5, 0.7]
>>> check_count("fn", 1, y_true, y_pred)
✅ Correct: FN = 1 at threshold 0.5.
Verdict(passed=True)
>>> check_count("fn", 0.5, y_true, y_pred)
❌ Not yet: FN: Keras's FalseNegatives returns a count, not a fraction. Your 0.5 equals FN / (FN + TP), a rate. Count the samples instead: false negatives are samples with label 1 and y_pred <= threshold.
Verdict(passed=False)
"""

from __future__ import annotations

import functools
import math

import numpy as np

from cmlearn.batch_log import batch_slices
from cmlearn.columns import numpy_counts_flattened, numpy_counts_per_column
from cmlearn.costs import expected_cost
from cmlearn.counts import COUNT_NAMES, KERAS_METRIC_NAMES, numpy_counts
from cmlearn.grid_metrics import AT_METRICS, at_metric_from_counts, grid_counts, keras_style_auc
from cmlearn.ratios import ALIASES, RATES, format_count, formula_text, rates
from cmlearn.validation import validate_counts, validate_inputs, validate_thresholds

__all__ = [
    "Verdict",
    "PASS_MARK",
    "HINT_MARK",
    "check_count",
    "check_counts",
    "check_matrix",
    "check_rate",
    "check_pooled_rate",
    "check_pooled_recall",
    "check_threshold_by_cost",
    "check_highest_threshold",
    "check_merged_count",
    "check_flattened_count",
    "check_column_count",
    "check_keras_auc",
    "check_at_metric",
    "check_history_count",
]

#: The first character of a passing check's line.
PASS_MARK = "✅"
#: The first character of a hint's line.
HINT_MARK = "❌"

#: What each count holds, as the hints explain it.
COUNT_DESCRIPTIONS = {
    "tp": "true positives are samples with label 1 and y_pred > threshold",
    "fp": "false positives are samples with label 0 and y_pred > threshold",
    "tn": "true negatives are samples with label 0 and y_pred <= threshold",
    "fn": "false negatives are samples with label 1 and y_pred <= threshold",
    "actual_positives": "actual positives are all samples with label 1 (TP + FN), whatever the score",
    "actual_negatives": "actual negatives are all samples with label 0 (TN + FP), whatever the score",
    "predicted_positives": "predicted positives are all samples with y_pred > threshold (TP + FP)",
    "predicted_negatives": "predicted negatives are all samples with y_pred <= threshold (TN + FN)",
    "total": "the total is every sample (TP + FP + TN + FN)",
}
#: For each cell, the denominator that turns it into its usual rate.
_RATE_DENOMINATORS = {
    "tp": ("actual_positives", "TP / (TP + FN)"),
    "fn": ("actual_positives", "FN / (FN + TP)"),
    "tn": ("actual_negatives", "TN / (TN + FP)"),
    "fp": ("actual_negatives", "FP / (FP + TN)"),
}
_COUNT_TOL = {"rtol": 1e-6, "atol": 1e-3}
#: Rates pass when within this of the right value, so 3 decimals are enough.
RATE_TOLERANCE = 5e-4


# ---------------------------------------------------------------- plumbing


class Verdict:
    """What a check returns: true when the answer passed.

    The check has already printed its ✅ or ❌ line, so a notebook shows
    nothing more for a verdict (no stray ``True`` or ``False`` under the
    line); code reads the outcome with ``bool(verdict)`` or ``verdict.passed``.

    >>> v = Verdict(True)
    >>> bool(v), v.passed
    (True, True)
    >>> from IPython.core.formatters import DisplayFormatter
    >>> DisplayFormatter().format(v)  # what a notebook would display: nothing
    ({}, {})
    """

    __slots__ = ("passed",)

    def __init__(self, passed):
        self.passed = bool(passed)

    def __bool__(self):
        return self.passed

    def __eq__(self, other):
        if isinstance(other, (Verdict, bool, np.bool_)):
            return self.passed == bool(other)
        return NotImplemented

    def __hash__(self):
        return hash(self.passed)

    def __repr__(self):
        return f"Verdict(passed={self.passed})"

    def _ipython_display_(self):
        """Display nothing: the check printed its line already."""


def _say(ok, message):
    print(f"{PASS_MARK} Correct: {message}" if ok else f"{HINT_MARK} Not yet: {message}")
    return ok


def _never_raise(check):
    """Turn any error inside a check into a printed hint; return a :class:`Verdict`."""

    @functools.wraps(check)
    def wrapper(*args, **kwargs):
        try:
            return Verdict(check(*args, **kwargs))
        except Exception as error:  # a check must never crash a learner's notebook
            return Verdict(_say(False, f"this could not be checked ({type(error).__name__}: {error})."))

    return wrapper


def _show(value):
    """A number or array as a learner would write it."""
    value = np.asarray(value, dtype=float)
    if value.ndim == 0:
        v = float(value)
        return "nan" if math.isnan(v) else format_count(v) if abs(v) >= 1 or v == 0 else f"{v:.4g}"
    return "[" + ", ".join(_show(v) for v in value) + "]"


def _read(answer, shape=()):
    """``(array, None)`` for a usable answer of ``shape``; ``(None, hint)`` otherwise."""
    if answer is None:
        return None, "the answer is still None. Replace None with your code, then run the cell again."
    if isinstance(answer, (bool, np.bool_)):
        return None, f"the answer is {answer!r}, a yes/no value. Give the number itself."
    if isinstance(answer, (str, bytes)):
        return None, f"the answer is the text {answer!r}. Give a number (e.g. 3, not '3'), computed from the data."
    if isinstance(answer, (dict, set)):
        return None, f"the answer is a {type(answer).__name__}. Give a number."
    try:
        array = np.asarray(answer, dtype=float)
    except Exception:
        return None, f"the answer is a {type(answer).__name__}, which is not a number. Give a number."
    if array.shape != tuple(shape) and (np.squeeze(array).shape == tuple(shape) or array.size == 1 == np.prod(shape)):
        array = np.squeeze(array).reshape(shape)  # a length-1 list or a (1,) tensor for a scalar, an (N, 1) column
    if array.shape != tuple(shape):
        wanted = "one number" if shape == () else f"shape {tuple(shape)}"
        return None, f"the answer has shape {array.shape}; expected {wanted}."
    if np.isinf(array).any():
        return None, "the answer is infinite: somewhere you divided by zero."
    return array, None


def _same(a, b, rtol=1e-6, atol=1e-3):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _first_match(answer, candidates, **tol):
    """The hint of the first candidate value the answer equals, else None."""
    for value, hint in candidates:
        if value is None or np.isnan(np.asarray(value, dtype=float)).all():
            continue  # an undefined candidate says nothing about the answer
        if _same(answer, value, **tol):
            return hint
    return None


def _count_key(name):
    """``'tp'`` for 'TP', 'tp', 'TruePositives', 'true_positives'; None if unknown."""
    if not isinstance(name, str):
        return None
    key = name.strip().lower().replace(" ", "_")
    by_class = {cls.lower(): k for k, cls in KERAS_METRIC_NAMES.items()}
    long = {"true_positives": "tp", "false_positives": "fp", "true_negatives": "tn", "false_negatives": "fn"}
    key = by_class.get(key, long.get(key, key))
    return key if key in COUNT_DESCRIPTIONS else None


def _rate_key(name):
    if not isinstance(name, str):
        return None
    key = name.strip().lower().replace(" ", "_")
    key = ALIASES.get(key, key)
    return key if key in RATES else None


def _symbol(key):
    return key.upper() if key in COUNT_NAMES else key.replace("_", " ")


def _get(counts, key):
    return np.asarray(getattr(counts, key), dtype=np.float64)


def _threshold_text(thresholds):
    return f"threshold {_show(thresholds)}" if np.ndim(thresholds) == 0 else f"thresholds {_show(thresholds)}"


# ------------------------------------------------------------------ counts


def _count_hints(key, y_true, y_pred, thresholds, sample_weight):
    """(expected, [(candidate value, hint), ...]) for one count, scalar or sweep."""
    counts = numpy_counts(y_true, y_pred, thresholds, sample_weight)
    expected = _get(counts, key)
    metric = KERAS_METRIC_NAMES.get(key)
    count_word = "a sum of sample weights" if sample_weight is not None else "a count"
    label = f"Keras's {metric} returns" if metric else f"the number of {key.replace('_', ' ')} is"
    description = COUNT_DESCRIPTIONS[key]
    with np.errstate(divide="ignore", invalid="ignore"):
        total = _get(counts, "total")
        fractions = [(expected / total, f"{_symbol(key)} / total (all samples)")]
        if key in _RATE_DENOMINATORS:
            denominator, formula = _RATE_DENOMINATORS[key]
            fractions.insert(0, (expected / _get(counts, denominator), f"{formula}, a rate"))
        if key in ("tp", "fp"):
            fractions.append((expected / _get(counts, "predicted_positives"), f"{_symbol(key)} / (TP + FP)"))
    candidates = [
        (
            value,
            f"{label} {count_word}, not a fraction. Your {{answer}} equals {what}. "
            f"Count the samples instead: {description}.",
        )
        for value, what in fractions
    ]
    candidates.append(
        (
            _get(numpy_counts(y_true, y_pred, thresholds, sample_weight, ties="positive"), key),
            "you counted a score equal to the threshold as positive (y_pred >= threshold). "
            "Keras uses a strict y_pred > threshold, so a score exactly on the threshold is a negative prediction.",
        )
    )
    if sample_weight is not None:
        candidates.append(
            (
                _get(numpy_counts(y_true, y_pred, thresholds), key),
                "that is the number of samples, but these samples carry weights. "
                "With sample_weight, each count is the sum of the weights of its samples.",
            )
        )
    for other in COUNT_NAMES:
        if other != key:
            candidates.append(
                (
                    _get(counts, other),
                    f"that is {_symbol(other)}: {COUNT_DESCRIPTIONS[other]}. "
                    f"You were asked for {_symbol(key)}: {description}. (First letter: was the prediction right? "
                    f"Second letter: what was predicted?)",
                )
            )
    if np.ndim(expected) == 1:
        candidates.append(
            (expected[::-1], "your values are in reverse order. Keras returns one value per threshold, in the order given.")
        )
    return expected, candidates


def _stated(claims, key, normalise):
    """The value ``claims`` (a mapping of names to stated figures) gives for ``key``, else None."""
    if claims is None:
        return None
    if not hasattr(claims, "items"):
        raise TypeError(f"claims must be a mapping of names to stated figures, e.g. {{'fn': 1}}, but got {type(claims).__name__}")
    for name, value in claims.items():
        if normalise(name) == key:
            return value
    return None


def _claim_hint(claimed_by, symbol, how):
    return f"that is the figure {claimed_by} states for {symbol}, the one you are checking; the data give a different number. {how}"


def _diagnose_count(key, answer, y_true, y_pred, thresholds, sample_weight, claims=None, claimed_by="the article"):
    """(ok, message) for one count; the message has no mark."""
    expected, candidates = _count_hints(key, y_true, y_pred, thresholds, sample_weight)
    stated = _stated(claims, key, _count_key)
    if stated is not None:  # before the other hints: a copied figure can equal another count by chance
        how = f"Count it from the data yourself: {COUNT_DESCRIPTIONS[key]}."
        candidates.insert(0, (stated, _claim_hint(claimed_by, _symbol(key), how)))
    value, problem = _read(answer, np.shape(expected))
    where = _threshold_text(thresholds)
    if problem:
        return False, f"{_symbol(key)}: {problem}"
    if _same(value, expected, **_COUNT_TOL):
        # Actual positives, actual negatives and the total do not depend on the threshold.
        at = f" at {where}" if key in COUNT_NAMES or key.startswith("predicted") else ""
        return True, f"{_symbol(key)} = {_show(expected)}{at}."
    hint = _first_match(value, candidates, **_COUNT_TOL)
    if hint is None and np.ndim(value) == 0 and value >= 1:
        share = float(expected) / float(value)
        if share >= 1.5 and abs(share - round(share)) < 1e-6:
            hint = (
                f"your answer is 1/{round(share)} of the count. A Keras count adds up every sample passed to "
                f"update_state, batch after batch, until reset_state(). Did you count only part of the data?"
            )
    if hint is None and np.all((value >= 0) & (value <= 1)) and np.any(expected > 1):
        hint = (
            f"{_symbol(key)} is a count, so it can be larger than 1, but your answer is between 0 and 1. "
            f"Keras's count metrics never divide. Count the samples: {COUNT_DESCRIPTIONS[key]}."
        )
    if hint is None and sample_weight is None and np.any(value != np.round(value)):
        hint = f"without sample weights a count is a whole number. {COUNT_DESCRIPTIONS[key].capitalize()}."
    if hint is None:
        hint = f"recount at {where}: {COUNT_DESCRIPTIONS[key]}."
    return False, f"{_symbol(key)}: " + hint.replace("{answer}", _show(value))


@_never_raise
def check_count(name, answer, y_true, y_pred, threshold=0.5, sample_weight=None, *, claims=None, claimed_by="the article"):
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
    ❌ Not yet: TP: you counted a score equal to the threshold as positive (y_pred >= threshold). Keras uses a strict y_pred > threshold, so a score exactly on the threshold is a negative prediction.
    Verdict(passed=False)
    >>> check_count("tp", None, [1, 1], [0.5, 0.7])
    ❌ Not yet: TP: the answer is still None. Replace None with your code, then run the cell again.
    Verdict(passed=False)
    >>> check_count("fn", 1, [1, 0, 1], [0.9, 0.7, 0.6], claims={"fn": 1})  # 1 is also FP
    ❌ Not yet: FN: that is the figure the article states for FN, the one you are checking; the data give a different number. Count it from the data yourself: false negatives are samples with label 1 and y_pred <= threshold.
    Verdict(passed=False)
    """
    key = _count_key(name)
    if key is None:
        return _say(False, f"unknown count name {name!r}; use one of {', '.join(COUNT_DESCRIPTIONS)}.")
    return _say(*_diagnose_count(key, answer, y_true, y_pred, threshold, sample_weight, claims, claimed_by))


@_never_raise
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
        return _say(False, "the answer is still None. Replace None with your code, then run the cell again.")
    if isinstance(answer, dict):
        answer = {(_count_key(k) or k) if isinstance(k, str) else k: v for k, v in answer.items()}
        get = answer.get
    else:
        get = lambda k: getattr(answer, k, None)  # noqa: E731  (a Counts or similar)
    missing = [k for k in COUNT_NAMES if get(k) is None]
    if len(missing) == len(COUNT_NAMES):
        return _say(
            False,
            f"the answer is a {type(answer).__name__}; give a dict like "
            "{'tp': ..., 'fp': ..., 'tn': ..., 'fn': ...} (or the Counts itself).",
        )
    results = [(k, *_diagnose_count(k, get(k), y_true, y_pred, threshold, sample_weight)) for k in COUNT_NAMES]
    wrong = [message for _, ok, message in results if not ok]
    if wrong:
        return _say(False, " | ".join(wrong))
    shown = ", ".join(m.split(" at ")[0] for _, _, m in results)
    return _say(True, f"{shown} at {_threshold_text(threshold)}.")


@_never_raise
def check_matrix(answer, y_true, y_pred, threshold=0.5, sample_weight=None):
    """Check a 2×2 confusion matrix in scikit-learn's layout ``[[TN, FP], [FN, TP]]``.

    Rows are the actual labels, columns the predictions, negative first.

    Examples
    --------
    >>> check_matrix([[1, 1], [1, 1]], [0, 1, 1, 0], [0.2, 0.9, 0.5, 0.7])
    ✅ Correct: [[TN, FP], [FN, TP]] = [[1, 1], [1, 1]] at threshold 0.5.
    Verdict(passed=True)
    >>> check_matrix([[2, 0], [0, 1]], [0, 1, 1], [0.2, 0.9, 0.7])
    ❌ Not yet: rows are actual labels and columns predictions, negative first: [[TN, FP], [FN, TP]]. Yours puts the positive class first ([[TP, FN], [FP, TN]]), as some textbooks do.
    Verdict(passed=False)
    """
    c = numpy_counts(y_true, y_pred, threshold, sample_weight)
    expected = np.array([[c.tn, c.fp], [c.fn, c.tp]], dtype=float)
    value, problem = _read(answer, (2, 2))
    if problem:
        return _say(False, problem)
    if _same(value, expected, **_COUNT_TOL):
        rows = ", ".join("[" + ", ".join(_show(v) for v in row) + "]" for row in expected)
        return _say(True, f"[[TN, FP], [FN, TP]] = [{rows}] at {_threshold_text(threshold)}.")
    layout = "rows are actual labels and columns predictions, negative first: [[TN, FP], [FN, TP]]. "
    ge = numpy_counts(y_true, y_pred, threshold, sample_weight, ties="positive")
    with np.errstate(divide="ignore", invalid="ignore"):
        candidates = [
            (expected[::-1, ::-1], layout + "Yours puts the positive class first ([[TP, FN], [FP, TN]]), as some textbooks do."),
            (expected.T, layout + "Yours has rows and columns swapped (rows = predictions)."),
            (expected.T[::-1, ::-1], layout + "Yours puts the positive class first and has rows and columns swapped."),
            (expected / expected.sum(), "the cells are counts, not fractions: yours are divided by the total."),
            (expected / expected.sum(axis=1, keepdims=True), "the cells are counts, not fractions: yours are divided by their row sums (rates)."),
            (np.array([[ge.tn, ge.fp], [ge.fn, ge.tp]]), "you counted a score equal to the threshold as positive (>=). Keras uses a strict y_pred > threshold."),
        ]
    if sample_weight is not None:
        u = numpy_counts(y_true, y_pred, threshold)
        candidates.append((np.array([[u.tn, u.fp], [u.fn, u.tp]]), "those are numbers of samples; with sample_weight each cell is the sum of the weights of its samples."))
    hint = _first_match(value, candidates, **_COUNT_TOL)
    return _say(False, hint or layout + "Recount each cell: a prediction is positive iff y_pred > threshold.")


# ------------------------------------------------------------------- rates


_COMPLEMENTS = {"tpr": "fnr", "fnr": "tpr", "tnr": "fpr", "fpr": "tnr"}


def _rate_hints(key, counts, zero_division):
    """(expected, [(candidate, hint)]) for one rate of a one-threshold Counts."""
    r = rates(counts, zero_division=zero_division)
    expected = float(r[key])
    formula = formula_text(key)
    candidates = []
    if key in r.undefined:
        candidates.append(
            (
                0.0,
                f"{formula} is 0/0 here: undefined, not 0. Keras's Precision and Recall show 0.0 in this case, "
                f"which hides it. Answer float('nan').",
            )
        )
    if key in _COMPLEMENTS:
        other = _COMPLEMENTS[key]
        candidates.append(
            (1 - expected, f"your answer is {formula_text(other)}, the complement (1 − {RATES[key].symbol}). You want {formula}.")
        )
    for other in RATES:
        if other != key:
            candidates.append((float(r[other]), f"your answer equals {formula_text(other)}. You want {formula}."))
    candidates.append((100 * expected, f"give a fraction between 0 and 1, not a percentage. {formula}."))
    spec = RATES[key]
    if spec.numerator:
        numerator = sum(f * float(getattr(counts, n)) for n, f in spec.numerator)
        total = float(counts.total)
        candidates.append((numerator / total if total else None, f"you divided by every sample. {formula}: look at the denominator."))
        candidates.append((numerator, f"that is a count, not a rate. A rate is a division you write: {formula}."))
    for name in COUNT_NAMES:
        candidates.append((float(getattr(counts, name)), f"that is the count {name.upper()}, not a rate. A rate is a division you write: {formula}."))
    return expected, candidates, formula


def _diagnose_rate(key, answer, counts, zero_division, extra=()):
    expected, candidates, formula = _rate_hints(key, counts, zero_division)
    value, problem = _read(answer)
    if problem:
        return False, problem
    tol = {"rtol": 0.0, "atol": RATE_TOLERANCE}
    if _same(value, expected, **tol):
        shown = "undefined (0/0), nan" if math.isnan(expected) else f"{expected:.3f}"
        return True, f"{formula} = {shown}."
    hint = _first_match(value, [*extra, *candidates], **tol)
    if hint is None and not math.isnan(expected) and abs(float(value) - expected) < 0.01:
        hint = f"close, but give at least 3 decimals (don't round early). {formula}."
    if hint is None and (float(value) > 1 or float(value) < 0):
        hint = f"a rate lies between 0 and 1. {formula}."
    if hint is None and math.isnan(float(value)):
        hint = f"your answer is nan, but {formula} is defined here (its denominator is not 0)."
    return False, hint or f"divide the counts as {formula}, using the counts at this threshold."


def _counts_from(counts, y_true, y_pred, threshold, sample_weight):
    if counts is not None:
        return validate_counts(counts, thresholds="one")
    return numpy_counts(y_true, y_pred, threshold, sample_weight)


@_never_raise
def check_rate(
    name, answer, counts=None, *, y_true=None, y_pred=None, threshold=0.5, sample_weight=None, zero_division=float("nan"),
    claims=None, claimed_by="the article",
):
    """Check one rate, e.g. ``"fnr"``, ``"specificity"``, ``"precision"``.

    Give the data either as a one-threshold ``counts`` (from
    :func:`cmlearn.numpy_counts` or :func:`cmlearn.keras_counts`) or as
    ``y_true=..., y_pred=...``. An undefined rate (0/0) expects ``nan``
    (or ``zero_division`` if you pass one). Rates within 0.0005 pass.
    ``claims`` and ``claimed_by`` are as for :func:`check_count`.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> counts = Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5)
    >>> check_rate("specificity", 0.8, counts)
    ✅ Correct: TNR = TN / (TN + FP) = 0.800.
    Verdict(passed=True)
    >>> check_rate("specificity", 0.2, counts)
    ❌ Not yet: your answer is FPR = FP / (FP + TN), the complement (1 − TNR). You want TNR = TN / (TN + FP).
    Verdict(passed=False)
    """
    key = _rate_key(name)
    if key is None:
        return _say(False, f"unknown rate name {name!r}; use one of {', '.join([*RATES, *ALIASES])}.")
    counts = _counts_from(counts, y_true, y_pred, threshold, sample_weight)
    stated = _stated(claims, key, _rate_key)
    extra = []
    if stated is not None:
        how = f"Divide it out from the data yourself: {formula_text(key)}."
        extra.append((stated, _claim_hint(claimed_by, RATES[key].symbol, how)))
    return _say(*_diagnose_rate(key, answer, counts, zero_division, extra=extra))


@_never_raise
def check_pooled_rate(name, answer, y_true, y_pred, batch_size, threshold=0.5, sample_weight=None):
    """Check a rate over data seen in batches: counts pooled first, one division.

    The misconception caught here is averaging the per-batch rates (what
    Keras 1 did with batch-wise precision and recall, removed in Keras 2.0).

    Examples
    --------
    >>> y_true, y_pred = [1, 1, 0, 1], [0.9, 0.2, 0.1, 0.8]
    >>> check_pooled_rate("recall", 2 / 3, y_true, y_pred, batch_size=2)
    ✅ Correct: TPR = TP / (TP + FN) = 0.667.
    Verdict(passed=True)
    >>> check_pooled_rate("recall", 0.75, y_true, y_pred, batch_size=2)
    ❌ Not yet: you averaged per-batch values: the mean of per-batch rates is not the rate over all the data. Add up TP, FP, TN and FN over every batch first, then divide once: TPR = TP / (TP + FN).
    Verdict(passed=False)
    """
    key = _rate_key(name)
    if key is None:
        return _say(False, f"unknown rate name {name!r}; use one of {', '.join([*RATES, *ALIASES])}.")
    y, p, w = validate_inputs(y_true, y_pred, sample_weight)
    counts = numpy_counts(y, p, threshold, w)
    per_batch = [
        rates(numpy_counts(y[part], p[part], threshold, None if w is None else w[part]))[key]
        for part in batch_slices(len(y), batch_size)
    ]
    message = (
        "you averaged per-batch values: the mean of per-batch rates is not the rate over all the data. "
        f"Add up TP, FP, TN and FN over every batch first, then divide once: {formula_text(key)}."
    )
    per_batch = np.asarray(per_batch, dtype=float)
    extra = []
    if not np.isnan(per_batch).all():
        extra.append((float(np.nanmean(per_batch)), message))
    extra.append((float(np.nan_to_num(per_batch, nan=0.0).mean()), message))
    return _say(*_diagnose_rate(key, answer, counts, float("nan"), extra=extra))


def check_pooled_recall(answer, y_true, y_pred, batch_size, threshold=0.5, sample_weight=None):
    """:func:`check_pooled_rate` for recall (TPR).

    >>> check_pooled_recall(0.5, [1, 1, 1, 1], [0.9, 0.9, 0.1, 0.1], batch_size=2)
    ✅ Correct: TPR = TP / (TP + FN) = 0.500.
    Verdict(passed=True)
    """
    return check_pooled_rate("recall", answer, y_true, y_pred, batch_size, threshold, sample_weight)


# -------------------------------------------------------------- thresholds


def _read_threshold(answer, grid, extra=()):
    """(index into grid, None) or (None, hint)."""
    value, problem = _read(answer)
    if problem:
        return None, problem
    close = np.flatnonzero(np.isclose(grid, float(value), rtol=0, atol=1e-6))
    if close.size:
        return int(close[0]), None
    hint = _first_match(value, extra, rtol=0, atol=1e-9)
    return None, hint or f"{_show(value)} is not one of the thresholds offered; pick one from thresholds."


@_never_raise
def check_threshold_by_cost(answer, y_true, y_pred, thresholds, cost_fp, cost_fn, sample_weight=None):
    """Check the threshold (from ``thresholds``) with the lowest total cost.

    The cost at a threshold is ``cost_fp * FP + cost_fn * FN``. Any threshold
    that ties for the lowest cost passes.

    Examples
    --------
    >>> y_true, y_pred = [0, 0, 1, 1, 1], [0.1, 0.4, 0.3, 0.6, 0.9]
    >>> check_threshold_by_cost(0.2, y_true, y_pred, [0.2, 0.5], cost_fp=1, cost_fn=10)
    ✅ Correct: threshold 0.2 costs 1·1 + 10·0 = 1, the lowest of the thresholds offered.
    Verdict(passed=True)
    >>> check_threshold_by_cost(0.5, y_true, y_pred, [0.2, 0.5], cost_fp=1, cost_fn=10)
    ❌ Not yet: 0.5 makes the fewest errors (FP + FN), i.e. the best accuracy, but here a false negative costs 10 and a false positive 1. Minimise cost_fp·FP + cost_fn·FN.
    Verdict(passed=False)
    """
    grid, _ = validate_thresholds(thresholds)
    sweep = numpy_counts(y_true, y_pred, list(grid), sample_weight)
    fp, fn = np.asarray(sweep.fp, dtype=float), np.asarray(sweep.fn, dtype=float)

    def best(a, b):
        cost = expected_cost(sweep, cost_fp=a, cost_fn=b)
        return set(np.flatnonzero(np.isclose(cost, cost.min())).tolist()), cost

    right, cost = best(cost_fp, cost_fn)
    first = min(right)
    index, problem = _read_threshold(
        answer,
        grid,
        extra=[
            (cost.min(), "that is the lowest cost itself; give the threshold that reaches it."),
            (first, "that is the position in thresholds; give thresholds[i], the threshold itself."),
        ],
    )
    if problem:
        return _say(False, problem)
    t = _show(grid[index])
    if index in right:
        return _say(True, f"threshold {t} costs {_show(cost_fp)}·{_show(fp[index])} + {_show(cost_fn)}·{_show(fn[index])} = {_show(cost[index])}, the lowest of the thresholds offered.")
    if index in best(1.0, 1.0)[0]:
        return _say(False, f"{t} makes the fewest errors (FP + FN), i.e. the best accuracy, but here a false negative costs {_show(cost_fn)} and a false positive {_show(cost_fp)}. Minimise cost_fp·FP + cost_fn·FN.")
    if index in best(cost_fn, cost_fp)[0]:
        return _say(False, f"{t} would be best if the costs were the other way round. A false positive costs {_show(cost_fp)}, a false negative {_show(cost_fn)}.")
    if np.isclose(cost[index], cost.max()) and not np.isclose(cost.max(), cost.min()):
        return _say(False, f"{t} has the highest cost, not the lowest. Minimise cost_fp·FP + cost_fn·FN.")
    return _say(False, f"at {t} the cost is {_show(cost_fp)}·{_show(fp[index])} + {_show(cost_fn)}·{_show(fn[index])} = {_show(cost[index])}; another threshold costs less.")


@_never_raise
def check_highest_threshold(answer, y_true, y_pred, thresholds, rate="recall", at_least=0.9, sample_weight=None):
    """Check the highest threshold (from ``thresholds``) whose ``rate`` is at least ``at_least``.

    Examples
    --------
    >>> y_true, y_pred = [1, 1, 1, 1, 0], [0.9, 0.8, 0.6, 0.3, 0.7]
    >>> check_highest_threshold(0.5, y_true, y_pred, [0.2, 0.5, 0.7], rate="recall", at_least=0.75)
    ✅ Correct: at threshold 0.5, TPR = 0.750 >= 0.75, and no higher threshold offered reaches it.
    Verdict(passed=True)
    >>> check_highest_threshold(0.2, y_true, y_pred, [0.2, 0.5, 0.7], rate="recall", at_least=0.75)
    ❌ Not yet: at 0.2, TPR = 1.000 reaches 0.75, but a higher threshold does too (predicting no more positives). Look for the highest one.
    Verdict(passed=False)
    """
    key = _rate_key(rate)
    if key is None:
        return _say(False, f"unknown rate name {rate!r}.")
    grid, _ = validate_thresholds(thresholds)
    values = np.asarray(rates(numpy_counts(y_true, y_pred, list(grid), sample_weight))[key], dtype=float)
    ok = np.nan_to_num(values, nan=-np.inf) >= at_least
    index, problem = _read_threshold(answer, grid)
    if problem:
        return _say(False, problem)
    symbol, t = RATES[key].symbol, _show(grid[index])
    target = _show(at_least)
    if not ok.any():
        return _say(False, f"no threshold offered reaches {symbol} >= {target}.")
    highest = grid[ok].max()
    if ok[index] and np.isclose(grid[index], highest):
        return _say(True, f"at threshold {t}, {symbol} = {values[index]:.3f} >= {target}, and no higher threshold offered reaches it.")
    if ok[index]:
        return _say(False, f"at {t}, {symbol} = {values[index]:.3f} reaches {target}, but a higher threshold does too (predicting no more positives). Look for the highest one.")
    ge = np.asarray(rates(numpy_counts(y_true, y_pred, list(grid), sample_weight, ties="positive"))[key], dtype=float)
    ge_ok = np.nan_to_num(ge, nan=-np.inf) >= at_least
    if ge_ok[index] and np.isclose(grid[index], grid[ge_ok].max()):
        return _say(False, f"with y_pred >= threshold {t} would do, but Keras predicts positive only when y_pred > threshold, so a score equal to {t} is negative and {symbol} = {values[index]:.3f} there.")
    return _say(False, f"at {t}, {symbol} = {values[index]:.3f}, below {target}. Compute {symbol} at every threshold offered.")


# ---------------------------------------------------------------- merging


def _shard(shard, i):
    if not isinstance(shard, (tuple, list)) or len(shard) not in (2, 3):
        raise TypeError(f"shards[{i}] must be (y_true, y_pred) or (y_true, y_pred, sample_weight)")
    return shard[0], shard[1], shard[2] if len(shard) == 3 else None


@_never_raise
def check_merged_count(name, answer, shards, threshold=0.5):
    """Check a count over data split into parts (batches or replicas).

    ``shards`` is a list of ``(y_true, y_pred)`` or ``(y_true, y_pred,
    sample_weight)`` tuples. The merged count is the sum of the parts'
    counts, which is what Keras does across batches (``update_state``
    accumulates) and across replicas (variables with ``aggregation="sum"``).

    Examples
    --------
    >>> shards = [([1, 0], [0.9, 0.2]), ([1, 1], [0.8, 0.7])]
    >>> check_merged_count("tp", 3, shards)
    ✅ Correct: TP = 3 over 2 parts, summed.
    Verdict(passed=True)
    >>> check_merged_count("tp", 1.5, shards)
    ❌ Not yet: you averaged the parts' counts. Counts add up: merging batches or replicas sums them (Keras creates every metric variable with aggregation="sum").
    Verdict(passed=False)
    """
    key = _count_key(name)
    if key is None:
        return _say(False, f"unknown count name {name!r}; use one of {', '.join(COUNT_DESCRIPTIONS)}.")
    if not isinstance(shards, (list, tuple)) or not shards:
        raise TypeError("shards must be a non-empty list of (y_true, y_pred) tuples")
    parts = [_shard(s, i) for i, s in enumerate(shards)]
    counts = [float(_get(numpy_counts(y, p, threshold, w), key)) for y, p, w in parts]
    expected = sum(counts)
    value, problem = _read(answer)
    if problem:
        return _say(False, problem)
    tol = _COUNT_TOL
    if _same(value, expected, **tol):
        return _say(True, f"{_symbol(key)} = {_show(expected)} over {len(parts)} parts, summed.")
    one = "only one part's count ({}). update_state adds every batch to the running count, and a merge adds every replica's; don't reset in between."
    candidates = [
        (expected / len(parts), 'you averaged the parts\' counts. Counts add up: merging batches or replicas sums them (Keras creates every metric variable with aggregation="sum").'),
        (counts[-1], one.format("the last")),
        (counts[0], one.format("the first")),
    ]
    hint = _first_match(value, candidates, **tol)
    if hint is None:  # not a merging mistake: diagnose it as a count over all parts
        checked = [validate_inputs(y, p, w) for y, p, w in parts]
        weighted = any(w is not None for *_, w in checked)
        all_y = np.concatenate([y for y, _, _ in checked])
        all_p = np.concatenate([p for _, p, _ in checked])
        all_w = np.concatenate([np.ones_like(p) if w is None else w for _, p, w in checked]) if weighted else None
        hint = _diagnose_count(key, answer, all_y, all_p, threshold, all_w)[1].split(": ", 1)[1]
    return _say(False, hint)


# ---------------------------------------------------------- several columns


def _count_of(counts, key):
    return float(getattr(counts, key))


@_never_raise
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
    ❌ Not yet: TN: 1 is the TN of column 1 alone. Keras's TrueNegatives has no class_id: it flattens y_pred and counts every cell of every column, so the flattened TN is the sum of the columns' TNs. With a 2-unit softmax the columns mirror each other (column 0 = 1 − column 1, up to float32 rounding), so a sample called right is a TP in one column and a TN in the other: TP = TN and FP = FN is what Keras should report, not a bug. Only a row whose two cells are both negative (at 0.5: neither column above 0.5, as 0.5 and 0.5) adds one FN and one TN instead, and one whose cells are both positive (possible below 0.5) one TP and one FP.
    Verdict(passed=False)
    """
    key = _count_key(name)
    if key not in COUNT_NAMES:
        return _say(False, f"unknown count name {name!r}; use one of {', '.join(COUNT_NAMES)}.")
    per_column = numpy_counts_per_column(y_true, y_pred, threshold)
    flat = numpy_counts_flattened(y_true, y_pred, threshold)
    expected = _count_of(flat, key)
    n, k = len(per_column[0].tp if np.ndim(per_column[0].tp) else np.asarray(y_true)), len(per_column)
    value, problem = _read(answer)
    if problem:
        return _say(False, f"{_symbol(key)}: {problem}")
    if _same(value, expected, **_COUNT_TOL):
        return _say(True, f"{_symbol(key)} = {_show(expected)} over all {n * k} cells ({n} samples × {k} columns), flattened as Keras counts them.")
    mirror = (
        " With a 2-unit softmax the columns mirror each other (column 0 = 1 − column 1, up to float32 rounding), so a sample "
        "called right is a TP in one column and a TN in the other: TP = TN and FP = FN is what Keras should report, not a bug. "
        "Only a row whose two cells are both negative (at 0.5: neither column above 0.5, as 0.5 and 0.5) adds one FN and one TN "
        "instead, and one whose cells are both positive (possible below 0.5) one TP and one FP."
        if k == 2
        else ""
    )
    candidates = [
        (
            _count_of(c, key),
            f"{{answer}} is the {_symbol(key)} of column {j} alone. Keras's {KERAS_METRIC_NAMES[key]} has no class_id: it flattens "
            f"y_pred and counts every cell of every column, so the flattened {_symbol(key)} is the sum of the columns' "
            f"{_symbol(key)}s.{mirror}",
        )
        for j, c in reversed(list(enumerate(per_column)))
    ]
    candidates += [
        (expected / k, f"{{answer}} is the mean over the {k} columns. Keras adds every cell: the flattened count is the sum, {k} times that."),
        (expected / (n * k), "{answer} is a fraction; Keras's count metrics return counts (sums), never fractions."),
        (expected / n, "{answer} is the count divided by the number of samples; Keras's count metrics return counts, never fractions."),
    ]
    hint = _first_match(value, candidates, **_COUNT_TOL)
    return _say(False, f"{_symbol(key)}: " + (hint or f"count every cell of the {n} × {k} array, each cell one sample's label and score in one column: {COUNT_DESCRIPTIONS[key]}.").replace("{answer}", _show(value)))


@_never_raise
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
    ❌ Not yet: FN: 0 is FN for column 2 from the argmax confusion matrix: an argmax prediction has no threshold (a top score of 0.4 still predicts its class). Keras's counts for one class compare that column with threshold 0.5.
    Verdict(passed=False)
    >>> check_column_count("tn", 8, y_true, y_pred, column=2)
    ❌ Not yet: TN: 8 is Keras's flattened TN, summed over all 3 columns. It is no class's TN: a flattened count adds up every sample's cells in every column. Count column 2 alone (y_true[:, 2], y_pred[:, 2]).
    Verdict(passed=False)
    >>> check_column_count("tn", 2, y_true, y_pred, column=2)
    ✅ Correct: TN = 2 for column 2 (each of the 4 samples counted once) at threshold 0.5.
    Verdict(passed=True)
    """
    key = _count_key(name)
    if key not in COUNT_NAMES:
        return _say(False, f"unknown count name {name!r}; use one of {', '.join(COUNT_NAMES)}.")
    per_column = numpy_counts_per_column(y_true, y_pred, threshold)
    if isinstance(column, bool) or not isinstance(column, (int, np.integer)) or not 0 <= column < len(per_column):
        return _say(False, f"column must be a whole number from 0 to {len(per_column) - 1}, but got {column!r}.")
    expected = _count_of(per_column[column], key)
    flat = numpy_counts_flattened(y_true, y_pred, threshold)
    n = int(per_column[column].total)
    value, problem = _read(answer)
    if problem:
        return _say(False, f"{_symbol(key)}: {problem}")
    if _same(value, expected, **_COUNT_TOL):
        return _say(True, f"{_symbol(key)} = {_show(expected)} for column {column} (each of the {n} samples counted once) at {_threshold_text(threshold)}.")
    labels = np.asarray(y_true, dtype=float).argmax(axis=1)
    picked = np.asarray(y_pred, dtype=float).argmax(axis=1)
    is_k, said_k = labels == column, picked == column
    argmax = {"tp": is_k & said_k, "fp": ~is_k & said_k, "tn": ~is_k & ~said_k, "fn": is_k & ~said_k}
    candidates = [
        (
            _count_of(flat, key),
            f"{{answer}} is Keras's flattened {_symbol(key)}, summed over all {len(per_column)} columns. It is no class's "
            f"{_symbol(key)}: a flattened count adds up every sample's cells in every column. Count column {column} alone "
            f"(y_true[:, {column}], y_pred[:, {column}]).",
        ),
        (
            float(argmax[key].sum()),
            f"{{answer}} is {_symbol(key)} for column {column} from the argmax confusion matrix: an argmax prediction has no "
            f"threshold (a top score of 0.4 still predicts its class). Keras's counts for one class compare that column with "
            f"{_threshold_text(threshold)}.",
        ),
    ]
    candidates += [
        (_count_of(c, key), f"{{answer}} is the {_symbol(key)} of column {j}; you were asked for column {column} (columns count from 0).")
        for j, c in enumerate(per_column)
        if j != column
    ]
    hint = _first_match(value, candidates, **_COUNT_TOL)
    return _say(False, f"{_symbol(key)}: " + (hint or f"in column {column}, {COUNT_DESCRIPTIONS[key]}.").replace("{answer}", _show(value)))


# ------------------------------------------------------------ grid metrics


def _sklearn_auc(y_true, y_pred):
    """scikit-learn's exact ROC AUC, or nan where it is undefined (one class only)."""
    import warnings

    from sklearn.metrics import roc_auc_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(roc_auc_score(y_true, y_pred))
        except ValueError:  # older scikit-learn raises on one class
            return float("nan")


@_never_raise
def check_keras_auc(answer, y_true, y_pred, num_thresholds=200):
    """Check ``keras.metrics.AUC(num_thresholds=...)``'s result, computed without Keras.

    The misconceptions recognised: scikit-learn's exact ``roc_auc_score``
    expected from Keras (Keras integrates counts on a grid of
    ``num_thresholds`` thresholds), the minoring or majoring sum for
    Keras's default interpolation, and, with one class only, NaN (what
    scikit-learn gives) where Keras reports 0.0.

    Examples
    --------
    >>> y_true, y_pred = [0, 0, 1, 1], [0.1, 0.3, 0.35, 0.8]
    >>> check_keras_auc(0.75, y_true, y_pred, num_thresholds=3)
    ✅ Correct: Keras's AUC with num_thresholds=3 is 0.7500 here.
    Verdict(passed=True)
    >>> check_keras_auc(1.0, y_true, y_pred, num_thresholds=3)
    ❌ Not yet: 1.0000 is scikit-learn's roc_auc_score, the exact area. Keras's AUC counts TP, FP, TN and FN only at its 3 thresholds (-1e-7, evenly spaced inside, 1 + 1e-7) and sums trapezoids between those points, so here it is 0.7500. More thresholds need not bring the two closer: Keras gives a positive and a negative that share a cell of its grid half credit, whichever is scored higher.
    Verdict(passed=False)
    """
    expected = keras_style_auc(y_true, y_pred, num_thresholds)
    exact = _sklearn_auc(y_true, y_pred)
    value, problem = _read(answer)
    if problem:
        return _say(False, problem)
    if math.isnan(float(value)):
        if math.isnan(exact):
            return _say(False, f"nan is scikit-learn's answer for one class only (with a warning; older versions raise). Keras's AUC returns {expected:.1f}: with every TPR or every FPR 0, each trapezoid has no width or no height.")
        return _say(False, "the answer is nan; Keras's AUC always returns a number.")
    tol = {"rtol": 0.0, "atol": 1e-6}
    if _same(value, expected, **tol):
        return _say(True, f"Keras's AUC with num_thresholds={num_thresholds} is {float(expected):.4f} here.")
    counts = grid_counts(y_true, y_pred, num_thresholds, "auc")
    from cmlearn.grid_metrics import auc_from_counts

    candidates = [
        (
            exact,
            f"{float(value):.4f} is scikit-learn's roc_auc_score, the exact area. Keras's AUC counts TP, FP, TN and FN only at its "
            f"{num_thresholds} thresholds (-1e-7, evenly spaced inside, 1 + 1e-7) and sums trapezoids between those points, "
            f"so here it is {expected:.4f}. More thresholds need not bring the two closer: Keras gives a positive and a negative "
            f"that share a cell of its grid half credit, whichever is scored higher.",
        ),
        (auc_from_counts(counts, "minoring"), "you took the lower of each pair of neighbouring TPRs (summation_method='minoring'). Keras's default interpolation takes their mean: trapezoids."),
        (auc_from_counts(counts, "majoring"), "you took the higher of each pair of neighbouring TPRs (summation_method='majoring'). Keras's default interpolation takes their mean: trapezoids."),
        (-expected, "your area is negative: the thresholds go up while FPR goes down, so each width is FPR[i] − FPR[i+1]."),
    ]
    hint = _first_match(value, candidates, **tol)
    if hint is None and _same(value, expected, rtol=0.0, atol=5e-3):
        hint = "close, but not Keras's number: use Keras's own grid (auc_thresholds) and its counts, in float32."
    return _say(False, hint or f"rebuild it from the counts on Keras's grid: points (FPR, TPR) at each threshold, trapezoids between neighbours (num_thresholds={num_thresholds}).")


@_never_raise
def check_at_metric(answer, name, value, counts):
    """Check an "at" metric (e.g. ``"sensitivity_at_specificity"``) read from its count arrays.

    The misconceptions recognised: a strict ``>`` in the constraint where
    Keras uses ``>=``, the constrained rate given instead of the one
    maximised, and the worst feasible value instead of the best.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> c = Counts(np.float32([4, 3, 1]), np.float32([4, 1, 0]), np.float32([0, 3, 4]), np.float32([0, 1, 3]), np.array([0, 0.5, 1]))
    >>> check_at_metric(0.75, "sensitivity_at_specificity", 0.75, c)
    ✅ Correct: SensitivityAtSpecificity(0.75) = 0.7500: the best sensitivity among the thresholds whose specificity is >= 0.75.
    Verdict(passed=True)
    """
    if name not in AT_METRICS:
        return _say(False, f"unknown metric {name!r}; use one of {', '.join(AT_METRICS)}.")
    validate_counts(counts, thresholds="sweep")
    cls, constrained, dependent = AT_METRICS[name]
    expected = at_metric_from_counts(counts, name, value)
    got, problem = _read(answer)
    if problem:
        return _say(False, problem)
    tol = {"rtol": 0.0, "atol": 1e-6}
    if _same(got, expected, **tol):
        return _say(True, f"{cls}({_show(value)}) = {expected:.4f}: the best {dependent} among the thresholds whose {constrained} is >= {_show(value)}.")
    tp, fp, tn, fn = (np.asarray(getattr(counts, k), dtype=np.float64) for k in COUNT_NAMES)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = {
            "sensitivity": np.nan_to_num(tp / (tp + fn)),
            "recall": np.nan_to_num(tp / (tp + fn)),
            "specificity": np.nan_to_num(tn / (tn + fp)),
            "precision": np.nan_to_num(tp / (tp + fp)),
        }
    feasible = rate[constrained] >= np.float32(value)
    strict = rate[constrained] > np.float32(value)
    candidates = []
    if strict.any():
        candidates.append((rate[dependent][strict].max(), f"you required {constrained} > {_show(value)}; Keras keeps thresholds where it is >= {_show(value)}."))
    if feasible.any():
        best = int(np.flatnonzero(feasible & (rate[dependent] == rate[dependent][feasible].max()))[0])
        candidates.append((rate[constrained][best], f"that is the {constrained} at the chosen threshold, the constraint; {cls} returns the {dependent} there."))
        candidates.append((rate[dependent][feasible].min(), f"that is the lowest {dependent} among the thresholds that qualify; Keras returns the highest."))
    hint = _first_match(got, candidates, **tol)
    return _say(False, hint or f"at each threshold compute {constrained} and {dependent} from the counts; keep thresholds whose {constrained} >= {_show(value)}; return the largest {dependent} (0.0 if none).")


# ---------------------------------------------------------------- after fit


def _history_dict(history):
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(f"history must be what fit returned (or its .history dict), not {type(history).__name__}")
    return logs


@_never_raise
def check_history_count(name, answer, history, y_true, y_pred, prefix="val_", threshold=0.5):
    """Check a count on data scored with the model's final weights, naming the ``History`` mix-ups.

    ``y_true``/``y_pred`` are the data set and the trained model's scores on
    it; ``prefix`` says which ``History`` entries belong to that data set
    (``"val_"`` for the validation data, ``""`` for the training data). The
    right answer is the count on those scores. A wrong answer that equals a
    ``History`` entry gets a hint saying which one it is: the other data
    set's count, the counts summed over epochs, the first epoch's, or, for
    the training data, the last epoch's count, which Keras added up while
    the weights were still changing.

    Examples
    --------
    >>> h = {"fn": [30.0, 22.0], "val_fn": [9.0, 7.0], "tp": [50.0, 58.0], "val_tp": [20.0, 22.0]}
    >>> y_val, p_val = [1] * 29, [0.2] * 7 + [0.9] * 22
    >>> check_history_count("fn", 7, h, y_val, p_val)
    ✅ Correct: FN = 7 at threshold 0.5.
    Verdict(passed=True)
    >>> check_history_count("fn", 22, h, y_val, p_val)
    ❌ Not yet: FN: 22 is History's fn, the training data's count. The validation counts carry the val_ prefix: history.history["val_fn"][-1].
    Verdict(passed=False)
    >>> check_history_count("fn", 16, h, y_val, p_val)
    ❌ Not yet: FN: 16 is val_fn summed over the 2 epochs. Keras resets its metrics at the start of every epoch, so each entry already counts the whole data set once: take the last epoch's entry, [-1].
    Verdict(passed=False)
    """
    key = _count_key(name)
    if key not in COUNT_NAMES:
        return _say(False, f"unknown count name {name!r}; use one of {', '.join(COUNT_NAMES)}.")
    if prefix not in ("", "val_"):
        raise ValueError(f"prefix must be 'val_' (validation data) or '' (training data), not {prefix!r}")
    logs = _history_dict(history)
    ok, message = _diagnose_count(key, answer, y_true, y_pred, threshold, None)
    if ok:
        return _say(True, message)
    value, problem = _read(answer)
    if problem:
        return _say(False, message)
    other = "" if prefix else "val_"
    mine, theirs = f"{prefix}{key}", f"{other}{key}"
    names = {"val_": "the validation data's", "": "the training data's"}
    candidates = []
    if prefix == "":
        candidates.append((
            logs.get(mine, [None])[-1],
            f"{{answer}} is History's {mine} for the last epoch: Keras added it up batch by batch while the weights "
            f"were still changing, so it is not the count with the final weights. Count again with them: "
            f'model.evaluate(x_train, y_train, return_dict=True)["{key}"].',
        ))
    candidates.append((
        logs.get(theirs, [None])[-1],
        f"{{answer}} is History's {theirs}, {names[other]} count. "
        + (f'The validation counts carry the val_ prefix: history.history["{mine}"][-1].' if prefix else
           "The training data's own count needs the final weights: model.evaluate on the training data."),
    ))
    for name_ in (mine, theirs):
        if name_ in logs and len(logs[name_]) > 1:
            candidates.append((
                float(np.sum(logs[name_])),
                f"{{answer}} is {name_} summed over the {len(logs[name_])} epochs. Keras resets its metrics at the start "
                f"of every epoch, so each entry already counts the whole data set once: take the last epoch's entry, [-1].",
            ))
            candidates.append((
                logs[name_][0],
                f"{{answer}} is {name_} of the first epoch; History keeps one entry per epoch, and the last, [-1], is the one asked for.",
            ))
    hint = _first_match(value, candidates, **_COUNT_TOL)
    if hint is None:
        return _say(False, message)
    return _say(False, f"{_symbol(key)}: " + hint.replace("{answer}", _show(value)))
