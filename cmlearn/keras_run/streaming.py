"""Metrics that stream over batches: a rate kept as counts, and the old per-batch mistake.

A *rate* that stays right across batches must keep counts as its state and
divide only in ``result()``: that is :class:`StreamingFNR`. Averaging a
per-batch rate (what :func:`batch_fnr` does once ``compile`` wraps it) gives
another number. :class:`StreamingFNR` subclasses ``keras.metrics.Metric``, so
it is built the first time it is asked for and importing this module stays light.

>>> from cmlearn.keras_run.streaming import StreamingFNR
>>> m = StreamingFNR()  # state: FN and TP
>>> m.update_state([1, 1, 0], [0.9, 0.2, 0.7])  # one miss of two positives
>>> m.update_state([1, 1], [0.8, 0.6])  # two hits: FN 1, TP 3 so far
>>> float(m.result()), [float(v) for v in m.variables]
(0.25, [1.0, 3.0])
"""

from __future__ import annotations

import functools

from cmlearn.keras_run.backend import import_keras
from cmlearn.validation import refuse_unknown_attribute, validate_one_threshold, validate_zero_division

__all__ = ["StreamingFNR", "batch_fnr"]  # noqa: F822 (StreamingFNR is built on first access, see __getattr__)


@functools.cache
def _streaming_fnr_class():
    keras = import_keras()
    ops = keras.ops

    class StreamingFNR(keras.metrics.Metric):
        """False negative rate whose state is two counts, FN and TP.

        ``update_state`` adds each batch's (weighted) FN and TP to two
        variables; ``result()`` divides ``FN / (FN + TP)``. So after any number
        of batches the value is the rate of all the samples seen, the same
        as dividing :func:`cmlearn.keras_counts` by hand: to the last bit
        without weights or with whole-number weights (below 2**24), and up
        to float32 rounding with fractional ones, which batches add in
        another order than one call does. Counting
        follows Keras's rule: labels cast to bool, positive iff
        ``y_pred > threshold``, weights summed. Both variables are summed
        across replicas under ``tf.distribute``.

        Parameters
        ----------
        threshold : float in [0, 1], default 0.5
        zero_division : 0, 1 or nan, default nan
            The value before any positive has been seen (FN + TP = 0), checked
            as :func:`cmlearn.rates` checks it (scikit-learn's numbers; no
            ``"warn"``, as a metric inside ``fit`` has no one to warn).
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
            self.threshold = validate_one_threshold(threshold)
            self.zero_division = validate_zero_division(zero_division)
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
                if len(weight.shape) == 0:
                    weight = ops.broadcast_to(weight, ops.shape(scores))
                else:
                    weight = ops.reshape(weight, (-1,))
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
    refuse_unknown_attribute(__name__, name, __all__)


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
    ops = import_keras().ops
    actual = ops.cast(ops.cast(y_true, "bool"), "float32")
    missed = actual * ops.cast(ops.less_equal(ops.cast(y_pred, "float32"), 0.5), "float32")
    return ops.sum(missed) / (ops.sum(actual) + 1e-7)
