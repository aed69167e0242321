"""Bad input gets an error naming the argument, the bad value and the fix."""

import warnings
from decimal import Decimal

import ml_dtypes  # noqa: F401  (registers bfloat16 with NumPy; TensorFlow depends on it)
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import PROPERTY

import cmlearn
from cmlearn.counts import Float32RangeWarning
from cmlearn.validation import (
    validate_choice,
    validate_cost,
    validate_counts,
    validate_number,
    validate_one_threshold,
    validate_text,
    validate_whole_number,
    validate_zero_division,
)

OK_T, OK_P = [0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4]

# (description, kwargs, error type, words the message must contain)
BAD_INPUTS = [
    ("label 2", dict(y_true=[0, 2, 1, 0]), ValueError, ["y_true", "y_true[1] is 2", "0 and 1", "Fix"]),
    ("label -1", dict(y_true=[0, 1, -1, 0]), ValueError, ["y_true[2] is -1", "Fix"]),
    ("soft label", dict(y_true=[0, 0.3, 1, 0]), ValueError, ["y_true[1] is 0.3", "soft label", "bool"]),
    ("NaN label", dict(y_true=[0, np.nan, 1, 0]), ValueError, ["y_true", "y_true[1] is nan", "finite"]),
    ("string labels", dict(y_true=["a", "b", "a", "b"]), TypeError, ["y_true", "numbers", "'a'"]),
    ("None labels", dict(y_true=None), TypeError, ["y_true is None"]),
    ("a logit", dict(y_pred=[0.1, 2.3, 0.6, 0.4]), ValueError, ["y_pred[1] is 2.3", "logits", "sigmoid"]),
    ("a negative score", dict(y_pred=[0.1, -0.2, 0.6, 0.4]), ValueError, ["y_pred[1] is -0.2", "sigmoid"]),
    (
        "NaN score",
        dict(y_pred=[0.1, 0.9, np.nan, 0.4]),
        ValueError,
        ["y_pred[2] is nan", "NaN score as a negative", "Fix"],
    ),
    ("infinite score", dict(y_pred=[np.inf, 0.9, 0.6, 0.4]), ValueError, ["y_pred[0] is inf"]),
    ("lengths differ", dict(y_pred=[0.1, 0.9, 0.6]), ValueError, ["y_true has 4", "y_pred has 3", "same samples"]),
    ("empty", dict(y_true=[], y_pred=[]), ValueError, ["y_true is empty", "at least one"]),
    ("one number", dict(y_true=1, y_pred=0.7), ValueError, ["y_true is a single number", "one entry per sample"]),
    (
        "one-hot labels",
        dict(y_true=np.eye(3)[[0, 1, 2, 1]], y_pred=np.full((4, 3), 1 / 3)),
        ValueError,
        ["y_true has shape (4, 3)", "more than one column", "y_true[:, j]"],
    ),
    ("threshold 50", dict(thresholds=50), ValueError, ["thresholds[0] is 50", "[0, 1]", "0.5"]),
    ("threshold -0.1 in a list", dict(thresholds=[0.2, -0.1]), ValueError, ["thresholds[1] is -0.1"]),
    ("NaN threshold", dict(thresholds=[np.nan]), ValueError, ["thresholds[0] is nan"]),
    ("empty thresholds", dict(thresholds=[]), ValueError, ["thresholds is empty"]),
    ("2-D thresholds", dict(thresholds=[[0.1, 0.2]]), ValueError, ["thresholds", "flat list", "shape (1, 2)"]),
    ("string threshold", dict(thresholds="0.5"), TypeError, ["thresholds", "'0.5'"]),
    ("bool threshold", dict(thresholds=True), TypeError, ["thresholds", "booleans"]),
    (
        "negative weight",
        dict(sample_weight=[1, -2, 1, 1]),
        ValueError,
        ["sample_weight[1] is -2", "non-negative", "0 to leave"],
    ),
    ("NaN weight", dict(sample_weight=[1, 1, np.nan, 1]), ValueError, ["sample_weight[2] is nan"]),
    ("short weights", dict(sample_weight=[1, 1]), ValueError, ["sample_weight", "one weight per sample (4)", "has 2"]),
    ("text weights", dict(sample_weight=["heavy"] * 4), TypeError, ["sample_weight", "numbers"]),
    ("a None score", dict(y_pred=[0.1, 0.9, None, 0.4]), TypeError, ["y_pred[2] is None", "Fix"]),
    (
        "label 2 in a column",
        dict(y_true=[[0], [1], [2], [0]], y_pred=[[0.1], [0.9], [0.6], [0.4]]),
        ValueError,
        ["y_true[2, 0] is 2"],
    ),
    (
        "a row, not a column",
        dict(y_true=[[0, 1, 1, 0]], y_pred=[OK_P]),
        ValueError,
        ["shape (1, 4)", "one row", "np.ravel(y_true)"],
    ),
    (
        "3-D labels",
        dict(y_true=np.zeros((4, 1, 1)), y_pred=np.zeros((4, 1, 1))),
        ValueError,
        ["shape (4, 1, 1)", "reshape"],
    ),
    (
        "a score just above 1",
        dict(y_pred=[0.1, 1.0001, 0.6, 0.4]),
        ValueError,
        ["y_pred[1] is 1.0001", "just outside", "np.clip"],
    ),
    (
        "NaN weight for all",
        dict(sample_weight=float("nan")),
        ValueError,
        ["sample_weight must be finite, but it is nan", "A NaN"],
    ),
    (
        "infinite weight",
        dict(sample_weight=[1, np.inf, 1, 1]),
        ValueError,
        ["sample_weight[1] is inf", "NaN or infinite"],
    ),
    (
        "a weight beyond float32",
        dict(sample_weight=[1, 1e39, 1, 1]),
        ValueError,
        ["sample_weight[1] is 1e+39", "float32", "rescale"],
    ),
    (
        "weights per class",
        dict(sample_weight=np.ones((4, 2))),
        ValueError,
        ["shape (4, 2)", "several weights per sample"],
    ),
]


