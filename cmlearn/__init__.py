"""cmlearn: learn what Keras's confusion-matrix metrics really report.

``TruePositives``, ``FalsePositives``, ``TrueNegatives`` and ``FalseNegatives``
return **counts** (float32 sums of sample weights), not fractions. cmlearn
runs those metrics (:func:`keras_counts`), counts the same thing in plain
NumPy (:func:`numpy_counts`) and divides rates out by hand (:func:`rates`).

Importing cmlearn does not import TensorFlow; only what runs Keras does,
when it is called.

>>> import cmlearn
>>> c = cmlearn.numpy_counts([0, 1, 1], [0.4, 0.5, 0.9])
>>> c.tp, c.fn  # 0.5 is not above 0.5
(1.0, 1.0)
"""

from cmlearn import data
from cmlearn.counts import Counts, numpy_counts
from cmlearn.keras_metrics import keras_counts
from cmlearn.rates import Rates, rates
from cmlearn.setup import notebook_setup

__version__ = "0.1.0"
_WIDGETS = ("ThresholdExplorer", "DatasetLab", "BatchStepper")
__all__ = ["Counts", "Rates", "data", "keras_counts", "notebook_setup", "numpy_counts", "rates", *_WIDGETS]


def __getattr__(name):
    # Widgets pull in ipywidgets and matplotlib: load them only when asked for.
    if name in _WIDGETS:
        from cmlearn import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'cmlearn' has no attribute {name!r}")
