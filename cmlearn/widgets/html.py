"""HTML views of counts, rates and histories, with stable DOM markers.

Only formatting lives here: every number comes in already computed. The
counts table is one component: :func:`counts_table` writes its markup for
the labs (with the numbers) and for the ThresholdExplorer (empty, filled in
by ``explorer.js`` from the numbers Python sent), and :data:`THEME_CSS`
(``theme.css``) styles it for both. Each number a browser test (or a
learner) may want to read has a marker:

* counts: ``<span class="cx-count" data-count="tp">5</span>`` (``tn fp fn tp``),
  the text being the number alone; totals: ``<td class="cx-total" data-total="actual0">``
  (``actual0 actual1 pred0 pred1 all``)
* rates: ``<td class="cmlearn-rate" data-rate="fnr">0.000</td>``
* errors: ``<div class="cmlearn-error">``

ipywidgets' ``HTML`` view sets ``innerHTML`` without a sanitizer, so these
``class`` and ``data-*`` attributes (and the labs' ``<style>``) reach the page unchanged.

>>> from cmlearn.counts import Counts
>>> html = counts_table(Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5))
>>> import re
>>> re.search(r'data-count="tp">([^<]*)<', html).group(1)
'5'
>>> 'TP · <span class="cx-module">keras.metrics.</span>TruePositives' in html
True
"""

from __future__ import annotations

import html as _html
import math
import pathlib

from cmlearn.counts import CELL_NAMES, KERAS_METRIC_NAMES, Counts
from cmlearn.ratios import RATES, format_count, format_rate

__all__ = [
    "counts_table",
    "THEME_CSS",
    "theme_stylesheet",
    "rates_table",
    "error_box",
    "note",
    "history_table",
    "batch_summary",
    "batch_rate_text",
    "rate_text",
]

#: The stylesheet every cmlearn widget shares (theme colours, presenter scale, tables): ``theme.css``.
THEME_CSS = (pathlib.Path(__file__).resolve().parent / "theme.css").read_text(encoding="utf-8")
#: Each count's short name, as in the table and the explorer.
_SHORT = {"tp": "TP", "fp": "FP", "tn": "TN", "fn": "FN"}


def _threshold_text(threshold):
    return f"{float(threshold):.10g}"


def theme_stylesheet():
    """:data:`THEME_CSS` as a ``<style>`` element, for widgets whose HTML is built in Python (the labs)."""
    return f"<style>{THEME_CSS}</style>"


