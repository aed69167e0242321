// ---- explorer.panels.js: the controls, the tables and the messages (after explorer.base.js) ----

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

