"""Objects to configs and back, in Keras 3's format.

A class instance is written ``{'module', 'class_name', 'config', 'registered_name'}`` (plus
``build_config`` for a built layer): dendrite's own classes under their Keras module
('keras.initializers') with ``registered_name`` None, a registered class under its module and
``'package>name'``, any other class under its module and class name. A function is written as Keras
writes one: ``{'module': 'builtins', 'class_name': 'function', 'config': <its registered name or
__name__>, 'registered_name': 'function'}``. Values: tuples and lists item by item, NumPy scalars as
numbers, arrays as ``{'class_name': '__numpy__', ...}``, bytes, slices and Ellipsis as Keras marks them.

Loading resolves a class or function only by name: from the active ``custom_object_scope``, the
registry of ``register_keras_serializable``, the ``custom_objects`` given, and dendrite's own objects
(the ``module`` of a config only picks which of dendrite's tables to look in). It never imports a module a
config names and never runs code from a config: a lambda (Keras stores its bytecode) is refused, whatever
``safe_mode`` says, and so is a lambda on saving.
"""
import inspect
import threading
import types

import numpy as np

from ..autodiff.tensor import Tensor
from . import builtin_objects
from .object_registration import CustomObjectScope, get_registered_name, get_registered_object, scoped_objects

_PLAIN = (str, int, float, bool)
_safe_mode = threading.local()  # .value: the safe_mode of the outermost deserialize_keras_object running


# ------------------------------------------------------------------ saving
def serialize_keras_object(obj):
    """The config of ``obj`` (see the module's docstring); None, strings, numbers and booleans as they are."""
    if obj is None or isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {"start": serialize_keras_object(obj.start),
                                                      "stop": serialize_keras_object(obj.stop),
                                                      "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, np.dtype) or (inspect.isclass(obj) and issubclass(obj, np.generic)):
        return np.dtype(obj).name
    if isinstance(getattr(obj, "dtype", None), np.dtype) and not hasattr(obj, "shape"):  # tf.float32 and kin
        return str(getattr(obj, "name", np.dtype(obj).name))
    if isinstance(obj, Tensor):
        return {"class_name": "__tensor__", "config": {"value": np.asarray(obj.value).tolist(),
                                                       "dtype": obj.dtype.name}}
    if isinstance(obj, (np.ndarray, np.generic)):
        if obj.ndim == 0:
            return obj.item()
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        raise ValueError(
            f"Cannot serialize the lambda {obj!r}: dendrite never writes code into a config (Keras would store its "
            "Python bytecode, which loading would have to execute; dendrite refuses to load that, whatever "
            "safe_mode says). Define a named function instead and register it with "
            "@dendrite.saving.register_keras_serializable(), or pass it in custom_objects when loading.")
    if inspect.isclass(obj):
        raise TypeError(f"serialize_keras_object: expected an instance or a function; received the class "
                        f"{obj.__name__}. Create an instance first, e.g. {obj.__name__}().")
    if not hasattr(obj, "get_config"):
        if callable(obj) and hasattr(obj, "__name__"):  # a function (or a builtin / NumPy function)
            return {"module": "builtins", "class_name": "function", "config": get_registered_name(obj),
                    "registered_name": "function"}
        raise TypeError(f"Cannot serialize {obj!r} of type {type(obj).__name__}: a saved object must define "
                        "get_config() returning its constructor arguments (or be a named function).")
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"{type(obj).__name__}.get_config() must return a dict; it returned {config!r}.")
    cls = type(obj)
    public = builtin_objects.public_name(cls)
    if public is not None:
        module, class_name, registered_name = public
    else:
        module = None if cls.__module__ == "__main__" else cls.__module__
        class_name, registered_name = cls.__name__, get_registered_name(cls)
    out = {"module": module, "class_name": class_name, "config": serialize_keras_object(config),
           "registered_name": registered_name}
    build = build_config(obj)
    if build is not None:
        out["build_config"] = build
    return out


