"""The table of version-dependent Keras behaviours, and the bar capture the lessons read it with."""

from __future__ import annotations

import pathlib
import re

import pytest

from cmlearn import behaviours

REPO = pathlib.Path(__file__).resolve().parent.parent


def _keras_pin(path):
    return re.search(r"^keras==(\S+)", (REPO / path).read_text(), re.M).group(1)


def test_the_table_covers_exactly_the_tested_keras_versions():
    pinned = {_keras_pin("requirements.txt"), _keras_pin(".ci/colab-requirements.txt")}
    assert set(behaviours.TESTED) == pinned, "TESTED must list the Keras of requirements.txt and of Colab's pins"
    for version, seen in behaviours.TESTED.items():
        assert set(seen) == set(behaviours.BEHAVIOURS), version
        for behaviour, outcome in seen.items():
            assert outcome in behaviours.BEHAVIOURS[behaviour], (version, behaviour, outcome)


def test_observe_refuses_an_unknown_outcome_and_a_wrong_table_entry():
    with pytest.raises(ValueError, match="none of the outcomes the lesson knows"):
        behaviours.observe("live_bar", "sideways", "3.15.1")
    with pytest.raises(AssertionError, match="TESTED says 'as logged'"):
        behaviours.observe("live_bar", "averaged again", "3.15.1")
    with pytest.raises(ValueError, match=r"behaviour must be one of .*, but got 'bar'\. Fix: e\.g\. behaviour="):
        behaviours.observe("bar", "as logged", "3.15.1")


def test_an_untested_version_may_show_any_known_outcome():
    text = str(behaviours.observe("replica_batch_logs", "global", "3.99.0"))
    assert text.startswith("Your Keras 3.99.0 (a version this bundle was not tested on)")
    assert "no tested version does this" in text and "Keras 3.13.2 and 3.15.1: per replica" in text


@pytest.mark.parametrize(
    ("shown", "logged", "outcome"),
    [
        ([134.0, 140.0], [134.0, 140.0], "as logged"),
        ([2.0, 2.5], [2.0, 3.0], "averaged again"),
        ([2.0, 2.6], [2.0, 3.0], "unknown"),
    ],
)
def test_classify_live_bar(shown, logged, outcome):
    assert behaviours.classify_live_bar(shown, logged) == outcome


def test_classify_live_bar_reads_four_decimals():
    # The bar prints 4 decimals: a mean such as 78.8333... still reads as "averaged again".
    logged = [4, 12, 21, 32, 44, 55, 67, 79, 91, 103, 118, 134, 140]
    shown = [round(sum(logged[: i + 1]) / (i + 1), 4) for i in range(len(logged))]
    assert behaviours.classify_live_bar(shown, logged) == "averaged again"


def test_fit_showing_bar_captures_every_step_and_the_final_line():
    from cmlearn import keras_run
    from cmlearn.data import breast_cancer_split

    keras = keras_run.import_keras()
    x, _, y, _ = breast_cancer_split()
    model = keras_run.logistic_model(x.shape[1], metrics=keras_run.make_count_metrics())
    history, bar, logs = keras_run.fit_showing_bar(model, x[:96], y[:96], epochs=1, batch_size=32, shuffle=False)
    assert [line.step for line in bar["live"]] == [1, 2, 3] and len(bar["final"]) == 1
    assert bar["final"][0].values["tp"] == history.history["tp"][0]
    outcome = behaviours.classify_live_bar([line.values["tp"] for line in bar["live"]], [r["tp"] for r in logs])
    # Colab's and the pinned Keras are both in the table: each must show what it says.
    behaviours.observe("live_bar", outcome, keras.__version__)
    with pytest.raises(ValueError, match=r"verbose must be one of 1, 2 \(the settings that print a bar\), but got 0"):
        keras_run.fit_showing_bar(model, x[:32], y[:32], verbose=0)
