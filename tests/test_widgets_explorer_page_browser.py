"""The explorer's module on a bare page in headless Chromium: no JupyterLab, no kernel, the model a few lines of JS.

anywidget's front-end contract is small: ``render({model, el})`` with a
model that has ``get``, ``set``, ``on``, ``off``, ``save_changes`` and
``send``, and a cleanup function returned. This file serves a page that
imports the explorer's module (``ThresholdExplorer._esm``, the
``explorer.*.js`` parts joined) as ``explorer.js`` and gives it such a model, filled
with the state a :class:`cmlearn.ThresholdExplorer` built in this process
(as a published page does). That is fast enough to hold the module's own
promises here:

* its cleanup leaves nothing running: no timer, no animation frame, no
  observer, no window or document listener (timers, frames and observers
  are counted by wrappers installed before the module loads);
* a move writes the counts of its position, also after many moves (a move
  writes only the text that changed, so a stale cell would stay stale).

:func:`open_explorer` is also what ``benchmarks/bench_throttled.py`` measures.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest
from browser import chromium, require_chromium

pytestmark = pytest.mark.browser

ESM = None  # open_explorer's default: the module the notebook runs (ThresholdExplorer._esm)
ORIGIN = "http://cmlearn.invalid/"
TRAITS = ("data", "threshold", "weighted", "exact", "error", "presenter")

#: Counts, in the page, what the module leaves running: timers, frames, observers, window/document listeners.
PROBE = """
(() => {
  const live = { timers: new Set(), frames: new Set(), observers: new Set(), listeners: new Set() };
  window.__live = live;
  const setT = window.setTimeout.bind(window), clearT = window.clearTimeout.bind(window);
  window.setTimeout = (fn, ms, ...args) => {
    const id = setT((...a) => { live.timers.delete(id); typeof fn === "function" && fn(...a); }, ms, ...args);
    live.timers.add(id);
    return id;
  };
  window.clearTimeout = (id) => { live.timers.delete(id); clearT(id); };
  const setI = window.setInterval.bind(window), clearI = window.clearInterval.bind(window);
  window.setInterval = (fn, ms, ...args) => { const id = setI(fn, ms, ...args); live.timers.add(id); return id; };
  window.clearInterval = (id) => { live.timers.delete(id); clearI(id); };
  const raf = window.requestAnimationFrame.bind(window), caf = window.cancelAnimationFrame.bind(window);
  window.requestAnimationFrame = (fn) => {
    const id = raf((t) => { live.frames.delete(id); fn(t); });
    live.frames.add(id);
    return id;
  };
  window.cancelAnimationFrame = (id) => { live.frames.delete(id); caf(id); };
  const RO = window.ResizeObserver;
  window.ResizeObserver = class extends RO {
    observe(...a) { live.observers.add(this); return super.observe(...a); }
    disconnect() { live.observers.delete(this); return super.disconnect(); }
  };
  for (const target of [window, document]) {
    const add = target.addEventListener.bind(target), remove = target.removeEventListener.bind(target);
    const name = target === window ? "window" : "document";
    const ours = () => (new Error().stack || "").includes("explorer.js"); // not the test driver's own listeners
    target.addEventListener = (type, fn, ...a) => { if (ours()) live.listeners.add(`${name}:${type}`);
                                                   return add(type, fn, ...a); };
    target.removeEventListener = (type, fn, ...a) => { live.listeners.delete(`${name}:${type}`);
                                                      return remove(type, fn, ...a); };
  }
  window.__running = () => ({ timers: live.timers.size, frames: live.frames.size,
                              observers: live.observers.size, listeners: [...live.listeners] });
})();
"""

#: The model anywidget's front-end spec describes, over a plain object; ``window.__show(state)`` renders once.
LOADER = """
import mod from "./explorer.js";
const render = (mod.default ?? mod).render ?? mod.render;
class Model {
  constructor(state) { this.state = state; this.handlers = new Map(); this.sent = []; }
  get(name) { return this.state[name]; }
  set(name, value) { this.state[name] = value; }
  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
  }
  off(event, fn) {
    if (!event) this.handlers.clear();
    else if (!fn) this.handlers.delete(event);
    else this.handlers.get(event)?.delete(fn);
  }
  save_changes() {}
  send(message) { this.sent.push(message); }
  listeners() { let n = 0; for (const set of this.handlers.values()) n += set.size; return n; }
}
window.__show = async (state, host = document.getElementById("host")) => {
  const el = document.createElement("div");
  host.append(el);
  const model = new Model(state);
  const cleanup = await render({ model, el });
  return { el, model, cleanup };
};
window.__ready = true;
"""


def page_html(css, body_attributes=""):
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style>"
        f"<script>{PROBE}</script><script type='module' src='loader.js'></script></head>"
        f"<body {body_attributes}><div id='host'></div></body></html>"
    )


def explorer_state(explorer):
    """The synced state a page receives from ``explorer`` (what a published page saves), as JSON."""
    return json.dumps({name: getattr(explorer, name) for name in TRAITS})


def open_explorer(page, explorer, esm=ESM, no_kernel=True, css=None):
    """Serve a bare page on ``page`` that renders ``explorer``'s state with ``esm``; wait for its first counts.

    ``no_kernel`` marks the page as a published one (``data-cmlearn-no-kernel``). The page keeps
    ``window.__view = {el, model, cleanup}``.
    """
    css = explorer._css if css is None else css
    module = explorer._esm if esm is None else pathlib.Path(esm).read_text(encoding="utf-8")
    body = "data-cmlearn-no-kernel" if no_kernel else ""
    files = {"index.html": (page_html(css, body), "text/html"), "loader.js": (LOADER, "text/javascript"),
             "explorer.js": (module, "text/javascript")}

    def serve(route):
        name = route.request.url.removeprefix(ORIGIN) or "index.html"
        if name not in files:
            return route.fulfill(status=404, body="")
        text, kind = files[name]
        return route.fulfill(status=200, body=text, content_type=kind)

    page.unroute(f"{ORIGIN}**")
    page.route(f"{ORIGIN}**", serve)
    page.goto(f"{ORIGIN}index.html")
    page.wait_for_function("window.__ready === true")
    page.evaluate("(state) => window.__show(JSON.parse(state)).then((v) => { window.__view = v; })",
                  explorer_state(explorer))
    page.wait_for_function("document.querySelector('.cmlearn-explorer [data-count=tp]')?.textContent !== ''")


@pytest.fixture(scope="module")
def explorer():
    require_chromium()
    import cmlearn
    from cmlearn.data import make_scores

    y_true, y_pred = make_scores(300, prevalence=0.4, seed=1)
    y_pred = np.round(y_pred, 2).astype(np.float32)
    weights = np.where(y_true == 1, 5.0, 1.0)
    return cmlearn.ThresholdExplorer(y_true, y_pred, sample_weight=weights)


@pytest.fixture(scope="module")
def page():
    require_chromium()
    with chromium(width=1366, height=900) as page:
        yield page


def shown(page):
    return page.evaluate(
        """() => { const root = document.querySelector('.cmlearn-explorer');
                   const counts = {};
                   for (const n of root.querySelectorAll('[data-count]')) counts[n.dataset.count] = n.textContent;
                   for (const n of root.querySelectorAll('[data-total]')) counts[n.dataset.total] = n.textContent;
                   return { threshold: Number(root.querySelector('[role=slider]').getAttribute('aria-valuenow')),
                            counts, rates: Object.fromEntries([...root.querySelectorAll('td[data-rate]')]
                              .map((n) => [n.dataset.rate, n.textContent])) }; }"""
    )


def test_the_cleanup_leaves_no_timer_frame_observer_or_listener_running(page, explorer):
    """Issue 19, item 1: render returns a cleanup that clears every timer, cancels the pending animation frame and
    disconnects observers (explorer.js, ``render``)."""
    open_explorer(page, explorer, no_kernel=False)
    page.locator(".cmlearn-explorer [role=slider]").focus()
    page.keyboard.press("ArrowRight")  # the announcement waits on a timer
    box = page.locator(".cmlearn-explorer input")
    box.fill("0.4444")
    box.press("Enter")  # between steps, a kernel that never answers: the kernel wait runs on a timer
    running = page.evaluate("window.__running()")
    assert running["timers"] >= 1 and running["observers"] >= 1, f"the test set nothing running: {running}"
    left = page.evaluate("() => { window.__view.cleanup(); window.__view.el.remove(); return window.__running(); }")
    assert left == {"timers": 0, "frames": 0, "observers": 0, "listeners": []}, f"left running after cleanup: {left}"
    page.wait_for_timeout(400)  # nothing the explorer set up fires after its cleanup
    assert page.evaluate("window.__running()") == left


def test_a_cleanup_before_the_first_frame_cancels_it(page, explorer):
    """Issue 19, item 1: the cleanup cancels the pending animation frame (explorer.js, ``render``): rendered and
    removed in one task, the first layout never runs."""
    open_explorer(page, explorer)
    left = page.evaluate(
        """(state) => { window.__view.cleanup(); window.__view.el.remove();
             return window.__show(JSON.parse(state)).then(({ el, cleanup }) => {
               cleanup(); el.remove(); return window.__running(); }); }""",
        explorer_state(explorer),
    )
    assert left == {"timers": 0, "frames": 0, "observers": 0, "listeners": []}, f"left running after cleanup: {left}"


def test_every_move_shows_its_positions_text_in_every_cell(page, explorer):
    """A move writes only the text that changed (explorer.js): after any walk of the keys every count, total and
    rate on the page is its position's, as Python computed it."""
    open_explorer(page, explorer)
    grid = explorer.data["grid"]
    page.locator(".cmlearn-explorer [role=slider]").focus()
    walk = ["PageUp", "ArrowRight", "ArrowRight", "PageDown", "PageDown", "End", "ArrowLeft", "Home", "PageUp"] * 2
    for key in walk + ["toggle", "PageUp", "ArrowLeft", "toggle", "ArrowRight"]:
        if key == "toggle":
            weighted = page.evaluate("window.__view.model.get('weighted')")
            page.locator(f".cmlearn-explorer [data-weights={'unweighted' if weighted else 'weighted'}]").click()
            page.locator(".cmlearn-explorer [role=slider]").focus()
        else:
            page.keyboard.press(key)
        now = shown(page)
        weighted = page.evaluate("window.__view.model.get('weighted')")
        view = explorer.data["views"]["weighted" if weighted else "unweighted"]
        record = view["positions"][grid.index(now["threshold"])]
        expected = {**record["counts"], **record["totals"]}
        assert now["counts"] == expected, f"after {key} at {now['threshold']}: {now['counts']} != {expected}"
        assert now["rates"] == record["rates"], f"after {key} at {now['threshold']}"
    page.evaluate("window.__view.cleanup()")


