"""The labs, driven from Python: every control changes what is shown, correctly."""

import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import cmlearn  # noqa: E402
from cmlearn.counts import numpy_counts  # noqa: E402
from cmlearn.data import make_scores  # noqa: E402
from cmlearn.validation import validate_inputs  # noqa: E402
from cmlearn.widgets import (  # noqa: E402
    BatchStepper,
    DatasetLab,
    ThresholdExplorer,
    html,  # noqa: E402
)
from cmlearn.widgets import explorer as explorer_module  # noqa: E402

KEYS = ("tp", "fp", "tn", "fn")


@pytest.fixture(scope="module")
def data():
    y_true, y_pred = make_scores(300, prevalence=0.4, seed=1)
    # Two decimals: many scores sit exactly on a slider position.
    return y_true, np.round(y_pred, 2).astype(np.float32)


@pytest.fixture(scope="module")
def weights(data):
    return np.random.default_rng(7).uniform(0, 3, len(data[0])).round(2)


@pytest.fixture(scope="module")
def explorer(data):
    return ThresholdExplorer(*data)


def shown_counts(widget_html):
    """Read the counts back from the HTML, as a browser test reads the DOM."""
    found = dict(re.findall(r'class="cmlearn-count" data-count="(\w+)"[^>]*>([^<]*)<', widget_html))
    return {k: float(v) for k, v in found.items()}


def assert_counts_equal(counts, expected):
    for k in KEYS:
        assert getattr(counts, k) == getattr(expected, k), (k, counts, expected)


def test_it_is_a_displayable_core_container(explorer):
    import ipywidgets

    assert isinstance(explorer, ipywidgets.VBox)
    assert "cmlearn-explorer" in explorer._dom_classes
    assert "cmlearn-threshold-slider" in explorer.slider._dom_classes
    assert isinstance(explorer.slider, ipywidgets.FloatSlider) and explorer.slider.step == 0.01
    assert explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_counts_equal_keras_counts_across_the_slider(explorer, data):
    y_true, y_pred = data
    values = [0.0, 0.03, 0.2, 0.35, 0.5, 0.61, 0.77, 0.9, 1.0]
    expected = cmlearn.keras_counts(y_true, y_pred, values)  # each entry = a one-threshold metric
    for i, v in enumerate(values):
        explorer.slider.value = v
        assert explorer.error is None
        assert explorer.counts.thresholds == v
        assert_counts_equal(explorer.counts, expected.at(i))
        assert shown_counts(explorer.counts_html.value) == {k: getattr(expected.at(i), k) for k in KEYS}
        assert explorer.rates.fnr == cmlearn.rates(expected.at(i)).fnr
    # One more, straight from a one-threshold Keras metric, with scores on the threshold.
    explorer.slider.value = 0.35
    assert_counts_equal(explorer.counts, cmlearn.keras_counts(y_true, y_pred, 0.35))


def test_every_slider_position_matches_the_numpy_reference(explorer, data):
    for v in explorer.grid:
        explorer.slider.value = float(v)
        assert_counts_equal(explorer.counts, numpy_counts(*data, float(v)))
        assert 'data-agree="true"' in explorer.agreement_html.value


def test_scores_on_the_threshold_are_negative_and_reported(explorer, data):
    y_true, y_pred = data
    t = 0.42
    on = y_pred == np.float32(t)
    assert on.sum() > 0
    explorer.slider.value = t
    assert explorer.counts.tp == float(((y_pred > np.float32(t)) & (y_true == 1)).sum())
    assert f'data-ties="{on.sum()}"' in explorer.ties_html.value
    assert f"{(on & (y_true == 1)).sum()} actual positive(s) counted as FN" in explorer.ties_html.value


