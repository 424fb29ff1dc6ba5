"""Metrics as in Keras: stateful objects (``update_state``, ``result``, ``reset_state``) on NumPy arrays.

``get(identifier)`` turns a name, alias, class name, config dict, class or
instance into a metric; ``resolve(identifier, loss, y_true_shape, y_pred_shape)``
is what ``compile`` uses: it also picks binary / sparse categorical /
categorical accuracy (and crossentropy) for 'accuracy'/'acc' ('crossentropy'/'ce')
and names the metric the way the user wrote it, which gives the History keys.
"""
import difflib

from ..saving.builtin_objects import register_builtins
from ..saving.object_registration import get_registered_object
from ..saving.serialization import deserialize_keras_object, serialize_keras_object

from .base import Mean, MeanMetricWrapper, Metric, Sum
from .accuracy import (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                       SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy, binary_accuracy,
                       categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
                       top_k_categorical_accuracy)
from .regression import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge,
                         KLDivergence, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
                         MeanSquaredError, MeanSquaredLogarithmicError, Poisson, RootMeanSquaredError,
                         SparseCategoricalCrossentropy, SquaredHinge, binary_crossentropy, categorical_crossentropy,
                         categorical_hinge, cosine_similarity, hinge, kl_divergence, kld, KLD,
                         kullback_leibler_divergence, log_cosh, logcosh, mae, MAE, mape, MAPE,
                         mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
                         mean_squared_logarithmic_error, mse, MSE, msle, MSLE, poisson,
                         sparse_categorical_crossentropy, squared_hinge, huber, binary_focal_crossentropy,
                         categorical_focal_crossentropy)
from .correlation import (ConcordanceCorrelation, PearsonCorrelation, concordance_correlation,
                          pearson_correlation)
from .confusion import AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives
from .f_score import F1Score, FBetaScore
from .r2 import R2Score
from .iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from .at_value import PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity

_CLASS_LIST = (
    Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError,
    MeanAbsolutePercentageError, MeanSquaredLogarithmicError, RootMeanSquaredError, CosineSimilarity,
    LogCoshError, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy, TruePositives, FalsePositives, TrueNegatives,
    FalseNegatives, Precision, Recall, AUC,
    F1Score, FBetaScore, R2Score, IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, SensitivityAtSpecificity,
    SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision, PearsonCorrelation, ConcordanceCorrelation,
)
_CLASSES = {cls.__name__: cls for cls in _CLASS_LIST}

# names and aliases -> the class whose default instance computes them (Keras 3's metrics.get)
_NAMES = {
    "accuracy": Accuracy, "acc": Accuracy, "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy, "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "top_k_categorical_accuracy": TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy,
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mean_absolute_percentage_error": MeanAbsolutePercentageError, "mape": MeanAbsolutePercentageError,
    "MAPE": MeanAbsolutePercentageError,
    "mean_squared_logarithmic_error": MeanSquaredLogarithmicError, "msle": MeanSquaredLogarithmicError,
    "MSLE": MeanSquaredLogarithmicError, "root_mean_squared_error": RootMeanSquaredError,
    "cosine_similarity": CosineSimilarity, "log_cosh": LogCoshError, "logcosh": LogCoshError,
    "log_cosh_error": LogCoshError, "hinge": Hinge, "squared_hinge": SquaredHinge,
    "categorical_hinge": CategoricalHinge, "kl_divergence": KLDivergence, "kld": KLDivergence,
    "KLD": KLDivergence, "kullback_leibler_divergence": KLDivergence, "poisson": Poisson,
    "binary_crossentropy": BinaryCrossentropy, "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "true_positives": TruePositives, "false_positives": FalsePositives, "true_negatives": TrueNegatives,
    "false_negatives": FalseNegatives, "precision": Precision, "recall": Recall, "auc": AUC,
    "mean": Mean, "sum": Sum,
    # Keras 3 also names each metric class by its snake-case name
    "f1_score": F1Score, "f_beta_score": FBetaScore, "r2_score": R2Score, "io_u": IoU, "mean_io_u": MeanIoU,
    "binary_io_u": BinaryIoU, "one_hot_io_u": OneHotIoU, "one_hot_mean_io_u": OneHotMeanIoU,
    "sensitivity_at_specificity": SensitivityAtSpecificity, "specificity_at_sensitivity": SpecificityAtSensitivity,
    "precision_at_recall": PrecisionAtRecall, "recall_at_precision": RecallAtPrecision,
    "pearson_correlation": PearsonCorrelation, "concordance_correlation": ConcordanceCorrelation,
}

