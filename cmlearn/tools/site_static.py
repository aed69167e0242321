"""The widgets of a published page, decided at build time: the explorer live, every other lab as saved HTML.

A page loads no widget manager. An anywidget (the threshold explorer) becomes
an empty ``<div data-cmlearn-model=…>`` that the site's loader
(``site_template/widgets.js``) fills in by running the widget's own ES module
(its saved ``_esm``, written once into the site's assets) over the saved
state. Every other widget (the labs are core ipywidgets) is written out here
as the HTML it showed when the notebook ran: boxes as boxes, HTML widgets'
``value`` as it is (it holds ``cmlearn.widgets.html``'s markup), controls
as disabled HTML controls at their saved values, output widgets' outputs.

>>> state = {"b": {"model_name": "ButtonModel", "state": {"description": "next batch"}},
...          "h": {"model_name": "HTMLModel", "state": {"value": "<b>3</b>"}},
...          "v": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_h", "IPY_MODEL_b"],
...                                                     "_dom_classes": ["cmlearn-lab"]}}}
>>> print(static_html("v", state).replace("><", ">\\n<"))
<div class="widget-box widget-vbox cmlearn-lab">
<div class="widget-html">
<div class="widget-html-content">
<b>3</b>
</div>
</div>
<button class="widget-button" type="button" disabled>next batch</button>
</div>
"""

from __future__ import annotations

import base64
import html
import json
import re

__all__ = ["LIVE", "WidgetPages", "is_live", "static_html"]

#: The attribute the loader looks for: the model id of a live widget.
LIVE = "data-cmlearn-model"
_REF = "IPY_MODEL_"
_BOXES = {"VBoxModel": "widget-vbox", "HBoxModel": "widget-hbox", "BoxModel": "widget-box",
          "GridBoxModel": "widget-gridbox"}
_SLIDERS = ("FloatSliderModel", "IntSliderModel", "FloatLogSliderModel")
_SELECTS = ("DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel", "SelectionSliderModel")
_TEXTS = ("TextModel", "FloatTextModel", "IntTextModel", "BoundedFloatTextModel", "BoundedIntTextModel")
_HTMLS = ("HTMLModel", "HTMLMathModel")


def is_live(model):
    """True for a widget the page runs (an anywidget with its ES module saved), False for one it shows as HTML."""
    return bool(model.get("state", {}).get("_esm"))


def _attrs(**values):
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{html.escape(str(v))}"' for k, v in values.items()
                   if v is not None)


def _label(state):
    text = state.get("description") or ""
    return f'<label class="widget-label">{html.escape(text)}</label>' if text else ""


def _readout(value, fmt):
    try:
        return format(value, fmt) if fmt else str(value)
    except (TypeError, ValueError):
        return str(value)


def _output(item):
    """One saved output of an Output widget as HTML (what JupyterLab shows first: HTML, image, then text)."""
    if item.get("output_type") == "stream":
        return f'<pre class="widget-output-text">{html.escape(item.get("text", ""))}</pre>'
    data = item.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            raw = data[mime] if isinstance(data[mime], str) else base64.b64encode(data[mime]).decode()
            return f'<img alt="" src="data:{mime};base64,{raw.strip()}">'
    if "text/plain" in data:
        text = "".join(data["text/plain"]) if isinstance(data["text/plain"], list) else data["text/plain"]
        return f'<pre class="widget-output-text">{html.escape(text)}</pre>'
    if item.get("output_type") == "error":
        error = f'{item.get("ename", "")}: {item.get("evalue", "")}'
        return f'<pre class="widget-output-text">{html.escape(error)}</pre>'
    return ""


