"""Two smaller labs: data size and prevalence, and batch-by-batch counting.

* :class:`DatasetLab` regenerates data with :func:`cmlearn.data.make_scores`
  and keeps a history: counts grow with the data; the rates within one actual
  class (TPR, TNR, FPR, FNR) stay about the same (new data, same scorer: they
  change only by sampling), while precision, NPV and accuracy move with
  prevalence.
* :class:`BatchStepper` feeds batches to real Keras metric objects and sets
  the running (pooled) rates beside rates averaged over batches.

Both hold no arithmetic: it lives in :mod:`cmlearn.batch_log`,
:mod:`cmlearn.ratios` and :mod:`cmlearn.keras_run`; their HTML in
:mod:`cmlearn.widgets.html`. They show the ThresholdExplorer's counts table
and take its look (``theme.css``: JupyterLab's theme colours, and with
``presenter=True`` the projector scale). Their moves go to the kernel on
purpose: each one runs Keras.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

import ipywidgets as widgets

from cmlearn.counts import COUNT_NAMES, format_count
from cmlearn.data import make_scores
from cmlearn.keras_run.batches import BatchRun
from cmlearn.keras_run.metrics import keras_counts
from cmlearn.ratios import rates
from cmlearn.validation import validate_choice, validate_number, validate_one_threshold, validate_whole_number
from cmlearn.validation.typed import validate_typed_number
from cmlearn.widgets import html

__all__ = ["DatasetLab", "BatchStepper"]


class _Lab(widgets.VBox):
    """What the labs share: the explorer's look, the presenter scale, and errors shown with the last good view kept."""

    def _dress(self, presenter):
        """Take the shared stylesheet and classes; ``presenter`` sets the projector scale."""
        self.add_class("cmlearn-theme")
        self.add_class("cmlearn-lab")
        # A hidden HTML widget carries the <style>: a style element applies wherever it sits.
        self.children = (widgets.HTML(html.theme_stylesheet(), layout=widgets.Layout(display="none")), *self.children)
        self.presenter = presenter

    @property
    def presenter(self):
        """True at projector scale (text 28 px, counts 45 px, larger controls); set it to switch."""
        return "cmlearn-presenter" in self._dom_classes

    @presenter.setter
    def presenter(self, value):
        (self.add_class if value else self.remove_class)("cmlearn-presenter")

    def _fail(self, error):
        self.error = f"{type(error).__name__}: {error}"
        self.error_html.value = html.error_box(self.error)

    def _ok(self):
        self.error = None
        self.error_html.value = html.error_box(None)


class _Settle:
    """Run ``action`` once the controls have rested ``seconds``: a burst of arrow presses counts once, at its end.

    Each :meth:`poke` starts the wait again. The wait runs on the kernel's
    event loop when there is one (a notebook, Voila, Colab: ``action`` then
    runs between the kernel's messages, never beside them), else on a timer
    thread, with a lock.
    """

    def __init__(self, seconds, action):
        self.seconds, self.action = seconds, action
        self._lock, self._handle, self._turn = threading.RLock(), None, 0

    @property
    def pending(self):
        """True while a count waits for the controls to rest, or runs."""
        return self._handle is not None

    def poke(self):
        """Wait ``seconds`` from now, then run ``action`` (a wait already running starts again)."""
        with self._lock:
            self.cancel()
            self._turn += 1
            turn = self._turn
            try:
                self._handle = asyncio.get_running_loop().call_later(self.seconds, self._fire, turn)
            except RuntimeError:  # no event loop in this thread: a script, a test
                self._handle = threading.Timer(self.seconds, self._fire, (turn,))
                self._handle.daemon = True
                self._handle.start()

    def cancel(self):
        """Drop the waiting count, if any."""
        with self._lock:
            if self._handle is not None:
                self._handle.cancel()
            self._handle = None

    def _fire(self, turn):
        with self._lock:
            if turn != self._turn or self._handle is None:
                return  # poked again, or counted already
            try:
                self.action()
            finally:
                if turn == self._turn:
                    self._handle = None


def _from_the_page(control):
    """True while ``control`` takes a value the browser sent (ipywidgets holds it under its property lock)."""
    return bool(getattr(control, "_property_lock", None))


