"""Grading rates: one rate (:func:`check_rate`) and a rate over batches (:func:`check_pooled_rate`).

The right answer is :func:`cmlearn.rates`; every rate, its formula and its
complement come from :data:`cmlearn.ratios.RATES` and
:func:`~cmlearn.ratios.formula_text`; the batches are
:func:`cmlearn.batch_log.batch_slices`. Rates pass within
:data:`RATE_TOLERANCE`, so 3 decimals are enough.

>>> from cmlearn.counts import Counts
>>> check_rate("fnr", 0.75, Counts(tp=3.0, fp=1.0, tn=4.0, fn=1.0, thresholds=0.5))
❌ Not yet: your answer is TPR = TP / (TP + FN), the complement (1 − FNR). You want FNR = FN / (FN + TP).
Verdict(passed=False)
"""

from __future__ import annotations

import math

import numpy as np

from cmlearn.batch_log import batch_slices
from cmlearn.checks.base import (
    Candidate,
    Tolerance,
    claim_hint,
    close_enough,
    first_match,
    never_raise,
    parse_answer,
    print_verdict,
    rate_key,
    stated_figure,
    unknown_name,
)
from cmlearn.counts import COUNT_NAMES, numpy_counts
from cmlearn.ratios import ALIASES, RATES, formula_text, rates
from cmlearn.validation import validate_counts, validate_inputs

__all__ = ["RATE_TOLERANCE", "check_rate", "check_pooled_rate", "check_pooled_recall", "complement"]

#: Rates pass when within this of the right value, so 3 decimals are enough.
RATE_TOLERANCE = 5e-4
_RATE_TOLERANCE = Tolerance(rtol=0.0, atol=RATE_TOLERANCE)
_RATE_NAMES = [*RATES, *ALIASES]


def complement(key):
    """The rate that adds up with ``key`` to 1, from :data:`~cmlearn.ratios.RATES`, or None.

    The other count of the same two-count denominator on top: FNR for TPR,
    FPR for TNR. Precision and NPV have none among the rates here.

    >>> complement("tpr"), complement("fpr"), complement("precision")
    ('fnr', 'tnr', None)
    """
    spec = RATES[key]
    below = {name for name, _ in spec.denominator}
    if len(spec.numerator) != 1 or len(below) != 2:
        return None
    for other, them in RATES.items():
        if other != key and len(them.numerator) == 1 and {name for name, _ in them.denominator} == below:
            if {spec.numerator[0][0], them.numerator[0][0]} == below:
                return other
    return None


def _rate_hints(key, counts, zero_division):
    """(expected, [Candidate, ...], formula) for one rate of a one-threshold Counts."""
    r = rates(counts, zero_division=zero_division)
    expected = float(r[key])
    formula = formula_text(key)
    candidates = []
    if key in r.undefined:
        candidates.append(
            Candidate(
                0.0,
                f"{formula} is 0/0 here: undefined, not 0. Keras's Precision and Recall show 0.0 in this case, "
                f"which hides it. Answer float('nan').",
            )
        )
    other = complement(key)
    if other is not None:
        candidates.append(
            Candidate(
                1 - expected,
                f"your answer is {formula_text(other)}, the complement (1 − {RATES[key].symbol}). You want {formula}.",
            )
        )
    for other in RATES:
        if other != key:
            hint = f"your answer equals {formula_text(other)}. You want {formula}."
            candidates.append(Candidate(float(r[other]), hint))
    candidates.append(Candidate(100 * expected, f"give a fraction between 0 and 1, not a percentage. {formula}."))
    spec = RATES[key]
    if spec.numerator:
        numerator = sum(f * float(getattr(counts, n)) for n, f in spec.numerator)
        total = float(counts.total)
        candidates.append(
            Candidate(
                numerator / total if total else None,
                f"you divided by every sample. {formula}: look at the denominator.",
            )
        )
        candidates.append(
            Candidate(numerator, f"that is a count, not a rate. A rate is a division you write: {formula}.")
        )
    for name in COUNT_NAMES:
        candidates.append(
            Candidate(
                float(getattr(counts, name)),
                f"that is the count {name.upper()}, not a rate. A rate is a division you write: {formula}.",
            )
        )
    return expected, candidates, formula


