"""DatasetLab and BatchStepper in a real browser: JupyterLab Dark, headless Chromium.

The labs show the ThresholdExplorer's counts table and take its stylesheet
(``theme.css``). In JupyterLab Dark every text node of both labs must reach
4.5:1 contrast against its background, computed in the page from the
rendered colours; the rows of their tables must have equal numbers of
cells; and the BatchStepper, built with ``presenter=True``, must show text
of at least 28 px and counts of at least 40 px. One server, one notebook:
the labs run Keras per move in the kernel, so nothing here is timing-bound.

Screenshots land in ``$CMLEARN_ARTIFACTS`` (else a temp dir) for a person to look at.
"""

from __future__ import annotations

import json
import pathlib
import tempfile
import time
import urllib.request

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
    write_notebook,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "labs.ipynb"
CELLS = [
    "import cmlearn\n\ncmlearn.notebook_setup(verbose=False)",
    # Two data sets in the history; a first batch whose precision is 0/0 ("undefined" is text too).
    "lab = cmlearn.DatasetLab(n_samples=100, prevalence=0.5, sizes=(100, 1000))\n"
    "lab.prevalence_slider.value = 0.1\nlab",
    "stepper = cmlearn.BatchStepper([1, 0, 0, 1, 1, 0], [0.1, 0.2, 0.3, 0.9, 0.8, 0.2], batch_size=3, presenter=True)\n"
    "stepper.all_button.click()\nstepper",
]
LABS = (".cmlearn-dataset-lab", ".cmlearn-batch-stepper")


# Function scope: Playwright's sync API cannot start a second browser while this one is open, and the
# reopening test below starts its own.
@pytest.fixture
def dark_page():
    require_chromium()
    with tempfile.TemporaryDirectory(prefix="cmlearn-labs-") as tmp:
        write_notebook(tmp, NOTEBOOK, CELLS)
        with JupyterLab(tmp, settings=DARK) as lab, chromium(width=1920, height=1400) as page:
            open_and_run_all(page, lab, NOTEBOOK)
            for lab_selector in LABS:
                wait_for_widget(page, f"{lab_selector} [data-count=tp]", lab=lab)
            yield page


def test_labs_in_dark_theme_keep_contrast_aligned_tables_and_presenter_scale(dark_page):
    page = dark_page
    assert page.evaluate("document.body.dataset.jpThemeLight") == "false", "JupyterLab Dark is not on"
    for selector in LABS:
        root = page.locator(selector).first
        texts = root.evaluate(CONTRAST)
        assert len(texts) > 60, f"{selector}: too few text nodes ({len(texts)}): is the lab drawn?"
        low = [t for t in texts if t["ratio"] < 4.5]
        assert not low, f"{selector}: {len(low)} text(s) below 4.5:1 in JupyterLab Dark: {low[:10]}"
        cells = root.evaluate("(el) => [...el.querySelectorAll('.cmlearn-counts tr')].map((r) => r.cells.length)")
        assert cells == [4, 4, 4, 4], f"{selector}: counts table rows with different numbers of cells: {cells}"
        widths = root.evaluate(
            "(el) => [...el.querySelectorAll('.cmlearn-counts tr')].map((r) => r.getBoundingClientRect().width)"
        )
        assert max(widths) - min(widths) < 0.5, f"{selector}: counts table rows differ in width: {widths}"
        history = root.evaluate("(el) => [...el.querySelectorAll('.cmlearn-history tr')].map((r) => r.cells.length)")
        assert len(history) >= 3 and len(set(history)) == 1, f"{selector}: history rows differ: {history}"
        root.screenshot(path=str(artifacts_dir() / f"labs_dark_{selector.strip('.')}.png"))
    plain, presenter = (page.locator(s).first for s in LABS)
    assert "cmlearn-presenter" in presenter.get_attribute("class") and "cmlearn-presenter" not in plain.get_attribute(
        "class"
    )
    sizes = [t["size"] for t in presenter.evaluate(CONTRAST)]
    assert min(sizes) >= 28, f"presenter scale: text below 28 px: {sorted(sizes)[:5]}"
    counts = presenter.evaluate(
        "(el) => [...el.querySelectorAll('[data-count]')].map((c) => parseFloat(getComputedStyle(c).fontSize))"
    )
    assert len(counts) == 4 and min(counts) >= 40, f"presenter scale: counts must be at least 40 px: {counts}"
    assert max(t["size"] for t in plain.evaluate(CONTRAST)) < 28, "without presenter=True the lab keeps notebook size"


