"""DatasetLab and BatchStepper, driven from Python: every control changes what is shown, correctly.

The threshold explorer has its own tests: test_widgets_explorer.py and test_widgets_explorer_browser.py.
"""

import re
from fractions import Fraction
from xml.etree import ElementTree

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import cmlearn  # noqa: E402
from cmlearn.counts import format_count, numpy_counts  # noqa: E402
from cmlearn.data import make_scores  # noqa: E402
from cmlearn.ratios import format_rate  # noqa: E402
from cmlearn.widgets import BatchStepper, DatasetLab, html  # noqa: E402

KEYS = ("tp", "fp", "tn", "fn")


@pytest.fixture(scope="module")
def data():
    y_true, y_pred = make_scores(300, prevalence=0.4, seed=1)
    # Two decimals: many scores sit exactly on a slider position.
    return y_true, np.round(y_pred, 2).astype(np.float32)


def shown_counts(widget_html):
    """Read the counts back from the HTML, as a browser test reads the DOM."""
    found = dict(re.findall(r'data-count="(\w+)">([^<]*)<', widget_html))
    return {k: float(v.replace(",", "")) for k, v in found.items()}


def assert_counts_equal(counts, expected):
    for k in KEYS:
        assert getattr(counts, k) == getattr(expected, k), (k, counts, expected)


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
    assert [r["total"] for r in lab.history] == ["1,000", "10,000"]
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
    assert pooled == format_rate(Fraction(int(whole.tp), int(whole.tp + whole.fn)))  # the one rate format
    per_batch = [numpy_counts(y_true[i : i + 128], y_pred[i : i + 128]) for i in range(0, 300, 128)]
    averaged = np.mean([c.tp / (c.tp + c.fn) for c in per_batch])
    assert re.search(r'data-rate="averaged-recall">([^<]*)<', s.summary_html.value).group(1) == format_rate(averaged)
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


def test_batch_stepper_shows_a_0_over_0_batch_rate_as_undefined_and_names_the_averaging_rule():
    # Batch 1 predicts no positive: its precision is 0/0.
    s = BatchStepper([1, 0, 0, 1, 1, 0], [0.1, 0.2, 0.3, 0.9, 0.8, 0.2], batch_size=3)
    s.all_button.click()
    first = re.search(r'<tr data-row="0">.*?data-col="b_precision"[^>]*>([^<]*)<', s.table_html.value).group(1)
    second = re.search(r'<tr data-row="1">.*?data-col="b_precision"[^>]*>([^<]*)<', s.table_html.value).group(1)
    assert first == "undefined (0/0), counted as 0 in the mean" and second == "1.000"
    averaged = re.search(r'data-rate="averaged-precision">([^<]*)<', s.summary_html.value).group(1)
    assert averaged == "0.500"  # (0 + 1) / 2: the 0/0 batch pulled the mean down
    assert "Keras 1's batch-wise precision and recall, removed in Keras 2.0" in s.summary_html.value
    assert "a 0/0 batch counted as 0" in s.summary_html.value
    left_out = BatchStepper(
        [1, 0, 0, 1, 1, 0], [0.1, 0.2, 0.3, 0.9, 0.8, 0.2], batch_size=3, zero_division=float("nan")
    )
    left_out.all_button.click()
    assert re.search(r'data-rate="averaged-precision">([^<]*)<', left_out.summary_html.value).group(1) == "1.000"
    assert "a 0/0 batch left out" in left_out.summary_html.value


def test_dataset_lab_says_which_rates_move_with_prevalence():
    lab = DatasetLab(n_samples=1000, prevalence=0.5, sizes=(1000,))
    lab.prevalence_slider.value = 0.1
    first, last = lab.history[0], lab.history[-1]
    assert float(last["precision"]) < float(first["precision"]) - 0.1  # precision moves with prevalence...
    assert abs(float(last["tpr"]) - float(first["tpr"])) < 0.05  # ...TPR does not
    caption = lab.history_html.value
    assert "TPR, TNR, FPR and FNR divide within one actual class" in caption
    assert "precision, NPV and accuracy mix the classes, so they move when prevalence moves" in caption
    assert "the rates stay about the same" not in caption


def table_rows(table_html):
    """The rows of a table: each a list of ``(tag, attributes, text)`` cells, in the page's order."""
    table = ElementTree.fromstring(table_html)
    return [[(cell.tag, cell.attrib, "".join(cell.itertext())) for cell in row] for row in table.iter("tr")]


