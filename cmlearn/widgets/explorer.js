// The browser side of cmlearn's ThresholdExplorer (an anywidget ES module).
//
// Every number on screen was computed in Python and arrives as text in
// model.get("data"): one record per slider position and weighting. This file
// only picks the record for a position and places marks; the arithmetic here
// is layout (pixels). A typed threshold between slider steps is sent to the
// kernel, which counts it with Keras and answers with model.get("exact").

const SVG = "http://www.w3.org/2000/svg";
const ROWS = [["tn", "fp"], ["fn", "tp"]]; // rows actual, columns predicted, negative first
const SHORT = { tp: "TP", fp: "FP", tn: "TN", fn: "FN" };
const KERNEL_WAIT_MS = 6000; // no answer by then: the kernel is gone or busy
const PAGE = 10; // PageUp / PageDown move this many steps

function html(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.append(node);
  return node;
}

function text(parent, x, y, content, attrs = {}) {
  const node = svg("text", { x, y, ...attrs }, parent);
  node.textContent = content;
  return node;
}

// The cell of sample k (dots in score order): the first `cut` are predicted negative.
const cellOf = (label, k, cut) => ROWS[label][k < cut ? 0 : 1];

function render({ model, el }) {
  const data = model.get("data");
  const grid = data.grid;
  const last = grid.length - 1;
  let view = () => data.views[model.get("weighted") ? "weighted" : "unweighted"];
  let index = null; // the grid position shown, or null for an exact threshold between steps
  let shown = null; // the record shown
  let pending = null; // a typed threshold the kernel is counting
  let timer = null;
  let previousCut = null;
  let selfSet = false;

  // ---- the page, built once ------------------------------------------------------------
  const root = html("div", { class: "cmlearn-explorer cmlearn-theme" });
  const handle = html("div", { class: "cx-handle" });
  const track = html("div", { class: "cx-track" }, handle);
  const slider = html(
    "div",
    { class: "cx-slider", role: "slider", tabindex: "0", "aria-label": "threshold",
      "aria-valuemin": String(grid[0]), "aria-valuemax": String(grid[last]) },
    track,
  );
  const value = html("output", { class: "cx-value", "aria-hidden": "true" });
  const input = html("input", { class: "cx-input", type: "text", inputmode: "decimal", size: "8",
                                "aria-label": "exact threshold" });
  const go = html("button", { class: "cx-button", type: "button" }, "count");
  const controls = html("div", { class: "cx-controls" },
    html("span", { class: "cx-label" }, "threshold"), slider, value,
    html("label", { class: "cx-label" }, "type one: ", input), go);
  let toggles = null;
  if (data.views.weighted) {
    toggles = ["weighted", "unweighted"].map((w) =>
      html("button", { class: "cx-button", type: "button", "data-weights": w }, `${w} counts`));
    controls.append(html("span", { class: "cx-toggle", role: "group", "aria-label": "counts" }, ...toggles));
  }
  const message = html("div", { class: "cx-message", role: "alert" });
  const live = html("div", { class: "cx-live", "aria-live": "polite" });

  // Counts: the table the labs show too (its markup is cmlearn.widgets.html.counts_table), filled in on each move.
  const holder = document.createElement("template");
  holder.innerHTML = data.counts_table;
  const countsTable = holder.content.firstElementChild;
  const counts = {};
  const totals = {};
  for (const node of countsTable.querySelectorAll("[data-count]")) counts[node.dataset.count] = node;
  for (const node of countsTable.querySelectorAll("[data-total]")) totals[node.dataset.total] = node;
  const badge = html("p", { class: "cx-badge" });
  const ties = html("p", { class: "cx-ties" });

  // Rates per actual class (each row divided by its total).
  const normTable = html("table", { class: "cx-table cx-norm" });
  normTable.append(html("caption", {}, "Each row divided by its total"),
    html("thead", {}, html("tr", {}, html("td"), html("th", { scope: "col" }, "predicted 0"),
      html("th", { scope: "col" }, "predicted 1"))));
  const norm = {};
  const normBody = html("tbody");
  ["actual 0", "actual 1"].forEach((label, r) => {
    const row = html("tr", {}, html("th", { scope: "row" }, label));
    for (const key of ROWS[r]) {
      const bar = html("span", { class: `cx-bar cx-${key}` });
      norm[key] = { text: html("span", { class: "cx-rate-value" }), bar };
      row.append(html("td", {}, norm[key].text, html("span", { class: "cx-bar-box" }, bar)));
    }
    normBody.append(row);
  });
  normTable.append(normBody);

  // Every rate as the division written out.
  const ratesTable = html("table", { class: "cx-table cmlearn-rates" });
  const ratesCaption = html("caption");
  ratesTable.append(ratesCaption,
    html("thead", {}, html("tr", {}, html("th", { scope: "col" }, "rate"),
      html("th", { scope: "col" }, "formula with these counts"), html("th", { scope: "col" }, "value"))));
  const rateCells = {};
  const ratesBody = html("tbody");
  for (const { key, name } of data.rates) {
    rateCells[key] = { formula: html("code"), value: html("td", { class: "cmlearn-rate", "data-rate": key }) };
    ratesBody.append(html("tr", {}, html("th", { scope: "row" }, name), html("td", {}, rateCells[key].formula),
      rateCells[key].value));
  }
  ratesTable.append(ratesBody);

  const scores = svg("svg", { class: "cx-scores", role: "img" });
  const dotInfo = html("p", { class: "cx-dot-info" });
  const roc = svg("svg", { class: "cx-curve", role: "img", "aria-label": "ROC curve" });
  const pr = svg("svg", { class: "cx-curve", role: "img", "aria-label": "precision-recall curve" });
  const prNote = html("p", { class: "cx-note" });

  root.append(controls, message, live,
    html("div", { class: "cx-main" },
      html("section", { class: "cx-left" }, countsTable, badge),
      html("section", { class: "cx-right" },
        html("p", { class: "cx-rule" }, "Predicted positive when y_pred > threshold: a score equal to the threshold " +
          "counts as negative and is drawn left of the line."),
        scores, dotInfo)),
    ties,
    html("div", { class: "cx-more" },
      html("section", {}, normTable),
      html("section", {}, html("h4", {}, "ROC: TPR against FPR"), roc),
      html("section", {}, html("h4", {}, "precision against recall"), pr, prNote)),
    ratesTable);
  el.append(root);

  // ---- the score plot and the curves: drawn for the current size and weighting -----------
  let marks = null; // what a move changes
  function layout() {
    const fs = parseFloat(getComputedStyle(root).fontSize) || 13;
    const width = Math.max(scores.parentElement.clientWidth || 520, 20 * fs);
    const v = view();
    const hist = v.hist;
    const dots = data.dots;
    const left = 5.5 * fs, right = 1.5 * fs, top = 4 * fs;
    const panel = 4.2 * fs, gap = 2.2 * fs, dotRow = dots ? 3.2 * fs : 0;
    const plotW = width - left - right;
    const x = (s) => left + ((s + 0.02) / 1.04) * plotW; // a margin so lines at 0 and 1 stay visible
    const rows = [top, top + panel + gap];
    const dotTop = rows[1] + panel + gap;
    const axisY = dotTop + (dots ? 2 * dotRow + 0.5 * fs : 0);
    const height = axisY + 3 * fs;
    scores.replaceChildren();
    scores.setAttribute("viewBox", `0 0 ${width} ${height}`);
    scores.setAttribute("width", width);
    scores.setAttribute("height", height);
    scores.setAttribute("aria-label", `scores per actual class, ${hist.label}; threshold line`);
    const bars = [[], []];
    ["actual 0 (negative)", "actual 1 (positive)"].forEach((label, c) => {
      const y0 = rows[c] + panel;
      const ticks = hist.ticks[c];
      const ymax = ticks[ticks.length - 1].value || 1;
      const y = (h) => y0 - (h / ymax) * panel;
      text(scores, left, rows[c] - 0.4 * fs, `${label}: ${hist.label}`, { class: "cx-svg-label" });
      for (const t of ticks) {
        svg("line", { x1: left - 0.3 * fs, x2: left + plotW, y1: y(t.value), y2: y(t.value), class: "cx-grid" }, scores);
        text(scores, left - 0.5 * fs, y(t.value) + 0.35 * fs, t.label, { "text-anchor": "end" });
      }
      hist.heights[c].forEach((h, k) => {
        bars[c].push(svg("rect", { x: x(data.edges[k]), width: Math.max(x(data.edges[k + 1]) - x(data.edges[k]), 0.5),
          y: y(h), height: y0 - y(h), class: "cx-bar-rect" }, scores));
      });
      bars[c].split = [0, 1].map(() => svg("rect", { class: "cx-bar-rect cx-split" }, scores));
      bars[c].y = y;
      bars[c].y0 = y0;
    });
    let dotNodes = [];
    infoDot = null;
    dotInfo.textContent = "";
    if (dots) {
      const r = Math.max(2, 0.28 * fs);
      ["actual 0", "actual 1"].forEach((label, c) => {
        text(scores, left - 0.5 * fs, dotTop + (c + 0.6) * dotRow, label, { "text-anchor": "end" });
      });
      dotNodes = dots.x.map((s, k) => {
        const c = dots.label[k];
        const rise = Math.min(2 * r, (dotRow - 2 * r) / dots.levels[c]);
        const dot = svg("circle", { cx: x(s) - (k >= shown?.tie_from && k < shown?.cut ? r : 0), cy: dotTop + (c + 1) * dotRow - r - dots.level[k] * rise, r,
                                    class: "cx-dot", tabindex: data.n <= 300 ? "0" : "-1" }, scores);
        const title = svg("title", {}, dot);
        dot.info = () => `sample ${dots.index[k]}: label ${c}, score ${dots.score[k]}, ` +
          `${SHORT[cellOf(c, k, shown.cut)]} at threshold ${shown.label}`;
        const explain = () => {
          infoDot = dot;
          title.textContent = dot.info();
          dotInfo.textContent = dot.info();
        };
        dot.addEventListener("mouseenter", explain);
        dot.addEventListener("focus", explain);
        return dot;
      });
    }
    svg("line", { x1: left, x2: left + plotW, y1: axisY, y2: axisY, class: "cx-axis" }, scores);
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      svg("line", { x1: x(t), x2: x(t), y1: axisY, y2: axisY + 0.4 * fs, class: "cx-axis" }, scores);
      text(scores, x(t), axisY + 1.4 * fs, String(t), { "text-anchor": "middle" });
    }
    text(scores, left + plotW / 2, axisY + 2.7 * fs, "score y_pred", { "text-anchor": "middle" });
    const line = svg("line", { y1: top - 2.6 * fs, y2: axisY, class: "cx-threshold" }, scores);
    const lineLabel = text(scores, 0, top - 2.4 * fs, "", { class: "cx-svg-label" });
    marks = { x, bars, dotNodes, line, lineLabel, plotRight: left + plotW,
              roc: drawCurve(roc, v.roc, true, fs), pr: drawCurve(pr, v.pr, false, fs) };
    if (shown) move(shown, true);
  }

  function drawCurve(node, curve, diagonal, fs) {
    const size = 15 * fs, pad = 2.5 * fs, inner = size - 2 * pad;
    const x = (s) => pad + s * inner, y = (s) => pad + (1 - s) * inner; // points at 0 and 1 stay inside
    node.replaceChildren();
    node.setAttribute("viewBox", `0 0 ${size} ${size}`);
    node.setAttribute("width", size);
    node.setAttribute("height", size);
    svg("rect", { x: x(0), y: y(1), width: inner, height: inner, class: "cx-frame" }, node);
    for (const t of [0, 0.5, 1]) {
      if (t < 1) text(node, x(t), y(0) + 1.3 * fs, String(t), { "text-anchor": "middle" });
      text(node, x(0) - 0.4 * fs, y(t) + 0.35 * fs, String(t), { "text-anchor": "end" });
    }
    if (diagonal) svg("line", { x1: x(0), y1: y(0), x2: x(1), y2: y(1), class: "cx-grid" }, node);
    // One polyline per run of defined points (an undefined precision leaves a gap).
    let run = [];
    const flush = () => {
      if (run.length) svg("polyline", { points: run.join(" "), class: "cx-curve-line" }, node);
      run = [];
    };
    curve.x.forEach((cx, i) => (cx === null || curve.y[i] === null ? flush() : run.push(`${x(cx)},${y(curve.y[i])}`)));
    flush();
    text(node, x(1), y(0) + 1.3 * fs, diagonal ? "FPR →" : "recall →", { "text-anchor": "end" });
    text(node, x(0), y(1) - 0.6 * fs, diagonal ? "↑ TPR" : "↑ precision", { "text-anchor": "start" });
    const point = svg("circle", { r: 0.45 * fs, class: "cx-point" }, node);
    return { x, y, point };
  }

  // ---- one position on screen ------------------------------------------------------------
  function move(rec, relayout = false) {
    const m = marks;
    const t = m.x(rec.threshold);
    m.line.setAttribute("x1", t);
    m.line.setAttribute("x2", t);
    m.lineLabel.textContent = `threshold ${rec.label}`;
    const flip = t > m.plotRight - 9 * parseFloat(getComputedStyle(root).fontSize);
    m.lineLabel.setAttribute("x", flip ? t - 4 : t + 4);
    m.lineLabel.setAttribute("text-anchor", flip ? "end" : "start");
    const j = rec.split.bin;
    m.bars.forEach((bars, c) => {
      bars.forEach((bar, k) => {
        bar.setAttribute("class", `cx-bar-rect cx-${ROWS[c][k < j ? 0 : 1]}`);
        bar.style.visibility = k === j ? "hidden" : "visible";
      });
      // The bin under the line, split: scores <= threshold left of it (negative), the rest right.
      const [lo, hi] = [m.x(data.edges[j]), m.x(data.edges[j + 1])];
      [[lo, t, rec.split.below[c], 0], [t, hi, rec.split.above[c], 1]].forEach(([a, b, h, side], s) => {
        const piece = bars.split[s];
        const y = bars.y(h);
        piece.setAttribute("x", side ? b - Math.max(b - a, 1.5) : a - (b - a < 1.5 ? 1.5 : 0));
        piece.setAttribute("width", Math.max(b - a, 1.5));
        piece.setAttribute("y", y);
        piece.setAttribute("height", bars.y0 - y);
        piece.setAttribute("class", `cx-bar-rect cx-${ROWS[c][side]}`);
      });
    });
    const dots = data.dots;
    m.dotNodes.forEach((dot, k) => {
      const changed = !relayout && previousCut !== null &&
        ((k >= previousCut && k < rec.cut) || (k >= rec.cut && k < previousCut));
      dot.setAttribute("class", `cx-dot cx-${cellOf(dots.label[k], k, rec.cut)}${changed ? " cx-changed" : ""}`);
      // A score on the threshold is negative: its dot sits just left of the line.
      dot.setAttribute("cx", m.x(dots.x[k]) - (k >= rec.tie_from && k < rec.cut ? dot.r.baseVal.value : 0));
    });
    for (const [curve, point] of [[m.roc, rec.roc], [m.pr, rec.pr]]) {
      const defined = point[0] !== null && point[1] !== null;
      curve.point.style.display = defined ? "" : "none";
      if (defined) {
        curve.point.setAttribute("cx", curve.x(point[0]));
        curve.point.setAttribute("cy", curve.y(point[1]));
      }
    }
  }

  function show(rec, i) {
    if (!relayoutDone) layout();
    index = i;
    for (const key of Object.keys(counts)) counts[key].textContent = rec.counts[key];
    for (const key of Object.keys(totals)) totals[key].textContent = rec.totals[key];
    for (const key of Object.keys(norm)) {
      norm[key].text.textContent = `${rec.norm[key].name} ${rec.norm[key].text}`;
      norm[key].bar.style.width = `${100 * (rec.norm[key].fraction ?? 0)}%`;
    }
    for (const key of Object.keys(rateCells)) {
      rateCells[key].formula.textContent = rec.formulas[key];
      rateCells[key].value.textContent = rec.rates[key];
    }
    ratesCaption.textContent = view().rates_caption;
    value.textContent = rec.label;
    slider.setAttribute("aria-valuenow", String(rec.threshold));
    slider.setAttribute("aria-valuetext", rec.announce);
    handle.style.left = `${100 * rec.threshold}%`;
    badge.textContent = rec.badge;
    badge.dataset.agree = String(rec.agree);
    ties.textContent = rec.ties;
    prNote.textContent = rec.pr_note;
    countsTable.dataset.threshold = rec.label;
    move(rec);
    previousCut = rec.cut;
    shown = rec;
    if (infoDot) dotInfo.textContent = infoDot.info(); // the sample last pointed at, in the new cell
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { live.textContent = rec.announce; }, 300);
  }
  let relayoutDone = false;
  let infoDot = null;
  let announceTimer = null;

  function say(content, kind = "error") {
    message.textContent = content;
    message.dataset.kind = content ? kind : "";
  }

  // Tell the kernel what is shown (so explorer.counts follows). With the kernel gone this
  // may throw or queue; the page has already redrawn either way.
  function sync(threshold) {
    selfSet = true;
    try {
      model.set("threshold", threshold);
      model.save_changes();
    } catch (error) {
      // nothing to do: moves on the grid need no kernel
    } finally {
      selfSet = false;
    }
  }

  function moveTo(i) {
    const target = Math.min(last, Math.max(0, i));
    pending = null;
    clearTimeout(timer);
    say("");
    show(view().positions[target], target);
    sync(grid[target]);
  }

  function showExact() {
    const exact = model.get("exact");
    if (!exact.views || exact.threshold !== model.get("threshold")) return false;
    pending = null;
    clearTimeout(timer);
    say("");
    show(exact.views[model.get("weighted") ? "weighted" : "unweighted"], null);
    exactBelow = exact.below;
    return true;
  }
  let exactBelow = null;

  // ---- input -------------------------------------------------------------------------------
  const KEYS = {
    ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: PAGE, PageDown: -PAGE,
  };
  slider.addEventListener("keydown", (event) => {
    let target = null;
    if (event.key === "Home") target = 0;
    else if (event.key === "End") target = last;
    else if (event.key in KEYS) {
      const step = KEYS[event.key];
      // From a threshold between steps, the first step lands on the neighbouring grid point.
      if (index !== null) target = index + step;
      else target = step > 0 ? exactBelow + step : exactBelow + 1 + step;
    }
    if (target === null) return;
    event.preventDefault();
    event.stopPropagation(); // JupyterLab's notebook shortcuts must not take the key
    moveTo(target);
  });
  const fromPointer = (event) => {
    const box = track.getBoundingClientRect();
    moveTo(Math.round(((event.clientX - box.left) / box.width) * last));
  };
  slider.addEventListener("pointerdown", (event) => {
    slider.focus();
    slider.setPointerCapture(event.pointerId);
    fromPointer(event);
  });
  slider.addEventListener("pointermove", (event) => {
    if (slider.hasPointerCapture(event.pointerId)) fromPointer(event);
  });

  function typed() {
    const raw = input.value.trim();
    if (/^[+-]?\d*,\d+$/.test(raw)) {
      say(`"${raw}" uses a decimal comma. Type a point instead: ${raw.replace(",", ".")}. ` +
          `The view still shows ${shown.label}.`);
      return;
    }
    const number = raw === "" ? NaN : Number(raw);
    if (!Number.isFinite(number)) {
      say(`"${raw}" is not a number. Type a threshold from 0 to 1, e.g. 0.35. The view still shows ${shown.label}.`);
      return;
    }
    if (number < 0 || number > 1) {
      say(`${raw} is outside [0, 1]: scores are in [0, 1] and a sample is positive when y_pred > threshold. ` +
          `Type a number from 0 to 1. The view still shows ${shown.label}.`);
      return;
    }
    const i = grid.indexOf(number);
    if (i >= 0) {
      moveTo(i);
      return;
    }
    if (document.body.hasAttribute("data-cmlearn-no-kernel")) { // a published page: no kernel will ever answer
      say(`${raw} lies between slider steps: Keras must count it, which needs a running kernel, and this page ` +
          `has none (it holds what Keras counted at the slider's steps). The view still shows ${shown.label}. ` +
          `Fix: use the slider, or open the notebook in Binder, Colab or JupyterLab and run it there.`);
      return;
    }
    pending = number;
    say(`Counting at ${raw} with Keras in the kernel (between slider steps)…`, "status");
    sync(number);
    if (showExact()) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (pending !== number) return;
      pending = null;
      say(`${raw} lies between slider steps: Keras must count it, which needs a running kernel, and the kernel ` +
          `does not answer (stopped, restarting or disconnected). The view still shows ${shown.label}. ` +
          `Fix: use the slider (its steps need no kernel), or restart the kernel and run the cell again.`);
    }, KERNEL_WAIT_MS);
  }
  input.addEventListener("keydown", (event) => {
    event.stopPropagation(); // typing here is not a notebook shortcut
    if (event.key === "Enter") typed();
  });
  go.addEventListener("click", typed);

  function paintToggles() {
    if (!toggles) return;
    for (const button of toggles) {
      button.setAttribute("aria-pressed", String(button.dataset.weights === (model.get("weighted") ? "weighted" : "unweighted")));
    }
  }
  if (toggles) {
    for (const button of toggles) {
      button.addEventListener("click", () => {
        selfSet = true;
        try {
          model.set("weighted", button.dataset.weights === "weighted");
          model.save_changes();
        } catch (error) {
          // the page already has both weightings
        } finally {
          selfSet = false;
        }
        redraw();
      });
    }
  }

  // ---- the kernel's side -------------------------------------------------------------------
  function redraw() {
    paintToggles();
    layout();
    relayoutDone = true;
    if (index !== null) show(view().positions[index], index);
    else if (!showExact()) show(view().positions[0], 0);
  }
  function follow() {
    if (selfSet) return;
    const i = grid.indexOf(model.get("threshold"));
    if (i >= 0) {
      if (i !== index || model.get("threshold") !== shown.threshold) show(view().positions[i], i);
    } else {
      showExact();
    }
  }
  model.on("change:threshold", follow);
  model.on("change:exact", () => (pending !== null ? showExact() : follow()));
  model.on("change:weighted", () => { if (!selfSet) redraw(); });
  model.on("change:error", () => {
    const error = model.get("error");
    if (error) say(`Not updated, the last good view is kept: ${error}`);
  });
  model.on("change:presenter", () => {
    root.classList.toggle("cmlearn-presenter", model.get("presenter"));
    redraw();
  });

  root.classList.toggle("cmlearn-presenter", model.get("presenter"));
  paintToggles();
  const start = grid.indexOf(model.get("threshold"));
  index = start >= 0 ? start : null;
  let drawnWidth = null;
  const observer = new ResizeObserver(() => {
    const width = scores.parentElement.clientWidth;
    if (width === drawnWidth) return; // only a new width needs a new drawing
    drawnWidth = width;
    layout();
    relayoutDone = true;
  });
  requestAnimationFrame(() => {
    drawnWidth = scores.parentElement.clientWidth;
    layout();
    relayoutDone = true;
    if (start >= 0) show(view().positions[start], start);
    else if (!showExact()) show(view().positions[0], 0);
    observer.observe(root);
  });
  return () => observer.disconnect();
}

export default { render };
