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

import pathlib
import tempfile

import nbformat
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


@pytest.fixture(scope="module")
def dark_page():
    require_chromium()
    with tempfile.TemporaryDirectory(prefix="cmlearn-labs-") as tmp:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, str(pathlib.Path(tmp) / NOTEBOOK))
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
