"""Check a learner's answer against one computed from the data, with a hint.

("Check" in cmlearn means this: grading a stated answer. Arguments are
*validated*, by :mod:`cmlearn.validation`.)

Every check recomputes the right answer from the data it is given (with
:func:`cmlearn.numpy_counts` and :func:`cmlearn.rates`), compares, and prints
one line: ``✅ Correct: ...`` or ``❌ Not yet: ...`` followed by a hint aimed
at the likely misconception (a count read as a fraction, ``>=`` used for
``>``, the complement rate, per-batch averaging, forgotten weights, a figure
copied from a source instead of computed, ...). It returns a :class:`Verdict`,
true when the answer passed, which a notebook does not display: the printed
line is all a learner sees.

A check never raises, whatever the answer (``None``, text, arrays of the
wrong shape, objects of any kind), and never evaluates a learner's strings.
No check imports TensorFlow.

>>> y_true, y_pred = [0, 1, 1, 0], [0.2, 0.9, 0.5, 0.7]
>>> check_count("fn", 1, y_true, y_pred)
✅ Correct: FN = 1 at threshold 0.5.
Verdict(passed=True)
>>> check_count("fn", 0.5, y_true, y_pred)
❌ Not yet: FN: Keras's FalseNegatives returns a count, not a fraction. Your 0.5 equals FN / (FN + TP), a rate.
Count the samples instead: false negatives are samples with label 1 and y_pred <= threshold.
Verdict(passed=False)

One argument order for every check: the name of what is graded first when
the check takes one (``check_count("fn", answer, ...)``,
``check_highest_threshold("recall", answer, ...)``), then the answer, then
the data, then the settings (threshold, column, costs, ...).

One module per subject, each taking its rules from the module that owns them:

- :mod:`~cmlearn.checks.base`: the shared machinery (:class:`Verdict`, the
  printed line, the never-raise wrapper, reading an answer, matching it to the
  likely mistakes, the names of counts and rates);
- :mod:`~cmlearn.checks.count`: one count, all four, the 2×2 matrix;
- :mod:`~cmlearn.checks.rate`: one rate, a rate pooled over batches;
- :mod:`~cmlearn.checks.threshold`: the cheapest threshold, the highest one reaching a rate;
- :mod:`~cmlearn.checks.merged`: a count over parts (batches, replicas);
- :mod:`~cmlearn.checks.column`: counts of (N, K) outputs, flattened or one column;
- :mod:`~cmlearn.checks.grid`: ``AUC`` and the "at" metrics on Keras's grid;
- :mod:`~cmlearn.checks.history`: a count after ``fit``, and ``History``'s entries.
"""

from cmlearn.checks.base import HINT_MARK, PASS_MARK, Verdict
from cmlearn.checks.column import check_column_count, check_flattened_count
from cmlearn.checks.count import check_count, check_counts, check_matrix
from cmlearn.checks.grid import check_at_metric, check_keras_auc
from cmlearn.checks.history import check_history_count
from cmlearn.checks.merged import check_merged_count
from cmlearn.checks.rate import RATE_TOLERANCE, check_pooled_rate, check_pooled_recall, check_rate
from cmlearn.checks.threshold import check_highest_threshold, check_threshold_by_cost

__all__ = [
    "Verdict",
    "PASS_MARK",
    "HINT_MARK",
    "RATE_TOLERANCE",
    "check_count",
    "check_counts",
    "check_matrix",
    "check_rate",
    "check_pooled_rate",
    "check_pooled_recall",
    "check_threshold_by_cost",
    "check_highest_threshold",
    "check_merged_count",
    "check_flattened_count",
    "check_column_count",
    "check_keras_auc",
    "check_at_metric",
    "check_history_count",
]
