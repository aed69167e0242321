"""cmlearn: learn what Keras's confusion-matrix metrics really report.

``TruePositives``, ``FalsePositives``, ``TrueNegatives`` and ``FalseNegatives``
return **counts** (float32 sums of sample weights), not fractions. cmlearn
runs those metrics (:func:`keras_counts`), counts the same thing in plain
NumPy (:func:`numpy_counts`) and divides rates out by hand (:func:`rates`).

This module is the façade: the TensorFlow-free core is imported here; what
runs Keras (:mod:`cmlearn.keras_run`) and the widgets (:mod:`cmlearn.widgets`)
are loaded only when one of their names is asked for, so ``import cmlearn``
imports no TensorFlow. See ARCHITECTURE.md for the layers.

>>> import cmlearn
>>> c = cmlearn.numpy_counts([0, 1, 1], [0.4, 0.5, 0.9])
>>> c.tp, c.fn  # 0.5 is not above 0.5
(1.0, 1.0)
"""

import importlib

from cmlearn import data
from cmlearn.counts import Counts, numpy_counts
from cmlearn.ratios import Rates, rates
from cmlearn.validation import refuse_unknown_attribute

__version__ = "0.1.0"
#: Learner-facing names that live in a lazily loaded subpackage.
_LAZY = {
    "keras_counts": "cmlearn.keras_run",
    "notebook_setup": "cmlearn.keras_run",
    "breast_cancer_scores": "cmlearn.keras_run",
    "ThresholdExplorer": "cmlearn.widgets",
    "DatasetLab": "cmlearn.widgets",
    "BatchStepper": "cmlearn.widgets",
}
__all__ = ["Counts", "Rates", "data", "numpy_counts", "rates", *_LAZY]


def __getattr__(name):
    # Keras and the widgets (ipywidgets, matplotlib) load only when asked for.
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in ("keras_run", "widgets"):
        return importlib.import_module(f"cmlearn.{name}")
    refuse_unknown_attribute(__name__, name, [*__all__, "keras_run", "widgets"])
