"""cmlearn.batch_log: batch slices, running counts, pooled against averaged rates (no Keras)."""

import numpy as np
import pytest

from cmlearn.batch_log import BatchLog, batch_slices
from cmlearn.counts import Counts, numpy_counts


def test_batch_slices_cover_every_sample_once():
    for n, size in [(10, 3), (10, 10), (10, 20), (1, 1)]:
        slices = batch_slices(n, size)
        covered = np.concatenate([np.arange(n)[s] for s in slices])
        np.testing.assert_array_equal(covered, np.arange(n))
        assert all(s.stop - s.start <= size for s in slices)
    for bad, error in ((0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match="batch_size"):
            batch_slices(10, bad)


def test_averaged_recall_differs_from_pooled():
    # Two batches: 1 of 4 positives found, then 1 of 1 found.
    log = BatchLog()
    log.add(Counts(1.0, 0.0, 2.0, 3.0, 0.5))
    log.add(Counts(1.0, 1.0, 2.0, 0.0, 0.5))
    assert log.batch_rates("recall") == [0.25, 1.0]
    assert log.averaged("recall") == pytest.approx((0.25 + 1.0) / 2)
    assert log.pooled("recall") == pytest.approx(2 / 5)
    assert log.running.tp == 2.0 and log.running.fn == 3.0 and log.running.total == 10.0
    assert [c.tp for c in log.running_history] == [1.0, 2.0]


def test_zero_division_choice_for_batches_without_positives():
    batches = [Counts(2.0, 0.0, 0.0, 2.0, 0.5), Counts(0.0, 1.0, 3.0, 0.0, 0.5)]
    zero, skip = BatchLog(0), BatchLog(float("nan"))
    for b in batches:
        zero.add(b)
        skip.add(b)
    assert zero.averaged("recall") == pytest.approx(0.25)  # (0.5 + 0) / 2
    assert skip.averaged("recall") == pytest.approx(0.5)  # the empty batch is left out
    assert np.isnan(BatchLog().averaged("recall")) and np.isnan(BatchLog().pooled("recall"))


def test_batch_log_refuses_mixed_thresholds_and_sweeps():
    log = BatchLog()
    log.add(Counts(1.0, 0.0, 0.0, 0.0, 0.5))
    with pytest.raises(ValueError, match="same threshold"):
        log.add(Counts(1.0, 0.0, 0.0, 0.0, 0.6))
    with pytest.raises(ValueError, match="batch_counts must hold one threshold"):
        log.add(numpy_counts([0, 1], [0.2, 0.8], [0.3, 0.5]))
    with pytest.raises(ValueError, match="zero_division"):
        BatchLog(zero_division=0.5)


