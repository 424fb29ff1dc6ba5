"""dendrite's own objects, by the Keras module that names them in a config.

Each family declares what it owns once, at import: ``register_builtins('keras.initializers',
'initializer', classes=[...], aliases={...})``. Configs then resolve against these tables (a config's
``module`` only chooses a table; no module is ever imported because a config names it), and
``serialize_keras_object`` writes a built-in class under its Keras module and name, as Keras 3 does.

The layer classes are read from ``dendrite.layers.__all__`` on first use (the layers package does not
declare itself).
"""
import inspect

_TABLES = {}  # Keras module -> {name: class or function}, aliases included
_KINDS = {}  # Keras module -> what its objects are called in messages ('initializer')
_PUBLIC = {}  # class -> (Keras module, class name, registered_name)
_FUNCTIONS = {}  # name -> function, every family's functions (configs write functions by name only)
# where a config without a module (tf.keras 2) is looked for, in this order
_SEARCH_ORDER = ["keras.layers", "keras", "keras.src.models.functional", "keras.initializers", "keras.regularizers",
                 "keras.constraints", "keras.optimizers", "keras.optimizers.schedules", "keras.losses",
                 "keras.metrics", "keras.activations"]


def register_builtins(module, kind, classes=(), functions=(), aliases=None, registered_names=None):
    """Declare dendrite's ``classes`` (known by their class names) and ``functions`` (by their
    ``__name__``) under the Keras ``module``, plus ``aliases`` ({other name: object}). A class is written
    as ``{'module': module, 'class_name': its name, ..., 'registered_name': registered_names.get(cls)}``.
    Returns the module's name table (what the family passes to deserialize as ``module_objects``)."""
    table = _TABLES.setdefault(module, {})
    _KINDS.setdefault(module, kind)
    for cls in classes:
        table[cls.__name__] = cls
        _PUBLIC[cls] = (module, cls.__name__, (registered_names or {}).get(cls))
    for fn in functions:
        table[fn.__name__] = fn
        _FUNCTIONS.setdefault(fn.__name__, fn)
    table.update(aliases or {})
    return table


def _ensure_layers():
    if "keras.layers" in _TABLES:
        return
    from .. import layers
    from ..layers.base import Layer
    from ..layers.add_loss import AddLoss, AddMetric  # tf.keras 2's, not exported by keras.layers
    register_builtins("keras.layers", "layer", classes=[
        obj for obj in (getattr(layers, name) for name in layers.__all__)
        if inspect.isclass(obj) and issubclass(obj, Layer)] + [AddLoss, AddMetric])
    from ..utils import feature_space  # noqa: F401 - registers keras.utils.FeatureSpace and its parts


def public_name(cls):
    """(Keras module, class name, registered_name) for one of dendrite's own classes, else None."""
    _ensure_layers()
    try:
        return _PUBLIC.get(cls)
    except TypeError:
        return None


def table(module):
    """The name table of a Keras module (empty when dendrite has none)."""
    _ensure_layers()
    return _TABLES.get(module, {})


def kind(module):
    return _KINDS.get(module)


def is_keras_module(module):
    return module == "keras" or (isinstance(module, str) and module.startswith("keras."))


def find_class(name, module=None):
    """dendrite's class (or a function written as one) that a config names: in the table of its Keras
    ``module`` first, then, for a config without a module (tf.keras 2) or a Keras module dendrite has no table
    for, in every table in a fixed order. None when there is none."""
    _ensure_layers()
    if module in _TABLES and name in _TABLES[module]:
        return _TABLES[module][name]
    if module is None or is_keras_module(module):
        for each in _SEARCH_ORDER + [m for m in _TABLES if m not in _SEARCH_ORDER]:
            found = _TABLES.get(each, {}).get(name)
            if found is not None:
                return found
    return None


def find_function(name):
    """One of dendrite's functions (activations, losses, metrics) by name, or None."""
    return _FUNCTIONS.get(name)


def layer_classes():
    """The layer and model classes by name (what a model config's entries may name)."""
    _ensure_layers()
    from ..layers.base import Layer
    models = {**_TABLES.get("keras", {}), **_TABLES.get("keras.src.models.functional", {})}
    found = {**_TABLES["keras.layers"],
             **{name: obj for name, obj in models.items() if inspect.isclass(obj) and issubclass(obj, Layer)}}
    for module, names in _TABLES.items():  # layers declared elsewhere (FeatureSpace's TFDIdentity, TFDConcat)
        for name, obj in names.items():
            if name not in found and inspect.isclass(obj) and issubclass(obj, Layer):
                found[name] = obj
    return found
