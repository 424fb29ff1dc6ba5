"""Custom objects by name: the global registry that ``register_keras_serializable`` fills, and the
``CustomObjectScope`` that exposes a dict of objects to every deserialization inside a ``with`` block.

A registered object is known as ``'package>name'`` (Keras 3's key); ``get_registered_object`` looks a
name up in the active scopes, then the global registry, then the ``custom_objects`` and
``module_objects`` it is given. Nothing here imports anything by name: an object is only found when
the user's own code has registered it or passed it in.
"""
import inspect
import threading

_GLOBAL_CUSTOM_OBJECTS = {}  # 'package>name' -> class or function
_GLOBAL_CUSTOM_NAMES = {}  # class or function -> 'package>name'
_scope = threading.local()  # .objects: the dict of the innermost active CustomObjectScope (per thread)


def _check_part(value, what):
    if not isinstance(value, str) or not value or ">" in value:
        raise ValueError(f"register_keras_serializable: `{what}` must be a non-empty string without '>' (the "
                         f"registered name is 'package>name'). Received: {what}={value!r}.")
    return value


def register_keras_serializable(package="Custom", name=None):
    """A decorator that registers a class or function under ``'package>name'`` (``name`` defaults to its
    ``__name__``), so that configs naming it load without ``custom_objects``. A class must define
    ``get_config``; registering a name again replaces the earlier object (as when a notebook cell is run
    twice)."""
    _check_part(package, "package")
    if name is not None:
        _check_part(name, "name")

    def decorator(obj):
        if not callable(obj):
            raise TypeError(f"register_keras_serializable: expected a class or a function; received {obj!r} of "
                            f"type {type(obj).__name__}.")
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"register_keras_serializable: the class {obj.__name__} has no get_config() method, so "
                             "its instances cannot be saved. Define get_config() returning the constructor arguments.")
        key = f"{package}>{name if name is not None else obj.__name__}"
        _GLOBAL_CUSTOM_OBJECTS[key] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = key
        return obj

    return decorator


def get_registered_name(obj):
    """The name ``obj`` was registered under, else its ``__name__``."""
    try:
        return _GLOBAL_CUSTOM_NAMES[obj]
    except (KeyError, TypeError):  # TypeError: an unhashable object
        return obj.__name__


def get_custom_objects():
    """The live global dict of registered objects (``'package>name'`` -> object); objects of an active
    ``custom_object_scope`` are not in it."""
    return _GLOBAL_CUSTOM_OBJECTS


def scoped_objects():
    """The objects of the active ``custom_object_scope`` blocks of this thread (an empty dict outside)."""
    return getattr(_scope, "objects", None) or {}


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object known as ``name``: from the active scopes, the global registry, ``custom_objects``, then
    ``module_objects`` (in that order); None when none has it."""
    for table in (scoped_objects(), _GLOBAL_CUSTOM_OBJECTS, custom_objects or {}, module_objects or {}):
        if isinstance(name, str) and name in table:
            return table[name]
    return None


class CustomObjectScope:
    """``with CustomObjectScope({'MyLayer': MyLayer}, ...):`` makes those objects known by name to every
    deserialization in the block (``model_from_json``, a family's ``get`` or ``deserialize``,
    ``from_config``). Scopes nest: an inner scope adds to the outer ones, and wins on equal names."""

    def __init__(self, *custom_objects):
        merged = {}
        for objects in custom_objects:
            if objects is None:
                continue
            if not isinstance(objects, dict) or not all(isinstance(k, str) for k in objects):
                raise TypeError(f"CustomObjectScope: expected dicts of {{name: class or function}}; received "
                                f"{objects!r}.")
            merged.update(objects)
        self.custom_objects = merged
        self._saved = None

    def __enter__(self):
        self._saved = getattr(_scope, "objects", None)
        _scope.objects = {**(self._saved or {}), **self.custom_objects}
        return self

    def __exit__(self, *exc):
        _scope.objects = self._saved
        return False


custom_object_scope = CustomObjectScope
