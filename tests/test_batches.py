"""Batch logs (pure arithmetic) and BatchRun (real Keras metric objects)."""

import numpy as np
import pytest

from cmlearn.batches import BatchLog, BatchRun, batch_slices
from cmlearn.counts import Counts, numpy_counts
from cmlearn.data import make_scores


def test_batch_slices_cover_every_sample_once():
    for n, size in [(10, 3), (10, 10), (10, 20), (1, 1)]:
        slices = batch_slices(n, size)
        covered = np.concatenate([np.arange(n)[s] for s in slices])
        np.testing.assert_array_equal(covered, np.arange(n))
        assert all(s.stop - s.start <= size for s in slices)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="batch_size"):
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
    with pytest.raises(TypeError, match="one-threshold Counts"):
        log.add(numpy_counts([0, 1], [0.2, 0.8], [0.3, 0.5]))
    with pytest.raises(ValueError, match="zero_division"):
        BatchLog(zero_division=0.5)


def test_keras_running_counts_equal_counts_of_the_prefix():
    y_true, y_pred = make_scores(230, prevalence=0.2, seed=4)
    w = np.random.default_rng(2).uniform(0, 2, 230)
    run = BatchRun(y_true, y_pred, batch_size=64, threshold=0.4, sample_weight=w)
    assert run.n_batches == 4
    for i in range(run.n_batches):
        step = run.step()
        stop = min((i + 1) * 64, 230)
        expected = numpy_counts(y_true[:stop], y_pred[:stop], 0.4, w[:stop])
        for k in ("tp", "fp", "tn", "fn"):
            assert getattr(step.keras_running, k) == pytest.approx(getattr(expected, k), rel=1e-6)
            assert getattr(step.numpy_running, k) == pytest.approx(getattr(expected, k), rel=1e-6)
    assert run.done
    with pytest.raises(ValueError, match="reset"):
        run.step()
    # After the last batch the pooled rate is the rate of the whole data set.
    whole = numpy_counts(y_true, y_pred, 0.4, w)
    assert run.log.pooled("recall") == pytest.approx(whole.tp / (whole.tp + whole.fn), rel=1e-6)


def test_reset_clears_keras_state():
    y_true, y_pred = make_scores(50, seed=5)
    run = BatchRun(y_true, y_pred, batch_size=20)
    run.run_all()
    run.reset()
    assert run.position == 0 and len(run.log) == 0
    first = run.step()
    expected = numpy_counts(y_true[:20], y_pred[:20])
    assert first.keras_running.tp == expected.tp and first.keras_running.total == 20


def test_batch_run_refuses_bad_input():
    with pytest.raises(ValueError, match="y_true must hold only the labels 0 and 1"):
        BatchRun([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="threshold must be one number"):
        BatchRun([0, 1], [0.1, 0.2], threshold=[0.3, 0.5])
    with pytest.raises(ValueError, match="batch_size"):
        BatchRun([0, 1], [0.1, 0.2], batch_size=0)
