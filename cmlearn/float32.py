"""float32 arithmetic as TensorFlow's CPU kernels do it: subnormals flushed to 0, and ``reduce_sum``'s order.

The NumPy rebuilds of Keras's counts (:func:`cmlearn.counts.numpy_counts`,
:mod:`cmlearn.grid_metrics`, :mod:`cmlearn.columns`) use these two rules to
give Keras's float32 results to the last bit.

>>> float(flush_subnormals(np.float32(1e-40))), float(tf_sum(np.float32([0.1, 0.2, 0.3])))
(0.0, 0.6000000238418579)
"""

from __future__ import annotations

import numpy as np

__all__ = ["flush_subnormals", "tf_sum", "TF_ONE_THREAD_SUM_LIMIT"]


def flush_subnormals(values):
    """Set float32 values too small to be normal to 0, as TensorFlow's CPU kernels do."""
    return np.where(np.abs(values) < np.finfo(np.float32).tiny, np.float32(0), values)


#: TensorFlow's CPU ``reduce_sum`` adds in one thread up to this many float32
#: values (Eigen's cost model; found by experiment with TensorFlow 2.21), and
#: splits longer sums between its threads, in an order that depends on their number.
TF_ONE_THREAD_SUM_LIMIT = 108_387
_LANES = 8  # float32 values in one AVX packet, as TensorFlow's CPU build adds them
_LEAF = 1024 * _LANES  # Eigen sums a longer run as two halves (tree reduction)


def tf_sum(values):
    """A float32 sum in the order TensorFlow's CPU ``reduce_sum`` adds it (one thread), as ``np.float32``.

    Eigen's order, read off by experiment (bit-equal to ``tf.reduce_sum`` for
    every size tried up to :data:`TF_ONE_THREAD_SUM_LIMIT`): a run longer than
    8,192 values is split in two halves at a multiple of 8 and each half
    summed so; a shorter run is added in packets of 8 lanes, four packet
    accumulators taking turns while 32 values remain, then one; the lanes are
    folded in halves (4 + 4, 2 + 2, 1 + 1) and the last ``n % 8`` values,
    added one by one, are added to that.

    >>> x = np.float32([2**24] + [1] * 8)   # exactly 16,777,224
    >>> float(tf_sum(x)), float(np.cumsum(x, dtype=np.float32)[-1])   # in lanes, or one by one
    (16777224.0, 16777216.0)
    """
    x = np.ascontiguousarray(values, dtype=np.float32).ravel()
    return _tree_sum(x, 0, len(x))


def _tree_sum(x, first, n):
    if n > _LEAF:
        split = _LANES * -(-(first + -(-n // 2)) // _LANES)  # Eigen aligns the split on the absolute index
        return np.float32(_tree_sum(x, first, split - first) + _tree_sum(x, split, n - (split - first)))
    run, start = x[first : first + n], 0
    lanes = np.zeros(_LANES, np.float32)
    if n >= 4 * _LANES:
        start = n // (4 * _LANES) * 4 * _LANES
        four = np.cumsum(run[:start].reshape(-1, 4, _LANES), axis=0, dtype=np.float32)[-1]  # each in order
        lanes = ((four[0] + four[1]) + four[2]) + four[3]
    for s in range(start, n - _LANES + 1, _LANES):
        lanes = lanes + run[s : s + _LANES]
    while len(lanes) > 1:
        lanes = lanes[: len(lanes) // 2] + lanes[len(lanes) // 2 :]
    tail = np.float32(0)
    for v in run[n - n % _LANES :]:
        tail = np.float32(tail + v)
    return np.float32(tail + lanes[0])
