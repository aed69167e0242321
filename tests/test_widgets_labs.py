"""DatasetLab's moves, rows, boxes and text (issue 19, item 5), with real widgets and real Keras counts.

A move from the page is simulated as ipywidgets' comm handler makes it:
``control.set_state(...)`` (the value arrives under the property lock).
A move from Python is a plain assignment. The browser side (arrow presses
in JupyterLab) is tests/test_widgets_labs_browser.py.
"""

import asyncio
import re
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import PROPERTY, SLOW_PROPERTY

import cmlearn
from cmlearn.counts import format_count, numpy_counts
from cmlearn.data import make_scores
from cmlearn.widgets import DatasetLab, html
from cmlearn.widgets.labs import _Settle

SIZES = (20, 50, 1000)
PREVALENCES = (0.05, 0.3, 0.35, 0.5, 0.95)


def shown_counts(widget_html):
    return dict(re.findall(r'data-count="(\w+)">([^<]*)<', widget_html))


def rows(lab):
    """The history table's rows as the page shows them: (samples, prevalence, is it the current row)."""
    found = re.findall(r'<tr data-row="\d+"( aria-current="true")?>(.*?)</tr>', lab.history_html.value)
    cells = [dict(re.findall(r'data-col="(\w+)">(?:<strong>)?([^<]*)<', body)) for _, body in found]
    return [(c["n_samples"], c["prevalence"], bool(mark)) for (mark, _), c in zip(found, cells, strict=True)]


def assert_shows_keras_counts_of(lab, n, prevalence):
    y_true, y_pred = make_scores(n, prevalence, 2.0, 0)
    expected = numpy_counts(y_true, y_pred, 0.5)
    assert lab.counts.ravel() == expected.ravel()
    assert shown_counts(lab.counts_html.value) == {k: format_count(getattr(expected, k)) for k in ("tn", "fp", "fn",
                                                                                                    "tp")}


def wait_settled(lab, timeout=20.0):
    deadline = time.monotonic() + timeout
    while lab.pending and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not lab.pending, "the lab never counted the setting it rested on"


def test_arrow_presses_in_the_page_are_counted_once_when_the_slider_rests():
    """labs.py, DatasetLab: "Moved in the page, the lab counts once the controls have rested ``settle`` seconds:
    a burst of arrow presses or a drag is counted once, at the setting it ends on." """
    lab = DatasetLab(n_samples=50, prevalence=0.3, sizes=SIZES, settle=0.3)
    shown = lab.counts_html.value
    for value in (0.35, 0.4, 0.45, 0.5):  # four presses of the right arrow, as the page sends them
        lab.prevalence_slider.set_state({"value": value})
    assert lab.pending and len(lab.history) == 1 and lab.counts_html.value == shown, "counted before it rested"
    assert lab.prevalence_box.value == "0.50", "the box follows the slider at once, as a readout does"
    wait_settled(lab)
    assert rows(lab) == [("50", "0.30", False), ("50", "0.50", True)]
    assert_shows_keras_counts_of(lab, 50, 0.5)
    lab.size_slider.set_state({"index": 2})  # the size slider too (its value travels as an index)
    assert lab.pending
    wait_settled(lab)
    assert rows(lab)[-1] == ("1,000", "0.50", True)
    assert_shows_keras_counts_of(lab, 1000, 0.5)


def test_the_wait_runs_on_the_kernels_event_loop_and_restarts_on_every_move():
    """labs.py, _Settle: "Each poke starts the wait again. The wait runs on the kernel's event loop when there is
    one" (ipykernel runs its comm handlers on an asyncio loop)."""
    ran = []

    async def presses():
        settle = _Settle(0.2, lambda: ran.append(time.monotonic()))
        start = time.monotonic()
        for _ in range(5):
            settle.poke()
            assert settle.pending
            await asyncio.sleep(0.05)  # quicker than the wait: each press starts it again
        await asyncio.sleep(0.5)
        return start, settle

    start, settle = asyncio.run(presses())
    assert len(ran) == 1 and not settle.pending
    assert ran[0] - start >= 0.2 + 4 * 0.05 - 0.01, "it counted before the last press had rested"


