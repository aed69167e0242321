"""The general sentences of the exercises' checks and hints (cmlearn/checks/), each held on random data.

Every test is named for its sentence and quotes it, with the check it stands
in. The hints about Keras are held against real ``keras.metrics`` objects,
those about scikit-learn against scikit-learn. (The lesson 07/08 graders'
sentences are held in those lessons' claims files.)
"""

import contextlib
import functools
import io
import subprocess
import sys
import textwrap

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from notebook_runner import INSTALLED, REPO
from strategies import GRID, PROPERTY, SLOW_PROPERTY, binary_samples, thresholds

from cmlearn import checks, numpy_counts, rates
from cmlearn.checks.base import rate_key
from cmlearn.counts import KERAS_METRIC_NAMES
from cmlearn.keras_run.backend import import_keras

# Keras is imported only when a test runs it: the TensorFlow-free test below imports this module.


@functools.cache
def _metric(cls, thresholds=0.5):
    keras = import_keras()
    return getattr(keras.metrics, cls)(thresholds=list(thresholds) if isinstance(thresholds, tuple) else thresholds)


def _keras(cls, y_true, y_pred, sample_weight=None, thresholds=0.5):
    metric = _metric(cls, thresholds)
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=sample_weight)
    return np.array(import_keras().ops.convert_to_numpy(metric.result()), dtype=np.float32, copy=True)


def _predicted(y_pred, threshold):
    """0/1 predictions as TensorFlow makes them on the CPU: in float32, a subnormal score read as 0."""
    flushed = np.where(np.abs(y_pred) < np.finfo(np.float32).tiny, np.float32(0), np.float32(y_pred))
    return (flushed > np.float32(threshold)).astype(int)


def _quiet(call, *args, **kwargs):
    """(return value, printed text) of a check."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        value = call(*args, **kwargs)
    return value, out.getvalue()


# ------------------------------------------------------- what a check does


class _Odd:
    def __float__(self):
        raise RuntimeError("no number here")

    def __len__(self):
        raise RuntimeError("no length")


# Evaluated, this string would leave a mark on builtins (and still read as the number 1).
_TRAP = "__import__('builtins').__dict__.setdefault('CMLEARN_ANSWER_EVALUATED', 1)"

answers = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=8),
    st.just(_TRAP),
    st.just("3"),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.complex_numbers(max_magnitude=10),
    st.lists(st.floats(-5, 5), max_size=4),
    st.lists(st.lists(st.floats(0, 5), min_size=1, max_size=3), min_size=1, max_size=3),
    st.dictionaries(st.sampled_from(["tp", "fp", "tn", "fn", "x"]), st.floats(0, 5), max_size=4),
    st.sets(st.integers(0, 3), max_size=3),
    st.builds(_Odd),
    st.builds(object),
)


def _every_check(answer):
    """Call every check once with ``answer`` on small data; yield each return value."""
    y, p = [0, 1, 1, 0, 1], [0.2, 0.9, 0.5, 0.7, 0.3]
    yy, pp = [[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.4, 0.6], [0.7, 0.3]]
    history = {"fn": [3.0, 2.0], "val_fn": [1.0, 1.0], "tp": [2.0, 3.0], "val_tp": [1.0, 1.0]}
    from cmlearn.counts import Counts

    sweep = Counts(
        np.float32([3, 2, 0]),
        np.float32([2, 1, 0]),
        np.float32([0, 1, 2]),
        np.float32([0, 1, 3]),
        np.array([0, 0.5, 1]),
    )
    yield checks.check_count("fn", answer, y, p)
    yield checks.check_count("tp", answer, y, p, [0.3, 0.6])
    yield checks.check_counts(answer, y, p)
    yield checks.check_matrix(answer, y, p)
    yield checks.check_rate("fnr", answer, y_true=y, y_pred=p)
    yield checks.check_pooled_rate("recall", answer, y, p, batch_size=2)
    yield checks.check_pooled_recall(answer, y, p, batch_size=2)
    yield checks.check_threshold_by_cost(answer, y, p, [0.2, 0.5], cost_fp=1, cost_fn=5)
    yield checks.check_highest_threshold("recall", answer, y, p, [0.2, 0.5, 0.7])
    yield checks.check_merged_count("tp", answer, [(y[:2], p[:2]), (y[2:], p[2:])])
    yield checks.check_flattened_count("tn", answer, yy, pp)
    yield checks.check_column_count("tn", answer, yy, pp, column=1)
    yield checks.check_keras_auc(answer, y, p, num_thresholds=3)
    yield checks.check_at_metric("sensitivity_at_specificity", answer, sweep, 0.5)
    yield checks.check_history_count("fn", answer, history, [1, 1], [0.2, 0.9])


@PROPERTY
@given(answers)
def test_a_check_never_raises_whatever_the_answer_and_never_evaluates_a_learners_strings(answer):
    """checks/__init__.py, module docstring: "A check never raises, whatever the answer (`None`, text, arrays
    of the wrong shape, objects of any kind), and never evaluates a learner's strings." Every
    check, with answers of every kind, among them a string that records it if evaluated."""
    import builtins

    verdicts, printed = _quiet(lambda: list(_every_check(answer)))
    assert len(verdicts) == 15 and all(isinstance(v, checks.Verdict) for v in verdicts)
    assert printed.count("\n") == 15  # each check printed its one line
    assert not hasattr(builtins, "CMLEARN_ANSWER_EVALUATED")


def test_no_check_imports_tensorflow():
    """checks/__init__.py, module docstring: "No check imports TensorFlow." Every check runs in a fresh
    process, right and wrong answers alike, and neither TensorFlow nor Keras gets imported."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(REPO / "tests")!r})
        import test_claims_hints as t
        for answer in (None, 1, 0.5, "x", [[1, 1], [1, 1]], {{"tp": 1}}):
            list(t._every_check(answer))
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "tf_keras"))
        print("LOADED", loaded)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=None if INSTALLED else REPO, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "LOADED []" in done.stdout, done.stdout[-2000:]


