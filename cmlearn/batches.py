"""Batch by batch: running counts versus per-batch averaged rates.

Keras's count metrics are stateful: each ``update_state`` call adds the
batch's counts to the running totals, so after the last batch they equal the
counts of the whole data set. Averaging a rate over batches (what Keras 1 did
for precision and recall before 2.0 removed it) gives another, usually
different, number. :class:`BatchLog` does the arithmetic of both without
TensorFlow; :class:`BatchRun` feeds the same batches to real Keras metric
objects.

>>> log = BatchLog()
>>> from cmlearn.counts import Counts
>>> _ = log.add(Counts(tp=1.0, fp=0.0, tn=0.0, fn=3.0, thresholds=0.5))  # recall 0.25
>>> _ = log.add(Counts(tp=1.0, fp=0.0, tn=0.0, fn=0.0, thresholds=0.5))  # recall 1.0
>>> log.averaged("recall"), log.pooled("recall")  # (0.25 + 1) / 2 vs 2 / 5
(0.625, 0.4)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cmlearn.counts import KERAS_METRIC_NAMES, Counts, numpy_counts
from cmlearn.rates import rates
from cmlearn.validation import check_inputs, check_thresholds

__all__ = ["batch_slices", "BatchLog", "BatchStep", "BatchRun"]


def batch_slices(n_samples, batch_size):
    """Consecutive slices of ``batch_size`` samples, the last one possibly shorter.

    >>> batch_slices(5, 2)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    >>> batch_slices(5, 0)
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be a whole number >= 1, but got 0. Fix: e.g. batch_size=32.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, but got {batch_size!r}. Fix: e.g. batch_size=32.")
    return [slice(start, min(start + int(batch_size), n_samples)) for start in range(0, n_samples, int(batch_size))]


def _sum_counts(counts_list, threshold):
    totals = {k: float(sum(getattr(c, k) for c in counts_list)) for k in KERAS_METRIC_NAMES}
    return Counts(thresholds=threshold, source="sum of batches", **totals)


class BatchLog:
    """Per-batch counts, their running sum, and rates pooled or averaged.

    Parameters
    ----------
    zero_division : 0, 1 or nan, default 0
        A batch rate whose denominator is 0 (say, recall on a batch without
        positives). 0 mimics the old per-batch metrics, which guarded the
        division with a tiny epsilon; with nan such batches are left out of
        the average.

    Examples
    --------
    >>> from cmlearn.counts import Counts
    >>> log = BatchLog()
    >>> _ = log.add(Counts(tp=2.0, fp=2.0, tn=5.0, fn=0.0, thresholds=0.5))
    >>> _ = log.add(Counts(tp=0.0, fp=0.0, tn=9.0, fn=1.0, thresholds=0.5))
    >>> log.running
    Counts(tp=2.0, fp=2.0, tn=14.0, fn=1.0, thresholds=0.5)
    >>> log.batch_rates("precision")  # the second batch has no predicted positive
    [0.5, 0.0]
    """

    def __init__(self, zero_division=0.0):
        rates(Counts(1.0, 0.0, 0.0, 0.0, 0.5), zero_division=zero_division)  # validates it
        self.zero_division = float(zero_division)
        self.batches = []
        self.running_history = []

    def add(self, batch_counts):
        """Record one batch's counts; return the running (pooled) counts."""
        if not isinstance(batch_counts, Counts) or np.ndim(batch_counts.thresholds) != 0:
            raise TypeError(
                f"batch_counts must be a one-threshold Counts, but got {batch_counts!r}. "
                f"Fix: numpy_counts(y_true[batch], y_pred[batch], threshold)."
            )
        if self.batches and batch_counts.thresholds != self.batches[0].thresholds:
            raise ValueError(
                f"every batch must be counted at the same threshold, but this one is at "
                f"{batch_counts.thresholds} and the first at {self.batches[0].thresholds}. Fix: start a new BatchLog."
            )
        self.batches.append(batch_counts)
        running = _sum_counts(self.batches, batch_counts.thresholds)
        self.running_history.append(running)
        return running

    def __len__(self):
        return len(self.batches)

    @property
    def running(self):
        """The counts summed over every batch so far (None before the first batch)."""
        return self.running_history[-1] if self.running_history else None

    def batch_rates(self, name):
        """The rate ``name`` computed on each batch alone."""
        return [float(getattr(rates(c, self.zero_division), name)) for c in self.batches]

    def averaged(self, name):
        """The mean over batches of each batch's own rate ``name`` (NaN before any batch)."""
        values = np.asarray(self.batch_rates(name), dtype=np.float64)
        if values.size == 0 or np.isnan(values).all():
            return float("nan")
        return float(np.nanmean(values))

    def pooled(self, name):
        """The rate ``name`` from the running counts: what the Keras counts give."""
        if not self.batches:
            return float("nan")
        return float(getattr(rates(self.running), name))


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
        self.y_true, self.y_pred, self.sample_weight = check_inputs(y_true, y_pred, sample_weight)
        values, is_scalar = check_thresholds(threshold)
        if not is_scalar:
            raise ValueError(f"threshold must be one number, but got {threshold!r}. Fix: e.g. threshold=0.5.")
        self.threshold = float(values[0])
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
            from cmlearn.keras_metrics import make_count_metrics

            self._metrics = make_count_metrics(self.threshold)
        return self._metrics

    def step(self):
        """Feed the next batch to Keras; return a :class:`BatchStep`."""
        if self.done:
            raise ValueError(
                f"all {self.n_batches} batches have been fed already. Fix: call reset() to start again."
            )
        from cmlearn.keras_metrics import import_keras

        keras = import_keras()
        rows = self.slices[self.position]
        w = None if self.sample_weight is None else self.sample_weight[rows]
        batch = numpy_counts(self.y_true[rows], self.y_pred[rows], self.threshold, w)
        metrics = self._keras_metrics()
        saved = [np.array(keras.ops.convert_to_numpy(v)) for m in metrics for v in m.variables]
        try:  # all or nothing: a failed step must not leave a batch half counted
            results = {}
            for key, metric in zip(KERAS_METRIC_NAMES, metrics, strict=True):
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
