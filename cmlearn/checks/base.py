"""The grader's shared machinery: the verdict, the never-raise wrapper, reading an answer, naming its mistake.

Every subject module of :mod:`cmlearn.checks` grades with these pieces and
nothing else:

* :class:`Verdict`, what a check returns, and :func:`print_verdict`, the one
  line a learner sees (``✅ Correct: ...`` or ``❌ Not yet: ...``);
* :func:`never_raise`, which turns any error inside a check into a printed hint;
* :func:`parse_answer`, which reads a learner's answer as a number or array
  of the shape asked for, or says what is wrong with it;
* :func:`first_match`, which names the first likely mistake (a
  :class:`Candidate`: a value a misconception gives, and its hint) the
  answer equals, within a :class:`Tolerance`;
* :func:`count_value`, the one getter of a count from a Counts (float64);
* the names a learner may use for a count or a rate (:func:`count_key`,
  :func:`rate_key`) and what each count holds (:data:`COUNT_DESCRIPTIONS`).

>>> parse_answer("3")
ParsedAnswer(value=None, problem="the answer is the text '3'. Give a number (e.g. 3, not '3'), computed from the data.")
>>> first_match(0.25, [Candidate(0.5, "half"), Candidate(0.25, "a quarter")], COUNT_TOLERANCE)
'a quarter'
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from cmlearn.counts import COUNT_NAMES, KERAS_METRIC_NAMES, format_count
from cmlearn.ratios import ALIASES, RATES

__all__ = [
    "PASS_MARK",
    "HINT_MARK",
    "Verdict",
    "print_verdict",
    "never_raise",
    "ParsedAnswer",
    "parse_answer",
    "Tolerance",
    "COUNT_TOLERANCE",
    "close_enough",
    "Candidate",
    "first_match",
    "count_value",
    "show_number",
    "threshold_text",
    "COUNT_DESCRIPTIONS",
    "count_key",
    "rate_key",
    "symbol",
    "unknown_name",
    "stated_figure",
    "claim_hint",
]

#: The first character of a passing check's line.
PASS_MARK = "✅"
#: The first character of a hint's line.
HINT_MARK = "❌"


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


def print_verdict(passed, message):
    """Print the check's one line, ``✅ Correct: message`` or ``❌ Not yet: message``; return ``passed``.

    >>> print_verdict(False, "recount.")
    ❌ Not yet: recount.
    False
    """
    print(f"{PASS_MARK} Correct: {message}" if passed else f"{HINT_MARK} Not yet: {message}")
    return passed


def never_raise(check):
    """Turn any error inside a check into a printed hint; return a :class:`Verdict`."""

    @functools.wraps(check)
    def wrapper(*args, **kwargs):
        try:
            return Verdict(check(*args, **kwargs))
        except Exception as error:  # a check must never crash a learner's notebook
            return Verdict(print_verdict(False, f"this could not be checked ({type(error).__name__}: {error})."))

    return wrapper


# ------------------------------------------------------------ the answer


class ParsedAnswer(NamedTuple):
    """A learner's answer read as a float array (``value``), or why it cannot be (``problem``)."""

    value: np.ndarray | None
    problem: str | None


def parse_answer(answer, shape=()):
    """Read ``answer`` as a float array of ``shape``; never evaluates text.

    A length-1 list or a (1,) tensor passes for one number and an (N, 1)
    column for N numbers.

    >>> parse_answer([7], ())
    ParsedAnswer(value=array(7.), problem=None)
    >>> parse_answer(None).problem
    'the answer is still None. Replace None with your code, then run the cell again.'
    """
    if answer is None:
        return ParsedAnswer(None, "the answer is still None. Replace None with your code, then run the cell again.")
    if isinstance(answer, (bool, np.bool_)):
        return ParsedAnswer(None, f"the answer is {answer!r}, a yes/no value. Give the number itself.")
    if isinstance(answer, (str, bytes)):
        return ParsedAnswer(
            None, f"the answer is the text {answer!r}. Give a number (e.g. 3, not '3'), computed from the data."
        )
    if isinstance(answer, (dict, set)):
        return ParsedAnswer(None, f"the answer is a {type(answer).__name__}. Give a number.")
    try:
        array = np.asarray(answer, dtype=float)
    except Exception:
        return ParsedAnswer(None, f"the answer is a {type(answer).__name__}, which is not a number. Give a number.")
    shape = tuple(shape)
    if array.shape != shape and (np.squeeze(array).shape == shape or array.size == 1 == np.prod(shape)):
        array = np.squeeze(array).reshape(shape)
    if array.shape != shape:
        wanted = "one number" if shape == () else f"shape {shape}"
        return ParsedAnswer(None, f"the answer has shape {array.shape}; expected {wanted}.")
    if np.isinf(array).any():
        return ParsedAnswer(None, "the answer is infinite: somewhere you divided by zero.")
    return ParsedAnswer(array, None)


class Tolerance(NamedTuple):
    """How close an answer must be to a value to equal it (as :func:`numpy.allclose`)."""

    rtol: float
    atol: float


