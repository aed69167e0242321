"""Counting while Keras trains: metrics in ``fit``, ``History``, merging, streaming rates.

Keras resets its metrics at the start of every epoch and lets them add up
batch after batch, so ``History`` holds one count per epoch for the training
data and one (``val_`` prefix) for the validation data. A *rate* that stays
right across batches must keep counts as its state and divide only in
``result()``: that is :class:`StreamingFNR`. Averaging a per-batch rate
(what :func:`batch_fnr` does once ``compile`` wraps it) gives another number.

Keras is imported only inside functions; :class:`StreamingFNR` is built the
first time it is asked for, so importing this module stays light.

>>> from cmlearn.training import StreamingFNR
>>> m = StreamingFNR()  # state: FN and TP
>>> m.update_state([1, 1, 0], [0.9, 0.2, 0.7])  # one miss of two positives
>>> m.update_state([1, 1], [0.8, 0.6])  # two hits: FN 1, TP 3 so far
>>> float(m.result()), [float(v) for v in m.variables]
(0.25, [1.0, 3.0])
>>> h = {"tp": [3.0, 4.0], "fn": [2.0, 1.0], "fp": [1.0, 1.0], "tn": [6.0, 6.0]}
>>> history_counts(h).fn  # one entry per epoch
array([2., 1.], dtype=float32)
"""

from __future__ import annotations

import functools

import numpy as np

from cmlearn.counts import KERAS_METRIC_NAMES, Counts
from cmlearn.data import breast_cancer_split  # noqa: F401  (re-exported: training data for fit)
from cmlearn.validation import check_inputs, check_thresholds

__all__ = [
    "StreamingFNR",  # noqa: F822 (built on first access, see __getattr__)
    "batch_fnr",
    "averaging_trap",
    "weighted_count_metrics",
    "history_counts",
    "record_batch_logs",
    "merge_counts",
    "sum_states",
    "breast_cancer_split",
    "logistic_model",
    "passthrough_model",
    "evaluate_scores",
    "plot_history_counts",
]


def _keras():
    from cmlearn.keras_metrics import import_keras

    return import_keras()


def _one_threshold(threshold, name="threshold"):
    values, is_scalar = check_thresholds(threshold)
    if not is_scalar:
        raise ValueError(f"{name} must be one number, but got {threshold!r}. Fix: e.g. {name}=0.5.")
    return float(values[0])


