"""What Keras does differently from one version to the next, as a table the lessons assert against.

A lesson that shows a version-dependent behaviour runs it in the learner's
Keras, names the outcome with one of the ``classify_`` functions and prints
:func:`observe`'s explanation. :func:`observe` accepts any **known** outcome
(a Keras that fixes a bug is welcome) and fails only when the outcome is
unknown, or when a version this bundle is tested on does something other
than :data:`TESTED` says. The prose quotes :func:`versions_showing`, so what
it says about versions is held to this table too. No TensorFlow here.

>>> print(observe("merge_state", "absent", "3.15.1"))
Your Keras 3.15.1: Keras 3 metrics have no merge_state (Keras 2 and tf_keras have it). Tested: Keras 3.13.2 and 3.15.1
do the same.
>>> versions_showing("live_bar", "averaged again")
['3.13.2']
>>> classify_live_bar(shown=[2.0, 3.0, 4.0], logged=[2.0, 4.0, 6.0])
'averaged again'
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from cmlearn.validation import validate_choice

__all__ = [
    "BEHAVIOURS",
    "LESSONS",
    "TESTED",
    "differences",
    "Observation",
    "classify_live_bar",
    "classify_replica_logs",
    "classify_stateless_result",
    "observe",
    "versions_showing",
]

#: behaviour -> {outcome: what the learner sees}. Each outcome is one that some Keras shows.
BEHAVIOURS = {
    "live_bar": {
        "as logged": "while an epoch runs, the progress bar shows each count as the batch log holds it "
        "(ProgbarLogger passes counts through: stateless_metrics=set())",
        "averaged again": "while an epoch runs, the progress bar shows the mean of the running counts of the "
        "batches so far, a count averaged a second time (keras issue #21301, fixed by pull request #23030)",
    },
    "replica_batch_logs": {
        "per replica": "under a distribution strategy the per-batch logs hold the replicas' own running counts "
        "averaged, the global count divided by the number of replicas (keras issue #21054; tf_keras logs "
        "the global counts)",
        "global": "under a distribution strategy the per-batch logs hold the global running counts",
    },
    "merge_state": {
        "absent": "Keras 3 metrics have no merge_state (Keras 2 and tf_keras have it)",
        "present": "Keras 3 metrics have a merge_state again, as Keras 2 and tf_keras do",
    },
    "stateless_result": {
        "own variable": "for a metric built with a list of thresholds, stateless_result(state) returns the "
        "metric's own variable, not the state it was given",
        "given state": "for a metric built with a list of thresholds, stateless_result(state) returns the "
        "state it was given",
    },
}

#: Where each behaviour is shown: the lesson that runs it in the learner's Keras.
LESSONS = {"live_bar": "05", "replica_batch_logs": "06", "merge_state": "06", "stateless_result": "06"}

#: Keras version -> {behaviour: outcome}, as measured on each version the bundle is tested on:
#: 3.15.1 (requirements.txt) and 3.13.2 (Colab's, .ci/colab-requirements.txt).
TESTED = {
    "3.13.2": {
        "live_bar": "averaged again",
        "replica_batch_logs": "per replica",
        "merge_state": "absent",
        "stateless_result": "own variable",
    },
    "3.15.1": {
        "live_bar": "as logged",
        "replica_batch_logs": "per replica",
        "merge_state": "absent",
        "stateless_result": "own variable",
    },
}


class Observation(NamedTuple):
    """What the installed Keras did, and what the table knows about it."""

    behaviour: str
    outcome: str
    version: str

    @property
    def tested(self):
        """True when this Keras version is one the bundle is tested on."""
        return self.version in TESTED

    def __str__(self):
        showing = versions_showing(self.behaviour, self.outcome)
        same = f"Keras {_joined(showing)} {'does' if len(showing) == 1 else 'do'} the same"
        known = same if showing else "no tested version does this"
        others = [
            f"Keras {_joined(versions_showing(self.behaviour, other))}: {other}"
            for other in BEHAVIOURS[self.behaviour]
            if other != self.outcome and versions_showing(self.behaviour, other)
        ]
        untested = "" if self.tested else " (a version this bundle was not tested on)"
        text = f"Your Keras {self.version}{untested}: {BEHAVIOURS[self.behaviour][self.outcome]}. Tested: {known}"
        return text + (f"; {'; '.join(others)}." if others else ".")


def _joined(versions):
    return " and ".join([", ".join(versions[:-1]), versions[-1]] if len(versions) > 2 else versions)


def _behaviour(name):
    return BEHAVIOURS[validate_choice(name, "behaviour", sorted(BEHAVIOURS))]


def versions_showing(behaviour, outcome):
    """The tested Keras versions that show ``outcome``, oldest first.

    >>> versions_showing("replica_batch_logs", "per replica")
    ['3.13.2', '3.15.1']
    >>> versions_showing("replica_batch_logs", "global")
    []
    """
    validate_choice(outcome, "outcome", sorted(_behaviour(behaviour)), what=f"the known outcomes of {behaviour!r}")
    key = lambda v: tuple(int(p) for p in v.split("."))  # noqa: E731 - numeric order, 3.9 before 3.13
    return sorted((v for v, seen in TESTED.items() if seen[behaviour] == outcome), key=key)


def observe(behaviour, outcome, version):
    """Check an outcome against the table; return an :class:`Observation` that explains it.

    Raises
    ------
    ValueError
        When the outcome is none of the known ones (the lesson's prose would not cover it).
    AssertionError
        When ``version`` is a tested one and the table says it does something else.

    >>> observe("live_bar", "as logged", "3.13.2")
    Traceback (most recent call last):
    ...
    AssertionError: Keras 3.13.2 showed live_bar 'as logged'; cmlearn.behaviours.TESTED says 'averaged again'. Fix:
    run python -m cmlearn.check_env to see which Keras this kernel runs (restart the kernel after an install); if it is
    3.13.2, the table is wrong for it: correct TESTED and the lesson's prose
    """
    outcomes = _behaviour(behaviour)
    if outcome not in outcomes:
        raise ValueError(
            f"Keras {version} showed {behaviour} {outcome!r}, none of the outcomes the lesson knows "
            f"({sorted(outcomes)}): the lesson's text does not cover this Keras. Fix: report it (this "
            f"message and the output of python -m cmlearn.check_env) so the lesson can say what it does"
        )
    expected = TESTED.get(version, {}).get(behaviour)
    if expected not in (None, outcome):
        raise AssertionError(
            f"Keras {version} showed {behaviour} {outcome!r}; cmlearn.behaviours.TESTED says {expected!r}. "
            f"Fix: run python -m cmlearn.check_env to see which Keras this kernel runs (restart the kernel after "
            f"an install); if it is {version}, the table is wrong for it: correct TESTED and the lesson's prose"
        )
    return Observation(behaviour, outcome, version)


def differences(version, reference):
    """``[(behaviour, outcome in version)]`` where two tested Keras versions differ; [] if either is untested.

    >>> differences("3.13.2", "3.15.1")
    [('live_bar', 'averaged again')]
    """
    if version not in TESTED or reference not in TESTED:
        return []
    return [(b, outcome) for b, outcome in TESTED[version].items() if TESTED[reference][b] != outcome]


def _close(a, b):
    # The bar prints 4 decimals; float32 counts are exact to well below that.
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=6e-5)


def classify_live_bar(shown, logged):
    """``"as logged"`` or ``"averaged again"``: the live bar's values against the batch logs.

    ``shown[i]`` is what the bar showed after batch ``i + 1``; ``logged[i]``
    the running count the batch log held then. Returns ``"unknown"`` when
    neither fits.

    >>> classify_live_bar([1.0, 3.0], [1.0, 3.0])
    'as logged'
    >>> classify_live_bar([1.0, 5.0], [1.0, 3.0])
    'unknown'
    """
    if len(shown) != len(logged) or not shown:
        raise ValueError(
            f"need one shown value per logged value; got {len(shown)} and {len(logged)}. "
            f"Fix: pass the bar's live values and the batch logs of the same epoch (fit_showing_bar gives both)."
        )
    if all(_close(s, v) for s, v in zip(shown, logged, strict=True)):
        return "as logged"
    means = [sum(logged[: i + 1]) / (i + 1) for i in range(len(logged))]
    if all(_close(s, m) for s, m in zip(shown, means, strict=True)):
        return "averaged again"
    return "unknown"


def classify_replica_logs(logged, global_count, replicas):
    """``"per replica"`` or ``"global"``: a batch log's count against the global count.

    >>> classify_replica_logs(70.0, 140.0, replicas=2), classify_replica_logs(140.0, 140.0, replicas=2)
    ('per replica', 'global')
    """
    if _close(logged, global_count):
        return "global"
    if _close(logged * replicas, global_count):
        return "per replica"
    return "unknown"


def classify_stateless_result(result, given_state, own_variable):
    """``"own variable"`` or ``"given state"``: what ``stateless_result(state)`` handed back.

    >>> classify_stateless_result([0.0, 0.0], given_state=[2.0, 1.0], own_variable=[0.0, 0.0])
    'own variable'
    """
    result, given_state, own_variable = (
        np.asarray(x, dtype=float).ravel().tolist() for x in (result, given_state, own_variable)
    )
    if result == given_state and result != own_variable:
        return "given state"
    if result == own_variable and result != given_state:
        return "own variable"
    return "unknown"