@SLOW_PROPERTY
@given(st.lists(st.tuples(st.sampled_from(("size", "prevalence")), st.integers(0, 4)), min_size=1, max_size=8))
def test_one_history_row_per_distinct_setting_and_going_back_marks_its_row(moves):
    """labs.py, DatasetLab: ":attr:`history` has one row per distinct setting (samples, prevalence), in the order
    first shown. Going back to a setting shown before adds no row: its row becomes the current one"."""
    lab = DatasetLab(n_samples=20, prevalence=0.3, sizes=SIZES[:2])
    seen = [("20", "0.30")]
    for control, i in moves:
        if control == "size":
            lab.size_slider.value = SIZES[:2][i % 2]
        else:
            lab.prevalence_slider.value = PREVALENCES[i]
        setting = (format_count(lab.size_slider.value), f"{lab.prevalence_slider.value:.2f}")
        if setting not in seen:
            seen.append(setting)
        assert [(n, p) for n, p, _ in rows(lab)] == seen
        assert [current for *_, current in rows(lab)] == [s == setting for s in seen]
        assert lab.current == seen.index(setting) and len(lab.history) == len(seen)
    assert_shows_keras_counts_of(lab, lab.size_slider.value, lab.prevalence_slider.value)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("50%", "the prevalence box holds '50%', a percentage, but it takes a share from 0.05 to 0.95. "
                "Fix: type 0.5 for 50%, with no % sign."),
        ("", "the prevalence box is empty. Fix: type a share from 0.05 to 0.95, e.g. 0.3 for 30%."),
        ("   ", "the prevalence box is empty. Fix: type a share from 0.05 to 0.95, e.g. 0.3 for 30%."),
        ("half", "the prevalence box holds 'half', which is not a number. "
                 "Fix: type a share from 0.05 to 0.95, e.g. 0.3 for 30%."),
        ("50", "the prevalence box holds '50', but it takes a share from 0.05 to 0.95. Fix: type 0.5 for 50%."),
        ("0.01", "the prevalence box holds '0.01', but it takes a share from 0.05 to 0.95. "
                 "Fix: type a share from 0.05 to 0.95, e.g. 0.3 for 30%."),
        ("2%", "the prevalence box holds '2%', a percentage, but it takes a share from 0.05 to 0.95. "
               "Fix: type a share from 0.05 to 0.95, e.g. 0.3 for 30%."),
    ],
)
def test_a_typed_prevalence_that_is_not_a_share_says_what_to_type_and_keeps_the_last_good_view(typed, message):
    """Issue 19, item 5: "Typed "50%" and an empty box get messages that say what to type"; labs.py: the message
    names the box, the text and the fix, and the lab keeps its last good view."""
    lab = DatasetLab(n_samples=50, prevalence=0.3, sizes=SIZES)
    before = (lab.counts_html.value, lab.rates_html.value, lab.history_html.value, lab.counts)
    lab.prevalence_box.set_state({"value": typed})  # typed in the page, Enter pressed
    assert lab.error == f"ValueError: {message}"
    assert html.KEPT in lab.error_html.value and html.error_box(lab.error) == lab.error_html.value
    assert (lab.counts_html.value, lab.rates_html.value, lab.history_html.value, lab.counts) == before
    assert lab.prevalence_box.value == typed and lab.prevalence_slider.value == 0.3 and not lab.pending
    lab.prevalence_box.set_state({"value": "0.35"})  # what the message said to type: counted at once
    assert lab.error is None and lab.error_html.value == html.error_box(None)
    assert lab.prevalence_slider.value == 0.35 and not lab.pending
    assert rows(lab) == [("50", "0.30", False), ("50", "0.35", True)]
    assert_shows_keras_counts_of(lab, 50, 0.35)


