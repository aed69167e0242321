"""Counting on several replicas: ``tf.distribute.MirroredStrategy`` on one CPU.

Under a distribution strategy each replica counts its own share of every
batch, and Keras's count metrics keep their variables with
``aggregation="sum"``, so reading a metric adds the replicas' counts. To see
that without GPUs, :func:`two_cpu_strategy` splits the CPU into two logical
devices. TensorFlow allows that only **before** it has set up its devices,
so call it right after :func:`cmlearn.notebook_setup` (which leaves the
devices alone), before any model, tensor or metric is made.

TensorFlow is started only when a function runs.
"""

from __future__ import annotations

import numpy as np

from cmlearn.counts import COUNT_NAMES, Counts
from cmlearn.keras_run.backend import import_keras, import_tensorflow
from cmlearn.keras_run.metrics import make_count_metrics
from cmlearn.keras_run.models import evaluate_scores, passthrough_model
from cmlearn.validation import validate_inputs, validate_whole_number

__all__ = ["two_cpu_strategy", "distributed_counts", "per_replica_counts"]


def two_cpu_strategy(n_devices=2):
    """A ``MirroredStrategy`` over ``n_devices`` logical CPU devices.

    Running it again in the same process is fine once the devices exist.
    TensorFlow's Python logger is set to ERROR, since the strategy logs
    every cross-replica reduction at INFO level and warns that running it
    eagerly is slow on every eager call, which is all the lessons do.

    Raises
    ------
    RuntimeError
        When TensorFlow had already set up fewer logical CPUs: restart the
        kernel and call this right after ``cmlearn.notebook_setup()``.
    """
    n_devices = validate_whole_number(n_devices, "n_devices", minimum=2, example="n_devices=2")
    tf = import_tensorflow()

    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * int(n_devices))
    except RuntimeError:  # devices already set up: usable only if they are already split
        found = len(tf.config.list_logical_devices("CPU"))
        if found < n_devices:
            raise RuntimeError(
                f"TensorFlow has already set up its devices with {found} logical CPU(s), and that cannot "
                f"change in a running process. Fix: restart the kernel and call "
                f"cmlearn.keras_run.two_cpu_strategy() right after cmlearn.notebook_setup(), before "
                f"anything creates a tensor, model or metric."
            ) from None
    # The strategy logs every cross-replica reduction at INFO level; keep notebooks readable.
    tf.get_logger().setLevel("ERROR")
    return tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(int(n_devices))])


def distributed_counts(strategy, y_true, y_pred, threshold=0.5, batch_size=32):
    """``model.evaluate`` under ``strategy`` with the four count metrics.

    A :func:`cmlearn.keras_run.models.passthrough_model` (prediction = input) is
    built in the strategy's scope, so the counts are those of ``y_pred``;
    each batch is split among the replicas and the metrics add up their
    shares.

    Returns
    -------
    Counts
        The global counts, as ``evaluate`` reports them.
    """
    model = passthrough_model(make_count_metrics(threshold), strategy=strategy)
    logs = evaluate_scores(model, y_true, y_pred, batch_size=batch_size)
    values = {k: logs[k] for k in COUNT_NAMES}
    return Counts(thresholds=float(threshold), source=f"evaluate on {strategy.num_replicas_in_sync} replicas", **values)


def per_replica_counts(strategy, y_true, y_pred, threshold=0.5, batch_size=32):
    """What each replica counts on its own share of the batches.

    Each batch of ``batch_size`` is split among the replicas (as ``fit`` and
    ``evaluate`` do); on each replica, Keras's count metrics count that
    replica's samples through their stateless API, and the counts are kept
    per replica. Their sum is the global count.

    Returns
    -------
    list of Counts, one per replica
    """
    tf = import_tensorflow()
    keras = import_keras()
    y_true, y_pred, _ = validate_inputs(y_true, y_pred)
    with strategy.scope():
        metrics = make_count_metrics(threshold)
    dataset = tf.data.Dataset.from_tensor_slices((y_true[:, None], y_pred[:, None])).batch(batch_size)

    def count_share(labels, scores):
        out = []
        for metric in metrics:
            start = [tf.zeros_like(v.value) for v in metric.variables]
            out.append(metric.stateless_result(metric.stateless_update_state(start, labels, scores)))
        return out

    totals = np.zeros((strategy.num_replicas_in_sync, len(metrics)), dtype=np.float64)
    for labels, scores in strategy.experimental_distribute_dataset(dataset):
        shares = strategy.run(count_share, args=(labels, scores))
        for j, share in enumerate(shares):
            for i, value in enumerate(strategy.experimental_local_results(share)):
                totals[i, j] += float(keras.ops.convert_to_numpy(value))
    return [
        Counts(
            thresholds=float(threshold), source=f"replica {i}", **dict(zip(COUNT_NAMES, map(float, row), strict=True))
        )
        for i, row in enumerate(totals)
    ]
