"""Data generators are deterministic, validated, and the article's data is as cited."""


import numpy as np
import pytest

import cmlearn
from cmlearn.data import ARTICLE_CLAIMS, article_example, make_scores


@pytest.mark.parametrize("n, prevalence", [(1, 0.0), (10, 0.3), (1001, 0.01), (50, 1.0)])
def test_make_scores_has_exact_prevalence_and_valid_scores(n, prevalence):
    y_true, y_pred = make_scores(n, prevalence=prevalence, seed=2)
    assert y_true.shape == y_pred.shape == (n,)
    assert int(y_true.sum()) == round(n * prevalence)
    assert y_pred.dtype == np.float32 and ((y_pred >= 0) & (y_pred <= 1)).all()
    cmlearn.validation.validate_inputs(y_true, y_pred)


def test_make_scores_is_deterministic_and_separation_separates():
    a, b = make_scores(500, seed=7), make_scores(500, seed=7)
    assert all((x == y).all() for x, y in zip(a, b, strict=True))
    assert not (make_scores(500, seed=8)[1] == a[1]).all()
    none = cmlearn.rates(cmlearn.numpy_counts(*make_scores(4000, separation=0.0, seed=1)))
    wide = cmlearn.rates(cmlearn.numpy_counts(*make_scores(4000, separation=4.0, seed=1)))
    assert wide.balanced_accuracy > 0.9 > 0.55 > none.balanced_accuracy


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(n_samples=0), "n_samples must be a whole number >= 1"),
        (dict(prevalence=-0.1), "prevalence must be in [0, 1]"),
        (dict(separation=-1), "separation must be a finite number >= 0"),
    ],
)
def test_make_scores_refuses_bad_arguments(kwargs, words):
    with pytest.raises(ValueError) as info:
        make_scores(**kwargs)
    assert words in str(info.value) and "Fix" in str(info.value)


def test_article_claims_against_its_own_data():
    y_true, y_pred = article_example()
    keras = cmlearn.keras_counts(y_true, y_pred, 0.5)
    assert (keras.tp, keras.fp, keras.tn, keras.fn) == (5.0, 1.0, 4.0, 0.0)
    assert keras.actual_positives == 5.0
    # Every claim the article makes about its example is wrong for its data.
    assert keras.fn != ARTICLE_CLAIMS["fn"] and keras.tn != ARTICLE_CLAIMS["tn"]
    assert keras.actual_positives != ARTICLE_CLAIMS["actual_positives"]
    assert cmlearn.rates(keras).fnr != ARTICLE_CLAIMS["fnr"]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"prevalence": "0.3"}, ["prevalence must be a number", "'0.3'"]),
        ({"separation": "2"}, ["separation must be a number"]),
        ({"seed": "a"}, ["seed must be a whole number", "'a'"]),
        ({"n_samples": 2.5}, ["n_samples must be a whole number >= 1, but got 2.5 (float)"]),
    ],
)
def test_make_scores_names_a_non_number(kwargs, words):
    with pytest.raises(TypeError) as info:
        cmlearn.data.make_scores(**({"n_samples": 10} | kwargs))
    for word in words:
        assert word in str(info.value)
