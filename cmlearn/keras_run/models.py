"""Small Keras models: a logistic model to train, a pass-through model to evaluate scores.

Both are tiny on purpose: they train in a second on a CPU.
"""

from __future__ import annotations

import numpy as np

from cmlearn.data import breast_cancer_split
from cmlearn.keras_run.backend import import_keras
from cmlearn.validation import validate_inputs, validate_separate_metrics, validate_whole_number

__all__ = ["logistic_model", "passthrough_model", "evaluate_scores", "breast_cancer_scores"]


def logistic_model(n_features, metrics=None, weighted_metrics=None, learning_rate=0.05, seed=0):
    """A compiled one-layer logistic model (Dense(1, sigmoid)), seeded.

    Small on purpose: it trains in a second on a CPU, and its scores are
    probabilities, so thresholds in [0, 1] mean what they say. One metric
    object in both ``metrics`` and ``weighted_metrics`` is refused with a
    ``ValueError``: Keras would accept it and count every batch twice.

    Examples
    --------
    >>> model = logistic_model(3, metrics=["accuracy"])
    >>> model.count_params()
    4
    """
    keras = import_keras()
    n_features = validate_whole_number(n_features, "n_features", example="n_features=x_train.shape[1]")
    validate_separate_metrics(metrics, weighted_metrics)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((int(n_features),)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate),
        loss="binary_crossentropy",
        metrics=metrics,
        weighted_metrics=weighted_metrics,
    )
    return model


def passthrough_model(metrics, strategy=None):
    """A model whose prediction is its input: ``evaluate`` on ready-made scores.

    ``model.evaluate(y_pred[:, None], y_true[:, None], batch_size=...)`` then
    runs ``metrics`` exactly as Keras does in training and evaluation
    (batches, resets, replicas), on scores you chose.

    Parameters
    ----------
    metrics : list
        Passed to ``compile(metrics=...)``.
    strategy : tf.distribute.Strategy, optional
        Build and compile the model in its scope.

    Examples
    --------
    >>> from cmlearn.keras_run.metrics import make_count_metrics
    >>> model = passthrough_model(make_count_metrics())
    >>> model.evaluate(np.array([[0.9], [0.2]]), np.array([[1], [1]]), verbose=0, return_dict=True)["fn"]
    1.0
    """
    keras = import_keras()

    def build():
        model = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
        model.compile(loss="mse", metrics=metrics)
        return model

    if strategy is None:
        return build()
    with strategy.scope():
        return build()


def evaluate_scores(model, y_true, y_pred, batch_size=32):
    """``model.evaluate`` a :func:`passthrough_model` on validated labels and scores.

    Returns the ``return_dict=True`` logs as Python floats.
    """
    y_true, y_pred, _ = validate_inputs(y_true, y_pred)
    logs = model.evaluate(y_pred[:, None], y_true[:, None], batch_size=batch_size, verbose=0, return_dict=True)
    return {k: float(np.asarray(v)) if np.size(v) == 1 else np.asarray(v) for k, v in logs.items()}


def breast_cancer_scores(test_size=0.3, epochs=60, seed=0):
    """Real labels and scores: a small Keras model on the breast-cancer data.

    A one-layer logistic model (Dense(1, sigmoid),
    :func:`logistic_model`) is trained full-batch on the
    training part of :func:`breast_cancer_split` and scores the held-out part.

    Returns
    -------
    y_true : int32 array of held-out labels (1 = malignant)
    y_pred : float32 array of the model's scores for them

    Examples
    --------
    >>> y_true, y_pred = breast_cancer_scores()
    >>> len(y_true), int(y_true.sum())
    (171, 64)
    """
    x_train, x_test, y_train, y_test = breast_cancer_split(test_size=test_size, seed=seed)
    model = logistic_model(x_train.shape[1], seed=seed)
    model.fit(x_train, y_train, epochs=epochs, batch_size=len(x_train), verbose=0, shuffle=False)
    y_pred = model.predict(x_test, verbose=0).ravel().astype(np.float32)
    return y_test, y_pred
