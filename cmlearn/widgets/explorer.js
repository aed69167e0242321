// The browser side of cmlearn's ThresholdExplorer (an anywidget ES module).
//
// Every number and every shared word on screen was computed in Python and arrives as text in
// model.get("data"): one record per slider position and weighting, and the tables' empty markup.
// This file only picks the record for a position and places marks; its arithmetic is layout
// (pixels). A typed threshold between slider steps is sent to the kernel, which counts it with
// Keras and answers with model.get("exact").
//
// Rooms, in the manner of anywidget's own examples and jupyter-scatter: the geometry as named
// constants; one `state` object; one factory per drawn piece (the slider, the counts panel, the
// rates, the score plot, a curve), each returning { element, update(record), resize(scale) };
// and a short `render` that wires them and returns a cleanup. A move writes only what changed:
// text only where it differs, the marks of the score plot moved in place, never rebuilt, and no
// layout is read in between (the font size and the track's box are read on resize and on press).

// ---- geometry: lengths in units of the root's font size (fs) unless named _PX ----------------
const SVG_NS = "http://www.w3.org/2000/svg";
const PLOT = {
  left: 5.5, right: 1.5, top: 4, // margins around the score plot's panels
  panel: 4.2, gap: 2.2, // one histogram panel's height, and the gap under it
  dotRow: 3.2, dotRadius: 0.28, // one class's row of dots
  below: 3, // the axis and its title under the last row
  minWidth: 20, fallbackWidthPx: 520,
  lineAbove: 2.6, labelAbove: 2.4, labelFlip: 9, // the threshold line and its label
  scoreMargin: 0.02, // a margin on the score axis, so lines at 0 and 1 stay visible
  splitMinPx: 1.5, minDotRadiusPx: 2, minBarPx: 0.5,
};
const CURVE = { size: 15, pad: 2.5, point: 0.45 };
const SCORE_TICKS = [0, 0.25, 0.5, 0.75, 1];
const CURVE_TICKS = [0, 0.5, 1];
const DOTS_TABBABLE_UP_TO = 300; // up to this many samples, each dot takes the keyboard focus

// ---- timing and keys --------------------------------------------------------------------------
const KERNEL_WAIT_MS = 6000; // no answer by then: the kernel is gone or busy
const ANNOUNCE_MS = 300; // a screen reader hears the position once the keys rest
const PAGE_STEPS = 10; // PageUp / PageDown move this many steps
const KEY_STEPS = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: PAGE_STEPS, PageDown: -PAGE_STEPS };

// ---- the DOM, written only where it changes ---------------------------------------------------
function html(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.append(node);
  return node;
}

function svgText(parent, x, y, content, attrs = {}) {
  const node = svg("text", { x, y, ...attrs }, parent);
  node.textContent = content;
  return node;
}

function fromMarkup(markup) {
  const holder = document.createElement("template");
  holder.innerHTML = markup;
  return holder.content.firstElementChild;
}

// Last values written, per node: a write that would change nothing is skipped.
const written = new WeakMap();
function writeText(node, value) {
  const last = written.get(node) ?? {};
  if (last.text === value) return;
  node.textContent = value;
  written.set(node, { ...last, text: value });
}
function writeAttr(node, name, value) {
  let last = written.get(node);
  if (!last) written.set(node, (last = {}));
  const key = `@${name}`;
  if (last[key] === value) return;
  node.setAttribute(name, value);
  last[key] = value;
}
function writeStyle(node, name, value) {
  let last = written.get(node);
  if (!last) written.set(node, (last = {}));
  const key = `:${name}`;
  if (last[key] === value) return;
  node.style[name] = value;
  last[key] = value;
}

// "sample {index}: ..." filled in from values (a text rule Python sends as data).
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

// ---- the one state ---------------------------------------------------------------------------
function createState(model, data) {
  return {
    model, data,
    grid: data.grid,
    last: data.grid.length - 1,
    index: null, // the grid position shown, or null for an exact threshold between steps
    shown: null, // the record shown
    pending: null, // a typed threshold the kernel is counting
    exactBelow: null, // the grid position just below the exact threshold shown
    echo: false, // true while this page sets the model: its own change events are not followed
    timers: { kernel: null, announce: null },
    frame: null, // the pending animation frame
    observer: null,
    drawn: false, // the rooms have been drawn once (resize) for a size
    drawnWidth: null,
  };
}

