"""The lessons as a static site (``make site``): built, served on 127.0.0.1, and used in Chromium with no network.

The test builds two pages with the site tool, as ``make site`` runs it: the
start page and the threshold lab, whose explorer is the page's one live part
(``make site`` builds every lesson and the presenter page the same way; the
README gives its time and size). The folder is served on 127.0.0.1, and
Chromium opens the pages with every request to anywhere else refused and
recorded. On the lab's page the explorer must draw from its saved state: the
slider moves by keyboard, and after each move the counts shown equal
``keras_counts`` at the threshold shown (``aria-valuenow``), computed here
with Keras; a typed threshold between steps must say that it needs a running
kernel. The navigation links must lead from page to page, and in the dark
colour scheme every text of the explorer and of the prose must keep 4.5:1.
At the end no request may have left the machine.

Screenshots land in ``$CMLEARN_ARTIFACTS`` (else a temp dir) for a person to look at.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import pathlib
import re
import subprocess
import sys
import threading
from urllib.parse import urlsplit

import numpy as np
import pytest
from browser import CONTRAST, artifacts_dir, chromium, require_chromium

from cmlearn.tools.site import check_site, page_names

pytestmark = [pytest.mark.browser, pytest.mark.maintainer_tools]

REPO = pathlib.Path(__file__).resolve().parent.parent
PAGES = ["00_start_here", "02_threshold_lab"]
LAB = "02_threshold_lab"
EXPLORER = ".cmlearn-explorer"
SLIDER = ".cmlearn-explorer [role=slider]"
CELLS = ("tp", "fp", "tn", "fn")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_chromium()
    out = tmp_path_factory.mktemp("site") / "_site"
    command = [sys.executable, "-m", "cmlearn.tools.site", "--out", str(out), "--only", *PAGES]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"the site build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def served(site):
    """The site's address on 127.0.0.1 (a plain static file server, as GitHub Pages is)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@contextlib.contextmanager
