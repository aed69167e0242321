"""Build the lesson path as a static web site: ``python -m cmlearn.tools.site`` (``make site``).

Every lesson (``notebooks/NN_*.ipynb``) and the presenter page is executed
with nbclient, its widget state saved, and exported by nbconvert's HTML
exporter into ``_site/``. A page needs no kernel and no network: the
threshold explorer keeps its whole sweep (computed by Keras at build time) in
the saved widget state, and draws from it in the browser, so its slider moves
on the published page. Controls that need the kernel (a typed threshold
between steps, the other labs) say so or show the state they were built with.

A page loads no widget manager and no script from elsewhere. The explorer
(an anywidget) runs its own ES module, the one the notebook ran, saved once
into ``_site/assets/`` from its widget state, through a loader of a few dozen
lines (``site_template/widgets.js``: anywidget's front-end model over the
saved state). The other labs are written out at build time as the HTML they
showed (:mod:`cmlearn.tools.site_static`), their controls greyed. One
stylesheet, ``assets/site.css``, serves every page: the template's
``site.css`` (prose, code, outputs, light and dark) and the widgets' own
styles. The build then checks each page: every script, style sheet and image
must come from the site, and every local link must land on a page.

Links between notebooks become links between pages (``02_threshold_lab.ipynb``
→ ``02_threshold_lab.html``); a link to a notebook that is not a page (an
exercise) opens it in Colab, where it runs; a link to another file or folder
goes to the repository on GitHub. The badge cell becomes a note
that says what works on the page, with plain links to Binder and Colab (the
badge images would be fetched from their sites); the install cell, which only
matters on Colab, is left out.

>>> rewrite_links("Next: [03](03_counts_to_rates.ipynb#top) and [ex](exercises/)", ["03_counts_to_rates"], REPO_EXAMPLE)
'Next: [03](03_counts_to_rates.html#top) and [ex](https://github.com/cmlearn/cmlearn/tree/main/notebooks/exercises/)'
>>> rewrite_links("[Exercise 02](exercises/02_threshold_lab.ipynb)", [], REPO_EXAMPLE)
'[Exercise 02](https://colab.research.google.com/github/cmlearn/cmlearn/blob/main/notebooks/exercises/02_threshold_lab.ipynb)'
>>> rewrite_links("[docs](https://keras.io/) [here](#the-explorer)", [], REPO_EXAMPLE)
'[docs](https://keras.io/) [here](#the-explorer)'
"""

from __future__ import annotations

import argparse
import concurrent.futures
import html.parser
import os
import pathlib
import re
import shutil
import sys
import time
from urllib.parse import urlsplit

from cmlearn.tools import kernels, repository_root
from cmlearn.tools.nav import MARK, binder_url, colab_url, repository_url
from cmlearn.tools.site_static import WidgetPages, state_script

__all__ = [
    "ASSETS",
    "build",
    "check_site",
    "main",
    "page_names",
    "prepare",
    "rewrite_links",
]

#: Where the copied scripts live inside the site (no leading underscore: GitHub Pages' Jekyll would hide it).
ASSETS = "assets"
#: The one stylesheet of every page, and the loader of the live widgets (both in ``ASSETS``).
STYLESHEET, LOADER = "site.css", "widgets.js"
#: The app-like page: shown without its code, as Voila shows it.
PRESENTER = "presenter"
#: An address used by the doctests only.
REPO_EXAMPLE = "https://github.com/cmlearn/cmlearn"
_TEMPLATE_DIR = pathlib.Path(__file__).resolve().parent
_TEMPLATE = "site_template"
#: The look the labs share with the explorer (their own copy is a hidden <style> the static page leaves out).
_THEME_CSS = _TEMPLATE_DIR.parent / "widgets" / "theme.css"
_LINK = re.compile(r"(\]\()([^)\s]+)(\))|(href=\")([^\"]+)(\")")
_MATH = re.compile(r"(?<![\\$])\$[^$\n]+\$|\$\$|\\\(|\\\[|```mermaid")


def page_names(root):
    """The pages of the path, in order: the lessons ``NN_*``, then the presenter page.

    >>> page_names(repository_root())[:2]
    ['00_start_here', '01_counts_not_fractions']
    """
    notebooks = pathlib.Path(root) / "notebooks"
    lessons = sorted(p.stem for p in notebooks.glob("[0-9][0-9]_*.ipynb"))
    return lessons + ([PRESENTER] if (notebooks / f"{PRESENTER}.ipynb").is_file() else [])


