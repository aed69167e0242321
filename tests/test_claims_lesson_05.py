"""The general sentences of lesson 05 (counting during training), each held on random data.

Every test is named for its sentence and quotes it. Training is costly, so each
test builds one tiny model (3 features) and reuses it across hypothesis's
examples: its weights keep changing from one example to the next, which is
fine, since each sentence must hold for any weights. Data are random sizes,
batch sizes, epochs and (where the sentence is about them) sample weights.
"""

import functools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import SLOW_PROPERTY, binary_samples

from cmlearn import behaviours, numpy_counts
from cmlearn.batch_log import batch_slices
from cmlearn.counts import COUNT_NAMES
from cmlearn.keras_run import (
    StreamingFNR,
    batch_fnr,
    fit_showing_bar,
    history_counts,
    logistic_model,
    make_count_metrics,
    passthrough_model,
    record_batch_logs,
    weighted_count_metrics,
)
from cmlearn.keras_run.backend import import_keras

keras = import_keras()
FEW = SLOW_PROPERTY  # 15 examples: each one runs fit or evaluate
FEATURES = 3


@st.composite
def training_data(draw, min_size=2, max_size=60):
    """(x, y): random features and 0/1 labels."""
    n = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, FEATURES)).astype(np.float32)
    y = (x[:, 0] + rng.normal(scale=1.0, size=n) > draw(st.sampled_from([-0.5, 0.0, 0.8]))).astype(np.int32)
    return x, y


@functools.cache
def _model(kind):
    """One compiled model per kind, reused across examples."""
    if kind == "counts":
        return logistic_model(FEATURES, metrics=make_count_metrics(), learning_rate=0.3)
    if kind == "frozen_weighted":  # learning rate 0: the scores stay put, so NumPy can check each count
        return logistic_model(
            FEATURES, metrics=make_count_metrics(), weighted_metrics=weighted_count_metrics(), learning_rate=0.0, seed=3
        )
    if kind == "list":
        return logistic_model(
            FEATURES, metrics=[keras.metrics.TruePositives(thresholds=[0.3, 0.5, 0.7], name="tps")], learning_rate=0.3
        )
    raise KeyError(kind)


def _counts(logs, prefix=""):
    return [float(logs[prefix + k]) for k in COUNT_NAMES]


@FEW
@given(training_data(), training_data(min_size=1, max_size=30), st.integers(1, 3), st.integers(1, 40))
def test_each_epoch_counts_every_sample_once(train, val, epochs, batch_size):
    """05, answer to the first Predict (cell n05-11): "Each epoch counts every training sample once
    (398) and every validation sample once (171): Keras resets the metrics at the start of every
    epoch, so the counts do not pile up across epochs." (Also the takeaway "each epoch counts its
    whole data set once" and check_history_count's hint.)"""
    (x, y), (xv, yv) = train, val
    history = _model("counts").fit(
        x, y, validation_data=(xv, yv), epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0
    )
    assert history_counts(history).total.tolist() == [float(len(y))] * epochs
    assert history_counts(history, prefix="val_").total.tolist() == [float(len(yv))] * epochs
    assert history_counts(history).actual_positives.tolist() == [float(y.sum())] * epochs


@FEW
@given(training_data(), st.integers(1, 3), st.integers(1, 40))
def test_within_an_epoch_the_counts_only_grow_restart_each_epoch_and_the_last_is_history(train, epochs, batch_size):
    """05, answer to the second Predict (cell n05-21): "Within an epoch the counts only grow; the
    next epoch starts from zero again; the last batch's values are what `History` keeps." (Also
    the takeaway "Per-batch logs are running counts within an epoch; the last one is the epoch's
    value.")"""
    x, y = train
    callback, logs = record_batch_logs()
    history = _model("counts").fit(
        x, y, epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0, callbacks=[callback]
    )
    slices = batch_slices(len(y), batch_size)
    assert len(logs) == epochs * len(slices)
    for epoch in range(epochs):
        mine = [r for r in logs if r["epoch"] == epoch]
        for key in COUNT_NAMES:
            running = [r[key] for r in mine]
            assert (np.diff(running) >= 0).all()  # only grow
            assert running[-1] == history.history[key][epoch]  # the last log is History's
        seen = [sum(_counts(r)) for r in mine]
        assert seen == [float(s.stop) for s in slices]  # from zero: the first log holds the first batch only