def _share_text(value):
    """A prevalence as the box and the history show it: two decimals, more only when typed with more."""
    return f"{value:.2f}" if round(value, 2) == round(value, 10) else f"{value:.10g}"


class DatasetLab(_Lab):
    """Change the number of samples and the prevalence; compare counts and rates.

    Each new setting regenerates labels and scores (same ``separation`` and
    ``seed``) and counts them with Keras at ``threshold``. Moved in the
    page, the lab counts once the controls have rested ``settle`` seconds:
    a burst of arrow presses or a drag is counted once, at the setting it
    ends on. Set from Python (``lab.size_slider.value = 1000``) or typed
    into the prevalence box, it counts at once.

    :attr:`history` has one row per distinct setting (samples, prevalence),
    in the order first shown. Going back to a setting shown before adds no
    row: its row becomes the current one (:attr:`current`, drawn in bold),
    so the rows keep their places and stay easy to compare.

    Parameters
    ----------
    n_samples : int, one of ``sizes``
    prevalence : float in [0.05, 0.95]
    separation, seed : passed to :func:`cmlearn.data.make_scores`
    threshold : float in [0, 1]
    sizes : the sample sizes offered (whole numbers >= 1)
    presenter : bool, default False
        Projector scale, as the ThresholdExplorer's (Voila at 1920×1080).
    settle : float, default 0.4
        Seconds a control moved in the page must rest before the lab counts.

    Attributes
    ----------
    size_slider : ipywidgets.SelectionSlider
    prevalence_slider : ipywidgets.FloatSlider
    prevalence_box : ipywidgets.Text, where a prevalence is typed (Enter or leaving the box sends it)
    counts, rates : the current Keras counts and their rates
    history : list of dicts, one per distinct setting shown
    current : the index in :attr:`history` of the setting shown now
    error : str or None

    Examples
    --------
    >>> lab = DatasetLab(n_samples=100, sizes=(100, 1000))
    >>> lab.size_slider.value = 1000
    >>> lab.size_slider.value = 100  # shown before: no new row
    >>> [row["total"] for row in lab.history], lab.current
    (['100', '1,000'], 0)
    >>> lab.prevalence_box.value = "50%"
    >>> print(lab.error)
    ValueError: the prevalence box holds '50%', a percentage, but it takes a share from 0.05 to 0.95. Fix: type 0.5
    for 50%, with no % sign.
    """

    COLUMNS = (
        ("n_samples", "samples"), ("prevalence", "prevalence"), ("tp", "TP"), ("fp", "FP"), ("tn", "TN"),
        ("fn", "FN"), ("total", "TP+FP+TN+FN"), ("tpr", "TPR"), ("fpr", "FPR"), ("precision", "precision"),
        ("accuracy", "accuracy"),
    )
    #: The prevalences the slider and the box offer.
    PREVALENCE_RANGE = (0.05, 0.95)
    CAPTION = (
        "One row per data set shown (samples, prevalence), in the order first shown; the one shown now is in bold. "
        "The counts grow with the data. TPR, TNR, FPR and FNR divide within one actual class, so they stay about "
        "the same at any prevalence; precision, NPV and accuracy mix the classes, so they move when prevalence moves."
    )

    def __init__(self, n_samples=1000, prevalence=0.3, separation=2.0, seed=0, threshold=0.5,
                 sizes=(100, 1000, 10_000, 100_000), presenter=False, settle=0.4):
        threshold = validate_one_threshold(threshold)
        sizes = tuple(
            validate_whole_number(size, f"sizes[{i}]", example="sizes=(100, 1000, 10_000)")
            for i, size in enumerate(sizes)
        )
        n_samples = validate_choice(
            n_samples, "n_samples", sizes, what="the sizes offered",
            fix=f"pick one of them, e.g. n_samples={sizes[0]}, or pass sizes= with yours",
        )
        low, high = self.PREVALENCE_RANGE
        prevalence = validate_number(
            prevalence, "prevalence", low=low, high=high, why="the slider runs from 0.05 to 0.95",
            fix="give the share of positives, e.g. prevalence=0.3 for 30%",
        )
        settle = validate_number(settle, "settle", low=0, example="settle=0.4")
        make_scores(n_samples, prevalence, separation, seed)  # refuses bad values up front
        self.threshold, self.separation, self.seed = threshold, separation, seed
        self.size_slider = widgets.SelectionSlider(
            options=[(format_count(s), s) for s in sizes], value=n_samples, description="samples",
            continuous_update=False,
        )
        self.prevalence_slider = widgets.FloatSlider(
            value=prevalence, min=low, max=high, step=0.05, description="prevalence", continuous_update=False,
            readout=False,
        )
        self.prevalence_box = widgets.Text(
            value=_share_text(prevalence), placeholder="e.g. 0.3", continuous_update=False,
            layout=widgets.Layout(width="7em"),
        )
        self.prevalence_box.add_class("cmlearn-prevalence-box")
        self.counts_html, self.rates_html, self.history_html = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.error_html = widgets.HTML(html.error_box(None))
        super().__init__([
            widgets.HBox([self.size_slider, self.prevalence_slider, self.prevalence_box]), self.error_html,
            self.counts_html, self.rates_html, self.history_html,
        ])
        self.add_class("cmlearn-dataset-lab")
        self._dress(presenter)
        self.history, self.current, self.error, self.counts, self.rates = [], None, None, None, None
        self._typing = False
        self._settle = _Settle(settle, self._show)
        self._count()  # a first count that fails raises its own error, fix included
        self.size_slider.observe(self._moved, names="value")
        self.prevalence_slider.observe(self._moved, names="value")
        self.prevalence_box.observe(self._typed, names="value")

    @property
    def pending(self):
        """True from a move made in the page until its count is shown (it waits for the controls to rest)."""
        return self._settle.pending

    def _moved(self, change):
        if change.owner is self.prevalence_slider and not self._typing:
            with self._box_from_python():  # the box shows the slider's value, as a readout would
                self.prevalence_box.value = _share_text(float(change.new))
        if self._settle.seconds > 0 and _from_the_page(change.owner):
            self._settle.poke()
        else:
            self.refresh()

    @contextlib.contextmanager
    def _box_from_python(self):
        self._typing = True
        try:
            yield
        finally:
            self._typing = False

    def _typed(self, change):
        if self._typing:
            return
        low, high = self.PREVALENCE_RANGE
        try:
            value = validate_typed_number(change.new, "prevalence box", low=low, high=high, example="0.3 for 30%")
        except ValueError as error:
            self._fail(error)  # the last good view stays, the typed text too, so the learner sees what was read
            return
        if value == self.prevalence_slider.value:
            self.refresh()
            return
        with self._box_from_python():
            self.prevalence_slider.value = value  # counted at once (set from Python): a typed value is meant

    def refresh(self, change=None):
        """Count the controls' setting now (a count waiting for them to rest is dropped); show it or the error."""
        self._settle.cancel()
        self._show()

    def _show(self):
        try:
            self._count()
        except Exception as error:  # shown in the widget; the last good view stays
            self._fail(error)

    def _count(self):
        n, prevalence = int(self.size_slider.value), float(self.prevalence_slider.value)
        y_true, y_pred = make_scores(n, prevalence, self.separation, self.seed)
        counts = keras_counts(y_true, y_pred, self.threshold)
        r = rates(counts)
        row = {"n_samples": format_count(n), "prevalence": _share_text(prevalence),
               "total": format_count(counts.total)}
        row.update({k: format_count(getattr(counts, k)) for k in COUNT_NAMES})
        row.update({k: r.text(k) for k in ("tpr", "fpr", "precision", "accuracy")})
        seen = [(old["n_samples"], old["prevalence"]) for old in self.history]
        key = (row["n_samples"], row["prevalence"])
        history = self.history if key in seen else [*self.history, row]
        current = history.index(row) if key not in seen else seen.index(key)
        counts_view = html.counts_table(counts)
        rates_view = html.rates_table(r, keys=("tpr", "fpr", "precision", "accuracy", "prevalence"))
        history_view = html.history_table(history, self.COLUMNS, self.CAPTION, current=current)
        self.y_true, self.y_pred, self.counts, self.rates = y_true, y_pred, counts, r
        self.history, self.current = history, current
        with self.hold_sync():
            self.counts_html.value, self.rates_html.value = counts_view, rates_view
            self.history_html.value = history_view
            self._ok()


