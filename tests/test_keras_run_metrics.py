"""keras_counts, numpy_counts and scikit-learn's confusion_matrix held to each other."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix

import cmlearn
from cmlearn import curves
from cmlearn.counts import disagreements
from cmlearn.data import breast_cancer_split
from cmlearn.keras_run import metrics as keras_run_metrics
from cmlearn.keras_run.backend import import_keras
from cmlearn.keras_run.history import history_counts
from cmlearn.keras_run.metrics import keras_counts_as_given, make_count_metrics, weighted_count_metrics
from cmlearn.keras_run.models import logistic_model

# Scores and thresholds drawn from one small grid, so that ties (a score exactly
# on a threshold) happen often; 0.1 * 3 style float64 values test the float32 cast.
GRID = [0.0, 0.1, 0.2, 0.25, 0.3, 0.1 * 3, 0.5, 0.6, 0.7, 1 / 3, 0.75, 0.9, 1.0]
scores = st.sampled_from(GRID) | st.floats(0, 1, allow_nan=False, width=32)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def samples(draw, weights="integer"):
    n = draw(st.integers(1, 40))
    y_true = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    y_pred = draw(st.lists(scores, min_size=n, max_size=n))
    if weights == "integer":
        w = draw(st.none() | st.lists(st.integers(0, 5), min_size=n, max_size=n))
    else:
        w = draw(st.lists(st.floats(0, 10, allow_nan=False, width=32), min_size=n, max_size=n))
    thresholds = draw(st.lists(st.sampled_from(GRID) | st.floats(0, 1, width=32), min_size=1, max_size=12))
    return np.array(y_true), np.array(y_pred, dtype=np.float64), w, thresholds


def sklearn_counts(y_true, y_pred, threshold, sample_weight=None):
    """scikit-learn counts with Keras's strict `>` written as `>=` the next float32 up."""
    if sample_weight is not None and not np.any(sample_weight):
        return np.zeros(4)  # scikit-learn refuses all-zero weights; every count is then 0
    tiny = np.finfo(np.float32).tiny  # TensorFlow's CPU kernels flush subnormals to 0
    y32 = np.asarray(y_pred, dtype=np.float32)
    y32 = np.where(np.abs(y32) < tiny, np.float32(0), y32)
    t32 = np.float32(threshold) if abs(threshold) >= tiny else np.float32(0)
    above = np.nextafter(t32, np.float32(2))
    y_label = (y32 >= above).astype(int)
    return confusion_matrix(y_true, y_label, labels=[0, 1], sample_weight=sample_weight).ravel()


def as_rows(counts):
    return np.array([counts.tn, counts.fp, counts.fn, counts.tp], dtype=np.float64).reshape(4, -1)


@SETTINGS
@given(samples())
def test_keras_numpy_and_sklearn_agree(data):
    y_true, y_pred, w, thresholds = data
    k = cmlearn.keras_counts(y_true, y_pred, thresholds, sample_weight=w)
    n = cmlearn.numpy_counts(y_true, y_pred, thresholds, sample_weight=w)
    np.testing.assert_array_equal(as_rows(k), as_rows(n))
    for j, t in enumerate(thresholds):
        np.testing.assert_array_equal(as_rows(k)[:, j], sklearn_counts(y_true, y_pred, t, w))


@SETTINGS
@given(samples())
def test_each_sweep_entry_equals_a_one_threshold_metric(data):
    y_true, y_pred, w, thresholds = data
    sweep = cmlearn.keras_counts(y_true, y_pred, thresholds, sample_weight=w)
    keras = import_keras()
    for j, t in enumerate(thresholds):
        for key, cls in cmlearn.counts.KERAS_METRIC_NAMES.items():
            metric = getattr(keras.metrics, cls)(thresholds=float(t))
            metric.update_state(y_true, y_pred.astype(np.float32), sample_weight=w)
            assert getattr(sweep, key)[j] == float(metric.result()), (key, t)