@FEW
@given(training_data(), training_data(min_size=1, max_size=70), st.integers(1, 40), st.sampled_from([None, 7, 50]))
def test_evaluate_on_the_validation_data_gives_the_last_epochs_val_counts_and_keras_counts(
    train, val, batch_size, eval_batch
):
    """05, "History and evaluate() agree" (cell n05-15): "On the validation data it must give the
    last epoch's `val_` counts, because the validation pass of the last epoch ran with the final
    weights. And both equal `cmlearn.keras_counts` on the model's predicted scores." Batch sizes of
    fit, evaluate and predict are drawn independently."""
    from cmlearn import keras_counts

    (x, y), (xv, yv) = train, val
    model = _model("counts")
    history = model.fit(x, y, validation_data=(xv, yv), epochs=2, batch_size=batch_size, shuffle=False, verbose=0)
    evaluated = model.evaluate(xv, yv, batch_size=eval_batch, verbose=0, return_dict=True)
    by_hand = keras_counts(yv, model.predict(xv, batch_size=eval_batch, verbose=0))
    assert _counts(evaluated) == [float(history.history["val_" + k][-1]) for k in COUNT_NAMES]
    assert _counts(evaluated) == [by_hand.tp, by_hand.fp, by_hand.tn, by_hand.fn]


@FEW
@given(training_data(min_size=2, max_size=50), st.integers(1, 12))
def test_the_live_bar_does_what_the_table_says_for_this_keras_and_its_final_line_equals_history(train, batch_size):
    """05, the progress bar's answer (cell n05-bar-versions): "Keras 3.15.1 (the version
    `requirements.txt` pins) shows each count as the batch log holds it [...] Keras 3.13.2 [...]
    averages them a second time [...] In both, the line printed when the epoch ends equals
    `History`." The installed Keras is held to `behaviours.TESTED` (the test fails on an untested
    version whose bar does neither)."""
    x, y = train
    history, bar, logs = fit_showing_bar(_model("counts"), x, y, epochs=1, batch_size=batch_size, shuffle=False)
    assert [line.step for line in bar["live"]] == list(range(1, len(batch_slices(len(y), batch_size)) + 1))
    for key in COUNT_NAMES:
        outcome = behaviours.classify_live_bar([line.values[key] for line in bar["live"]], [r[key] for r in logs])
        if len(logs) > 1 and any(r[key] != logs[0][key] for r in logs):  # a bar that never moves fits both readings
            assert behaviours.observe("live_bar", outcome, keras.__version__).tested
            assert outcome == behaviours.TESTED[keras.__version__]["live_bar"]
        assert bar["final"][0].values[key] == history.history[key][0]


@FEW
@given(training_data(min_size=2, max_size=50), st.integers(1, 20))
def test_for_a_list_of_thresholds_the_bar_shows_their_mean(train, batch_size):
    """05, cell n05-bar-more: "for a metric built with a list of thresholds it shows their mean
    (tensorflow issue #49161)". Held on the bar's final line, which shows the epoch's logs (the
    live lines of 3.13.2 average those means again, as the lesson says)."""
    x, y = train
    history, bar, _ = fit_showing_bar(_model("list"), x, y, epochs=1, batch_size=batch_size, shuffle=False)
    counts = np.asarray(history.history["tps"][0], dtype=np.float64)
    assert counts.shape == (3,)
    assert abs(bar["final"][0].values["tps"] - counts.mean()) < 6e-5  # the bar prints 4 decimals


@functools.cache
def _function_metric_model():
    return passthrough_model([batch_fnr, StreamingFNR(name="streaming_fnr"), keras.metrics.Recall(name="recall")])


@FEW
@given(binary_samples(min_size=1, max_size=60, weights="integer"), st.integers(1, 25))
def test_a_function_metric_is_a_mean_of_its_per_batch_values_and_streaming_fnr_pools_the_counts(sample, batch_size):
    """05, "A rate metric must keep counts" (cell n05-22): "a plain function passed to
    `compile(metrics=[...])` is wrapped by Keras in a running **mean** of its per-batch values"
    and "`keras_run.StreamingFNR` [...] whose state is two counts, FN and TP, added up batch after
    batch; `result()` divides only at the end" (so it equals the FNR of all the samples, and 1 −
    Keras's `Recall`). Batches of any size, the last one shorter."""
    y_true, y_pred, _ = sample
    y_true = y_true.astype(np.float32)
    logs = _function_metric_model().evaluate(
        y_pred[:, None], y_true[:, None], batch_size=batch_size, verbose=0, return_dict=True
    )
    per_batch = [float(batch_fnr(y_true[s], y_pred[s])) for s in batch_slices(len(y_true), batch_size)]
    assert (
        abs(logs["batch_fnr"] - float(np.mean(per_batch))) < 1e-6
    )  # the mean of the batches' values, each batch alike
    pooled = numpy_counts(y_true, y_pred)
    if pooled.actual_positives:
        assert logs["streaming_fnr"] == np.float32(pooled.fn) / np.float32(pooled.fn + pooled.tp)
        assert abs(logs["streaming_fnr"] - (1 - logs["recall"])) < 1e-6
    else:
        assert np.isnan(logs["streaming_fnr"]) and logs["recall"] == 0.0


