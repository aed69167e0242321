"""The general sentences of lesson 06 (weights, batches, replicas) and of exercise 06, each held on random data.

Every test is named for its sentence and quotes it. Metric objects are built
once per test and emptied with ``reset_state()`` between examples. The
replica sentences need two logical CPU devices, which TensorFlow allows only
before it starts, so they run (hypothesis included) in a fresh process.
"""

import functools
import json
import os
import pathlib
import subprocess
import sys
import textwrap
from itertools import pairwise

import numpy as np
import pytest
import tf_keras
from hypothesis import given
from hypothesis import strategies as st
from notebook_runner import INSTALLED
from strategies import PROPERTY, SLOW_PROPERTY, binary_samples, scores

import cmlearn
from cmlearn import behaviours, numpy_counts
from cmlearn.counts import KERAS_METRIC_NAMES
from cmlearn.keras_run import merge_counts, sum_states
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.streaming import StreamingFNR

keras = import_keras()
REPO = pathlib.Path(__file__).resolve().parent.parent
CLASSES = tuple(KERAS_METRIC_NAMES.values())


@functools.cache
def _metric(cls, thresholds=0.5, copy=0):
    """One metric object per class, thresholds (a tuple for a list) and copy number, reused."""
    return getattr(keras.metrics, cls)(thresholds=list(thresholds) if isinstance(thresholds, tuple) else thresholds)


def _result(metric):
    return np.array(keras.ops.convert_to_numpy(metric.result()), dtype=np.float32, copy=True)


def _run(cls, y_true, y_pred, sample_weight=None, thresholds=0.5):
    metric = _metric(cls, thresholds)
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=sample_weight)
    return _result(metric)


def _float32_slack(weights):
    """How far a float32 sum of these weights may stray from their exact sum."""
    w = np.abs(np.asarray(weights, dtype=np.float64))
    return len(w) * float(np.finfo(np.float32).eps) * float(w.sum()) + 1e-30


@st.composite
def split_points(draw, n, max_parts=5):
    """Sorted cut points that split range(n) into consecutive parts (some may be empty)."""
    cuts = draw(st.lists(st.integers(0, n), min_size=0, max_size=max_parts - 1))
    return [0, *sorted(cuts), n]


@PROPERTY
@given(binary_samples(weights="any"))
def test_a_count_is_the_sum_of_the_weights_of_its_samples(sample):
    """06, "A count is a sum of weights" (cell n06-05): "With `sample_weight`, every sample adds its
    weight, not 1, to the count it falls in" (and exercise 06: "Each missed positive adds its
    weight", "A weighted count is a sum of weights, so it need not be a whole number"). Whole-number
    weights give the exact sum; fractional ones the sum up to float32 rounding."""
    y_true, y_pred, w = sample
    exact = numpy_counts(y_true, y_pred, sample_weight=w)
    for key, cls in KERAS_METRIC_NAMES.items():
        got = float(_run(cls, y_true, y_pred, w))
        if w is None or np.all(w == np.round(w)):
            assert got == getattr(exact, key)
        else:
            assert abs(got - getattr(exact, key)) <= _float32_slack(w)


@PROPERTY
@given(
    binary_samples(weights="any"), st.lists(st.tuples(st.integers(0, 1), scores()), min_size=1, max_size=10), st.data()
)
def test_weight_zero_masks_a_sample(sample, masked, data):
    """06, answer in cell n06-08: "The last sample has weight 0, so it is in no count at all [...]:
    weight 0 masks a sample." Samples of weight 0, inserted anywhere, change no count: exactly for
    whole-number weights, up to float32 rounding for fractional ones (the sum's order changes)."""
    y_true, y_pred, w = sample
    w = np.ones(len(y_true), np.float32) if w is None else w
    positions = data.draw(st.lists(st.integers(0, len(y_true)), min_size=len(masked), max_size=len(masked)))
    y2, p2, w2 = list(y_true), list(y_pred), list(w)
    for (label, score), at in zip(masked, positions, strict=True):
        y2.insert(at, label), p2.insert(at, score), w2.insert(at, 0.0)
    y2, p2, w2 = np.array(y2), np.array(p2, np.float32), np.array(w2, np.float32)
    for cls in CLASSES:
        without, with_masked = float(_run(cls, y_true, y_pred, w)), float(_run(cls, y2, p2, w2))
        if np.all(w == np.round(w)):
            assert with_masked == without
        else:
            assert abs(with_masked - without) <= 2 * _float32_slack(w)