def assert_shared_counts_table(table_html, counts):
    """The explorer's counts table: spans aligned, each count naming its Keras class, totals under their headings."""
    rows = table_rows(table_html)
    assert [len(row) for row in rows] == [4, 4, 4, 4], "the header and every body row have the same number of cells"
    head = [text for _, _, text in rows[0]]
    assert head == ["", "predicted 0 (negative)", "predicted 1 (positive)", "row total (actual)"]
    assert [row[0][2] for row in rows[1:]] == ["actual 0 (negative)", "actual 1 (positive)", "column total (predicted)"]
    for r, keys in enumerate((("tn", "fp"), ("fn", "tp")), start=1):
        for c, key in enumerate(keys, start=1):
            tag, attributes, text = rows[r][c]
            assert attributes["class"] == f"cx-cell cx-{key}", (r, c, attributes)
            name = {"tp": "TruePositives", "fp": "FalsePositives", "tn": "TrueNegatives", "fn": "FalseNegatives"}[key]
            assert text == f"{format_count(getattr(counts, key))}{key.upper()} · keras.metrics.{name}", text
    totals = {
        attributes["data-total"]: text for row in rows for _, attributes, text in row if "data-total" in attributes
    }
    # Row totals in the "row total (actual)" column, column totals in the "column total (predicted)" row.
    assert [rows[1][3][2], rows[2][3][2]] == [totals["actual0"], totals["actual1"]]
    assert [cell[2] for cell in rows[3][1:]] == [totals["pred0"], totals["pred1"], totals["all"]]
    assert totals == {
        "actual0": format_count(counts.tn + counts.fp), "actual1": format_count(counts.fn + counts.tp),
        "pred0": format_count(counts.tn + counts.fn), "pred1": format_count(counts.fp + counts.tp),
        "all": format_count(counts.tn + counts.fp + counts.fn + counts.tp),
    }
    return rows


def without_numbers(table_html):
    """The table's markup with the numbers and the caption taken out."""
    table_html = re.sub(r"<caption>.*?</caption>", "", table_html)
    table_html = re.sub(r' data-threshold="[^"]*"', "", table_html)
    return re.sub(r'(data-(?:count|total)="\w+">)[^<]*<', r"\1<", table_html)


def test_the_labs_show_the_explorers_counts_table(data):
    lab = DatasetLab(n_samples=1000, prevalence=0.3, sizes=(1000,))
    assert_shared_counts_table(lab.counts_html.value, lab.counts)
    stepper = BatchStepper(*data, batch_size=128)
    stepper.next_button.click()
    assert_shared_counts_table(stepper.progress_html.value, stepper.counts)
    assert "after 1 of 3 batches" in ElementTree.fromstring(stepper.progress_html.value).find("caption").text
    # One component: the explorer's page fills in the very markup the labs show.
    explorer = cmlearn.ThresholdExplorer(*data, step=0.5)
    assert explorer.data["counts_table"] == html.counts_table()
    assert without_numbers(explorer.data["counts_table"]) == without_numbers(lab.counts_html.value)
    for table in (lab.rates_html.value, lab.history_html.value, stepper.table_html.value):
        assert 'class="cmlearn-rates cx-table"' in table or 'class="cmlearn-history cx-table"' in table
        assert "style=" not in table, "the labs' tables take the shared stylesheet's theme colours, not inline ones"


def test_presenter_scale_on_both_labs(data):
    for make in (lambda p: DatasetLab(n_samples=100, sizes=(100,), presenter=p),
                 lambda p: BatchStepper(*data, batch_size=128, presenter=p)):
        plain, big = make(False), make(True)
        assert not plain.presenter and "cmlearn-presenter" not in plain._dom_classes
        assert big.presenter and {"cmlearn-theme", "cmlearn-lab", "cmlearn-presenter"} <= set(big._dom_classes)
        assert {"cmlearn-theme", "cmlearn-lab"} <= set(plain._dom_classes)
        # The shared stylesheet travels with each lab, in a hidden HTML widget.
        style = big.children[0]
        assert style.value == f"<style>{html.THEME_CSS}</style>" and style.layout.display == "none"
        big.presenter = False
        assert "cmlearn-presenter" not in big._dom_classes
        plain.presenter = True
        assert "cmlearn-presenter" in plain._dom_classes
    # The scale itself (measured in a browser by test_widgets_labs_browser.py): 28 px text for the
    # explorer and the labs, and ipywidgets' controls at the same size in the labs.
    assert ".cmlearn-theme.cmlearn-presenter { font-size: 28px; }" in html.THEME_CSS
    assert "--jp-widgets-font-size: 28px;" in html.THEME_CSS
