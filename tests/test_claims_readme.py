"""The README's general sentences, each held on random data or on every notebook.

Every test is named for its sentence and quotes it with its section. The
sentences about Keras are held against real ``keras.metrics`` objects, those
about scikit-learn against scikit-learn. (The 2**24 warning's rule is held by
``tests/test_keras_run_metrics.py``.) The tests that read only the checkout's files are
marked ``checkout_files``, the one that reads the site tool's list ``maintainer_tools``: the run
on Colab's versions leaves them out.
"""

import functools
import re
import warnings

import nbformat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from notebook_runner import REPO
from strategies import PROPERTY, SLOW_PROPERTY, binary_samples, scores, thresholds

import cmlearn
from cmlearn.counts import COUNT_NAMES, KERAS_METRIC_NAMES
from cmlearn.keras_run.backend import import_keras

keras = import_keras()
README = (REPO / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = REPO / "notebooks"
FLOAT32_MAX = float(np.finfo(np.float32).max)


@functools.cache
def _metric(cls, threshold):
    return getattr(keras.metrics, cls)(thresholds=threshold)


def _keras(cls, y_true, y_pred, sample_weight, threshold):
    metric = _metric(cls, threshold)
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=sample_weight)
    return np.array(keras.ops.convert_to_numpy(metric.result()), dtype=np.float32, copy=True)


def _predicted(y_pred, threshold):
    """0/1 predictions as Keras makes them (TensorFlow on the CPU): in float32, a subnormal score read as 0."""
    flushed = np.where(np.abs(y_pred) < np.finfo(np.float32).tiny, np.float32(0), np.float32(y_pred))
    return (flushed > np.float32(threshold)).astype(int)


def _sentence(start):
    """The README's text from ``start`` to the end of its paragraph, on one line."""
    at = README.index(start)
    return " ".join(README[at : README.find("\n\n", at)].split())


# ------------------------------------------------------------ the library


@st.composite
def sweeps(draw):
    """Samples with fractional weights, at small sizes and past 8,192 (where row sums change order)."""
    n = draw(st.integers(1, 60) | st.integers(8_193, 9_000))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    y_pred = rng.choice(np.float32([0.0, 0.25, 0.3, 0.5, 0.7, 1.0, *rng.random(6)]), n).astype(np.float32)
    w = rng.uniform(0, 10, n).astype(np.float32) if draw(st.booleans()) else rng.integers(0, 5, n).astype(np.float32)
    return y_true, y_pred, w, draw(thresholds(max_size=4))


@SLOW_PROPERTY
@given(sweeps())
def test_each_entry_of_a_sweep_equals_a_one_threshold_metric_to_the_last_bit(sample):
    """README, "The library in five lines": "a list gives float32 arrays in the order given, each
    entry equal to the last bit to a one-threshold metric's result, fractional weights included"."""
    y_true, y_pred, w, ts = sample
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sweep = cmlearn.keras_counts(y_true, y_pred, thresholds=ts, sample_weight=w)
    for key, cls in KERAS_METRIC_NAMES.items():
        got = getattr(sweep, key)
        assert got.dtype == np.float32 and got.shape == (len(ts),)
        alone = [float(_keras(cls, y_true, y_pred, w, float(t))) for t in ts]
        assert got.tolist() == alone, (key, ts)


@PROPERTY
@given(binary_samples(weights="integer", subnormal=True), st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 1.0]))
def test_numpy_counts_puts_every_sample_in_the_same_cell_as_keras(sample, threshold):
    """README, "The library in five lines": "`cmlearn.numpy_counts(...)`: the independent
    reference, written out in NumPy. It puts every sample in the same cell as Keras". Ties on the
    threshold, float32 near-ties and subnormal scores; weights 0 to 5 (each sample found in its
    cell by its own weight: one sample at a time, weight 1, would be slow)."""
    y_true, y_pred, w = sample
    reference = cmlearn.numpy_counts(y_true, y_pred, threshold, w)
    for key, cls in KERAS_METRIC_NAMES.items():
        assert float(_keras(cls, y_true, y_pred, w, threshold)) == getattr(reference, key)
    for i in range(min(len(y_true), 6)):  # and sample by sample
        one = cmlearn.numpy_counts(y_true[i : i + 1], y_pred[i : i + 1], threshold)
        cell = [k for k in COUNT_NAMES if getattr(one, k) == 1.0]
        keras_cell = [
            k
            for k, cls in KERAS_METRIC_NAMES.items()
            if float(_keras(cls, y_true[i : i + 1], y_pred[i : i + 1], None, threshold)) == 1.0
        ]
        assert cell == keras_cell and len(cell) == 1


