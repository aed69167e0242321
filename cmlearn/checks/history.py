"""Grading a count after ``fit``, naming the ``History`` mix-ups (:func:`check_history_count`).

The right answer is the count on the trained model's scores
(:func:`cmlearn.checks.count.diagnose_count`); a wrong one that equals a
``History`` entry is named: the other data set's count, the counts summed
over epochs, the first epoch's, or the training data's last epoch, which
Keras added up while the weights were still changing.

>>> check_history_count("fn", 1, {"fn": [1.0]}, [1, 1], [0.2, 0.9], prefix="oops")
❌ Not yet: this could not be checked (ValueError: prefix must be one of 'val_', '' (the validation data, the
training data), but got 'oops'. Fix: e.g. prefix='val_'.).
Verdict(passed=False)
"""

from __future__ import annotations

import numpy as np

from cmlearn.checks.base import (
    COUNT_TOLERANCE,
    Candidate,
    count_key,
    first_match,
    never_raise,
    parse_answer,
    print_verdict,
    show_number,
    symbol,
    unknown_name,
)
from cmlearn.checks.count import diagnose_count
from cmlearn.counts import COUNT_NAMES
from cmlearn.validation import validate_choice

__all__ = ["check_history_count"]

_DATA_SETS = {"val_": "the validation data's", "": "the training data's"}


def _history_logs(history):
    """The ``{name: [one value per epoch]}`` dict of what ``fit`` returned (or that dict itself)."""
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(
            f"history must be what fit returned (or its .history dict), but got {type(history).__name__}. "
            "Fix: e.g. history = model.fit(...), then pass history."
        )
    return logs


@never_raise
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
    ❌ Not yet: FN: 22 is History's fn, the training data's count. The validation counts carry the val_ prefix:
    history.history["val_fn"][-1].
    Verdict(passed=False)
    >>> check_history_count("fn", 16, h, y_val, p_val)
    ❌ Not yet: FN: 16 is val_fn summed over the 2 epochs. Keras resets its metrics at the start of every epoch, so
    each entry already counts the whole data set once: take the last epoch's entry, [-1].
    Verdict(passed=False)
    """
    key = count_key(name)
    if key not in COUNT_NAMES:
        return print_verdict(False, unknown_name("count", name, COUNT_NAMES))
    prefix = validate_choice(prefix, "prefix", _DATA_SETS, what="the validation data, the training data")
    logs = _history_logs(history)
    passed, message = diagnose_count(key, answer, y_true, y_pred, threshold, None)
    if passed:
        return print_verdict(True, message)
    value, problem = parse_answer(answer)
    if problem:
        return print_verdict(False, message)
    other = "" if prefix else "val_"
    mine, theirs = f"{prefix}{key}", f"{other}{key}"
    candidates = []
    if prefix == "":
        candidates.append(
            Candidate(
                logs.get(mine, [None])[-1],
                f"{{answer}} is History's {mine} for the last epoch: Keras added it up batch by batch while the "
                f"weights were still changing, so it is not the count with the final weights. Count again with "
                f'them: model.evaluate(x_train, y_train, return_dict=True)["{key}"].',
            )
        )
    where = (
        f'The validation counts carry the val_ prefix: history.history["{mine}"][-1].'
        if prefix
        else "The training data's own count needs the final weights: model.evaluate on the training data."
    )
    candidates.append(
        Candidate(logs.get(theirs, [None])[-1], f"{{answer}} is History's {theirs}, {_DATA_SETS[other]} count. {where}")
    )
    for entry in (mine, theirs):
        if entry in logs and len(logs[entry]) > 1:
            epochs = len(logs[entry])
            candidates.append(
                Candidate(
                    float(np.sum(logs[entry])),
                    f"{{answer}} is {entry} summed over the {epochs} epochs. Keras resets its metrics at the start "
                    f"of every epoch, so each entry already counts the whole data set once: take the last epoch's "
                    f"entry, [-1].",
                )
            )
            candidates.append(
                Candidate(
                    logs[entry][0],
                    f"{{answer}} is {entry} of the first epoch; History keeps one entry per epoch, and the last, "
                    "[-1], is the one asked for.",
                )
            )
    hint = first_match(value, candidates, COUNT_TOLERANCE)
    if hint is None:
        return print_verdict(False, message)
    return print_verdict(False, f"{symbol(key)}: " + hint.replace("{answer}", show_number(value)))