class BatchStepper(_Lab):
    """Feed batches to Keras's count metrics one ``update_state`` at a time.

    Parameters
    ----------
    y_true, y_pred, sample_weight : as for :func:`cmlearn.keras_counts`
    batch_size : int
    threshold : float in [0, 1]
    zero_division : the value of a per-batch rate with a zero denominator (default 0)
    presenter : bool, default False
        Projector scale, as the ThresholdExplorer's (Voila at 1920×1080).

    Attributes
    ----------
    next_button, all_button, reset_button : ipywidgets.Button
    run : :class:`cmlearn.keras_run.batches.BatchRun`
    counts : the Keras running counts after the last batch (None before any)
    error : str or None

    Examples
    --------
    >>> s = BatchStepper([1, 1, 1, 1, 0, 1], [0.9, 0.2, 0.3, 0.1, 0.2, 0.8], batch_size=4)
    >>> s.next_button.click()
    >>> s.counts.tp, s.counts.fn
    (1.0, 3.0)
    """

    COLUMNS = (
        ("batch", "batch"), ("rows", "rows"), ("b_tp", "batch TP"), ("b_fp", "batch FP"), ("b_tn", "batch TN"),
        ("b_fn", "batch FN"), ("b_recall", "batch recall"), ("b_precision", "batch precision"),
        ("tp", "Keras TP so far"), ("fp", "Keras FP so far"), ("tn", "Keras TN so far"), ("fn", "Keras FN so far"),
    )

    def __init__(self, y_true, y_pred, batch_size=32, threshold=0.5, sample_weight=None, zero_division=0.0,
                 presenter=False):
        self.run = BatchRun(y_true, y_pred, batch_size, threshold, sample_weight, zero_division)
        self.next_button = widgets.Button(description="next batch", icon="step-forward")
        self.all_button = widgets.Button(description="all batches", icon="fast-forward")
        self.reset_button = widgets.Button(description="reset_state()", icon="undo")
        self.progress_html, self.table_html, self.summary_html = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.error_html = widgets.HTML(html.error_box(None))
        super().__init__([
            widgets.HBox([self.next_button, self.all_button, self.reset_button]), self.progress_html,
            self.error_html, self.summary_html, self.table_html,
        ])
        self.add_class("cmlearn-batch-stepper")
        self._dress(presenter)
        self.error, self.counts, self._rows = None, None, []
        self.next_button.on_click(lambda _: self._act(self.run.step))
        self.all_button.on_click(lambda _: self._act(self.run.run_all))
        self.reset_button.on_click(lambda _: self._act(self.run.reset))
        self._render()

    def _act(self, action):
        try:
            action()
            self._render()
        except Exception as error:  # shown in the widget; the last good view stays
            self._fail(error)
            return
        self._ok()

    def _render(self):
        run, log = self.run, self.run.log
        recalls, precisions = log.batch_rates("recall"), log.batch_rates("precision")
        rows = []
        for step, recall, precision in zip(run.steps, recalls, precisions, strict=True):
            undefined = rates(step.batch).undefined  # 0/0 in this batch alone
            row = {"batch": step.index + 1, "rows": f"{step.rows.start}–{step.rows.stop - 1}",
                   "b_recall": html.batch_rate_text(recall, "recall" in undefined, log.zero_division),
                   "b_precision": html.batch_rate_text(precision, "precision" in undefined, log.zero_division)}
            row.update({f"b_{k}": format_count(getattr(step.batch, k)) for k in COUNT_NAMES})
            row.update({k: format_count(getattr(step.keras_running, k)) for k in COUNT_NAMES})
            rows.append(row)
        counts = run.steps[-1].keras_running if run.steps else None
        summary = html.batch_summary(log, run.n_batches, run.batch_size, run.threshold)
        table = html.history_table(rows, self.COLUMNS, "Each update_state adds its batch to Keras's running counts.")
        running = html.note("No batch fed yet: every count is 0.")
        if counts is not None:
            running = html.counts_table(counts, caption=(
                f"Running counts of the keras.metrics objects after {len(run.steps)} of {run.n_batches} batches "
                f"(sums of sample weights): "
                f"positive when y_pred > {run.threshold:g}"))
        with self.hold_sync():
            self.counts = counts
            self.summary_html.value = summary
            self.table_html.value = table
            self.progress_html.value = running
            self.next_button.disabled = self.all_button.disabled = run.done