@PROPERTY
@given(binary_samples(weights="fractional"))
def test_numpy_counts_adds_weights_in_float64_and_agreement_explains_keras_rounding(sample):
    """README, "The library in five lines": the reference "adds wider: samples as int64, weights
    in float64", and "`cmlearn.counts.agreement(keras, reference)` explains such a difference, or
    float32 rounding of fractional weights, instead of calling it a disagreement"."""
    import math

    y_true, y_pred, w = sample
    reference = cmlearn.numpy_counts(y_true, y_pred, 0.5, w)
    positive = y_pred > np.float32(0.5)
    w64 = w.astype(np.float64)
    assert reference.tp == pytest.approx(math.fsum(w64[(y_true == 1) & positive]), rel=1e-15, abs=0)
    assert reference.tn == pytest.approx(math.fsum(w64[(y_true == 0) & ~positive]), rel=1e-15, abs=0)
    verdict = cmlearn.counts.agreement(cmlearn.keras_counts(y_true, y_pred, sample_weight=w), reference)
    assert verdict.agree, verdict.text


def _sklearn_rate(name, y_true, predicted, w, zero_division):
    from sklearn.metrics import precision_score, recall_score

    if name == "precision":
        return precision_score(y_true, predicted, sample_weight=w, zero_division=zero_division, labels=[0, 1])
    return recall_score(y_true, predicted, sample_weight=w, zero_division=zero_division, labels=[0, 1])


@SLOW_PROPERTY
@given(
    binary_samples(min_size=1, max_size=30, weights="integer"),
    st.sampled_from([0.0, 0.5, 0.9, 1.0]),
    st.sampled_from([0.0, 1.0, float("nan")]),
)
def test_zero_division_is_the_value_of_a_0_over_0_rate_as_in_scikit_learn(sample, threshold, zero_division):
    """README, "The library in five lines": "`zero_division` is the value of a 0/0 rate, as in
    scikit-learn". Precision and recall against scikit-learn's, defined or not (threshold 1.0
    predicts nothing positive)."""
    y_true, y_pred, w = sample
    if w is not None and w.sum() == 0:
        w = None  # scikit-learn refuses all-zero weights
    predicted = _predicted(y_pred, threshold)
    r = cmlearn.rates(cmlearn.numpy_counts(y_true, y_pred, threshold, w), zero_division=zero_division)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, key in (("precision", "precision"), ("recall", "tpr")):
            expected = _sklearn_rate(name, y_true, predicted, w, zero_division)
            assert r[key] == pytest.approx(expected, rel=1e-12, nan_ok=True), name


@SLOW_PROPERTY
@given(
    binary_samples(min_size=1, max_size=30, weights="integer"),
    st.sampled_from([0.0, 0.3, 0.5, 1.0]),
    st.sampled_from(["both", "only 0", "only 1"]),
)
def test_balanced_accuracy_averages_over_the_classes_present_as_scikit_learn_does(sample, threshold, classes):
    """README, "The library in five lines": "balanced accuracy, like scikit-learn's
    `balanced_accuracy_score`, averages over the classes present (with one class present it is
    that class's rate)". Both classes, or only one, with weights."""
    from sklearn.metrics import balanced_accuracy_score

    y_true, y_pred, w = sample
    if classes != "both":
        y_true = np.full_like(y_true, 0 if classes == "only 0" else 1)
    if w is not None and w.sum() == 0:
        w = None
    counts = cmlearn.numpy_counts(y_true, y_pred, threshold, w)
    if counts.actual_positives == 0 and counts.actual_negatives == 0:
        return
    predicted = _predicted(y_pred, threshold)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = balanced_accuracy_score(y_true, predicted, sample_weight=w)
    r = cmlearn.rates(counts)
    assert r["balanced_accuracy"] == pytest.approx(expected, rel=1e-12)
    if counts.actual_positives == 0:
        assert r["balanced_accuracy"] == r["tnr"]
    elif counts.actual_negatives == 0:
        assert r["balanced_accuracy"] == r["tpr"]


@PROPERTY
@given(
    binary_samples(min_size=1, weights=None), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.25]), st.sampled_from([0.3, 0.5])
)
def test_one_weight_weights_every_sample_alike_as_keras_broadcasts_it(sample, weight, threshold):
    """README, "The library in five lines": "`sample_weight` may be one number or one weight in a
    list (`[2.0]`), which weights every sample alike, as Keras broadcasts it"."""
    y_true, y_pred, _ = sample
    full = np.full(len(y_true), weight, np.float32)
    one, listed, every = (cmlearn.keras_counts(y_true, y_pred, threshold, sw) for sw in (weight, [weight], full))
    for key, cls in KERAS_METRIC_NAMES.items():
        raw = float(_keras(cls, y_true, y_pred, np.float32(weight), threshold))  # Keras broadcasting a scalar
        assert getattr(one, key) == getattr(listed, key) == getattr(every, key) == raw


