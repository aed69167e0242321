"""Single values: whole numbers, numbers in a range, a choice among names, text, zero_division, costs.

One rule for all of them: a value of the wrong type (a bool where a number
is asked for, text where a number is, a number where a name is) raises
``TypeError``; a value of the right type that is out of range or not among
the choices raises ``ValueError``. Every message names the argument, shows
the bad value and ends with ``Fix: ...``. A bool is never taken for a
number (``True == 1`` in Python, but ``prevalence=True`` is a slip).

>>> validate_number(0.3, "prevalence", low=0, high=1)
0.3
>>> validate_choice("auc", "kind", ("auc", "at"))
'auc'
>>> validate_number(True, "prevalence", low=0, high=1)
Traceback (most recent call last):
...
TypeError: prevalence must be a number, but got True (bool). Fix: e.g. prevalence=0.5.
"""

from __future__ import annotations

import difflib
import math
import numbers

import numpy as np

__all__ = [
    "validate_whole_number",
    "validate_number",
    "validate_choice",
    "validate_text",
    "validate_counts",
    "validate_zero_division",
    "validate_cost",
    "validate_separate_metrics",
    "validate_top_k",
    "refuse_unknown_attribute",
]


def _shown(value):
    """``repr`` of a value as the learner typed it: NumPy scalars as their Python number."""
    return repr(value.item()) if isinstance(value, np.generic) else repr(value)


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


def _ends(fix):
    """``Fix: <fix>.`` with exactly one full stop."""
    return f"Fix: {fix.rstrip('.')}."


def validate_whole_number(value, name, minimum=1, example=None, maximum=None):
    """Validate a whole number (not a bool) from ``minimum`` (to ``maximum``); return it as an int.

    A float such as 2.0 or a bool is a ``TypeError``; a whole number out of
    range a ``ValueError``.

    >>> validate_whole_number(np.int64(3), "batch_size")
    3
    >>> validate_whole_number(0, "batch_size", example="batch_size=32")
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be a whole number >= 1, but got 0. Fix: e.g. batch_size=32.
    >>> validate_whole_number(2.0, "bins")
    Traceback (most recent call last):
    ...
    TypeError: bins must be a whole number >= 1, but got 2.0 (float). Fix: e.g. bins=1.
    >>> validate_whole_number(3, "column", minimum=0, maximum=2)
    Traceback (most recent call last):
    ...
    ValueError: column must be a whole number from 0 to 2, but got 3. Fix: e.g. column=0.
    """
    wanted = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
    fix = _ends(f"e.g. {example or f'{name}={max(minimum, 1) if maximum is None else minimum}'}")
    if _is_bool(value) or not isinstance(value, (int, np.integer)):
        got = f"{_shown(value)} ({type(value).__name__})"
        raise TypeError(f"{name} must be a whole number {wanted}, but got {got}. {fix}")
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be a whole number {wanted}, but got {_shown(value)}. {fix}")
    return int(value)


def _bound(x):
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)


_INCLUSIVE = {"both": ("[", "]"), "neither": ("(", ")"), "left": ("[", ")"), "right": ("(", "]")}


def _range_text(low, high, inclusive):
    left, right = _INCLUSIVE[inclusive]
    if low is not None and high is not None:
        return f"in {left}{_bound(low)}, {_bound(high)}{right}"
    if low is not None:
        return f"a finite number {'>=' if left == '[' else '>'} {_bound(low)}"
    if high is not None:
        return f"a finite number {'<=' if right == ']' else '<'} {_bound(high)}"
    return "a finite number"


def _example_in(low, high):
    if low is not None and high is not None:
        return _bound((float(low) + float(high)) / 2)
    if low is not None:
        return _bound(float(low) + 1)
    return _bound(float(high) - 1) if high is not None else "1.0"


