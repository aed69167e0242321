"""Grading a count over data split into parts, batches or replicas (:func:`check_merged_count`).

The right answer is the sum of the parts' :func:`cmlearn.numpy_counts`,
which is what Keras does across batches (``update_state`` accumulates) and
across replicas (variables with ``aggregation="sum"``). A wrong answer that
is no merging mistake is graded as a count over all the parts
(:func:`cmlearn.checks.count.diagnose_count`).

>>> check_merged_count("fn", 1, [([1, 1], [0.2, 0.3]), ([1], [0.1])])
❌ Not yet: only one part's count (the last). update_state adds every batch to the running count, and a merge adds
every replica's; don't reset in between.
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
    unknown_name,
)
from cmlearn.checks.count import diagnose_count
from cmlearn.counts import numpy_counts
from cmlearn.validation import validate_inputs

__all__ = ["check_merged_count"]

_ONE_PART = (
    "only one part's count ({}). update_state adds every batch to the running count, and a merge adds every "
    "replica's; don't reset in between."
)


def _parts(shards):
    """``[(y_true, y_pred, sample_weight or None), ...]`` from the shards as given."""
    if not isinstance(shards, (list, tuple)) or not shards:
        raise TypeError(
            f"shards must be a non-empty list of (y_true, y_pred) tuples, but got {type(shards).__name__}. "
            "Fix: e.g. shards=[(y_true[:50], y_pred[:50]), (y_true[50:], y_pred[50:])]."
        )
    parts = []
    for i, shard in enumerate(shards):
        if not isinstance(shard, (tuple, list)) or len(shard) not in (2, 3):
            raise TypeError(
                f"shards[{i}] must be (y_true, y_pred) or (y_true, y_pred, sample_weight), "
                f"but got {type(shard).__name__}. Fix: e.g. shards[{i}] = (y_true[:50], y_pred[:50])."
            )
        parts.append((shard[0], shard[1], shard[2] if len(shard) == 3 else None))
    return parts


@never_raise
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
    ❌ Not yet: you averaged the parts' counts. Counts add up: merging batches or replicas sums them (Keras creates
    every metric variable with aggregation="sum").
    Verdict(passed=False)
    """
    key = count_key(name)
    if key is None:
        return print_verdict(False, unknown_name("count", name, COUNT_DESCRIPTIONS))
    parts = _parts(shards)
    counts = [float(count_value(numpy_counts(y, p, threshold, w), key)) for y, p, w in parts]
    expected = sum(counts)
    value, problem = parse_answer(answer)
    if problem:
        return print_verdict(False, problem)
    if close_enough(value, expected, COUNT_TOLERANCE):
        return print_verdict(True, f"{symbol(key)} = {show_number(expected)} over {len(parts)} parts, summed.")
    candidates = [
        Candidate(
            expected / len(parts),
            "you averaged the parts' counts. Counts add up: merging batches or replicas sums them "
            '(Keras creates every metric variable with aggregation="sum").',
        ),
        Candidate(counts[-1], _ONE_PART.format("the last")),
        Candidate(counts[0], _ONE_PART.format("the first")),
    ]
    hint = first_match(value, candidates, COUNT_TOLERANCE)
    if hint is None:  # not a merging mistake: diagnose it as a count over all parts
        checked = [validate_inputs(y, p, w) for y, p, w in parts]
        weighted = any(w is not None for *_, w in checked)
        all_y = np.concatenate([y for y, _, _ in checked])
        all_p = np.concatenate([p for _, p, _ in checked])
        all_w = np.concatenate([np.ones_like(p) if w is None else w for _, p, w in checked]) if weighted else None
        hint = diagnose_count(key, answer, all_y, all_p, threshold, all_w)[1].split(": ", 1)[1]
    return print_verdict(False, hint)
