"""Rates divided out by hand from the four counts, with their formulas.

Keras's count metrics return counts; a rate is a division you write. Every
rate here is one line of arithmetic on ``tp fp tn fn`` and can show itself as
that division with the live numbers:

>>> from cmlearn.counts import Counts
>>> r = rates(Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5))
>>> print(r.formula("fnr"))
FNR = FN / (FN + TP) = 0 / (0 + 5) = 0.000
>>> print(r.formula("specificity"))
TNR = TN / (TN + FP) = 4 / (4 + 1) = 0.800

A rate whose denominator is 0 is undefined: NaN by default, and it says so.
(Keras's own ``Precision`` and ``Recall`` report 0.0 there instead.)

>>> r = rates(Counts(tp=0.0, fp=0.0, tn=3.0, fn=0.0, thresholds=0.5))
>>> print(r.formula("precision"))
precision = TP / (TP + FP) = 0 / (0 + 0) = undefined (0/0), shown as nan
>>> rates(Counts(tp=0.0, fp=0.0, tn=3.0, fn=0.0, thresholds=0.5), zero_division=0).precision
0.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from cmlearn.counts import format_count
from cmlearn.validation import validate_choice, validate_counts, validate_zero_division

__all__ = ["RATES", "ALIASES", "Rates", "rates", "rate_key", "format_rate", "formula_text"]


@dataclass(frozen=True)
class RateSpec:
    """One rate as a ratio of weighted sums of counts."""

    key: str
    symbol: str
    name: str
    numerator: tuple  # ((count, factor), ...)
    denominator: tuple


def _terms(*names):
    return tuple((n, 1) for n in names)


#: Every rate cmlearn knows, in the order shown to learners.
RATES = {
    spec.key: spec
    for spec in (
        RateSpec("tpr", "TPR", "true positive rate (recall, sensitivity)", _terms("tp"), _terms("tp", "fn")),
        RateSpec("tnr", "TNR", "true negative rate (specificity)", _terms("tn"), _terms("tn", "fp")),
        RateSpec("fpr", "FPR", "false positive rate (1 − specificity)", _terms("fp"), _terms("fp", "tn")),
        RateSpec("fnr", "FNR", "false negative rate (miss rate, 1 − recall)", _terms("fn"), _terms("fn", "tp")),
        RateSpec("precision", "precision", "precision (positive predictive value)", _terms("tp"), _terms("tp", "fp")),
        RateSpec("npv", "NPV", "negative predictive value", _terms("tn"), _terms("tn", "fn")),
        RateSpec("accuracy", "accuracy", "accuracy", _terms("tp", "tn"), _terms("tp", "tn", "fp", "fn")),
        RateSpec("balanced_accuracy", "balanced accuracy", "balanced accuracy, (TPR + TNR) / 2", (), ()),
        RateSpec(
            "prevalence",
            "prevalence",
            "prevalence (actual positives / total)",
            _terms("tp", "fn"),
            _terms("tp", "fn", "tn", "fp"),
        ),
        RateSpec("f1", "F1", "F1 score", (("tp", 2),), (("tp", 2), ("fp", 1), ("fn", 1))),
    )
}

#: Other names learners meet for the same rates.
ALIASES = {
    "recall": "tpr",
    "sensitivity": "tpr",
    "hit_rate": "tpr",
    "specificity": "tnr",
    "selectivity": "tnr",
    "fall_out": "fpr",
    "miss_rate": "fnr",
    "ppv": "precision",
}


def format_rate(value, digits=3):
    """Show a rate the way a learner divides it: in full when the division ends soon, else rounded half away from zero.

    ``value`` is the exact rate as a :class:`fractions.Fraction` (what
    :meth:`Rates.exact` gives), or a float, read as the shortest decimal
    that gives that float back (``repr``). A division that ends within
    ``digits + 1`` decimals is shown in full: 4/64 is 0.0625, never a
    rounded 0.062 or 0.063, so no rounding rule is needed at an exact half
    (every half at ``digits`` places ends at ``digits + 1``). Any other is
    rounded half away from zero to ``digits`` places, as a hand division
    is. NaN (an undefined 0/0) is ``'undefined'``.

    >>> from fractions import Fraction
    >>> [format_rate(Fraction(*pair)) for pair in ((4, 64), (1, 8), (1, 2), (2, 3))]
    ['0.0625', '0.125', '0.500', '0.667']
    >>> format_rate(Fraction(3, 10000)), format_rate(Fraction(1, 1999)), format_rate(0.0625), format_rate(float("nan"))
    ('0.0003', '0.001', '0.0625', 'undefined')
    """
    if not isinstance(value, Fraction):
        value = float(value)
        if math.isnan(value):
            return "undefined"
        if math.isinf(value):
            return str(value)
        value = Fraction(repr(value))
    sign, size = ("-" if value < 0 else ""), abs(value)
    for places in range(digits + 2):  # ends within digits + 1 decimals: in full
        if (size * 10**places).denominator == 1:
            break
    else:
        places = digits
    places = max(places, digits)
    scaled = size * 10**places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):  # half away from zero (an exact half cannot reach here: it is shown in full)
        whole += 1
    text = str(whole).rjust(places + 1, "0")
    shown = f"{text[:-places]}.{text[-places:]}" if places else text
    return sign + shown if whole else shown


def rate_key(name, argument="name", fix=None):
    """The key in :data:`RATES` of a rate's key or other name (:data:`ALIASES`); refuse any other name.

    ``argument`` (how the caller's parameter is called) and ``fix`` go into the message.

    >>> rate_key("recall"), rate_key("fnr")
    ('tpr', 'fnr')
    >>> rate_key("recal")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: name must be one of 'tpr', 'tnr', ..., 'ppv' (a rate's key, or another name for it), but got 'recal'.
    Fix: e.g. name='tpr'.
    """
    name = validate_choice(name, argument, [*RATES, *ALIASES], what="a rate's key, or another name for it", fix=fix)
    return ALIASES.get(name, name)


def formula_text(name):
    """A rate's formula in symbols, the one source of that text.

    >>> formula_text("specificity"), formula_text("f1")
    ('TNR = TN / (TN + FP)', 'F1 = 2·TP / (2·TP + FP + FN)')
    """
    key = rate_key(name)
    spec = RATES[key]
    if key == "balanced_accuracy":
        return f"{spec.symbol} = (TPR + TNR) / 2"
    return f"{spec.symbol} = {_term_text(spec.numerator, str.upper)} / {_term_text(spec.denominator, str.upper)}"


def _weighted_sum(counts, terms):
    return sum(factor * np.asarray(getattr(counts, name), dtype=np.float64) for name, factor in terms)


def _term_text(terms, value_of):
    parts = [(f"{factor}·" if factor != 1 else "") + value_of(name) for name, factor in terms]
    text = " + ".join(parts)
    return f"({text})" if len(parts) > 1 else text


class Rates:
    """Rates computed from a :class:`~cmlearn.counts.Counts` by hand.

    Read a rate as an attribute (``r.fnr``, ``r.recall``); scalars for one
    threshold, arrays for a sweep. ``r.formula(key)`` shows the division.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> r = rates(Counts(tp=3.0, fp=1.0, tn=5.0, fn=1.0, thresholds=0.5))
    >>> r.recall, r.specificity, r.balanced_accuracy
    (0.75, 0.8333333333333334, 0.7916666666666667)
    >>> r.undefined
    ()
    """

    def __init__(self, counts, zero_division=float("nan")):
        self.counts = counts
        self.zero_division = validate_zero_division(zero_division)
        self._values = {}
        self._undefined = {}
        for key, spec in RATES.items():
            if key == "balanced_accuracy":
                continue
            num = _weighted_sum(counts, spec.numerator)
            den = _weighted_sum(counts, spec.denominator)
            undefined = den == 0
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(undefined, self.zero_division, num / np.where(undefined, 1, den))
            self._store(key, value, undefined)
        self._store("balanced_accuracy", *self._balanced_accuracy())

    def _balanced_accuracy(self):
        """(TPR + TNR) / 2 over the classes present, as scikit-learn's ``balanced_accuracy_score``.

        A class with no samples (its rate is 0/0) is left out of the mean, so
        with one class present this is that class's rate; only with none is
        it undefined (``zero_division``).
        """
        tpr, tnr = (np.asarray(self._values[k], dtype=np.float64) for k in ("tpr", "tnr"))
        no_tpr, no_tnr = self._undefined["tpr"], self._undefined["tnr"]
        present = (~no_tpr).astype(np.float64) + ~no_tnr
        total = np.where(no_tpr, 0.0, tpr) + np.where(no_tnr, 0.0, tnr)
        undefined = present == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(undefined, self.zero_division, total / np.where(undefined, 1, present))
        return value, undefined

    def _store(self, key, value, undefined):
        value = np.asarray(value, dtype=np.float64)
        self._values[key] = float(value) if value.ndim == 0 else value
        self._undefined[key] = np.asarray(undefined)

    def __getattr__(self, name):
        key = ALIASES.get(name, name)
        values = self.__dict__.get("_values", {})
        if key in values:
            return values[key]
        if name.startswith("__"):  # copy, pickle and IPython look for such names: no rate's
            raise AttributeError(name)
        try:
            rate_key(name, "the rate", fix="read one of them, e.g. rates(counts).tpr")
        except (TypeError, ValueError) as error:
            raise AttributeError(str(error)) from None
        raise AttributeError(name)  # a known rate not computed yet (inside __init__)

    def __getitem__(self, name):
        return getattr(self, name)

    @property
    def undefined(self):
        """The rates whose denominator is 0 (at any threshold of a sweep)."""
        return tuple(k for k, u in self._undefined.items() if u.any())

    def as_dict(self):
        """``{key: value}`` for every rate, in :data:`RATES` order."""
        return {key: self._values[key] for key in RATES}

    def exact(self, name):
        """The rate as an exact fraction of the counts (one threshold), or None when it is 0/0.

        Each count is read exactly (a float32 count is a binary fraction), so
        this is the division a learner writes, without float rounding.

        >>> from cmlearn.counts import Counts
        >>> rates(Counts(tp=60.0, fp=1.0, tn=9.0, fn=4.0, thresholds=0.5)).exact("fnr")
        Fraction(1, 16)
        """
        key = rate_key(name)
        self._one_threshold("exact")
        if key == "balanced_accuracy":
            present = [self.exact(k) for k in ("tpr", "tnr") if not bool(self._undefined[k])]
            return sum(present, Fraction(0)) / len(present) if present else None
        spec = RATES[key]
        numerator, denominator = (
            sum((factor * Fraction(float(getattr(self.counts, n))) for n, factor in terms), Fraction(0))
            for terms in (spec.numerator, spec.denominator)
        )
        return None if denominator == 0 else numerator / denominator

    def text(self, name, digits=3):
        """The rate as shown everywhere (tables, the explorer, the labs): :func:`format_rate` of :meth:`exact`.

        >>> from cmlearn.counts import Counts
        >>> r = rates(Counts(tp=60.0, fp=1.0, tn=9.0, fn=4.0, thresholds=0.5))
        >>> r.text("fnr"), r.text("precision"), rates(Counts(0.0, 0.0, 3.0, 0.0, 0.5)).text("recall")
        ('0.0625', '0.984', 'undefined')
        """
        value = self.exact(name)
        if value is None:
            return "undefined" if math.isnan(self.zero_division) else format_rate(self.zero_division, digits)
        return format_rate(value, digits)

    def _one_threshold(self, method):
        if np.ndim(self.counts.thresholds) != 0:
            raise ValueError(
                f"{method}() shows one threshold at a time, but these rates hold a sweep. "
                f"Fix: rates(counts.at(i)).{method}(...)."
            )

    def formula(self, name, digits=3):
        """The rate as the division a learner writes, with the live numbers.

        >>> from cmlearn.counts import Counts
        >>> r = rates(Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5))
        >>> print(r.formula("f1"))
        F1 = 2·TP / (2·TP + FP + FN) = 2·5 / (2·5 + 1 + 0) = 0.909
        >>> print(r.formula("balanced_accuracy"))
        balanced accuracy = (TPR + TNR) / 2 = (1.000 + 0.800) / 2 = 0.900
        """
        key = rate_key(name)
        self._one_threshold("formula")
        spec = RATES[key]
        if key == "balanced_accuracy":
            numbers = f"({self.text('tpr', digits)} + {self.text('tnr', digits)}) / 2"
            present = [k for k in ("tpr", "tnr") if not bool(self._undefined[k])]
            if len(present) == 1:  # one class present: its rate alone, as scikit-learn
                absent = "TPR" if present[0] == "tnr" else "TNR"
                return (
                    f"{formula_text(key)}, over the classes present = {RATES[present[0]].symbol} = "
                    f"{self.text(key, digits)} ({absent} is 0/0: that class has no samples, so it is left out, "
                    f"as in scikit-learn's balanced_accuracy_score)"
                )
        else:
            live = lambda n: format_count(getattr(self.counts, n))  # noqa: E731
            numbers = f"{_term_text(spec.numerator, live)} / {_term_text(spec.denominator, live)}"
        if bool(self._undefined[key]):
            shown = "nan" if math.isnan(self.zero_division) else format_count(self.zero_division)
            result = f"undefined (0/0), shown as {shown}"
        else:
            result = self.text(key, digits)
        return f"{formula_text(key)} = {numbers} = {result}"

    def __repr__(self):
        if np.ndim(self.counts.thresholds) != 0:
            return f"Rates(sweep over {len(self.counts)} thresholds; keys: {', '.join(RATES)})"
        return "Rates(" + ", ".join(f"{k}={v:.4g}" for k, v in self.as_dict().items()) + ")"


def rates(counts, zero_division=float("nan")):
    """Divide the counts out into rates, by hand.

    Parameters
    ----------
    counts : Counts
        From :func:`cmlearn.keras_counts` or :func:`cmlearn.numpy_counts`.
    zero_division : 0, 1 or nan, default nan
        The value of a rate whose denominator is 0, as in scikit-learn.
        Keras's ``Precision`` and ``Recall`` behave like ``zero_division=0``.
        Balanced accuracy, like scikit-learn's ``balanced_accuracy_score``,
        averages TPR and TNR over the classes present: with one class
        present it is that class's rate, whatever ``zero_division``; only
        with no samples at all is it ``zero_division``.

    Returns
    -------
    Rates

    Examples
    --------
    >>> from cmlearn.counts import numpy_counts
    >>> r = rates(numpy_counts([0, 1, 0, 1], [0.2, 0.8, 0.7, 0.4]))
    >>> r.tpr, r.fpr, r.specificity
    (0.5, 0.5, 0.5)
    """
    validate_counts(counts)
    return Rates(counts, zero_division=zero_division)