// Which of the two sweeps the page shows: the one weighting key.
const weightingKey = (state) => (state.model.get("weighted") ? "weighted" : "unweighted");
const currentView = (state) => state.data.views[weightingKey(state)];

// Set the model from the page without following our own change (the echo guard). With the
// kernel gone this may throw or queue; the page has already redrawn either way.
function setFromPage(state, name, value) {
  state.echo = true;
  try {
    state.model.set(name, value);
    state.model.save_changes();
  } catch (error) {
    // nothing to do: the page holds every slider step and both weightings
  } finally {
    state.echo = false;
  }
}

function startTimer(state, name, ms, fn) {
  clearTimeout(state.timers[name]);
  state.timers[name] = setTimeout(() => { state.timers[name] = null; fn(); }, ms);
}
function stopTimer(state, name) {
  clearTimeout(state.timers[name]);
  state.timers[name] = null;
}

// ---- the slider, its value, the typed threshold and the weighting toggle ---------------------
function createSlider(state, { onStep, onTyped, onWeighting }) {
  const { grid, last, data } = state;
  const handle = html("div", { class: "cx-handle" });
  const track = html("div", { class: "cx-track" }, handle);
  const slider = html("div", { class: "cx-slider", role: "slider", tabindex: "0", "aria-label": "threshold",
                               "aria-valuemin": String(grid[0]), "aria-valuemax": String(grid[last]) }, track);
  const value = html("output", { class: "cx-value", "aria-hidden": "true" });
  const input = html("input", { class: "cx-input", type: "text", inputmode: "decimal", size: "8",
                                "aria-label": "exact threshold" });
  const go = html("button", { class: "cx-button", type: "button" }, "count");
  const element = html("div", { class: "cx-controls" },
    html("span", { class: "cx-label" }, "threshold"), slider, value,
    html("label", { class: "cx-label" }, "type one: ", input), go);
  let toggles = [];
  if (data.views.weighted) {
    toggles = ["weighted", "unweighted"].map((w) =>
      html("button", { class: "cx-button", type: "button", "data-weights": w }, `${w} counts`));
    element.append(html("span", { class: "cx-toggle", role: "group", "aria-label": "counts" }, ...toggles));
    for (const button of toggles) button.addEventListener("click", () => onWeighting(button.dataset.weights === "weighted"));
  }

  slider.addEventListener("keydown", (event) => {
    let target = null;
    if (event.key === "Home") target = 0;
    else if (event.key === "End") target = last;
    else if (event.key in KEY_STEPS) {
      const step = KEY_STEPS[event.key];
      // From a threshold between steps, the first step lands on the neighbouring grid point.
      if (state.index !== null) target = state.index + step;
      else target = step > 0 ? state.exactBelow + step : state.exactBelow + 1 + step;
    }
    if (target === null) return;
    event.preventDefault();
    event.stopPropagation(); // JupyterLab's notebook shortcuts must not take the key
    onStep(target);
  });
  let box = null; // the track's box, read once per press (no layout read while dragging)
  const fromPointer = (event) => onStep(Math.round(((event.clientX - box.left) / box.width) * last));
  slider.addEventListener("pointerdown", (event) => {
    box = track.getBoundingClientRect();
    slider.focus();
    slider.setPointerCapture(event.pointerId);
    fromPointer(event);
  });
  slider.addEventListener("pointermove", (event) => {
    if (box && slider.hasPointerCapture(event.pointerId)) fromPointer(event);
  });
  input.addEventListener("keydown", (event) => {
    event.stopPropagation(); // typing here is not a notebook shortcut
    if (event.key === "Enter") onTyped(input.value.trim());
  });
  go.addEventListener("click", () => onTyped(input.value.trim()));

  return {
    element,
    update(rec) {
      writeText(value, rec.label);
      writeAttr(slider, "aria-valuenow", String(rec.threshold));
      writeAttr(slider, "aria-valuetext", rec.announce);
      writeStyle(handle, "left", `${100 * rec.threshold}%`);
    },
    resize() {
      const key = weightingKey(state);
      for (const button of toggles) writeAttr(button, "aria-pressed", String(button.dataset.weights === key));
    },
  };
}

