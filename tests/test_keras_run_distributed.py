"""Counts under MirroredStrategy on two logical CPUs, in a fresh process.

Logical devices can only be set up before TensorFlow has initialised its
devices, which the test process may already have done, so the strategy runs
in a subprocess of its own.
"""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest
from notebook_runner import INSTALLED

from cmlearn import data, numpy_counts
from cmlearn.keras_run.distributed import two_cpu_strategy

REPO = pathlib.Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import cmlearn
    cmlearn.notebook_setup(verbose=False)
    from cmlearn.keras_run.distributed import distributed_counts, per_replica_counts, two_cpu_strategy
    strategy = two_cpu_strategy()
    again = two_cpu_strategy()  # re-running the cell must work
    y_true, y_pred = cmlearn.data.make_scores(203, prevalence=0.3, seed=11)
    weights_free = distributed_counts(strategy, y_true, y_pred, threshold=0.4, batch_size=32)
    replicas = per_replica_counts(strategy, y_true, y_pred, threshold=0.4, batch_size=32)
    whole = cmlearn.keras_counts(y_true, y_pred, thresholds=0.4)
    keys = ("tp", "fp", "tn", "fn")
    json.dump({
        "replicas": strategy.num_replicas_in_sync,
        "again": again.num_replicas_in_sync,
        "evaluate": [getattr(weights_free, k) for k in keys],
        "per_replica": [[getattr(c, k) for k in keys] for c in replicas],
        "keras_counts": [getattr(whole, k) for k in keys],
    }, sys.stdout)
    """
)


@pytest.fixture(scope="module")
def result():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=None if INSTALLED else REPO, timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_replicas(result):
    assert result["replicas"] == 2 and result["again"] == 2


def test_evaluate_under_strategy_gives_global_counts(result):
    y_true, y_pred = data.make_scores(203, prevalence=0.3, seed=11)
    expected = numpy_counts(y_true, y_pred, 0.4)
    assert result["evaluate"] == result["keras_counts"] == [expected.tp, expected.fp, expected.tn, expected.fn]


def test_replica_shares_add_up_to_the_global_counts(result):
    shares = result["per_replica"]
    assert len(shares) == 2
    assert all(sum(share) > 0 for share in shares)  # both replicas counted something
    assert [a + b for a, b in zip(*shares, strict=True)] == result["evaluate"]
    assert sum(shares[0]) + sum(shares[1]) == 203


def test_bad_device_count_is_refused_before_tensorflow():
    with pytest.raises(ValueError, match="n_devices must be a whole number >= 2"):
        two_cpu_strategy(1)


def test_too_late_is_a_clear_error():
    script = textwrap.dedent(
        """
        import tensorflow as tf
        tf.constant(1.0)  # devices are set up now
        from cmlearn.keras_run.distributed import two_cpu_strategy
        try:
            two_cpu_strategy()
        except RuntimeError as error:
            print("RuntimeError:", error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=None if INSTALLED else REPO, timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert "restart the kernel" in done.stdout and "notebook_setup()" in done.stdout, done.stderr[-2000:]
