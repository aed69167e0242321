"""The general sentences of lesson 07 (several columns), its exercise and its checks' hints, each held on random data.

Every test is named for its sentence and quotes it. The Keras metric objects are
built once and reset before each example. Data: random sizes and numbers of
columns, one-hot and multi-label labels, real `keras.activations.softmax`
outputs of random logits (with equal and float32-near-equal logits), scores on
and around 0.5, subnormal scores, and sample weights.
"""

import functools

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, confusion_matrix, precision_score
from strategies import PROPERTY, scores

from cmlearn.keras_run.backend import import_keras

keras = import_keras()

# ------------------------------------------------------ lesson 07's prose, takeaways, exercise and hints

COUNT_CLASSES = ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")


@functools.cache
def _metric(cls, **kwargs):
    return getattr(keras.metrics, cls)(**kwargs)


def _result(metric, y_true, y_pred, w=None):
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=None if w is None else w[:, None])
    return np.array(keras.ops.convert_to_numpy(metric.result()), dtype=np.float32)


def _flat(y_true, y_pred, w=None):
    """Keras's four count metrics fed the (N, K) arrays as they are: (tp, fp, tn, fn)."""
    return tuple(float(_result(_metric(cls), y_true, y_pred, w)) for cls in COUNT_CLASSES)


def _column(y_true, y_pred, k, w=None):
    """Keras's four count metrics on column k alone."""
    return _flat(y_true[:, k : k + 1], y_pred[:, k : k + 1], w)


def _weights(w, n):
    return np.ones(n) if w is None else w.astype(np.float64)


#: Logits that make near-ties: equal, float32-near-equal (3e-8 apart gives 0.49999997 and 0.5), or anything.
LOGIT = st.sampled_from([0.0, 1e-8, 3e-8, 6e-8, 1e-7, 2e-7, -3e-8]) | st.floats(-30, 30, width=32)


@st.composite
def softmax_samples(draw, min_k=2, max_k=10, weights="integer"):
    """(y_true one-hot, y_pred = keras.activations.softmax(logits), labels, w)."""
    k = draw(st.integers(min_k, max_k))
    n = draw(st.integers(1, 40))
    logits = np.array(draw(st.lists(st.lists(LOGIT, min_size=k, max_size=k), min_size=n, max_size=n)), dtype=np.float32)
    shift = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, -5.0, 20.0]), min_size=n, max_size=n)), dtype=np.float32)
    y_pred = keras.ops.convert_to_numpy(keras.activations.softmax(logits + shift[:, None])).astype(np.float32)
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    w = draw(_weight_lists(n, weights))
    return np.eye(k, dtype=np.float32)[labels], y_pred, labels, w


def _weight_lists(n, kind):
    integer = st.lists(st.integers(0, 5), min_size=n, max_size=n).map(lambda v: np.array(v, dtype=np.float32))
    fractional = st.lists(st.floats(0, 10, allow_nan=False, width=32), min_size=n, max_size=n).map(
        lambda v: np.array(v, dtype=np.float32)
    )
    return st.none() | integer if kind == "integer" else fractional


@st.composite
def column_samples(draw, one_hot=False, weights="integer", subnormal=True):
    """(y_true, y_pred, w) of shape (N, K): any scores in [0, 1] (ties on 0.5, near-ties, subnormals)."""
    k = draw(st.integers(2, 6))
    n = draw(st.integers(1, 40))
    y_pred = np.array(
        draw(st.lists(st.lists(scores(subnormal=subnormal), min_size=k, max_size=k), min_size=n, max_size=n)),
        dtype=np.float32,
    )
    if one_hot:
        y_true = np.eye(k, dtype=np.float32)[draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))]
    else:
        y_true = np.array(
            draw(st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), min_size=n, max_size=n)),
            dtype=np.float32,
        )
    return y_true, y_pred, draw(_weight_lists(n, weights))


@PROPERTY
@given(column_samples())
def test_the_four_flattened_counts_add_up_to_k_times_n_and_each_columns_to_n(sample):
    """07, takeaway: "given an (N, K) array they flatten it and count all N × K cells, so (without sample
    weights) the four add up to K × N"; cell n07-14: "Each column counts every tumour once: its four
    counts add up to **171**"; cell n07-24: "Each column's counts add up to **540**, one per image".
    With whole-number weights, N is the sum of the weights."""
    y_true, y_pred, w = sample
    n = _weights(w, len(y_true)).sum()
    k = y_true.shape[1]
    assert sum(_flat(y_true, y_pred, w)) == k * n
    assert all(sum(_column(y_true, y_pred, j, w)) == n for j in range(k))


