"""Labels, scores and sample weights: one value per sample, or one column per class.

Keras accepts many inputs that make its counts silently wrong: labels other
than 0 and 1 are cast to bool, logits are compared with a probability
threshold, NaN scores become negatives. :func:`validate_inputs` (one binary
problem) and :func:`validate_columns` (one column per class or label) refuse
them with an error that names the argument, the bad entry and the fix.

>>> y_true, y_pred, w = validate_inputs([0, 1, 1], [0.2, 0.7, 0.9])
>>> y_true.dtype, y_pred.dtype, w
(dtype('float32'), dtype('float32'), None)
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["validate_inputs", "validate_labels", "validate_columns"]


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
        raise TypeError(
            f"{name} must hold real numbers, not complex ones ({array.dtype}). Fix: pass the real part (numpy.real)."
        )
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
    ValueError: y_pred must be scores in [0, 1], but y_pred[1] is 2.5. These look like logits (raw model outputs); Keras
    would compare them with a probability threshold without a word. Fix: apply a sigmoid first, e.g. y_pred =
    keras.ops.sigmoid(logits), or build the last layer with activation="sigmoid".
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
    ValueError: column 1 (y_true[:, 1], y_pred[:, 1]): y_pred must be scores in [0, 1], but y_pred[1] is 1.7. These look
    like logits (raw model outputs); Keras would compare them with a probability threshold without a word. Fix: apply a
    sigmoid first, e.g. y_pred = keras.ops.sigmoid(logits), or build the last layer with activation="sigmoid".
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
