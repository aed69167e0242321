"""Reading counts out of ``fit``: ``History`` per epoch, logs per batch, the progress bar, and their plot.

Keras resets its metrics at the start of every epoch and lets them add up
batch after batch, so ``History`` holds one count per epoch for the training
data and one (``val_`` prefix) for the validation data.

>>> h = {"tp": [3.0, 4.0], "fn": [2.0, 1.0], "fp": [1.0, 1.0], "tn": [6.0, 6.0]}
>>> history_counts(h).fn  # one entry per epoch
array([2., 1.], dtype=float32)
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

from cmlearn.counts import COUNT_NAMES, Counts
from cmlearn.keras_run.backend import import_keras
from cmlearn.validation import validate_choice, validate_one_threshold

__all__ = ["history_counts", "record_batch_logs", "fit_showing_bar", "epoch_table", "plot_history_counts"]


def history_counts(history, prefix="", threshold=0.5):
    """The per-epoch counts in a ``History`` as one :class:`~cmlearn.counts.Counts`.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)`` 's return value, or its ``.history`` dict.
    prefix : str
        ``""`` for training counts, ``"val_"`` for validation counts,
        ``"weighted_"`` for counts from :func:`weighted_count_metrics`.
    threshold : float
        The threshold the metrics were built with (only recorded).

    Returns
    -------
    Counts
        Float32 arrays with one entry per epoch; ``thresholds`` repeats
        ``threshold`` once per epoch, so :func:`cmlearn.rates` gives rates per epoch.

    Examples
    --------
    >>> history_counts({"tp": [1.0]}, prefix="val_")
    Traceback (most recent call last):
    ...
    KeyError: "History has no 'val_tp' (it has: tp). Fix: compile with metrics=make_count_metrics() and pass
    validation_data to fit for val_ keys."
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(
            f"history must be a keras History or its .history dict, but got {type(history).__name__}. "
            f"Fix: pass what model.fit returned, e.g. history_counts(model.fit(x, y, ...))."
        )
    values = {}
    for key in COUNT_NAMES:
        if prefix + key not in logs:
            raise KeyError(
                f"History has no {prefix + key!r} (it has: {', '.join(sorted(logs))}). Fix: compile with "
                f"metrics=make_count_metrics() and pass validation_data to fit for val_ keys."
            )
        values[key] = np.asarray(logs[prefix + key], dtype=np.float32)
        if values[key].ndim != 1:
            raise ValueError(
                f"History[{prefix + key!r}] holds {values[key].shape[1:]} values per epoch (a list of "
                f"thresholds?); history_counts reads one-threshold metrics. Fix: take one column, "
                f"e.g. np.asarray(history.history[{prefix + key!r}])[:, j]."
            )
    epochs = len(values["tp"])
    thresholds = np.full(epochs, validate_one_threshold(threshold), dtype=np.float64)
    return Counts(thresholds=thresholds, source=f"History ({prefix or 'training'})", **values)


def record_batch_logs():
    """A callback that keeps the logs Keras hands over after every training batch.

    Returns
    -------
    callback : keras.callbacks.LambdaCallback
        Pass it to ``fit(callbacks=[callback])``.
    records : list of dict
        Filled during ``fit``: ``{"epoch": e, "batch": b, **logs}`` per batch
        (array-valued logs, from metrics with several thresholds, are left out).

    Examples
    --------
    >>> from cmlearn.keras_run.metrics import make_count_metrics
    >>> from cmlearn.keras_run.models import logistic_model
    >>> model = logistic_model(1, metrics=make_count_metrics())
    >>> callback, records = record_batch_logs()
    >>> _ = model.fit(np.ones((4, 1)), np.array([1, 0, 1, 1]), batch_size=2, shuffle=False, verbose=0,
    ...               callbacks=[callback])
    >>> [(r["epoch"], r["batch"], r["tp"] + r["fn"]) for r in records]  # positives so far: running counts
    [(0, 0, 1.0), (0, 1, 3.0)]
    """
    keras = import_keras()
    records = []
    epoch = {"now": 0}

    def begin(index, logs=None):
        epoch["now"] = index

    def end(batch, logs=None):
        values = {k: float(np.asarray(v)) for k, v in (logs or {}).items() if np.size(v) == 1}
        records.append({"epoch": epoch["now"], "batch": batch, **values})

    return keras.callbacks.LambdaCallback(on_epoch_begin=begin, on_train_batch_end=end), records


def _bar_recorder_class():
    keras = import_keras()

    class BarRecorder(keras.callbacks.ProgbarLogger):
        """Keras's own progress bar, printing every step and keeping each line it printed."""

        def __init__(self):
            super().__init__()
            self.printed = []  # (kind, text): kind "live" during the epoch, "final" at its end

        def _keep(self, kind, call, *args):
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                call(*args)
            if buffer.getvalue().strip():
                self.printed.append((kind, buffer.getvalue()))

        def on_epoch_begin(self, epoch, logs=None):
            self._keep("epoch", super().on_epoch_begin, epoch, logs)
            if self.progbar is not None:
                self.progbar.interval = 0  # every step, not every 50 ms: the same lines on any machine

        def on_train_batch_end(self, batch, logs=None):
            self._keep("live", super().on_train_batch_end, batch, logs)

        def on_epoch_end(self, epoch, logs=None):
            self._keep("final", super().on_epoch_end, epoch, logs)

    return BarRecorder


