"""Optimizers by name and class, with Keras 3 defaults and update rules.

``get('adam')`` (any case), ``get({'class_name': 'Adam', 'config': {...}})`` or
``get(Adam())`` give an optimizer; ``serialize``/``deserialize`` convert to and
from the ``{'class_name', 'config'}`` form. Schedules live in
``dendrite.optimizers.schedules``.
"""
from ..saving.builtin_objects import register_builtins
from ..saving.object_registration import get_registered_object
from ..saving.serialization import deserialize_keras_object, serialize_keras_object
from . import schedules
from .adafactor import Adafactor
from .adagrad import Adadelta, Adagrad
from .adam import Adam, Adamax, AdamW, Nadam
from .base import Optimizer
from .ftrl import Ftrl
from .lamb import Lamb
from .lion import Lion
from .loss_scale import LossScaleOptimizer
from .rmsprop import RMSprop
from .sgd import SGD

_CLASSES = (SGD, RMSprop, Adam, AdamW, Adamax, Nadam, Adagrad, Adadelta, Ftrl, Lion, Adafactor, LossScaleOptimizer, Lamb)
_ALL = {cls.__name__.lower(): cls for cls in _CLASSES}
_NAMES = register_builtins("keras.optimizers", "optimizer", classes=(Optimizer,) + _CLASSES, aliases=_ALL)


def serialize(optimizer):
    """An optimizer's config in Keras 3's format ({'module', 'class_name', 'config', 'registered_name'}),
    its learning-rate schedule included."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError("optimizers.serialize: expected an Optimizer instance. "
                        f"Received: {optimizer!r} (type {type(optimizer).__name__}).")
    return serialize_keras_object(optimizer)


def _unknown(name):
    import difflib

    close = difflib.get_close_matches(str(name).lower(), list(_ALL), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ValueError(
        f"Unknown optimizer: {name!r}. Valid names (any case): {', '.join(sorted(_ALL))}, or a name registered "
        f"with dendrite.saving.register_keras_serializable().{hint}"
    )


def _builtin_name(name):
    """A built-in optimizer's class name in any case, or as tf.keras 2.11+ wrote it ('Custom>Adam')."""
    if isinstance(name, str) and name.startswith("Custom>") and get_registered_object(name) is None:
        name = name[len("Custom>"):]
    cls = _ALL.get(name.lower()) if isinstance(name, str) else None
    return cls.__name__ if cls is not None else name


def deserialize(config, custom_objects=None):
    """Rebuild an optimizer from its config (Keras 3's, or tf.keras 2's; Keras's extra keys are ignored).

    Only the built-in classes, classes registered with ``dendrite.saving.register_keras_serializable`` and
    those named in ``custom_objects`` (or an active ``custom_object_scope``) are created.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("optimizers.deserialize: expected a dict {'class_name': ..., 'config': {...}}. "
                         f"Received: {config!r}.")
    name = config["class_name"]
    if get_registered_object(name, custom_objects) is None and name != _builtin_name(name):
        config = {**config, "class_name": _builtin_name(name)}
    return deserialize_keras_object(config, custom_objects, module_objects=_NAMES, printable_module_name="optimizer")


def get(identifier):
    """An optimizer from a name (any case, or a registered custom name), a config dict, an instance
    (returned as is) or a class."""
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = _ALL.get(identifier.lower()) or get_registered_object(identifier)
        if cls is None:
            raise _unknown(identifier)
        return cls() if isinstance(cls, type) else cls
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r} (type {type(identifier).__name__}). "
        f"Expected a name ({', '.join(sorted(_ALL))}), a dict {{'class_name', 'config'}} or an "
        "Optimizer instance."
    )


__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adamax", "Nadam", "Adagrad",
           "Adadelta", "Ftrl", "Lion", "Adafactor", "LossScaleOptimizer", "Lamb", "schedules", "get", "serialize",
           "deserialize"]
