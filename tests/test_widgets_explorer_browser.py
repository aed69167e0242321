"""The threshold explorer in a real browser: JupyterLab (light and dark) and Voila, in headless Chromium.

A generated notebook builds ``cmlearn.ThresholdExplorer`` on scores rounded
to two decimals (so many samples sit exactly on slider positions). The page
is driven as a learner drives it, by keyboard and by typing, and after every
move the counts it shows must equal ``cmlearn.keras_counts`` at the threshold
it shows (``aria-valuenow``), computed here in the test process. Then the
kernel is shut down and the slider must still move.

In JupyterLab Dark every text node of the explorer must reach 4.5:1 contrast
against its background, computed in the page from the rendered colours. In
Voila at 1920×1080, the presenter scale must give text of at least 28 px,
counts of at least 40 px, and slider, counts and score plot on one screen.

Screenshots land in ``$CMLEARN_ARTIFACTS`` (else a temp dir) for a person to look at.
"""

from __future__ import annotations

import json
import pathlib
import re
import tempfile
import time
import urllib.request

import numpy as np
import pytest
from browser import (
    CONTRAST,
    DARK,
    JupyterLab,
    artifacts_dir,
    chromium,
    open_and_run_all,
    require_chromium,
    wait_for_widget,
)
from browser import write_notebook as write_cells

pytestmark = pytest.mark.browser

REPO = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK = "explorer.ipynb"
EXPLORER = ".cmlearn-explorer"
SLIDER = ".cmlearn-explorer [role=slider]"
CELLS = ("tp", "fp", "tn", "fn")
DATA = "y_true, y_pred = make_scores(300, prevalence=0.4, seed=1)\ny_pred = np.round(y_pred, 2).astype(np.float32)\n"
SETUP = (
    "import numpy as np\nimport cmlearn\nfrom cmlearn.data import make_scores\n\n"
    "cmlearn.notebook_setup(verbose=False)"
)


def write_notebook(directory, code):
    write_cells(directory, NOTEBOOK, [SETUP, code, "'a cell below the explorer'"])


@pytest.fixture(scope="module")
def data():
    require_chromium()
    from cmlearn.data import make_scores

    namespace = {"make_scores": make_scores, "np": np}
    exec(DATA, namespace)
    return namespace["y_true"], namespace["y_pred"]


def expected_counts(data, threshold):
    import cmlearn
    from cmlearn.counts import format_count

    counts = cmlearn.keras_counts(*data, thresholds=threshold)
    return {key: format_count(getattr(counts, key)) for key in CELLS}


def shown(page):
    """``(threshold, counts)`` as the page shows them."""
    value = page.locator(SLIDER).get_attribute("aria-valuenow")
    counts = {key: page.locator(f'{EXPLORER} [data-count="{key}"]').inner_text().strip() for key in CELLS}
    return float(value), counts


def wait_shown(page, threshold, timeout_s=20.0):
    """Wait until the page shows ``threshold``; return what it shows."""
    deadline = time.monotonic() + timeout_s
    now = shown(page)
    while now[0] != threshold and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        now = shown(page)
    return now


def assert_counts_are_keras(page, data, where):
    threshold, counts = shown(page)
    expected = expected_counts(data, threshold)
    assert counts == expected, (
        f"{where}: the page shows {counts} at threshold {threshold}; keras_counts gives {expected}"
    )
    return threshold, counts


@pytest.fixture(scope="class")
def light(data):
    """JupyterLab (light theme) with the explorer shown: yields ``(lab, page)``."""
    code = DATA + "explorer = cmlearn.ThresholdExplorer(y_true, y_pred)\nexplorer"
    with tempfile.TemporaryDirectory(prefix="cmlearn-explorer-") as tmp:
        write_notebook(tmp, code)
        with JupyterLab(tmp) as lab, chromium(width=1366, height=768) as page:
            open_and_run_all(page, lab, NOTEBOOK)
            wait_for_widget(page, SLIDER, lab=lab)
            page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for()
            yield lab, page


def type_threshold(page, value):
    box = page.locator(f"{EXPLORER} input")
    box.fill(value)
    box.press("Enter")