@SETTINGS
@given(samples(weights="fractional"))
def test_fractional_weights_sum_like_keras(data):
    y_true, y_pred, w, thresholds = data
    k = cmlearn.keras_counts(y_true, y_pred, thresholds, sample_weight=w)
    one_by_one = [cmlearn.keras_counts(y_true, y_pred, t, sample_weight=w) for t in thresholds]
    for key in cmlearn.counts.KERAS_METRIC_NAMES:
        np.testing.assert_array_equal(getattr(k, key), [getattr(c, key) for c in one_by_one])
    n = cmlearn.numpy_counts(y_true, y_pred, thresholds, sample_weight=w)
    # Summation order differs between TensorFlow and NumPy: agree to float32 rounding.
    np.testing.assert_allclose(as_rows(k), as_rows(n), rtol=1e-5, atol=1e-4)


def test_one_threshold_gives_python_floats_equal_to_result():
    y_true, y_pred = cmlearn.data.article_example()
    c = cmlearn.keras_counts(y_true, y_pred, 0.5)
    keras = import_keras()
    for key, cls in cmlearn.counts.KERAS_METRIC_NAMES.items():
        value = getattr(c, key)
        assert type(value) is float
        assert value == float(getattr(keras.metrics, cls)(thresholds=0.5)(y_true, y_pred))


@pytest.mark.parametrize("thresholds", [[0.3, 0.5, 0.7], (0.7, 0.3), np.array([0.5, 0.1, 0.9, 0.5])])
def test_several_thresholds_give_arrays_in_the_order_given(thresholds):
    y_true, y_pred = cmlearn.data.make_scores(200, seed=3)
    c = cmlearn.keras_counts(y_true, y_pred, thresholds)
    assert isinstance(c.tp, np.ndarray) and c.tp.dtype == np.float32
    for j, t in enumerate(thresholds):
        assert c.at(j) .tp == cmlearn.keras_counts(y_true, y_pred, float(t)).tp


def test_keras_even_fast_path_disagrees_at_ties_but_keras_counts_does_not():
    """Why keras_counts hands Keras its thresholds in descending order."""
    keras = import_keras()
    rng = np.random.default_rng(0)
    y_pred = np.round(rng.random(5000), 2).astype(np.float32)
    y_true = (rng.random(5000) < 0.4).astype(np.float32)
    grid = np.linspace(0, 1, 101)
    fast = keras.metrics.TruePositives(thresholds=list(grid))
    fast.update_state(y_true, y_pred)
    fast = keras.ops.convert_to_numpy(fast.result())
    one = np.array([cmlearn.numpy_counts(y_true, y_pred, t).tp for t in grid])
    assert (fast != one).any(), "Keras's even-spacing shortcut now agrees at ties: revisit the notes"
    np.testing.assert_array_equal(cmlearn.keras_counts(y_true, y_pred, grid).tp, one)


def test_float32_cast_before_compare():
    # 0.1 * 3 > 0.3 in float64, but both are 0.3f in float32: a negative, as in Keras.
    c = cmlearn.keras_counts([1], [0.1 * 3], thresholds=0.3)
    assert (c.tp, c.fn) == (0.0, 1.0)
    assert cmlearn.numpy_counts([1], [0.1 * 3], thresholds=0.3).fn == 1.0


def test_subnormal_scores_count_as_zero_like_tensorflow():
    y_true, y_pred = [1, 1, 1], [1e-45, 2e-39, 2e-38]  # two subnormal, one normal
    k = cmlearn.keras_counts(y_true, y_pred, thresholds=0.0)
    assert (k.tp, k.fn) == (1.0, 2.0)
    assert cmlearn.numpy_counts(y_true, y_pred, thresholds=0.0) == k.__class__(**{**vars(k), "source": "numpy"})