_FUNCTIONS = {
    "accuracy": accuracy, "binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    "mean_squared_error": mean_squared_error, "mse": mse, "MSE": MSE, "mean_absolute_error": mean_absolute_error,
    "mae": mae, "MAE": MAE, "mean_absolute_percentage_error": mean_absolute_percentage_error, "mape": mape,
    "MAPE": MAPE, "mean_squared_logarithmic_error": mean_squared_logarithmic_error, "msle": msle, "MSLE": MSLE,
    "cosine_similarity": cosine_similarity, "log_cosh": log_cosh, "logcosh": logcosh, "hinge": hinge,
    "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge, "kl_divergence": kl_divergence,
    "kld": kld, "KLD": KLD, "kullback_leibler_divergence": kullback_leibler_divergence, "poisson": poisson,
    "binary_crossentropy": binary_crossentropy, "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "huber": huber, "binary_focal_crossentropy": binary_focal_crossentropy,
    "categorical_focal_crossentropy": categorical_focal_crossentropy,
    "pearson_correlation": pearson_correlation, "concordance_correlation": concordance_correlation,
}


register_builtins("keras.metrics", "metric", classes=(Metric,) + _CLASS_LIST)
_MODULE_OBJECTS = register_builtins("keras.metrics", "metric", functions=list(_FUNCTIONS.values()),
                                    aliases={**_FUNCTIONS, **{k: v for k, v in _NAMES.items() if k not in _FUNCTIONS}})


def _valid_names():
    return sorted(set(_NAMES) | set(_CLASSES))


def _unknown(identifier):
    close = difflib.get_close_matches(str(identifier), _valid_names(), n=3)
    suggestion = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return ValueError(f"Unknown metric: expected a metric name or class name, one of {_valid_names()}; or a "
                      f"config dict, a function of (y_true, y_pred), a Metric class or instance. "
                      f"Received: {identifier!r}.{suggestion}")


def _lookup(name):
    """The class for a metric name, alias or class name (case-insensitive as a fallback), or the object
    registered under that name."""
    for table in (_CLASSES, _NAMES, _FUNCTIONS):  # (a function without a class of its own, as 'huber': itself)
        if name in table:
            return table[name]
    custom = get_registered_object(name)
    if custom is not None:
        return custom
    lowered = {k.lower(): k for k in _valid_names()}
    if name.lower() in lowered:
        return _lookup(lowered[name.lower()])
    raise _unknown(name)


def _metric_function(name):
    """The function a MeanMetricWrapper config names: by name, or as a function config (Keras 3's)."""
    if isinstance(name, dict):
        return deserialize_keras_object(name, module_objects=_FUNCTIONS, printable_module_name="metric",
                                        owner="MeanMetricWrapper")
    fn = _FUNCTIONS.get(name) or get_registered_object(name)
    if fn is None:
        raise ValueError(f"MeanMetricWrapper: unknown metric function {name!r}. Expected one of "
                         f"{sorted(_FUNCTIONS)}, or a function registered with "
                         "dendrite.saving.register_keras_serializable().")
    return fn


def get(identifier):
    """A Metric instance from a name or alias ('mae', 'binary_accuracy', 'auc'), a class name ('AUC'),
    a ``{'class_name', 'config'}`` dict, or a Metric class; a Metric instance or a function of
    (y_true, y_pred) is returned as it is."""
    if identifier is None or isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        identifier = _lookup(identifier)
        return identifier() if isinstance(identifier, type) else identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        if identifier in (Metric, MeanMetricWrapper):
            raise ValueError(f"metrics.get: {identifier.__name__} cannot be built without arguments. "
                             f"Received: {identifier!r}. Pass an instance or a metric name such as 'mae'.")
        return identifier()
    if callable(identifier):
        return identifier
    raise _unknown(identifier)


def _shape(x):
    if x is None:
        return None
    return tuple(x.shape) if hasattr(x, "shape") else tuple(x)


def _loss_object(loss):
    from .. import losses
    if isinstance(loss, (str, dict)):
        try:
            return losses.get(loss)
        except ValueError:
            return None
    return loss


def _loss_kind(loss):
    """'binary', 'sparse' or 'categorical' for the three cross-entropy losses, else None."""
    from .. import losses
    obj = _loss_object(loss)
    fn = getattr(obj, "fn", obj)
    kinds = {"binary": (losses.binary_crossentropy, losses.BinaryCrossentropy),
             "sparse": (losses.sparse_categorical_crossentropy, losses.SparseCategoricalCrossentropy),
             "categorical": (losses.categorical_crossentropy, losses.CategoricalCrossentropy)}
    for kind, (function, cls) in kinds.items():
        if fn is function or isinstance(obj, cls):
            return kind
    return None


