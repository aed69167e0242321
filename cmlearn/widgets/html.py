"""HTML views of counts, rates and histories, with stable DOM markers.

Only formatting lives here: every number comes in already computed. What
Python and the explorer's page both say has its one home here: the short
count names (:data:`SHORT_NAMES`), the class labels, the "last good view is
kept" prefix (:data:`KEPT`), the rates table's captions
(:data:`RATES_CAPTION`) and the threshold's text (:func:`threshold_text`).
The tables are components: :func:`counts_table`, :func:`rates_table` and
:func:`rates_by_class_table` write their markup for the labs (with the
numbers) and for the ThresholdExplorer (empty, filled in by ``explorer.js``
from the text Python sent), and :data:`THEME_CSS` (``theme.css``) styles
them for both. Each number a browser test (or a learner) may want to read
has a marker:

* counts: ``<span class="cx-count" data-count="tp">5</span>`` (``tn fp fn tp``),
  the text being the number alone; totals: ``<td class="cx-total" data-total="actual0">``
  (``actual0 actual1 pred0 pred1 all``)
* rates: ``<td class="cmlearn-rate" data-rate="fnr">0.000</td>``, each formula ``<code data-formula="fnr">``;
  rates per actual class: ``<span class="cx-rate-value" data-norm="fn">``
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

from cmlearn.counts import CELL_NAMES, COUNT_NAMES, KERAS_METRIC_NAMES, Counts
from cmlearn.ratios import RATES, format_count, format_rate

__all__ = [
    "counts_table",
    "THEME_CSS",
    "theme_stylesheet",
    "rates_table",
    "rates_by_class_table",
    "by_class_text",
    "rates_by_class_key",
    "error_box",
    "threshold_text",
    "SHORT_NAMES",
    "CLASS_LABELS",
    "KEPT",
    "RATES_CAPTION",
    "note",
    "history_table",
    "batch_summary",
    "batch_rate_text",
    "rate_text",
]

#: The stylesheet every cmlearn widget shares (theme colours, presenter scale, tables): ``theme.css``.
THEME_CSS = (pathlib.Path(__file__).resolve().parent / "theme.css").read_text(encoding="utf-8")
#: Each count's short name, as in the tables, the formulas and the explorer (its page receives them).
SHORT_NAMES = {key: key.upper() for key in COUNT_NAMES}
#: The actual classes, long (the counts table's rows) and short (the rates per class, the dot rows).
CLASS_LABELS = {"long": Counts.row_labels, "short": tuple(label.split(" (")[0] for label in Counts.row_labels)}
#: What an error box and the explorer's message say first: the view did not change.
KEPT = "Not updated, the last good view is kept:"
#: The rates table's caption, unweighted and weighted: weighted rates say so.
RATES_CAPTION = {
    False: "Rates: divisions you write with the counts",
    True: "Weighted rates: divisions you write with the weighted counts (sums of sample weights)",
}
#: Rates within one actual class: the cell each divides, and the rate it is.
_BY_CLASS = {"tn": "tnr", "fp": "fpr", "fn": "fnr", "tp": "tpr"}


def threshold_text(threshold):
    """A threshold as every view shows it: up to ten significant digits, no trailing zeros.

    >>> threshold_text(0.5), threshold_text(0.35000000000000003), threshold_text(1)
    ('0.5', '0.35', '1')
    """
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
        numbers = {k: format_count(getattr(counts, k)) for k in COUNT_NAMES}
        numbers.update(
            actual0=format_count(counts.actual_negatives), actual1=format_count(counts.actual_positives),
            pred0=format_count(counts.predicted_negatives), pred1=format_count(counts.predicted_positives),
            all=format_count(counts.total),
        )
    if caption is None:
        if counts is None:
            caption = "Counts from keras.metrics (sums of sample weights)"
        else:
            t = threshold_text(counts.thresholds)
            caption = f"Counts from keras.metrics at threshold {t} (sums of sample weights): positive when y_pred > {t}"

    def total(key):
        return f'<td class="cx-total" data-total="{key}">{numbers.get(key, "")}</td>'

    threshold = "" if counts is None else f' data-threshold="{threshold_text(counts.thresholds)}"'
    rows = [
        f'<table class="cmlearn-counts cx-table"{threshold}><caption>{_html.escape(caption)}</caption>',
        "<thead><tr><td></td>"
        + "".join(f'<th scope="col">{label}</th>' for label in Counts.column_labels)
        + '<th scope="col">row total (actual)</th></tr></thead><tbody>',
    ]
    for r, label in enumerate(Counts.row_labels):
        cells = "".join(
            f'<td class="cx-cell cx-{key}"><span class="cx-count" data-count="{key}">{numbers.get(key, "")}</span>'
            f'<span class="cx-name">{SHORT_NAMES[key]} · <span class="cx-module">keras.metrics.</span>'
            f"{KERAS_METRIC_NAMES[key]}</span></td>"
            for key in CELL_NAMES[r]
        )
        rows.append(f'<tr><th scope="row">{label}</th>{cells}{total(f"actual{r}")}</tr>')
    rows.append(f'<tr><th scope="row">column total (predicted)</th>{total("pred0")}{total("pred1")}{total("all")}</tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def rates_table(rates_obj=None, keys=tuple(RATES), caption=RATES_CAPTION[False]):
    """Each rate as the division written out with the live counts, and its value.

    With ``rates_obj=None`` the formula and value cells are empty: the
    ThresholdExplorer's page fills them from Python's text.

    >>> table = rates_table()
    >>> table.count("data-formula="), table.count('<td class="cmlearn-rate" data-rate=')
    (10, 10)
    >>> 'data-rate="fnr"></td>' in table
    True
    """
    rows = [
        f'<table class="cmlearn-rates cx-table"><caption>{_html.escape(caption)}</caption><thead><tr>'
        '<th scope="col">rate</th><th scope="col">formula with these counts</th><th scope="col">value</th></tr>'
        "</thead><tbody>"
    ]
    for key in keys:
        shown = "" if rates_obj is None else rates_obj.text(key)
        formula = "" if rates_obj is None else _html.escape(rates_obj.formula(key))
        rows.append(
            f'<tr data-rate="{key}"><th scope="row">{RATES[key].name}</th>'
            f'<td><code data-formula="{key}">{formula}</code></td>'
            f'<td class="cmlearn-rate" data-rate="{key}">{shown}</td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def rates_by_class_table(rates_obj=None):
    """The counts divided by their row's total (TNR, FPR / FNR, TPR), each with a bar as long as its rate.

    With ``rates_obj=None`` the text is empty and the bars have no width: the
    ThresholdExplorer's page fills them in.

    >>> table = rates_by_class_table()
    >>> table.count("data-norm="), table.count('<th scope="row">')
    (4, 2)
    >>> from cmlearn.counts import Counts
    >>> from cmlearn.ratios import rates
    >>> 'data-norm="fn">FNR 0.0625<' in rates_by_class_table(rates(Counts(60.0, 1.0, 9.0, 4.0, 0.5)))
    True
    """
    head = "".join(f'<th scope="col">{label.split(" (")[0]}</th>' for label in Counts.column_labels)
    rows = [
        '<table class="cx-table cx-norm"><caption>Each row divided by its total</caption>'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>"
    ]
    for label, keys in zip(CLASS_LABELS["short"], CELL_NAMES, strict=True):
        cells = []
        for key in keys:
            text, width = "", ""
            if rates_obj is not None:
                value = getattr(rates_obj, _BY_CLASS[key])
                text = by_class_text(rates_obj, key)
                width = f' style="width:{0 if math.isnan(value) else 100 * value:.6g}%"'
            cells.append(
                f'<td><span class="cx-rate-value" data-norm="{key}">{text}</span>'
                f'<span class="cx-bar-box"><span class="cx-bar cx-{key}" data-norm-bar="{key}"{width}></span>'
                "</span></td>"
            )
        rows.append(f'<tr><th scope="row">{label}</th>{"".join(cells)}</tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def rates_by_class_key(key):
    """The rate within its actual class that count ``key`` makes: ``"fnr"`` for ``"fn"``.

    >>> [rates_by_class_key(key) for key in ("tn", "fp", "fn", "tp")]
    ['tnr', 'fpr', 'fnr', 'tpr']
    """
    return _BY_CLASS[key]


def by_class_text(rates_obj, key):
    """The rate within its actual class that count ``key`` makes, as the rates-per-class table shows it.

    >>> from cmlearn.counts import Counts
    >>> from cmlearn.ratios import rates
    >>> by_class_text(rates(Counts(60.0, 1.0, 9.0, 4.0, 0.5)), "fn")
    'FNR 0.0625'
    """
    rate = rates_by_class_key(key)
    return f"{RATES[rate].symbol} {rates_obj.text(rate)}"


def note(text):
    """A line of text in place of a view that has nothing to show yet."""
    return f'<p class="cmlearn-note"><i>{_html.escape(text)}</i></p>'


def error_box(message):
    """The error area: empty when there is no error (its look is ``.cmlearn-error`` in ``theme.css``).

    >>> error_box(None)
    '<div class="cmlearn-error"></div>'
    >>> error_box("ValueError: no")
    '<div class="cmlearn-error"><b>Not updated, the last good view is kept:</b> ValueError: no</div>'
    """
    if message is None:
        return '<div class="cmlearn-error"></div>'
    return f'<div class="cmlearn-error"><b>{KEPT}</b> {_html.escape(message)}</div>'


def history_table(rows, columns, caption, current=None):
    """Rows of already computed numbers (dicts) as a table (scrolling sideways when wide).

    Row ``current`` (an index, or None) is the one shown now: in bold, and
    ``aria-current`` for a screen reader.

    >>> table = history_table([{"n": "100"}, {"n": "1,000"}], (("n", "samples"),), "Shown so far", current=0)
    >>> '<tr data-row="0" aria-current="true"><td data-col="n"><strong>100</strong></td>' in table
    True
    >>> '<tr data-row="1"><td data-col="n">1,000</td>' in table
    True
    """
    head = "".join(f'<th scope="col">{_html.escape(title)}</th>' for _, title in columns)
    body = []
    for i, row in enumerate(rows):
        now = i == current
        bold, unbold, mark = ("<strong>", "</strong>", ' aria-current="true"') if now else ("", "", "")
        cells = "".join(f'<td data-col="{key}">{bold}{_html.escape(str(row[key]))}{unbold}</td>' for key, _ in columns)
        body.append(f'<tr data-row="{i}"{mark}>{cells}</tr>')
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
        f"precision from the running counts: "
        f'<span data-rate="pooled-precision">{rate_text(log.pooled("precision"))}</span>; '
        f"mean of per-batch precisions: "
        f'<span data-rate="averaged-precision">{rate_text(log.averaged("precision"))}</span><br>'
        f'<small class="cmlearn-averaging-rule">The running counts are what Keras reports. '
        f"The means follow {rule}.</small></div>"
    )