@PROPERTY
@given(
    st.lists(
        st.tuples(st.integers(0, 1), scores(), st.sampled_from([0.0, 1.0, 1e37, 1e38, 1.7e38, 2e38, 3.4e38])),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([0.0, 0.5, 1.0]),
)
def test_large_weights_are_refused_only_when_a_count_would_pass_float32s_largest_number(rows, threshold):
    """README, "The library in five lines": "Large weights are refused only when a count would pass
    float32's largest number (Keras would report inf)". Weights up to 3.4e38: refused exactly when
    some count's float64 sum passes float32's largest number; accepted otherwise, with Keras's
    finite count."""
    y_true = np.array([r[0] for r in rows])
    y_pred = np.array([r[1] for r in rows], np.float32)
    w = np.array([r[2] for r in rows], np.float32)
    predicted = _predicted(y_pred, threshold).astype(bool)
    w64, actual = w.astype(np.float64), y_true == 1
    exact = [
        w64[actual & predicted].sum(),
        w64[~actual & predicted].sum(),
        w64[~actual & ~predicted].sum(),
        w64[actual & ~predicted].sum(),
    ]
    too_big = max(exact) > FLOAT32_MAX
    if too_big:
        with pytest.raises(ValueError, match="sample_weight is too large for float32"):
            cmlearn.keras_counts(y_true, y_pred, threshold, w)
        assert any(np.isinf(_keras(cls, y_true, y_pred, w, threshold)) for cls in KERAS_METRIC_NAMES.values())
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            counts = cmlearn.keras_counts(y_true, y_pred, threshold, w)
        assert all(np.isfinite(getattr(counts, k)) for k in COUNT_NAMES)


def test_an_empty_list_of_thresholds_is_refused_where_keras_returns_an_empty_array():
    """README, "The library in five lines": "An empty list of thresholds is refused (Keras would
    return an empty array, nearly always a slip)"."""
    metric = keras.metrics.TruePositives(thresholds=[])
    metric.update_state([1, 0], [0.9, 0.2])
    assert np.asarray(metric.result()).shape == (0,)
    for empty in ([], (), np.array([])):
        with pytest.raises(ValueError, match="thresholds"):
            cmlearn.keras_counts([1, 0], [0.9, 0.2], thresholds=empty)


@SLOW_PROPERTY
@given(
    st.sampled_from(
        [
            "label 2",
            "text labels",
            "logit",
            "percentage",
            "nan score",
            "lengths",
            "threshold 1.5",
            "threshold set",
            "negative weight",
        ]
    ),
    st.integers(2, 12),
    st.data(),
)
def test_bad_input_is_refused_with_an_error_that_names_the_argument_and_shows_the_value(kind, n, data):
    """README, after "The library in five lines": "Bad input (labels other than 0/1, text labels,
    logits, percentages, NaN, mismatched lengths, [...] thresholds outside [0, 1] or given as a
    set, negative weights) is refused with an error that names the argument, shows the value and
    says how to fix it." The bad value at a random position."""
    at = data.draw(st.integers(0, n - 1))
    y_true, y_pred, kwargs = [0, 1] * (n // 2) + [1] * (n % 2), [0.5] * n, {}
    argument, shown = "y_pred", None
    if kind == "label 2":
        y_true[at], argument, shown = 2, "y_true", "2"
    elif kind == "text labels":
        y_true, argument = ["yes" if v else "no" for v in y_true], "y_true"
    elif kind == "logit":
        y_pred[at], shown = 2.5, "2.5"
    elif kind == "percentage":
        y_pred, shown = [float(v) for v in data.draw(st.lists(st.integers(11, 100), min_size=n, max_size=n))], None
    elif kind == "nan score":
        y_pred[at], shown = float("nan"), "nan"
    elif kind == "lengths":
        y_pred = y_pred[:-1]
    elif kind == "threshold 1.5":
        kwargs, argument, shown = {"thresholds": [0.5, 1.5]}, "threshold", "1.5"
    elif kind == "threshold set":
        kwargs, argument = {"thresholds": {0.3, 0.5}}, "threshold"
    else:
        weights = [1.0] * n
        weights[at] = -1.0
        kwargs, argument, shown = {"sample_weight": weights}, "sample_weight", "-1"
    with pytest.raises((ValueError, TypeError)) as error:
        cmlearn.keras_counts(y_true, y_pred, **kwargs)
    message = str(error.value)
    assert argument in message, message
    if shown is not None:
        assert shown in message, message
    assert re.search(r"Fix|fix|use |pass |give |Divide|divide|Give|Use|Pass", message), message


# ----------------------------------------------------------- the notebooks


def _lessons():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.maintainer_tools
@pytest.mark.checkout_files
def test_make_site_builds_every_lesson_and_the_presenter_page():
    """README, "Publish the lessons as web pages": "`make site` builds every lesson in `notebooks/`
    (each `NN_*.ipynb`, in order) and the presenter page". Held against the site tool's own list,
    and the sentence names no range of lessons that could go stale."""
    from cmlearn.tools import site

    assert site.page_names(REPO) == [p.stem for p in _lessons()] + ["presenter"]
    sentence = _sentence("For learners on a phone")
    assert not re.search(r"\b0\d\s*[–-]\s*0\d\b", sentence), sentence
    assert "every lesson in `notebooks/`" in sentence and "presenter page" in sentence
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nsite:")[1].split("\n\n")[0]
    assert "-m cmlearn.tools.site --out _site" in target and "--only" not in target  # the target builds them all


def _cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if "generated" not in c.metadata.get("tags", [])]


@pytest.mark.checkout_files
def test_every_predict_comes_before_the_cell_that_answers_it_and_its_answer_is_folded():
    """README, "The path": "every **Predict** question comes before the cell that answers it, and
    the answer below stays folded until you open it". In every lesson: after each Predict, a code
    cell runs before the next markdown answer, and that answer is a `<details>` block."""
    predicts = 0
    for path in _lessons():
        cells = _cells(path)
        for i, cell in enumerate(cells):
            if cell.cell_type == "markdown" and "**Predict" in cell.source:
                predicts += 1
                rest = cells[i + 1 :]
                answer = next(j for j, c in enumerate(rest) if c.cell_type == "markdown" and "Answer" in c.source)
                assert any(c.cell_type == "code" for c in rest[:answer]), (path.name, cell.source[:60])
                assert rest[answer].source.lstrip().startswith("<details>"), (path.name, rest[answer].source[:60])
    assert predicts > 20


@pytest.mark.checkout_files
def test_every_lesson_after_00_has_an_exercise_and_ends_with_a_link_to_it():
    """README, "The path": "`notebooks/exercises/` holds a self-study exercise for every lesson
    after 00 [...] Each lesson that has an exercise ends with a link to it." (The solutions are
    where the exercises come from.)"""
    lessons = _lessons()
    exercises = {p.stem for p in (NOTEBOOKS / "exercises").glob("[0-9][0-9]_*.ipynb")}
    assert exercises == {p.stem for p in lessons if not p.stem.startswith("00_")}
    for stem in exercises:
        assert (NOTEBOOKS / "exercises" / "solutions" / f"{stem}_solutions.ipynb").is_file()
        last = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4).cells[-1].source
        assert f"(exercises/{stem}.ipynb)" in last, stem