def test_html_names_the_keras_classes_and_shows_formulas(explorer):
    explorer.slider.value = 0.5
    shown = explorer.counts_html.value
    for cls in ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"):
        assert f"keras.metrics.{cls}" in shown
    # rows actual, columns predicted, negative first: TN before FP before FN before TP
    order = [shown.index(f'data-count="{k}"') for k in ("tn", "fp", "fn", "tp")]
    assert order == sorted(order)
    rates_html = explorer.rates_html.value
    assert html._html.escape(explorer.rates.formula("fnr")) in rates_html
    assert re.search(r'data-rate="tpr"[^>]*>' + f"{explorer.rates.tpr:.3f}<", rates_html)


def test_plot_artists_move_in_place(explorer, data):
    from sklearn.metrics import confusion_matrix

    fig = explorer.figure
    figure_object, n_artists = fig.fig, len(fig.ax_hist.get_children())
    explorer.slider.value = 0.3
    before = explorer.image.value
    explorer.slider.value = 0.64
    assert explorer.image.value != before
    assert list(fig.threshold_line.get_xdata()) == [0.64, 0.64]
    tn, fp, fn, tp = confusion_matrix(data[0], (data[1] > np.float32(0.64)).astype(int)).ravel()
    x, y = fig.roc_point.get_data()
    assert x[0] == pytest.approx(fp / (fp + tn)) and y[0] == pytest.approx(tp / (tp + fn))
    x, y = fig.pr_point.get_data()
    assert x[0] == pytest.approx(tp / (tp + fn)) and y[0] == pytest.approx(tp / (tp + fp))
    assert fig.count_texts[1][1].get_text() == f"{tp}"
    expected_rates = [[tn / (tn + fp), fp / (tn + fp)], [fn / (fn + tp), tp / (fn + tp)]]
    np.testing.assert_allclose(fig.rate_values, expected_rates)
    assert fig.rate_texts[0][1].get_text() == f"{fp / (tn + fp):.3f}"
    np.testing.assert_allclose(fig.rate_cells[0][1].get_facecolor(), fig._cmap(fp / (tn + fp)))
    assert fig.fig is figure_object and len(fig.ax_hist.get_children()) == n_artists


def test_exact_text_off_the_grid_is_counted_exactly(explorer, data):
    explorer.threshold_text.value = 0.355
    assert explorer.threshold == 0.355 and explorer.error is None
    assert_counts_equal(explorer.counts, cmlearn.keras_counts(*data, 0.355))
    assert 'data-threshold="0.355"' in explorer.counts_html.value
    # The slider rests on a step: a browser's slider would round 0.355 and send the rounded value back.
    assert explorer.slider.value in (0.35, 0.36)
    explorer.slider.value = explorer.slider.value  # no change, no event
    explorer.slider.value = 0.35 if explorer.slider.value == 0.36 else 0.36  # a neighbour...
    explorer.threshold_text.value = 0.355  # ...then typed again, and the front end echoes the step back
    explorer.slider.value = float(np.float32(explorer.slider.value))
    assert explorer.threshold == 0.355 and explorer.threshold_text.value == 0.355
    assert_counts_equal(explorer.counts, cmlearn.keras_counts(*data, 0.355))
    explorer.slider.value = 0.7  # a real move: the view and the text follow the slider
    assert explorer.threshold == 0.7 and explorer.threshold_text.value == 0.7
    assert_counts_equal(explorer.counts, cmlearn.keras_counts(*data, 0.7))


def test_an_off_step_starting_threshold_is_kept(data):
    ex = ThresholdExplorer(*data, thresholds=0.4321, step=0.05)
    assert ex.threshold == 0.4321 and ex.threshold_text.value == 0.4321 and ex.slider.value == 0.45
    assert_counts_equal(ex.counts, cmlearn.keras_counts(*data, 0.4321))
    ex.slider.value = 0.45  # the echo of the resting step changes nothing
    assert ex.threshold == 0.4321
    assert ThresholdExplorer(*data, step=0.001).slider.readout_format == ".3f"


