"""Labels and scores to learn with: generated, from an article, and real.

Everything here is deterministic and offline: generated data comes from a
seeded NumPy generator; the real data set ships inside scikit-learn. Scores
from a trained Keras model are :func:`cmlearn.keras_run.breast_cancer_scores`.

>>> y_true, y_pred = make_scores(n_samples=1000, prevalence=0.1, seed=0)
>>> int(y_true.sum()), y_pred.dtype
(100, dtype('float32'))
"""

from __future__ import annotations

import numpy as np

from cmlearn.validation import validate_labels, validate_number, validate_whole_number

__all__ = ["make_scores", "class_weights", "article_example", "ARTICLE_CLAIMS", "breast_cancer_split", "averaging_trap",
           "digits_split", "one_hot", "digit_labels", "DIGIT_QUESTIONS"]


def make_scores(n_samples=1000, prevalence=0.3, separation=2.0, seed=0):
    """Labels and classifier-like scores in (0, 1), reproducibly.

    Each sample gets a latent value drawn from a normal distribution centred
    at ``+separation / 2`` for positives and ``-separation / 2`` for
    negatives; its score is the sigmoid of that value.

    Parameters
    ----------
    n_samples : int
        How many samples (at least 1).
    prevalence : float in [0, 1]
        The share of positives; exactly ``round(n_samples * prevalence)`` of them.
    separation : float >= 0
        Distance between the class means; 0 gives a useless classifier.
    seed : int
        Same seed, same data.

    Returns
    -------
    y_true : int32 array of 0/1 labels, positives shuffled among negatives
    y_pred : float32 array of scores

    Examples
    --------
    >>> a = make_scores(5, seed=1)[1]
    >>> b = make_scores(5, seed=1)[1]
    >>> bool((a == b).all())
    True
    >>> make_scores(10, prevalence=1.5)
    Traceback (most recent call last):
    ...
    ValueError: prevalence must be in [0, 1], but got 1.5. Fix: give the share of positives, e.g. 0.3 for 30%.
    """
    validate_whole_number(n_samples, "n_samples", example="n_samples=1000")
    prevalence = validate_number(
        prevalence, "prevalence", low=0, high=1, fix="give the share of positives, e.g. 0.3 for 30%"
    )
    separation = validate_number(separation, "separation", low=0, example="separation=2.0")
    seed = validate_whole_number(seed, "seed", minimum=0, example="seed=0")
    rng = np.random.default_rng(seed)
    n_pos = int(round(n_samples * prevalence))
    y_true = np.zeros(n_samples, dtype=np.int32)
    y_true[:n_pos] = 1
    rng.shuffle(y_true)
    latent = rng.normal(loc=np.where(y_true == 1, separation / 2, -separation / 2), scale=1.0)
    y_pred = (1.0 / (1.0 + np.exp(-latent))).astype(np.float32)
    return y_true, y_pred


def class_weights(y_true, positive=5.0, negative=1.0):
    """One weight per sample by its class: ``positive`` for label 1, ``negative`` for label 0.

    >>> class_weights([1, 0, 1], positive=5)
    array([5., 1., 5.], dtype=float32)
    """
    labels = validate_labels(y_true)
    positive, negative = (validate_number(value, name, low=0, why="It is a sample weight", example=f"{name}=1.0")
                          for name, value in (("positive", positive), ("negative", negative)))
    return np.where(labels == 1, positive, negative).astype(np.float32)


#: What the article in the bundle's sources states about its own example
#: (threshold 0.5). Run the data through Keras to see which claims hold.
ARTICLE_CLAIMS = {"fn": 1, "tn": 5, "actual_positives": 4, "fnr": 0.25}


def article_example():
    """The 10-sample worked example of the article the bundle started from.

    The data are the article's (cited as facts); its stated counts are in
    :data:`ARTICLE_CLAIMS`.

    Returns
    -------
    y_true : int32 array of 10 labels
    y_pred : float32 array of 10 scores

    Examples
    --------
    >>> y_true, y_pred = article_example()
    >>> int(y_true.sum())  # the article says 4 actual positives
    5
    """
    y_true = np.array([0, 1, 0, 0, 1, 0, 1, 1, 0, 1], dtype=np.int32)
    y_pred = np.array([0.2, 0.8, 0.1, 0.6, 0.9, 0.3, 0.7, 0.8, 0.4, 0.9], dtype=np.float32)
    return y_true, y_pred