@PROPERTY
@given(binary_samples(weights="integer"), st.data())
def test_state_adds_up_across_update_state_calls_until_reset_state(sample, data):
    """06, "State adds up until you reset it" (cell n06-08d-b): "Each `update_state` adds to it;
    `reset_state` sets it back to zero." (Also the hint "A Keras count adds up every sample passed
    to update_state, batch after batch, until reset_state()".) Batches of random sizes, empty ones
    included; integer weights, so every running count is exact."""
    y_true, y_pred, w = sample
    cuts = data.draw(split_points(len(y_true)))
    for key, cls in KERAS_METRIC_NAMES.items():
        metric = _metric(cls)
        metric.reset_state()
        for a, b in pairwise(cuts):
            metric.update_state(y_true[a:b], y_pred[a:b], sample_weight=None if w is None else w[a:b])
            so_far = numpy_counts(y_true[:b], y_pred[:b], sample_weight=None if w is None else w[:b]) if b else None
            assert float(_result(metric)) == (getattr(so_far, key) if b else 0.0)
        metric.reset_state()
        assert float(_result(metric)) == 0.0


@SLOW_PROPERTY
@given(
    binary_samples(min_size=2, weights="any"),
    st.data(),
    st.sampled_from(CLASSES),
    st.sampled_from([0.5, 0.3, (0.2, 0.5, 0.9)]),
)
def test_merge_counts_holds_the_sums_of_the_parts_and_they_add_up_to_the_whole(sample, data, cls, thresholds):
    """06, "Merging counts kept apart" (cells n06-11, n06-14): "The whole data set's count is the
    sum of the parts" and "merging is adding the variables: `keras_run.merge_counts(metrics)`
    builds a new metric of the same class holding the sums" (takeaway: "the parts add up to the
    whole"; exercise 06: "Counts from parts add up", "a merge of counts is a sum"). The merged
    result is the float32 sum of the parts', to the last bit; it equals the whole data's count
    exactly for whole-number weights (up to float32 rounding for fractional ones)."""
    y_true, y_pred, w = sample
    cuts = data.draw(split_points(len(y_true), max_parts=4))
    parts = []
    for i, (a, b) in enumerate(pairwise(cuts)):
        metric = _metric(cls, thresholds, copy=i + 1)
        metric.reset_state()
        metric.update_state(y_true[a:b], y_pred[a:b], sample_weight=None if w is None else w[a:b])
        parts.append(metric)
    merged = merge_counts(parts)
    assert type(merged) is type(parts[0])
    part_sum = functools.reduce(np.add, [_result(p) for p in parts])
    assert _result(merged).tolist() == part_sum.tolist()
    whole = _run(cls, y_true, y_pred, w, thresholds=thresholds)
    if w is None or np.all(w == np.round(w)):
        assert _result(merged).tolist() == whole.tolist()
    else:
        assert np.all(np.abs(_result(merged) - whole) <= 2 * _float32_slack(w))


def test_merge_counts_refuses_a_metric_whose_variables_are_not_sums():
    """06, cell n06-14: "`keras_run.merge_counts(metrics)` [...] (and refuses metrics whose
    variables are not sums)"; a metric whose variables are all sums (`StreamingFNR`) merges."""

    class LastValue(keras.metrics.Metric):
        def __init__(self, name="last", **kwargs):
            super().__init__(name=name, **kwargs)
            self.value = self.add_variable(shape=(), initializer="zeros", name="value", aggregation="mean")

        def update_state(self, values):
            self.value.assign(keras.ops.mean(values))

        def result(self):
            return self.value

    with pytest.raises(ValueError, match="aggregation 'mean'"):
        merge_counts([LastValue(), LastValue()])
    a, b = StreamingFNR(), StreamingFNR()
    a.update_state([1, 1], [0.9, 0.2])
    b.update_state([1, 1, 1], [0.1, 0.3, 0.8])
    assert float(merge_counts([a, b]).result()) == np.float32(3 / 5)  # FN 1 + 2, TP 1 + 1