# --------------------------------------------------------- hints about Keras


@PROPERTY
@given(binary_samples(weights="any", subnormal=True), st.sampled_from(GRID))
def test_keras_counts_a_score_equal_to_the_threshold_as_negative_and_never_divides(sample, threshold):
    """The count hints (check_count, check_counts, check_matrix, check_highest_threshold): "Keras
    uses a strict y_pred > threshold, so a score exactly on the threshold is a negative
    prediction", "a prediction is positive iff y_pred > threshold", "Keras's FalseNegatives returns
    a count, not a fraction", "Keras's count metrics never divide". Scores on the grid thresholds,
    a float32 step either side, subnormal scores, weights of every kind; the check's own reference
    must pass. (Compared as TensorFlow compares on the CPU: in float32, a subnormal score read as 0,
    so 1e-45 is not > 0.)"""
    y_true, y_pred, w = sample
    expected = numpy_counts(y_true, y_pred, threshold, w)  # strict >, compared in float32
    for key, cls in KERAS_METRIC_NAMES.items():
        got = float(_keras(cls, y_true, y_pred, w, threshold))
        positive_pred = _predicted(y_pred, threshold) == 1
        label = {"tp": (1, True), "fp": (0, True), "tn": (0, False), "fn": (1, False)}[key]
        mask = (y_true == label[0]) & (positive_pred == label[1])
        exact = float(np.sum(np.where(mask, 1.0 if w is None else w.astype(np.float64), 0.0)))
        if w is None or np.all(w == np.round(w)):
            assert got == exact == getattr(expected, key)  # a count: not divided by anything
        else:
            assert abs(got - exact) <= len(w) * 2**-23 * float(np.abs(w).sum()) + 1e-30
        verdict, _ = _quiet(checks.check_count, key, got, y_true, y_pred, threshold, w)
        assert verdict


@PROPERTY
@given(binary_samples(min_size=1, max_size=80))
def test_without_sample_weights_a_keras_count_is_a_whole_number(sample):
    """check_count's hint: "without sample weights a count is a whole number"."""
    y_true, y_pred, _ = sample
    for cls in KERAS_METRIC_NAMES.values():
        got = float(_keras(cls, y_true, y_pred))
        assert got == round(got)


