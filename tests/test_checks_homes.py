"""The grader takes each rule from its home (issue 21, item 1), held on random data.

``cmlearn/checks/`` says (its package docstring, and ``rate``, ``count``
and ``grid``'s): every formula in a hint is :func:`cmlearn.ratios.formula_text`'s,
every rate it accepts is :func:`cmlearn.rates`'s, the "at" metrics read
:func:`cmlearn.grid_metrics.at_metric_rates` (Keras's float32 table), and
every check that takes a name takes it first. Each test below is named for
one of those sentences and would fail on a hand-written copy of the rule.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import math

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st
from strategies import GRID, PROPERTY, SLOW_PROPERTY, binary_samples, float32_steps

from cmlearn import checks, numpy_counts, rates
from cmlearn.checks.base import COUNT_TOLERANCE, HINT_MARK, PASS_MARK
from cmlearn.counts import COUNT_NAMES, Counts
from cmlearn.grid_metrics import AT_METRICS, at_metric_rates, grid_counts
from cmlearn.ratios import ALIASES, RATES, formula_text

TOLERANCE = checks.RATE_TOLERANCE
RATE_NAMES = sorted([*RATES, *ALIASES])
#: A count's own rates: the rates of RATES with that count alone on top (FN / (FN + TP) for FN).
OWN_RATES = {c: [r for r, spec in RATES.items() if spec.numerator == ((c, 1),)] for c in COUNT_NAMES}


def _quiet(call, *args, **kwargs):
    """(verdict, printed line) of a check."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        verdict = call(*args, **kwargs)
    return verdict, out.getvalue()


# Counts of any size: whole numbers, float32 sums of fractional weights, and zeros (undefined rates).
count_values = st.integers(0, 50).map(float) | st.floats(0, 1e4, allow_nan=False, width=32) | st.just(0.0)
one_threshold_counts = st.builds(
    lambda tp, fp, tn, fn: Counts(tp=tp, fp=fp, tn=tn, fn=fn, thresholds=0.5),
    count_values,
    count_values,
    count_values,
    count_values,
)


# ------------------------------------------------------------------ rates: ratios.RATES and formula_text


@PROPERTY
@given(one_threshold_counts, st.sampled_from(RATE_NAMES))
def test_check_rate_accepts_the_value_of_ratios_rates_and_names_the_formula_as_formula_text_writes_it(counts, name):
    """checks/rate.py: "The right answer is cmlearn.rates; every rate, its formula and its complement come from
    cmlearn.ratios.RATES and formula_text. Rates pass within RATE_TOLERANCE"."""
    key = ALIASES.get(name, name)
    right = float(rates(counts)[key])
    verdict, line = _quiet(checks.check_rate, name, right, counts)
    assert verdict and line.startswith(PASS_MARK) and formula_text(key) in line, line
    if math.isnan(right):  # undefined (0/0): nan is the answer, and no number passes
        assert not _quiet(checks.check_rate, name, 0.5, counts)[0]
        return
    for offset, passes in [(0.9, True), (-0.9, True), (1.1, False), (-1.1, False)]:
        verdict, line = _quiet(checks.check_rate, name, right + offset * TOLERANCE, counts)
        assert bool(verdict) is passes, (offset, line)


@PROPERTY
@given(one_threshold_counts, st.sampled_from(RATE_NAMES), st.sampled_from(sorted(RATES)))
def test_an_answer_equal_to_another_rate_gets_that_rates_formula_as_formula_text_writes_it(counts, name, other):
    """checks/rate.py: the hint for another rate's value ("your answer equals <formula>. You want <formula>.",
    or the complement's) names both formulas as cmlearn.ratios.formula_text writes them."""
    key = ALIASES.get(name, name)
    r = rates(counts)
    assume(other != key and key not in r.undefined and other not in r.undefined)
    answer = float(r[other])
    assume(abs(answer - float(r[key])) > TOLERANCE)
    verdict, line = _quiet(checks.check_rate, name, answer, counts)
    assert not verdict and line.startswith(HINT_MARK), line
    assert f"You want {formula_text(key)}." in line, line
    named = [o for o in RATES if o != key and formula_text(o) in line]
    assert named, line
    assert any(abs(float(r[o]) - answer) <= TOLERANCE for o in named), (named, answer, line)


