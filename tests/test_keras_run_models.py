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


def test_keras_double_counts_one_object_in_both_metric_lists():
    """Why logistic_model refuses it: Keras 3 accepts the pair and adds both updates to one object."""
    x = np.full((8, 1), 0.9, dtype="float32")
    y = np.ones((8, 1), dtype="float32")
    weights = np.array([1, 1, 0, 0, 0, 0, 0, 0], dtype="float32")

    def evaluate(metrics, weighted_metrics):
        model = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
        model.compile(loss="mse", metrics=metrics, weighted_metrics=weighted_metrics)
        return model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)

    shared = keras.metrics.TruePositives(name="tp")
    doubled = evaluate([shared], [shared])
    apart = evaluate([keras.metrics.TruePositives(name="tp")], [keras.metrics.TruePositives(name="weighted_tp")])
    assert (apart["tp"], apart["weighted_tp"]) == (8.0, 2.0)
    assert doubled["tp"] == doubled["weighted_tp"] == 8.0 + 2.0


def test_logistic_model_refuses_one_metric_object_in_both_lists():
    from cmlearn.keras_run.metrics import make_count_metrics, weighted_count_metrics
    from cmlearn.keras_run.models import logistic_model

    counts = make_count_metrics()
    with pytest.raises(ValueError) as error:
        logistic_model(2, metrics=counts, weighted_metrics=[counts[0]])
    message = str(error.value)
    assert "metrics and weighted_metrics hold the same metric object ('tp')" in message
    assert "Fix: give weighted_metrics objects of their own" in message
    # Separate objects, and names (Keras builds an object per name), are fine.
    model = logistic_model(2, metrics=[*counts, "accuracy"], weighted_metrics=[*weighted_count_metrics(), "accuracy"])
    assert model.count_params() == 3
