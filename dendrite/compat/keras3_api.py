"""Keras 3's top-level pieces that dendrite keeps elsewhere: ``keras.config`` (the settings functions) and
``keras.Variable(initializer, shape=..., dtype=...)``, Keras 3's variable constructor, whose instances are
dendrite Variables (``isinstance(layer.kernel, keras.Variable)`` holds for every weight)."""
from .. import backend as _backend, initializers
from ..autodiff import Variable as _Variable
from . import backend_k

_SETTINGS = {"traceback_filtering": True, "interactive_logging": True, "unsafe_deserialization": False}


def _flag(key, value):
    def set_flag():
        _SETTINGS[key] = value
    return set_flag


def dtype_policy():
    """The global dtype policy (a DTypePolicy; see compat/mixed_precision)."""
    from .mixed_precision import global_policy
    return global_policy()


def set_dtype_policy(policy):
    """Keras 3's ``keras.config.set_dtype_policy``: 'float32' / 'float64' set floatx; a mixed or half policy is
    recorded (dendrite computes in float32; compat/mixed_precision)."""
    from .mixed_precision import set_global_policy
    set_global_policy(policy)


CONFIG = {
    "backend": backend_k.backend, "floatx": _backend.floatx, "set_floatx": _backend.set_floatx,
    "epsilon": _backend.epsilon, "set_epsilon": backend_k.set_epsilon,
    "image_data_format": _backend.image_data_format, "set_image_data_format": _backend.set_image_data_format,
    "dtype_policy": dtype_policy, "set_dtype_policy": set_dtype_policy,
    "enable_traceback_filtering": _flag("traceback_filtering", True),
    "disable_traceback_filtering": _flag("traceback_filtering", False),
    "is_traceback_filtering_enabled": lambda: _SETTINGS["traceback_filtering"],
    "enable_interactive_logging": _flag("interactive_logging", True),
    "disable_interactive_logging": _flag("interactive_logging", False),
    "is_interactive_logging_enabled": lambda: _SETTINGS["interactive_logging"],
    "enable_unsafe_deserialization": _flag("unsafe_deserialization", True),
}


class _AnyVariable(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _Variable)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _Variable)


class KerasVariable(_Variable, metaclass=_AnyVariable):
    """``keras.Variable(initializer, shape=None, dtype=None, trainable=True, name=None)``: ``initializer`` is
    a value (array, list, number) or an initializer (name, object or callable) applied to ``shape``."""
    __slots__ = ()

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True, aggregation="none",
                 synchronization="auto", name=None, **kwargs):
        if isinstance(initializer, str) or callable(initializer) and not hasattr(initializer, "shape"):
            if shape is None:
                raise ValueError(f"keras.Variable: an initializer ({initializer!r}) needs a `shape`; pass e.g. "
                                 "keras.Variable(initializer='zeros', shape=(3, 4)).")
            value = initializers.get(initializer)(tuple(shape), dtype=dtype or _backend.floatx())
        else:
            value = initializer
        super().__init__(value, trainable=trainable, name=name, dtype=dtype)


def serialize_layer(layer):
    """``keras.layers.serialize(layer)``: the layer's ``{'module', 'class_name', 'config', ...}`` config."""
    from ..saving import serialize_keras_object
    return serialize_keras_object(layer)


def deserialize_layer(config, custom_objects=None, **kwargs):
    """``keras.layers.deserialize(config)``: a new layer from ``serialize``'s config (Keras 3's or tf.keras 2's)."""
    from .. import layers
    from ..saving import deserialize_keras_object
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"keras.layers.deserialize: expected a layer config, a dict with 'class_name' and "
                         f"'config' (what keras.layers.serialize returns); received {config!r:.200}.")
    layer = deserialize_keras_object(config, custom_objects=custom_objects, **kwargs)
    if not isinstance(layer, layers.Layer):
        raise ValueError(f"keras.layers.deserialize: the config describes a {type(layer).__name__}, not a layer.")
    return layer


SAVING_IN_UTILS = ("CustomObjectScope custom_object_scope get_custom_objects get_registered_name "
                   "get_registered_object register_keras_serializable serialize_keras_object "
                   "deserialize_keras_object")