// ---- the counts panel: the labs' counts table (html.counts_table) and the agreement badge ----
function createCountsPanel(state) {
  const table = fromMarkup(state.data.counts_table);
  const counts = [...table.querySelectorAll("[data-count]")].map((node) => [node.dataset.count, node]);
  const totals = [...table.querySelectorAll("[data-total]")].map((node) => [node.dataset.total, node]);
  const badge = html("p", { class: "cx-badge" });
  return {
    element: html("section", { class: "cx-left" }, table, badge),
    update(rec) {
      for (const [key, node] of counts) writeText(node, rec.counts[key]);
      for (const [key, node] of totals) writeText(node, rec.totals[key]);
      writeAttr(table, "data-threshold", rec.label);
      writeText(badge, rec.badge);
      writeAttr(badge, "data-agree", String(rec.agree));
    },
    resize() {},
  };
}

// ---- the rates: per actual class (html.rates_by_class_table) and written out (html.rates_table)
function createRatesByClass(state) {
  const table = fromMarkup(state.data.rates_by_class_table);
  const cells = [...table.querySelectorAll("[data-norm]")].map((node) =>
    [node.dataset.norm, node, table.querySelector(`[data-norm-bar="${node.dataset.norm}"]`)]);
  return {
    element: html("section", {}, table),
    update(rec) {
      for (const [key, text, bar] of cells) {
        writeText(text, rec.norm[key].text);
        writeStyle(bar, "width", `${100 * (rec.norm[key].fraction ?? 0)}%`);
      }
    },
    resize() {},
  };
}

function createRatesTable(state) {
  const element = fromMarkup(state.data.rates_table);
  const caption = element.querySelector("caption");
  const cells = [...element.querySelectorAll("td[data-rate]")].map((node) =>
    [node.dataset.rate, node, element.querySelector(`[data-formula="${node.dataset.rate}"]`)]);
  return {
    element,
    update(rec) {
      for (const [key, value, formula] of cells) {
        writeText(formula, rec.formulas[key]);
        writeText(value, rec.rates[key]);
      }
    },
    resize(scale) { writeText(caption, scale.view.rates_caption); },
  };
}

// A line of text from the record (the ties under the plot).
function createLine(className, field) {
  const element = html("p", { class: className });
  return { element, update(rec) { writeText(element, rec[field]); }, resize() {} };
}