@PROPERTY
@given(binary_samples(weights="any"), st.sampled_from(GRID), st.sampled_from([c for c in COUNT_NAMES if OWN_RATES[c]]))
def test_a_count_given_as_its_rate_gets_that_rates_division_as_formula_text_writes_it(sample, threshold, key):
    """checks/count.py: "each rate of cmlearn.ratios.RATES with this count alone on top (with its formula_text)":
    a count answered with such a rate's value gets "Your <answer> equals <the rate's division>, a rate"."""
    y_true, y_pred, weights = sample
    counts = numpy_counts(y_true, y_pred, threshold, weights)
    r = rates(counts)
    rate = OWN_RATES[key][0] if len(OWN_RATES[key]) == 1 else OWN_RATES[key][int(y_true.sum()) % 2]
    assume(rate not in r.undefined)
    answer = float(r[rate])
    assume(abs(answer - float(getattr(counts, key))) > COUNT_TOLERANCE.atol + COUNT_TOLERANCE.rtol * answer)
    verdict, line = _quiet(checks.check_count, key, answer, y_true, y_pred, threshold, weights)
    assert not verdict and "not a fraction" in line, line
    named = [o for o in OWN_RATES[key] if f"equals {formula_text(o).partition(' = ')[2]}, a rate" in line]
    assert named, line
    assert any(math.isclose(float(r[o]), answer, rel_tol=1e-6, abs_tol=COUNT_TOLERANCE.atol) for o in named), line


# ------------------------------------------------------------------ one argument order

#: The parameters that name what a check grades ("fn", "recall", "sensitivity_at_specificity").
NAME_PARAMETERS = {"name", "rate", "metric", "count", "key"}


def argument_order_problems(functions):
    """Checks that take a name but not first, or whose answer does not come right after it (or first)."""
    problems = []
    for function in functions:
        parameters = list(inspect.signature(function).parameters)
        takes_name = [p for p in parameters if p in NAME_PARAMETERS]
        wanted = [*takes_name[:1], "answer"]
        if len(takes_name) > 1 or parameters[: len(wanted)] != wanted:
            problems.append(f"{function.__name__}({', '.join(parameters)}): want ({', '.join(wanted)}, ...)")
    return problems


def _public_checks():
    found = [getattr(checks, name) for name in checks.__all__ if name.startswith("check_")]
    assert all(inspect.isfunction(f) for f in found) and len(found) >= 10
    return found


def test_every_check_that_takes_a_name_takes_it_first_then_the_answer():
    """cmlearn/checks/__init__.py: "One argument order for every check: the name of what is graded first when the
    check takes one (...), then the answer, then the data, then the settings"."""
    problems = argument_order_problems(_public_checks())
    assert not problems, "\n".join(problems)
    assert sum(1 for f in _public_checks() if next(iter(inspect.signature(f).parameters)) == "name") >= 5


def test_the_argument_order_rule_can_fail():
    # The order check_at_metric and check_highest_threshold had before issue 21, and a name passed twice.
    def check_at_metric(answer, name, counts, value): ...

    def check_highest_threshold(answer, y_true, y_pred, thresholds, rate="recall"): ...

    def check_twice(name, answer, rate): ...

    def check_counts(answer, y_true, y_pred): ...

    found = argument_order_problems([check_at_metric, check_highest_threshold, check_twice, check_counts])
    assert [p.partition("(")[0] for p in found] == ["check_at_metric", "check_highest_threshold", "check_twice"]