def validate_number(value, name, *, low=None, high=None, inclusive="both", example=None, why="", fix=None):
    """Validate one finite real number in a range; return it as a float.

    ``low`` and ``high`` bound it (``None``: no bound); ``inclusive`` says
    which bounds it may equal: ``"both"`` (default), ``"neither"``,
    ``"left"`` or ``"right"``, as in pandas' ``between``. Bools, text,
    ``None`` and other non-numbers raise ``TypeError``; NaN, infinities and
    numbers out of range ``ValueError``. ``why`` (a sentence) explains the
    range; ``example`` (``"name=value"``) or ``fix`` (a whole fix) replaces
    the default fix, an example inside the range.

    >>> validate_number(np.float32(2), "separation", low=0)
    2.0
    >>> validate_number(-1, "separation", low=0, example="separation=2.0")
    Traceback (most recent call last):
    ...
    ValueError: separation must be a finite number >= 0, but got -1. Fix: e.g. separation=2.0.
    >>> validate_number(float("nan"), "value", low=0, high=1, inclusive="left")
    Traceback (most recent call last):
    ...
    ValueError: value must be in [0, 1), but got nan. Fix: e.g. value=0.5.
    """
    if inclusive not in _INCLUSIVE:  # a slip in cmlearn's own call, named all the same
        validate_choice(inclusive, "inclusive", tuple(_INCLUSIVE))
    ending = _ends(fix or f"e.g. {example or f'{name}={_example_in(low, high)}'}")
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()  # a 0-d array of a number, e.g. np.asarray(0.3)
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, but got {_shown(value)} ({type(value).__name__}). {ending}")
    number = float(value)
    left, right = _INCLUSIVE[inclusive]
    inside = math.isfinite(number) and (
        (low is None or (number >= low if left == "[" else number > low))
        and (high is None or (number <= high if right == "]" else number < high))
    )
    if not inside:
        because = f"{why.rstrip('.')}. " if why else ""
        raise ValueError(
            f"{name} must be {_range_text(low, high, inclusive)}, but got {_shown(value)}. {because}{ending}"
        )
    return number


def _kind(value):
    """What sort of value it is, for telling a wrong type from a wrong value."""
    if _is_bool(value):
        return "bool"
    if isinstance(value, str):
        return "text"
    if isinstance(value, numbers.Number):
        return "number"
    return type(value).__name__


def validate_choice(value, name, choices, *, what="", fix=None):
    """Validate one of a fixed set of choices (names, or numbers); return the matching choice.

    ``choices`` is any iterable (a dict gives its keys). A value of another
    kind than every choice (a number where names are asked for, a bool where
    numbers are) raises ``TypeError``; a value of the right kind that is not
    among them ``ValueError``. ``what`` (shown after the list) says what the
    choices mean; ``fix`` replaces the default fix, the first choice.

    >>> validate_choice(np.int64(2), "verbose", (1, 2))
    2
    >>> validate_choice("trapezoid", "summation_method", ("interpolation", "minoring", "majoring"))
    Traceback (most recent call last):
    ...
    ValueError: summation_method must be one of 'interpolation', 'minoring', 'majoring', but got 'trapezoid'. Fix: e.g.
    summation_method='interpolation'.
    >>> validate_choice(True, "verbose", (1, 2))
    Traceback (most recent call last):
    ...
    TypeError: verbose must be one of 1, 2, but got True (bool). Fix: e.g. verbose=1.
    """
    options = tuple(choices)
    kind = _kind(value)
    for option in options:
        if _kind(option) == kind and option == value:
            return option
    listed = f"{', '.join(map(repr, options))}{f' ({what})' if what else ''}"
    ending = _ends(fix or f"e.g. {name}={options[0]!r}")
    if all(_kind(option) != kind for option in options):
        raise TypeError(f"{name} must be one of {listed}, but got {_shown(value)} ({type(value).__name__}). {ending}")
    raise ValueError(f"{name} must be one of {listed}, but got {_shown(value)}. {ending}")


