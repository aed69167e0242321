// The published pages' widget loader: runs each live widget's own anywidget ES module with no kernel
// and no widget manager. The build (cmlearn/tools/site_static.py) leaves an element
// <div data-cmlearn-model="ID"> where the widget was shown, the saved state of each such widget in
// <script id="cmlearn-widget-state"> ({ID: {module, state}}), and the module (the widget's saved
// _esm, the very file the notebook ran) once in this folder. Its styles are in the site's stylesheet.
//
// The model is anywidget's front-end model (get, set, on, off, save_changes, send) over the saved
// state: set() changes the value and calls the "change:NAME" and "change" listeners at once, as a
// widget model does; save_changes() and send() reach no kernel, as none runs here.

function createModel(saved) {
  const values = { ...saved };
  const listeners = new Map(); // event name -> Set of callbacks
  const emit = (name, ...args) => {
    for (const callback of [...(listeners.get(name) ?? [])]) callback(...args);
  };
  const model = {
    get: (name) => values[name],
    set(name, value) {
      if (Object.is(values[name], value)) return;
      values[name] = value;
      emit(`change:${name}`, model, value);
      emit("change", model);
    },
    on(names, callback) {
      for (const name of names.split(/\s+/)) {
        if (!listeners.has(name)) listeners.set(name, new Set());
        listeners.get(name).add(callback);
      }
    },
    off(names, callback) {
      if (!names) return listeners.clear();
      for (const name of names.split(/\s+/)) {
        if (callback) listeners.get(name)?.delete(callback);
        else listeners.delete(name);
      }
    },
    save_changes() {}, // no kernel to save to
    send() {}, // no kernel to hear it
  };
  return model;
}

const experimental = {
  invoke: () => Promise.reject(new Error("this page has no kernel: a command needs the notebook running")),
};

async function mount(el, { module, state }) {
  const loaded = await import(new URL(module, import.meta.url));
  let widget = loaded.default ?? loaded;
  if (typeof widget === "function") widget = await widget(); // anywidget's default export may be a factory
  const model = createModel(state);
  await widget.initialize?.({ model, experimental });
  await widget.render({ model, el, experimental });
}

const saved = JSON.parse(document.getElementById("cmlearn-widget-state")?.textContent ?? "{}");
for (const el of document.querySelectorAll("[data-cmlearn-model]")) {
  const widget = saved[el.dataset.cmlearnModel];
  if (widget) {
    mount(el, widget).catch((error) => {
      el.textContent = `This widget could not start on this page: ${error}`;
      throw error;
    });
  }
}
