"""Read the numbers off Keras's progress bar, from the text it printed.

The bar is a display: what it shows can differ from the logs it was given
(see :mod:`cmlearn.behaviours`). To show a learner what *their* bar did,
``keras_run.fit_showing_bar`` captures each line it printed; :func:`parse_line` turns one
line back into its step and values, colour codes and all.

>>> line = "\\x1b[1m12/13\\x1b[0m ━━━━ 0s 3ms/step - fn: 3.8333 - loss: 0.3147 - tp: 78.8333"
>>> parse_line(line)
BarLine(step=12, steps=13, values={'fn': 3.8333, 'loss': 0.3147, 'tp': 78.8333}, text='12/13 ━━━━ 0s 3ms/step - fn:
3.8333 - loss: 0.3147 - tp: 78.8333')
>>> parse_line("13/13 - 2s - 168ms/step - tp: 140.0000").values
{'tp': 140.0}
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["BarLine", "clean", "parse_line"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_STEP = re.compile(r"^\s*(\d+)/(\d+)")
_VALUE = re.compile(r" - ([A-Za-z_][\w]*): ([-+0-9.eE]+|nan|inf)")


class BarLine(NamedTuple):
    """One printed state of the bar: its step, the step count, and the values it showed."""

    step: int
    steps: int
    values: dict
    text: str


def clean(text):
    """The text without colour codes, backspaces and carriage returns, stripped.

    >>> clean("\\b\\b\\r\\x1b[1m3/3\\x1b[0m - tp: 2.0000\\n")
    '3/3 - tp: 2.0000'
    """
    return _ANSI.sub("", re.split(r"[\r\b]", text)[-1]).strip()


def parse_line(text):
    """A :class:`BarLine` from one line the bar printed.

    Raises
    ------
    ValueError
        When the text holds no ``step/steps`` counter, naming the text.
    """
    line = clean(text)
    match = _STEP.match(line)
    if not match:
        raise ValueError(
            f"not a progress-bar line (no 'step/steps' at its start): {line!r}. "
            f"Fix: pass one line the bar printed, e.g. from fit_showing_bar's bar['live']."
        )
    values = {name: float(value) for name, value in _VALUE.findall(line)}
    return BarLine(int(match.group(1)), int(match.group(2)), values, line)