@pytest.mark.parametrize("counter", [cmlearn.numpy_counts, cmlearn.keras_counts], ids=["numpy", "keras"])
@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_refused_with_a_clear_message(counter, case):
    _, overrides, error, words = case
    kwargs = dict(y_true=OK_T, y_pred=OK_P, thresholds=0.5, sample_weight=None) | overrides
    with pytest.raises(error) as info:
        counter(**kwargs)
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"
    # Nothing from deep inside TensorFlow: our own frame raised it.
    assert "tensorflow" not in info.traceback[-1].path.as_posix()


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        ([True, False], [0.9, 0.2]),
        (np.array([[1], [0]]), np.array([[0.9], [0.2]])),
        (np.array([1, 0], dtype=np.uint8), np.array([1, 0], dtype=np.int32)),
        ((1.0, 0.0), (0.9, 0.0)),
        (np.array([1, 0], dtype=object), np.array([0.9, 0.2], dtype=object)),
        ([1, 0], np.array([0.9, 0.2], dtype="bfloat16")),  # mixed-precision model outputs
        ([1, 0], [0.9, -1e-50]),  # -0.0 in float32, as Keras sees it
        ([1, 0], [1 + 1e-12, 0.2]),  # 1.0 in float32
    ],
)
def test_valid_inputs_are_accepted(y_true, y_pred):
    c = cmlearn.numpy_counts(y_true, y_pred)
    assert (c.tp, c.tn, c.total) == (1.0, 1.0, 2.0)


def test_scalar_weight_broadcasts_and_zero_weight_masks():
    c = cmlearn.numpy_counts(OK_T, OK_P, sample_weight=[1, 0, 1, 1])
    assert (c.tp, c.total) == (1.0, 3.0)
    assert cmlearn.numpy_counts(OK_T, OK_P, sample_weight=3).total == 12.0