@functools.cache
def _streaming_fnr_class():
    keras = _keras()
    ops = keras.ops

    class StreamingFNR(keras.metrics.Metric):
        """False negative rate whose state is two counts, FN and TP.

        ``update_state`` adds each batch's (weighted) FN and TP to two
        variables; ``result()`` divides ``FN / (FN + TP)``. So after any number
        of batches the value equals the rate of all the samples seen, the
        same as dividing :func:`cmlearn.keras_counts` by hand. Counting
        follows Keras's rule: labels cast to bool, positive iff
        ``y_pred > threshold``, weights summed. Both variables are summed
        across replicas under ``tf.distribute``.

        Parameters
        ----------
        threshold : float in [0, 1], default 0.5
        zero_division : float, default nan
            The value before any positive has been seen (FN + TP = 0).
            (Keras's own ``Recall`` reports 0.0 there.)
        name : str, default "streaming_fnr"
        dtype : optional, as for every Keras metric

        Examples
        --------
        >>> m = StreamingFNR()
        >>> m.update_state([1, 1, 0], [0.9, 0.2, 0.7])  # one miss of two positives
        >>> m.update_state([1, 1], [0.8, 0.6])  # two hits: FN 1, TP 3 so far
        >>> float(m.result()), [float(v) for v in m.variables]
        (0.25, [1.0, 3.0])
        """

        def __init__(self, threshold=0.5, zero_division=float("nan"), name="streaming_fnr", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.threshold = _one_threshold(threshold)
            if isinstance(zero_division, bool) or not isinstance(zero_division, (int, float)):
                raise TypeError(f"zero_division must be a number such as nan, 0 or 1, but got {zero_division!r}.")
            self.zero_division = float(zero_division)
            # aggregation="sum": a cross-replica read adds the replicas' counts.
            self.false_negatives = self.add_variable(shape=(), initializer="zeros", name="fn", aggregation="sum")
            self.true_positives = self.add_variable(shape=(), initializer="zeros", name="tp", aggregation="sum")

        def update_state(self, y_true, y_pred, sample_weight=None):
            actual = ops.cast(ops.cast(ops.reshape(y_true, (-1,)), "bool"), self.dtype)
            scores = ops.reshape(ops.cast(y_pred, self.dtype), (-1,))
            hit = ops.cast(ops.greater(scores, self.threshold), self.dtype)
            if sample_weight is None:
                weight = ops.ones_like(scores)
            else:
                weight = ops.cast(sample_weight, self.dtype)
                weight = ops.broadcast_to(weight, ops.shape(scores)) if len(weight.shape) == 0 else ops.reshape(weight, (-1,))
            self.true_positives.assign_add(ops.sum(actual * hit * weight))
            self.false_negatives.assign_add(ops.sum(actual * (1 - hit) * weight))

        def result(self):
            positives = self.false_negatives + self.true_positives
            rate = ops.divide_no_nan(self.false_negatives, positives)
            return ops.where(positives > 0, rate, ops.cast(self.zero_division, self.dtype))

        def get_config(self):
            return {**super().get_config(), "threshold": self.threshold, "zero_division": self.zero_division}

    StreamingFNR.__module__ = __name__
    return StreamingFNR


def __getattr__(name):
    # Subclassing keras.metrics.Metric needs Keras: build the class when first asked for.
    if name == "StreamingFNR":
        return _streaming_fnr_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def batch_fnr(y_true, y_pred):
    """The old mistake: FNR of one batch, for ``compile(metrics=[batch_fnr])``.

    Keras wraps a plain function metric in a running *mean* over batches, so
    what it reports is the average of the batches' own FNRs, not the FNR of
    the data (compare :class:`StreamingFNR`). As Keras 1 did, a batch without
    positives counts as 0 (a tiny epsilon guards the division).

    Examples
    --------
    >>> float(batch_fnr([1.0, 1.0, 0.0], [0.9, 0.2, 0.7]))  # 1 miss / 2 positives
    0.5
    """
    ops = _keras().ops
    actual = ops.cast(ops.cast(y_true, "bool"), "float32")
    missed = actual * ops.cast(ops.less_equal(ops.cast(y_pred, "float32"), 0.5), "float32")
    return ops.sum(missed) / (ops.sum(actual) + 1e-7)


def averaging_trap():
    """Twelve samples in three batches of four where averaging batch rates misleads.

    Batches 1 and 2 hold one positive each, both missed (FNR 1 and 1); batch 3
    holds four positives, one missed (FNR 0.25). Averaging the batch FNRs
    gives 0.75 (recall 0.25); pooling the counts gives 3 misses out of 6
    positives, FNR 0.5 (recall 0.5), the same gap as keras issue #4592.

    Returns
    -------
    y_true : int32 array (12,)
    y_pred : float32 array (12,)
    batch_size : int, 4

    Examples
    --------
    >>> from cmlearn.batches import BatchRun
    >>> run = BatchRun(*averaging_trap()[:2], batch_size=averaging_trap()[2])
    >>> _ = run.run_all()
    >>> run.log.averaged("fnr"), run.log.pooled("fnr")
    (0.75, 0.5)
    """
    y_true = np.array([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1], dtype=np.int32)
    y_pred = np.array([0.3, 0.1, 0.2, 0.6, 0.4, 0.2, 0.1, 0.3, 0.9, 0.8, 0.7, 0.2], dtype=np.float32)
    return y_true, y_pred, 4


def weighted_count_metrics(thresholds=0.5, prefix="weighted_"):
    """The four count metrics again, named ``weighted_tp`` ... for ``weighted_metrics=``.

    A metric object can sit in only one of ``metrics=`` and
    ``weighted_metrics=``, and ``History`` keys come from the names, so the
    weighted set needs its own objects and names.

    >>> [m.name for m in weighted_count_metrics()]
    ['weighted_tp', 'weighted_fp', 'weighted_tn', 'weighted_fn']
    """
    keras = _keras()
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty string, but got {prefix!r}. Fix: e.g. prefix='weighted_'.")
    return [
        getattr(keras.metrics, cls)(thresholds=thresholds, name=prefix + key) for key, cls in KERAS_METRIC_NAMES.items()
    ]


def history_counts(history, prefix="", threshold=0.5):
    """The per-epoch counts in a ``History`` as one :class:`~cmlearn.counts.Counts`.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)`` 's return value, or its ``.history`` dict.
    prefix : str
        ``""`` for training counts, ``"val_"`` for validation counts,
        ``"weighted_"`` for counts from :func:`weighted_count_metrics`.
    threshold : float
        The threshold the metrics were built with (only recorded).

    Returns
    -------
    Counts
        Float32 arrays with one entry per epoch; ``thresholds`` repeats
        ``threshold`` once per epoch, so :func:`cmlearn.rates` gives rates per epoch.

    Examples
    --------
    >>> history_counts({"tp": [1.0]}, prefix="val_")
    Traceback (most recent call last):
    ...
    KeyError: "History has no 'val_tp' (it has: tp). Fix: compile with metrics=make_count_metrics() and pass validation_data to fit for val_ keys."
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(f"history must be a keras History or its .history dict, but got {type(history).__name__}.")
    values = {}
    for key in KERAS_METRIC_NAMES:
        if prefix + key not in logs:
            raise KeyError(
                f"History has no {prefix + key!r} (it has: {', '.join(sorted(logs))}). Fix: compile with "
                f"metrics=make_count_metrics() and pass validation_data to fit for val_ keys."
            )
        values[key] = np.asarray(logs[prefix + key], dtype=np.float32)
        if values[key].ndim != 1:
            raise ValueError(
                f"History[{prefix + key!r}] holds {values[key].shape[1:]} values per epoch (a list of "
                f"thresholds?); history_counts reads one-threshold metrics. Fix: take one column, "
                f"e.g. np.asarray(history.history[{prefix + key!r}])[:, j]."
            )
    epochs = len(values["tp"])
    thresholds = np.full(epochs, _one_threshold(threshold), dtype=np.float64)
    return Counts(thresholds=thresholds, source=f"History ({prefix or 'training'})", **values)


def record_batch_logs():
    """A callback that keeps the logs Keras hands over after every training batch.

    Returns
    -------
    callback : keras.callbacks.LambdaCallback
        Pass it to ``fit(callbacks=[callback])``.
    records : list of dict
        Filled during ``fit``: ``{"epoch": e, "batch": b, **logs}`` per batch
        (array-valued logs, from metrics with several thresholds, are left out).

    Examples
    --------
    >>> callback, records = record_batch_logs()
    >>> type(callback).__name__, records
    ('LambdaCallback', [])
    """
    keras = _keras()
    records = []
    epoch = {"now": 0}

    def begin(index, logs=None):
        epoch["now"] = index

    def end(batch, logs=None):
        values = {k: float(np.asarray(v)) for k, v in (logs or {}).items() if np.size(v) == 1}
        records.append({"epoch": epoch["now"], "batch": batch, **values})

    return keras.callbacks.LambdaCallback(on_epoch_begin=begin, on_train_batch_end=end), records


def merge_counts(metrics):
    """Add up metric objects that counted different parts of the data (Keras 3).

    Keras 2 had ``metric.merge_state(others)``; Keras 3 has none. A metric
    can be merged by adding its variables when every variable is a sum
    (``aggregation="sum"``), as for the four count metrics and
    :class:`StreamingFNR`. The inputs are left untouched.

    Parameters
    ----------
    metrics : list of Keras metric objects
        Of one class, built with the same configuration.

    Returns
    -------
    A new metric object of that class holding the sums.

    Examples
    --------
    >>> import keras
    >>> a, b = keras.metrics.FalseNegatives(), keras.metrics.FalseNegatives()
    >>> a.update_state([1, 1], [0.2, 0.9])
    >>> b.update_state([1, 1, 1], [0.1, 0.3, 0.6])
    >>> float(merge_counts([a, b]).result())  # 1 + 2 misses
    3.0
    """
    metrics = list(metrics) if isinstance(metrics, (list, tuple)) else metrics
    if not isinstance(metrics, list) or not metrics:
        raise ValueError(f"metrics must be a non-empty list of Keras metric objects, but got {metrics!r}.")
    keras = _keras()
    first = metrics[0]
    if not isinstance(first, keras.metrics.Metric):
        raise TypeError(
            f"metrics must hold Keras metric objects, but metrics[0] is {type(first).__name__}. "
            f"Fix: pass e.g. [keras.metrics.TruePositives(), ...] after update_state."
        )
    config = {k: v for k, v in first.get_config().items() if k != "name"}
    for i, other in enumerate(metrics[1:], start=1):
        if type(other) is not type(first):
            raise TypeError(
                f"metrics must all be of one class, but metrics[0] is {type(first).__name__} and "
                f"metrics[{i}] is {type(other).__name__}. Fix: merge each kind of count separately."
            )
        other_config = {k: v for k, v in other.get_config().items() if k != "name"}
        if other_config != config:
            raise ValueError(
                f"metrics must share one configuration, but metrics[{i}] has {other_config} and metrics[0] "
                f"has {config}. Fix: merge only metrics built with the same thresholds."
            )
    for variable in first.variables:
        if variable.aggregation != "sum":
            raise ValueError(
                f"{type(first).__name__} keeps the variable {variable.name!r} with aggregation "
                f"{variable.aggregation!r}, which cannot be merged by adding. Fix: merge count-like metrics only."
            )
    merged = type(first).from_config(first.get_config())
    for target, *sources in zip(merged.variables, *(m.variables for m in metrics), strict=True):
        target.assign(sum(keras.ops.convert_to_numpy(v) for v in sources))
    return merged


def sum_states(states):
    """Add metric states from Keras 3's stateless API, variable by variable.

    ``stateless_update_state(variables, y_true, y_pred)`` returns a metric's
    new variables instead of storing them. States counted on separate parts
    of the data add up; ``stateless_result`` turns the sum into the result.

    For the four count metrics the state *is* the count. With a list of
    thresholds, read the summed state itself: in Keras 3.15.1 on TensorFlow
    their ``stateless_result`` returns the metric's own variable, not the
    state you passed in.

    Examples
    --------
    >>> import keras
    >>> m = keras.metrics.TruePositives()
    >>> start = [v.value for v in m.variables]
    >>> s1 = m.stateless_update_state(start, [1, 1], [0.9, 0.2])
    >>> s2 = m.stateless_update_state(start, [1, 0], [0.8, 0.7])
    >>> float(m.stateless_result(sum_states([s1, s2])))
    2.0
    """
    states = list(states)
    if not states:
        raise ValueError("states is empty. Fix: pass the lists returned by stateless_update_state.")
    lengths = {len(s) for s in states}
    if len(lengths) != 1:
        raise ValueError(
            f"every state must hold the same number of variables, but got {sorted(lengths)}. "
            f"Fix: pass states of one metric class."
        )
    ops = _keras().ops
    return [functools.reduce(ops.add, parts) for parts in zip(*states, strict=True)]


def logistic_model(n_features, metrics=None, weighted_metrics=None, learning_rate=0.05, seed=0):
    """A compiled one-layer logistic model (Dense(1, sigmoid)), seeded.

    Small on purpose: it trains in a second on a CPU, and its scores are
    probabilities, so thresholds in [0, 1] mean what they say.

    Examples
    --------
    >>> model = logistic_model(3, metrics=["accuracy"])
    >>> model.count_params()
    4
    """
    keras = _keras()
    if isinstance(n_features, bool) or not isinstance(n_features, (int, np.integer)) or n_features < 1:
        raise ValueError(f"n_features must be a whole number >= 1, but got {n_features!r}. Fix: x_train.shape[1].")
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
    >>> from cmlearn.keras_metrics import make_count_metrics
    >>> model = passthrough_model(make_count_metrics())
    >>> model.evaluate(np.array([[0.9], [0.2]]), np.array([[1], [1]]), verbose=0, return_dict=True)["fn"]
    1.0
    """
    keras = _keras()

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
    y_true, y_pred, _ = check_inputs(y_true, y_pred)
    logs = model.evaluate(y_pred[:, None], y_true[:, None], batch_size=batch_size, verbose=0, return_dict=True)
    return {k: float(np.asarray(v)) if np.size(v) == 1 else np.asarray(v) for k, v in logs.items()}


def plot_history_counts(history, count="fn", rate="fnr", threshold=0.5):
    """Per epoch: one count and one rate, training against validation.

    The left panel shows that counts from data sets of different sizes do not
    compare; the right panel, that their rates do. The figure only draws what
    :func:`history_counts` and :func:`cmlearn.rates` computed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from cmlearn.rates import RATES, rates
    from cmlearn.style import OKABE_ITO

    if count not in KERAS_METRIC_NAMES:
        raise ValueError(f"count must be one of {', '.join(KERAS_METRIC_NAMES)}, but got {count!r}.")
    train, val = history_counts(history, "", threshold), history_counts(history, "val_", threshold)
    epochs = np.arange(1, len(train.tp) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True)
    for counts, label, colour in ((train, "training", OKABE_ITO["blue"]), (val, "validation", OKABE_ITO["orange"])):
        left.plot(epochs, getattr(counts, count), marker="o", color=colour, label=f"{label} (N = {counts.total[0]:g})")
        right.plot(epochs, getattr(rates(counts), rate), marker="o", color=colour, label=label)
    left.set(xlabel="epoch", ylabel=f"{count.upper()} (a count)", title=f"{count.upper()} per epoch")
    symbol = RATES.get(rate).symbol if rate in RATES else rate
    right.set(xlabel="epoch", ylabel=f"{symbol} (a rate)", title=f"{symbol} per epoch")
    for ax in (left, right):
        ax.legend(frameon=False)
        ax.grid(alpha=0.3)
    return fig

