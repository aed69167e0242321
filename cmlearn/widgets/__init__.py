"""Interactive labs built only from core ipywidgets and matplotlib (PNG images).

No front-end extension of cmlearn's own is needed, so the labs render in
JupyterLab, Notebook 7, Voila, Binder and Colab. Importing this package
imports ipywidgets and matplotlib, but not TensorFlow: Keras starts when a
lab is built.

* :class:`ThresholdExplorer`: slide a threshold over Keras's counts, rates and curves.
* :class:`DatasetLab`: more data, other prevalence; counts grow, rates stay.
* :class:`BatchStepper`: batch by batch through ``update_state``; pooled vs averaged rates.
"""

from cmlearn.widgets.explorer import ThresholdExplorer
from cmlearn.widgets.labs import BatchStepper, DatasetLab

__all__ = ["ThresholdExplorer", "DatasetLab", "BatchStepper"]
