"""Losses by name: ``get`` (a name or alias gives the function, a class name an instance, a config dict the
object it describes), ``serialize`` and ``deserialize``."""
import difflib

from ..saving.builtin_objects import register_builtins
from ..saving.object_registration import get_registered_object
from ..saving.serialization import deserialize_keras_object, serialize_keras_object
from . import functions as F
from .focal import (BinaryFocalCrossentropy, CategoricalFocalCrossentropy, binary_focal_crossentropy,
                    categorical_focal_crossentropy)
from .overlap import Dice, Tversky, dice, tversky
from .circle import Circle, circle
from .ctc import CTC, ctc
from .generalized_ce import CategoricalGeneralizedCrossEntropy, categorical_generalized_cross_entropy
from .classes import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge,
                      Huber, KLDivergence, LogCosh, Loss, LossFunctionWrapper, MeanAbsoluteError,
                      MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError, Poisson,
                      SparseCategoricalCrossentropy, SquaredHinge)


_FUNCTIONS = {
    "mean_squared_error": F.mean_squared_error, "mse": F.mse, "MSE": F.MSE,
    "mean_absolute_error": F.mean_absolute_error, "mae": F.mae, "MAE": F.MAE,
    "mean_absolute_percentage_error": F.mean_absolute_percentage_error, "mape": F.mape, "MAPE": F.MAPE,
    "mean_squared_logarithmic_error": F.mean_squared_logarithmic_error, "msle": F.msle, "MSLE": F.MSLE,
    "huber": F.huber, "log_cosh": F.log_cosh, "logcosh": F.logcosh,
    "binary_crossentropy": F.binary_crossentropy, "bce": F.bce, "BCE": F.BCE,
    "categorical_crossentropy": F.categorical_crossentropy,
    "sparse_categorical_crossentropy": F.sparse_categorical_crossentropy,
    "hinge": F.hinge, "squared_hinge": F.squared_hinge, "categorical_hinge": F.categorical_hinge,
    "kl_divergence": F.kl_divergence, "kld": F.kld, "KLD": F.KLD, "kullback_leibler_divergence": F.kl_divergence,
    "poisson": F.poisson, "cosine_similarity": F.cosine_similarity,
    "binary_focal_crossentropy": binary_focal_crossentropy,
    "categorical_focal_crossentropy": categorical_focal_crossentropy, "dice": dice, "tversky": tversky,
    "circle": circle, "ctc": ctc, "categorical_generalized_cross_entropy": categorical_generalized_cross_entropy,
}
_CLASSES = {cls.__name__: cls for cls in (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, Huber, LogCosh, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
    CosineSimilarity, BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Dice, Tversky, Circle,
    CategoricalGeneralizedCrossEntropy, CTC)}
register_builtins("keras", "loss", classes=[Loss])
# Keras 3 does not export its LossFunctionWrapper: configs name it by its source module
register_builtins("keras.src.losses.losses", "loss", classes=[LossFunctionWrapper],
                  registered_names={LossFunctionWrapper: "LossFunctionWrapper"})
_NAMES = register_builtins("keras.losses", "loss", functions=list(_FUNCTIONS.values()),
                           classes=[c for c in _CLASSES.values() if c not in (Loss, LossFunctionWrapper)],
                           aliases={**_FUNCTIONS, "LossFunctionWrapper": LossFunctionWrapper})


def _unknown(identifier, names):
    close = difflib.get_close_matches(str(identifier), names, n=3)
    suggestion = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    classes = sorted(set(_CLASSES) - {"Loss", "LossFunctionWrapper"})
    return ValueError(f"Unknown loss: expected one of the loss names {sorted(_FUNCTIONS)}, a class name in "
                      f"{classes}, a name registered with dendrite.saving.register_keras_serializable(), a config "
                      f"dict, a callable or a Loss instance. Received: {identifier!r}.{suggestion}")


def _lookup(name):
    if name in _FUNCTIONS:
        return _FUNCTIONS[name]
    if name in _CLASSES:
        return _CLASSES[name]
    custom = get_registered_object(name)
    if custom is not None:
        return custom
    lowered = {k.lower(): k for k in list(_FUNCTIONS) + list(_CLASSES)}
    key = lowered.get(name.lower())
    if key is None:
        raise _unknown(name, list(_FUNCTIONS) + list(_CLASSES))
    return _lookup(key)


def get(identifier):
    """A loss from a name or alias (a function, as in Keras), a class name (an instance), a registered
    custom name, a config dict (Keras 3's or tf.keras 2's), a callable, or a Loss instance."""
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        obj = _lookup(identifier)
    elif isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif callable(identifier):
        obj = identifier
    else:
        raise _unknown(identifier, list(_FUNCTIONS) + list(_CLASSES))
    if isinstance(obj, type) and issubclass(obj, Loss):
        if obj in (Loss, LossFunctionWrapper):
            raise ValueError(f"losses.get: {obj.__name__} is a base class and cannot be used as a loss by "
                             f"itself. Received: {identifier!r}. Use a concrete loss such as 'mse'.")
        return obj()
    return obj


def serialize(loss):
    """A loss's config in Keras 3's format: a Loss as {'module', 'class_name', 'config', 'registered_name'},
    a function as Keras writes functions."""
    return serialize_keras_object(loss)


def deserialize(config, custom_objects=None):
    """The loss a config describes: dendrite's own, a registered one, or one in ``custom_objects``."""
    return deserialize_keras_object(config, custom_objects, module_objects=_NAMES, printable_module_name="loss")


def is_builtin(loss):
    """Whether ``loss`` is one of dendrite's own losses: a loss function of this package, an instance of one
    of its Loss classes, or a LossFunctionWrapper around such a function (all compare the model's output
    with targets, and all are minimised)."""
    if type(loss) is LossFunctionWrapper:
        loss = loss.fn
    if isinstance(loss, Loss):
        return type(loss) in _CLASSES.values()
    return any(loss is f for f in _FUNCTIONS.values())