def test_callback_error_is_shown_and_last_good_view_stays(explorer, data, monkeypatch):
    explorer.slider.value = 0.5
    good_counts, good_png, good_html = explorer.counts, explorer.image.value, explorer.counts_html.value

    def broken(*args, **kwargs):
        raise RuntimeError("Keras is unavailable")

    monkeypatch.setattr(explorer_module, "keras_counts", broken)
    explorer.threshold_text.value = 0.3333  # off the grid: needs a fresh Keras count
    assert explorer.error == "RuntimeError: Keras is unavailable"
    assert "Keras is unavailable" in explorer.error_html.value
    assert explorer.counts is good_counts and explorer.image.value == good_png and explorer.counts_html.value == good_html
    monkeypatch.undo()
    explorer.slider.value = 0.6
    assert explorer.error is None and explorer.error_html.value == html.error_box(None)
    assert_counts_equal(explorer.counts, numpy_counts(*data, 0.6))


@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs"),
    [
        ([0, 1], [0.3, 2.5], {}),
        ([0, 2], [0.3, 0.5], {}),
        ([0, 1, 1], [0.3, 0.5], {}),
        ([0, 1], [0.3, float("nan")], {}),
        ([0, 1], [0.3, 0.5], {"sample_weight": [1, -1]}),
    ],
)
def test_constructor_refuses_bad_input_with_cmlearn_messages(y_true, y_pred, kwargs):
    with pytest.raises(ValueError) as expected:
        validate_inputs(y_true, y_pred, kwargs.get("sample_weight"))
    with pytest.raises(ValueError) as got:
        ThresholdExplorer(y_true, y_pred, **kwargs)
    assert str(got.value) == str(expected.value)


def test_constructor_refuses_bad_thresholds_and_step():
    with pytest.raises(ValueError, match="thresholds must lie in"):
        ThresholdExplorer([0, 1], [0.2, 0.7], thresholds=1.5)
    with pytest.raises(ValueError, match="one number for the explorer"):
        ThresholdExplorer([0, 1], [0.2, 0.7], thresholds=[0.3, 0.5])
    with pytest.raises(ValueError, match="step must divide 1"):
        ThresholdExplorer([0, 1], [0.2, 0.7], step=0.3)


def test_weights_toggle_switches_weighted_and_unweighted_counts(data, weights):
    y_true, y_pred = data
    ex = ThresholdExplorer(y_true, y_pred, thresholds=0.4, sample_weight=weights, step=0.05)
    assert ex.weights_toggle is not None and ex.weights_toggle.value is True
    weighted = cmlearn.keras_counts(y_true, y_pred, 0.4, weights)
    assert_counts_equal(ex.counts, weighted)
    heights = [b.get_height() for b in ex.figure.bars[1]]
    ex.weights_toggle.value = False
    assert_counts_equal(ex.counts, cmlearn.keras_counts(y_true, y_pred, 0.4))
    assert ex.counts.total == len(y_true)
    assert [b.get_height() for b in ex.figure.bars[1]] != heights
    expected = np.histogram(y_pred[y_true == 1], bins=np.linspace(0, 1, 41))[0]
    np.testing.assert_allclose([b.get_height() for b in ex.figure.bars[1]], expected)
    ex.slider.value = 0.65
    assert_counts_equal(ex.counts, numpy_counts(y_true, y_pred, 0.65))
    ex.weights_toggle.value = True
    assert_counts_equal(ex.counts, cmlearn.keras_counts(y_true, y_pred, 0.65, weights))
    # Keras sums float32 weights in its own order: NumPy agrees up to rounding.
    reference = numpy_counts(y_true, y_pred, 0.65, weights)
    for k in KEYS:
        assert getattr(ex.counts, k) == pytest.approx(getattr(reference, k), rel=1e-6)
    assert 'data-agree="true"' in ex.agreement_html.value
    assert ThresholdExplorer([0, 1], [0.2, 0.7], step=0.5).weights_toggle is None