@PROPERTY
@given(binary_samples(weights="integer"), thresholds())
def test_keras_returns_one_value_per_threshold_in_the_order_given(sample, ts):
    """check_count's hint for a sweep: "Keras returns one value per threshold, in the order
    given." Any list of thresholds (unsorted, repeated, grid values and near-ties); each entry is
    the count at that threshold."""
    y_true, y_pred, w = sample
    expected = numpy_counts(y_true, y_pred, ts, w)
    for key, cls in KERAS_METRIC_NAMES.items():
        got = (
            _keras(cls, y_true, y_pred, w, tuple(ts))
            if len(ts) > 1
            else np.atleast_1d(_keras(cls, y_true, y_pred, w, ts[0]))
        )
        assert got.shape == (len(ts),)
        assert got.tolist() == np.atleast_1d(getattr(expected, key)).tolist()


@PROPERTY
@given(binary_samples(min_size=1, weights="integer"), st.sampled_from(GRID), st.sampled_from(["precision", "recall"]))
def test_keras_precision_and_recall_show_0_for_an_undefined_0_over_0(sample, threshold, which):
    """check_rate's hint for an undefined rate: "Keras's Precision and Recall show 0.0 in this
    case, which hides it." Data with no predicted positive (precision) or no actual positive
    (recall), any threshold."""
    y_true, y_pred, w = sample
    if which == "precision":
        y_pred = np.minimum(y_pred, np.float32(threshold))  # nothing above the threshold
    else:
        y_true = np.zeros_like(y_true)
    cls = "Precision" if which == "precision" else "Recall"
    assert float(_keras(cls, y_true, y_pred, w, threshold)) == 0.0
    rate = rates(numpy_counts(y_true, y_pred, threshold, w))
    assert rate.undefined and np.isnan(rate["precision" if which == "precision" else "tpr"])


# ----------------------------------------------------- hints about the data


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID))
def test_a_confusion_matrix_in_scikit_learns_layout_is_tn_fp_fn_tp(sample, threshold):
    """check_matrix: "Check a 2×2 confusion matrix in scikit-learn's layout `[[TN, FP], [FN, TP]]`.
    Rows are the actual labels, columns the predictions, negative first." Against scikit-learn's
    `confusion_matrix`, weights included."""
    from sklearn.metrics import confusion_matrix

    y_true, y_pred, w = sample
    assume(w is None or np.any(w))  # scikit-learn 1.9.1 refuses all-zero weights
    predicted = _predicted(y_pred, threshold)
    reference = confusion_matrix(y_true, predicted, labels=[0, 1], sample_weight=w)
    verdict, printed = _quiet(checks.check_matrix, reference, y_true, y_pred, threshold, w)
    assert verdict, printed


@PROPERTY
@given(binary_samples(min_size=2, weights="integer"), thresholds(max_size=5))
def test_the_fewest_errors_fp_plus_fn_is_the_best_accuracy(sample, ts):
    """check_threshold_by_cost's hint: "{t} makes the fewest errors (FP + FN), i.e. the best
    accuracy". Against scikit-learn's `accuracy_score` (weighted where weights are given)."""
    from sklearn.metrics import accuracy_score

    y_true, y_pred, w = sample
    sweep = numpy_counts(y_true, y_pred, ts, w)
    errors = np.asarray(sweep.fp, dtype=float) + np.asarray(sweep.fn, dtype=float)
    if float(np.sum(w if w is not None else np.ones(len(y_true)))) == 0:
        return  # all weight 0: accuracy is undefined, no errors either way
    accuracy = [accuracy_score(y_true, _predicted(y_pred, t), sample_weight=w) for t in ts]
    assert set(np.flatnonzero(errors == errors.min())) == set(
        np.flatnonzero(np.isclose(accuracy, max(accuracy), rtol=0, atol=1e-12))
    )


