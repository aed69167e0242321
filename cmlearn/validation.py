"""Validate every argument before it reaches Keras, and say clearly what is wrong.

Keras accepts many inputs that make its counts silently wrong: labels other
than 0 and 1 are cast to bool, logits are compared with a probability
threshold, NaN scores become negatives.  Every public function in cmlearn
passes its inputs through :func:`validate_inputs` and :func:`validate_thresholds`
first (and its other arguments through the ``validate_*`` functions below), so a learner gets a ``ValueError`` (or ``TypeError``) that names the
argument, shows the bad value and where it is, and says how to fix it.

>>> y_true, y_pred, w = validate_inputs([0, 1, 1], [0.2, 0.7, 0.9])
>>> y_true.dtype, y_pred.dtype, w
(dtype('float32'), dtype('float32'), None)
>>> validate_inputs([0, 2], [0.1, 0.2])
Traceback (most recent call last):
...
ValueError: y_true must hold only the labels 0 and 1, but y_true[1] is 2. Keras casts labels to bool, so it would silently count this sample as a positive. Fix: turn your labels into 0/1 first, e.g. y_true = (labels == positive_class).astype(int).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "validate_inputs",
    "validate_labels",
    "validate_thresholds",
    "validate_one_threshold",
    "validate_whole_number",
    "validate_counts",
    "validate_zero_division",
    "validate_cost",
    "validate_separate_metrics",
    "validate_columns",
    "validate_top_k",
]


def _as_array(value, name):
    """Turn lists, NumPy arrays and tensors into a NumPy array of numbers."""
    if value is None:
        raise TypeError(f"{name} is None. Fix: pass a list, NumPy array or tensor of numbers.")
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must hold numbers, but got the string {value!r}. "
            f"Fix: pass a list, NumPy array or tensor of numbers."
        )
    try:
        array = np.asarray(value)
    except Exception as error:  # ragged lists, exotic objects
        raise TypeError(
            f"{name} could not be read as an array of numbers ({error}). "
            f"Fix: pass a flat list, NumPy array or tensor of numbers of one length."
        ) from None
    if array.dtype.name.startswith(("bfloat16", "float8")):
        return array.astype(np.float32)  # ml_dtypes floats (mixed-precision outputs): Keras takes them
    if array.dtype.kind in "US" and name == "y_true":
        raise TypeError(_text_labels_message(array))
    if array.dtype == object:
        array = _object_as_numbers(array, name)
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        example = array.ravel()[0].item() if array.size else value
        raise TypeError(
            f"{name} must hold numbers (bool, int or float), but it has dtype "
            f"{array.dtype} (e.g. {example!r}). Fix: convert it with "
            f"np.asarray({name}, dtype=float) after removing text or None entries."
        )
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, not complex ones ({array.dtype}).")
    return array


def _object_as_numbers(array, name):
    """An object array of real numbers as floats; else name the first entry that is not one."""
    if name == "y_true" and array.size and all(isinstance(item, (str, bytes)) for item in array.ravel()):
        raise TypeError(_text_labels_message(array))
    for index in np.ndindex(array.shape):
        item = array[index]
        if isinstance(item, (bool, np.bool_, numbers.Real)):
            continue
        where = f"{name}[{', '.join(map(str, index))}]" if index else name
        if name == "thresholds":
            fix = f"float({item!r})" if isinstance(item, numbers.Number) else "a number such as 0.5, or leave it out"
            raise TypeError(
                f"thresholds must be numbers in [0, 1], but {where} is {item!r} ({type(item).__name__}), "
                f"which Keras cannot take. Fix: give each threshold as a float, here {fix}."
            )
        raise TypeError(
            f"{name} must hold numbers, but {where} is {item!r}. "
            f"Fix: remove or replace that entry (and the same sample in the other arguments)."
        )
    return array.astype(np.float64)


def _text_labels_message(array):
    """Text labels such as 'malignant'/'benign': say how to map them to 0/1."""
    values, counts = np.unique(array.astype(str), return_counts=True)
    shown = ", ".join(repr(str(v)) for v in values[:4]) + (", ..." if len(values) > 4 else "")
    rarer = str(values[int(np.argmin(counts))])  # the rarer class is usually the one called positive
    return (
        f"y_true must hold the labels 0 and 1, but it holds text labels ({shown}). Keras needs numbers, "
        f"and which class is positive is your choice. Fix: map them, e.g. "
        f"y_true = (np.asarray(y_true) == {rarer!r}).astype(int) to make {rarer!r} the positive class."
    )


def _to_column(array, name):
    """Accept shape (N,) or (N, 1); return ``(flat array, was_column)``; refuse other shapes."""
    if array.ndim == 0:
        raise ValueError(
            f"{name} is a single number ({array.item()!r}), not one value per sample. "
            f"Fix: pass a list or array with one entry per sample, e.g. [{array.item()!r}]."
        )
    was_column = array.ndim == 2 and array.shape[1] == 1
    if was_column:
        array = array[:, 0]
    elif array.ndim == 2 and array.shape[0] == 1:
        raise ValueError(
            f"{name} has shape {array.shape}: one row of {array.shape[1]} values, not one value per sample. "
            f"Fix: pass it flat, e.g. np.ravel({name})."
        )
    elif array.ndim == 2 and name == "sample_weight":
        raise ValueError(
            f"sample_weight has shape {array.shape}: several weights per sample. "
            f"Fix: pass one weight per sample, shape (N,) or (N, 1)."
        )
    elif array.ndim == 2:
        raise ValueError(
            f"{name} has shape {array.shape}: more than one column of classes. "
            f"Keras would flatten it and count every cell, so TN would be inflated "
            f"by the other classes. Fix: take one class, e.g. {name}[:, j] for class j "
            f"(and the same column of the other argument); count every column apart with "
            f"cmlearn.keras_run.keras_counts_per_column(y_true, y_pred) (one Counts per class or label). "
            f"To count every cell as Keras does, use cmlearn.keras_run.keras_counts_flattened(y_true, y_pred), "
            f"or pass np.ravel(y_true) and np.ravel(y_pred) (and each sample's weight repeated for its "
            f"cells): each (sample, class) cell then counts once, so the counts are summed over the "
            f"classes (micro-averaged) and TN holds every class a sample does not have."
        )
    elif array.ndim > 2:
        raise ValueError(
            f"{name} has shape {array.shape}; one value per sample is needed, shape (N,) or (N, 1). "
            f"Fix: reshape it, e.g. np.reshape({name}, -1) if it holds one value per sample."
        )
    if array.size == 0:
        raise ValueError(f"{name} is empty. Fix: pass at least one sample.")
    return array, was_column


def _first_bad(mask):
    return int(np.flatnonzero(mask)[0])


def _at(name, index, was_column):
    """How the learner would index the bad entry: ``y_true[2]`` or ``y_true[2, 0]``."""
    return f"{name}[{index}, 0]" if was_column else f"{name}[{index}]"


#: What Keras would do with a non-finite value of each argument, to say why it matters.
_NON_FINITE_CONSEQUENCE = {
    "y_true": "Keras casts labels to bool, so a NaN label would count as a positive",
    "y_pred": "Keras would count a NaN score as a negative prediction without a word",
    "sample_weight": "A NaN or infinite weight would make every count it touches NaN or infinite",
}


def _validate_finite(array, name, was_column=False):
    if np.issubdtype(array.dtype, np.floating):
        bad = ~np.isfinite(array)
        if bad.any():
            i = _first_bad(bad)
            raise ValueError(
                f"{name} must be finite, but {_at(name, i, was_column)} is {array[i].item()!r} "
                f"({int(bad.sum())} non-finite value(s) in all). "
                f"{_NON_FINITE_CONSEQUENCE[name]}. Fix: find where the NaN or "
                f"infinity comes from, or drop those samples from every argument."
            )


def validate_labels(y_true):
    """Validate labels alone; return them as a flat float32 array of 0s and 1s.

    >>> validate_labels([[1], [0]])
    array([1., 0.], dtype=float32)
    """
    labels, was_column = _to_column(_as_array(y_true, "y_true"), "y_true")
    _validate_finite(labels, "y_true", was_column)
    not_binary = (labels != 0) & (labels != 1)
    if not_binary.any():
        i = _first_bad(not_binary)
        value = labels[i].item()
        soft = " (a soft label)" if 0 < value < 1 else ""
        raise ValueError(
            f"y_true must hold only the labels 0 and 1, but {_at('y_true', i, was_column)} is {value!r}{soft}. "
            f"Keras casts labels to bool, so it would silently count this sample as a "
            f"positive. Fix: turn your labels into 0/1 first, e.g. "
            f"y_true = (labels == positive_class).astype(int)."
        )
    return labels.astype(np.float32)


def _refuse_if_swapped(y_true, y_pred):
    """Raise when y_true holds scores in [0, 1] and y_pred only 0s and 1s: the arguments were swapped."""
    try:
        labels = np.asarray(y_true, dtype=np.float64).ravel()
        scores = np.asarray(y_pred, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return
    if labels.size != scores.size or not (np.isfinite(labels).all() and np.isfinite(scores).all()):
        return
    soft = (labels != 0) & (labels != 1)
    if soft.any() and ((labels >= 0) & (labels <= 1)).all() and np.isin(scores, (0, 1)).all():
        i = _first_bad(soft)
        raise ValueError(
            f"y_true holds scores between 0 and 1 (y_true[{i}] is {float(labels[i])!r}) and y_pred holds only 0s "
            f"and 1s: the two arguments look swapped. Keras takes the labels first, (y_true, y_pred). "
            f"Fix: swap them, e.g. keras_counts(y_true=labels, y_pred=scores)."
        )


def validate_inputs(y_true, y_pred, sample_weight=None):
    """Validate labels, scores and weights; return them as flat NumPy arrays.

    Parameters
    ----------
    y_true : array-like of shape (N,) or (N, 1)
        Labels, each exactly 0 or 1 (bool, int or float dtype).
    y_pred : array-like of shape (N,) or (N, 1)
        Scores in [0, 1], e.g. sigmoid outputs.
    sample_weight : None, a number, or array-like of shape (N,) or (N, 1)
        Non-negative, finite weights. A single number applies to every sample.

    Returns
    -------
    y_true, y_pred : float32 arrays of shape (N,)
    sample_weight : float32 array of shape (N,), or None

    Examples
    --------
    >>> _, _, w = validate_inputs([[1], [0]], [[0.9], [0.1]], sample_weight=2)
    >>> w
    array([2., 2.], dtype=float32)
    >>> validate_inputs([0, 1], [0.3, 2.5])
    Traceback (most recent call last):
    ...
    ValueError: y_pred must be scores in [0, 1], but y_pred[1] is 2.5. These look like logits (raw model outputs); Keras would compare them with a probability threshold without a word. Fix: apply a sigmoid first, e.g. y_pred = keras.ops.sigmoid(logits), or build the last layer with activation="sigmoid".
    """
    try:
        labels = validate_labels(y_true)
    except ValueError:
        _refuse_if_swapped(y_true, y_pred)
        raise
    y_true = labels
    y_pred, pred_column = _to_column(_as_array(y_pred, "y_pred"), "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true and y_pred must have one entry per sample each, but y_true has "
            f"{len(y_true)} and y_pred has {len(y_pred)}. Fix: pass the labels and "
            f"scores of the same samples, in the same order."
        )
    _validate_finite(y_pred, "y_pred", pred_column)
    # Judged in float32, as Keras sees it: 1 + 1e-12 becomes 1.0 there and is a valid score.
    as_float32 = y_pred.astype(np.float32)
    outside = (as_float32 < 0) | (as_float32 > 1)
    if outside.any():
        i = _first_bad(outside)
        value = y_pred[i].item()
        where = _at("y_pred", i, pred_column)
        if -1e-3 <= value <= 1 + 1e-3:
            raise ValueError(
                f"y_pred must be scores in [0, 1], but {where} is {value!r}, just outside: "
                f"probably rounding in an earlier step. Fix: y_pred = np.clip(y_pred, 0, 1)."
            )
        if as_float32.min() >= 0 and 10 < as_float32.max() <= 100:  # logits rarely pass 10 with none below 0
            raise ValueError(
                f"y_pred must be scores in [0, 1], but {where} is {value!r}, and every score lies in "
                f"[0, 100]: these look like percentages. Fix: divide by 100, y_pred = y_pred / 100 "
                f"(if they are logits instead, apply a sigmoid: keras.ops.sigmoid(logits))."
            )
        raise ValueError(
            f"y_pred must be scores in [0, 1], but {where} is {value!r}. "
            f"These look like logits (raw model outputs); Keras would compare them with a "
            f"probability threshold without a word. Fix: apply a sigmoid first, e.g. "
            f"y_pred = keras.ops.sigmoid(logits), or build the last layer with "
            f'activation="sigmoid".'
        )
    weights = None
    if sample_weight is not None:
        weights = _as_array(sample_weight, "sample_weight")
        if weights.size == 1 and weights.ndim <= 2:
            # One number, or one weight in a list: Keras broadcasts it to every sample.
            if not np.isfinite(weights).all():
                raise ValueError(
                    f"sample_weight must be finite, but it is {weights.item()!r}. "
                    f"{_NON_FINITE_CONSEQUENCE['sample_weight']}. Fix: pass a finite number such as 1.0."
                )
            weights = np.full(len(y_true), weights.item())
        weights, weight_column = _to_column(weights, "sample_weight")
        if len(weights) != len(y_true):
            raise ValueError(
                f"sample_weight must have one weight per sample ({len(y_true)}), but it "
                f"has {len(weights)}. Fix: pass one weight for each entry of y_true, or a "
                f"single number to weight every sample alike."
            )
        _validate_finite(weights, "sample_weight", weight_column)
        negative = weights < 0
        if negative.any():
            i = _first_bad(negative)
            raise ValueError(
                f"sample_weight must be non-negative, but {_at('sample_weight', i, weight_column)} is "
                f"{weights[i].item()!r}. Keras would subtract it from a count without a "
                f"word. Fix: use 0 to leave a sample out, positive numbers to weight it."
            )
        # One weight past float32's largest number is inf to Keras; a count past it is refused where
        # counts are made (cmlearn.counts.refuse_overflow), as only that count would read inf.
        largest = float(np.finfo(np.float32).max)
        too_big = weights.astype(np.float64) > largest
        if too_big.any():
            i = _first_bad(too_big)
            raise ValueError(
                f"sample_weight must fit float32, the type Keras counts in (at most {largest:.3g}), but "
                f"{_at('sample_weight', i, weight_column)} is {weights[i].item()!r}: Keras would read it as inf. "
                f"Fix: rescale the weights, e.g. sample_weight / np.mean(sample_weight)."
            )
        weights = weights.astype(np.float32)
    return y_true, y_pred.astype(np.float32), weights


def validate_thresholds(thresholds):
    """Validate ``thresholds``; return ``(float64 array, is_scalar)``.

    One number gives a scalar result; a list, tuple or 1-D array gives one
    result per threshold, in the order given (as Keras does).

    Examples
    --------
    >>> validate_thresholds(0.5)
    (array([0.5]), True)
    >>> validate_thresholds([0.2, 0.8])
    (array([0.2, 0.8]), False)
    >>> validate_thresholds(50)
    Traceback (most recent call last):
    ...
    ValueError: thresholds must lie in [0, 1], but thresholds[0] is 50. A prediction is positive when y_pred > threshold, and scores are in [0, 1]. Fix: give a probability such as 0.5 (for 50%, write 0.5).
    """
    is_scalar = isinstance(thresholds, numbers.Real) or (
        hasattr(thresholds, "ndim") and np.ndim(thresholds) == 0
    )
    if isinstance(thresholds, (set, frozenset, dict)):
        kind = "a dict" if isinstance(thresholds, dict) else "a set"
        raise TypeError(
            f"thresholds must be one number or an ordered list, but got {kind}, {thresholds!r}: it has no "
            f"order, and Keras returns one count per threshold in the order given. "
            f"Fix: pass a list, e.g. thresholds=sorted({thresholds!r})."
        )
    values = _as_array(thresholds, "thresholds")
    if values.dtype == bool:
        raise TypeError(
            f"thresholds must be numbers in [0, 1], not booleans ({thresholds!r}). "
            f"Fix: pass e.g. 0.5 or [0.3, 0.5, 0.7]."
        )
    values = np.atleast_1d(values).astype(np.float64)
    if values.ndim != 1:
        raise ValueError(
            f"thresholds must be one number or a flat list of numbers, but it has shape "
            f"{values.shape}. Fix: pass e.g. 0.5 or [0.3, 0.5, 0.7]."
        )
    if values.size == 0:
        raise ValueError(
            f"thresholds is empty ({thresholds!r}). Keras would return an empty array of counts; cmlearn "
            f"refuses it, as an empty list is nearly always a slip (a filter or range that kept nothing). "
            f"Fix: pass one number such as 0.5, or a non-empty list such as [0.3, 0.5, 0.7]."
        )
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        i = _first_bad(bad)
        shown = np.atleast_1d(np.asarray(thresholds)).ravel()[i]
        shown = shown.item() if hasattr(shown, "item") else shown
        raise ValueError(
            f"thresholds must lie in [0, 1], but thresholds[{i}] is {shown!r}. "
            f"A prediction is positive when y_pred > threshold, and scores are in "
            f"[0, 1]. Fix: give a probability such as 0.5 (for 50%, write 0.5)."
        )
    return values, bool(is_scalar)


def validate_one_threshold(threshold, name="threshold"):
    """Validate a single threshold; return it as a float.

    >>> validate_one_threshold(0.25)
    0.25
    >>> validate_one_threshold([0.2, 0.5])
    Traceback (most recent call last):
    ...
    ValueError: threshold must be one number, but got [0.2, 0.5]. Fix: e.g. threshold=0.5.
    """
    values, is_scalar = validate_thresholds(threshold)
    if not is_scalar:
        raise ValueError(f"{name} must be one number, but got {threshold!r}. Fix: e.g. {name}=0.5.")
    return float(values[0])


def validate_whole_number(value, name, minimum=1, example=None):
    """Validate a whole number (not a bool) of at least ``minimum``; return it as an int.

    >>> validate_whole_number(np.int64(3), "batch_size")
    3
    >>> validate_whole_number(0, "batch_size", example="batch_size=32")
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be a whole number >= 1, but got 0. Fix: e.g. batch_size=32.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        fix = example or f"{name}={max(minimum, 1)}"
        raise ValueError(f"{name} must be a whole number >= {minimum}, but got {value!r}. Fix: e.g. {fix}.")
    return int(value)