@PROPERTY
@given(column_samples(weights="integer"))
def test_flattened_counts_are_the_sum_of_the_per_column_counts(sample):
    """07, cell n07-14: "The flattened counts are column 0's plus column 1's"; cell n07-24: "Add the
    ten columns up, cell by cell, and you get Keras's flattened counts back: the flattened TN is the sum
    of the ten classes' TNs"; cell n07-34: "the flattened count is the sum of the three per-label
    counts"; takeaways; exercise 07's notes and check_flattened_count's hint ("the flattened TN is the
    sum of the columns' TNs"). Exact for whole-number weights (the lesson has none)."""
    y_true, y_pred, w = sample
    per_column = [_column(y_true, y_pred, j, w) for j in range(y_true.shape[1])]
    assert _flat(y_true, y_pred, w) == tuple(float(s) for s in np.sum(per_column, axis=0))


@PROPERTY
@given(softmax_samples(max_k=2))
def test_a_2_unit_softmax_mirrors_except_rows_with_neither_column_above_one_half(sample):
    """07, cell n07-08: "a row where **neither** column is above 0.5 ... adds one FN (in its own class's
    column) and one TN (in the other), and nothing to TP or FP ... the rule is exact: TN − TP = FN − FP =
    the number of rows with neither column above 0.5"; answer n07-06 ("when one column is above 0.5
    the other is not and the two cells agree"); answer n07-14 ("since no tumour here has neither column
    above 0.5, column 0's TP is column 1's TN ... and column 0's FP is column 1's FN"); the takeaway;
    exercise 07's note on exercise 1 and check_flattened_count's mirror hint. Real Keras softmax outputs,
    near-equal logits included; with weights, "number" is the rows' weight."""
    y_true, y_pred, labels, w = sample
    weight = _weights(w, len(labels))
    neither = (y_pred <= np.float32(0.5)).all(axis=1)
    tp, fp, tn, fn = _flat(y_true, y_pred, w)
    assert tn - tp == fn - fp == weight[neither].sum()
    col0, col1 = _column(y_true, y_pred, 0, w), _column(y_true, y_pred, 1, w)
    assert col1[2] - col0[0] == weight[neither & (labels == 0)].sum()  # column 1's TN − column 0's TP
    assert col1[3] - col0[1] == weight[neither & (labels == 1)].sum()  # column 1's FN − column 0's FP


@PROPERTY
@given(softmax_samples())
def test_a_softmax_never_puts_two_columns_above_one_half_and_a_cell_above_it_is_its_rows_highest(sample):
    """07, cell n07-08: "A softmax never puts both columns above 0.5"; answer n07-28: "In a softmax a
    cell above 0.5 is always its row's highest score". Real `keras.activations.softmax`, 2 to 10 columns,
    equal and float32-near-equal logits."""
    _, y_pred, _, _ = sample
    above = y_pred > np.float32(0.5)
    assert (above.sum(axis=1) <= 1).all()
    rows, cols = np.nonzero(above)
    assert all(y_pred[r, c] > np.delete(y_pred[r], c).max() for r, c in zip(rows, cols, strict=True))


@PROPERTY
@given(column_samples(one_hot=True))
def test_one_hot_labels_make_tp_plus_fn_n_and_tn_plus_fp_k_minus_1_times_n(sample):
    """07, answer n07-20: "With one-hot labels every image has one column that is its digit and nine
    that are not, so TP + FN is exactly 540, one per image, and TN + FP is 9 × 540 = 4,860"; takeaway:
    "TN holds, for every sample, the K − 1 classes it is not"."""
    y_true, y_pred, w = sample
    n, k = _weights(w, len(y_true)).sum(), y_true.shape[1]
    tp, fp, tn, fn = _flat(y_true, y_pred, w)
    assert tp + fn == n and tn + fp == (k - 1) * n


