// ---- explorer.render.js: the last part, which wires the rooms and exports the module ------------

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
  // The ROC curve stands under the counts, beside the score plot: on a laptop's notebook all three fit one screen.
  counts.element.append(roc.element);
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