def test_score_equal_to_threshold_is_negative_and_edges():
    y_true, y_pred = [1, 1, 0, 1], [0.0, 0.5, 1.0, 1.0]
    c = cmlearn.keras_counts(y_true, y_pred, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(c.tp, [2, 1, 0])  # a score of 0 is negative at 0.0
    np.testing.assert_array_equal(c.predicted_positives, [3, 2, 0])  # nothing above 1.0


def test_accepts_lists_arrays_tensors_columns_and_dtypes():
    keras = import_keras()
    y_true = [0, 1, 1, 0]
    y_pred = [0.1, 0.9, 0.4, 0.7]
    expected = cmlearn.numpy_counts(y_true, y_pred)
    variants = [
        (np.array(y_true, dtype=bool), np.array(y_pred)),
        (np.array(y_true, dtype=np.int64).reshape(-1, 1), np.array(y_pred).reshape(-1, 1)),
        (np.array(y_true, dtype=np.float32), np.array(y_pred, dtype=np.float16)),
        (keras.ops.convert_to_tensor(y_true), keras.ops.convert_to_tensor(y_pred)),
    ]
    for yt, yp in variants:
        assert cmlearn.keras_counts(yt, yp) == expected.__class__(**{**vars(expected), "source": "keras.metrics"})


def test_counts_matrix_follows_sklearn_layout():
    y_true, y_pred = cmlearn.data.make_scores(300, prevalence=0.2, seed=5)
    c = cmlearn.keras_counts(y_true, y_pred, 0.5)
    np.testing.assert_array_equal(c.matrix, confusion_matrix(y_true, (y_pred > 0.5).astype(int)))
    assert c.ravel() == tuple(float(v) for v in confusion_matrix(y_true, (y_pred > 0.5).astype(int)).ravel())
    sweep = cmlearn.keras_counts(y_true, y_pred, [0.2, 0.8])
    assert sweep.matrix.shape == (2, 2, 2)
    np.testing.assert_array_equal(sweep.matrix[1], cmlearn.keras_counts(y_true, y_pred, 0.8).matrix)
    assert c.total == 300 and c.actual_positives == 60


def test_counts_grow_with_data_and_weights_are_summed():
    y_true, y_pred = cmlearn.data.make_scores(100, seed=1)
    one = cmlearn.keras_counts(y_true, y_pred)
    two = cmlearn.keras_counts(np.tile(y_true, 2), np.tile(y_pred, 2))
    assert [2 * v for v in one.ravel()] == list(two.ravel())
    halves = cmlearn.keras_counts(y_true, y_pred, sample_weight=0.5)
    assert [v / 2 for v in one.ravel()] == list(halves.ravel())


def test_grouped_thresholds_equal_one_threshold_metrics_to_the_last_bit(monkeypatch):
    # Fractional float32 weights: any change in the order of additions would show in the last bits.
    keras = import_keras()
    rng = np.random.default_rng(3)
    y_true, y_pred = cmlearn.data.make_scores(50_000, seed=3)
    weights = rng.random(50_000).astype(np.float32)
    thresholds = [0.7, 0.2, 0.5, 0.35, 0.9]
    monkeypatch.setattr(keras_run_metrics, "MAX_CELLS", 2 * 50_000)  # groups of two thresholds
    sweep = cmlearn.keras_counts(y_true, y_pred, thresholds, sample_weight=weights)
    for i, t in enumerate(thresholds):
        for key, name in cmlearn.counts.KERAS_METRIC_NAMES.items():
            metric = getattr(keras.metrics, name)(thresholds=t)
            metric.update_state(y_true, y_pred, sample_weight=weights)
            assert getattr(sweep, key)[i] == np.float32(keras.ops.convert_to_numpy(metric.result())), (key, t)


def test_as_given_matches_one_threshold_counts_off_the_even_grid():
    y_true, y_pred = cmlearn.data.make_scores(300, seed=1)
    thresholds = [0.7, 0.1, 0.45, 0.3]  # not evenly spaced: Keras's exact path
    given = keras_counts_as_given(y_true, y_pred, thresholds)
    exact = cmlearn.keras_counts(y_true, y_pred, thresholds)
    assert disagreements(given, exact).size == 0
    assert given.source != exact.source


def test_as_given_shows_the_even_grid_shortcut_on_ties():
    y_true, y_pred = cmlearn.data.make_scores(300, seed=0)
    y_pred = np.round(y_pred, 2)
    grid = np.linspace(0, 1, 101)
    given = keras_counts_as_given(y_true, y_pred, list(grid))
    reference = cmlearn.numpy_counts(y_true, y_pred, grid)
    differ = disagreements(given, reference)
    assert differ.size > 0
    assert np.all(curves.ties_at(y_true, y_pred, differ).n > 0)
    # Half a grid step from every threshold, the shortcut and the strict comparison agree
    # (one float32 step above a threshold they need not: the next test).
    off_grid = np.round(y_pred + 0.005, 3)
    shifted = keras_counts_as_given(y_true, np.clip(off_grid, 0, 1), list(grid))
    assert disagreements(shifted, cmlearn.numpy_counts(y_true, np.clip(off_grid, 0, 1), grid)).size == 0


def test_as_given_shortcut_miscounts_untied_scores_one_float32_step_above_a_threshold():
    """The figure lesson 02 and keras_counts_as_given's docstring state: 15 of 99."""
    grid = np.linspace(0, 1, 101)
    interior = grid[1:-1].astype(np.float32)
    just_above = np.nextafter(interior, np.float32(1))
    assert np.all(just_above > interior) and np.all(curves.ties_at(np.ones(99), just_above, grid).n == 0)
    # One positive per threshold; a misfiled score changes the count at its own threshold only.
    given = keras_counts_as_given(np.ones(99), just_above, list(grid))
    exact = cmlearn.numpy_counts(np.ones(99), just_above, grid)
    missed = [int(k) for k in np.flatnonzero(np.isin(grid, disagreements(given, exact)))]
    assert np.all(exact.tp[missed] - given.tp[missed] == 1)  # counted below the threshold it is above
    assert len(missed) == 15, missed
    # Keras's bucket, ceil(score * 100) - 1 in float32, falls one short exactly there.
    buckets = np.ceil(just_above * np.float32(100)).astype(int) - 1
    assert list(np.flatnonzero(buckets != np.arange(1, 100)) + 1) == missed


def test_as_given_refuses_one_threshold():
    with pytest.raises(ValueError, match="several thresholds"):
        keras_counts_as_given([0, 1], [0.2, 0.9], 0.5)


def test_weighted_metrics_use_sample_weight_and_metrics_do_not():
    x_train, _, y_train, _ = breast_cancer_split()
    x_train, y_train = x_train[:120], y_train[:120]
    weight = np.where(y_train == 1, 5.0, 1.0)
    model = logistic_model(x_train.shape[1], metrics=make_count_metrics(), weighted_metrics=weighted_count_metrics())
    history = model.fit(x_train, y_train, sample_weight=weight, epochs=2, batch_size=40, shuffle=False, verbose=0)
    plain, weighted = history_counts(history), history_counts(history, "weighted_")
    assert plain.total.tolist() == [120.0, 120.0]
    np.testing.assert_array_equal(weighted.tp, 5 * plain.tp)
    np.testing.assert_array_equal(weighted.fn, 5 * plain.fn)
    np.testing.assert_array_equal(weighted.tn, plain.tn)
    np.testing.assert_array_equal(weighted.fp, plain.fp)


# Issue 13, item 1: TensorFlow adds a row of a several-threshold metric in another order than the one
# long vector of a one-threshold metric; with fractional weights that showed past 8,192 samples, at sizes
# that are not multiples of 8. Draw sizes there.
@pytest.mark.filterwarnings("ignore::cmlearn.counts.Float32RangeWarning")  # large weights pass 2**24
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(8_193, 40_000).filter(lambda n: n % 8),
    seed=st.integers(0, 2**32 - 1),
    thresholds=st.lists(st.sampled_from(GRID) | st.floats(0, 1, width=32), min_size=2, max_size=4),
    scale=st.sampled_from([1.0, 10.0, 1e-3, 1e6]),
)
def test_fractional_sweep_entries_are_bit_equal_to_one_threshold_metrics_at_awkward_sizes(n, seed, thresholds, scale):
    keras = import_keras()
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n) < rng.random()).astype(np.float32)
    y_pred = rng.random(n).astype(np.float32)
    w = (rng.random(n) * scale).astype(np.float32)
    sweep = cmlearn.keras_counts(y_true, y_pred, thresholds, sample_weight=w)
    for j, t in enumerate(thresholds):
        for key, cls in cmlearn.counts.KERAS_METRIC_NAMES.items():
            metric = getattr(keras.metrics, cls)(thresholds=float(t))
            metric.update_state(y_true, y_pred, sample_weight=w)
            assert getattr(sweep, key)[j] == np.float32(keras.ops.convert_to_numpy(metric.result())), (key, t, n)


