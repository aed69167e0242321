"""Hypothesis strategies shared by the property tests that hold the lessons' general sentences.

A general sentence ("always", "never", "exactly", "equals") must hold for any
data, so these draw what breaks careless claims: random sizes, integer and
fractional sample weights, scores exactly on grid thresholds (ties), float32
near-ties (one float32 step either side of a threshold), and subnormal scores
(TensorFlow's CPU kernels flush them to 0).

Add a strategy here when two test files need it; keep each one small.
"""

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Real Keras objects cost about a millisecond per update: keep example counts modest.
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Thresholds learners meet, and values whose float64 and float32 forms differ (0.1 * 3, 1 / 3).
GRID = (0.0, 0.1, 0.2, 0.25, 0.3, 0.1 * 3, 0.5, 0.6, 0.7, 1 / 3, 0.75, 0.9, 1.0)
TINY = float(np.finfo(np.float32).tiny)


def float32_steps(value, steps):
    """The float32 `steps` steps away from `value` (negative: below), as a Python float."""
    out = np.float32(value)
    direction = np.float32(np.inf if steps > 0 else -np.inf)
    for _ in range(abs(steps)):
        out = np.nextafter(out, direction)
    return float(out)


def near_ties(grid=GRID):
    """A grid value, or one or two float32 steps either side of it, clipped to [0, 1]."""
    return st.builds(lambda v, k: min(max(float32_steps(v, k), 0.0), 1.0), st.sampled_from(grid), st.integers(-2, 2))


def scores(grid=GRID, subnormal=False):
    """Scores in [0, 1]: ties on `grid`, near-ties, and any float32; subnormals on request."""
    options = st.sampled_from(grid) | near_ties(grid) | st.floats(0, 1, allow_nan=False, width=32)
    if subnormal:
        options = options | st.sampled_from([TINY / 2, 1e-40, 1e-45, TINY])
    return options


def sample_weights(n, kind="any"):
    """None, integer weights (0 masks) or fractional float32 weights, of length `n`."""
    integer = st.lists(st.integers(0, 5), min_size=n, max_size=n)
    fractional = st.lists(st.floats(0, 10, allow_nan=False, width=32), min_size=n, max_size=n)
    if kind == "integer":
        return st.none() | integer
    if kind == "fractional":
        return fractional
    return st.none() | integer | fractional


@st.composite
def binary_samples(draw, min_size=1, max_size=60, weights="any", grid=GRID, subnormal=False):
    """(y_true, y_pred, sample_weight): 0/1 labels, float32 scores, weights or None."""
    n = draw(st.integers(min_size, max_size))
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(scores(grid, subnormal), min_size=n, max_size=n)), dtype=np.float32)
    w = draw(sample_weights(n, weights))
    return y_true, y_pred, (None if w is None else np.array(w, dtype=np.float32))


def thresholds(grid=GRID, max_size=8):
    """A list of thresholds in [0, 1], grid values and near-ties included."""
    return st.lists(st.sampled_from(grid) | near_ties(grid) | st.floats(0, 1, width=32), min_size=1, max_size=max_size)
