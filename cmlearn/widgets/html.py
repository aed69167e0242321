"""HTML views of counts, rates and histories for the labs, with stable DOM markers.

Only formatting lives here: every number comes in already computed. Each
number a browser test (or a learner) may want to read has a marker:

* counts: ``<td class="cmlearn-count" data-count="tp" style="...">5</td>`` (``tn fp fn tp``);
  the cell's text is the number alone
* rates: ``<td class="cmlearn-rate" data-rate="fnr" style="...">0.000</td>``
* errors: ``<div class="cmlearn-error">``

ipywidgets' ``HTML`` view sets ``innerHTML`` without a sanitizer, so these
``class`` and ``data-*`` attributes reach the page unchanged.

>>> from cmlearn.counts import Counts
>>> html = counts_table(Counts(tp=5.0, fp=1.0, tn=4.0, fn=0.0, thresholds=0.5))
>>> import re
>>> re.search(r'class="cmlearn-count" data-count="tp"[^>]*>([^<]*)<', html).group(1)
'5'
>>> "keras.metrics.TruePositives" in html
True
"""

from __future__ import annotations

import html as _html
import math

from cmlearn.counts import CELL_NAMES, KERAS_METRIC_NAMES
from cmlearn.ratios import RATES, format_count

__all__ = [
    "counts_table",
    "rates_table",
    "error_box",
    "history_table",
    "batch_summary",
    "batch_rate_text",
    "rate_text",
]

# JupyterLab's theme variables (light fallbacks elsewhere), as in the explorer's explorer.css: text keeps its
# contrast in light and dark themes.
_INK = "color:var(--jp-ui-font-color1,rgba(0,0,0,.87))"
_TABLE = f'style="border-collapse:collapse;margin:2px 0;font-size:var(--jp-ui-font-size1,13px);{_INK}"'
_CELL = f'style="border:1px solid var(--jp-border-color1,#999);padding:3px 8px;text-align:center;{_INK}"'
_HEAD = (
    f'style="border:1px solid var(--jp-border-color1,#999);padding:3px 8px;'
    f'background:var(--jp-layout-color2,#eeeeee);text-align:left;{_INK}"'
)


def _threshold_text(threshold):
    return f"{float(threshold):.10g}"


def counts_table(counts, caption=None):
    """The 2×2 count matrix (rows actual, columns predicted, negative first) with its Keras classes."""
    t = _threshold_text(counts.thresholds)
    caption = caption or f"Counts at threshold {t}: a sample is predicted positive when y_pred &gt; {t}"
    rows = [
        f'<table class="cmlearn-counts" data-threshold="{t}" {_TABLE}>',
        f'<caption style="caption-side:top;text-align:left">{caption}</caption>',
        f"<tr><th {_HEAD}></th>"
        + "".join(f"<th {_HEAD}>{label}</th>" for label in counts.column_labels)
        + f"<th {_HEAD}>row total</th></tr>",
    ]
    for r, label in enumerate(counts.row_labels):
        cells = []
        for key in CELL_NAMES[r]:
            value = format_count(getattr(counts, key))
            cells.append(
                f'<td class="cmlearn-count" data-count="{key}" {_CELL}>{value}</td>'
                f'<td {_CELL}><small>{key.upper()} · keras.metrics.{KERAS_METRIC_NAMES[key]}</small></td>'
            )
        total = counts.actual_negatives if r == 0 else counts.actual_positives
        rows.append(f"<tr><th {_HEAD}>{label}</th>{''.join(cells)}<td {_CELL}>{format_count(total)}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def rates_table(rates_obj, keys=tuple(RATES)):
    """Each rate as the division written out with the live counts, and its value."""
    rows = [f'<table class="cmlearn-rates" {_TABLE}>', f"<tr><th {_HEAD}>rate</th><th {_HEAD}>formula with today's counts</th><th {_HEAD}>value</th></tr>"]
    for key in keys:
        value = getattr(rates_obj, key)
        shown = "undefined" if isinstance(value, float) and math.isnan(value) else f"{value:.3f}"
        formula = _html.escape(rates_obj.formula(key))
        rows.append(
            f'<tr data-rate="{key}"><th {_HEAD}>{RATES[key].name}</th><td {_CELL}><code>{formula}</code></td>'
            f'<td class="cmlearn-rate" data-rate="{key}" {_CELL}>{shown}</td></tr>'
        )
    rows.append("</table>")
    return "".join(rows)


def error_box(message):
    """The error area: empty when there is no error."""
    if message is None:
        return '<div class="cmlearn-error"></div>'
    return (
        '<div class="cmlearn-error" style="border:2px solid #D55E00;padding:4px;white-space:pre-wrap">'
        f"<b>Not updated, the last good view is kept:</b> {_html.escape(message)}</div>"
    )


def history_table(rows, columns, caption):
    """Rows of already computed numbers (dicts), newest last, as a table."""
    head = "".join(f"<th {_HEAD}>{_html.escape(title)}</th>" for _, title in columns)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(f'<td data-col="{key}" {_CELL}>{_html.escape(str(row[key]))}</td>' for key, _ in columns)
        body.append(f'<tr data-row="{i}">{cells}</tr>')
    return f'<table class="cmlearn-history" {_TABLE}><caption style="caption-side:top;text-align:left">{caption}</caption><tr>{head}</tr>{"".join(body)}</table>'


def rate_text(value, digits=3):
    """A rate for a table cell: 'undefined' for NaN."""
    return "undefined" if math.isnan(value) else f"{value:.{digits}f}"


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
