// explorer.base.js, the first part of the browser side of cmlearn's ThresholdExplorer.
//
// The explorer's ES module (anywidget's `_esm`) is four files with one job each, which
// explorer.py joins, in this order, into the one module text the notebook runs and the
// published site copies: explorer.base.js (geometry, DOM writes, the one state),
// explorer.panels.js (slider, counts, rates, messages, typed thresholds), explorer.plots.js
// (the score plot and the curves) and explorer.render.js (render: wiring and cleanup).
//
// Every number and every shared word on screen was computed in Python and arrives as text in
// model.get("data"): one record per slider position and weighting, and the tables' empty markup.
// The module only picks the record for a position and places marks; its arithmetic is layout
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

