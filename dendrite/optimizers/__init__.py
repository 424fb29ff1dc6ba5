"""Optimizers by name and class, with Keras 3 defaults and update rules.

``get('adam')`` (any case), ``get({'class_name': 'Adam', 'config': {...}})`` or
``get(Adam())`` give an optimizer; ``serialize``/``deserialize`` convert to and
from the ``{'class_name', 'config'}`` form. Schedules live in
``dendrite.optimizers.schedules``.
"""
from . import schedules
from .adagrad import Adadelta, Adagrad
from .adam import Adam, Adamax, AdamW, Nadam
from .base import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

_ALL = {cls.__name__.lower(): cls
        for cls in (SGD, RMSprop, Adam, AdamW, Adamax, Nadam, Adagrad, Adadelta)}


def serialize(optimizer):
    """``{'class_name': ..., 'config': ...}`` for an optimizer."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError("optimizers.serialize: expected an Optimizer instance. "
                        f"Received: {optimizer!r} (type {type(optimizer).__name__}).")
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def _unknown(name):
    import difflib

    close = difflib.get_close_matches(str(name).lower(), list(_ALL), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ValueError(
        f"Unknown optimizer: {name!r}. Valid names (any case): {', '.join(sorted(_ALL))}.{hint}"
    )


def deserialize(config, custom_objects=None):
    """Rebuild an optimizer from ``serialize``'s output (Keras's extra keys are ignored).

    Only the built-in classes, and classes named in ``custom_objects``, are created.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("optimizers.deserialize: expected a dict {'class_name': ..., 'config': {...}}. "
                         f"Received: {config!r}.")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _ALL.get(str(name).lower())
    if cls is None:
        raise _unknown(name)
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)


def get(identifier):
    """An optimizer from a name, a config dict, an instance (returned as is) or a class."""
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = _ALL.get(identifier.lower())
        if cls is None:
            raise _unknown(identifier)
        return cls()
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
           "Adadelta", "schedules", "get", "serialize", "deserialize"]