@PROPERTY
@given(column_samples(weights="fractional"), st.integers(0, 5))
def test_precision_and_recall_with_class_id_are_column_ks_rates_at_the_threshold(sample, k):
    """07, cell n07-26: "`Precision(class_id=3)`: column 3 alone at threshold 0.5, so the same counts as
    `per_class[3]`"; takeaway: "`Precision(class_id=k)` and `Recall(class_id=k)` are column k's rates at
    the threshold". Keras's result is the float32 division of column k's own counts (0 for 0/0)."""
    y_true, y_pred, w = sample
    k = k % y_true.shape[1]
    tp, fp, _, fn = (np.float32(c) for c in _column(y_true, y_pred, k, w))
    precision = float(_result(_metric("Precision", class_id=k), y_true, y_pred, w))
    recall = float(_result(_metric("Recall", class_id=k), y_true, y_pred, w))
    assert precision == (float(tp / (tp + fp)) if tp + fp else 0.0)
    assert recall == (float(tp / (tp + fn)) if tp + fn else 0.0)


def _top_k_variables(cls, top_k, y_true, y_pred, w):
    metric = _metric(cls, top_k=top_k)
    _result(metric, y_true, y_pred, w)
    return [float(keras.ops.convert_to_numpy(v)[0]) for v in metric.variables]


@PROPERTY
@given(column_samples(), st.sampled_from([1, 2]))
def test_top_k_threshold_is_minus_1e10_so_every_row_has_exactly_top_k_positive_predictions(sample, top_k):
    """07, cell n07-26: "Keras writes −1e10 (its `NEG_INF`) into every other cell and, given `top_k` and
    no `thresholds`, uses −1e10 as the threshold too. A kept cell, whatever its score, is above −1e10 ...
    A dropped cell holds −1e10, which is not above −1e10 ... So every row has exactly one positive
    prediction"; takeaway: "its threshold is −1e10, not minus infinity". Scores of 0, ties, subnormals."""
    y_true, y_pred, w = sample
    assert keras.metrics.Precision(top_k=top_k).thresholds == [-1e10] == keras.metrics.Recall(top_k=top_k).thresholds
    n = _weights(w, len(y_true)).sum()
    tp, fp = _top_k_variables("Precision", top_k, y_true, y_pred, w)
    assert tp + fp == top_k * n
    tp_r, fn = _top_k_variables("Recall", top_k, y_true, y_pred, w)
    assert tp_r == tp and tp_r + fn == (y_true * _weights(w, len(y_true))[:, None]).sum()


@PROPERTY
@given(softmax_samples())
def test_top_1_precision_and_recall_both_equal_the_argmax_accuracy(sample):
    """07, answer n07-28: "`Precision(top_k=1)` and `Recall(top_k=1)` are the same number, the share of
    images whose argmax is right ..., which is the accuracy"; takeaway: "`top_k=1` is the argmax".
    Real softmax outputs and one-hot labels, against scikit-learn's `accuracy_score`."""
    y_true, y_pred, labels, w = sample
    precision = float(_result(_metric("Precision", top_k=1), y_true, y_pred, w))
    recall = float(_result(_metric("Recall", top_k=1), y_true, y_pred, w))
    weight = _weights(w, len(labels))
    if weight.sum() == 0:
        assert precision == recall == 0.0
        return
    assert precision == recall
    assert np.isclose(precision, accuracy_score(labels, y_pred.argmax(axis=1), sample_weight=weight), rtol=1e-6, atol=0)


@PROPERTY
@given(softmax_samples())
def test_with_a_softmax_the_argmax_diagonal_is_never_below_a_columns_tp(sample):
    """07, answer n07-28: "every image that column 3 calls a 3 at threshold 0.5 is also an argmax 3: the
    matrix's diagonal cell is never below the column's TP, and both recalls divide by the same number of
    actual 3s ... So the argmax recall is at least `Recall(class_id=k)` for every digit"; takeaway: "with
    a softmax its recall of a class is never below `Recall(class_id=k)`". Real softmax, Keras's per-column
    counts, scikit-learn's confusion matrix of the argmax."""
    y_true, y_pred, labels, w = sample
    k = y_true.shape[1]
    weight = _weights(w, len(labels))
    assume(weight.sum() > 0)  # scikit-learn refuses all-zero weights
    matrix = confusion_matrix(labels, y_pred.argmax(axis=1), labels=list(range(k)), sample_weight=weight)
    for j in range(k):
        tp, _, _, fn = _column(y_true, y_pred, j, w)
        assert matrix[j, j] >= tp and matrix[j].sum() == tp + fn