def build_config(obj):
    """``{'input_shape': ...}`` for a built layer (its own ``get_build_config`` if it has one), else None.
    An InputLayer has none, as in Keras."""
    own = getattr(obj, "get_build_config", None)
    if callable(own) and getattr(type(obj).get_build_config, "__qualname__", "").split(".")[0] != \
            "LayerIntrospection":  # a class's own get_build_config (Layer's is the shape below)
        config = own()
        return serialize_keras_object(config) if config else None
    shape = getattr(obj, "_build_shape", None)
    if not getattr(obj, "built", False) or type(obj).__name__ == "InputLayer":
        return None
    if isinstance(shape, tuple):
        return {"input_shape": list(shape)}
    if isinstance(shape, list) and all(isinstance(s, tuple) for s in shape):
        return {"input_shape": [list(s) for s in shape]}
    return None


# ------------------------------------------------------------------ loading
class _SafeModeScope:
    def __init__(self, safe_mode):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._saved = getattr(_safe_mode, "value", None)
        _safe_mode.value = self.safe_mode

    def __exit__(self, *exc):
        _safe_mode.value = self._saved
        return False


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object that ``config`` describes (``serialize_keras_object``'s output, Keras 3's, or a tf.keras 2
    ``{'class_name', 'config'}``).

    Classes and functions are found only by name (see the module's docstring). A family passes
    ``module_objects`` (its name table: only those built-ins are accepted) and ``printable_module_name``
    (what its objects are called in messages); ``owner`` prefixes messages (e.g. "Dense 'd'
    kernel_constraint"). ``safe_mode`` is kept for Keras's signature: code in a config is refused either way.
    """
    module_objects = kwargs.pop("module_objects", None)
    what = kwargs.pop("printable_module_name", None)
    owner = kwargs.pop("owner", None)
    if kwargs:
        raise TypeError(f"deserialize_keras_object: unexpected argument(s) {sorted(kwargs)}. Accepted: config, "
                        "custom_objects, safe_mode, module_objects, printable_module_name, owner.")
    outer = getattr(_safe_mode, "value", None)
    safe_mode = outer if outer is not None else safe_mode
    custom_objects = dict(custom_objects or {})

    def again(value):
        return deserialize_keras_object(value, custom_objects, safe_mode, module_objects=module_objects,
                                        printable_module_name=what, owner=owner)

    if config is None or isinstance(config, (int, float, bool)):
        return config
    if isinstance(config, str):
        found = get_registered_object(config, custom_objects, module_objects)
        return config if found is None else found
    if isinstance(config, (list, tuple)):
        return [again(x) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"{_prefix(owner)}could not read the config {_short(config)} of type "
                        f"{type(config).__name__}: expected a dict, a list, a string or a number.")
    if "class_name" not in config or ("config" not in config and module_objects is None):
        return {key: again(value) for key, value in config.items()}
    class_name, inner = config["class_name"], config.get("config")
    special = _special(class_name, inner, config, safe_mode, owner, again)
    if special is not _NOT_SPECIAL:
        return special
    if class_name == "function":
        return _resolve_function(config, custom_objects, module_objects, what, owner)
    if not isinstance(class_name, str):
        raise TypeError(f"{_prefix(owner)}a config's 'class_name' must be a string; received {class_name!r} in "
                        f"{_short(config)}.")
    found = _resolve_class(config, custom_objects, module_objects, what, owner, safe_mode)
    if not inspect.isclass(found):
        return found  # a function (or an object) registered under a class's name
    if not hasattr(found, "from_config"):
        raise TypeError(f"{_prefix(owner)}cannot rebuild '{class_name}': the class {found.__name__} has no "
                        "from_config() method.")
    if inner is None:
        inner = {}
    if not isinstance(inner, dict):
        raise TypeError(f"{_prefix(owner)}the 'config' of a {class_name} must be a dict; received {_short(inner)}.")
    with CustomObjectScope(custom_objects), _SafeModeScope(safe_mode):
        instance = found.from_config(dict(inner))
        shape = (config.get("build_config") or {}).get("input_shape") if isinstance(
            config.get("build_config"), dict) else None
        if shape is not None and not getattr(instance, "built", True) and hasattr(instance, "_maybe_build"):
            instance._maybe_build(_shape_from_list(shape))
    return instance


def family_get(identifier, names, deserialize, unknown):
    """What a family's ``get`` makes of ``identifier``: a name from the family's ``names`` or the registry
    (else the error ``unknown(name)`` builds), a config dict through the family's ``deserialize``, or any other
    object; a class is instantiated with its defaults. None when the result is not callable (the family then
    says what it accepts)."""
    if isinstance(identifier, str):
        obj = names.get(identifier) or get_registered_object(identifier)
        if obj is None:
            raise unknown(identifier)
    elif isinstance(identifier, dict):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj):
        return obj()
    return obj if callable(obj) else None


def _shape_from_list(shape):
    """A build shape read from JSON: a tuple, or a list of tuples for several inputs."""
    if isinstance(shape, (list, tuple)) and shape and all(isinstance(s, (list, tuple)) for s in shape):
        return [tuple(s) for s in shape]
    if not isinstance(shape, (list, tuple)) or not all(s is None or isinstance(s, int) for s in shape):
        raise ValueError(f"build_config: 'input_shape' must be a list of ints and None (or a list of such lists); "
                         f"received {_short(shape)}.")
    return tuple(shape)


_NOT_SPECIAL = object()
_NUMERIC_KINDS = "biufc"


def _special(class_name, inner, config, safe_mode, owner, again):
    """The values Keras marks with a reserved class name, or _NOT_SPECIAL."""
    if class_name == "__lambda__":
        raise ValueError(_code_refused(owner, "a Python lambda", safe_mode))
    if class_name in ("__numpy__", "__tensor__"):
        if not isinstance(inner, dict) or "value" not in inner:
            raise ValueError(f"{_prefix(owner)}an array config needs {{'value': ..., 'dtype': ...}}; received "
                             f"{_short(config)}.")
        try:
            dtype = np.dtype(inner.get("dtype") or "float32")
        except TypeError:
            dtype = None
        if dtype is None or dtype.kind not in _NUMERIC_KINDS:
            raise ValueError(f"{_prefix(owner)}an array in a config must have a numeric or bool dtype; received "
                             f"dtype={inner.get('dtype')!r}.")
        array = np.array(inner["value"], dtype=dtype)
        return array if class_name == "__numpy__" else Tensor(array)
    if class_name == "__bytes__":
        return str((inner or {}).get("value", "")).encode("utf-8")
    if class_name == "__slice__":
        inner = inner or {}
        return slice(again(inner.get("start")), again(inner.get("stop")), again(inner.get("step")))
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__keras_tensor__":
        raise ValueError(f"{_prefix(owner)}a symbolic tensor ('__keras_tensor__') only has a meaning inside a "
                         "functional model's config; load the whole model (Model.from_config / model_from_json).")
    return _NOT_SPECIAL


def _code_refused(owner, what, safe_mode):
    mode = ("safe_mode=True refuses it" if safe_mode else
            "dendrite refuses it even with safe_mode=False: it never loads Python bytecode")
    return (f"{_prefix(owner)}the config holds {what}, stored as Python bytecode; loading it would execute code "
            f"from the file, and {mode}. Rewrite the function as a named function in your code, register it with "
            "@dendrite.saving.register_keras_serializable() (or pass it in custom_objects) and save the model again.")


def _holds_code(config, top=True):
    """Whether a config holds a function stored as code (a Keras 3 '__lambda__', a Keras 2 Lambda's
    'function_type': 'lambda') of its own: the configs of other objects nested in it (a model's layers, a
    wrapper's layer) are looked at when they are loaded, so that the refusal names the layer that holds it."""
    if isinstance(config, dict):
        if config.get("class_name") == "__lambda__" or config.get("function_type") == "lambda":
            return True
        if not top and isinstance(config.get("class_name"), str) and "config" in config:
            return False  # another object's config
        return any(_holds_code(v, top=False) for v in config.values())
    if isinstance(config, list):
        return any(_holds_code(v, top=False) for v in config)
    return False


def _custom(names, custom_objects):
    for name in names:
        if name is not None:
            found = get_registered_object(name, custom_objects)
            if found is not None:
                return found
    return None


def _resolve_function(config, custom_objects, module_objects, what, owner):
    name, registered = config.get("config"), config.get("registered_name")
    if not isinstance(name, str) or not name:
        raise TypeError(f"{_prefix(owner)}a function's config must be its name, a non-empty string; received "
                        f"{_short(config)}.")
    found = _custom([name, None if registered in (None, "function") else registered], custom_objects)
    module = config.get("module")
    if found is None and module_objects is not None:
        found = module_objects.get(name)
    elif found is None and (module in (None, "builtins") or builtin_objects.is_keras_module(module)):
        found = builtin_objects.find_function(name)
    if found is None:  # the same function under 'package>name' in one place and 'name' in the other
        short = name.split(">", 1)[1] if ">" in name else None
        found = _custom([short], custom_objects) or next(
            (obj for key, obj in {**custom_objects, **scoped_objects()}.items() if key.endswith(">" + name)), None)
    if found is None:
        kind = f"{what} function" if what else "function"
        known = f" Known {kind}s: {_names(module_objects)}." if module_objects else ""
        raise ValueError(f"{_prefix(owner)}{_capital('unknown', owner)} {kind} {name!r} in {_short(config)}.{known} "
                         f"{_how_to_register(name.split('>')[-1], 'function')}")
    return found


def _resolve_class(config, custom_objects, module_objects, what, owner, safe_mode):
    class_name, module = config["class_name"], config.get("module")
    if _holds_code(config.get("config")):  # refused whatever the class (Lambda is one of dendrite's own)
        name = (config.get("config") or {}).get("name") if isinstance(config.get("config"), dict) else None
        raise ValueError(_code_refused(owner, f"a {class_name} layer{f' {name!r}' if name else ''} whose function",
                                       safe_mode))
    registered = config["registered_name"] if "registered_name" in config else class_name
    found = _custom([registered, class_name], custom_objects) if registered is not None else None
    if found is None and module_objects is not None:
        found = module_objects.get(class_name)
    elif found is None:
        found = builtin_objects.find_class(class_name, module)
    if found is not None:
        return found
    what = what or builtin_objects.kind(module) or "object"
    where = [f"module {module!r}"] if module and not builtin_objects.is_keras_module(module) else []
    if registered not in (None, class_name):
        where.append(f"registered as {registered!r}")
    where = f" ({', '.join(where)})" if where else ""
    table = module_objects if module_objects is not None else builtin_objects.table(module)
    known = f" Known {what}s: {_names(table)}." if table else ""
    raise ValueError(f"{_prefix(owner)}{_capital('unknown', owner)} {what} class {class_name!r}{where} in "
                     f"{_short(config)}.{known} {_how_to_register(class_name, 'class')}")


def _how_to_register(name, what):
    return (f"dendrite builds only its own objects, those registered with "
            f"@dendrite.saving.register_keras_serializable() and those passed in custom_objects; it never imports "
            f"the module a config names. To load a custom {what}: decorate it with "
            f"@dendrite.saving.register_keras_serializable(package='Custom') and import it before loading, or pass "
            f"custom_objects={{{name!r}: {name}}}, or load inside "
            f"`with dendrite.saving.custom_object_scope({{{name!r}: {name}}}):`.")


def _names(table):
    return ", ".join(sorted(table, key=str))


def _prefix(owner):
    return f"{owner}: " if owner else ""


def _capital(word, owner):
    return word if owner else word.capitalize()


def _short(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