@FEW
@given(training_data(min_size=1, max_size=60), st.integers(1, 40), st.data())
def test_with_sample_weight_only_weighted_metrics_counts_use_the_weights(train, batch_size, data):
    """05, `metrics=` or `weighted_metrics=` (cell n05-32): "The counts in `metrics=` ignore
    `sample_weight` entirely; those in `weighted_metrics=` sum the weights" (and the takeaway
    "With `sample_weight` in `fit`, only `weighted_metrics=` counts use the weights"). Integer and
    fractional weights; the model's learning rate is 0 so that NumPy can count the same scores."""
    from strategies import sample_weights

    x, y = train
    w = data.draw(sample_weights(len(y), "any").filter(lambda v: v is not None))
    w = np.asarray(w, dtype=np.float32)
    model = _model("frozen_weighted")
    history = model.fit(x, y, sample_weight=w, epochs=1, batch_size=batch_size, shuffle=False, verbose=0)
    scores = model.predict(x, verbose=0)
    plain, weighted = numpy_counts(y, scores), numpy_counts(y, scores, sample_weight=w)
    assert [history.history[k][0] for k in COUNT_NAMES] == [plain.tp, plain.fp, plain.tn, plain.fn]
    for key in COUNT_NAMES:  # sums of float32 weights, added batch after batch in float32
        got, exact = history.history["weighted_" + key][0], getattr(weighted, key)
        assert abs(got - exact) <= 1e-5 * max(1.0, exact)
        if np.all(w == np.round(w)):
            assert got == exact


@functools.cache
def _recall():
    return keras.metrics.Recall(thresholds=0.5)


@FEW
@given(binary_samples(min_size=1, max_size=60), st.integers(1, 25))
def test_a_recall_fed_in_batches_is_the_recall_of_all_the_samples(sample, batch_size):
    """Exercise 05, after Exercise 4: "The metric keeps TP and FN across calls and divides once, so
    the result is the recall of all 200 samples." Any batch size, weights of any kind: the
    result is the recall of the data fed in one call."""
    y_true, y_pred, w = sample
    metric = _recall()
    metric.reset_state()
    for s in batch_slices(len(y_true), batch_size):
        metric.update_state(y_true[s], y_pred[s], sample_weight=None if w is None else w[s])
    batched = float(metric.result())
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=w)
    whole = float(metric.result())
    exact = numpy_counts(y_true, y_pred, sample_weight=w)
    if w is None or np.all(w == np.round(w)):
        assert batched == whole
        expected = np.float32(exact.tp) / np.float32(exact.tp + exact.fn) if exact.tp + exact.fn else 0.0
        assert batched == expected
    else:
        assert abs(batched - whole) <= 1e-5


@functools.cache
def _loss_model():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
    model.compile(loss="mse", metrics=[])
    return model


@FEW
@given(binary_samples(min_size=1, max_size=60, weights=None), st.integers(1, 25))
def test_the_logged_loss_is_a_mean_over_the_samples_not_a_count(sample, batch_size):
    """05, after the first fit (cell n05-08): "`loss` and `val_loss` are [...] a mean over the
    epoch's samples: not a count". Held on a model whose prediction is its input (loss: mean
    squared error), for batches of any size, the last one shorter: the logged loss is the mean
    over the samples, each sample alike (not a mean of the batches' means)."""
    y_true, y_pred, _ = sample
    logs = _loss_model().evaluate(
        y_pred[:, None], y_true[:, None].astype(np.float32), batch_size=batch_size, verbose=0, return_dict=True
    )
    errors = (y_pred.astype(np.float64) - y_true) ** 2
    assert abs(logs["loss"] - errors.mean()) <= 1e-6


@functools.cache
def _streaming():
    return StreamingFNR(name="streaming_fnr_alone")


@SLOW_PROPERTY
@given(binary_samples(min_size=1, max_size=60), st.integers(1, 25))
def test_streaming_fnr_after_any_number_of_batches_is_keras_counts_divided_by_hand(sample, batch_size):
    """`keras_run.StreamingFNR`'s docstring (the metric lesson 05 teaches): "after any number of
    batches the value is the rate of all the samples seen, the same as dividing
    `cmlearn.keras_counts` by hand: to the last bit without weights or with whole-number weights
    [...] and up to float32 rounding with fractional ones"."""
    from cmlearn import keras_counts

    y_true, y_pred, w = sample
    metric = _streaming()
    metric.reset_state()
    for s in batch_slices(len(y_true), batch_size):
        metric.update_state(y_true[s], y_pred[s], sample_weight=None if w is None else w[s])
        seen = slice(0, s.stop)
        counts = keras_counts(y_true[seen], y_pred[seen], sample_weight=None if w is None else w[seen])
        got = float(metric.result())
        if counts.fn + counts.tp == 0:
            assert np.isnan(got)
        elif w is None or np.all(w == np.round(w)):
            assert got == np.float32(counts.fn) / np.float32(counts.fn + counts.tp)
        else:
            assert abs(got - counts.fn / (counts.fn + counts.tp)) <= 1e-5
