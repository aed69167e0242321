"""Batch by batch: running counts versus per-batch averaged rates, in plain NumPy.

Keras's count metrics are stateful: each ``update_state`` call adds the
batch's counts to the running totals, so after the last batch they equal the
counts of the whole data set. Averaging a rate over batches (what Keras 1 did
for precision and recall before 2.0 removed it) gives another, usually
different, number. :class:`BatchLog` does the arithmetic of both;
:class:`cmlearn.keras_run.BatchRun` feeds the same batches to real Keras metric objects.

>>> log = BatchLog()
>>> _ = log.add(Counts(tp=1.0, fp=0.0, tn=0.0, fn=3.0, thresholds=0.5))  # recall 0.25
>>> _ = log.add(Counts(tp=1.0, fp=0.0, tn=0.0, fn=0.0, thresholds=0.5))  # recall 1.0
>>> log.averaged("recall"), log.pooled("recall")  # (0.25 + 1) / 2 vs 2 / 5
(0.625, 0.4)
"""

from __future__ import annotations

import numpy as np

from cmlearn.counts import COUNT_NAMES, Counts
from cmlearn.ratios import rates
from cmlearn.validation import validate_counts, validate_whole_number, validate_zero_division

__all__ = ["batch_slices", "BatchLog"]


def batch_slices(n_samples, batch_size):
    """Consecutive slices of ``batch_size`` samples, the last one possibly shorter.

    >>> batch_slices(5, 2)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    >>> batch_slices(5, 0)
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be a whole number >= 1, but got 0. Fix: e.g. batch_size=32.
    """
    batch_size = validate_whole_number(batch_size, "batch_size", example="batch_size=32")
    return [slice(start, min(start + batch_size, n_samples)) for start in range(0, n_samples, batch_size)]


def _sum_counts(counts_list, threshold):
    totals = {k: float(sum(getattr(c, k) for c in counts_list)) for k in COUNT_NAMES}
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
        self.zero_division = validate_zero_division(zero_division)
        self.batches = []
        self.running_history = []

    def add(self, batch_counts):
        """Record one batch's counts; return the running (pooled) counts."""
        validate_counts(batch_counts, "batch_counts", thresholds="one")
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