// ---- the score plot: histograms per class, the dots, the threshold line ----------------------
function createScorePlot(state) {
  const { data } = state;
  const cells = data.cells;
  const cellOf = (label, k, cut) => cells[label][k < cut ? 0 : 1]; // dots in score order: the first `cut` negative
  const plot = svg("svg", { class: "cx-scores", role: "img" });
  const dotInfo = html("p", { class: "cx-dot-info" });
  const element = html("section", { class: "cx-right" },
    html("p", { class: "cx-rule" }, "Predicted positive when y_pred > threshold: a score equal to the threshold " +
      "counts as negative and is drawn left of the line."),
    plot, dotInfo);
  let marks = null; // what a move changes, for the drawing of the current size and weighting
  let infoDot = null; // the dot last pointed at: its text follows the moves
  const dotText = (k) => {
    const c = data.dots.label[k];
    return fill(data.dot_text, { index: data.dots.index[k], label: c, score: data.dots.score[k],
                                 cell: data.short[cellOf(c, k, state.shown.cut)], threshold: state.shown.label });
  };
  const explain = (event) => {
    const dot = event.target;
    if (!marks || !(dot instanceof SVGElement) || !dot.classList.contains("cx-dot")) return;
    infoDot = Number(dot.dataset.k);
    let title = dot.firstElementChild;
    if (!title) title = svg("title", {}, dot);
    title.textContent = dotText(infoDot);
    writeText(dotInfo, title.textContent);
  };
  // One listener for every dot (capturing: mouseenter and focus do not bubble).
  plot.addEventListener("mouseenter", explain, true);
  plot.addEventListener("focus", explain, true);

  function resize(scale) {
    const { fs, view } = scale;
    const hist = view.hist;
    const dots = data.dots;
    const width = Math.max(scale.width || PLOT.fallbackWidthPx, PLOT.minWidth * fs);
    const left = PLOT.left * fs, plotW = width - left - PLOT.right * fs, top = PLOT.top * fs;
    const panel = PLOT.panel * fs, gap = PLOT.gap * fs, dotRow = dots ? PLOT.dotRow * fs : 0;
    const x = (s) => left + ((s + PLOT.scoreMargin) / (1 + 2 * PLOT.scoreMargin)) * plotW;
    const rows = [top, top + panel + gap];
    const dotTop = rows[1] + panel + gap;
    const axisY = dotTop + (dots ? 2 * dotRow + 0.5 * fs : 0);
    const height = axisY + PLOT.below * fs;
    plot.replaceChildren();
    written.delete(plot);
    plot.setAttribute("viewBox", `0 0 ${width} ${height}`);
    plot.setAttribute("width", width);
    plot.setAttribute("height", height);
    plot.setAttribute("aria-label", `scores per actual class, ${hist.label}; threshold line`);
    const bars = data.class_labels.long.map((label, c) => {
      const y0 = rows[c] + panel;
      const ticks = hist.ticks[c];
      const ymax = ticks[ticks.length - 1].value || 1;
      const y = (h) => y0 - (h / ymax) * panel;
      svgText(plot, left, rows[c] - 0.4 * fs, `${label}: ${hist.label}`, { class: "cx-svg-label" });
      for (const t of ticks) {
        svg("line", { x1: left - 0.3 * fs, x2: left + plotW, y1: y(t.value), y2: y(t.value), class: "cx-grid" }, plot);
        svgText(plot, left - 0.5 * fs, y(t.value) + 0.35 * fs, t.label, { "text-anchor": "end" });
      }
      const rects = hist.heights[c].map((h, k) => svg("rect", {
        x: x(data.edges[k]), width: Math.max(x(data.edges[k + 1]) - x(data.edges[k]), PLOT.minBarPx),
        y: y(h), height: y0 - y(h), class: "cx-bar-rect" }, plot));
      const split = [0, 1].map(() => svg("rect", { class: "cx-bar-rect cx-split" }, plot));
      return { rects, split, y, y0 };
    });
    const r = Math.max(PLOT.minDotRadiusPx, PLOT.dotRadius * fs);
    let dotNodes = [];
    if (dots) {
      data.class_labels.short.forEach((label, c) => {
        svgText(plot, left - 0.5 * fs, dotTop + (c + 0.6) * dotRow, label, { "text-anchor": "end" });
      });
      const tabindex = data.n <= DOTS_TABBABLE_UP_TO ? "0" : "-1";
      const rise = [0, 1].map((c) => Math.min(2 * r, (dotRow - 2 * r) / dots.levels[c]));
      dotNodes = dots.x.map((s, k) => {
        const c = dots.label[k];
        return svg("circle", { cx: x(s), cy: dotTop + (c + 1) * dotRow - r - dots.level[k] * rise[c], r,
                               class: "cx-dot", tabindex, "data-k": k }, plot);
      });
    }
    svg("line", { x1: left, x2: left + plotW, y1: axisY, y2: axisY, class: "cx-axis" }, plot);
    for (const t of SCORE_TICKS) {
      svg("line", { x1: x(t), x2: x(t), y1: axisY, y2: axisY + 0.4 * fs, class: "cx-axis" }, plot);
      svgText(plot, x(t), axisY + 1.4 * fs, String(t), { "text-anchor": "middle" });
    }
    svgText(plot, left + plotW / 2, axisY + 2.7 * fs, "score y_pred", { "text-anchor": "middle" });
    const line = svg("line", { y1: top - PLOT.lineAbove * fs, y2: axisY, class: "cx-threshold" }, plot);
    const lineLabel = svgText(plot, 0, top - PLOT.labelAbove * fs, "", { class: "cx-svg-label" });
    infoDot = null;
    writeText(dotInfo, "");
    // Nothing is drawn for a position yet: the first update writes every mark.
    marks = { x, r, bars, dotNodes, line, lineLabel, flipAt: left + plotW - PLOT.labelFlip * fs,
              bin: null, cut: null, tieFrom: null, changed: [] };
  }

  // The bars of bin k: left of the split bin negative, right of it positive, the split bin hidden.
  function paintBar(bars, c, k, j) {
    const rect = bars.rects[k];
    writeAttr(rect, "class", `cx-bar-rect cx-${cells[c][k < j ? 0 : 1]}`);
    writeStyle(rect, "visibility", k === j ? "hidden" : "visible");
  }

  // Dot k's class and place: a score on the threshold is negative, drawn just left of the line.
  function paintDot(k, rec, ring) {
    const dot = marks.dotNodes[k];
    writeAttr(dot, "class", `cx-dot cx-${cellOf(data.dots.label[k], k, rec.cut)}${ring ? " cx-changed" : ""}`);
    writeAttr(dot, "cx", String(marks.x(data.dots.x[k]) - (k >= rec.tie_from && k < rec.cut ? marks.r : 0)));
  }

  function update(rec) {
    const m = marks;
    const t = m.x(rec.threshold);
    writeAttr(m.line, "x1", String(t));
    writeAttr(m.line, "x2", String(t));
    writeText(m.lineLabel, `threshold ${rec.label}`);
    const flip = t > m.flipAt;
    writeAttr(m.lineLabel, "x", String(flip ? t - 4 : t + 4));
    writeAttr(m.lineLabel, "text-anchor", flip ? "end" : "start");
    const j = rec.split.bin;
    m.bars.forEach((bars, c) => {
      if (m.bin === null) bars.rects.forEach((_, k) => paintBar(bars, c, k, j));
      else for (let k = Math.min(m.bin, j); k <= Math.max(m.bin, j); k += 1) paintBar(bars, c, k, j);
      // The bin under the line, split: scores <= threshold left of it (negative), the rest right.
      const [lo, hi] = [m.x(data.edges[j]), m.x(data.edges[j + 1])];
      [[lo, t, rec.split.below[c], 0], [t, hi, rec.split.above[c], 1]].forEach(([a, b, h, side], s) => {
        const piece = bars.split[s];
        const y = bars.y(h);
        const w = Math.max(b - a, PLOT.splitMinPx);
        writeAttr(piece, "x", String(side ? b - w : a - (b - a < PLOT.splitMinPx ? PLOT.splitMinPx : 0)));
        writeAttr(piece, "width", String(w));
        writeAttr(piece, "y", String(y));
        writeAttr(piece, "height", String(bars.y0 - y));
        writeAttr(piece, "class", `cx-bar-rect cx-${cells[c][side]}`);
      });
    });
    m.bin = j;
    if (m.dotNodes.length) {
      if (m.cut === null) {
        m.dotNodes.forEach((_, k) => paintDot(k, rec, false));
      } else {
        // Only the dots that change cell (between the old cut and the new) get the ring; last move's lose it.
        const [from, to] = [Math.min(m.cut, rec.cut), Math.max(m.cut, rec.cut)];
        const ringed = [];
        for (let k = from; k < to; k += 1) ringed.push(k);
        const touched = new Set([...m.changed, ...ringed]);
        for (let k = m.tieFrom; k < m.cut; k += 1) touched.add(k); // last move's dots on the line
        for (let k = rec.tie_from; k < rec.cut; k += 1) touched.add(k); // this move's
        const ring = new Set(ringed);
        for (const k of touched) paintDot(k, rec, ring.has(k));
        m.changed = ringed;
      }
      m.cut = rec.cut;
      m.tieFrom = rec.tie_from;
      if (infoDot !== null) writeText(dotInfo, dotText(infoDot)); // the sample last pointed at, in its new cell
    }
  }

  return { element, update, resize };
}

