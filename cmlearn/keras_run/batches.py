"""Feed batches to real Keras metric objects, one ``update_state`` at a time.

:class:`BatchRun` keeps Keras's running counts beside a
:class:`cmlearn.batch_log.BatchLog` of the same batches counted in NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmlearn.batch_log import BatchLog, batch_slices
from cmlearn.counts import COUNT_NAMES, Counts, numpy_counts
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.metrics import make_count_metrics
from cmlearn.validation import validate_inputs, validate_one_threshold

__all__ = ["BatchStep", "BatchRun"]


@dataclass(frozen=True)
class BatchStep:
    """What one step of a :class:`BatchRun` produced."""

    index: int
    rows: slice
    batch: Counts
    keras_running: Counts
    numpy_running: Counts


class BatchRun:
    """Feed batches to real Keras metric objects, one ``update_state`` at a time.

    Parameters
    ----------
    y_true, y_pred, sample_weight
        As for :func:`cmlearn.keras_counts`; validated up front.
    batch_size : int
        Samples per batch, in the order given (no shuffling).
    threshold : float in [0, 1]
    zero_division : 0, 1 or nan
        For the per-batch rates, see :class:`BatchLog`.

    Examples
    --------
    >>> run = BatchRun([1, 1, 1, 1, 0, 1], [0.9, 0.2, 0.3, 0.1, 0.2, 0.8], batch_size=4)
    >>> run.step().keras_running.tp  # after batch 1: one of four positives found
    1.0
    >>> run.step().keras_running.tp  # the counts keep growing
    2.0
    >>> run.log.averaged("recall"), run.log.pooled("recall")
    (0.625, 0.4)
    """

    def __init__(self, y_true, y_pred, batch_size=32, threshold=0.5, sample_weight=None, zero_division=0.0):
        self.y_true, self.y_pred, self.sample_weight = validate_inputs(y_true, y_pred, sample_weight)
        self.threshold = validate_one_threshold(threshold)
        self.slices = batch_slices(len(self.y_true), batch_size)
        self.batch_size = int(batch_size)
        self.zero_division = zero_division
        self._metrics = None
        self.reset()

    @property
    def n_batches(self):
        return len(self.slices)

    @property
    def done(self):
        """True once every batch has been fed."""
        return self.position >= self.n_batches

    def reset(self):
        """Forget every batch: Keras's ``reset_state`` and an empty log."""
        if self._metrics is not None:
            for m in self._metrics:
                m.reset_state()
        self.position = 0
        self.log = BatchLog(self.zero_division)
        self.steps = []

    def _keras_metrics(self):
        if self._metrics is None:
            self._metrics = make_count_metrics(self.threshold)
        return self._metrics

    def step(self):
        """Feed the next batch to Keras; return a :class:`BatchStep`."""
        if self.done:
            raise ValueError(
                f"all {self.n_batches} batches have been fed already. Fix: call reset() to start again."
            )
        keras = import_keras()
        rows = self.slices[self.position]
        w = None if self.sample_weight is None else self.sample_weight[rows]
        batch = numpy_counts(self.y_true[rows], self.y_pred[rows], self.threshold, w)
        metrics = self._keras_metrics()
        saved = [np.array(keras.ops.convert_to_numpy(v)) for m in metrics for v in m.variables]
        try:  # all or nothing: a failed step must not leave a batch half counted
            results = {}
            for key, metric in zip(COUNT_NAMES, metrics, strict=True):
                metric.update_state(self.y_true[rows], self.y_pred[rows], sample_weight=w)
                results[key] = float(keras.ops.convert_to_numpy(metric.result()))
            keras_running = Counts(thresholds=self.threshold, source="keras.metrics", **results)
            numpy_running = self.log.add(batch)
        except Exception:
            for variable, value in zip((v for m in metrics for v in m.variables), saved, strict=True):
                variable.assign(value)
            raise
        step = BatchStep(self.position, rows, batch, keras_running, numpy_running)
        self.steps.append(step)
        self.position += 1
        return step

    def run_all(self):
        """Feed every remaining batch; return the last :class:`BatchStep` (None if none was left)."""
        last = None
        while not self.done:
            last = self.step()
        return last