def _diagnose_rate(key, answer, counts, zero_division, extra=()):
    """(passed, message) for one rate; ``extra`` candidates are tried first."""
    expected, candidates, formula = _rate_hints(key, counts, zero_division)
    value, problem = parse_answer(answer)
    if problem:
        return False, problem
    if close_enough(value, expected, _RATE_TOLERANCE):
        shown = "undefined (0/0), nan" if math.isnan(expected) else f"{expected:.3f}"
        return True, f"{formula} = {shown}."
    hint = first_match(value, [*extra, *candidates], _RATE_TOLERANCE)
    if hint is None and not math.isnan(expected) and abs(float(value) - expected) < 0.01:
        hint = f"close, but give at least 3 decimals (don't round early). {formula}."
    if hint is None and (float(value) > 1 or float(value) < 0):
        hint = f"a rate lies between 0 and 1. {formula}."
    if hint is None and math.isnan(float(value)):
        hint = f"your answer is nan, but {formula} is defined here (its denominator is not 0)."
    return False, hint or f"divide the counts as {formula}, using the counts at this threshold."


@never_raise
def check_rate(
    name,
    answer,
    counts=None,
    *,
    y_true=None,
    y_pred=None,
    threshold=0.5,
    sample_weight=None,
    zero_division=float("nan"),
    claims=None,
    claimed_by="the article",
):
    """Check one rate, e.g. ``"fnr"``, ``"specificity"``, ``"precision"``.

    Give the data either as a one-threshold ``counts`` (from
    :func:`cmlearn.numpy_counts` or :func:`cmlearn.keras_counts`) or as
    ``y_true=..., y_pred=...``. An undefined rate (0/0) expects ``nan``
    (or ``zero_division`` if you pass one). Rates within 0.0005 pass.
    ``claims`` and ``claimed_by`` are as for :func:`~cmlearn.checks.check_count`.

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
    key = rate_key(name)
    if key is None:
        return print_verdict(False, unknown_name("rate", name, _RATE_NAMES))
    if counts is not None:
        counts = validate_counts(counts, thresholds="one")
    else:
        counts = numpy_counts(y_true, y_pred, threshold, sample_weight)
    stated = stated_figure(claims, key, rate_key)
    extra = []
    if stated is not None:
        how = f"Divide it out from the data yourself: {formula_text(key)}."
        extra.append(Candidate(stated, claim_hint(claimed_by, RATES[key].symbol, how)))
    return print_verdict(*_diagnose_rate(key, answer, counts, zero_division, extra=extra))


@never_raise
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
    ❌ Not yet: you averaged per-batch values: the mean of per-batch rates is not the rate over all the data.
    Add up TP, FP, TN and FN over every batch first, then divide once: TPR = TP / (TP + FN).
    Verdict(passed=False)
    """
    key = rate_key(name)
    if key is None:
        return print_verdict(False, unknown_name("rate", name, _RATE_NAMES))
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
        extra.append(Candidate(float(np.nanmean(per_batch)), message))
    extra.append(Candidate(float(np.nan_to_num(per_batch, nan=0.0).mean()), message))
    return print_verdict(*_diagnose_rate(key, answer, counts, float("nan"), extra=extra))


def check_pooled_recall(answer, y_true, y_pred, batch_size, threshold=0.5, sample_weight=None):
    """:func:`check_pooled_rate` for recall (TPR).

    >>> check_pooled_recall(0.5, [1, 1, 1, 1], [0.9, 0.9, 0.1, 0.1], batch_size=2)
    ✅ Correct: TPR = TP / (TP + FN) = 0.500.
    Verdict(passed=True)
    """
    return check_pooled_rate("recall", answer, y_true, y_pred, batch_size, threshold, sample_weight)