def test_rates_refuses_bad_zero_division_and_non_counts():
    counts = cmlearn.numpy_counts(OK_T, OK_P)
    with pytest.raises(ValueError, match=r"zero_division must be 0, 1 or nan.*'warn'.*Fix: pass 0"):
        cmlearn.rates(counts, zero_division="warn")
    with pytest.raises(TypeError, match=r"counts must be a cmlearn Counts.*got dict"):
        cmlearn.rates({"tp": 1})


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: validate_one_threshold([0.2, 0.5]), ValueError, "threshold must be one number"),
        (lambda: validate_one_threshold(1.5), ValueError, "thresholds must lie in"),
        (
            lambda: validate_whole_number(2.0, "bins"),
            TypeError,
            r"bins must be a whole number >= 1, but got 2.0 \(float\)",
        ),
        (
            lambda: validate_whole_number(True, "bins"),
            TypeError,
            r"bins must be a whole number >= 1, but got True \(bool\)",
        ),
        (lambda: validate_whole_number("3", "bins"), TypeError, r"but got '3' \(str\)\. Fix: e\.g\. bins=1\."),
        (
            lambda: validate_whole_number(-1, "column", 0, None, 2),
            ValueError,
            "column must be a whole number from 0 to 2",
        ),
        (
            lambda: validate_whole_number(3, "column", 0, None, 2),
            ValueError,
            "from 0 to 2, but got 3. Fix: e.g. column=0.",
        ),
        (lambda: validate_whole_number(1, "n_devices", minimum=2), ValueError, ">= 2, but got 1"),
        (lambda: validate_counts([1, 2, 3, 4]), TypeError, "must be a cmlearn Counts"),
        (
            lambda: validate_counts(cmlearn.numpy_counts([1], [0.9], [0.2, 0.5]), thresholds="one"),
            ValueError,
            "one threshold",
        ),
        (lambda: validate_counts(cmlearn.numpy_counts([1], [0.9]), thresholds="sweep"), ValueError, "sweep"),
        (lambda: validate_zero_division(0.5), ValueError, "zero_division must be 0, 1 or nan"),
        (lambda: validate_zero_division(True), TypeError, r"but got True \(bool\)"),
        (lambda: validate_zero_division("1"), TypeError, r"but got '1' \(str\)"),
        (lambda: validate_zero_division(None), TypeError, r"but got None \(NoneType\)"),
        (lambda: validate_cost(float("inf"), "cost_fn"), ValueError, "cost_fn must be a finite number"),
        (lambda: validate_cost("1", "cost_fp"), TypeError, "cost_fp must be a number"),
    ],
)
def test_every_scalar_check_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_scalar_checks_return_clean_values():
    assert validate_one_threshold(np.float32(0.25)) == 0.25
    assert (
        validate_whole_number(np.int64(3), "batch_size") == 3 and type(validate_whole_number(np.int64(3), "b")) is int
    )
    assert np.isnan(validate_zero_division(float("nan"))) and validate_zero_division(1) == 1.0
    counts = cmlearn.numpy_counts([1], [0.9])
    assert validate_counts(counts, thresholds="one") is counts


# Issue 13, items 3-6, one table. Each row: (case, kwargs for the counter, expected), where expected is
# either (error type, words the message must hold) or {count: value} that both counters must give.
EDGE_CASES = [
    # 3: only a count that would overflow float32 is refused, not large weights as such.
    (
        "huge weights, one per cell",
        dict(y_true=[1, 0], y_pred=[0.9, 0.1], sample_weight=[2e38, 2e38]),
        {"tp": 2e38, "tn": 2e38},
    ),
    (
        "huge weights in one cell",
        dict(y_true=[1, 1], y_pred=[0.9, 0.8], sample_weight=[2e38, 2e38]),
        (ValueError, ["sample_weight", "TP would be 4e+38", "float32's largest", "inf", "Fix: rescale"]),
    ),
    # 4: messages that point at the real mistake.
    ("thresholds [None]", dict(thresholds=[None]), (TypeError, ["thresholds[0] is None", "Keras cannot take", "Fix"])),
    (
        "a Decimal threshold",
        dict(thresholds=Decimal("0.5")),
        (TypeError, ["thresholds is Decimal('0.5')", "float(Decimal('0.5'))"]),
    ),
    ("a set of thresholds", dict(thresholds={0.5}), (TypeError, ["a set, {0.5}", "no order", "sorted({0.5})"])),
    (
        "multi-label grid",
        dict(y_true=np.eye(3)[[0, 1, 2, 1]], y_pred=np.full((4, 3), 0.4)),
        (
            ValueError,
            ["y_true has shape (4, 3)", "y_true[:, j]", "np.ravel(y_true) and np.ravel(y_pred)", "micro-averaged"],
        ),
    ),
    (
        "percentages",
        dict(y_pred=[10.0, 90.0, 60.0, 40.0]),
        (ValueError, ["y_pred[0] is 10.0", "[0, 100]", "percentages", "y_pred = y_pred / 100"]),
    ),
    (
        "logits still logits",
        dict(y_pred=[-2.0, 30.0, 0.5, 0.1]),
        (ValueError, ["y_pred[0] is -2.0", "logits", "sigmoid"]),
    ),
    (
        "small positive logits",
        dict(y_pred=[0.2, 3.0, 0.5, 0.1]),
        (ValueError, ["y_pred[1] is 3.0", "logits", "sigmoid"]),
    ),
    (
        "swapped arguments",
        dict(y_true=[0.1, 0.9, 0.6, 0.4], y_pred=[0, 1, 1, 0]),
        (ValueError, ["y_true[0] is 0.1", "look swapped", "(y_true, y_pred)", "Fix: swap them"]),
    ),
    (
        "text labels",
        dict(
            y_true=np.array(["benign", "malignant", "malignant", "benign", "benign"]), y_pred=[0.1, 0.9, 0.6, 0.4, 0.2]
        ),
        (TypeError, ["'benign', 'malignant'", "(np.asarray(y_true) == 'malignant').astype(int)"]),
    ),
    (
        "text labels in an object array",
        dict(y_true=np.array(["no", "yes", "no", "no"], dtype=object)),
        (TypeError, ["text labels ('no', 'yes')", "== 'yes'"]),
    ),
    # 6: one weight in a list is broadcast, as Keras does; an empty thresholds list is refused.
    ("one weight in a list", dict(sample_weight=[2.5]), {"tp": 5.0, "fp": 0.0, "tn": 5.0, "fn": 0.0}),
    ("one weight in a column", dict(sample_weight=[[2.0]]), {"tp": 4.0, "tn": 4.0}),
    (
        "empty thresholds",
        dict(thresholds=[]),
        (ValueError, ["thresholds is empty ([])", "Keras would return an empty array", "Fix: pass one number"]),
    ),
]