def validate_text(value, name, *, empty=True, example=None):
    """Validate a string (non-empty unless ``empty``); return it.

    >>> validate_text("weighted_", "prefix")
    'weighted_'
    >>> validate_text("", "prefix", empty=False, example="prefix='weighted_'")
    Traceback (most recent call last):
    ...
    ValueError: prefix must be a non-empty string, but got ''. Fix: e.g. prefix='weighted_'.
    """
    wanted = "a string" if empty else "a non-empty string"
    ending = _ends(f"e.g. {example or f'{name}={name!r}'}")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be {wanted}, but got {_shown(value)} ({type(value).__name__}). {ending}")
    if not (value or empty):
        raise ValueError(f"{name} must be {wanted}, but got ''. {ending}")
    return value


def validate_counts(counts, name="counts", thresholds="any"):
    """Validate a Counts (anything with ``tp fp tn fn thresholds``); return it.

    ``thresholds`` says what it must hold: ``"any"``, ``"one"`` threshold
    or a ``"sweep"`` of several.

    >>> validate_counts({"tp": 1})
    Traceback (most recent call last):
    ...
    TypeError: counts must be a cmlearn Counts (from keras_counts or numpy_counts), but got dict. Fix: e.g.
    cmlearn.numpy_counts(y_true, y_pred).
    """
    # Spelled out here: counts.COUNT_NAMES cannot be imported, as counts imports this module.
    if not all(hasattr(counts, key) for key in ("tp", "fp", "tn", "fn", "thresholds")):
        raise TypeError(
            f"{name} must be a cmlearn Counts (from keras_counts or numpy_counts), but got "
            f"{type(counts).__name__}. Fix: e.g. cmlearn.numpy_counts(y_true, y_pred)."
        )
    ndim = np.ndim(counts.thresholds)
    if thresholds == "one" and ndim != 0:
        raise ValueError(
            f"{name} must hold one threshold, but it holds a sweep of {np.size(counts.thresholds)}. "
            f"Fix: pick one with {name}.at(i), or count at one threshold."
        )
    if thresholds == "sweep" and ndim != 1:
        raise ValueError(
            f"{name} must hold a sweep of thresholds, but it holds one. "
            f"Fix: count at many thresholds, e.g. keras_counts(y_true, y_pred, thresholds=[0.1, 0.5, 0.9])."
        )
    return counts


def validate_zero_division(zero_division):
    """Validate the value of a 0/0 rate: 0, 1 or nan, as in scikit-learn; return it as a float.

    scikit-learn also takes ``"warn"`` (its default: 0 with a warning);
    cmlearn does not warn, so it refuses ``"warn"`` (``ValueError``) and
    says which number gives scikit-learn's value. A bool or other text is a
    ``TypeError``, another number a ``ValueError``.

    >>> validate_zero_division(0)
    0.0
    >>> validate_zero_division(0.5)
    Traceback (most recent call last):
    ...
    ValueError: zero_division must be 0, 1 or nan (as in scikit-learn), but got 0.5. It is the value given to a rate
    whose denominator is 0. Fix: leave the default nan to see undefined rates as undefined, or pass 0 to match Keras's
    Precision and Recall.
    """
    wanted = "zero_division must be 0, 1 or nan (as in scikit-learn), but got"
    meaning = "It is the value given to a rate whose denominator is 0."
    fix = (
        "Fix: leave the default nan to see undefined rates as undefined, or pass 0 "
        "to match Keras's Precision and Recall."
    )
    if isinstance(zero_division, str) and zero_division == "warn":
        raise ValueError(
            f"{wanted} 'warn', scikit-learn's default, which gives 0 and warns; cmlearn does not warn. "
            f"Fix: pass 0 for scikit-learn's value without the warning, or leave the default nan."
        )
    if _is_bool(zero_division) or not isinstance(zero_division, numbers.Real):
        raise TypeError(f"{wanted} {_shown(zero_division)} ({type(zero_division).__name__}). {meaning} {fix}")
    value = float(zero_division)
    if not (math.isnan(value) or value in (0.0, 1.0)):
        raise ValueError(f"{wanted} {_shown(zero_division)}. {meaning} {fix}")
    return value


