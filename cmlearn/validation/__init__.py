"""Every argument check, before anything reaches Keras, with an error that says what to fix.

Keras accepts many inputs that make its counts silently wrong: labels other
than 0 and 1 are cast to bool, logits are compared with a probability
threshold, NaN scores become negatives. Every public function in cmlearn
passes its inputs through :func:`validate_inputs` and :func:`validate_thresholds`
first, and its other arguments through the ``validate_*`` functions below, so
a learner gets an error that names the argument, shows the bad value (and
where it is) and ends with ``Fix: ...``. A wrong type (a bool or text where a
number is asked for, a number where a name is) raises ``TypeError``; a wrong
value of the right type raises ``ValueError``.

Three modules, one import: ``from cmlearn.validation import validate_choice``.

- :mod:`~cmlearn.validation.samples`: labels, scores and weights
  (``validate_inputs``, ``validate_labels``, ``validate_columns``);
- :mod:`~cmlearn.validation.thresholds`: ``validate_thresholds``, ``validate_one_threshold``;
- :mod:`~cmlearn.validation.values`: single values: ``validate_whole_number``,
  ``validate_number`` (a range), ``validate_choice`` (names or numbers),
  ``validate_text``, ``validate_zero_division``, ``validate_cost``,
  ``validate_counts``, ``validate_separate_metrics``, ``validate_top_k``;
  ``refuse_unknown_attribute`` for a module's lazy ``__getattr__``.

>>> validate_inputs([0, 2], [0.1, 0.2])
Traceback (most recent call last):
...
ValueError: y_true must hold only the labels 0 and 1, but y_true[1] is 2. Keras casts labels to bool, so it would
silently count this sample as a positive. Fix: turn your labels into 0/1 first, e.g.
y_true = (labels == positive_class).astype(int).
"""

from cmlearn.validation.samples import validate_columns, validate_inputs, validate_labels
from cmlearn.validation.thresholds import validate_one_threshold, validate_thresholds
from cmlearn.validation.values import (
    refuse_unknown_attribute,
    validate_choice,
    validate_cost,
    validate_counts,
    validate_number,
    validate_separate_metrics,
    validate_text,
    validate_top_k,
    validate_whole_number,
    validate_zero_division,
)

__all__ = [
    "validate_inputs",
    "validate_labels",
    "validate_columns",
    "validate_thresholds",
    "validate_one_threshold",
    "validate_whole_number",
    "validate_number",
    "validate_choice",
    "validate_text",
    "validate_counts",
    "validate_zero_division",
    "validate_cost",
    "validate_separate_metrics",
    "validate_top_k",
    "refuse_unknown_attribute",
]