# ------------------------------------------------------------------ the "at" metrics: Keras's float32 table


def _float64_answer(counts, name, value):
    """The "at" metric from a float64 rate table compared with the float64 value: what the grader must NOT use."""
    _, constrained, dependent = AT_METRICS[name]
    tp, fp, tn, fn = (np.asarray(getattr(counts, c), dtype=np.float64) for c in ("tp", "fp", "tn", "fn"))

    def divide(a, b):
        return np.divide(a, b, out=np.zeros_like(a), where=b != 0)

    table = {
        "sensitivity": divide(tp, tp + fn),
        "recall": divide(tp, tp + fn),
        "specificity": divide(tn, tn + fp),
        "precision": divide(tp, tp + fp),
    }
    feasible = table[constrained] >= value
    return float(np.max(np.where(feasible, table[dependent], 0.0), initial=0.0))


# Two thirds of three negatives at 0.5: the float32 specificity 0.6666667 is above 2/3, so the bound
# float(float32(2/3)) keeps that threshold in float32 (sensitivity 1.0) and drops it in float64 (0.5).
_NEAR_TIE = (np.array([0, 0, 0, 1, 1]), np.float32([0.1, 0.2, 0.8, 0.6, 0.9]), None)


@SLOW_PROPERTY
@given(
    sample=binary_samples(min_size=2, max_size=30, weights="any"),
    name=st.sampled_from(sorted(AT_METRICS)),
    num_thresholds=st.integers(3, 12),
    pick=st.integers(0, 10**6),
    steps=st.integers(-1, 1),
)
@example(sample=_NEAR_TIE, name="sensitivity_at_specificity", num_thresholds=3, pick=1, steps=0)
@example(sample=(np.array([0, 0]), np.float32([0, 0]), None), name="specificity_at_sensitivity", num_thresholds=3,
         pick=0, steps=1)  # a subnormal bound, 1e-45: TensorFlow's CPU compares it as 0
def test_the_at_metrics_grader_reads_keras_float32_rate_table_at_near_ties(sample, name, num_thresholds, pick, steps):
    """cmlearn/checks/grid.py: "Everything comes from cmlearn.grid_metrics, which rebuilds these metrics bit-equal
    to Keras: ... the "at" metrics' rate table (at_metric_rates)": with a bound on a float32 rate (or one float32
    step beside it), the grader passes the real metric's result() and refuses a float64 table's answer when it
    differs."""
    from cmlearn.keras_run.grid import keras_at_metric

    y_true, y_pred, weights = sample
    _, constrained, _ = AT_METRICS[name]
    on_grid = at_metric_rates(grid_counts(y_true, y_pred, num_thresholds, "at", weights))[constrained]
    value = min(max(float32_steps(float(on_grid[pick % len(on_grid)]), steps), 0.0), 1.0)
    run = keras_at_metric(name, value, y_true, y_pred, num_thresholds, weights)
    verdict, line = _quiet(checks.check_at_metric, name, run.result, run.counts, value)
    assert verdict and line.startswith(PASS_MARK), (value, run.result, line)
    float64 = _float64_answer(run.counts, name, value)
    if abs(float64 - run.result) > 1e-6:
        verdict, line = _quiet(checks.check_at_metric, name, float64, run.counts, value)
        assert not verdict, (value, run.result, float64, line)


def test_the_near_tie_example_is_one_where_a_float64_table_answers_otherwise():
    # The @example above must exercise the float32 rule: on it the float64 table's answer is not Keras's.
    from cmlearn.keras_run.grid import keras_at_metric

    y_true, y_pred, _ = _NEAR_TIE
    value = float(np.float32(2 / 3))
    run = keras_at_metric("sensitivity_at_specificity", value, y_true, y_pred, num_thresholds=3)
    assert abs(_float64_answer(run.counts, "sensitivity_at_specificity", value) - run.result) > 0.1
