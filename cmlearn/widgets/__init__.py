"""Interactive labs: core ipywidgets, and one anywidget drawn in the browser.

No front-end extension of cmlearn's own is built or installed: the labs are
core ipywidgets, and the threshold explorer is an anywidget whose ES module
(``explorer.js``) ships inside this package, so all of them render in
JupyterLab, Notebook 7, Voila, Binder and Colab. Importing this package
imports ipywidgets and anywidget, but not TensorFlow: Keras starts when a
lab is built.

* :class:`ThresholdExplorer`: slide a threshold over Keras's counts, rates and curves (drawn in the browser).
* :class:`DatasetLab`: more data, other prevalence; counts grow, per-class rates stay, precision moves.
* :class:`BatchStepper`: batch by batch through ``update_state``; pooled vs averaged rates.
"""

from cmlearn.widgets.explorer import ThresholdExplorer
from cmlearn.widgets.labs import BatchStepper, DatasetLab

__all__ = ["ThresholdExplorer", "DatasetLab", "BatchStepper"]