@SLOW_PROPERTY
@given(binary_samples(min_size=2, weights="integer"), st.data(), st.sampled_from(CLASSES))
def test_stateless_states_counted_on_separate_parts_add_up_the_same_way(sample, data, cls):
    """06, cell n06-17: "States counted on separate parts add up the same way; `keras_run.sum_states`
    adds them variable by variable", and the object itself is never touched."""
    y_true, y_pred, w = sample
    cuts = data.draw(split_points(len(y_true), max_parts=4))
    metric = _metric(cls)
    metric.reset_state()
    start = [v.value for v in metric.variables]
    states = [
        metric.stateless_update_state(start, y_true[a:b], y_pred[a:b], sample_weight=None if w is None else w[a:b])
        for a, b in pairwise(cuts)
    ]
    summed = float(keras.ops.convert_to_numpy(metric.stateless_result(sum_states(states))))
    assert summed == getattr(numpy_counts(y_true, y_pred, sample_weight=w), cls_key(cls))
    assert float(_result(metric)) == 0.0


def cls_key(cls):
    return {v: k for k, v in KERAS_METRIC_NAMES.items()}[cls]


@SLOW_PROPERTY
@given(
    binary_samples(min_size=1, max_size=20, weights="integer"),
    st.lists(st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9]), min_size=2, max_size=4, unique=True),
)
def test_stateless_result_of_a_list_metric_does_what_the_table_says_for_this_keras(sample, thresholds):
    """06, cell n06-stateless-trap: "for a metric built with a *list* of thresholds,
    `stateless_result` in the Keras versions tested here hands back the metric's own variable
    instead of the state you passed" (3.13.2 and 3.15.1). The installed Keras is held to
    `behaviours.TESTED`."""
    y_true, y_pred, w = sample
    metric = _metric("TruePositives", tuple(thresholds))
    metric.reset_state()
    state = metric.stateless_update_state([v.value for v in metric.variables], y_true, y_pred, sample_weight=w)
    returned = metric.stateless_result(state)
    if np.asarray(state[0]).tolist() != np.asarray(metric.variables[0].value).tolist():  # else nothing tells them apart
        outcome = behaviours.classify_stateless_result(returned, state[0], metric.variables[0].value)
        assert outcome == behaviours.TESTED[keras.__version__]["stateless_result"]


def _every_metric():
    """One object of every built-in metric class that needs no arguments, built (updated once)."""
    out = []
    for name in sorted(dir(keras.metrics)):
        cls = getattr(keras.metrics, name)
        if not (isinstance(cls, type) and issubclass(cls, keras.metrics.Metric)) or cls is keras.metrics.Metric:
            continue
        try:
            metric = cls()
        except TypeError:
            continue  # needs arguments (IoU, AtSensitivity, ...)
        out.append(metric)
    out += [keras.metrics.SensitivityAtSpecificity(0.5), keras.metrics.PrecisionAtRecall(0.5), StreamingFNR()]
    return out


def test_keras_creates_every_metric_variable_with_aggregation_sum():
    """06, "Replicas" (cell n06-20): "Keras creates every metric variable with `aggregation="sum"`,
    so reading the metric adds the replicas' shares" (and exercise 06: "Keras creates metric
    variables with aggregation="sum""; the hint of check_merged_count). Every built-in metric that
    builds without arguments, F1Score after its first update."""
    metrics = _every_metric()
    assert len(metrics) > 30
    for metric in metrics:
        if not metric.variables:  # built on first use (F1Score, FBetaScore)
            try:
                metric.update_state(np.float32([[1, 0], [0, 1]]), np.float32([[0.8, 0.2], [0.3, 0.7]]))
            except Exception:
                continue
        assert metric.variables, type(metric).__name__
        assert {v.aggregation for v in metric.variables} == {"sum"}, type(metric).__name__