// ---- a curve (ROC or precision-recall) with the point of the threshold shown ---------------
function createCurve(state, { key, title, label, diagonal, xName, yName, note = null }) {
  const plot = svg("svg", { class: "cx-curve", role: "img", "aria-label": label });
  const noteNode = note ? html("p", { class: "cx-note" }) : null;
  const element = html("section", {}, html("h4", {}, title), plot, ...(noteNode ? [noteNode] : []));
  let marks = null;
  return {
    element,
    resize(scale) {
      const { fs } = scale;
      const curve = scale.view[key];
      const size = CURVE.size * fs, pad = CURVE.pad * fs, inner = size - 2 * pad;
      const x = (s) => pad + s * inner, y = (s) => pad + (1 - s) * inner; // points at 0 and 1 stay inside
      plot.replaceChildren();
      plot.setAttribute("viewBox", `0 0 ${size} ${size}`);
      plot.setAttribute("width", size);
      plot.setAttribute("height", size);
      svg("rect", { x: x(0), y: y(1), width: inner, height: inner, class: "cx-frame" }, plot);
      for (const t of CURVE_TICKS) {
        if (t < 1) svgText(plot, x(t), y(0) + 1.3 * fs, String(t), { "text-anchor": "middle" });
        svgText(plot, x(0) - 0.4 * fs, y(t) + 0.35 * fs, String(t), { "text-anchor": "end" });
      }
      if (diagonal) svg("line", { x1: x(0), y1: y(0), x2: x(1), y2: y(1), class: "cx-grid" }, plot);
      // One polyline per run of defined points (an undefined precision leaves a gap).
      let run = [];
      const flush = () => {
        if (run.length) svg("polyline", { points: run.join(" "), class: "cx-curve-line" }, plot);
        run = [];
      };
      curve.x.forEach((cx, i) => (cx === null || curve.y[i] === null ? flush() : run.push(`${x(cx)},${y(curve.y[i])}`)));
      flush();
      svgText(plot, x(1), y(0) + 1.3 * fs, `${xName} →`, { "text-anchor": "end" });
      svgText(plot, x(0), y(1) - 0.6 * fs, `↑ ${yName}`, { "text-anchor": "start" });
      marks = { x, y, point: svg("circle", { r: CURVE.point * fs, class: "cx-point" }, plot) };
    },
    update(rec) {
      const point = rec[key];
      const defined = point[0] !== null && point[1] !== null;
      writeStyle(marks.point, "display", defined ? "" : "none");
      if (defined) {
        writeAttr(marks.point, "cx", String(marks.x(point[0])));
        writeAttr(marks.point, "cy", String(marks.y(point[1])));
      }
      if (noteNode) writeText(noteNode, rec[note]);
    },
  };
}