@pytest.mark.parametrize("counter", [cmlearn.numpy_counts, cmlearn.keras_counts], ids=["numpy", "keras"])
@pytest.mark.parametrize("case", EDGE_CASES, ids=[c[0] for c in EDGE_CASES])
def test_issue_13_edges(counter, case):
    _, overrides, expected = case
    kwargs = dict(y_true=OK_T, y_pred=OK_P, thresholds=0.5, sample_weight=None) | overrides
    if isinstance(expected, dict):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Float32RangeWarning)  # 2e38 is past 2**24 too; tested in test_counts
            counts = counter(**kwargs)
        assert {k: getattr(counts, k) for k in expected} == pytest.approx(expected, rel=1e-7)
        return
    error, words = expected
    with pytest.raises(error) as info:
        counter(**kwargs)
    for word in words:
        assert word in str(info.value), f"{word!r} missing from: {info.value}"


def test_one_weight_in_a_list_counts_as_keras_broadcasts_it():
    keras = cmlearn.keras_run.backend.import_keras()
    metric = keras.metrics.TrueNegatives()
    metric.update_state(OK_T, OK_P, sample_weight=[2.5])
    assert cmlearn.keras_counts(OK_T, OK_P, sample_weight=[2.5]).tn == float(metric.result()) == 5.0


