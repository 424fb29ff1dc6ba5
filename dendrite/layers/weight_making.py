"""How a layer makes a weight (``Layer.add_weight``): the argument forms Keras 2 and 3 use, the limit on what a
model loaded from a file may allocate, and the scope through which dendrite.estimator shares weights by path
across model_fn calls."""
import contextlib
import threading

import numpy as np

from .. import initializers
from ..autodiff import Variable

# A scope whose layers share weights by path across calls (dendrite.estimator runs each model_fn in one): an
# object with shared_weight(path, shape) -> Variable or None, and register_weight(var) -> var
WEIGHT_SCOPE = threading.local()

# add_weight arguments of Keras 2 / 3 that change nothing here (placement, distribution, casting)
_IGNORED = {"autocast", "aggregation", "synchronization", "overwrite_with_gradient", "use_resource", "partitioner",
            "caching_device", "experimental_autocast"}

_ALLOCATION = {"limit": None, "used": 0, "source": None}  # set while a model is built from a file


@contextlib.contextmanager
def allocation_limit(elements, source):
    """Within: the weights layers make may hold ``elements`` numbers in all, else the next add_weight refuses,
    naming ``source`` (a model file whose config declares more is refused before anything is allocated)."""
    saved = dict(_ALLOCATION)
    _ALLOCATION.update(limit=int(elements), used=0, source=source)
    try:
        yield
    finally:
        _ALLOCATION.update(saved)


def _check_allocation(layer, name, shape):
    limit = _ALLOCATION["limit"]
    if limit is None:
        return
    try:
        size = 1
        for n in shape:
            size *= int(n)
    except (TypeError, ValueError):
        return  # add_weight reports a bad shape itself
    _ALLOCATION["used"] += size
    if size < 0 or _ALLOCATION["used"] > limit:
        raise ValueError(f"{_ALLOCATION['source']}: {layer.who} would make weight '{name}' of shape {tuple(shape)}, "
                         f"bringing the model to {_ALLOCATION['used']:,} numbers, more than a loaded model may hold "
                         f"({limit:,}). The file is refused before anything is allocated.")


_KERAS2 = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint")
_DENDRITE = ("name", "shape", "initializer", "trainable", "regularizer", "constraint", "dtype")
_KERAS3 = ("shape", "initializer", "dtype", "trainable", "autocast", "regularizer", "constraint", "aggregation",
           "name")


def _is_dtype(value):
    if value is None or callable(value) and not isinstance(value, type):
        return False
    try:
        np.dtype(getattr(value, "name", value) if not isinstance(value, (str, type, np.dtype)) else value)
        return True
    except TypeError:
        return False


def positional_arguments(layer, args, extra, given):
    """add_weight's arguments given by position, in the order of the era that wrote them: a name first is
    Keras 2's ``(name, shape, dtype, initializer, regularizer, trainable, constraint)`` when the third is a
    dtype, else dendrite's ``(name, shape, initializer, trainable, ...)``; a shape first is Keras 3's
    ``(shape, initializer, dtype, trainable, autocast, regularizer, constraint, aggregation, name)``.
    ``given``: the keyword arguments (defaults included); ``extra``: the other keywords (autocast lands there)."""
    if isinstance(args[0], str):
        order = _KERAS2 if len(args) > 2 and _is_dtype(args[2]) else _DENDRITE
    else:
        order = _KERAS3
    if len(args) > len(order):
        raise TypeError(f"{layer.who}.add_weight() takes at most {len(order)} positional arguments "
                        f"({', '.join(order)}); received {len(args)}.")
    defaults = dict(name=None, shape=None, initializer=None, trainable=True, regularizer=None, constraint=None,
                    dtype=None)
    out = dict(given)
    for key, value in zip(order, args):
        if key in ("autocast", "aggregation"):
            extra[key] = value
            continue
        if out[key] is not defaults[key]:
            raise TypeError(f"{layer.who}.add_weight(): `{key}` was given both by position and by name.")
        out[key] = value
    return out


def weight_arguments(layer, name, shape, initializer, dtype, extra):
    """add_weight's (name, shape, initializer) from either order Keras used: ``add_weight("kernel", (3, 4))``
    (dendrite, Keras 2 by keyword) or ``add_weight((3, 4), ...)`` (Keras 3: shape first, name optional, then
    'variable', 'variable_1', ...); the default initializer is Keras 3's, glorot_uniform for floats and zeros
    otherwise. ``extra``: the other keyword arguments, refused unless Keras's that change nothing here."""
    if not isinstance(name, (str, type(None))) and shape is None:
        name, shape = None, name  # Keras 3's positional order: add_weight(shape, initializer, ...)
    unknown = set(extra) - _IGNORED
    if unknown:
        raise TypeError(f"{layer.who}.add_weight() got unexpected keyword argument(s) {sorted(unknown)}; it takes "
                        "shape, initializer, dtype, trainable, regularizer, constraint and name.")
    if shape is None:
        raise ValueError(f"{layer.who}.add_weight(): give the weight's `shape`, e.g. add_weight(shape=(3, 4)).")
    if name is None:
        taken = {w.name for w in layer._weights}
        name = next(n for n in ("variable", *(f"variable_{i}" for i in range(1, len(taken) + 2))) if n not in taken)
    if initializer is None:
        initializer = "glorot_uniform" if np.dtype(dtype or layer.dtype).kind == "f" else "zeros"
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return name, shape, initializer


def make_weight(layer, name, shape, initializer, trainable, regularizer, constraint, dtype):
    """The layer's new weight (appended to its weights), or the one the weight scope shares under its path."""
    scope = getattr(WEIGHT_SCOPE, "store", None)
    if scope is not None:
        shared = scope.shared_weight(f"{layer.name}/{name}", tuple(shape))
        if shared is not None:
            layer._weights.append(shared)
            return shared
    _check_allocation(layer, name, shape)
    init = initializers.get(initializer)
    dtype = dtype or layer.dtype
    value = init(tuple(shape), dtype=dtype) if init is not None else np.zeros(shape, dtype)
    var = Variable(np.asarray(value, dtype=dtype), trainable=trainable, name=name, dtype=dtype)
    var.path = f"{layer.name}/{name}"
    var.regularizer = regularizer
    var.constraint = constraint
    layer._weights.append(var)
    return var if scope is None else scope.register_weight(var)