// ---- messages ------------------------------------------------------------------------------
function createMessage() {
  const element = html("div", { class: "cx-message", role: "alert" });
  return {
    element,
    say(content, kind = "error") {
      writeText(element, content);
      writeAttr(element, "data-kind", content ? kind : "");
    },
  };
}

// What a typed threshold asks for: a grid position, a count in the kernel, or a message.
function readTyped(state, raw) {
  const still = `The view still shows ${state.shown.label}.`;
  if (/^[+-]?\d*,\d+$/.test(raw)) {
    return { say: `"${raw}" uses a decimal comma. Type a point instead: ${raw.replace(",", ".")}. ${still}` };
  }
  const number = raw === "" ? NaN : Number(raw);
  if (!Number.isFinite(number)) {
    return { say: `"${raw}" is not a number. Type a threshold from 0 to 1, e.g. 0.35. ${still}` };
  }
  if (number < 0 || number > 1) {
    return { say: `${raw} is outside [0, 1]: scores are in [0, 1] and a sample is positive when y_pred > threshold. ` +
                  `Type a number from 0 to 1. ${still}` };
  }
  const i = state.grid.indexOf(number);
  if (i >= 0) return { index: i };
  if (document.body.hasAttribute("data-cmlearn-no-kernel")) { // a published page: no kernel will ever answer
    return { say: `${raw} lies between slider steps: Keras must count it, which needs a running kernel, and this ` +
                  `page has none (it holds what Keras counted at the slider's steps). ${still} ` +
                  `Fix: use the slider, or open the notebook in Binder, Colab or JupyterLab and run it there.` };
  }
  return { exact: number };
}

