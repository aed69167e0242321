"""The threshold lab in a real browser: keys move the slider, the shown counts follow Keras.

JupyterLab serves a temp copy of ``notebooks/``; headless Chromium opens
``02_threshold_lab.ipynb``, runs all cells from the *Run* menu, then drives the
explorer's slider with the keyboard. After each move the counts shown in the
page must be exactly what ``cmlearn.keras_counts`` gives in this process for
the slider's shown value on the same (deterministic) breast-cancer scores.

Outside CI the test is skipped when Chromium is missing; in CI it fails.
"""

from __future__ import annotations

import os
import pathlib
import time

import pytest
from browser import JupyterLab, artifacts_dir, chromium, open_and_run_all, require_chromium, wait_for_widget

REPO = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK = "02_threshold_lab.ipynb"
EXPLORER = ".cmlearn-explorer"
SLIDER = ".cmlearn-threshold-slider"  # the explorer's threshold FloatSlider
CELLS = ("tp", "fp", "tn", "fn")
# (key, presses): small steps, the ends of the range, a page step, then back to mid-range for the screenshot.
MOVES = [("ArrowRight", 1), ("ArrowRight", 9), ("End", 1), ("Home", 1), ("PageUp", 1), ("ArrowRight", 25)]


def _shown_counts(explorer):
    """The four counts as the page shows them, as text."""
    return {key: explorer.locator(f'[data-count="{key}"]').first.inner_text().strip() for key in CELLS}


def _shown_threshold(explorer, timeout_s=15.0):
    """The slider's value as its readout shows it (the readout is filled in just after the slider renders)."""
    readout = explorer.locator(f"{SLIDER} .widget-readout").first
    deadline = time.monotonic() + timeout_s
    text = readout.inner_text().strip()
    while not text and time.monotonic() < deadline:
        explorer.page.wait_for_timeout(100)
        text = readout.inner_text().strip()
    assert text, f"the slider's readout stayed empty for {timeout_s:.0f} s"
    return float(text)


def _expected(y_true, y_pred, threshold):
    import cmlearn
    from cmlearn.ratios import format_count

    counts = cmlearn.keras_counts(y_true, y_pred, thresholds=threshold)
    return {key: format_count(getattr(counts, key)) for key in CELLS}


def _wait_for_counts(explorer, expected, timeout_s=30.0):
    """The shown counts once they equal ``expected``, or the last ones seen after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    shown = _shown_counts(explorer)
    while shown != expected and time.monotonic() < deadline:
        explorer.page.wait_for_timeout(100)
        shown = _shown_counts(explorer)
    return shown


@pytest.fixture(scope="module")
def lab_data():
    """The lab's data, computed here the way the notebook computes it (after the cheap checks)."""
    require_chromium()
    if not (REPO / "notebooks" / NOTEBOOK).exists():
        message = f"notebooks/{NOTEBOOK} does not exist yet"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import cmlearn

    cmlearn.notebook_setup(seed=0, verbose=False)
    return cmlearn.breast_cancer_scores()


def test_threshold_lab_keyboard_counts_match_keras(lab_data):
    y_true, y_pred = lab_data
    shots = artifacts_dir()

    with JupyterLab(REPO / "notebooks") as lab, chromium(height=1400) as page:
        open_and_run_all(page, lab, NOTEBOOK)
        explorer = wait_for_widget(page, EXPLORER, lab=lab)
        explorer.scroll_into_view_if_needed()

        threshold = _shown_threshold(explorer)
        expected = _expected(y_true, y_pred, threshold)
        shown = _wait_for_counts(explorer, expected)
        assert shown == expected, f"at the first shown threshold {threshold}: page {shown}, keras_counts {expected}"
        seen = {tuple(shown.values())}

        handle = explorer.locator(f"{SLIDER} .noUi-handle").first
        handle.focus()
        for key, presses in MOVES:
            before = _shown_threshold(explorer)
            for _ in range(presses):
                page.keyboard.press(key)
            threshold = _shown_threshold(explorer)
            assert threshold != before or key in ("End", "Home"), (
                f"{key} x{presses} did not move the slider from {before}"
            )
            expected = _expected(y_true, y_pred, threshold)
            shown = _wait_for_counts(explorer, expected)
            assert shown == expected, (
                f"after {key} x{presses} the slider shows {threshold}: page counts {shown}, "
                f"keras_counts(y_true, y_pred, thresholds={threshold}) {expected}"
            )
            seen.add(tuple(shown.values()))
        # The moves must have changed what is shown, or the test proved nothing about updates.
        assert len(seen) >= 3, f"the counts hardly changed across the moves: {seen}"

        path = shots / "threshold_lab.png"
        explorer.screenshot(path=str(path))
        page.screenshot(path=str(shots / "threshold_lab_page.png"))
        print(f"screenshots: {path} and {shots / 'threshold_lab_page.png'}")