def test_the_issues_fractional_sweep_example_is_bit_equal():
    rng = np.random.default_rng(0)
    n = 8197
    y_true, y_pred, w = np.zeros(n), rng.random(n).astype("f4"), (rng.random(n) * 10).astype("f4")
    keras = import_keras()
    one = keras.metrics.FalsePositives(thresholds=0.25)
    one.update_state(y_true, y_pred, sample_weight=w)
    expected = float(one.result())
    assert (
        cmlearn.keras_counts(y_true, y_pred, [0.5, 0.25], w).fp[1]
        == expected
        == cmlearn.keras_counts(y_true, y_pred, 0.25, w).fp
    )
    # Several thresholds in one metric object do add in another order here: the reason for the per-threshold path.
    shared = keras.metrics.FalsePositives(thresholds=[0.5, 0.25])
    shared.update_state(y_true, y_pred, sample_weight=w)
    assert keras.ops.convert_to_numpy(shared.result())[1] != np.float32(expected)


@pytest.mark.parametrize(
    ("n", "weights", "order_matters"),
    [
        (10, None, False),
        (10, [1.0] * 10, False),
        (10, [0.5] + [1.0] * 9, True),  # a fractional weight
        (2, [2.0**24, 1.0], True),  # whole numbers adding up past 2**24
        (2, [2.0**23, 2.0**23], False),  # exactly 2**24: still exact
    ],
)
def test_sweeps_use_one_threshold_metrics_exactly_when_float32_order_can_matter(n, weights, order_matters):
    w = None if weights is None else np.float32(weights)
    assert keras_run_metrics._order_can_matter(np.zeros(n, np.float32), w) is order_matters


