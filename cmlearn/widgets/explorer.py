"""ThresholdExplorer: move a threshold, watch Keras's counts, rates and curves.

The explorer is an anywidget: Python computes, the browser draws.

When the explorer is built, the kernel runs one ``keras_counts`` sweep over
every slider position (real Keras metric objects) and the NumPy reference
sweep for the agreement badge, then works out everything a position shows:
the counts and their totals, each rate with its formula and numbers, the
ROC and PR points, the histogram split at the threshold, the ties, and for
up to :data:`DOT_LIMIT` samples which dots are predicted negative. All of it
goes to the page once, as text and positions (:attr:`ThresholdExplorer.data`);
the browser's module (:data:`ESM`) only indexes those arrays and places marks, so a move on the
slider's grid redraws at once, even with the kernel far away or gone.

A typed threshold between slider steps goes to the kernel (the synced
``threshold``), which counts it with Keras at that exact value and sends
the one view back (``exact``). Every move the page makes is synced to the
kernel, so :attr:`ThresholdExplorer.counts` stays what is shown.
"""

from __future__ import annotations

import math
import pathlib
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import anywidget
import numpy as np
import traitlets

from cmlearn.counts import CELL_NAMES, COUNT_NAMES, Counts, agreement, numpy_counts
from cmlearn.curves import grid_index, score_bins, threshold_grid, ties_at
from cmlearn.keras_run.metrics import keras_counts
from cmlearn.ratios import RATES, format_count, formula_text, rates
from cmlearn.validation import validate_inputs, validate_thresholds, validate_whole_number
from cmlearn.widgets import html
from cmlearn.widgets.html import threshold_text

__all__ = ["ThresholdExplorer", "DOT_LIMIT", "agreement_badge"]

#: Up to this many samples, each one is drawn as a dot on the score axis.
DOT_LIMIT = 2000
_HERE = pathlib.Path(__file__).resolve().parent
#: The parts of the explorer's ES module, one job each, joined in this order into ``ESM``.
ESM_PARTS = ("explorer.base.js", "explorer.panels.js", "explorer.plots.js", "explorer.render.js")
#: The one module text the page runs (``_esm``); the published site copies this same text.
ESM = "".join((_HERE / name).read_text(encoding="utf-8") for name in ESM_PARTS)
#: The histogram's y axis, unweighted and weighted.
_HISTOGRAM_LABEL = {False: "samples per bin", True: "sum of sample_weight per bin"}
#: What a dot says when pointed at; the page fills in the {names}.
_DOT_TEXT = "sample {index}: label {label}, score {score}, {cell} at threshold {threshold}"
#: The terms of precision's denominator, from its one home (ratios.RATES): "TP + FP".
_PRECISION_DENOMINATOR = " + ".join(html.SHORT_NAMES[name] for name, _ in RATES["precision"].denominator)


class _Split(NamedTuple):
    """The histogram bin under the threshold, and its height per class left (``below``) and right of it."""

    bin: int
    below: list
    above: list


class _Position(NamedTuple):
    """What one threshold shows, before it is turned into text: :meth:`ThresholdExplorer._state`."""

    counts: Counts  # Keras's counts (weighted or not)
    reference: Counts  # the NumPy reference's, for the badge
    ties: object  # curves.Ties at this threshold
    split: _Split
    plain: Counts  # Keras's unweighted counts: where the dots (one per sample) are cut


def _number(value):
    """A float for JSON: NaN (an undefined rate) becomes None."""
    value = float(value)
    return None if math.isnan(value) else value


def _default_bins(n_steps):
    """The most bins (at most 100) whose edges are slider positions, so a threshold on the grid sits on an edge."""
    return max(b for b in range(1, min(n_steps, 100) + 1) if n_steps % b == 0)


def _ticks(top):
    """A few round tick values from 0 to at least ``top``, with their labels."""
    from matplotlib.ticker import MaxNLocator

    values = [v for v in MaxNLocator(nbins=3).tick_values(0, max(float(top), 1e-12)) if v >= 0]
    return [{"value": float(v), "label": format_count(v) if float(v).is_integer() else f"{v:.3g}"} for v in values]