def breast_cancer_split(test_size=0.3, seed=0):
    """Standardised breast-cancer features, split for training and held-out use.

    The Wisconsin diagnostic breast-cancer data (569 tumours, 30 features)
    ship inside scikit-learn, so nothing is downloaded. Here **malignant is
    the positive class (1)**: scikit-learn's own ``target`` marks benign as 1,
    so it is flipped. The split is stratified; the scaler is fitted on the
    training part only.

    Returns
    -------
    x_train, x_test : float32 arrays, (398, 30) and (171, 30) at the defaults
    y_train, y_test : int32 arrays of 0/1 labels (1 = malignant)

    Examples
    --------
    >>> x_train, x_test, y_train, y_test = breast_cancer_split()
    >>> x_train.shape, x_test.shape, int(y_train.sum()), int(y_test.sum())
    ((398, 30), (171, 30), 148, 64)
    """
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    features, target = load_breast_cancer(return_X_y=True)
    labels = (target == 0).astype(np.int32)  # malignant = 1
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=test_size, stratify=labels, random_state=seed
    )
    scaler = StandardScaler().fit(x_train)
    return (
        scaler.transform(x_train).astype(np.float32),
        scaler.transform(x_test).astype(np.float32),
        y_train,
        y_test,
    )


def averaging_trap():
    """Twelve samples in three batches of four where averaging batch rates misleads.

    Batches 1 and 2 hold one positive each, both missed (FNR 1 and 1); batch 3
    holds four positives, one missed (FNR 0.25). Averaging the batch FNRs
    gives 0.75 (recall 0.25); pooling the counts gives 3 misses out of 6
    positives, FNR 0.5 (recall 0.5), the same gap as keras issue #4592.

    Returns
    -------
    y_true : int32 array (12,)
    y_pred : float32 array (12,)
    batch_size : int, 4

    Examples
    --------
    >>> from cmlearn.batch_log import BatchLog, batch_slices
    >>> from cmlearn.counts import numpy_counts
    >>> y_true, y_pred, batch_size = averaging_trap()
    >>> log = BatchLog()
    >>> for rows in batch_slices(len(y_true), batch_size):
    ...     _ = log.add(numpy_counts(y_true[rows], y_pred[rows]))
    >>> log.averaged("fnr"), log.pooled("fnr")
    (0.75, 0.5)
    """
    y_true = np.array([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1], dtype=np.int32)
    y_pred = np.array([0.3, 0.1, 0.2, 0.6, 0.4, 0.2, 0.1, 0.3, 0.9, 0.8, 0.7, 0.2], dtype=np.float32)
    return y_true, y_pred, 4


#: The three yes/no questions :func:`digit_labels` asks of each digit (one sigmoid per question).
DIGIT_QUESTIONS = ("even", "five or more", "multiple of three")


def digits_split(test_size=0.3, seed=0):
    """Handwritten digits 0-9 (8x8 images) that ship inside scikit-learn, split and scaled.

    1,797 images of 64 pixel features; nothing is downloaded. The split is
    stratified; features are divided by 16 (the largest pixel value).

    Returns
    -------
    x_train, x_test : float32 arrays, (1257, 64) and (540, 64) at the defaults
    digits_train, digits_test : int32 arrays of the digit (0-9) each image shows

    Examples
    --------
    >>> x_train, x_test, d_train, d_test = digits_split()
    >>> x_train.shape, x_test.shape, int(d_test.max())
    ((1257, 64), (540, 64), 9)
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    features, digits = load_digits(return_X_y=True)
    x_train, x_test, d_train, d_test = train_test_split(
        features / 16.0, digits, test_size=test_size, stratify=digits, random_state=seed
    )
    return x_train.astype(np.float32), x_test.astype(np.float32), d_train.astype(np.int32), d_test.astype(np.int32)


def one_hot(labels, n_classes):
    """Integer class labels as one-hot rows, shape (N, n_classes), float32.

    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]], dtype=float32)
    """
    n_classes = validate_whole_number(n_classes, "n_classes", example="n_classes=10")
    labels = np.asarray(labels)
    whole = labels.ndim == 1 and np.issubdtype(labels.dtype, np.integer)
    if not whole or (labels.size and (labels.min() < 0 or labels.max() >= n_classes)):
        raise ValueError(
            f"labels must be a flat array of whole class numbers 0..{n_classes - 1}, but got {labels!r}. "
            f"Fix: e.g. one_hot([0, 2, 1], 3)."
        )
    return np.eye(n_classes, dtype=np.float32)[labels]


def digit_labels(digits):
    """Multi-label targets: for each digit, three yes/no answers (:data:`DIGIT_QUESTIONS`).

    Several labels can be 1 at once (6 is even, five or more, and a
    multiple of three; 0 counts as even and a multiple of three), so a model
    answers with one sigmoid per question, not a softmax.

    >>> digit_labels([6, 1])
    array([[1., 1., 1.],
           [0., 0., 0.]], dtype=float32)
    """
    digits = np.asarray(digits)
    return np.stack([digits % 2 == 0, digits >= 5, digits % 3 == 0], axis=1).astype(np.float32)