def test_past_two_to_the_24_keras_warns_and_the_reference_stays_exact():
    """Issue 13, item 2: 2**25 + 3 true positives."""
    n = 2**25 + 3
    y_true, y_pred = np.ones(n, np.float32), np.full(n, 0.9, np.float32)
    with pytest.warns(cmlearn.counts.Float32RangeWarning, match=r"past 2\*\*24 = 16,777,216"):
        k = cmlearn.keras_counts(y_true, y_pred)
    n_counts = cmlearn.numpy_counts(y_true, y_pred)
    assert n_counts.tp == n and k.beyond_float32 and n_counts.beyond_float32
    assert k.tp != n and abs(k.tp - n) <= 4 and float(np.float32(k.tp)) == k.tp  # off by float32 steps, not more
    verdict = cmlearn.counts.agreement(k, n_counts)
    assert verdict.agree and verdict.kind == "float32 range" and "exact count is 33,554,435" in verdict.text


# ---------------------------------------------------------- issue 18, item 17: every count that may be inexact says so

BIG = (
    st.integers(0, 5) | st.sampled_from([2**22, 2**23 - 1, 2**23, 2**23 + 1, 2**24 - 1, 2**24]) | st.integers(0, 2**24)
)


@st.composite
def big_weight_samples(draw, fractional=False):
    """Few samples whose weights reach 2**24 in some cells and stop just short in others."""
    n = draw(st.integers(1, 12))
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(scores, min_size=n, max_size=n)), dtype=np.float32)
    w = np.array(draw(st.lists(BIG, min_size=n, max_size=n)), dtype=np.float64)
    if fractional:
        w = w + np.array(draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75]), min_size=n, max_size=n)))
    return y_true, y_pred, w.astype(np.float32), draw(st.sampled_from(GRID))