# The validators added for issue 21: a number in a range, a choice, a text; one rule for the exception type.
@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (
            lambda: validate_number(1.5, "prevalence", low=0, high=1),
            ValueError,
            "prevalence must be in [0, 1], but got 1.5",
        ),
        (
            lambda: validate_number(0, "step", low=0, high=1, inclusive="right"),
            ValueError,
            "step must be in (0, 1], but got 0",
        ),
        (lambda: validate_number(1, "value", low=0, high=1, inclusive="left"), ValueError, "in [0, 1), but got 1"),
        (lambda: validate_number(float("nan"), "separation", low=0), ValueError, "a finite number >= 0, but got nan"),
        (lambda: validate_number(float("inf"), "separation", low=0), ValueError, "but got inf"),
        (lambda: validate_number(-1.0, "scale", low=0, inclusive="neither"), ValueError, "a finite number > 0"),
        (
            lambda: validate_number(2, "x", high=1),
            ValueError,
            "x must be a finite number <= 1, but got 2. Fix: e.g. x=0.",
        ),
        (lambda: validate_number(True, "prevalence", low=0, high=1), TypeError, "but got True (bool)"),
        (lambda: validate_number(np.bool_(False), "prevalence", low=0, high=1), TypeError, "but got False (bool)"),
        (lambda: validate_number("0.3", "prevalence"), TypeError, "prevalence must be a number, but got '0.3' (str)"),
        (lambda: validate_number(None, "prevalence"), TypeError, "but got None (NoneType)"),
        (lambda: validate_number(Decimal("0.5"), "value"), TypeError, "but got Decimal('0.5') (Decimal)"),
        (lambda: validate_number([0.5], "value"), TypeError, "but got [0.5] (list)"),
        (
            lambda: validate_number(-1, "c", low=0, why="A cost is a price."),
            ValueError,
            "got -1. A cost is a price. Fix:",
        ),
        (lambda: validate_number(2, "v", low=0, high=1, fix="divide by 100"), ValueError, "got 2. Fix: divide by 100."),
        (lambda: validate_number(0.5, "v", inclusive="all"), ValueError, "inclusive must be one of 'both', 'neither'"),
        (
            lambda: validate_choice("x", "kind", ("auc", "at")),
            ValueError,
            "kind must be one of 'auc', 'at', but got 'x'.",
        ),
        (
            lambda: validate_choice(None, "kind", ("auc", "at")),
            TypeError,
            "but got None (NoneType). Fix: e.g. kind='auc'.",
        ),
        (
            lambda: validate_choice(1, "kind", ("auc", "at")),
            TypeError,
            "kind must be one of 'auc', 'at', but got 1 (int)",
        ),
        (
            lambda: validate_choice(3, "verbose", (1, 2)),
            ValueError,
            "verbose must be one of 1, 2, but got 3. Fix: e.g.",
        ),
        (lambda: validate_choice(True, "verbose", (1, 2)), TypeError, "but got True (bool)"),
        (lambda: validate_choice(1.5, "verbose", (1, 2)), ValueError, "but got 1.5."),
        (lambda: validate_choice("x", "k", {"a": 1}, what="the letters"), ValueError, "one of 'a' (the letters), but"),
        (
            lambda: validate_choice("x", "k", ("a",), fix="leave the default"),
            ValueError,
            "got 'x'. Fix: leave the default.",
        ),
        (lambda: validate_choice(["auc"], "kind", ("auc", "at")), TypeError, "but got ['auc'] (list)"),
        (lambda: validate_text(3, "prefix"), TypeError, "prefix must be a string, but got 3 (int). Fix: e.g."),
        (lambda: validate_text("", "prefix", empty=False), ValueError, "prefix must be a non-empty string, but got ''"),
    ],
)
def test_each_new_check_refuses_with_the_argument_the_value_and_the_fix(call, error, words):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert words in message, f"{words!r} missing from: {message}"
    assert "Fix: " in message and message.endswith("."), message


def test_the_new_checks_return_clean_values():
    assert validate_number(np.float32(0.25), "p", low=0, high=1) == 0.25 and type(validate_number(1, "p")) is float
    assert validate_number(np.asarray(0.5), "p", low=0, high=1) == 0.5  # a 0-d array of a number
    assert validate_number(0, "p", low=0, high=1) == 0.0 and validate_number(1, "p", low=0, high=1) == 1.0
    assert (
        validate_choice(np.str_("at"), "kind", ("auc", "at")) == "at"
        and type(validate_choice(np.str_("at"), "k", ("at",))) is str
    )
    assert validate_choice(np.int64(2), "verbose", (1, 2)) == 2 and validate_choice(2.0, "verbose", (1, 2)) == 2
    assert validate_choice("b", "k", {"a": 0, "b": 1}) == "b"
    assert validate_text("", "prefix") == ""


# Hypothesis: the general sentences of validation.values' docstring ("a wrong type raises TypeError, a wrong value
# of the right type ValueError", "a bool is never taken for a number", "every message ... ends with Fix: ...").
ANY_VALUE = (
    st.booleans()
    | st.integers(-10, 10)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(-2, 2, width=32).map(np.float32)
    | st.text(max_size=3)
    | st.none()
    | st.lists(st.integers(0, 2), max_size=2)
)
BOUNDS = st.none() | st.floats(-5, 5, allow_nan=False) | st.integers(-5, 5)


def _assert_clear(message, name):
    assert message.startswith(f"{name} must be "), message
    assert "Fix: " in message and message.endswith(".") and ".." not in message, message