def validate_counts(counts, name="counts", thresholds="any"):
    """Validate a Counts (anything with ``tp fp tn fn thresholds``); return it.

    ``thresholds`` says what it must hold: ``"any"``, ``"one"`` threshold
    or a ``"sweep"`` of several.

    >>> validate_counts({"tp": 1})
    Traceback (most recent call last):
    ...
    TypeError: counts must be a cmlearn Counts (from keras_counts or numpy_counts), but got dict. Fix: e.g. cmlearn.numpy_counts(y_true, y_pred).
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

    >>> validate_zero_division(0)
    0.0
    """
    try:
        value = float(zero_division)
    except (TypeError, ValueError):
        value = None
    if value is None or not (math.isnan(value) or value in (0.0, 1.0)):
        raise ValueError(
            f"zero_division must be 0, 1 or nan (as in scikit-learn), but got "
            f"{zero_division!r}. It is the value given to a rate whose denominator "
            f"is 0. Fix: leave the default nan to see undefined rates as undefined, "
            f"or pass 0 to match Keras's Precision and Recall."
        )
    return value


def validate_cost(value, name):
    """A cost is one finite, non-negative real number; return it as a float.

    >>> validate_cost(-1, "cost_fp")
    Traceback (most recent call last):
    ...
    ValueError: cost_fp must be a finite number >= 0, but got -1.0. A cost is what one mistake of that kind costs you; a benefit is not a negative cost here. Fix: e.g. cost_fp=1.0.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number (the price of one such mistake), but got {value!r}. Fix: e.g. {name}=1.0."
        )
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(
            f"{name} must be a finite number >= 0, but got {value!r}. A cost is what one mistake "
            f"of that kind costs you; a benefit is not a negative cost here. Fix: e.g. {name}=1.0."
        )
    return value


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
            f"weighted_metrics=cmlearn.keras_run.weighted_count_metrics() beside metrics=cmlearn.keras_run.make_count_metrics()."
        )


def validate_columns(y_true, y_pred, sample_weight=None):
    """Validate labels and scores with one column per class or label, shape (N, K), K >= 2.

    Each column is validated as one binary problem (labels 0/1, finite scores
    in [0, 1]); an error names the column. ``sample_weight`` holds one weight
    per sample (row), as in Keras, which applies it to every cell of its row.

    Returns
    -------
    y_true, y_pred : float32 arrays of shape (N, K)
    sample_weight : float32 array of shape (N,), or None

    Examples
    --------
    >>> y_true, y_pred, _ = validate_columns([[1, 0], [0, 1]], [[0.8, 0.2], [0.3, 0.7]])
    >>> y_pred.shape, y_pred.dtype
    ((2, 2), dtype('float32'))
    >>> validate_columns([[1, 0], [0, 1]], [[0.8, 0.2], [0.3, 1.7]])
    Traceback (most recent call last):
    ...
    ValueError: column 1 (y_true[:, 1], y_pred[:, 1]): y_pred must be scores in [0, 1], but y_pred[1] is 1.7. These look like logits (raw model outputs); Keras would compare them with a probability threshold without a word. Fix: apply a sigmoid first, e.g. y_pred = keras.ops.sigmoid(logits), or build the last layer with activation="sigmoid".
    """
    labels, scores = _as_array(y_true, "y_true"), _as_array(y_pred, "y_pred")
    for name, array in (("y_true", labels), ("y_pred", scores)):
        if array.ndim != 2 or array.shape[1] < 2:
            raise ValueError(
                f"{name} has shape {array.shape}, but one column per class or label is needed here: "
                f"shape (N, K) with K >= 2. Fix: for one column of 0/1 labels and scores use "
                f"cmlearn.keras_counts(y_true, y_pred); for integer class labels make one-hot "
                f"columns first, e.g. y_true = np.eye(K)[labels]."
            )
    if labels.shape != scores.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape (one label per cell), but y_true has "
            f"{labels.shape} and y_pred has {scores.shape}. Fix: pass one-hot (or multi-label) "
            f"y_true with one column per output unit of y_pred."
        )
    weights = None
    columns_true, columns_pred = [], []
    for k in range(labels.shape[1]):
        try:
            t, p, weights = validate_inputs(labels[:, k], scores[:, k], sample_weight)
        except (TypeError, ValueError) as error:
            raise type(error)(f"column {k} (y_true[:, {k}], y_pred[:, {k}]): {error}") from None
        columns_true.append(t)
        columns_pred.append(p)
    return np.stack(columns_true, axis=1), np.stack(columns_pred, axis=1), weights


def validate_top_k(k, n_columns):
    """Validate Keras's ``top_k`` for an array of ``n_columns`` columns: a whole number from 1 to ``n_columns``.

    Keras itself refuses a larger ``top_k`` only when it runs
    (``InvalidArgumentError: input must have at least k columns``).

    >>> validate_top_k(5, 4)
    Traceback (most recent call last):
    ...
    ValueError: top_k must be at most the number of columns of y_pred, 4, but got 5 (Keras raises "input must have at least k columns"). Fix: e.g. top_k=1, or top_k=4 to keep every column.
    """
    k = validate_whole_number(k, "top_k", example="top_k=1")
    if k > n_columns:
        raise ValueError(
            f"top_k must be at most the number of columns of y_pred, {n_columns}, but got {k} (Keras raises "
            f'"input must have at least k columns"). Fix: e.g. top_k=1, or top_k={n_columns} to keep every column.'
        )
    return k