REPO = pathlib.Path(__file__).resolve().parents[1]
#: The settings make lab and Binder install (binder/overrides.json), as user settings of the private JupyterLab.
SHIPPED = {
    plugin.replace(":", "/"): values
    for plugin, values in json.loads((REPO / "binder" / "overrides.json").read_text()).items()
}
REOPEN = "reopen.ipynb"
REOPEN_CELLS = [
    "import cmlearn\n\ncmlearn.notebook_setup(verbose=False)",
    # Lesson 02's explorer cell, on lesson 02's data.
    "y_true, y_pred = cmlearn.breast_cancer_scores()\n"
    "explorer = cmlearn.ThresholdExplorer(y_true, y_pred, thresholds=0.5)\nexplorer",
    "lab = cmlearn.DatasetLab(n_samples=100, prevalence=0.3, sizes=(100, 1000))\nlab",
]


def _history_rows(page):
    return page.locator(".cmlearn-dataset-lab .cmlearn-history tbody tr").count()


def test_arrow_presses_on_the_prevalence_slider_count_once_when_it_rests_and_a_lesson_reopens_with_its_labs():
    """labs.py, DatasetLab: "a burst of arrow presses ... is counted once, at the setting it ends on"; and
    binder/overrides.json (make lab, Binder): a lesson saved, its kernel gone, reopened, shows the explorer and
    the lab from the saved widget state (no "model not found"), and the explorer still moves."""
    require_chromium()
    shots = artifacts_dir()
    with tempfile.TemporaryDirectory(prefix="cmlearn-reopen-") as tmp:
        write_notebook(tmp, REOPEN, REOPEN_CELLS)
        with JupyterLab(tmp, settings=SHIPPED) as lab, chromium(width=1366, height=768) as page:
            open_and_run_all(page, lab, REOPEN)
            wait_for_widget(page, ".cmlearn-explorer [data-count=tp]", lab=lab)
            wait_for_widget(page, ".cmlearn-dataset-lab [data-count=tp]", lab=lab)
            assert _history_rows(page) == 1
            handle = page.locator(".cmlearn-dataset-lab .widget-slider").nth(1).locator(".noUi-handle").first
            handle.focus()
            for _ in range(4):  # 0.30 -> 0.50, quicker than the lab's 0.4 s rest
                page.keyboard.press("ArrowRight")
                page.wait_for_timeout(60)
            box = page.locator(".cmlearn-prevalence-box input")
            page.wait_for_function("(b) => b.value === '0.50'", arg=box.element_handle(), timeout=10_000)
            page.wait_for_function(
                "() => document.querySelectorAll('.cmlearn-dataset-lab .cmlearn-history tbody tr').length === 2",
                timeout=30_000,
            )
            page.wait_for_timeout(1500)  # nothing more comes: the presses between were never counted
            assert _history_rows(page) == 2
            current = page.locator('.cmlearn-dataset-lab .cmlearn-history tr[aria-current="true"] [data-col]')
            assert current.nth(1).inner_text() == "0.50"
            page.locator(".cmlearn-dataset-lab").first.screenshot(path=str(shots / "lab_after_presses_1366.png"))
            page.keyboard.press("Control+s")
            saved = lab.root / REOPEN
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "widget-state" not in saved.read_text():
                page.wait_for_timeout(250)
            assert "application/vnd.jupyter.widget-state+json" in saved.read_text(), "the widget state was not saved"
            api = f"{lab.base_url}api/kernels?token={lab.token}"
            for kernel in json.loads(urllib.request.urlopen(api).read()):
                request = urllib.request.Request(
                    f"{lab.base_url}api/kernels/{kernel['id']}?token={lab.token}", method="DELETE"
                )
                urllib.request.urlopen(request)
            page.goto(lab.url(f"lab/tree/{REOPEN}"), wait_until="domcontentloaded")
            explorer = wait_for_widget(page, ".cmlearn-explorer [data-count=tp]", lab=lab)
            wait_for_widget(page, ".cmlearn-dataset-lab [data-count=tp]", lab=lab)
            assert page.get_by_text("model not found").count() == 0
            assert _history_rows(page) == 2, "the lab shows what it showed when saved"
            slider = page.locator(".cmlearn-explorer [role=slider]").first
            before = (slider.get_attribute("aria-valuenow"), explorer.inner_text())
            slider.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "(v) => document.querySelector('.cmlearn-explorer [role=slider]').getAttribute('aria-valuenow') !== v",
                arg=before[0], timeout=10_000,
            )
            page.screenshot(path=str(shots / "reopened_1366.png"))