#: Counts pass within this: a count copied with a few decimals still equals it.
COUNT_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-3)


def close_enough(a, b, tolerance=COUNT_TOLERANCE):
    """True when ``a`` and ``b`` have one shape and are equal within ``tolerance`` (NaN equals NaN)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(
        np.allclose(a, b, rtol=tolerance.rtol, atol=tolerance.atol, equal_nan=True)
    )


class Candidate(NamedTuple):
    """A value a misconception gives, and the hint that names it."""

    value: object
    hint: str


def first_match(answer, candidates, tolerance=COUNT_TOLERANCE):
    """The hint of the first candidate the answer equals, else None; an undefined candidate (None, NaN) is skipped."""
    for value, hint in candidates:
        if value is None or np.isnan(np.asarray(value, dtype=float)).all():
            continue  # an undefined candidate says nothing about the answer
        if close_enough(answer, value, tolerance):
            return hint
    return None


# ------------------------------------------------------------ counts and names


def count_value(counts, key):
    """``counts.<key>`` as float64: a float for one threshold, an array for a sweep.

    >>> from cmlearn.counts import Counts
    >>> count_value(Counts(tp=2.0, fp=1.0, tn=0.0, fn=1.0, thresholds=0.5), "actual_positives")
    np.float64(3.0)
    """
    return np.asarray(getattr(counts, key), dtype=np.float64)[()]


def show_number(value):
    """A number or array as a learner would write it: ``3``, ``2.5``, ``0.1667``, ``[1, 2]``.

    >>> show_number(3.0), show_number(1 / 6), show_number([1, 2.5])
    ('3', '0.1667', '[1, 2.5]')
    """
    value = np.asarray(value, dtype=float)
    if value.ndim == 0:
        v = float(value)
        return "nan" if math.isnan(v) else format_count(v) if abs(v) >= 1 or v == 0 else f"{v:.4g}"
    return "[" + ", ".join(show_number(v) for v in value) + "]"


def threshold_text(thresholds):
    """``threshold 0.5`` or ``thresholds [0.3, 0.6]``."""
    word = "threshold" if np.ndim(thresholds) == 0 else "thresholds"
    return f"{word} {show_number(thresholds)}"


#: What each count holds, as the hints explain it: the counts a check can ask for.
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
_LONG_COUNT_NAMES = {"true_positives": "tp", "false_positives": "fp", "true_negatives": "tn", "false_negatives": "fn"}


def _normalised(name):
    return name.strip().lower().replace(" ", "_")


def count_key(name):
    """``'tp'`` for 'TP', 'tp', 'TruePositives', 'true_positives'; None if unknown.

    >>> count_key("FalseNegatives"), count_key("Actual positives"), count_key("tpr")
    ('fn', 'actual_positives', None)
    """
    if not isinstance(name, str):
        return None
    key = _normalised(name)
    by_class = {cls.lower(): k for k, cls in KERAS_METRIC_NAMES.items()}
    key = by_class.get(key, _LONG_COUNT_NAMES.get(key, key))
    return key if key in COUNT_DESCRIPTIONS else None


def rate_key(name):
    """The key of :data:`cmlearn.ratios.RATES` for a rate's name or alias; None if unknown.

    >>> rate_key("Recall"), rate_key("specificity"), rate_key("fn")
    ('tpr', 'tnr', None)
    """
    if not isinstance(name, str):
        return None
    key = _normalised(name)
    key = ALIASES.get(key, key)
    return key if key in RATES else None


def symbol(key):
    """How the hints write a count: ``TP`` for ``tp``, ``actual positives`` for ``actual_positives``."""
    return key.upper() if key in COUNT_NAMES else key.replace("_", " ")


def unknown_name(kind, name, choices):
    """The hint for a name that is not one of ``choices``; a name that is not text is the answer in its place.

    >>> unknown_name("count", "tpr", ["tp", "fn"])
    "unknown count name 'tpr'; use one of tp, fn."
    >>> unknown_name("rate", 0.5, ["tpr"])
    'unknown rate name 0.5; use one of tpr. The name comes first, then your answer: check(name, answer, ...).'
    """
    hint = f"unknown {kind} name {name!r}; use one of {', '.join(choices)}."
    if not isinstance(name, str):
        hint += " The name comes first, then your answer: check(name, answer, ...)."
    return hint


# ------------------------------------------------------------ figures a source states


def stated_figure(claims, key, normalise):
    """The value ``claims`` (a mapping of names to stated figures) gives for ``key``, else None."""
    if claims is None:
        return None
    if not hasattr(claims, "items"):
        raise TypeError(
            f"claims must be a mapping of names to stated figures, but got {type(claims).__name__}. "
            "Fix: e.g. claims={'fn': 1}, or cmlearn.data.ARTICLE_CLAIMS."
        )
    for name, value in claims.items():
        if normalise(name) == key:
            return value
    return None


def claim_hint(claimed_by, what, how):
    """The hint for an answer equal to the figure a source states instead of the data's."""
    return (
        f"that is the figure {claimed_by} states for {what}, the one you are checking; "
        f"the data give a different number. {how}"
    )
