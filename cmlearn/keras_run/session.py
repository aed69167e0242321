"""One call at the top of every notebook: quiet logs, fixed seeds, small threads.

Kept in one place so that every notebook runs the same way on a laptop,
Binder's small machines, Colab and CI.
"""

from __future__ import annotations

import os

import numpy as np

from cmlearn.keras_run.backend import import_keras, import_tensorflow

__all__ = ["notebook_setup"]


def notebook_setup(seed=0, threads=2, verbose=True):
    """Prepare a notebook's kernel for reproducible, quiet Keras runs.

    Sets TensorFlow's log level and thread counts (before TensorFlow starts),
    seeds Python, NumPy and Keras, and makes TensorFlow's ops deterministic.
    Returns nothing, so a notebook's set-up cell shows just one line.

    Parameters
    ----------
    seed : int
        The seed for Python, NumPy and Keras.
    threads : int
        TensorFlow's intra- and inter-op threads; 2 suits Binder and CI.
    verbose : bool
        Print the versions in one line.

    Examples
    --------
    >>> notebook_setup(seed=0)  # doctest: +ELLIPSIS
    Ready: tensorflow 2..., keras 3..., numpy ... (seed 0)
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    keras = import_keras()  # first, so that TensorFlow starts quietly
    tf = import_tensorflow()
    try:  # only possible before TensorFlow has run anything
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    versions = {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__}
    if verbose:
        print("Ready:", ", ".join(f"{k} {v}" for k, v in versions.items()), f"(seed {seed})")
