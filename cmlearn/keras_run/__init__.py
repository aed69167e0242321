"""Everything in cmlearn that runs Keras (and TensorFlow), in one place.

Keras is imported once, quietly, by :func:`backend.import_keras`, and only
when a function here runs: importing this subpackage starts no TensorFlow.
``cmlearn`` loads it lazily, so ``import cmlearn`` stays light.

* :mod:`.backend`: import Keras and TensorFlow quietly.
* :mod:`.session`: :func:`notebook_setup`, the first call in every notebook.
* :mod:`.metrics`: build the four count metrics once; run them; :func:`keras_counts`.
* :mod:`.streaming`: :class:`StreamingFNR` (a rate kept as counts) and :func:`batch_fnr`.
* :mod:`.history`: counts per epoch from ``History``, logs per batch, the progress bar captured, their plot.
* :mod:`.merging`: add up metric objects or stateless states.
* :mod:`.models`: a logistic model, a pass-through model, real breast-cancer scores.
* :mod:`.batches`: :class:`BatchRun`, batches fed one ``update_state`` at a time.
* :mod:`.distributed`: counting on several replicas.
* :mod:`.columns`: several output columns: counts per class or label, or flattened as Keras does.
* :mod:`.multiclass`: small models with several output columns (softmax, sigmoids) and their scores.
* :mod:`.grid`: ``AUC`` and the "at" metrics, with the count arrays they keep.
* :mod:`.cost_sweep`: :func:`threshold_by_cost`, the cheapest threshold from Keras's counts.

>>> from cmlearn import keras_run
>>> keras_run.keras_counts([0, 1], [0.3, 0.8]).tp
1.0
"""

from cmlearn.keras_run.backend import import_keras, import_tensorflow
from cmlearn.keras_run.batches import BatchRun, BatchStep
from cmlearn.keras_run.columns import keras_counts_flattened, keras_counts_per_column
from cmlearn.keras_run.cost_sweep import threshold_by_cost
from cmlearn.keras_run.distributed import distributed_counts, per_replica_counts, two_cpu_strategy
from cmlearn.keras_run.grid import GridRun, auc_by_num_thresholds, keras_at_metric, keras_auc
from cmlearn.keras_run.history import (
    epoch_table,
    fit_showing_bar,
    history_counts,
    plot_history_counts,
    record_batch_logs,
)
from cmlearn.keras_run.merging import merge_counts, sum_states
from cmlearn.keras_run.metrics import (
    MAX_CELLS,
    keras_counts,
    keras_counts_as_given,
    make_count_metrics,
    run_metrics,
    weighted_count_metrics,
)
from cmlearn.keras_run.models import breast_cancer_scores, evaluate_scores, logistic_model, passthrough_model
from cmlearn.keras_run.multiclass import (
    ColumnScores,
    breast_cancer_softmax_scores,
    columns_model,
    digits_multilabel_scores,
    digits_softmax_scores,
)
from cmlearn.keras_run.session import notebook_setup
from cmlearn.keras_run.streaming import batch_fnr
from cmlearn.validation import refuse_unknown_attribute

__all__ = [
    "import_keras",
    "import_tensorflow",
    "notebook_setup",
    "keras_counts",
    "keras_counts_as_given",
    "keras_counts_per_column",
    "keras_counts_flattened",
    "keras_auc",
    "keras_at_metric",
    "auc_by_num_thresholds",
    "GridRun",
    "ColumnScores",
    "columns_model",
    "breast_cancer_softmax_scores",
    "digits_softmax_scores",
    "digits_multilabel_scores",
    "make_count_metrics",
    "weighted_count_metrics",
    "run_metrics",
    "MAX_CELLS",
    "StreamingFNR",  # noqa: F822 (built on first access, see __getattr__)
    "batch_fnr",
    "history_counts",
    "record_batch_logs",
    "fit_showing_bar",
    "epoch_table",
    "plot_history_counts",
    "merge_counts",
    "sum_states",
    "logistic_model",
    "passthrough_model",
    "evaluate_scores",
    "breast_cancer_scores",
    "BatchRun",
    "BatchStep",
    "two_cpu_strategy",
    "distributed_counts",
    "per_replica_counts",
    "threshold_by_cost",
]


def __getattr__(name):
    # StreamingFNR subclasses keras.metrics.Metric: building it starts Keras, so only on request.
    if name == "StreamingFNR":
        from cmlearn.keras_run import streaming

        return streaming.StreamingFNR
    refuse_unknown_attribute(__name__, name, __all__)