@PROPERTY
@given(
    st.lists(st.integers(0, 1), min_size=1, max_size=20),
    st.data(),
)
def test_keras_3_and_tf_keras_accept_a_score_outside_0_1_and_cmlearn_refuses_it(labels, data):
    """06, "Keras 2 habits" (cell n06-26b): "Both Keras 3 and today's `tf_keras` accept a score of
    2.5; cmlearn refuses it", and "the count metrics compare them with 0.5 without a word". Any
    finite score outside [0, 1] (logits, percentages) among ordinary ones."""
    n = len(labels)
    outside = st.floats(1.0, 1e6, exclude_min=True, width=32) | st.floats(-1e6, 0.0, exclude_max=True, width=32)
    y_pred = np.array(
        data.draw(
            st.lists(outside | scores(), min_size=n, max_size=n).filter(lambda s: any(v < 0 or v > 1 for v in s))
        ),
        np.float32,
    )
    y_true = np.array(labels, np.float32)
    expected = float(np.sum((y_true == 1) & (y_pred > np.float32(0.5))))
    k3 = _metric("TruePositives")
    k3.reset_state()
    k3.update_state(y_true, y_pred)
    k2 = _tf_keras_tp()
    k2.reset_state()
    k2.update_state(y_true, y_pred)
    assert float(_result(k3)) == float(k2.result()) == expected
    with pytest.raises(ValueError, match="y_pred"):
        cmlearn.keras_counts(y_true, y_pred)


@functools.cache
def _tf_keras_tp():
    return tf_keras.metrics.TruePositives()


@SLOW_PROPERTY
@given(binary_samples(min_size=2, weights="integer"), st.data())
def test_tf_keras_merge_state_gives_the_sum_of_the_keras_3_results(sample, data):
    """Exercise 06, after Exercise 5: "Same count as adding the two Keras 3 results by hand: a merge
    of counts is a sum." (Keras 2's `merge_state`, kept by tf_keras, against Keras 3's parts.)"""
    y_true, y_pred, w = sample
    cut = data.draw(st.integers(0, len(y_true)))
    halves = [slice(0, cut), slice(cut, len(y_true))]
    k2 = [tf_keras.metrics.TruePositives() for _ in halves]
    keras3 = 0.0
    for metric, rows in zip(k2, halves, strict=True):
        part_w = None if w is None else w[rows]
        metric.update_state(y_true[rows], y_pred[rows], sample_weight=part_w)
        keras3 += float(_run("TruePositives", y_true[rows], y_pred[rows], part_w))
    k2[0].merge_state([k2[1]])
    assert float(k2[0].result()) == keras3 == numpy_counts(y_true, y_pred, sample_weight=w).tp


@PROPERTY
@given(binary_samples(min_size=1, weights="integer"), st.sampled_from([(5.0, 1.0), (2.5, 1.0), (3.0, 0.5)]))
def test_with_class_weights_only_the_positives_counts_scale_and_prevalence_is_their_weight_share(sample, class_w):
    """06, answer in cell n06-08d: "With weights on, only the positives' counts (TP and FN) are five
    times larger; FP and TN are the same as without weights [...] a weighted total is a sum of
    weights, not a number of samples [...] its prevalence [...] is the positives' share of the
    total weight". Held for any data and for other class weights too (negatives weighing 1)."""
    y_true, y_pred, _ = sample
    positive, negative = class_w
    weights = cmlearn.data.class_weights(y_true, positive=positive, negative=negative)
    weighted, plain = cmlearn.keras_counts(y_true, y_pred, sample_weight=weights), cmlearn.keras_counts(y_true, y_pred)
    assert (weighted.tp, weighted.fn) == (positive * plain.tp, positive * plain.fn)
    assert (weighted.fp, weighted.tn) == (negative * plain.fp, negative * plain.tn)
    assert weighted.total == float(np.sum(weights, dtype=np.float64))
    share = positive * y_true.sum() / (positive * y_true.sum() + negative * (len(y_true) - y_true.sum()))
    assert abs(cmlearn.rates(weighted).prevalence - share) < 1e-12


