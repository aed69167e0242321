"""The checks for lessons 07 and 08 recognise their misconceptions: TP = TN read as a bug, a flattened TN
read as a class's TN, Keras's AUC expected to equal scikit-learn's, NaN for one class."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from cmlearn import checks
from cmlearn.columns import numpy_counts_flattened, numpy_counts_per_column
from cmlearn.grid_metrics import at_metric_from_counts, auc_from_counts, grid_counts, keras_style_auc


def softmax(n=80, k=2, seed=0):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, k)) * 2
    y_pred = (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)).astype(np.float32)
    return np.eye(k, dtype=np.float32)[rng.integers(0, k, n)], y_pred


def scores(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    return y_true, np.clip(rng.normal(0.4 + 0.25 * y_true, 0.2), 0, 1).astype(np.float32)


def test_flattened_count_two_columns(capsys):
    y_true, y_pred = softmax()
    flat = numpy_counts_flattened(y_true, y_pred)
    column_1 = numpy_counts_per_column(y_true, y_pred)[1]
    assert checks.check_flattened_count("tn", flat.tn, y_true, y_pred)
    assert not checks.check_flattened_count("tn", column_1.tn, y_true, y_pred)
    out = capsys.readouterr().out
    assert "column 1 alone" in out and "not a bug" in out
    assert not checks.check_flattened_count("tp", flat.tp / 2, y_true, y_pred)
    assert "mean over the 2 columns" in capsys.readouterr().out


def test_flattened_count_several_classes_has_no_mirror_sentence(capsys):
    y_true, y_pred = softmax(k=4, seed=1)
    column_2 = numpy_counts_per_column(y_true, y_pred)[2]
    assert not checks.check_flattened_count("tn", column_2.tn, y_true, y_pred)
    out = capsys.readouterr().out
    assert "column 2 alone" in out and "mirror" not in out


def test_column_count_recognises_a_flattened_tn(capsys):
    y_true, y_pred = softmax(k=5, seed=2)
    per_column = numpy_counts_per_column(y_true, y_pred)
    flat = numpy_counts_flattened(y_true, y_pred)
    assert checks.check_column_count("tn", per_column[3].tn, y_true, y_pred, column=3)
    assert not checks.check_column_count("tn", flat.tn, y_true, y_pred, column=3)
    assert "flattened TN" in capsys.readouterr().out


def test_column_count_recognises_argmax_and_another_column(capsys):
    y_true = np.eye(3)[[0, 1, 2, 2]]
    y_pred = np.array([[0.7, 0.2, 0.1], [0.2, 0.7, 0.1], [0.1, 0.3, 0.6], [0.3, 0.3, 0.4]])
    assert not checks.check_column_count("tp", 2, y_true, y_pred, column=2)  # argmax counts the 0.4
    assert "argmax" in capsys.readouterr().out
    assert not checks.check_column_count("fp", 0, y_true, y_pred, column=5)
    assert "column must be" in capsys.readouterr().out


def test_keras_auc_against_scikit_learn(capsys):
    y_true, y_pred = scores()
    n = 5
    assert checks.check_keras_auc(keras_style_auc(y_true, y_pred, n), y_true, y_pred, num_thresholds=n)
    assert not checks.check_keras_auc(roc_auc_score(y_true, y_pred), y_true, y_pred, num_thresholds=n)
    assert "scikit-learn's roc_auc_score" in capsys.readouterr().out
    counts = grid_counts(y_true, y_pred, n)
    assert not checks.check_keras_auc(auc_from_counts(counts, "minoring"), y_true, y_pred, num_thresholds=n)
    assert "minoring" in capsys.readouterr().out


def test_keras_auc_one_class(capsys):
    assert checks.check_keras_auc(0.0, [1, 1, 1], [0.2, 0.5, 0.9])
    assert not checks.check_keras_auc(float("nan"), [1, 1, 1], [0.2, 0.5, 0.9])
    assert "scikit-learn's answer" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [None, "0.7", [1, 2], object()])
def test_new_checks_never_raise(answer, capsys):
    y_true, y_pred = softmax()
    assert not checks.check_flattened_count("tp", answer, y_true, y_pred)
    assert not checks.check_column_count("tp", answer, y_true, y_pred, column=0)
    assert not checks.check_keras_auc(answer, [0, 1], [0.2, 0.7])
    assert capsys.readouterr().out.count(checks.HINT_MARK) == 3


def test_at_metric(capsys):
    y_true, y_pred = scores(seed=3)
    counts = grid_counts(y_true, y_pred, 50, "at")
    right = at_metric_from_counts(counts, "sensitivity_at_specificity", 0.8)
    assert checks.check_at_metric("sensitivity_at_specificity", right, counts, 0.8)
    tnr = counts.tn / (counts.tn + counts.fp)
    tpr = counts.tp / (counts.tp + counts.fn)
    worst = float(tpr[tnr >= np.float32(0.8)].min())
    assert not checks.check_at_metric("sensitivity_at_specificity", worst, counts, 0.8)
    assert "lowest" in capsys.readouterr().out
