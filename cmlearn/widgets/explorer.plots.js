// ---- explorer.plots.js: the drawn pieces (after explorer.panels.js) ---------------------------

let dotInfoCount = 0; // each explorer on a page names its dot text uniquely

// ---- the score plot: histograms per class, the dots, the threshold line ----------------------
function createScorePlot(state) {
  const { data } = state;
  const cells = data.cells;
  const cellOf = (label, k, cut) => cells[label][k < cut ? 0 : 1]; // dots in score order: the first `cut` negative
  const plot = svg("svg", { class: "cx-scores", role: "img" });
  // A pointed dot's text lies beside it, over the plot (no layout is read: it is placed in percent of
  // the drawing, on the side with room), and describes the dot to a screen reader (aria-describedby).
  const infoId = `cx-dot-info-${(dotInfoCount += 1)}`;
  const dotInfo = html("div", { class: "cx-dot-info", role: "tooltip", id: infoId, hidden: "" });
  const element = html("section", { class: "cx-right" },
    html("p", { class: "cx-rule" }, "Predicted positive when y_pred > threshold: a score equal to the threshold " +
      "counts as negative and is drawn left of the line."),
    html("div", { class: "cx-plot-box" }, plot, dotInfo));
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
    writeText(dotInfo, dotText(infoDot));
    const [cx, cy] = [Number(dot.getAttribute("cx")), Number(dot.getAttribute("cy"))];
    writeStyle(dotInfo, "left", `${(100 * cx) / marks.width}%`);
    writeStyle(dotInfo, "top", `${(100 * cy) / marks.height}%`);
    const side = `${cx > marks.width / 2 ? "left" : "right"} ${cy > marks.height / 2 ? "up" : "down"}`;
    writeAttr(dotInfo, "data-side", side); // the halves with more room
    dot.setAttribute("aria-describedby", infoId);
    dotInfo.hidden = false;
  };
  // The pointer left the dot, or the dot lost the focus: its text goes, unless the dot is still pointed at.
  const unexplain = (event) => {
    const dot = event.target;
    if (!(dot instanceof SVGElement) || Number(dot.dataset.k) !== infoDot) return;
    if (event.type === "mouseleave" ? dot === document.activeElement : dot.matches(":hover")) return;
    infoDot = null;
    dotInfo.hidden = true;
  };
  // One listener for every dot (capturing: mouseenter, mouseleave, focus and blur do not bubble).
  plot.addEventListener("mouseenter", explain, true);
  plot.addEventListener("focus", explain, true);
  plot.addEventListener("mouseleave", unexplain, true);
  plot.addEventListener("blur", unexplain, true);

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
    const titles = [];
    const bars = data.class_labels.long.map((label, c) => {
      const y0 = rows[c] + panel;
      const ticks = hist.ticks[c];
      const ymax = ticks[ticks.length - 1].value || 1;
      const y = (h) => y0 - (h / ymax) * panel;
      titles.push(svgText(plot, left, rows[c] - 0.4 * fs, `${label}: ${hist.label}`, { class: "cx-svg-label" }));
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
    const line = svg("path", { class: "cx-threshold" }, plot);
    const lineLabel = svgText(plot, 0, top - PLOT.labelAbove * fs, "", { class: "cx-svg-label" });
    infoDot = null;
    dotInfo.hidden = true;
    // Nothing is drawn for a position yet: the first update writes every mark.
    // The panels' titles, which the threshold line leaps over where it crosses them (their boxes read once per
    // drawing; a title not laid out, width 0, is taken as the plot's whole width).
    const bands = titles.map((node, c) => {
      const b = node.getBBox();
      const pad = 0.3 * fs;
      if (!b.width) return { from: -Infinity, to: Infinity, top: rows[c] - 1.5 * fs, bottom: rows[c] };
      return { from: b.x - pad, to: b.x + b.width + pad, top: b.y - 0.1 * fs, bottom: b.y + b.height + 0.1 * fs };
    });
    marks = { width, height, lineTop: top - PLOT.lineAbove * fs, axisY, bands, x, r, bars, dotNodes, line, lineLabel,
              flipAt: left + plotW - PLOT.labelFlip * fs, bin: null, cut: null, tieFrom: null, changed: [] };
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
    let d = `M${t},${m.lineTop}`;
    for (const b of m.bands) if (t >= b.from && t <= b.to) d += `V${b.top}M${t},${b.bottom}`;
    writeAttr(m.line, "d", `${d}V${m.axisY}`);
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

