"""Adding up metric objects or states that counted different parts of the data.

Keras 3 has no ``merge_state``; a metric whose variables are all sums
(``aggregation="sum"``), such as the four count metrics, merges by adding.
"""

from __future__ import annotations

import functools

from cmlearn.keras_run.backend import import_keras

__all__ = ["merge_counts", "sum_states"]


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
    >>> keras = import_keras()
    >>> a, b = keras.metrics.FalseNegatives(), keras.metrics.FalseNegatives()
    >>> a.update_state([1, 1], [0.2, 0.9])
    >>> b.update_state([1, 1, 1], [0.1, 0.3, 0.6])
    >>> float(merge_counts([a, b]).result())  # 1 + 2 misses
    3.0
    """
    metrics = list(metrics) if isinstance(metrics, (list, tuple)) else metrics
    if not isinstance(metrics, list) or not metrics:
        raise ValueError(
            f"metrics must be a non-empty list of Keras metric objects, but got {metrics!r}. "
            f"Fix: pass e.g. [metric_a, metric_b], each updated on its part of the data."
        )
    keras = import_keras()
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
    >>> keras = import_keras()
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
    ops = import_keras().ops
    return [functools.reduce(ops.add, parts) for parts in zip(*states, strict=True)]