def rewrite_links(markdown, pages, repo_url, branch="main", root=None):
    """Links of a lesson's markdown, for the site: notebooks that are pages → ``.html``; other files → GitHub."""
    root = pathlib.Path(root or repository_root())

    def target(url):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "/", "mailto:")):
            return url
        path, fragment = parts.path, f"#{parts.fragment}" if parts.fragment else ""
        if path.endswith(".ipynb") and "/" not in path and path[: -len(".ipynb")] in pages:
            return path[: -len(".ipynb")] + ".html" + fragment
        in_repo = os.path.normpath(f"notebooks/{path}").replace(os.sep, "/")
        if path.endswith(".ipynb"):  # a notebook that is not a page (an exercise): open it where it runs
            return colab_url(repo_url, in_repo, branch)
        kind = "tree" if path.endswith("/") or (root / in_repo).is_dir() else "blob"
        return f"{repo_url}/{kind}/{branch}/{in_repo}{'/' if path.endswith('/') else ''}{fragment}"

    def swap(match):
        if match.group(1):
            return match.group(1) + target(match.group(2)) + match.group(3)
        return match.group(4) + target(match.group(5)) + match.group(6)

    return _LINK.sub(swap, markdown)


def _banner(name, repo_url):
    path = f"notebooks/{name}.ipynb"
    return (
        f"*A page built from the notebook, run once with Keras. The threshold explorer's slider works here with no "
        f"kernel; other controls show the values the notebook ran with. To run or change the code, open the notebook "
        f"in [Binder]({binder_url(repo_url, path)}) or [Colab]({colab_url(repo_url, path)}).*"
    )


def prepare(nb, name, pages, repo_url, root=None):
    """The executed notebook as the page shows it: banner for badges, no install cell, links between pages."""
    cells = []
    for cell in nb.cells:
        kind = cell.metadata.get(MARK)
        if kind == "install":
            continue
        if kind == "badges":
            cell.source = _banner(name, repo_url)
        if cell.cell_type == "markdown":
            if _MATH.search(cell.source):
                raise ValueError(
                    f"{name}.ipynb has LaTeX or Mermaid in a markdown cell: {cell.source[:80]!r}. The site loads no "
                    f"MathJax or Mermaid (it would come from a CDN). Fix: write it as text, or copy the loader into "
                    f"the site in cmlearn/tools/site.py."
                )
            cell.source = rewrite_links(cell.source, pages, repo_url, root=root)
        cells.append(cell)
    nb.cells = cells
    _renumber(cells)
    nb.metadata["title"] = next(
        (line.lstrip("#").strip() for c in cells if c.cell_type == "markdown" for line in c.source.splitlines()
         if line.startswith("#")),
        name,
    )
    return nb


def _renumber(cells):
    """Prompts from ``[1]`` again once the install cell is gone, as if the page's cells had run alone."""
    count = 0
    for cell in cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count


# -- executing ------------------------------------------------------------------


def _execute(path, timeout):
    """Run ``path`` in a kernel on this interpreter, in its folder; return ``(notebook as JSON text, seconds)``."""
    import nbformat

    path = pathlib.Path(path)
    nb, seconds = kernels.execute(path, cwd=path.parent, env=kernels.base_env(), timeout=timeout,
                                  name="cmlearn-site", display_name="cmlearn", store_widget_state=True)
    return nbformat.writes(nb), seconds


# -- the files every page shares ---------------------------------------------------------


def write_assets(out, widgets):
    """Write the pages' shared files into ``out/assets``: the stylesheet, the loader, each live widget's module.

    ``widgets`` is the :class:`~cmlearn.tools.site_static.WidgetPages` that collected them while the pages
    were exported.
    """
    assets = pathlib.Path(out) / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    parts = [(_TEMPLATE_DIR / _TEMPLATE / STYLESHEET).read_text(encoding="utf-8")]
    theme = _THEME_CSS.read_text(encoding="utf-8")
    styles = widgets.styles if any(theme in css for css in widgets.styles) else [theme, *widgets.styles]
    parts += [f"/* -- a widget's own styles -- */\n{css}" for css in styles]
    (assets / STYLESHEET).write_text("\n".join(parts), encoding="utf-8")
    shutil.copyfile(_TEMPLATE_DIR / _TEMPLATE / LOADER, assets / LOADER)
    for name, module in widgets.modules.items():
        (assets / name).write_text(module, encoding="utf-8")


# -- exporting ------------------------------------------------------------------------


def _exporter(presenter):
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=_TEMPLATE,
        extra_template_basedirs=[str(_TEMPLATE_DIR)],
        theme="light",
        exclude_input=presenter,
        exclude_input_prompt=presenter,
        exclude_output_prompt=presenter,
    )