// ---- render: build the rooms, wire them, return the cleanup --------------------------------
function render({ model, el }) {
  const state = createState(model, model.get("data"));
  const message = createMessage();
  const live = html("div", { class: "cx-live", "aria-live": "polite" });
  const slider = createSlider(state, { onStep: showStep, onTyped: typed, onWeighting: setWeighting });
  const counts = createCountsPanel(state);
  const scores = createScorePlot(state);
  const ties = createLine("cx-ties", "ties");
  const byClass = createRatesByClass(state);
  const roc = createCurve(state, { key: "roc", title: "ROC: TPR against FPR", label: "ROC curve", diagonal: true,
                                   xName: "FPR", yName: "TPR" });
  const pr = createCurve(state, { key: "pr", title: "precision against recall", label: "precision-recall curve",
                                  diagonal: false, xName: "recall", yName: "precision", note: "pr_note" });
  const ratesTable = createRatesTable(state);
  const rooms = [slider, counts, scores, ties, byClass, roc, pr, ratesTable];
  const root = html("div", { class: "cmlearn-explorer cmlearn-theme" },
    slider.element, message.element, live,
    html("div", { class: "cx-main" }, counts.element, scores.element),
    ties.element,
    html("div", { class: "cx-more" }, byClass.element, roc.element, pr.element),
    ratesTable.element);
  el.append(root);

  // Redraw every room for the current size, weighting and scale (not on a move).
  function resizeAll() {
    const scale = { fs: parseFloat(getComputedStyle(root).fontSize) || 13, width: scores.element.clientWidth,
                    view: currentView(state) };
    state.drawn = true;
    state.drawnWidth = scale.width;
    for (const room of rooms) room.resize(scale);
  }
  function showRecord(rec, index) {
    if (!state.drawn) resizeAll(); // the kernel spoke before the first frame
    state.index = index;
    state.shown = rec;
    for (const room of rooms) room.update(rec);
    startTimer(state, "announce", ANNOUNCE_MS, () => writeText(live, rec.announce));
  }
  function showStep(i) {
    const target = Math.min(state.last, Math.max(0, i));
    state.pending = null;
    stopTimer(state, "kernel");
    message.say("");
    showRecord(currentView(state).positions[target], target);
    setFromPage(state, "threshold", state.grid[target]);
  }
  function showExact() {
    const exact = model.get("exact");
    if (!exact.views || exact.threshold !== model.get("threshold")) return false;
    state.pending = null;
    stopTimer(state, "kernel");
    message.say("");
    showRecord(exact.views[weightingKey(state)], null);
    state.exactBelow = exact.below;
    return true;
  }
  function showCurrent() {
    if (state.index !== null) showRecord(currentView(state).positions[state.index], state.index);
    else if (!showExact()) showRecord(currentView(state).positions[0], 0);
  }
  function redraw() { // a new weighting or scale: the record shown changes too
    resizeAll();
    showCurrent();
  }
  function redrawInPlace() { // a new width: the same record, drawn again
    resizeAll();
    if (state.shown) for (const room of rooms) room.update(state.shown);
  }
  function typed(raw) {
    const answer = readTyped(state, raw);
    if (answer.say) return message.say(answer.say);
    if (answer.index !== undefined) return showStep(answer.index);
    state.pending = answer.exact;
    message.say(`Counting at ${raw} with Keras in the kernel (between slider steps)…`, "status");
    setFromPage(state, "threshold", answer.exact);
    if (showExact()) return;
    startTimer(state, "kernel", KERNEL_WAIT_MS, () => {
      if (state.pending !== answer.exact) return;
      state.pending = null;
      message.say(`${raw} lies between slider steps: Keras must count it, which needs a running kernel, and the ` +
        `kernel does not answer (stopped, restarting or disconnected). The view still shows ${state.shown.label}. ` +
        `Fix: use the slider (its steps need no kernel), or restart the kernel and run the cell again.`);
    });
  }
  function setWeighting(weighted) {
    setFromPage(state, "weighted", weighted);
    redraw();
  }

  // The kernel's side: a move from Python, an exact count, a weighting, an error, the scale.
  const followKernel = {
    "change:threshold": () => {
      if (state.echo) return;
      const i = state.grid.indexOf(model.get("threshold"));
      if (i < 0) showExact();
      else if (i !== state.index || model.get("threshold") !== state.shown.threshold) showRecord(currentView(state).positions[i], i);
    },
    "change:exact": () => (state.pending !== null ? showExact() : followKernel["change:threshold"]()),
    "change:weighted": () => { if (!state.echo) redraw(); },
    "change:error": () => { const error = model.get("error"); if (error) message.say(`${state.data.kept} ${error}`); },
    "change:presenter": () => { root.classList.toggle("cmlearn-presenter", model.get("presenter")); redraw(); },
  };
  for (const [event, fn] of Object.entries(followKernel)) model.on(event, fn);

  root.classList.toggle("cmlearn-presenter", model.get("presenter"));
  const start = state.grid.indexOf(model.get("threshold"));
  state.index = start >= 0 ? start : null;
  state.observer = new ResizeObserver(() => {
    if (scores.element.clientWidth !== state.drawnWidth) redrawInPlace(); // only a new width needs a new drawing
  });
  state.frame = requestAnimationFrame(() => { // the first drawing needs the page's width
    state.frame = null;
    redraw();
    state.observer.observe(root);
  });

  return () => {
    for (const name of Object.keys(state.timers)) stopTimer(state, name);
    if (state.frame !== null) cancelAnimationFrame(state.frame);
    state.frame = null;
    state.observer.disconnect();
    for (const [event, fn] of Object.entries(followKernel)) model.off(event, fn);
  };
}

export default { render };