REPLICA_SCRIPT = textwrap.dedent(
    """
    import json
    import numpy as np
    from hypothesis import given, settings, strategies as st
    import cmlearn
    cmlearn.notebook_setup(verbose=False)
    from cmlearn import behaviours, keras_run
    from cmlearn.keras_run.distributed import distributed_counts, per_replica_counts, two_cpu_strategy

    strategy = two_cpu_strategy()
    keras = keras_run.import_keras()
    names = ("tp", "fp", "tn", "fn")
    with strategy.scope():
        model = keras_run.logistic_model(3, metrics=keras_run.make_count_metrics(), learning_rate=0.3)
    seen = {"examples": 0, "outcomes": set()}

    def sizes(most):  # an even first batch: batch_size even, at least one full batch (the last may be odd)
        return st.integers(1, 32).flatmap(lambda k: st.tuples(st.integers(2 * k, max(2 * k, most)), st.just(2 * k)))

    @settings(max_examples=5, deadline=None, database=None)
    @given(sizes(300), st.integers(0, 2**16), st.sampled_from([0.3, 0.5, 0.7]))
    def evaluate_is_global_and_the_shares_add_up(size, seed, threshold):
        n, batch_size = size
        y_true, y_pred = cmlearn.data.make_scores(n_samples=n, prevalence=0.3, seed=seed)
        whole = cmlearn.keras_counts(y_true, y_pred, thresholds=threshold)
        global_counts = distributed_counts(strategy, y_true, y_pred, threshold=threshold, batch_size=batch_size)
        shares = per_replica_counts(strategy, y_true, y_pred, threshold=threshold, batch_size=batch_size)
        assert global_counts.matrix.tolist() == whole.matrix.tolist(), (global_counts, whole)
        assert (shares[0].matrix + shares[1].matrix).tolist() == whole.matrix.tolist(), (shares, whole)

    @settings(max_examples=5, deadline=None, database=None)
    @given(sizes(120), st.integers(0, 2**16))
    def batch_logs_hold_half_and_the_final_lines_are_global(size, seed):
        n, batch_size = size
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(n, 3)).astype("float32")
        y = (x[:, 0] + rng.normal(size=n) > 0).astype("int32")
        history, bar, logs = keras_run.fit_showing_bar(model, x, y, epochs=1, batch_size=batch_size, shuffle=False)
        last = logs[-1]
        outcome = behaviours.classify_replica_logs(last["tp"] + last["tn"] + last["fp"] + last["fn"], float(n), 2)
        seen["outcomes"].add(outcome)
        assert outcome == behaviours.TESTED[keras.__version__]["replica_batch_logs"], (outcome, last, n)
        if outcome == "per replica":
            assert all(2 * last[k] == history.history[k][0] for k in names), (last, history.history)
            assert all(line.values["tp"] <= last["tp"] + 6e-5 for line in bar["live"]), bar["live"]
        assert all(bar["final"][0].values[k] == history.history[k][0] for k in names), (bar["final"], history.history)
        history_2, bar_2, _ = keras_run.fit_showing_bar(
            model, x, y, epochs=1, batch_size=batch_size, shuffle=False, verbose=2
        )
        assert all(bar_2["final"][0].values[k] == history_2.history[k][0] for k in names) and not bar_2["live"]
        seen["examples"] += 1

    evaluate_is_global_and_the_shares_add_up()
    batch_logs_hold_half_and_the_final_lines_are_global()
    print(json.dumps({"examples": seen["examples"], "outcomes": sorted(seen["outcomes"])}))
    """
)


def test_under_mirrored_strategy_evaluate_is_global_and_keras_3_batch_logs_hold_half():
    """06, "Replicas" and "Where Keras 3 still shows a replica's view" (cells n06-23, n06-26):
    "`evaluate` reports the counts of all 1,000 samples, equal to `keras_counts` on the whole set;
    the two replicas' shares add up to it"; "In Keras 3.13.2 and 3.15.1 the batch log shows
    exactly half of every count [...] The bar shows the same halves while the epoch runs [...] but
    its final line and the `verbose=2` line show the global counts, equal to `History`." Random
    sizes, even batch sizes (a last batch of odd size splits unevenly between the replicas) and
    thresholds, in a fresh process with two logical CPUs; the installed Keras is held to
    `behaviours.TESTED`. (An odd first batch, from an odd `batch_size` or from fewer samples than
    `batch_size`, makes Keras 3.15.1's `fit` and `evaluate` fail under this strategy with an `AddN`
    shape error, so the sizes drawn start with a full, even batch; the lessons use 64.)"""
    done = subprocess.run(
        [sys.executable, "-c", REPLICA_SCRIPT], capture_output=True, text=True, cwd=None if INSTALLED else REPO,
        timeout=300, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["examples"] == 5 and result["outcomes"] == [
        behaviours.TESTED[keras.__version__]["replica_batch_logs"]
    ]
