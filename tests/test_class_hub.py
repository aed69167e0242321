"""A class hub, for real: JupyterHub, nbgitpuller, two learners, a teacher's change and a lost kernel.

The test starts everything itself on 127.0.0.1 and stops it at the end (``tests/hub/classhub.py``):
JupyterHub with configurable-http-proxy (npm, pinned, installed once per machine), one server process and home
folder per learner, a shared password, and nbgitpuller in the learners' environment; and this checkout's
commit as the teacher's repository, served by a plain static HTTP server (git's dumb protocol). In headless
Chromium, as learners do:

1. two learners log in and open the link ``python -m cmlearn.tools.nav --nbgitpuller <hub> --repo <repo>``
   prints; the bundle arrives in each one's home, and lesson 02's explorer, run in each learner's JupyterLab,
   shows counts equal to ``cmlearn.keras_counts`` at the slider's ``aria-valuenow``;
2. the hub stops a learner's kernel (the learner's server API, through the hub): the explorer still moves on
   its grid and its counts still follow;
3. the learner edits lesson 02 and saves; the teacher commits a change to lesson 03; the learner opens the
   link again: the teacher's change arrives and the learner's edit is kept.

The expected counts come from a separate process that builds lesson 02's data as the lesson does
(``notebook_setup()``, then ``breast_cancer_scores()``) and asks ``keras_counts`` at every slider position.
Screenshots go to ``$CMLEARN_ARTIFACTS`` (else a temp dir).
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

import nbformat
import psutil
import pytest
from browser import CHROMIUM_ARGS, artifacts_dir, chromium_path, open_and_run_all, require_chromium, wait_for_widget
from hub.classhub import ClassHub, TeacherRepository, configurable_http_proxy, git
from notebook_runner import kernels

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.maintainer_tools]

REPO = pathlib.Path(__file__).resolve().parent.parent
LEARNERS = ("learner1", "learner2")
LESSON = "notebooks/02_threshold_lab.ipynb"
OTHER = "notebooks/03_counts_to_rates.ipynb"
START = "notebooks/00_start_here.ipynb"
EXPLORER = ".cmlearn-explorer"
SLIDER = ".cmlearn-explorer [role=slider]"
CELLS = ("tp", "fp", "tn", "fn")
TEACHER_NOTE = "A note from your teacher for this class: read section 2 before Friday."
LEARNER_NOTE = "my_note = 'the learner wrote this line'"

#: Lesson 02's data built as the lesson builds it, and Keras's counts at each of the slider's 101 positions.
EXPECTED_COUNTS = """
import json
import cmlearn
from cmlearn.ratios import format_count

cmlearn.notebook_setup()
y_true, y_pred = cmlearn.breast_cancer_scores()
grid = [i / 100 for i in range(101)]
counts = cmlearn.keras_counts(y_true, y_pred, thresholds=grid)
table = {f"{t:.2f}": {k: format_count(getattr(counts.at(i), k)) for k in ("tp", "fp", "tn", "fn")}
         for i, t in enumerate(grid)}
print(json.dumps(table))
"""


def _needs(fn, what):
    """``fn()``, or skip outside CI / fail in CI when a set-up piece is missing."""
    try:
        return fn()
    except RuntimeError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {what}: {error}")
        pytest.skip(f"{what}: {error}")


@contextlib.contextmanager
def learner_pages(count):
    """``count`` Playwright pages in one Chromium, each in its own context (its own cookies: its own login)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(count):
                page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
                page.set_default_timeout(60_000)
                pages.append(page)
            yield pages
        finally:
            browser.close()