@PROPERTY
@given(
    binary_samples(min_size=2, weights="integer"),
    thresholds(max_size=5),
    st.floats(0.05, 1.0),
    st.sampled_from(["recall", "precision", "tnr"]),
)
def test_a_higher_threshold_that_also_qualifies_predicts_no_more_positives(sample, ts, at_least, rate):
    """check_highest_threshold's hint: "at {t}, {rate} reaches {target}, but a higher threshold
    does too (predicting no more positives). Look for the highest one." Whenever the hint is
    given, the highest qualifying threshold predicts at most as many positives as the answer (as
    many, when no score lies between them: not always fewer)."""
    y_true, y_pred, w = sample
    for answer in ts:
        verdict, printed = _quiet(checks.check_highest_threshold, rate, answer, y_true, y_pred, ts, at_least, w)
        if "but a higher threshold does too" in printed:
            values = np.asarray(rates(numpy_counts(y_true, y_pred, ts, w))[rate_key(rate)], dtype=float)
            highest = max(t for t, v in zip(ts, values, strict=True) if v >= at_least)
            assert highest > answer
            mine = numpy_counts(y_true, y_pred, answer, w).predicted_positives
            theirs = numpy_counts(y_true, y_pred, highest, w).predicted_positives
            if "fewer positive predictions" in printed:  # what the hint said before issue 18
                assert theirs < mine, printed
            assert theirs <= mine


@SLOW_PROPERTY
@given(
    binary_samples(min_size=2, weights="integer"),
    st.integers(1, 10),
    st.sampled_from(["recall", "fnr", "precision", "tnr"]),
)
def test_the_averaging_hint_is_given_only_when_the_mean_of_batch_rates_differs_from_the_pooled_rate(
    sample, batch_size, rate
):
    """check_pooled_rate's hint: "you averaged per-batch values: the mean of per-batch rates is not
    the rate over all the data." Said only where it is true: when a learner's answer is the mean of
    the batches' rates and that mean differs from the pooled rate (when the two coincide, the
    answer passes)."""
    from cmlearn.batch_log import batch_slices

    y_true, y_pred, w = sample
    key = rate_key(rate)
    per_batch = [
        rates(numpy_counts(y_true[s], y_pred[s], sample_weight=None if w is None else w[s]))[key]
        for s in batch_slices(len(y_true), batch_size)
    ]
    pooled = rates(numpy_counts(y_true, y_pred, sample_weight=w))[key]
    for mean in {
        float(np.nanmean(per_batch)) if not np.isnan(per_batch).all() else None,
        float(np.nan_to_num(per_batch).mean()),
    } - {None}:
        verdict, printed = _quiet(checks.check_pooled_rate, rate, mean, y_true, y_pred, batch_size, sample_weight=w)
        if "you averaged per-batch values" in printed:
            assert not verdict and not (abs(mean - pooled) <= checks.RATE_TOLERANCE)
        if abs(mean - pooled) <= checks.RATE_TOLERANCE:
            assert verdict



@PROPERTY
@given(
    binary_samples(min_size=1, max_size=40, weights=None),
    st.lists(st.integers(0, 40), min_size=1, max_size=4),
    st.sampled_from(["tp", "fp", "tn", "fn"]),
)
def test_the_still_changing_weights_hint_is_given_only_when_historys_count_differs_from_the_final_one(
    sample, epochs, key
):
    """check_history_count's hint for the training data: "{answer} is History's tp for the last
    epoch: Keras added it up batch by batch while the weights were still changing, so it is not
    the count with the final weights." Said only when that History entry differs from the count
    on the final scores (when they coincide, the answer passes)."""
    y_true, y_pred, _ = sample
    history = {k: [float(v) for v in epochs] for k in ("tp", "fp", "tn", "fn")}
    history.update({f"val_{k}": [0.0] * len(epochs) for k in ("tp", "fp", "tn", "fn")})
    final = getattr(numpy_counts(y_true, y_pred), key)
    verdict, printed = _quiet(checks.check_history_count, key, history[key][-1], history, y_true, y_pred, prefix="")
    if "while the weights" in printed:
        assert not verdict and history[key][-1] != final
    assert bool(verdict) == (history[key][-1] == final)
