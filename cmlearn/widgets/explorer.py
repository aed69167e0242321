"""ThresholdExplorer: move a threshold, watch Keras's counts, rates and curves.

Everything the slider can show is computed when the explorer is built: one
``keras_counts`` sweep over every slider position (real Keras metric
objects), the NumPy reference sweep, the rates, the curve points and the
ties. A slider move then only indexes those arrays, moves a few plot artists
and re-encodes one PNG. A typed threshold that is not a slider position is
counted by Keras at that exact value.
"""

from __future__ import annotations

import numpy as np

from cmlearn.counts import Counts, numpy_counts
from cmlearn.curves import grid_index, pr_points, roc_points, row_normalised, score_histogram, threshold_grid, ties_at
from cmlearn.keras_run.metrics import keras_counts
from cmlearn.ratios import rates
from cmlearn.validation import validate_inputs as check_inputs
from cmlearn.validation import validate_thresholds as check_thresholds
from cmlearn.widgets import html

__all__ = ["ThresholdExplorer"]


def _widgets():
    import ipywidgets

    return ipywidgets


class _Sweep:
    """Everything precomputed for one weighting of the data."""

    def __init__(self, y_true, y_pred, weights, grid, bins):
        self.weights = weights
        self.keras = keras_counts(y_true, y_pred, grid, weights)
        self.numpy = numpy_counts(y_true, y_pred, grid, weights)
        self.rates = rates(self.keras)
        self.roc = roc_points(self.keras)
        self.pr = pr_points(self.keras)
        self.normalised = row_normalised(self.keras.matrix)
        self.ties = ties_at(y_true, y_pred, grid, weights)
        self.edges, self.heights = score_histogram(y_true, y_pred, bins, weights)
        self.details = html.sweep_table(self.keras, self.rates) + html.histogram_table(self.edges, self.heights)


def _base():
    return _widgets().VBox