def counts_table(counts=None, caption=None):
    """The counts table: rows actual, columns predicted (negative first), each count naming its Keras class.

    Row totals sit under "row total (actual)", column totals in the row
    "column total (predicted)". With ``counts=None`` the number cells are
    empty: the ThresholdExplorer's page fills them from Python's numbers.
    ``caption`` is text (escaped here).

    >>> table = counts_table()
    >>> table.count('<th scope="col">'), table.count("data-count="), table.count("data-total=")
    (3, 4, 5)
    """
    numbers = {}
    if counts is not None:
        numbers = {k: format_count(getattr(counts, k)) for k in _SHORT}
        numbers.update(
            actual0=format_count(counts.actual_negatives), actual1=format_count(counts.actual_positives),
            pred0=format_count(counts.predicted_negatives), pred1=format_count(counts.predicted_positives),
            all=format_count(counts.total),
        )
    if caption is None:
        if counts is None:
            caption = "Counts from keras.metrics (sums of sample weights)"
        else:
            t = _threshold_text(counts.thresholds)
            caption = f"Counts from keras.metrics at threshold {t} (sums of sample weights): positive when y_pred > {t}"

    def total(key):
        return f'<td class="cx-total" data-total="{key}">{numbers.get(key, "")}</td>'

    threshold = "" if counts is None else f' data-threshold="{_threshold_text(counts.thresholds)}"'
    rows = [
        f'<table class="cmlearn-counts cx-table"{threshold}><caption>{_html.escape(caption)}</caption>',
        "<thead><tr><td></td>"
        + "".join(f'<th scope="col">{label}</th>' for label in Counts.column_labels)
        + '<th scope="col">row total (actual)</th></tr></thead><tbody>',
    ]
    for r, label in enumerate(Counts.row_labels):
        cells = "".join(
            f'<td class="cx-cell cx-{key}"><span class="cx-count" data-count="{key}">{numbers.get(key, "")}</span>'
            f'<span class="cx-name">{_SHORT[key]} · <span class="cx-module">keras.metrics.</span>'
            f"{KERAS_METRIC_NAMES[key]}</span></td>"
            for key in CELL_NAMES[r]
        )
        rows.append(f'<tr><th scope="row">{label}</th>{cells}{total(f"actual{r}")}</tr>')
    rows.append(f'<tr><th scope="row">column total (predicted)</th>{total("pred0")}{total("pred1")}{total("all")}</tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def rates_table(rates_obj, keys=tuple(RATES), caption="Rates: divisions you write with the counts"):
    """Each rate as the division written out with the live counts, and its value."""
    rows = [
        f'<table class="cmlearn-rates cx-table"><caption>{_html.escape(caption)}</caption><thead><tr><th scope="col">rate</th>'
        '<th scope="col">formula with these counts</th><th scope="col">value</th></tr></thead><tbody>'
    ]
    for key in keys:
        shown = rates_obj.text(key)
        formula = _html.escape(rates_obj.formula(key))
        rows.append(
            f'<tr data-rate="{key}"><th scope="row">{RATES[key].name}</th><td><code>{formula}</code></td>'
            f'<td class="cmlearn-rate" data-rate="{key}">{shown}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def note(text):
    """A line of text in place of a view that has nothing to show yet."""
    return f'<p class="cmlearn-note"><i>{_html.escape(text)}</i></p>'


def error_box(message):
    """The error area: empty when there is no error."""
    if message is None:
        return '<div class="cmlearn-error"></div>'
    return (
        '<div class="cmlearn-error" style="border:2px solid #D55E00;padding:4px;white-space:pre-wrap">'
        f"<b>Not updated, the last good view is kept:</b> {_html.escape(message)}</div>"
    )


def history_table(rows, columns, caption):
    """Rows of already computed numbers (dicts), newest last, as a table (scrolling sideways when wide)."""
    head = "".join(f'<th scope="col">{_html.escape(title)}</th>' for _, title in columns)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(f'<td data-col="{key}">{_html.escape(str(row[key]))}</td>' for key, _ in columns)
        body.append(f'<tr data-row="{i}">{cells}</tr>')
    return (
        f'<div class="cx-scroll"><table class="cmlearn-history cx-table"><caption>{caption}</caption>'
        f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def rate_text(value, digits=3):
    """A rate for a table cell, by :func:`cmlearn.ratios.format_rate`: 'undefined' for NaN.

    >>> rate_text(4 / 64), rate_text(2 / 3), rate_text(float("nan"))
    ('0.0625', '0.667', 'undefined')
    """
    return format_rate(value, digits)


def _zero_division_rule(zero_division):
    """How a 0/0 batch enters the mean of per-batch rates, in words."""
    return "left out" if math.isnan(zero_division) else f"counted as {format_count(zero_division)}"


def batch_rate_text(value, undefined, zero_division):
    """A per-batch rate: 'undefined (0/0)' when its batch had nothing to divide by, with what the mean uses instead.

    >>> batch_rate_text(0.0, True, 0.0), batch_rate_text(0.5, False, 0.0)
    ('undefined (0/0), counted as 0 in the mean', '0.500')
    """
    if not undefined:
        return rate_text(value)
    return f"undefined (0/0), {_zero_division_rule(zero_division)} in the mean"


def batch_summary(log, n_batches, batch_size, threshold):
    """Recall and precision from the running counts beside the mean of per-batch values (a BatchLog's numbers)."""
    rule = (
        f"the rule of Keras 1's batch-wise precision and recall, removed in Keras 2.0: each batch's own rate, "
        f"a 0/0 batch {_zero_division_rule(log.zero_division)}, then the mean over batches, each batch counting once"
    )
    return (
        f'<div class="cmlearn-batch-summary" data-batches="{len(log)}">'
        f"<b>After {len(log)} of {n_batches} batches</b> (batch_size={batch_size}, threshold {threshold:g}):<br>"
        f'recall from the running counts: <span data-rate="pooled-recall">{rate_text(log.pooled("recall"))}</span>; '
        f'mean of per-batch recalls: <span data-rate="averaged-recall">{rate_text(log.averaged("recall"))}</span><br>'
        f'precision from the running counts: <span data-rate="pooled-precision">{rate_text(log.pooled("precision"))}</span>; '
        f'mean of per-batch precisions: <span data-rate="averaged-precision">{rate_text(log.averaged("precision"))}</span><br>'
        f'<small class="cmlearn-averaging-rule">The running counts are what Keras reports. The means follow {rule}.</small></div>'
    )
