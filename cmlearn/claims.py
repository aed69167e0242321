"""Hold numbers stated in prose (an article, a slide) against numbers computed from counts.

>>> from cmlearn.counts import Counts
>>> c = Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5)
>>> [row.holds for row in check_claims({"tp": 5, "fnr": 0.25}, c)]
[True, False]
"""

from __future__ import annotations

import math
from typing import NamedTuple

from cmlearn.counts import COUNT_NAMES, format_count
from cmlearn.ratios import ALIASES, RATES, rates
from cmlearn.validation import validate_counts

__all__ = ["ClaimCheck", "check_claims"]

#: Every count-like name a claim may state: the four counts and their row and column sums.
_COUNT_NAMES = (
    *COUNT_NAMES,
    "actual_positives",
    "actual_negatives",
    "predicted_positives",
    "predicted_negatives",
    "total",
)


class ClaimCheck(NamedTuple):
    """One stated number held against the number computed from counts."""

    name: str
    claimed: float
    computed: float
    holds: bool

    def __str__(self):
        verdict = "holds" if self.holds else "WRONG"
        return (
            f"{self.name:>17}: stated {format_count(self.claimed)}, computed {format_count(self.computed)} -> {verdict}"
        )


def check_claims(claims, counts):
    """Hold stated numbers (``{name: value}``) against one threshold's counts.

    Names are counts (``tp``, ``fn``, ``actual_positives``, ...) or rates
    (``fnr``, ``recall``, ...); rates are divided out by :func:`cmlearn.rates`.
    A claim holds when it equals the computed value to float32 precision.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> c = Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5)
    >>> for row in check_claims({"fn": 1, "fnr": 0.25, "tp": 5}, c):
    ...     print(row)
                   fn: stated 1, computed 0 -> WRONG
                  fnr: stated 0.25, computed 0 -> WRONG
                   tp: stated 5, computed 5 -> holds
    """
    validate_counts(counts, thresholds="one")
    known = (*_COUNT_NAMES, *RATES, *ALIASES)
    unknown = [name for name in claims if name not in known]
    if unknown:
        raise ValueError(
            f"claims has unknown names {unknown}. Fix: use the names of counts or rates: {', '.join(known)}."
        )
    hand = rates(counts)
    rows = []
    for name, claimed in claims.items():
        computed = float(getattr(counts, name) if name in _COUNT_NAMES else hand[name])
        holds = math.isclose(float(claimed), computed, rel_tol=1e-6, abs_tol=1e-6)
        rows.append(ClaimCheck(name, float(claimed), computed, holds))
    return rows