class ThresholdExplorer(_base()):
    """An interactive view of Keras's four count metrics at a movable threshold.

    Parameters
    ----------
    y_true : array-like of 0/1 labels
    y_pred : array-like of scores in [0, 1]
    thresholds : float in [0, 1], default 0.5
        Where the slider starts.
    sample_weight : None or array-like of non-negative weights
        When given, a toggle switches between weighted and unweighted counts.
    step : float, default 0.01
        The slider's step; every position is counted by Keras up front.
    bins : int, default 40
        Histogram bins.

    Attributes
    ----------
    slider : ipywidgets.FloatSlider
        The threshold (keyboard: focus it, then arrow keys).
    threshold_text : ipywidgets.BoundedFloatText
        Type an exact threshold; values between slider steps are counted
        exactly, and the slider rests on the nearest step (a browser's slider
        would round an off-step value to its step).
    weights_toggle : ipywidgets.ToggleButtons or None
        Weighted / unweighted; None without ``sample_weight``.
    counts : Counts
        Equal to ``keras_counts(y_true, y_pred, threshold, w)`` with ``w`` the
        sample weights when weighted, else None.
    threshold : float
        What is shown: the slider's value, or the exact value typed.
    rates : Rates
        ``cmlearn.rates(counts)``.
    error : str or None
        The message of the last failed update (the view then keeps the last good state).

    Examples
    --------
    >>> import cmlearn
    >>> ex = cmlearn.ThresholdExplorer([0, 1, 1, 0], [0.2, 0.5, 0.9, 0.7], step=0.5)
    >>> ex.counts.tp, ex.counts.fn  # 0.5 is not > 0.5
    (1.0, 1.0)
    >>> ex.slider.value = 0.0
    >>> ex.counts.tp
    2.0
    """

    def __init__(self, y_true, y_pred, thresholds=0.5, sample_weight=None, step=0.01, bins=40):
        widgets = _widgets()
        self.y_true, self.y_pred, self.sample_weight = check_inputs(y_true, y_pred, sample_weight)
        values, is_scalar = check_thresholds(thresholds)
        if not is_scalar:
            raise ValueError(
                f"thresholds must be one number for the explorer (where its slider starts), but got {thresholds!r}. "
                f"Fix: e.g. thresholds=0.5; the slider then visits every threshold."
            )
        self.grid = threshold_grid(step)
        self._quiet = False  # True while the explorer itself sets a control
        self._parked = None  # the slider step resting under a typed off-step threshold
        self.bins = bins
        self._sweeps = {}
        self._png_cache = {}  # (weighted, grid index) -> PNG bytes, filled as positions are visited
        self.error = None
        self.weighted = self.sample_weight is not None
        sweep = self._sweep()

        from cmlearn.widgets.figure import ExplorerFigure

        self.figure = ExplorerFigure(sweep.edges, sweep.heights, sweep.roc, sweep.pr, weighted=self.weighted)
        decimals = max(2, len(f"{step:.10f}".rstrip("0").split(".")[1]))
        self.slider = widgets.FloatSlider(
            value=self._nearest_step(values[0]), min=0.0, max=1.0, step=float(step), description="threshold",
            continuous_update=True, readout_format=f".{decimals}f", layout=widgets.Layout(width="420px"),
        )
        self.slider.add_class("cmlearn-threshold-slider")
        self.threshold_text = widgets.BoundedFloatText(
            value=float(values[0]), min=0.0, max=1.0, step=float(step), description="exact:",
            layout=widgets.Layout(width="180px"),
        )
        self.threshold_text.add_class("cmlearn-threshold-text")
        self.weights_toggle = None
        controls = [self.slider, self.threshold_text]
        if self.sample_weight is not None:
            self.weights_toggle = widgets.ToggleButtons(
                options=[("weighted counts", True), ("unweighted counts", False)], value=True,
                tooltips=["each count is the sum of sample_weight", "each sample counts 1"],
            )
            self.weights_toggle.add_class("cmlearn-weights-toggle")
            controls.append(self.weights_toggle)
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.counts_html = widgets.HTML()
        self.agreement_html = widgets.HTML()
        self.ties_html = widgets.HTML()
        self.rates_html = widgets.HTML()
        self.details_html = widgets.HTML(sweep.details)
        self.error_html = widgets.HTML(html.error_box(None))
        super().__init__(
            [
                widgets.HBox(controls[:2]),
                *controls[2:],
                self.error_html,
                widgets.HBox([self.counts_html]),
                self.agreement_html,
                self.ties_html,
                self.image,
                self.rates_html,
                self.details_html,
            ]
        )
        self.add_class("cmlearn-explorer")
        self.counts = None
        self.rates = None
        self.threshold = None
        self._show(float(values[0]))
        if self.slider.value != self.threshold:
            self._parked = self.slider.value
        if self.error is not None:  # the first view must work; later ones may fail and keep it
            raise RuntimeError(self.error)
        self.slider.observe(self._on_slider, names="value")
        self.threshold_text.observe(self._on_text, names="value")
        if self.weights_toggle is not None:
            self.weights_toggle.observe(self._on_weights, names="value")

    # -- precomputation -----------------------------------------------------
    def _weights(self):
        return self.sample_weight if self.weighted else None

    def _sweep(self):
        if self.weighted not in self._sweeps:
            self._sweeps[self.weighted] = _Sweep(self.y_true, self.y_pred, self._weights(), self.grid, self.bins)
        return self._sweeps[self.weighted]

    # -- one view -----------------------------------------------------------
    def _state_at(self, threshold):
        """Counts, reference counts and ties at ``threshold``: indexed if on the grid, else counted now."""
        sweep = self._sweep()
        i = grid_index(threshold, self.grid)
        if i is not None:
            ties = sweep.ties.at(i, float(threshold))
            k = sweep.keras.at(i)
            # Same float32 threshold as the grid point; keep the value the learner set.
            counts = Counts(k.tp, k.fp, k.tn, k.fn, float(threshold), k.source)
            reference = sweep.numpy.at(i)
            return counts, reference, ties, sweep.normalised[i]
        w = self._weights()
        counts = keras_counts(self.y_true, self.y_pred, float(threshold), w)
        reference = numpy_counts(self.y_true, self.y_pred, float(threshold), w)
        ties = ties_at(self.y_true, self.y_pred, float(threshold), w)
        return counts, reference, ties, row_normalised(counts.matrix)

    def _show(self, threshold):
        """Compute the whole view first; change the widgets only if all of it worked."""
        try:
            counts, reference, ties, normalised = self._state_at(threshold)
            index = grid_index(threshold, self.grid)
            key = None if index is None else (self.weighted, index)
            r = rates(counts)
            figure = self.figure
            figure.set_threshold(
                float(threshold), counts.matrix, normalised, (r.fpr, r.tpr), (r.recall, r.precision), counts.total
            )
            png = self._png_cache.get(key) or figure.render()
            views = {
                self.counts_html: html.counts_table(counts),
                self.rates_html: html.rates_table(r),
                self.agreement_html: html.agreement_badge(counts, reference),
                self.ties_html: html.ties_note(ties, self.weighted),
                self.error_html: html.error_box(None),
            }
        except Exception as error:  # shown in the widget; the last good view stays
            self.error = f"{type(error).__name__}: {error}"
            self.error_html.value = html.error_box(self.error)
            return False
        if key is not None:
            self._png_cache[key] = png
        with self.hold_sync():
            self.counts, self.rates, self.threshold, self.error = counts, r, float(threshold), None
            self.image.value = png
            for widget, value in views.items():
                if widget.value != value:
                    widget.value = value
        return True

    # -- callbacks ----------------------------------------------------------
    def _nearest_step(self, value):
        return float(self.grid[int(abs(self.grid - float(value)).argmin())])

    def _set_quietly(self, widget, value):
        """Set a control without its observer redrawing the view."""
        self._quiet = True
        try:
            widget.value = value
        finally:
            self._quiet = False

    def _on_slider(self, change):
        if self._quiet:
            return
        if self._parked is not None and float(np.float32(change["new"])) == float(np.float32(self._parked)):
            return  # the front end echoing the parked step back: keep the typed threshold
        self._parked = None
        if self._show(change["new"]) and self.threshold_text.value != change["new"]:
            self._set_quietly(self.threshold_text, change["new"])

    def _on_text(self, change):
        if self._quiet or not self._show(change["new"]):
            return
        nearest = self._nearest_step(change["new"])
        self._parked = nearest if nearest != float(change["new"]) else None
        if self.slider.value != nearest:
            self._set_quietly(self.slider, nearest)

    def _on_weights(self, change):
        """Switch weighting all at once; on failure the toggle, figure and tables stay as they were."""
        if self._quiet:
            return
        previous, old = self.weighted, self._sweep()
        self.weighted = bool(change["new"])
        try:
            sweep = self._sweep()
            self.figure.set_data(sweep.edges, sweep.heights, sweep.roc, sweep.pr, weighted=self.weighted)
            shown = self._show(self.threshold)
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"
            shown = False
        if not shown:
            self.weighted = previous
            self.figure.set_data(old.edges, old.heights, old.roc, old.pr, weighted=previous)
            self._set_quietly(self.weights_toggle, previous)
            self.error_html.value = html.error_box(self.error)
            return
        self.details_html.value = sweep.details