def export(nb, name, widgets=None):
    """The page's HTML (a string) for an executed, prepared notebook.

    Its widgets are decided here (:meth:`~cmlearn.tools.site_static.WidgetPages.rewrite`): the explorer left
    for the loader, the other labs written out as HTML; ``widgets`` collects the files the pages share.
    """
    widgets = widgets if widgets is not None else WidgetPages()
    live = widgets.rewrite(nb, name)
    nb.metadata.pop("widgets", None)  # no widget manager reads it: the page holds what it shows
    exporter = _exporter(presenter=name == PRESENTER)
    site = {"assets": ASSETS, "live": bool(live), "modules": sorted({w["module"] for w in live.values()}),
            "state_script": state_script(live), "presenter": name == PRESENTER}
    resources = {"metadata": {"name": nb.metadata.get("title", name)}, "site": site}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _index_page(first):
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={first}.html"><title>cmlearn</title></head>'
        f'<body><p><a href="{first}.html">Start here</a></p></body></html>\n'
    )


# -- checking ---------------------------------------------------------------------------


class _Refs(html.parser.HTMLParser):
    """Every address a page loads (scripts, style sheets, images, frames) and every link it offers."""

    def __init__(self):
        super().__init__()
        self.loads, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and attrs.get("src"):
            self.loads.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.loads.append(attrs["href"])
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def check_site(out, pages):
    """Problems of the built site (empty when fine): anything loaded from off the site, and links to nowhere.

    A link to a page of ``pages`` that this build left out (``--only``) counts as fine.
    """
    out = pathlib.Path(out)
    problems = []
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        refs = _Refs()
        refs.feed(text)
        for address in refs.loads:
            parts = urlsplit(address)
            if parts.scheme == "data":
                continue
            if parts.scheme or parts.netloc or not (out / parts.path).is_file():
                problems.append(f"{page.name} loads {address[:100]}, which is not a file of the site")
        for url in re.findall(r"url\(\s*['\"]?(https?:)?//", text):
            problems.append(f"{page.name} has a CSS url() off the site ({url or '//'}...)")
        for address in refs.links:
            parts = urlsplit(address)
            if parts.scheme or parts.netloc or address.startswith("#"):
                continue
            if not (out / parts.path).exists() and pathlib.PurePath(parts.path).stem not in pages:
                problems.append(f"{page.name} links to {address}, which is not in the site")
    return problems


# -- the build --------------------------------------------------------------------------


def build(out="_site", only=None, jobs=1, timeout=900, root=None, log=print):
    """Execute, export and check the pages into ``out``; return ``{page name: seconds to execute}``."""
    import nbformat

    root = pathlib.Path(root or repository_root())
    out = pathlib.Path(out)
    pages = page_names(root)
    chosen = pages if not only else [p.removesuffix(".ipynb") for p in only]
    unknown = sorted(set(chosen) - set(pages))
    if unknown:
        raise ValueError(f"no such page: {unknown}. Fix: name pages of notebooks/, e.g. --only {pages[0]}.")
    repo_url = repository_url(root)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    widgets = WidgetPages()
    seconds = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(_execute, root / "notebooks" / f"{name}.ipynb", timeout): name for name in chosen}
        for future in concurrent.futures.as_completed(futures):
            name = futures[future]
            text, seconds[name] = future.result()
            nb = nbformat.reads(text, as_version=4)
            page = export(prepare(nb, name, pages, repo_url, root=root), name, widgets)
            (out / f"{name}.html").write_text(page, encoding="utf-8")
            log(f"{name}.html  (executed in {seconds[name]:.0f} s)")
    write_assets(out, widgets)
    (out / "index.html").write_text(_index_page(pages[0] if not only else chosen[0]), encoding="utf-8")
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve the files as they are
    problems = check_site(out, pages)
    if problems:
        raise RuntimeError(
            "the site is not self-contained:\n" + "\n".join(problems) + "\nFix: make each page load only files "
            f"that write_assets puts in {out}, and link only to pages of notebooks/."
        )
    return seconds


def _size(folder):
    return sum(p.stat().st_size for p in pathlib.Path(folder).rglob("*") if p.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cmlearn.tools.site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="_site", help="folder to write (replaced), default _site")
    parser.add_argument("--only", nargs="+", metavar="PAGE", help="build only these pages, e.g. 02_threshold_lab")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default 2)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    build(args.out, only=args.only, jobs=args.jobs)
    print(f"built {args.out}/ in {time.perf_counter() - start:.0f} s: {_size(args.out) / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
