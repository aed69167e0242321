"""The explorer on every screen: a phone (390x844), a laptop (1366x768) and a projector (1920x1080), light and dark.

Two pages are built with the site tool, as ``make site`` builds them: lesson 02 and the presenter page. They are
served on 127.0.0.1 and opened in headless Chromium in the light and the dark colour scheme; the presenter notebook
is also served by Voila (light, and dark with ``?theme=dark``). The tests measure the rendered page:

* phone, lesson 02's page: all four counts and the five totals inside the screen, nothing in the explorer scrolling
  sideways, each rate's formula on at most two lines;
* laptop in JupyterLab, lesson 02's explorer cell scrolled to the top: the slider, the counts, the score plot and
  the ROC curve in view together, and the threshold line clear of the panels' titles at both ends and the middle;
* laptop, lesson 02's page: at least 6 px of slider track per step on the default grid, a mouse press at each step's
  place lands on that step, and a message (a threshold between steps, which needs a kernel) lies over the page
  without moving the counts or the score plot, at 4.5:1 contrast;
* projector, the presenter in Voila and as a published page: no text beyond the right edge, the score plot at least
  half the screen wide, the prose at 28 px or more, a BatchStepper batch's rows ("32–63") on one line.

Screenshots land in ``$CMLEARN_ARTIFACTS`` (else a temp dir) for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import pathlib
import re
import subprocess
import sys
import threading

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
    voila_presenter,
    wait_for_widget,
    write_notebook,
)
from test_widgets_explorer_page_browser import LINE_CROSSES_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.maintainer_tools]

REPO = pathlib.Path(__file__).resolve().parent.parent
EXPLORER = ".cmlearn-explorer"
SLIDER = ".cmlearn-explorer [role=slider]"
SCHEMES = ("light", "dark")

#: Every text node of the page whose right edge passes the viewport's (a history table's scroll box counts as on
#: screen when the box is), and the page's own sideways scroll.
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth, out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement.getClientRects().length) continue;
    const box0 = node.parentElement.closest(".cx-scroll"); // a wide history table scrolls in its box, on screen
    if (box0 && box0.getBoundingClientRect().right <= width + 0.5) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) out.push([node.textContent.trim().slice(0, 40), Math.round(box.right)]);
  }
  return {beyond: out, scrollWidth: document.documentElement.scrollWidth, width};
}
"""

