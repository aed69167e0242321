"""cmlearn.keras_run.history: counts per epoch from History, logs per batch, their plot."""

import numpy as np
import pytest

from cmlearn import numpy_counts
from cmlearn.batch_log import batch_slices
from cmlearn.data import breast_cancer_split
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.history import history_counts, record_batch_logs
from cmlearn.keras_run.metrics import make_count_metrics
from cmlearn.keras_run.models import logistic_model

keras = import_keras()


def test_history_counts_and_batch_logs_match_numpy_on_frozen_model():
    # learning rate 0: the model never changes, so every count is checkable by NumPy.
    x_train, x_val, y_train, y_val = breast_cancer_split()
    model = logistic_model(x_train.shape[1], metrics=make_count_metrics(), learning_rate=0.0)
    callback, records = record_batch_logs()
    history = model.fit(
        x_train, y_train, validation_data=(x_val, y_val), epochs=2, batch_size=100,
        shuffle=False, verbose=0, callbacks=[callback],
    )
    train_scores = model.predict(x_train, verbose=0)
    val_scores = model.predict(x_val, verbose=0)
    expected_train, expected_val = numpy_counts(y_train, train_scores), numpy_counts(y_val, val_scores)
    train, val = history_counts(history), history_counts(history, "val_")
    for key in ("tp", "fp", "tn", "fn"):
        assert getattr(train, key).tolist() == [getattr(expected_train, key)] * 2
        assert getattr(val, key).tolist() == [getattr(expected_val, key)] * 2
    # per-batch logs are running counts within an epoch and restart each epoch
    assert [r["epoch"] for r in records] == [0] * 4 + [1] * 4
    for rows, record in zip(batch_slices(len(y_train), 100) * 2, records, strict=True):
        seen = numpy_counts(y_train[: rows.stop], train_scores[: rows.stop])
        assert record["tp"] == seen.tp and record["fn"] == seen.fn


def test_history_counts_errors():
    with pytest.raises(KeyError, match="History has no 'val_tp'"):
        history_counts({"tp": [1.0], "fp": [1.0], "tn": [1.0], "fn": [1.0]}, prefix="val_")
    with pytest.raises(TypeError, match="History or its .history dict"):
        history_counts([1, 2])


def test_plot_history_counts_draws_counts_and_rates():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cmlearn.keras_run.history import plot_history_counts

    h = {"tp": [3.0, 4.0], "fn": [2.0, 1.0], "fp": [1.0, 1.0], "tn": [6.0, 6.0],
         "val_tp": [1.0, 2.0], "val_fn": [1.0, 0.0], "val_fp": [0.0, 0.0], "val_tn": [3.0, 3.0]}
    fig = plot_history_counts(h, count="fn", rate="fnr")
    left, right = fig.axes
    assert [list(line.get_ydata()) for line in left.lines] == [[2.0, 1.0], [1.0, 0.0]]
    np.testing.assert_allclose(right.lines[0].get_ydata(), [0.4, 0.2])
    np.testing.assert_allclose(right.lines[1].get_ydata(), [0.5, 0.0])
    plt.close(fig)
    with pytest.raises(ValueError, match="count must be one of"):
        plot_history_counts(h, count="recall")


def test_history_counts_refuses_sweeps():
    with pytest.raises(ValueError, match="one-threshold metrics"):
        history_counts({k: [[1.0, 2.0]] for k in ("tp", "fp", "tn", "fn")})