def kernel_ids(lab):
    request = urllib.request.Request(f"{lab.base_url}api/kernels", headers={"Authorization": f"token {lab.token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return [k["id"] for k in json.load(response)]


@pytest.mark.usefixtures("light")
class TestJupyterLabLight:
    """Keyboard, typing and a lost kernel, in JupyterLab's light theme (one server for the class)."""

    def test_keys_move_the_slider_and_counts_stay_keras(self, light, data):
        lab, page = light
        assert_counts_are_keras(page, data, "at the start")
        assert shown(page)[0] == 0.5
        active = page.locator(".jp-Notebook .jp-Cell.jp-mod-active").first.get_attribute("class")
        page.locator(SLIDER).focus()
        seen = set()
        for key, presses, expect in [
            ("ArrowRight", 1, 0.51), ("ArrowRight", 9, 0.6), ("ArrowUp", 2, 0.62), ("ArrowLeft", 1, 0.61),
            ("ArrowDown", 3, 0.58), ("PageUp", 1, 0.68), ("PageDown", 2, 0.48), ("End", 1, 1.0), ("ArrowRight", 1, 1.0),
            ("Home", 1, 0.0), ("ArrowLeft", 1, 0.0), ("PageUp", 3, 0.3),
        ]:
            for _ in range(presses):
                page.keyboard.press(key)
            threshold, counts = assert_counts_are_keras(page, data, f"after {key} x{presses}")
            assert threshold == expect, f"after {key} x{presses} the slider shows {threshold}, expected {expect}"
            assert page.locator(SLIDER).get_attribute("aria-valuetext").startswith(f"Threshold {expect:g}:")
            seen.add(tuple(counts.values()))
        assert len(seen) >= 8, f"the counts hardly changed across the moves: {seen}"
        # JupyterLab's notebook shortcuts did not take the keys (ArrowDown would select the next cell).
        assert page.locator(".jp-Notebook .jp-Cell.jp-mod-active").first.get_attribute("class") == active
        assert page.evaluate("document.activeElement.getAttribute('role')") == "slider"
        live = page.locator(f"{EXPLORER} [aria-live=polite]")
        page.wait_for_function("(el) => el.textContent.startsWith('Threshold 0.3:')", arg=live.element_handle())


    def test_typed_thresholds_on_and_off_the_grid(self, light, data):
        lab, page = light
        type_threshold(page, "0.42")
        assert wait_shown(page, 0.42)[0] == 0.42
        assert_counts_are_keras(page, data, "typed 0.42")
        type_threshold(page, "0.355")  # between steps: counted by Keras in the kernel
        assert wait_shown(page, 0.355)[0] == 0.355, page.locator(f"{EXPLORER} .cx-message").inner_text()
        assert_counts_are_keras(page, data, "typed 0.355")
        assert page.locator(f"{EXPLORER} .cx-value").inner_text() == "0.355"
        page.locator(SLIDER).focus()
        page.keyboard.press("ArrowRight")  # from between steps to the next step up
        assert wait_shown(page, 0.36)[0] == 0.36
        assert_counts_are_keras(page, data, "ArrowRight from 0.355")
        page.keyboard.press("ArrowLeft")
        assert wait_shown(page, 0.35)[0] == 0.35
        good = shown(page)
        for value, words in [
            ("1.5", ["1.5", "outside [0, 1]", "from 0 to 1"]),
            ("-0.2", ["-0.2", "outside [0, 1]"]),
            ("0,3", ['"0,3"', "decimal comma", "0.3"]),
            ("abc", ['"abc"', "not a number", "0.35"]),
        ]:
            type_threshold(page, value)
            message = page.locator(f"{EXPLORER} .cx-message").inner_text()
            for word in words:
                assert word in message, f"typed {value!r}: the message {message!r} does not say {word!r}"
            assert "still shows 0.35" in message
            page.wait_for_timeout(300)
            assert shown(page) == good, f"typed {value!r}: the view changed (nothing may be clamped)"
        page.locator(SLIDER).focus()
        page.keyboard.press("ArrowRight")
        assert page.locator(f"{EXPLORER} .cx-message").inner_text() == "", "a good move clears the message"


    def test_a_dot_tells_its_sample_on_hover_and_focus(self, light, data):
        lab, page = light
        y_true, y_pred = data
        dots = page.locator(f"{EXPLORER} circle.cx-dot")
        assert dots.count() == len(y_true), "one dot per sample"
        dot = dots.nth(5)
        dot.dispatch_event("mouseenter")  # as a pointer entering it (stacked dots overlap, so no real hover)
        info = page.locator(f"{EXPLORER} .cx-dot-info").inner_text()
        index = int(info.split(":")[0].removeprefix("sample "))
        assert f"label {int(y_true[index])}, score {str(np.float32(y_pred[index]))}" in info, info
        threshold = shown(page)[0]
        cell = ("T" if (y_pred[index] > np.float32(threshold)) == (y_true[index] == 1) else "F") + (
            "P" if y_pred[index] > np.float32(threshold) else "N")
        assert info.endswith(f"{cell} at threshold {threshold:g}"), info
        dots.nth(len(y_true) - 1).focus()
        focused = page.locator(f"{EXPLORER} .cx-dot-info").inner_text()
        assert focused != info and focused.endswith(f"at threshold {threshold:g}")
        page.locator(SLIDER).focus()  # the focused dot's text goes with its focus...
        assert page.locator(f"{EXPLORER} .cx-dot-info").is_hidden()
        dots.nth(len(y_true) - 1).dispatch_event("mouseenter")  # ...a hovered dot's stays while the keys move
        page.keyboard.press("PageUp")  # the text follows the move
        moved = page.locator(f"{EXPLORER} .cx-dot-info").inner_text()
        assert moved.startswith(focused.split(",")[0]) and moved.endswith(f"at threshold {shown(page)[0]:g}"), moved

    def test_light_screenshot_fits_a_laptop(self, light):
        lab, page = light
        page.locator(SLIDER).focus()
        page.keyboard.press("Home")
        for _ in range(5):
            page.keyboard.press("PageUp")
        root = page.locator(EXPLORER)
        root.evaluate("(el) => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        box = page.evaluate(
            """(root) => { const r = (s) => root.querySelector(s).getBoundingClientRect();
               return {slider: r('[role=slider]').top, counts: r('table').bottom,
                       plot: r('svg.cx-scores').bottom, height: innerHeight}; }""",
            root.element_handle(),
        )
        shots = artifacts_dir()
        page.screenshot(path=str(shots / "explorer_light_1366x768.png"))
        root.screenshot(path=str(shots / "explorer_light.png"))
        assert box["slider"] >= 0 and box["counts"] <= box["height"] and box["plot"] <= box["height"], (
            f"slider, counts and score plot do not fit a 1366x768 window together: {box}"
        )


    def test_with_the_kernel_shut_down_the_slider_still_moves(self, light, data):
        lab, page = light
        ids = kernel_ids(lab)
        assert ids, "no kernel is running"
        for kernel in ids:
            request = urllib.request.Request(
                f"{lab.base_url}api/kernels/{kernel}", method="DELETE", headers={"Authorization": f"token {lab.token}"}
            )
            urllib.request.urlopen(request, timeout=30).close()
        assert kernel_ids(lab) == []
        page.wait_for_timeout(1000)
        page.locator(SLIDER).focus()
        before = shown(page)[0]
        for key in ("ArrowRight", "ArrowRight", "PageUp", "End", "Home", "PageUp"):
            page.keyboard.press(key)
            assert_counts_are_keras(page, data, f"{key} with no kernel")
        assert shown(page)[0] != before
        good = shown(page)
        type_threshold(page, "0.4444")
        message = page.locator(f"{EXPLORER} .cx-message")
        page.wait_for_function(
            "(el) => el.textContent.includes('needs a running kernel')", arg=message.element_handle(), timeout=20_000
        )
        assert shown(page) == good, "the last good view must stay"


@pytest.fixture
def dark(data):
    weights = "w = np.where(y_true == 1, 5.0, 1.0)\n"
    code = DATA + weights + "explorer = cmlearn.ThresholdExplorer(y_true, y_pred, sample_weight=w)\nexplorer"
    with tempfile.TemporaryDirectory(prefix="cmlearn-explorer-") as tmp:
        write_notebook(tmp, code)
        with JupyterLab(tmp, settings=DARK) as lab, chromium(width=1366, height=1800) as page:
            open_and_run_all(page, lab, NOTEBOOK)
            wait_for_widget(page, SLIDER, lab=lab)
            page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for()
            yield lab, page


def test_dark_theme_text_contrast_and_aligned_counts_table(dark):
    lab, page = dark
    assert page.evaluate("document.body.dataset.jpThemeLight") == "false", "JupyterLab Dark is not on"
    root = page.locator(EXPLORER)
    page.locator(SLIDER).focus()
    page.keyboard.press("End")  # precision undefined: its note is text too
    caption = root.locator(".cmlearn-rates caption")
    page.locator(f"{EXPLORER} [data-weights=weighted]").click()
    assert caption.inner_text().startswith("Weighted rates"), caption.inner_text()  # weighted rates say so
    page.locator(f"{EXPLORER} [data-weights=unweighted]").click()
    assert caption.inner_text() == "Rates: divisions you write with the counts"
    texts = root.evaluate(CONTRAST)
    assert len(texts) > 80, f"too few text nodes found ({len(texts)}): is the explorer drawn?"
    low = [t for t in texts if t["ratio"] < 4.5]
    assert not low, f"{len(low)} text(s) below 4.5:1 in JupyterLab Dark: {low[:10]}"
    assert any("precision = 0/0 is undefined" in t["text"] or "undefined" in t["text"] for t in texts)
    widths = root.evaluate(
        "(el) => [...el.querySelectorAll('.cmlearn-counts tr')].map((r) => r.getBoundingClientRect().width)"
    )
    assert len(widths) == 4 and max(widths) - min(widths) < 0.5, f"counts table rows differ in width: {widths}"
    cells = root.evaluate("(el) => [...el.querySelectorAll('.cmlearn-counts tr')].map((r) => r.cells.length)")
    assert cells == [4, 4, 4, 4], f"header and body rows have different numbers of cells: {cells}"
    heads = root.locator(".cmlearn-counts thead th").all_inner_texts()
    assert heads == ["predicted 0 (negative)", "predicted 1 (positive)", "row total (actual)"]
    for key, name in (
        ("tp", "TruePositives"),
        ("fp", "FalsePositives"),
        ("tn", "TrueNegatives"),
        ("fn", "FalseNegatives"),
    ):
        short = {"tp": "TP", "fp": "FP", "tn": "TN", "fn": "FN"}[key]  # keras.metrics. is said in the caption
        assert f"{short} · {name}" in root.locator(f"td:has([data-count={key}])").inner_text()
    assert root.locator(".cmlearn-counts caption").inner_text().startswith("Counts from keras.metrics")
    root.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    page.locator(SLIDER).focus()
    page.keyboard.press("Home")
    for _ in range(4):
        page.keyboard.press("PageUp")
    page.wait_for_timeout(300)
    root.screenshot(path=str(artifacts_dir() / "explorer_dark.png"))


@pytest.fixture(scope="module")
def voila(data):
    from browser import voila_presenter

    with voila_presenter() as url:
        yield url


def test_presenter_scale_in_voila_at_1080p(voila):
    with chromium(width=1920, height=1080) as page:
        page.goto(voila, timeout=300_000)
        page.locator(SLIDER).wait_for(timeout=300_000)
        root = page.locator(EXPLORER)
        page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for()
        assert "cmlearn-presenter" in root.get_attribute("class")
        root.evaluate("(el) => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        texts = root.evaluate(CONTRAST)
        small = [t for t in texts if t["size"] < 28]
        assert not small, f"{len(small)} text(s) below 28 px in presenter scale: {small[:8]}"
        sizes = root.evaluate(
            "(el) => [...el.querySelectorAll('[data-count]')].map((c) => parseFloat(getComputedStyle(c).fontSize))"
        )
        assert len(sizes) == 4 and min(sizes) >= 40, f"counts must be at least 40 px: {sizes}"
        box = root.evaluate(
            """(root) => { const r = (s) => root.querySelector(s).getBoundingClientRect();
               return {slider: r('[role=slider]').top, counts: r('table').bottom,
                       plot: r('svg.cx-scores').bottom, height: innerHeight}; }"""
        )
        page.screenshot(path=str(artifacts_dir() / "explorer_presenter_voila_1920x1080.png"))
        assert box["slider"] >= 0 and box["counts"] <= box["height"] and box["plot"] <= box["height"], (
            f"slider, counts and score plot are not on one 1920x1080 screen: {box}"
        )
        low = [t for t in texts if t["ratio"] < 4.5]
        assert not low, f"presenter text below 4.5:1: {low[:8]}"