#: Elements under ``root`` that scroll sideways (content wider than their box); the hidden live region is not one.
SCROLLERS = """
(root) => [root, ...root.querySelectorAll("*")].filter((el) => el.getClientRects().length &&
  !el.classList.contains("cx-live") && el.scrollWidth > el.clientWidth + 1 &&
  ["auto", "scroll"].includes(getComputedStyle(el).overflowX)).map((el) => [String(el.className), el.scrollWidth])
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def voila_url():
    """Voila serving notebooks/presenter.ipynb (started first: its kernel runs while the site builds)."""
    require_chromium()
    with voila_presenter() as url:
        yield url


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Lesson 02 and the presenter page, built by the site tool and served on 127.0.0.1: yields the address."""
    require_chromium()
    out = tmp_path_factory.mktemp("site") / "_site"
    command = [sys.executable, "-m", "cmlearn.tools.site", "--out", str(out), "--only", "02_threshold_lab",
               "presenter", "--jobs", "1"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"the site build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def open_page(page, url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(url, timeout=300_000)
    page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for(timeout=300_000)
    root = page.locator(EXPLORER).first
    root.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    return root


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_phone_shows_the_whole_matrix_and_two_line_formulas(site, scheme):
    with chromium(width=390, height=844) as page:
        root = open_page(page, site + "02_threshold_lab.html", scheme)
        page.screenshot(path=str(artifacts_dir() / f"screens_phone_390x844_{scheme}.png"))
        root.screenshot(path=str(artifacts_dir() / f"screens_phone_explorer_{scheme}.png"))
        boxes = root.evaluate("""(root) => [...root.querySelectorAll("[data-count], [data-total]")].map((el) => {
            const b = el.getBoundingClientRect();
            return [el.dataset.count || el.dataset.total, b.left, b.right, b.width]; })""")
        assert len(boxes) == 9, boxes
        outside = [b for b in boxes if b[1] < 0 or b[2] > 390 or b[3] <= 0]
        assert not outside, f"counts or totals outside a 390 px screen: {outside}"
        assert root.evaluate(SCROLLERS) == [], "a part of the explorer scrolls sideways on a phone"
        page_box = page.evaluate(OVERFLOW)
        assert page_box["scrollWidth"] <= page_box["width"], page_box
        slider = page.locator(SLIDER)
        for key in ("Home", "PageUp", "End", "Home"):  # the counts' digits change the formulas' length
            slider.focus()
            page.keyboard.press(key)
            lines = root.evaluate("""(root) => [...root.querySelectorAll(".cmlearn-rates code")].map(
                (code) => [code.textContent, code.getClientRects().length])""")
            assert len(lines) == 10 and all(n <= 2 for _, n in lines), f"after {key}: formulas over 2 lines: {lines}"
        low = [t for t in root.evaluate(CONTRAST) if t["ratio"] < 4.5]
        assert not low, f"phone, {scheme}: text below 4.5:1: {low[:6]}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_laptop_mouse_gets_six_px_per_step_and_a_message_moves_nothing(site, scheme):
    with chromium(width=1366, height=768) as page:
        open_page(page, site + "02_threshold_lab.html", scheme)
        steps = 100  # the default grid: 0, 0.01, ..., 1
        assert page.locator(SLIDER).get_attribute("aria-valuemax") == "1"
        track = page.locator(f"{EXPLORER} .cx-track").bounding_box()
        assert track["width"] / steps >= 6, f"{track['width'] / steps:.1f} px per slider step at 1366 px: {track}"
        y = track["y"] + track["height"] / 2
        for k in (0, 1, 2, 37, 50, 63, 99, 100):  # a press at each step's place lands on that step
            page.mouse.click(track["x"] + track["width"] * k / steps, y)
            assert float(page.locator(SLIDER).get_attribute("aria-valuenow")) == pytest.approx(k / 100, abs=1e-9), k
        parts = (f"{EXPLORER} .cmlearn-counts", f"{EXPLORER} .cx-scores", f"{EXPLORER} .cmlearn-rates")
        before = [page.locator(p).bounding_box() for p in parts]
        box = page.locator(f"{EXPLORER} .cx-input")
        box.fill("0.333")  # between steps: needs a kernel, which a published page has not
        box.press("Enter")
        message = page.locator(f"{EXPLORER} .cx-message")
        assert "needs a running kernel" in message.inner_text(timeout=2000)
        page.screenshot(path=str(artifacts_dir() / f"screens_laptop_message_{scheme}.png"))
        after = [page.locator(p).bounding_box() for p in parts]
        assert after == before, f"the message moved the explorer: {before} -> {after}"
        low = [t for t in message.evaluate(CONTRAST) if t["ratio"] < 4.5]
        assert not low, f"the message, {scheme}: below 4.5:1: {low}"
        assert message.bounding_box()["height"] > 0


def check_projector(page, root, where, stepped=True):
    """The projector's geometry, on a page open at 1920x1080 with the explorer scrolled to the top.

    ``stepped``: the BatchStepper has shown batches (a live one, stepped by the test), so its row ranges are checked.
    """
    overflow = page.evaluate(OVERFLOW)
    assert overflow["beyond"] == [] and overflow["scrollWidth"] <= 1920, f"{where}: text beyond 1920 px: {overflow}"
    plot = page.locator(f"{EXPLORER} .cx-scores").bounding_box()
    assert plot["width"] >= 960, f"{where}: the score plot is {plot['width']:.0f} px wide, under half of 1920"
    prose = [t for el in page.locator(".jp-MarkdownOutput, .jp-RenderedMarkdown").all()
             for t in el.evaluate(CONTRAST)]
    assert len(prose) > 10, f"{where}: no prose found"
    small = [t for t in prose if t["size"] < 28]
    assert not small, f"{where}: prose below 28 px: {small[:6]}"
    widget_text = root.evaluate(CONTRAST)
    assert min(t["size"] for t in widget_text) >= 28
    low = [t for t in widget_text + prose if t["ratio"] < 4.5]
    assert not low, f"{where}: text below 4.5:1: {low[:6]}"
    rows = page.evaluate("""() => [...document.querySelectorAll('.cmlearn-batch-stepper td[data-col="rows"]')].map(
        (td) => { const r = document.createRange(); r.selectNodeContents(td);
                  return [td.textContent, new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size]; })""")
    if not stepped:  # a published page shows the stepper as it was saved, before any batch
        assert rows == [] and page.locator(".cmlearn-batch-stepper").count() >= 1, f"{where}: {rows}"
        return rows
    assert rows and all(lines == 1 for _, lines in rows), f"{where}: a batch's rows wrap: {rows}"
    return rows


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_published_presenter_page_fits_a_projector(site, scheme):
    with chromium(width=1920, height=1080) as page:
        root = open_page(page, site + "presenter.html", scheme)
        page.screenshot(path=str(artifacts_dir() / f"screens_projector_site_{scheme}.png"))
        check_projector(page, root, f"published presenter page, {scheme}", stepped=False)


def test_the_voila_presenter_fits_a_projector_light_and_dark(voila_url):
    with chromium(width=1920, height=1080) as light:
        dark = light.context.new_page()
        dark.set_viewport_size({"width": 1920, "height": 1080})
        dark.goto(voila_url + "&theme=dark", wait_until="commit", timeout=300_000)  # both kernels run at once
        light.goto(voila_url, wait_until="commit", timeout=300_000)
        for scheme, page in (("light", light), ("dark", dark)):
            page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for(timeout=300_000)
            root = page.locator(EXPLORER).first
            stepper = page.locator(".cmlearn-batch-stepper").first
            stepper.locator("button", has_text="next batch").click()  # two batches: rows 0–31, then 32–63
            stepper.locator("button", has_text="next batch").click()
            page.locator('.cmlearn-batch-stepper td[data-col="rows"]', has_text="32–63").wait_for(timeout=60_000)
            root.evaluate("(el) => el.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)
            page.screenshot(path=str(artifacts_dir() / f"screens_projector_voila_{scheme}.png"))
            rows = check_projector(page, root, f"Voila presenter, {scheme}")
            assert "32–63" in [text for text, _ in rows]
            stepper.screenshot(path=str(artifacts_dir() / f"screens_projector_voila_stepper_{scheme}.png"))


def lesson_02_explorer_notebook(directory):
    """A notebook with lesson 02's data cell and its explorer cell, copied from the lesson (so it follows it)."""
    lesson = nbformat.read(str(REPO / "notebooks" / "02_threshold_lab.ipynb"), as_version=4)
    cell = next(c.source for c in lesson.cells if c.cell_type == "code" and "ThresholdExplorer(" in c.source)
    setup = "import cmlearn\n\ncmlearn.notebook_setup(verbose=False)\ny_true, y_pred = cmlearn.breast_cancer_scores()"
    return write_notebook(directory, "lesson02_explorer.ipynb", [setup, cell, "'a cell below the explorer'"])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_laptop_in_jupyterlab_shows_slider_counts_plot_and_a_curve_and_the_line_misses_the_titles(
        tmp_path, scheme):
    """Issue 19, item 4: at 1366x768 in JupyterLab, with lesson 02's explorer cell scrolled to the top, "the slider,
    the counts, the score plot and one curve in view together; the threshold line never crosses a panel title"
    (tested at Home, the middle and End; every position is walked on a bare page in
    test_widgets_explorer_page_browser.py)."""
    require_chromium()
    notebook = lesson_02_explorer_notebook(tmp_path)
    with JupyterLab(tmp_path, settings=DARK if scheme == "dark" else None) as lab, \
            chromium(width=1366, height=768) as page:
        open_and_run_all(page, lab, notebook)
        wait_for_widget(page, SLIDER, lab=lab)
        page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for()
        assert page.evaluate("document.body.dataset.jpThemeLight") == ("true" if scheme == "light" else "false")
        page.locator(".jp-Cell", has=page.locator(EXPLORER)).evaluate("(c) => c.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        slider = page.locator(SLIDER)
        for key in ("Home", "middle", "End"):
            slider.focus()
            if key == "middle":
                page.keyboard.press("Home")
                for _ in range(5):
                    page.keyboard.press("PageUp")
            else:
                page.keyboard.press(key)
            crossing = page.evaluate(LINE_CROSSES_TITLE)
            assert crossing["titles"] == 2 and not crossing["out"], f"{scheme}, {key}: {crossing}"
        page.wait_for_timeout(300)
        page.screenshot(path=str(artifacts_dir() / f"screens_lab_1366x768_{scheme}.png"))
        box = page.evaluate("""() => {
            const root = document.querySelector('.cmlearn-explorer'), r = (el) => el.getBoundingClientRect();
            const area = r(document.querySelector('.jp-NotebookPanel-notebook'));
            return {top: Math.max(area.top, 0), bottom: Math.min(area.bottom, innerHeight),
                    slider: r(root.querySelector('[role=slider]')).top,
                    counts: r(root.querySelector('.cmlearn-counts')).bottom,
                    plot: r(root.querySelector('svg.cx-scores')).bottom,
                    curve: r(root.querySelector('svg.cx-curve')).bottom,
                    curveRight: r(root.querySelector('svg.cx-curve')).right}; }""")
        assert box["slider"] >= box["top"], f"{scheme}: the slider is above the notebook's view: {box}"
        for part in ("counts", "plot", "curve"):
            assert box[part] <= box["bottom"], f"{scheme}: the {part} ends below the notebook's view: {box}"
        assert box["curveRight"] <= 1366, box