def test_the_argmax_precision_can_come_out_higher_or_lower_than_precision_with_class_id():
    """07, answer n07-28: "those extra calls can be right or wrong, so its precision can come out higher
    or lower". One case each way, on real Keras metrics and scikit-learn."""
    y_pred = np.array([[0.6, 0.3, 0.1], [0.4, 0.3, 0.3]], dtype=np.float32)  # rows add up to 1
    for labels, compare in (([0, 1], np.less), ([1, 0], np.greater)):
        y_true = np.eye(3, dtype=np.float32)[labels]
        by_column = float(_result(_metric("Precision", class_id=0), y_true, y_pred))
        argmax = precision_score(labels, y_pred.argmax(axis=1), labels=[0], average=None, zero_division=0)[0]
        assert compare(argmax, by_column), (labels, argmax, by_column)


@PROPERTY
@given(column_samples(weights="integer"))
def test_the_flattened_precision_is_scikit_learns_micro_precision(sample):
    """07, answer n07-34: "Its precision is scikit-learn's `precision_score(..., average="micro")`"
    (multi-label columns, Keras's `Precision()` fed the (N, K) arrays; scikit-learn's `zero_division=0`
    is Keras's 0 for 0/0)."""
    y_true, y_pred, w = sample
    assume(w is None or w.sum() > 0)  # scikit-learn refuses all-zero weights
    keras_precision = float(_result(_metric("Precision"), y_true, y_pred, w))
    micro = precision_score(y_true.astype(int), (y_pred > np.float32(0.5)).astype(int), average="micro",
                            sample_weight=None if w is None else w, zero_division=0)
    assert np.isclose(keras_precision, micro, rtol=1e-6, atol=0)


@PROPERTY
@given(softmax_samples(max_k=2), st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 1.0]) | st.floats(0, 1, width=32))
def test_check_flattened_counts_mirror_hint_holds_at_any_threshold(sample, threshold):
    """check_flattened_count's hint for two columns: "a sample called right is a TP in one column and a TN
    in the other: TP = TN and FP = FN ... Only a row whose two cells are both negative ... adds one FN and
    one TN instead, and one whose cells are both positive (possible below 0.5) one TP and one FP."
    Real softmax outputs, Keras's metrics at the check's threshold."""
    y_true, y_pred, labels, w = sample
    weight = _weights(w, len(labels))
    above = y_pred > np.float32(threshold)
    both_negative, both_positive = weight[~above.any(axis=1)].sum(), weight[above.all(axis=1)].sum()
    tp, fp, tn, fn = (float(_result(_metric(cls, thresholds=threshold), y_true, y_pred, w)) for cls in COUNT_CLASSES)
    assert tn - tp == fn - fp == both_negative - both_positive


@PROPERTY
@given(column_samples())
def test_cmlearns_one_column_functions_refuse_several_columns_and_say_where_to_go(sample):
    """07, cell n07-10: "cmlearn's one-column functions refuse the two-column arrays and say where to
    go" (any number of columns). A single row, shape (1, K), is read as one row of K values and gets
    the advice to flatten it instead, so the pointer to the per-column counts is held from 2 rows up."""
    import pytest

    import cmlearn

    y_true, y_pred, w = sample
    for count in (cmlearn.numpy_counts, cmlearn.keras_counts):
        with pytest.raises(ValueError, match="keras_counts_per_column" if len(y_true) > 1 else "y_true has shape"):
            count(y_true, y_pred, sample_weight=w)


@PROPERTY
@given(column_samples(one_hot=True))
def test_top_k_keeps_the_first_column_of_a_tie(sample):
    """07, cell n07-26: "`Precision(top_k=1)`: in each row only the highest score is kept (the first
    column wins a tie)". Ties on grid values and near-ties; a subnormal score counts as 0 (TensorFlow's
    CPU flushes it), so it ties with a 0."""
    y_true, y_pred, w = sample
    flushed = np.where(np.abs(y_pred) < np.finfo(np.float32).tiny, np.float32(0), y_pred)
    kept = flushed.argmax(axis=1)  # NumPy's argmax also takes the first of equal values
    weight = _weights(w, len(y_true))
    right = weight[y_true[np.arange(len(y_true)), kept] == 1].sum()
    tp, fp = _top_k_variables("Precision", 1, y_true, y_pred, w)
    assert (tp, fp) == (right, weight.sum() - right)