def validate_cost(value, name):
    """A cost is one finite, non-negative real number; return it as a float.

    >>> validate_cost(-1, "cost_fp")
    Traceback (most recent call last):
    ...
    ValueError: cost_fp must be a finite number >= 0, but got -1. A cost is what one mistake of that kind costs you; a
    benefit is not a negative cost here. Fix: e.g. cost_fp=1.0.
    """
    why = "A cost is what one mistake of that kind costs you; a benefit is not a negative cost here"
    return validate_number(value, name, low=0, why=why, example=f"{name}=1.0")


def _metric_objects(metrics):
    """The metric objects in a ``compile(metrics=...)`` value: a list, tuple or dict of them."""
    if metrics is None or isinstance(metrics, str):
        return []
    if isinstance(metrics, dict):
        return [m for value in metrics.values() for m in _metric_objects(value)]
    if isinstance(metrics, (list, tuple)):
        return [m for value in metrics for m in _metric_objects(value)]
    return [metrics]


def validate_separate_metrics(metrics, weighted_metrics):
    """Refuse one metric object in both ``metrics=`` and ``weighted_metrics=``.

    Keras 3 accepts such a pair without a word and updates the object twice per
    batch, once unweighted and once weighted, so both ``History`` entries hold
    the sum. Names such as ``"accuracy"`` are fine: Keras builds a separate
    object from each.

    >>> shared = object()
    >>> validate_separate_metrics([shared], ["accuracy"])
    >>> validate_separate_metrics(["accuracy", shared], [shared])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: metrics and weighted_metrics hold the same metric object (<object object at ...>). ...
    """
    in_metrics = _metric_objects(metrics)
    shared = [m for m in _metric_objects(weighted_metrics) if any(m is other for other in in_metrics)]
    if shared:
        names = ", ".join(repr(getattr(m, "name", m)) if hasattr(m, "name") else repr(m) for m in shared)
        raise ValueError(
            f"metrics and weighted_metrics hold the same metric object ({names}). Keras would accept it and "
            f"update it twice per batch, unweighted and weighted, so both History entries would hold the sum "
            f"of the two counts. Fix: give weighted_metrics objects of their own, e.g. "
            f"weighted_metrics=cmlearn.keras_run.weighted_count_metrics() beside "
            f"metrics=cmlearn.keras_run.make_count_metrics()."
        )


def validate_top_k(k, n_columns):
    """Validate Keras's ``top_k`` for an array of ``n_columns`` columns: a whole number from 1 to ``n_columns``.

    Keras itself refuses a larger ``top_k`` only when it runs
    (``InvalidArgumentError: input must have at least k columns``).

    >>> validate_top_k(5, 4)
    Traceback (most recent call last):
    ...
    ValueError: top_k must be at most the number of columns of y_pred, 4, but got 5 (Keras raises "input must have at
    least k columns"). Fix: e.g. top_k=1, or top_k=4 to keep every column.
    """
    k = validate_whole_number(k, "top_k", example="top_k=1")
    if k > n_columns:
        raise ValueError(
            f"top_k must be at most the number of columns of y_pred, {n_columns}, but got {k} (Keras raises "
            f'"input must have at least k columns"). Fix: e.g. top_k=1, or top_k={n_columns} to keep every column.'
        )
    return k


def refuse_unknown_attribute(module, name, names):
    """Raise the ``AttributeError`` of a module's ``__getattr__`` for a name it lacks, naming the closest names.

    >>> refuse_unknown_attribute("cmlearn", "keras_count", ["keras_counts", "numpy_counts"])
    Traceback (most recent call last):
    ...
    AttributeError: module 'cmlearn' has no attribute 'keras_count'. Fix: did you mean 'keras_counts'? The names are
    in cmlearn.__all__.
    """
    close = [] if name.startswith("__") else difflib.get_close_matches(name, list(names), n=3)
    meant = f"did you mean {' or '.join(map(repr, close))}? The names are" if close else "use one of the names"
    raise AttributeError(f"module {module!r} has no attribute {name!r}. Fix: {meant} in {module}.__all__.")
