"""Build lesson 02 as a Jupyter Book 2 / mystmd page, the explorer as mystmd's ``{anywidget}``, to weigh it beside ours.

Not part of ``make test`` or CI: it answers issue 20's "prefer the ecosystem's part" question. The notebook is
executed and prepared exactly as ``make site`` does it (:mod:`cmlearn.tools.site`: the banner, no install
cell, links between pages, the other labs as saved HTML), so the prose, code and outputs are the page's own.
The explorer's output is replaced by a markdown cell holding the directive::

    :::{anywidget} assets/explorer.js
    :css: assets/site.css
    {"threshold": 0.5, ...}
    :::

whose argument is the explorer's own ES module (its saved ``_esm``, the file our site serves), whose ``:css:``
is our site's stylesheet (mystmd's renderer mounts the widget in a shadow root, where only that sheet reaches)
and whose body is the explorer's saved model state (the JSON our loader reads). The same stylesheet is the
book theme's ``style`` option, for the labs' saved HTML. ``myst build --html`` then writes the static site
into ``PROJECT/_build/html``.

``myst build --html`` needs a site template (the book theme), which mystmd downloads on the first build from
its template service; ``--template DIR`` gives a theme folder already on disk (one with ``template.yml``).

Run (mystmd from PyPI wraps the Node CLI; it needs Node.js 20 or later)::

    python -m venv VENV && VENV/bin/pip install mystmd==1.11.0
    .venv/bin/python tests/benchmarks/build_mystmd_page.py --project SCRATCH --myst VENV/bin/myst
    .venv/bin/python tests/benchmarks/bench_site.py --site SCRATCH/_build/html --path 02-threshold-lab/ \\
        --shadow-host .myst-anywidget --runs 3
"""

from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import subprocess
import sys

import nbformat

from cmlearn.tools import repository_root
from cmlearn.tools.nav import repository_url
from cmlearn.tools.site import _execute, page_names, prepare, write_assets
from cmlearn.tools.site_static import LIVE, WidgetPages

PAGE = "02_threshold_lab"


def directive(module, state):
    """The ``{anywidget}`` markdown for one live widget: its module, our stylesheet, its saved state as JSON.

    The JSON is indented: mystmd 1.11.0 did not get through a notebook whose directive body is the state on one
    line (182 kB; still processing after 90 s), and takes the indented one in seconds.
    """
    body = json.dumps(state, indent=1, ensure_ascii=False)
    return f":::{{anywidget}} assets/{module}\n:css: assets/site.css\n{body}\n:::\n"


def write_project(project, page=PAGE, timeout=900):
    """Execute ``notebooks/<page>.ipynb`` and write it as a mystmd project into ``project`` (replaced)."""
    root = repository_root()
    text, seconds = _execute(root / "notebooks" / f"{page}.ipynb", timeout)
    nb = prepare(nbformat.reads(text, as_version=4), page, page_names(root), repository_url(root), root=root)
    widgets = WidgetPages()
    live = widgets.rewrite(nb, page)
    nb.metadata.pop("widgets", None)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        for output in list(cell.get("outputs", [])):
            shown = output.get("data", {}).get("text/html", "")
            model_id = next((m for m in live if f'{LIVE}="{m}"' in shown), None)
            if model_id:
                cell.outputs.remove(output)
                cells.append(nbformat.v4.new_markdown_cell(directive(live[model_id]["module"],
                                                                     live[model_id]["state"])))
    if not any(":::{anywidget}" in c.source for c in cells if c.cell_type == "markdown"):
        raise RuntimeError(f"{page}.ipynb showed no live explorer: nothing to put in an {{anywidget}} directive")
    nb.cells = cells
    project = pathlib.Path(project)
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    write_assets(project, widgets)
    nbformat.write(nb, project / f"{page}.ipynb")
    return seconds


def myst_yml(page=PAGE, template=None):
    """The project's ``myst.yml``: one page, the book theme (or the theme folder ``template``), our stylesheet."""
    return (
        "version: 1\n"
        "project:\n"
        f"  title: cmlearn {page}\n"
        "  toc:\n"
        f"    - file: {page}.ipynb\n"
        "site:\n"
        f"  template: {template or 'book-theme'}\n"
        "  options:\n"
        "    style: assets/site.css\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", required=True, help="scratch folder for the mystmd project (replaced)")
    parser.add_argument("--myst", default="myst", help="the myst command (default: myst on PATH)")
    parser.add_argument("--template", help="a site theme folder on disk (with template.yml) instead of book-theme")
    args = parser.parse_args(argv)
    seconds = write_project(args.project)
    project = pathlib.Path(args.project)
    template = str(pathlib.Path(args.template).resolve()) if args.template else None
    (project / "myst.yml").write_text(myst_yml(template=template), encoding="utf-8")
    print(f"wrote {project}/ (notebook executed in {seconds:.0f} s); running {args.myst} build --html", flush=True)
    done = subprocess.run([args.myst, "build", "--html"], cwd=project, capture_output=True, text=True)
    print(done.stdout[-4000:], done.stderr[-4000:], sep="\n")
    html = project / "_build" / "html"
    if done.returncode or not (html / "index.html").is_file():
        print(f"myst build --html failed (exit {done.returncode}); no static site in {html}", file=sys.stderr)
        return done.returncode or 1
    print(f"static site: {html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