def agreement_badge(keras, reference, rtol=1e-5):
    """``(agree, text)`` for the explorer's badge: do Keras's counts equal the NumPy reference's?

    The judgement and its sentence are :func:`cmlearn.counts.agreement`'s: an
    equal count, float32 rounding of fractional weights, a count past 2**24
    (where Keras's float32 count cannot be exact; the reference is), or a
    real difference, the only case that does not agree.

    >>> from cmlearn.counts import Counts
    >>> agreement_badge(Counts(5.0, 1.0, 4.0, 0.0, 0.5), Counts(4.0, 1.0, 4.0, 1.0, 0.5))
    (False, '✘ Keras and the NumPy reference differ: TP: Keras 5 vs NumPy 4; FN: Keras 0 vs NumPy 1')
    """
    verdict = agreement(keras, reference, rtol=rtol)
    return verdict.agree, verdict.text


class _Sweep:
    """Everything one weighting of the data shows at every slider position."""

    def __init__(self, explorer, weights):
        self.weights = weights
        grid, y_true, y_pred = explorer.grid, explorer.y_true, explorer.y_pred
        # The NumPy reference, ties and bins run beside Keras (both release the GIL): a faster build at large N.
        with ThreadPoolExecutor(max_workers=1) as pool:
            reference = pool.submit(
                lambda: (
                    numpy_counts(y_true, y_pred, grid, weights),
                    ties_at(y_true, y_pred, grid, weights),
                    score_bins(y_true, y_pred, explorer.edges, grid, weights),
                )
            )
            self.keras = keras_counts(y_true, y_pred, grid, weights)
            self.numpy, self.ties, self.bins = reference.result()
        r = rates(self.keras)
        self.roc = {"x": [_number(v) for v in r.fpr], "y": [_number(v) for v in r.tpr]}
        self.pr = {"x": [_number(v) for v in r.recall], "y": [_number(v) for v in r.precision]}


class _Control:
    """What is left of an ipywidgets control: ``.value`` reads and sets one trait of the explorer."""

    def __init__(self, explorer, trait, **attributes):
        self._explorer, self._trait = explorer, trait
        self.__dict__.update(attributes)

    @property
    def value(self):
        return getattr(self._explorer, self._trait)

    @value.setter
    def value(self, new):
        self._explorer._set(self._trait, new)

    def observe(self, handler, names="value"):
        """Call ``handler(change)`` when the value changes (from Python or from the page).

        As on an ipywidgets control, ``names`` is ``"value"`` (or a list of
        names, or ``traitlets.All``), and ``change["name"]`` is ``"value"``,
        ``change["owner"]`` this control. A control has no other name.
        """
        wanted = ["value"] if names is traitlets.All else [names] if isinstance(names, str) else list(names)
        other = [name for name in wanted if name != "value"]
        if other:
            raise ValueError(
                f"this control has one observable name, 'value', but names= got {other!r}. "
                f"Fix: observe(handler) or observe(handler, names='value')."
            )
        if not wanted:
            return

        def as_control(change):
            handler(traitlets.Bunch({**change, "name": "value", "owner": self}))

        self._explorer.observe(as_control, names=self._trait)

    def __repr__(self):
        return f"<{self._trait} control of a ThresholdExplorer: value={self.value!r}>"


