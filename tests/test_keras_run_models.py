"""cmlearn.keras_run.models: the pass-through model evaluates given scores; real scores offline."""

import numpy as np
import pytest

import cmlearn
from cmlearn import numpy_counts
from cmlearn.batch_log import BatchLog, batch_slices
from cmlearn.data import averaging_trap
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.models import evaluate_scores, passthrough_model
from cmlearn.keras_run.streaming import StreamingFNR, batch_fnr

keras = import_keras()


def test_averaging_trap_in_keras_evaluate():
    y_true, y_pred, batch_size = averaging_trap()
    log = BatchLog()
    for rows in batch_slices(len(y_true), batch_size):
        log.add(numpy_counts(y_true[rows], y_pred[rows]))
    model = passthrough_model([batch_fnr, StreamingFNR(name="streaming_fnr"), keras.metrics.Recall(name="recall")])
    logs = evaluate_scores(model, y_true, y_pred, batch_size=batch_size)
    assert logs["batch_fnr"] == pytest.approx(log.averaged("fnr")) == pytest.approx(0.75)
    assert logs["streaming_fnr"] == pytest.approx(log.pooled("fnr")) == pytest.approx(0.5)
    assert logs["recall"] == pytest.approx(1 - logs["streaming_fnr"])


def test_breast_cancer_scores_is_real_offline_and_reproducible():
    y_true, y_pred = cmlearn.breast_cancer_scores()
    again = cmlearn.breast_cancer_scores()
    np.testing.assert_array_equal(y_pred, again[1])
    assert len(y_true) == 171 and int(y_true.sum()) == 64
    r = cmlearn.rates(cmlearn.keras_counts(y_true, y_pred))
    assert r.accuracy > 0.9  # a sensible model, not noise