def offline_page(width=1366, height=900):
    """A Chromium page that may reach 127.0.0.1 only; yields ``(page, refused, errors)`` (errors: raised or 4xx/5xx)."""
    refused, errors = [], []
    with chromium(width=width, height=height) as page:

        def route(request_route):
            url = request_route.request.url
            if urlsplit(url).hostname == "127.0.0.1":
                request_route.continue_()
            else:
                refused.append(url)
                request_route.abort()

        page.route("**/*", route)
        page.on("request", lambda r: None if r.url.startswith(("data:", "blob:")) or
                urlsplit(r.url).hostname == "127.0.0.1" else refused.append(r.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        # A file the site lacks (a font the widget manager looks for in the wrong folder) is an error too.
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        yield page, refused, errors


def saved_state(path):
    """The explorer's saved widget state from a built page."""
    text = pathlib.Path(path).read_text(encoding="utf-8")
    state = json.loads(re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', text, re.S)[1])
    explorers = [m["state"] for m in state["state"].values() if m["state"].get("_esm") and "data" in m["state"]]
    assert len(explorers) == 1, f"expected one explorer in {path.name}, found {len(explorers)}"
    return explorers[0]


def shown(page):
    threshold = float(page.locator(SLIDER).get_attribute("aria-valuenow"))
    return threshold, {key: page.locator(f'{EXPLORER} [data-count="{key}"]').inner_text().strip() for key in CELLS}


def test_build_is_self_contained(site):
    assert {p.name for p in site.glob("*.html")} == {f"{p}.html" for p in PAGES} | {"index.html"}
    assert (site / ".nojekyll").is_file()
    for script in ("require.min.js", "anywidget/index.js", "html-manager/embed-amd.js"):
        assert (site / "assets" / script).stat().st_size > 10_000, f"assets/{script} is missing or empty"
    assert check_site(site, page_names(REPO)) == []
    text = (site / f"{LAB}.html").read_text(encoding="utf-8")
    for cdn in ("unpkg.com", "cdnjs.cloudflare.com", "cdn.jsdelivr.net", "mybinder.org/badge", "colab-badge.svg"):
        assert cdn not in text, f"{LAB}.html still names {cdn}"
    assert 'href="03_counts_to_rates.html"' in text
    assert not re.findall(r'href="[^":]*\.ipynb', text), "a link between lessons still points to a notebook"


def test_prepare_makes_a_page_of_a_lesson():
    import nbformat

    from cmlearn.tools.nav import MARK
    from cmlearn.tools.site import prepare

    nb = nbformat.read(REPO / "notebooks" / f"{LAB}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for count, cell in enumerate(code, start=1):
        cell.execution_count = count
    slider = {"model_module": "@jupyter-widgets/controls", "model_name": "FloatSliderModel", "state": {"disabled": False}}
    explorer = {"model_module": "anywidget", "model_name": "AnyModel", "state": {"threshold": 0.5}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"a": slider, "b": explorer}}}
    page = prepare(nb, LAB, page_names(REPO), "https://github.com/cmlearn/cmlearn", root=REPO)
    assert not [c for c in page.cells if c.metadata.get(MARK) == "install"]
    banner = next(c.source for c in page.cells if c.metadata.get(MARK) == "badges")
    assert "](https://mybinder.org/v2/gh/" in banner and "](https://colab.research.google.com/github/" in banner
    assert "![" not in banner, "badge images would be fetched from their sites"
    nav = next(c.source for c in page.cells if c.metadata.get(MARK) == "nav")
    assert "(03_counts_to_rates.html)" in nav and not re.findall(r"\]\((?!https://)[^)]*\.ipynb", nav), nav
    assert [c.execution_count for c in page.cells if c.cell_type == "code"] == list(range(1, len(code)))
    saved = page.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert saved["a"]["state"]["disabled"] is True and "disabled" not in saved["b"]["state"]
    assert page.metadata["title"] == "02 · Threshold lab"


def test_check_site_finds_a_cdn_script_and_a_dead_link(tmp_path):
    (tmp_path / "a.html").write_text('<script src="https://unpkg.com/x.js"></script><a href="b.html">b</a>')
    problems = check_site(tmp_path, ["a"])
    assert any("unpkg.com" in p for p in problems) and any("b.html" in p for p in problems), problems


def test_explorer_moves_with_keras_counts_and_no_network(served, site):
    import cmlearn
    from cmlearn.counts import format_count
    from cmlearn.curves import threshold_grid

    # The samples the notebook built its explorer on (171 held-out tumours, 64 malignant), as the page saved them:
    # every one as a dot, with its label and float32 score. Training the model again here would cost a minute.
    dots = saved_state(site / f"{LAB}.html")["data"]["dots"]
    y_true = np.asarray(dots["label"], dtype=np.int32)
    y_pred = np.asarray([np.float32(score) for score in dots["score"]], dtype=np.float32)
    assert (len(y_true), int(y_true.sum())) == (171, 64)
    assert np.array_equal(y_pred, np.asarray(dots["x"], dtype=np.float32))

    # One Keras sweep over the slider's grid (real metric objects), indexed at each threshold the page shows.
    grid = threshold_grid(0.01)
    sweep = cmlearn.keras_counts(y_true, y_pred, thresholds=grid)

    def keras(threshold):
        counts = sweep.at(int(np.flatnonzero(grid == threshold)[0]))
        return {key: format_count(getattr(counts, key)) for key in CELLS}, counts

    with offline_page() as (page, refused, errors):
        page.goto(served + f"{LAB}.html")
        page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for()
        threshold, counts = shown(page)
        assert (threshold, counts) == (0.5, keras(0.5)[0])
        page.locator(SLIDER).focus()
        seen = {threshold}
        for key in ("ArrowRight", "ArrowRight", "ArrowRight", "PageUp", "PageUp", "End", "Home", "ArrowUp", "PageUp"):
            page.keyboard.press(key)
            threshold, counts = shown(page)
            expected, raw = keras(threshold)
            assert counts == expected, f"after {key}: the page shows {counts} at {threshold}; keras_counts gives {expected}"
            tpr = page.locator(f'{EXPLORER} [data-rate="tpr"]').inner_text().strip()
            assert tpr == cmlearn.rates(raw).text("tpr"), f"after {key}: TPR {tpr} at {threshold}"
            seen.add(threshold)
        assert seen == {0.5, 0.51, 0.52, 0.53, 0.63, 0.73, 1.0, 0.0, 0.01, 0.11}, sorted(seen)
        before = shown(page)
        box = page.locator(f"{EXPLORER} .cx-input")
        box.fill("0.333")
        box.press("Enter")
        message = page.locator(f"{EXPLORER} .cx-message")
        assert "needs a running kernel" in message.inner_text(timeout=2000)
        assert shown(page) == before, "the view must keep the last good threshold"
        box.fill("0.42")  # on the grid: drawn from the saved sweep
        box.press("Enter")
        threshold, counts = shown(page)
        assert threshold == 0.42 and counts == keras(0.42)[0]
        root = page.locator(EXPLORER)
        page.set_viewport_size({"width": 1366, "height": 768})  # a laptop: slider, counts and score plot on one screen
        page.wait_for_timeout(400)
        root.evaluate("(el) => el.scrollIntoView({block: 'start'})")
        for part in (SLIDER, f"{EXPLORER} .cmlearn-counts", f"{EXPLORER} .cx-scores"):
            box = page.locator(part).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1366, (part, box)
        page.screenshot(path=str(artifacts_dir() / "site-explorer-light.png"))
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.wait_for_timeout(400)
        root.evaluate("(el) => el.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(artifacts_dir() / "site-explorer-phone.png"))
    assert refused == [], f"requests left the machine: {refused}"
    assert errors == [], f"the page raised: {errors}"


def test_navigation_links_lead_from_page_to_page(served):
    with offline_page() as (page, refused, errors):
        page.goto(served)  # index.html sends the reader to the start page
        page.wait_for_url(re.compile(r"/00_start_here\.html$"))
        page.locator(f'a[href="{LAB}.html"]').first.click()
        page.wait_for_url(re.compile(rf"/{LAB}\.html$"))
        page.locator(SLIDER).wait_for()
        nav = page.locator("a", has_text="Start here").last
        assert nav.get_attribute("href") == "00_start_here.html"
        for name in ("01_counts_not_fractions.html", "03_counts_to_rates.html"):
            assert page.locator(f'a[href="{name}"]').count() >= 1, f"no link to {name}"
        binder = page.locator("a", has_text=re.compile(r"^Binder$")).first
        assert binder.get_attribute("href").startswith("https://mybinder.org/v2/gh/")
        nav.click()
        page.wait_for_url(re.compile(r"/00_start_here\.html$"))
    assert refused == [], f"requests left the machine: {refused}"
    assert errors == [], f"the page raised: {errors}"


def test_dark_colour_scheme_keeps_contrast(served):
    with offline_page(width=1366, height=1000) as (page, refused, errors):
        page.emulate_media(color_scheme="dark")
        page.goto(served + f"{LAB}.html")
        page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for()
        assert page.evaluate("document.body.dataset.jpThemeLight") == "false"
        texts = page.locator(EXPLORER).evaluate(CONTRAST)
        assert len(texts) > 80, f"too few text nodes ({len(texts)}): is the explorer drawn?"
        prose = [t for el in page.locator(".jp-MarkdownOutput").all()[:12] for t in el.evaluate(CONTRAST)]
        assert len(prose) > 20
        low = [t for t in texts + prose if t["ratio"] < 4.5]
        assert not low, f"{len(low)} text(s) below 4.5:1 in the dark scheme: {low[:8]}"
        page.locator(EXPLORER).evaluate("(el) => el.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(artifacts_dir() / "site-explorer-dark.png"))
    assert refused == [], f"requests left the machine: {refused}"
    assert errors == [], f"the page raised: {errors}"
