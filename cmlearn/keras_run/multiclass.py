"""Small Keras models with several output columns, and their held-out scores.

A 2-unit softmax on the breast-cancer data, a 10-unit softmax on the digits,
and three sigmoids (one per yes/no question) on the digits. One Dense layer
each, trained for a few epochs of small batches (a few seconds on a CPU), seeded.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from cmlearn.data import breast_cancer_split, digit_labels, digits_split, one_hot
from cmlearn.keras_run.backend import import_keras
from cmlearn.validation import validate_choice, validate_whole_number

__all__ = [
    "ColumnScores",
    "columns_model",
    "breast_cancer_softmax_scores",
    "digits_softmax_scores",
    "digits_multilabel_scores",
]


class ColumnScores(NamedTuple):
    """Held-out labels and scores with one column per class or label."""

    y_true: np.ndarray  # float32 (N, K) of 0/1: one-hot (softmax) or multi-label (sigmoids)
    y_pred: np.ndarray  # float32 (N, K): the model's outputs
    labels: np.ndarray  # int32 (N,): the class of each sample (for multi-label, the digit)


def columns_model(n_features, n_outputs, activation="softmax", learning_rate=0.5, seed=0):
    """A compiled one-layer model with ``n_outputs`` columns: ``Dense(n_outputs, activation)``.

    ``"softmax"`` (classes that exclude each other: the columns add up to 1,
    trained with categorical cross-entropy) or ``"sigmoid"`` (one yes/no per
    column, binary cross-entropy).

    >>> columns_model(4, 3).count_params()
    15
    """
    validate_choice(activation, "activation", ("softmax", "sigmoid"), what="classes that exclude each other, or not")
    n_features = validate_whole_number(n_features, "n_features", example="n_features=x_train.shape[1]")
    n_outputs = validate_whole_number(n_outputs, "n_outputs", minimum=2, example="n_outputs=10")
    keras = import_keras()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((n_features,)), keras.layers.Dense(n_outputs, activation=activation)])
    loss = "categorical_crossentropy" if activation == "softmax" else "binary_crossentropy"
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss=loss)
    return model


def _fit_and_score(x_train, y_train, x_test, activation, epochs, seed, learning_rate=0.5, batch_size=64):
    # Small batches: each epoch costs Keras a fixed overhead, so many steps per epoch train faster than full batches.
    model = columns_model(x_train.shape[1], y_train.shape[1], activation, learning_rate=learning_rate, seed=seed)
    model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=False)
    # Called directly, not through predict(): predict traces a new function per model (and warns about it).
    keras = import_keras()
    return np.asarray(keras.ops.convert_to_numpy(model(x_test, training=False)), dtype=np.float32)


def breast_cancer_softmax_scores(epochs=10, seed=0):
    """The breast-cancer data of :func:`breast_cancer_scores`, scored by a 2-unit softmax model.

    Column 0 is benign, column 1 malignant; labels are one-hot.

    >>> s = breast_cancer_softmax_scores()
    >>> s.y_true.shape, bool(np.allclose(s.y_pred.sum(axis=1), 1))
    ((171, 2), True)
    """
    x_train, x_test, y_train, y_test = breast_cancer_split(seed=seed)
    y_pred = _fit_and_score(
        x_train, one_hot(y_train, 2), x_test, "softmax", epochs, seed, learning_rate=0.05, batch_size=32
    )
    return ColumnScores(one_hot(y_test, 2), y_pred, y_test)


def digits_softmax_scores(epochs=10, seed=0):
    """A 10-unit softmax on the digits: one-hot labels and scores for the 540 held-out images.

    >>> s = digits_softmax_scores()
    >>> s.y_true.shape, s.y_pred.shape
    ((540, 10), (540, 10))
    """
    x_train, x_test, d_train, d_test = digits_split(seed=seed)
    y_pred = _fit_and_score(x_train, one_hot(d_train, 10), x_test, "softmax", epochs, seed)
    return ColumnScores(one_hot(d_test, 10), y_pred, d_test)


def digits_multilabel_scores(epochs=10, seed=0):
    """Three sigmoids on the digits, one per question of :data:`cmlearn.data.DIGIT_QUESTIONS`.

    >>> s = digits_multilabel_scores()
    >>> s.y_true.shape, int(s.y_true[s.labels == 6].min())   # a 6 answers yes to all three
    ((540, 3), 1)
    """
    x_train, x_test, d_train, d_test = digits_split(seed=seed)
    y_pred = _fit_and_score(x_train, digit_labels(d_train), x_test, "sigmoid", epochs, seed)
    return ColumnScores(digit_labels(d_test), y_pred, d_test)