@pytest.mark.checkout_files
def test_notebook_setup_is_the_first_call_in_every_notebook():
    """README, "Offline and resources": "`cmlearn.notebook_setup()`, the first call in every
    notebook". Lessons, the presenter page, exercises and solutions: the first code cell that is
    not generated imports cmlearn and calls it."""
    paths = [*_lessons(), NOTEBOOKS / "presenter.ipynb", *sorted((NOTEBOOKS / "exercises").rglob("*.ipynb"))]
    assert len(paths) > 20
    for path in paths:
        code = [[line for line in c.source.splitlines() if line.strip()] for c in _cells(path) if c.cell_type == "code"]
        code = [lines for lines in code if not all(line.startswith("#") for line in lines)]  # a cell of comments only
        assert code[0][0] == "import cmlearn" and code[0][1].startswith("cmlearn.notebook_setup("), (
            path.name,
            code[0][:2],
        )


@pytest.mark.checkout_files
def test_the_readme_sentence_on_make_site_and_the_exercises_keeps_no_lesson_range():
    """README, "The path": the exercise sentence names no range of lessons ("01–08" went stale
    once, as "00–06" did for the site)."""
    sentence = _sentence("`notebooks/exercises/` holds")
    assert not re.search(r"\b0\d\s*[–-]\s*0\d\b", sentence), sentence