@pytest.fixture(scope="module")
def classroom():
    """The teacher's repository, the hub with both learners' servers running, their pages and the link."""
    require_chromium()
    pytest.importorskip("jupyterhub", reason="requirements-test.txt installs jupyterhub")
    pytest.importorskip("nbgitpuller", reason="requirements-test.txt installs nbgitpuller")
    _needs(configurable_http_proxy, "configurable-http-proxy could not be installed")
    already = {p.pid for p in psutil.Process().children(recursive=True)}  # other fixtures' processes, not ours
    # Keras's counts for lesson 02's data, computed beside the hub's start.
    expected = subprocess.Popen([sys.executable, "-c", EXPECTED_COUNTS], cwd=tempfile.gettempdir(),
                                env=kernels.base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with TeacherRepository() as repo, ClassHub(LEARNERS) as hub, learner_pages(len(LEARNERS)) as pages:
            hub.start_servers()
            link = subprocess.run(
                [sys.executable, "-m", "cmlearn.tools.nav", "--nbgitpuller", hub.url, "--repo", repo.url],
                cwd=REPO, capture_output=True, text=True, check=True,
            ).stdout.strip()
            out, err = expected.communicate(timeout=300)
            assert expected.returncode == 0, err
            yield {"repo": repo, "hub": hub, "pages": dict(zip(LEARNERS, pages, strict=True)), "link": link,
                   "expected": json.loads(out.strip().splitlines()[-1])}
    finally:
        if expected.poll() is None:
            expected.kill()
            expected.wait(timeout=10)
    left = [p for p in psutil.Process().children(recursive=True)
            if p.pid not in already and p.is_running() and p.status() != "zombie"]
    assert not left, f"processes left behind by the class hub: {[(p.pid, p.name(), p.cmdline()[:3]) for p in left]}"


def shown(page):
    """``(threshold, counts)`` as the page shows them."""
    value = page.locator(SLIDER).get_attribute("aria-valuenow")
    return float(value), {key: page.locator(f'{EXPLORER} [data-count="{key}"]').inner_text().strip() for key in CELLS}


def settled(page, where, timeout_s=20.0):
    """What the page shows once every count is written, with the explorer scrolled into view.

    Run All leaves the notebook scrolled to its end, and JupyterLab does not render cells out of view: there
    ``innerText`` (what a learner would see) is blank.
    """
    page.locator(EXPLORER).scroll_into_view_if_needed()
    deadline = time.monotonic() + timeout_s
    now = shown(page)
    while not all(now[1].values()) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        now = shown(page)
    if not all(now[1].values()):
        shot = artifacts_dir() / "class_hub_blank_counts.png"
        page.screenshot(path=str(shot))
        raise AssertionError(f"{where}: the explorer's counts stayed blank for {timeout_s:.0f} s: {now} ({shot})")
    return now


def assert_counts_are_keras(page, expected, where):
    threshold, counts = settled(page, where)
    key = f"{threshold:.2f}"
    assert float(key) == threshold, f"{where}: the slider shows {threshold}, off its 0.01 grid"
    assert counts == expected[key], (
        f"{where}: the page shows {counts} at threshold {threshold}; keras_counts gives {expected[key]}"
    )
    return threshold


def pull(page, link, timeout_ms=120_000):
    """Open the nbgitpuller link and wait until it lands on the start notebook in JupyterLab."""
    page.goto(link, wait_until="domcontentloaded")
    try:
        page.wait_for_url(f"**/lab/tree/cmlearn/{START}*", timeout=timeout_ms)
    except Exception as error:
        raise AssertionError(f"nbgitpuller did not open {START}; the page says:\n{page.inner_text('body')}") from error
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(state="visible", timeout=timeout_ms)


def kernel_processes(server_pid):
    """The kernel processes under a learner's server process."""
    return [p for p in psutil.Process(server_pid).children(recursive=True) if "ipykernel_launcher" in p.cmdline()]


def dismiss_dialogs(page):
    """Close a JupyterLab dialog (e.g. about the stopped kernel) without choosing anything."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        page.keyboard.press("Escape")


def test_two_learners_pull_the_bundle_into_their_own_homes_and_see_keras_counts(classroom):
    """Issue 22, item 3: "two learners log in and open the link that ``nav --nbgitpuller <hub>`` prints; the
    bundle appears in each one's home and lesson 02's explorer shows counts equal to ``keras_counts`` at the
    slider's ``aria-valuenow``" (INSTRUCTORS.md, "A class JupyterHub")."""
    hub, repo, pages, expected = classroom["hub"], classroom["repo"], classroom["pages"], classroom["expected"]
    link = classroom["link"]
    assert link.startswith(f"{hub.url}/hub/user-redirect/git-pull?") and f"repo={quote(repo.url, safe='')}&" in link
    head = repo.head
    for name, page in pages.items():
        hub.login(page, name)
        pull(page, classroom["link"])
        clone = hub.home(name) / "cmlearn"
        assert git("rev-parse", "HEAD", cwd=clone).strip() == head, f"{name}'s clone is not the teacher's commit"
        assert (clone / LESSON).read_text() == git("show", f"{head}:{LESSON}", cwd=REPO), f"{name}'s lesson 02 differs"
    for name, page in pages.items():  # both lessons run at once, each in its learner's kernel
        hub.stop_kernels(name)  # the start notebook's kernel: each learner then runs lesson 02's only
        # ?reset: a workspace with lesson 02 alone (the start notebook's tab closed), so Run All runs lesson 02.
        open_and_run_all(page, hub.lab(name), f"cmlearn/{LESSON}?reset", timeout_ms=180_000)
    pids = {name: hub.server_pid(name) for name in LEARNERS}
    assert len(set(pids.values())) == len(LEARNERS), f"the learners share a server process: {pids}"
    for name, page in pages.items():
        wait_for_widget(page, SLIDER, timeout_s=240, lab=hub.lab(name))
        page.locator(f"{EXPLORER} [data-count=tp]").filter(has_text=re.compile(r"\d")).wait_for()
        assert_counts_are_keras(page, expected, f"{name}, at the start")
        page.locator(SLIDER).focus()
        for key, presses in (("ArrowRight", 3), ("PageUp", 1), ("ArrowLeft", 1), ("PageDown", 3)):
            before = shown(page)[0]
            for _ in range(presses):
                page.keyboard.press(key)
            assert assert_counts_are_keras(page, expected, f"{name}, after {key} x{presses}") != before
        (kernel,) = kernel_processes(pids[name])
        assert pathlib.Path(kernel.cwd()).resolve() == (hub.home(name) / "cmlearn" / "notebooks").resolve()
        page.screenshot(path=str(artifacts_dir() / f"class_hub_{name}_lesson02.png"))


def test_with_its_kernel_stopped_by_the_hub_the_explorer_still_moves_on_its_grid(classroom):
    """Issue 22, item 3: "the learner's kernel is stopped by the hub: the explorer still moves on its grid"
    (arrow keys change ``aria-valuenow`` and the counts follow, from the grid the page holds)."""
    hub, page, expected = classroom["hub"], classroom["pages"]["learner1"], classroom["expected"]
    server = hub.server_pid("learner1")
    (kernel,) = kernel_processes(server)
    hub.stop_kernels("learner1")
    assert hub.kernels("learner1") == []
    kernel.wait(timeout=30)
    assert hub.kernels("learner2"), "stopping one learner's kernel stopped another's"
    page.wait_for_timeout(1000)
    dismiss_dialogs(page)
    page.locator(SLIDER).focus()
    seen = {shown(page)[0]}
    for key in ("ArrowRight", "ArrowRight", "PageUp", "ArrowLeft", "Home", "PageUp", "End"):
        before = shown(page)[0]
        page.keyboard.press(key)
        after = assert_counts_are_keras(page, expected, f"{key} with the kernel stopped")
        assert after != before, f"{key} did not move the slider from {before} with the kernel stopped"
        seen.add(after)
    assert seen >= {0.0, 1.0} and len(seen) >= 6, seen
    assert kernel_processes(server) == [], "a kernel came back"
    page.screenshot(path=str(artifacts_dir() / "class_hub_learner1_no_kernel.png"))


def add_cell_and_save(page, source):
    """As a learner: select the last cell, add a cell below it, type ``source``, save (Ctrl+S)."""
    dismiss_dialogs(page)
    page.locator(".jp-NotebookPanel .jp-Cell .jp-InputPrompt").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type(source)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")


def test_a_second_pull_brings_the_teachers_change_and_keeps_the_learners_edit(classroom):
    """Issue 22, item 3: "a learner edits a cell and saves; the teacher commits a change to another notebook;
    the learner opens the link again: the change arrives and the learner's edit is kept"."""
    hub, repo, page = classroom["hub"], classroom["repo"], classroom["pages"]["learner1"]
    clone = hub.home("learner1") / "cmlearn"
    add_cell_and_save(page, LEARNER_NOTE)
    deadline = time.monotonic() + 30
    while LEARNER_NOTE not in (clone / LESSON).read_text() and time.monotonic() < deadline:
        time.sleep(0.25)
    assert LEARNER_NOTE in (clone / LESSON).read_text(), "the learner's edit was not saved"

    def add_note(text):
        nb = nbformat.reads(text, as_version=4)
        nb.cells.insert(1, nbformat.v4.new_markdown_cell(TEACHER_NOTE))
        nb.cells[1].pop("id", None)
        return nbformat.writes(nb) + "\n"

    teacher_head = repo.commit(OTHER, add_note, "Lesson 03: a note for this class")
    assert TEACHER_NOTE not in (clone / OTHER).read_text()
    pull(page, classroom["link"])
    assert TEACHER_NOTE in (clone / OTHER).read_text(), "the teacher's change did not arrive"
    kept = nbformat.read(clone / LESSON, as_version=4)
    assert any(cell.source == LEARNER_NOTE for cell in kept.cells), "the learner's edit was lost"
    merged = git("log", "--format=%H", cwd=clone).split()
    assert teacher_head in merged, "the teacher's commit is not in the learner's history"
    assert LEARNER_NOTE not in (hub.home("learner2") / "cmlearn" / LESSON).read_text(), "one home leaked into another"
    page.goto(hub.lab("learner1").url(f"lab/tree/cmlearn/{OTHER}"), wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-MarkdownOutput", has_text=TEACHER_NOTE).first.wait_for(timeout=60_000)
    page.screenshot(path=str(artifacts_dir() / "class_hub_learner1_teacher_note.png"))