def test_counts_in_the_lab_are_grouped_in_thousands_as_everywhere():
    """counts.format_count: "Show a count the way a learner reads it, thousands grouped"; the lab's counts table,
    history and size slider all show 1,000 as the explorer does."""
    lab = DatasetLab(n_samples=1000, prevalence=0.3, sizes=(1000, 100_000))
    lab.size_slider.value = 100_000
    assert lab.size_slider.label == "100,000" and lab.history[-1]["n_samples"] == "100,000"
    assert lab.history[-1]["total"] == "100,000"
    table = re.search(r'data-total="all">([^<]*)<', lab.counts_html.value).group(1)
    assert table == "100,000"
    assert all("," in v for v in shown_counts(lab.counts_html.value).values() if len(v.replace(",", "")) > 3)


@PROPERTY
@given(st.one_of(st.integers(-10**14, 10**14).map(float), st.floats(-1e9, 1e9, allow_nan=False)))
def test_format_count_groups_thousands_and_reads_back(value):
    """counts.format_count: "thousands grouped: ``5``, ``2.5``, ``20,843.4``, ``100,000``": every group after the
    first has three digits, and without its commas the text is the count (whole) or it to six digits."""
    text = format_count(value)
    if "e" not in text:
        whole = text.lstrip("-").split(".")[0].split(",")
        assert 1 <= len(whole[0]) <= 3 and all(len(group) == 3 for group in whole[1:]), text
    back = float(text.replace(",", ""))
    if value.is_integer():
        assert back == value, (value, text)
    else:
        assert back == pytest.approx(value, rel=5e-6, abs=0), (value, text)


def test_weighted_is_said_only_where_there_are_weights():
    """Issue 19, item 5: ""weighted when weights are on" appears only where there are weights": the lab (no weights)
    never says weighted; the explorer says "Weighted rates" in its weighted view, and only there."""
    lab = DatasetLab(n_samples=50, sizes=SIZES)
    for part in (lab.counts_html, lab.rates_html, lab.history_html):
        assert "weighted" not in part.value.lower(), part.value
    y_true, y_pred = make_scores(40, 0.5, 2.0, 1)
    weights = np.linspace(0.5, 2.0, 40)
    plain = cmlearn.ThresholdExplorer(y_true, y_pred)
    weighted = cmlearn.ThresholdExplorer(y_true, y_pred, sample_weight=weights)
    assert "weighted" not in plain.data["rates_table"].lower()
    assert weighted.data["rates_table"] == plain.data["rates_table"], "the rows' names do not change with weights"
    captions = {name: view["rates_caption"] for name, view in weighted.data["views"].items()}
    assert captions["weighted"].startswith("Weighted rates") and "weighted" not in captions["unweighted"].lower()


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"sizes": (100, "many")}, TypeError, "sizes[1] must be a whole number >= 1, but got 'many' (str)"),
        ({"sizes": (100, 0)}, ValueError, "sizes[1] must be a whole number >= 1, but got 0"),
        (
            {"n_samples": 50, "sizes": (100,)}, ValueError,
            "n_samples must be one of 100 (the sizes offered), but got 50",
        ),
        ({"prevalence": 0.01}, ValueError, "prevalence must be in [0.05, 0.95], but got 0.01"),
        ({"settle": -1}, ValueError, "settle must be a finite number >= 0, but got -1"),
        ({"threshold": 2}, ValueError, "threshold"),
    ],
)
def test_every_refusal_of_dataset_lab_names_the_argument_the_value_and_the_fix(kwargs, error, says):
    """Issue 21 (labs.py): every refusal names the argument, the bad value and the fix."""
    arguments = {"n_samples": 100, "sizes": (100, 1000), **kwargs}
    with pytest.raises(error) as refused:
        DatasetLab(**arguments)
    text = str(refused.value)
    assert says in text and "Fix: " in text and text.endswith("."), text