def test_weights_toggle_changes_what_is_shown_and_fails_whole(data, weights, monkeypatch):
    y_true, y_pred = data
    ex = ThresholdExplorer(y_true, y_pred, thresholds=0.4, sample_weight=weights, step=0.05)
    assert ex.figure.ax_hist.get_ylabel() == "sum of sample_weight per bin"
    weighted_html = ex.counts_html.value
    ex.weights_toggle.value = False
    assert ex.counts_html.value != weighted_html and shown_counts(ex.counts_html.value)["tn"] == ex.counts.tn
    assert ex.figure.ax_hist.get_ylabel() == "samples per bin"
    ex.weights_toggle.value = True
    good = ex.counts, ex.counts_html.value, ex.details_html.value, [b.get_height() for b in ex.figure.bars[1]]

    def broken(*args, **kwargs):
        raise RuntimeError("rates are broken")

    monkeypatch.setattr(explorer_module, "rates", broken)  # the sweeps exist; the view fails
    ex.weights_toggle.value = False
    assert ex.error == "RuntimeError: rates are broken" and "rates are broken" in ex.error_html.value
    assert ex.weights_toggle.value is True and ex.weighted is True  # the toggle shows what is counted
    assert (ex.counts, ex.counts_html.value, ex.details_html.value, [b.get_height() for b in ex.figure.bars[1]]) == good


def test_agreement_badge_names_a_difference():
    from cmlearn.counts import Counts

    rounded = html.agreement_badge(Counts(114.82000732421875, 1.0, 4.0, 0.0, 0.5), Counts(114.81999969482422, 1.0, 4.0, 0.0, 0.5))
    assert 'data-agree="true"' in rounded and "float32 rounding" in rounded
    a, b = Counts(5.0, 1.0, 4.0, 0.0, 0.5), Counts(4.0, 1.0, 4.0, 1.0, 0.5)
    assert 'data-agree="true"' in html.agreement_badge(a, a)
    badge = html.agreement_badge(a, b)
    assert 'data-agree="false"' in badge and "TP: Keras 5 vs NumPy 4" in badge and "FN: Keras 0 vs NumPy 1" in badge


def test_dataset_lab_counts_grow_while_rates_stay():
    lab = DatasetLab(n_samples=1000, prevalence=0.3, sizes=(1000, 10_000))
    small = lab.counts
    lab.size_slider.value = 10_000
    large = lab.counts
    y_true, y_pred = make_scores(10_000, 0.3, 2.0, 0)
    assert_counts_equal(large, numpy_counts(y_true, y_pred, 0.5))
    assert large.total == 10 * small.total
    assert large.tp > 5 * small.tp
    assert abs(cmlearn.rates(large).tpr - cmlearn.rates(small).tpr) < 0.05
    assert [r["total"] for r in lab.history] == ["1000", "10000"]
    assert shown_counts(lab.counts_html.value)["tp"] == large.tp
    lab.prevalence_slider.value = 0.1
    y_true, y_pred = make_scores(10_000, 0.1, 2.0, 0)
    assert_counts_equal(lab.counts, numpy_counts(y_true, y_pred, 0.5))
    assert lab.counts.actual_positives == 1000
    assert lab.history_html.value.count('<tr data-row=') == 3


def test_dataset_lab_shows_callback_errors(monkeypatch):
    from cmlearn.widgets import labs

    with pytest.raises(ValueError, match="prevalence must be in"):
        DatasetLab(n_samples=100, prevalence=1.5, sizes=(100,))
    with pytest.raises(ValueError, match="n_samples must be one of"):
        DatasetLab(n_samples=50, sizes=(100,))
    lab = DatasetLab(n_samples=100, sizes=(100, 1000))
    good = lab.counts
    monkeypatch.setattr(labs, "make_scores", lambda *a: (_ for _ in ()).throw(ValueError("no data today")))
    lab.size_slider.value = 1000
    assert lab.error == "ValueError: no data today" and "no data today" in lab.error_html.value
    assert lab.counts is good and len(lab.history) == 1