def _quietly(*args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        counts = cmlearn.keras_counts(*args)
    return counts, any(issubclass(c.category, cmlearn.counts.Float32RangeWarning) for c in caught)


@SETTINGS
@given(big_weight_samples())
def test_a_count_of_whole_weights_is_flagged_exactly_when_it_may_be_inexact(data):
    """Flagged (warning and beyond_float32) whenever a Keras count differs from the exact one; never when
    every exact count is below 2**24, where float32 holds whole numbers exactly."""
    y_true, y_pred, w, t = data
    keras, warned = _quietly(y_true, y_pred, t, w)
    exact = cmlearn.numpy_counts(y_true, y_pred, t, sample_weight=w)
    assert warned is keras.beyond_float32
    if any(getattr(keras, k) != getattr(exact, k) for k in ("tp", "fp", "tn", "fn")):
        assert keras.beyond_float32
    assert keras.beyond_float32 is any(getattr(exact, k) >= 2**24 for k in ("tp", "fp", "tn", "fn"))


@SETTINGS
@given(big_weight_samples(fractional=True))
def test_a_count_of_fractional_weights_unflagged_is_off_by_float32_rounding_only(data):
    """Not flagged: within float32 rounding of the exact sum (no whole samples lost to the 2**24 limit)."""
    y_true, y_pred, w, t = data
    keras, warned = _quietly(y_true, y_pred, t, w)
    exact = cmlearn.numpy_counts(y_true, y_pred, t, sample_weight=w)
    assert warned is keras.beyond_float32
    if not keras.beyond_float32:
        for k in ("tp", "fp", "tn", "fn"):
            assert abs(getattr(keras, k) - getattr(exact, k)) <= len(w) * 2.0**-24 * getattr(exact, k)
    if any(getattr(exact, k) >= 2**24 for k in ("tp", "fp", "tn", "fn")):
        assert keras.beyond_float32


def test_two_to_the_24_plus_one_positives_warn_and_say_beyond_float32():
    """Issue 18, item 17: Keras reads 16,777,216, which looks exact; the warning is decided from the input."""
    n = 2**24 + 1
    y_true, y_pred = np.ones(n, np.float32), np.full(n, 0.9, np.float32)
    with pytest.warns(cmlearn.counts.Float32RangeWarning, match=r"TP = 16,777,216 is at or past 2\*\*24"):
        k = cmlearn.keras_counts(y_true, y_pred)
    assert k.tp == 2**24 and k.beyond_float32 and "at or past 2**24" in repr(k)
    assert cmlearn.numpy_counts(y_true, y_pred).tp == n


def test_a_sweep_builds_one_metric_set_per_group_and_converts_its_inputs_once(monkeypatch):
    """keras_run/metrics.py: thresholds share metrics "in groups of MAX_CELLS", and the inputs become float32
    tensors once per sweep (the counts do not change: the property tests above hold them).
    """
    import tensorflow as tf
    built, fed = [], []
    real_make, real_run = keras_run_metrics.make_count_metrics, keras_run_metrics.run_metrics
    monkeypatch.setattr(keras_run_metrics, "make_count_metrics", lambda t: built.append(t) or real_make(t))

    def run(metrics, *arrays):
        fed.append(arrays)
        return real_run(metrics, *arrays)

    monkeypatch.setattr(keras_run_metrics, "run_metrics", run)
    monkeypatch.setattr(keras_run_metrics, "MAX_CELLS", 3 * 1_000)  # three thresholds a group at 1,000 samples
    y_true, y_pred = cmlearn.data.make_scores(1_000, seed=4)
    thresholds = np.linspace(0, 1, 11)
    sweep = cmlearn.keras_counts(y_true, y_pred, thresholds)
    assert [len(np.atleast_1d(t)) for t in built] == [3, 3, 3, 2]
    assert all(isinstance(a, tf.Tensor) and a.dtype == tf.float32 for arrays in fed for a in arrays[:2])
    assert len({id(arrays[0]) for arrays in fed}) == 1  # one tensor of labels for the whole sweep
    assert disagreements(sweep, cmlearn.numpy_counts(y_true, y_pred, thresholds)).size == 0