def static_html(model_id, state, page="the page"):
    """The HTML that the saved widget ``model_id`` showed, with its children, from ``state`` (id → saved model).

    A widget of a kind this function does not know stops the build, naming it, rather than vanish from the page.
    """
    model = state[model_id]
    name, s = model.get("model_name", ""), model.get("state", {})
    layout = state.get(str(s.get("layout", "")).removeprefix(_REF), {}).get("state", {})
    if layout.get("display") == "none":
        return ""  # hidden when it ran (the labs' copy of the shared stylesheet, which the site's stylesheet holds)
    classes = " ".join(s.get("_dom_classes", []))

    def joined(*parts):
        return " ".join(p for p in parts if p)

    if name in _BOXES:
        children = "".join(static_html(ref.removeprefix(_REF), state, page) for ref in s.get("children", []))
        return f'<div class="{joined("widget-box", _BOXES[name], classes)}">{children}</div>'
    if name in _HTMLS:
        return (f'<div class="{joined("widget-html", classes)}">{_label(s)}'
                f'<div class="widget-html-content">{s.get("value", "")}</div></div>')
    if name == "LabelModel":
        return f'<div class="{joined("widget-label", classes)}">{html.escape(str(s.get("value", "")))}</div>'
    if name == "ButtonModel":
        return (f'<button class="{joined("widget-button", classes)}" type="button" disabled>'
                f'{html.escape(s.get("description", ""))}</button>')
    if name in _SLIDERS:
        value = s.get("value", 0)
        shown = _readout(value, s.get("readout_format", "")) if s.get("readout", True) else ""
        control = (f'<input type="range" disabled{_attrs(min=s.get("min"), max=s.get("max"), step=s.get("step"))}'
                   f'{_attrs(value=value, aria_label=s.get("description") or None)}>')
        return (f'<div class="{joined("widget-slider", classes)}">{_label(s)}{control}'
                f'<output class="widget-readout">{html.escape(shown)}</output></div>')
    if name in _SELECTS:
        labels, index = s.get("_options_labels", []), s.get("index")
        options = "".join(f'<option{" selected" if i == index else ""}>{html.escape(str(t))}</option>'
                          for i, t in enumerate(labels))
        chosen = html.escape(str(labels[index])) if isinstance(index, int) and index < len(labels) else ""
        readout = f'<output class="widget-readout">{chosen}</output>' if name == "SelectionSliderModel" else ""
        return (f'<div class="{joined("widget-select", classes)}">{_label(s)}<select disabled'
                f'{_attrs(aria_label=s.get("description") or None)}>{options}</select>{readout}</div>')
    if name in ("CheckboxModel", "ToggleButtonModel"):
        checked = " checked" if s.get("value") else ""
        return (f'<label class="{joined("widget-checkbox", classes)}"><input type="checkbox" disabled{checked}> '
                f'{html.escape(s.get("description", ""))}</label>')
    if name in _TEXTS:
        return (f'<div class="{joined("widget-text", classes)}">{_label(s)}<input type="text" disabled'
                f'{_attrs(value=s.get("value", ""), aria_label=s.get("description") or None)}></div>')
    if name == "OutputModel":
        return f'<div class="{joined("widget-output", classes)}">{"".join(map(_output, s.get("outputs", [])))}</div>'
    raise ValueError(
        f"{page} shows a widget the site cannot draw without a kernel: {name} ({model.get('model_module')}, "
        f"model {model_id}). Fix: teach cmlearn/tools/site_static.py's static_html to write it as HTML, "
        f"or leave it out of the lesson."
    )


class WidgetPages:
    """What the pages' widgets need from the site: the live widgets' modules (once each) and their styles.

    :meth:`rewrite` turns one executed notebook's widget outputs into HTML; ``modules`` maps an asset's file
    name to a live widget's ES module text, ``styles`` holds the distinct ``_css``.
    """

    def __init__(self):
        self.modules, self.styles = {}, []

    def _module_name(self, state, page):
        widget = state.get("_anywidget_id") or "widget"
        name = widget.rsplit(".", 2)[-2] if widget.count(".") >= 2 else widget.rsplit(".", 1)[-1]
        name = re.sub(r"[^A-Za-z0-9_-]", "_", name) + ".js"
        if self.modules.setdefault(name, state["_esm"]) != state["_esm"]:
            raise ValueError(f"{page} runs a module {name} that differs from the one another page runs. "
                             f"Fix: build the site again from one checkout (make site).")
        return name

    def rewrite(self, nb, page):
        """Put each widget output of ``nb`` as HTML in place (``text/html``); return the live widgets' state.

        The returned ``{model id: {"module": asset file name, "state": saved state without _esm and _css}}`` is
        what the loader reads; the notebook's own widget state can then be left out of the page.
        """
        saved = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        live = {}
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
                if not view:
                    continue
                model_id = view["model_id"]
                if model_id not in saved:
                    shown = ""  # a widget closed before the notebook ended: nothing was left on screen
                elif is_live(saved[model_id]):
                    state = dict(saved[model_id]["state"])
                    module = self._module_name(state, page)
                    css = state.pop("_css", "")
                    if css and css not in self.styles:
                        self.styles.append(css)
                    state.pop("_esm")
                    live[model_id] = {"module": module, "state": state}
                    shown = f'<div class="cmlearn-live" {LIVE}="{model_id}"></div>'
                else:
                    shown = f'<div class="cmlearn-static">{static_html(model_id, saved, page)}</div>'
                output["data"] = {"text/html": shown}
        return live


def state_script(live):
    """The live widgets' saved state as a JSON ``<script>`` the loader reads (``</`` escaped)."""
    text = json.dumps(live, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" id="cmlearn-widget-state">{text}</script>'