def fit_showing_bar(model, x, y, verbose=1, **fit_kwargs):
    """``model.fit`` with Keras's progress bar captured line by line, and the batch logs kept.

    The bar is Keras's own ``ProgbarLogger``, set to print after every step
    (Keras skips lines less than 50 ms apart, which would make what is shown
    depend on the machine's speed).

    Returns
    -------
    history : keras.callbacks.History
    bar : dict
        ``"live"``: the :class:`cmlearn.progbar.BarLine` printed after each
        batch while the epoch ran (``verbose=1`` only); ``"final"``: the line
        printed at the end of each epoch (``verbose=1`` and ``verbose=2``).
    batch_logs : list of dict
        As from :func:`record_batch_logs`.
    """
    from cmlearn.progbar import parse_line

    validate_choice(verbose, "verbose", (1, 2), what="the settings that print a bar", fix="verbose=1 or verbose=2")
    recorder = _bar_recorder_class()()
    callback, batch_logs = record_batch_logs()
    callbacks = [*fit_kwargs.pop("callbacks", []), callback, recorder]
    history = model.fit(x, y, verbose=verbose, callbacks=callbacks, **fit_kwargs)
    bar = {"live": [], "final": []}
    for kind, text in recorder.printed:
        if kind in bar:
            bar[kind].append(parse_line(text))
    return history, bar, batch_logs


def epoch_table(named_counts):
    """Per-epoch counts as a table: one row per epoch, one block of columns per ``Counts``.

    >>> h = {"tp": [3.0, 4.0], "fn": [2.0, 1.0], "fp": [1.0, 1.0], "tn": [6.0, 6.0]}
    >>> print(epoch_table({"History": history_counts(h)}))
    at threshold 0.5  |  History: tp   fp   tn   fn
    epoch 1           |           3.0  1.0  6.0  2.0
    epoch 2           |           4.0  1.0  6.0  1.0
    """
    thresholds = {float(t) for counts in named_counts.values() for t in np.atleast_1d(counts.thresholds)}
    if len(thresholds) != 1:
        raise ValueError(
            f"epoch_table shows counts at one threshold; these hold {sorted(thresholds)}. "
            f"Fix: read every Counts with the same threshold, e.g. history_counts(history, threshold=0.5)."
        )
    epochs = {len(counts) for counts in named_counts.values()}
    if len(epochs) != 1:
        raise ValueError(
            f"every Counts must hold the same number of epochs; got {sorted(epochs)}. "
            f"Fix: show Counts of one fit together (its History, or per-epoch counts of the same run)."
        )
    (n_epochs,), names = epochs, list(COUNT_NAMES)
    cells = {
        label: [[f"{float(np.atleast_1d(getattr(counts, k))[e]):.1f}" for k in names] for e in range(n_epochs)]
        for label, counts in named_counts.items()
    }
    width = max(len(v) for rows in cells.values() for row in rows for v in row)
    head = f"at threshold {thresholds.pop():g}"
    left = max(len(head), len(f"epoch {n_epochs}"))
    columns = "  ".join(k.ljust(width) for k in names)
    lines = [head.ljust(left) + "".join(f"  |  {label}: " + columns for label in cells)]
    for e in range(n_epochs):
        row = f"epoch {e + 1}".ljust(left)
        for label, rows in cells.items():
            row += "  |  " + " " * (len(label) + 2) + "  ".join(v.ljust(width) for v in rows[e])
        lines.append(row)
    return "\n".join(line.rstrip() for line in lines)


def plot_history_counts(history, count="fn", rate="fnr", threshold=0.5):
    """Per epoch: one count and one rate, training against validation.

    The left panel shows that counts from data sets of different sizes do not
    compare; the right panel, that their rates do. The figure only draws what
    :func:`history_counts` and :func:`cmlearn.rates` computed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from cmlearn.ratios import RATES, rate_key, rates
    from cmlearn.style import OKABE_ITO

    validate_choice(count, "count", COUNT_NAMES)
    rate_key(rate, "rate")  # refuse an unknown rate before reading the History
    train, val = history_counts(history, "", threshold), history_counts(history, "val_", threshold)
    epochs = np.arange(1, len(train.tp) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True)
    for counts, label, colour in ((train, "training", OKABE_ITO["blue"]), (val, "validation", OKABE_ITO["orange"])):
        left.plot(epochs, getattr(counts, count), marker="o", color=colour, label=f"{label} (N = {counts.total[0]:g})")
        right.plot(epochs, getattr(rates(counts), rate), marker="o", color=colour, label=label)
    left.set(xlabel="epoch", ylabel=f"{count.upper()} (a count)", title=f"{count.upper()} per epoch")
    symbol = RATES.get(rate).symbol if rate in RATES else rate
    right.set(xlabel="epoch", ylabel=f"{symbol} (a rate)", title=f"{symbol} per epoch")
    for ax in (left, right):
        ax.set_ylim(bottom=0)  # from zero, so a small change does not look large
        ax.legend(frameon=False)
        ax.grid(alpha=0.3)
    return fig