def target_kind(loss, y_true_shape, y_pred_shape):
    """How compile reads 'accuracy', by Keras 3's rule on the shapes: binary when y_pred has one column;
    sparse when y_true has fewer axes than y_pred, or one column against several; otherwise categorical
    (so binary_crossentropy on several sigmoid columns is scored by CategoricalAccuracy, as in Keras 3).
    The loss decides only where the shapes cannot: an unknown shape, or a one-axis y_pred."""
    kind = _loss_kind(loss)
    yt, yp = _shape(y_true_shape), _shape(y_pred_shape)
    if yt is None or yp is None or len(yp) < 2:
        if kind == "binary" or (yp and yp[-1] == 1):
            return "binary"
        return kind or "categorical"
    if yp[-1] == 1:
        return "binary"
    if len(yt) < len(yp) or (yt and yt[-1] == 1 and (yp[-1] or 0) > 1):
        return "sparse"
    return "categorical"


def resolve(identifier, loss=None, y_true_shape=None, y_pred_shape=None):
    """The Metric that ``compile(metrics=[identifier])`` tracks, named as the user wrote it.

    'accuracy'/'acc' (any case) become BinaryAccuracy, SparseCategoricalAccuracy or
    CategoricalAccuracy, and 'crossentropy'/'ce' the matching crossentropy (with the loss's
    from_logits), chosen by :func:`target_kind`. Other names go through :func:`get`; a
    string names the metric ('mae' gives the key 'mae') except a class name, which keeps the
    class's own name ('AUC' gives 'auc'). A plain function is wrapped in a running mean.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc", "crossentropy", "ce"):
        kind = target_kind(loss, y_true_shape, y_pred_shape)
        if identifier.lower() in ("accuracy", "acc"):
            cls = {"binary": BinaryAccuracy, "sparse": SparseCategoricalAccuracy,
                   "categorical": CategoricalAccuracy}[kind]
            return cls(name=identifier)
        cls = {"binary": BinaryCrossentropy, "sparse": SparseCategoricalCrossentropy,
               "categorical": CategoricalCrossentropy}[kind]
        return cls(name=identifier, from_logits=bool(getattr(_loss_object(loss), "from_logits", False)))
    metric = get(identifier)
    if isinstance(metric, Metric):
        if isinstance(identifier, str) and identifier not in _CLASSES:
            metric.name = identifier
        return metric
    name = getattr(metric, "__name__", None) or getattr(metric, "name", None) or type(metric).__name__
    return MeanMetricWrapper(metric, name=name)


def serialize(metric):
    """A metric's config in Keras 3's format ({'module', 'class_name', 'config', 'registered_name'}); a
    metric function as Keras writes functions."""
    return serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """The metric a config describes: dendrite's own, a registered one, or one in ``custom_objects`` (a
    function config gives the function)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise _unknown(config)
    obj = deserialize_keras_object(config, custom_objects, module_objects=_MODULE_OBJECTS,
                                   printable_module_name="metric")
    return obj() if isinstance(obj, type) else obj


__all__ = [
    "Metric", "Mean", "Sum", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy",
    "SparseCategoricalAccuracy", "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "MeanSquaredError",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "RootMeanSquaredError",
    "CosineSimilarity", "LogCoshError", "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "TruePositives",
    "FalsePositives", "TrueNegatives", "FalseNegatives", "Precision", "Recall", "AUC",
    "F1Score", "FBetaScore", "R2Score", "IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU",
    "SensitivityAtSpecificity", "SpecificityAtSensitivity", "PrecisionAtRecall", "RecallAtPrecision",
    "PearsonCorrelation", "ConcordanceCorrelation", "pearson_correlation", "concordance_correlation", "huber",
    "binary_focal_crossentropy", "categorical_focal_crossentropy", "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "mean_squared_error", "mse", "MSE",
    "mean_absolute_error", "mae", "MAE", "mean_absolute_percentage_error", "mape", "MAPE",
    "mean_squared_logarithmic_error", "msle", "MSLE", "cosine_similarity", "log_cosh", "logcosh", "hinge",
    "squared_hinge", "categorical_hinge", "kl_divergence", "kld", "KLD", "kullback_leibler_divergence",
    "poisson", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "get", "resolve", "target_kind", "serialize", "deserialize",
]