@PROPERTY
@given(value=ANY_VALUE, low=BOUNDS, high=BOUNDS, inclusive=st.sampled_from(["both", "neither", "left", "right"]))
def test_validate_number_takes_exactly_the_finite_real_numbers_in_its_range_and_never_a_bool(
    value, low, high, inclusive
):
    """validation.values: "Bools, text, None and other non-numbers raise TypeError; NaN, infinities and numbers out
    of range ValueError" (validate_number's docstring), and "A bool is never taken for a number" (the module's)."""
    is_number = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool)
    closed_low, closed_high = inclusive in ("both", "left"), inclusive in ("both", "right")
    inside = (
        is_number
        and np.isfinite(float(value))
        and (
            (low is None or (float(value) >= low if closed_low else float(value) > low))
            and (high is None or (float(value) <= high if closed_high else float(value) < high))
        )
    )
    try:
        got = validate_number(value, "x", low=low, high=high, inclusive=inclusive)
    except TypeError as error:
        assert not is_number
        _assert_clear(str(error), "x")
    except ValueError as error:
        assert is_number and not inside
        _assert_clear(str(error), "x")
        assert f"but got {float(value)!r}" in str(error) or f"but got {value!r}" in str(error)
    else:
        assert inside and type(got) is float and got == float(value)


@PROPERTY
@given(
    value=ANY_VALUE,
    choices=st.lists(st.text(min_size=1, max_size=3), min_size=1, max_size=4, unique=True)
    | st.lists(st.integers(-3, 3), min_size=1, max_size=4, unique=True),
)
def test_validate_choice_returns_the_choice_given_and_tells_a_wrong_type_from_a_wrong_value(value, choices):
    """validation.values, validate_choice's docstring: "A value of another kind than every choice (a number where
    names are asked for, a bool where numbers are) raises TypeError; a value of the right kind that is not among them
    ValueError." """

    def kind(v):
        return (
            "bool"
            if isinstance(v, bool)
            else "text"
            if isinstance(v, str)
            else "number"
            if isinstance(v, (int, float, np.floating))
            else "other"
        )

    same_kind = [c for c in choices if kind(c) == kind(value)]
    try:
        got = validate_choice(value, "k", choices)
    except TypeError as error:
        assert not same_kind
        _assert_clear(str(error), "k")
    except ValueError as error:
        assert same_kind and all(c != value for c in same_kind)
        _assert_clear(str(error), "k")
    else:
        assert got in same_kind and got == value and type(got) is type(same_kind[0])


@PROPERTY
@given(value=ANY_VALUE, minimum=st.integers(-3, 3), span=st.none() | st.integers(0, 4))
def test_validate_whole_number_takes_only_ints_in_range_and_never_a_bool_or_a_float(value, minimum, span):
    """validation.values, validate_whole_number's docstring: "A float such as 2.0 or a bool is a TypeError; a whole
    number out of range a ValueError." """
    maximum = None if span is None else minimum + span
    is_int = isinstance(value, int) and not isinstance(value, bool)
    inside = is_int and value >= minimum and (maximum is None or value <= maximum)
    try:
        got = validate_whole_number(value, "n", minimum, None, maximum)
    except TypeError as error:
        assert not is_int
        _assert_clear(str(error), "n")
    except ValueError as error:
        assert is_int and not inside
        _assert_clear(str(error), "n")
    else:
        assert inside and type(got) is int and got == value


@PROPERTY
@given(value=ANY_VALUE)
def test_validate_zero_division_takes_0_1_and_nan_only(value):
    """validation.values: zero_division is "0, 1 or nan, as in scikit-learn"; "A bool or other text is a TypeError,
    another number a ValueError" (validate_zero_division's docstring)."""
    is_number = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool)
    try:
        got = validate_zero_division(value)
    except TypeError:
        assert not is_number and value != "warn"
    except ValueError as error:
        assert value == "warn" or (is_number and not (np.isnan(value) or value in (0, 1)))
        assert str(error).startswith("zero_division must be 0, 1 or nan") and "Fix: " in str(error)
    else:
        assert is_number and (np.isnan(got) if np.isnan(value) else got == value in (0, 1))


@pytest.mark.parametrize("module", ["cmlearn", "cmlearn.keras_run", "cmlearn.keras_run.streaming"])
def test_a_lazy_module_refuses_an_unknown_name_with_the_closest_names_and_its_fix(module):
    import importlib

    loaded = importlib.import_module(module)
    known = [name for name in loaded.__all__ if name != "StreamingFNR"]  # StreamingFNR would start Keras
    misspelt = known[0][:-1] + "_"
    with pytest.raises(AttributeError, match=r"Fix: ") as error:
        getattr(loaded, misspelt)
    assert f"module {module!r} has no attribute {misspelt!r}" in str(error.value)
    assert repr(known[0]) in str(error.value) and f"{module}.__all__" in str(error.value)
    assert not hasattr(loaded, "__no_such_dunder__") and not hasattr(loaded, "zzzzzz")
