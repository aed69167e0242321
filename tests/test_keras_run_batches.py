"""cmlearn.keras_run.batches: BatchRun feeds real Keras metric objects batch by batch."""

import numpy as np
import pytest

from cmlearn.counts import numpy_counts
from cmlearn.data import make_scores
from cmlearn.keras_run.batches import BatchRun


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