class ThresholdExplorer(anywidget.AnyWidget):
    """An interactive view of Keras's four count metrics at a movable threshold, drawn in the browser.

    Parameters
    ----------
    y_true : array-like of 0/1 labels
    y_pred : array-like of scores in [0, 1]
    thresholds : float in [0, 1], default 0.5
        Where the slider starts (a value between steps is counted exactly).
    sample_weight : None or array-like of non-negative weights
        When given, a toggle switches between weighted and unweighted counts.
    step : float, default 0.01
        The slider's step; every position is counted by Keras up front.
    bins : int or None
        Histogram bars; by default one per slider step (at most 100), so a
        threshold on the grid sits on the edge between two bars.
    presenter : bool, default False
        Projector scale: larger text, counts and controls (Voila at 1920×1080).

    Attributes
    ----------
    slider : control
        ``slider.value`` is the threshold shown; set it from Python and the
        page follows (a value between steps is counted by Keras exactly).
    weights_toggle : control or None
        ``weights_toggle.value``: True for weighted counts; None without ``sample_weight``.
    counts : Counts
        Equal to ``keras_counts(y_true, y_pred, threshold, w)`` with ``w`` the
        sample weights when weighted, else None.
    threshold : float
        The threshold shown.
    rates : Rates
        ``cmlearn.rates(counts)``.
    error : str or None
        The message of the last failed update (the view then keeps the last good state).
    data : dict
        Everything sent to the page once: the grid, and per weighting the
        text and positions of every slider position.

    Examples
    --------
    >>> import cmlearn
    >>> ex = cmlearn.ThresholdExplorer([0, 1, 1, 0], [0.2, 0.5, 0.9, 0.7], step=0.5)
    >>> ex.counts.tp, ex.counts.fn  # 0.5 is not > 0.5
    (1.0, 1.0)
    >>> ex.slider.value = 0.0
    >>> ex.counts.tp
    2.0
    >>> ex.slider.value = 0.8  # between steps: Keras counts at 0.8 exactly
    >>> ex.counts.tp, ex.counts.fp
    (1.0, 0.0)
    """

    _esm = ESM
    # The look shared with the labs (theme colours, presenter scale, tables), then the explorer's own.
    _css = html.THEME_CSS + (_HERE / "explorer.css").read_text(encoding="utf-8")

    data = traitlets.Dict().tag(sync=True)
    threshold = traitlets.Float(0.5).tag(sync=True)
    weighted = traitlets.Bool(False).tag(sync=True)
    exact = traitlets.Dict().tag(sync=True)
    error = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    presenter = traitlets.Bool(False).tag(sync=True)

    def __init__(self, y_true, y_pred, thresholds=0.5, sample_weight=None, step=0.01, bins=None, presenter=False):
        self.y_true, self.y_pred, self.sample_weight = validate_inputs(y_true, y_pred, sample_weight)
        values, is_scalar = validate_thresholds(thresholds)
        if not is_scalar:
            raise ValueError(
                f"thresholds must be one number for the explorer (where its slider starts), but got {thresholds!r}. "
                f"Fix: e.g. thresholds=0.5; the slider then visits every threshold."
            )
        self.grid = threshold_grid(step)
        if bins is None:
            bins = _default_bins(len(self.grid) - 1)
        bins = validate_whole_number(bins, "bins", example="bins=50, or bins=None for one bar per slider step")
        self.edges = np.linspace(0.0, 1.0, int(bins) + 1)
        self.step = float(step)
        self._sweeps = {False: _Sweep(self, None)}
        if self.sample_weight is not None:
            self._sweeps[True] = _Sweep(self, self.sample_weight)
        self._dots = self._dot_order()
        self.counts = self.rates = None
        super().__init__(
            data=self._data(), weighted=self.sample_weight is not None, presenter=bool(presenter), error=None
        )
        self._guard = False
        self._last_good = None
        self.slider = _Control(self, "threshold", min=0.0, max=1.0, step=self.step)
        self.weights_toggle = None if self.sample_weight is None else _Control(self, "weighted")
        self._set("threshold", float(values[0]))
        if self.error is not None:  # the first view must work; later ones may fail and keep it
            raise RuntimeError(
                f"the explorer's first view could not be counted: {self.error}. "
                f"Fix: correct what the message names, then build the explorer again."
            )
        self.observe(self._on_page_change, names=["threshold", "weighted"])

    def __repr__(self):
        return f"ThresholdExplorer({len(self.y_true)} samples, threshold={self.threshold:g})"

    # -- what is sent once ----------------------------------------------------
    def _dot_order(self):
        """Samples in score order (stable), for the dot strip; None above :data:`DOT_LIMIT`."""
        if len(self.y_pred) > DOT_LIMIT:
            return None
        return np.argsort(self.y_pred, kind="stable")

    def _dots_data(self):
        if self._dots is None:
            return None
        order, scores = self._dots, self.y_pred[self._dots]
        labels = self.y_true[order].astype(int)
        # A dot plot: dots of one class whose scores fall in the same 1/120 of the axis stack up.
        column = np.minimum((scores.astype(np.float64) * 120).astype(int), 119)
        level = np.zeros(len(order), dtype=int)
        seen = {}
        for k, key in enumerate(zip(labels.tolist(), column.tolist(), strict=True)):
            level[k] = seen.get(key, 0)
            seen[key] = level[k] + 1
        return {
            "x": [float(s) for s in scores],
            "label": labels.tolist(),
            "index": order.tolist(),
            "score": [str(np.float32(s)) for s in scores],
            "level": level.tolist(),
            "levels": [
                int(max([level[k] for k in range(len(order)) if labels[k] == c], default=0)) + 1 for c in (0, 1)
            ],
        }

    def _data(self):
        views = {}
        for weighted, sweep in self._sweeps.items():
            bins = sweep.bins
            views["weighted" if weighted else "unweighted"] = {
                "hist": {
                    "heights": [bins.heights[c].tolist() for c in (0, 1)],
                    "ticks": [_ticks(bins.heights[c].max()) for c in (0, 1)],
                    "label": _HISTOGRAM_LABEL[weighted],
                },
                "rates_caption": html.RATES_CAPTION[weighted],
                "roc": sweep.roc,
                "pr": sweep.pr,
                "positions": [self._view(weighted, t) for t in self.grid],
            }
        return {
            "n": len(self.y_true),
            "grid": [float(t) for t in self.grid],
            "edges": self.edges.tolist(),
            # The labs' tables, empty: the page fills in the text of each position.
            "counts_table": html.counts_table(),
            "rates_table": html.rates_table(),
            "rates_by_class_table": html.rates_by_class_table(),
            # What the page says that Python says too: one home each, in cmlearn.widgets.html.
            "cells": [list(row) for row in CELL_NAMES],
            "short": html.SHORT_NAMES,
            "class_labels": {kind: list(labels) for kind, labels in html.CLASS_LABELS.items()},
            "kept": html.KEPT,
            "dot_text": _DOT_TEXT,
            "views": views,
            "dots": self._dots_data(),
            "dot_limit": DOT_LIMIT,
        }

    # -- one position ---------------------------------------------------------
    def _state(self, weighted, threshold):
        """The :class:`_Position` at ``threshold``: indexed from the sweep on the grid, counted now between steps."""
        sweep = self._sweeps[weighted]
        i = grid_index(threshold, self.grid)
        if i is not None:
            k = sweep.keras.at(i)
            bins = sweep.bins
            return _Position(
                counts=Counts(k.tp, k.fp, k.tn, k.fn, float(threshold), k.source),
                reference=sweep.numpy.at(i),
                ties=sweep.ties.at(i, float(threshold)),
                split=_Split(int(bins.bin[i]), [bins.below[c][i] for c in (0, 1)], [bins.above[c][i] for c in (0, 1)]),
                plain=self._sweeps[False].keras.at(i),
            )
        t, w = float(threshold), sweep.weights
        counts = keras_counts(self.y_true, self.y_pred, t, w)
        bins = score_bins(self.y_true, self.y_pred, self.edges, t, w)
        return _Position(
            counts=counts,
            reference=numpy_counts(self.y_true, self.y_pred, t, w),
            ties=ties_at(self.y_true, self.y_pred, t, w),
            split=_Split(int(bins.bin[0]), [bins.below[c][0] for c in (0, 1)], [bins.above[c][0] for c in (0, 1)]),
            plain=counts if w is None else keras_counts(self.y_true, self.y_pred, t),
        )

    def _view(self, weighted, t, state=None):
        """Everything the page shows at threshold ``t``, as text and positions (``state`` from :meth:`_state`)."""
        position = state or self._state(weighted, t)
        counts, ties, split, plain = position.counts, position.ties, position.split, position.plain
        r = rates(counts)
        agree, badge = agreement_badge(counts, position.reference)
        shown = {k: format_count(getattr(counts, k)) for k in COUNT_NAMES}
        label = threshold_text(t)
        norm = {}
        for key in (key for row in CELL_NAMES for key in row):
            rate = html.rates_by_class_key(key)
            norm[key] = {"text": html.by_class_text(r, key), "fraction": _number(getattr(r, rate))}
        pr_note = ""
        if math.isnan(r.precision):
            pr_note = (
                f"At {label} no sample is predicted positive ({_PRECISION_DENOMINATOR} = 0), so "
                f"{formula_text('precision')} = 0/0 is undefined and the PR point is not drawn."
            )
        cells = ", ".join(f"{html.SHORT_NAMES[k]} {shown[k]}" for k in COUNT_NAMES)
        return {
            "threshold": float(t),
            "label": label,
            "counts": shown,
            "totals": {
                "actual0": format_count(counts.actual_negatives),
                "actual1": format_count(counts.actual_positives),
                "pred0": format_count(counts.predicted_negatives),
                "pred1": format_count(counts.predicted_positives),
                "all": format_count(counts.total),
            },
            "norm": norm,
            "rates": {k: r.text(k) for k in RATES},
            "formulas": {k: r.formula(k) for k in RATES},
            "roc": [_number(r.fpr), _number(r.tpr)],
            "pr": [_number(r.recall), _number(r.precision)],
            "pr_note": pr_note,
            "ties": ties.describe(weighted),
            "agree": agree,
            "badge": badge,
            "split": {
                "bin": split.bin, "below": [float(v) for v in split.below], "above": [float(v) for v in split.above]
            },
            "cut": int(plain.tn + plain.fn),  # with dots in score order, the first TN + FN are predicted negative
            "tie_from": int(plain.tn + plain.fn) - int(ties.n),  # dots tie_from .. cut - 1 lie on the threshold
            "announce": f"Threshold {label}: {cells}.",
        }

    # -- changes ----------------------------------------------------------------
    def _set(self, trait, value):
        """Set the threshold or the weighting from Python: check, count, then show."""
        if trait == "threshold":
            try:
                values, is_scalar = validate_thresholds(value)
            except (TypeError, ValueError):
                is_scalar = False
            if not is_scalar:
                raise ValueError(
                    f"slider.value must be one number in [0, 1], but got {value!r}. A prediction is positive when "
                    f"y_pred > threshold, and scores are in [0, 1]. Fix: e.g. explorer.slider.value = 0.35."
                )
            new = {"threshold": float(values[0]), "weighted": self.weighted}
        else:
            if self.sample_weight is None:
                raise ValueError(
                    "this explorer has no sample_weight to toggle. Fix: ThresholdExplorer(..., sample_weight=w)."
                )
            new = {"threshold": self.threshold, "weighted": bool(value)}
        self._show(**new)

    def _on_page_change(self, change):
        """The page moved the slider, typed a threshold or toggled the weights: follow it."""
        if not self._guard:
            self._show(self.threshold, self.weighted)

    def _show(self, threshold, weighted):
        """Compute the whole view first; change what is shown only if all of it worked."""
        try:
            exact = {}
            if grid_index(threshold, self.grid) is None:  # between steps: Keras counts this exact value now
                states = {w: self._state(w, threshold) for w in self._sweeps}
                views = {("weighted" if w else "unweighted"): self._view(w, threshold, s) for w, s in states.items()}
                below = int(np.searchsorted(self.grid, float(threshold), side="right")) - 1
                exact = {"threshold": float(threshold), "below": below, "views": views}
                counts = states[weighted].counts
            else:
                counts = self._state(weighted, threshold).counts
        except Exception as error:  # shown in the page; the last good view stays
            self._guard = True
            try:
                self.error = f"{type(error).__name__}: {error}"
                if self._last_good is not None:
                    self.threshold, self.weighted = self._last_good
            finally:
                self._guard = False
            return False
        self._guard = True
        try:
            with self.hold_sync():
                if exact:
                    self.exact = exact
                self.counts, self.rates = counts, rates(counts)
                self.threshold, self.weighted, self.error = float(threshold), weighted, None
                self._last_good = (self.threshold, self.weighted)
        finally:
            self._guard = False
        return True