def test_batch_stepper_buttons(data):
    y_true, y_pred = data
    s = BatchStepper(y_true, y_pred, batch_size=128, threshold=0.5)
    assert s.counts is None
    s.next_button.click()
    assert_counts_equal(s.counts, numpy_counts(y_true[:128], y_pred[:128], 0.5))
    assert shown_counts(s.progress_html.value)["tp"] == s.counts.tp
    s.next_button.click()
    assert_counts_equal(s.counts, numpy_counts(y_true[:256], y_pred[:256], 0.5))
    s.all_button.click()
    whole = numpy_counts(y_true, y_pred, 0.5)
    assert_counts_equal(s.counts, whole)
    assert s.next_button.disabled
    pooled = re.search(r'data-rate="pooled-recall">([^<]*)<', s.summary_html.value).group(1)
    assert pooled == f"{whole.tp / (whole.tp + whole.fn):.3f}"
    per_batch = [numpy_counts(y_true[i : i + 128], y_pred[i : i + 128]) for i in range(0, 300, 128)]
    averaged = np.mean([c.tp / (c.tp + c.fn) for c in per_batch])
    assert re.search(r'data-rate="averaged-recall">([^<]*)<', s.summary_html.value).group(1) == f"{averaged:.3f}"
    s.next_button.click()  # nothing left: an error in the widget, not a traceback
    assert s.error is not None and "reset" in s.error
    shown_before_reset = s.progress_html.value, s.table_html.value
    s.reset_button.click()
    assert s.counts is None and s.error is None and not s.next_button.disabled
    assert s.progress_html.value != shown_before_reset[0] and s.table_html.value != shown_before_reset[1]


def test_a_failed_batch_step_counts_nothing(data, monkeypatch):
    from cmlearn import batch_log

    y_true, y_pred = data
    s = BatchStepper(y_true, y_pred, batch_size=128, threshold=0.5)
    calls = {"n": 0}
    real_add = batch_log.BatchLog.add

    def fails_once(self, batch):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a hiccup")
        return real_add(self, batch)

    monkeypatch.setattr(batch_log.BatchLog, "add", fails_once)  # after Keras has counted the batch
    s.next_button.click()
    assert s.error is not None and "a hiccup" in s.error
    s.next_button.click()
    assert s.error is None
    assert_counts_equal(s.counts, numpy_counts(y_true[:128], y_pred[:128], 0.5))  # counted once, not twice


def test_png_is_the_canvas_and_revisits_reuse_it(data):
    import io

    from PIL import Image

    ex = ThresholdExplorer(*data, step=0.05)
    ex.slider.value = 0.25
    first = ex.image.value
    pixels = np.asarray(Image.open(io.BytesIO(first)).convert("RGB"))
    np.testing.assert_array_equal(pixels, np.asarray(ex.figure.canvas.buffer_rgba())[..., :3])
    ex.slider.value = 0.6
    assert ex.image.value != first
    ex.slider.value = 0.25
    assert ex.image.value == first
    assert list(ex.figure.threshold_line.get_xdata()) == [0.25, 0.25]  # artists still follow


def test_cell_text_takes_the_ink_that_contrasts_more():
    from cmlearn.widgets.figure import _ink

    def contrast(rgb, ink):
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
        other = 1.0 if ink == "white" else 0.0
        hi, lo = max(lum, other), min(lum, other)
        return (hi + 0.05) / (lo + 0.05)

    from matplotlib import colormaps

    for value in np.linspace(0, 1, 21):
        rgb = colormaps["Blues"](value)[:3]
        chosen = _ink((*rgb, 1.0))
        assert contrast(rgb, chosen) >= 4.5, (value, chosen, contrast(rgb, chosen))