def test_no_module_in_the_package_is_past_600_lines_and_the_parts_make_the_module():
    """Issue 21's rule, for the browser's files too: no ``.js`` or ``.css`` in cmlearn past 600 lines; the explorer's
    parts (explorer.py, ``ESM_PARTS``) are every ``explorer.*.js`` in the package, joined into the one ``_esm``."""
    from cmlearn.widgets import explorer as explorer_module

    package = pathlib.Path(explorer_module.__file__).resolve().parent.parent
    long = {str(p.relative_to(package)): n for p in [*package.rglob("*.js"), *package.rglob("*.css")]
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, f"past 600 lines: {long}"
    here = pathlib.Path(explorer_module.__file__).parent
    assert sorted(explorer_module.ESM_PARTS) == sorted(p.name for p in here.glob("explorer.*.js"))
    assert explorer_module.ESM.count("export default { render }") == 1
    assert explorer_module.ESM.rstrip().endswith("export default { render };")


@pytest.mark.parametrize("width", [390, 1366, 1920])
def test_a_focused_or_hovered_dots_text_lies_beside_it_inside_the_explorer(page, explorer, width):
    """Issue 19, item 4: "hovering or focusing a dot ... shows its text beside it, not at the bottom edge"
    (explorer.plots.js, ``createScorePlot``): for the dots at both ends and in the middle of each class's row, the
    text box is within 24 px of the dot, inside the explorer and its plot, describes the focused dot
    (aria-describedby), and goes when the dot is left."""
    page.set_viewport_size({"width": width, "height": 900})
    try:
        open_explorer(page, explorer)
        page.wait_for_timeout(100)
        dots = page.locator(".cmlearn-explorer circle.cx-dot")
        labels = dots.evaluate_all("(ds) => ds.map((d) => Number(d.getAttribute('class').includes('cx-tp') || "
                                   "d.getAttribute('class').includes('cx-fn')))")
        picks = set()
        for c in (0, 1):
            ks = [k for k, label in enumerate(labels) if label == c]
            picks |= {ks[0], ks[len(ks) // 2], ks[-1]}
        for k in sorted(picks):
            for how in ("focus", "hover"):
                dot = dots.nth(k)
                if how == "focus":
                    dot.focus()
                else:
                    page.locator("[role=slider]").focus()
                    dot.dispatch_event("mouseenter")  # stacked dots overlap, so no real hover
                got = dot.evaluate(
                    """(dot) => { const root = dot.closest('.cmlearn-explorer');
                       const info = root.querySelector('.cx-dot-info'), plot = root.querySelector('.cx-plot-box');
                       const box = (n) => { const r = n.getBoundingClientRect();
                                            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
                       return {dot: box(dot), info: box(info), root: box(root), plot: box(plot),
                               hidden: info.hidden, text: info.textContent, id: info.id,
                               described: dot.getAttribute('aria-describedby')}; }""")
                where = f"dot {k} ({how}) at {width} px: {got}"
                assert not got["hidden"] and got["text"].startswith("sample "), where
                d, i = got["dot"], got["info"]
                gap_x = max(0, i["left"] - d["right"], d["left"] - i["right"])
                gap_y = max(0, i["top"] - d["bottom"], d["top"] - i["bottom"])
                assert (gap_x**2 + gap_y**2) ** 0.5 <= 24, f"the text is not beside the dot: {where}"
                for outer in ("root", "plot"):
                    o = got[outer]
                    assert (o["left"] - 0.5 <= i["left"] and i["right"] <= o["right"] + 0.5
                            and o["top"] - 0.5 <= i["top"] and i["bottom"] <= o["bottom"] + 0.5), f"{outer}: {where}"
                if how == "focus":
                    assert got["described"] == got["id"], where
                    page.locator("[role=slider]").focus()
                else:
                    dot.dispatch_event("mouseleave")
                assert page.locator(".cmlearn-explorer .cx-dot-info").is_hidden(), f"left, still shown: {where}"
    finally:
        page.set_viewport_size({"width": 1366, "height": 900})


#: The threshold line's vertical pieces (a <path> of M/V commands, or the older single <line>) that cross a panel
#: title's box, in the score plot's own coordinates (the line's stroke counted), with the slider's position.
LINE_CROSSES_TITLE = """
() => {
  const root = document.querySelector('.cmlearn-explorer'), line = root.querySelector('.cx-threshold');
  const half = parseFloat(getComputedStyle(line).strokeWidth) / 2;
  let pieces = [];
  if (line.tagName === 'line') {
    pieces = [[+line.getAttribute('x1'), +line.getAttribute('y1'), +line.getAttribute('y2')]];
  } else {
    let x = 0, y = 0;
    for (const [, op, a, b] of line.getAttribute('d').matchAll(/([MV])\\s*(-?[\\d.e+-]+)(?:[ ,](-?[\\d.e+-]+))?/g)) {
      if (op === 'M') { x = +a; y = +b; } else { pieces.push([x, y, +a]); y = +a; }
    }
  }
  const titles = [...root.querySelectorAll('svg.cx-scores text.cx-svg-label')].filter((t) => t !== line.nextSibling);
  const out = [];
  for (const title of titles) {
    const b = title.getBBox();
    for (const [x, y1, y2] of pieces) {
      const [lo, hi] = [Math.min(y1, y2), Math.max(y1, y2)];
      if (x + half > b.x && x - half < b.x + b.width && hi > b.y && lo < b.y + b.height) {
        out.push({title: title.textContent, x, lo, hi, box: [b.x, b.y, b.width, b.height]});
      }
    }
  }
  return {at: root.querySelector('[role=slider]').getAttribute('aria-valuenow'), titles: titles.length, out};
}
"""


@pytest.mark.parametrize("width", [390, 1366, 1920])
def test_the_threshold_line_never_crosses_a_panel_title(page, explorer, width):
    """Issue 19, item 4: "the threshold line never crosses a panel title" (explorer.plots.js, ``createScorePlot``):
    at every slider position, from Home to End, no piece of the line meets a histogram panel's title."""
    page.set_viewport_size({"width": width, "height": 900})
    try:
        open_explorer(page, explorer)
        page.locator("[role=slider]").focus()
        page.keyboard.press("Home")
        crossings = []
        for step in range(len(explorer.data["grid"])):
            got = page.evaluate(LINE_CROSSES_TITLE)
            assert got["titles"] == 2, got
            assert float(got["at"]) == explorer.data["grid"][step], got
            crossings += got["out"]
            page.keyboard.press("ArrowRight")
        assert not crossings, f"at {width} px the line crosses a title at {len(crossings)} places: {crossings[:3]}"
    finally:
        page.set_viewport_size({"width": 1366, "height": 900})
