"""Keras 3's ``keras.utils``, ``keras.backend`` and ``keras.layers`` names whose work dendrite does elsewhere:
object registration and (de)serialization (dendrite.saving), Progbar, clear_session, the KerasTensor checks,
get_source_inputs, dtype helpers (standardize_dtype, result_type, is_float_dtype, is_int_dtype) and get_uid."""
import collections
import itertools

import numpy as np

from .. import backend
from ..callbacks.progbar import Progbar
from ..layers.node import KerasTensor
from ..saving.object_registration import (CustomObjectScope, get_custom_objects, get_registered_name,
                                          get_registered_object, register_keras_serializable)
from ..saving.serialization import deserialize_keras_object, serialize_keras_object
from . import keras3_api
from .backend_k import clear_session

custom_object_scope = CustomObjectScope


def is_keras_tensor(x):
    """True for the symbolic tensors of keras.Input and a functional model's layers."""
    return isinstance(x, KerasTensor)


def get_source_inputs(tensor, layer=None, node_index=None):
    """The keras.Input tensors ``tensor`` was computed from, in the order they are first reached."""
    found, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        node = current.node if isinstance(current, KerasTensor) else None
        if node is None or not node.inputs:
            found.append(current)
        else:
            stack.extend(node.inputs)
    return found


def standardize_dtype(dtype=None):
    """The dtype's name ("float32", "int64", ...); None means keras.config.floatx()."""
    if dtype is None:
        return backend.floatx()
    name = getattr(dtype, "name", None) if not isinstance(dtype, str) else dtype
    if dtype in (int, "int"):
        return "int64"
    if dtype in (float, "float"):
        return "float32"
    try:
        return np.dtype(getattr(dtype, "as_numpy_dtype", name or dtype)).name
    except TypeError:
        raise ValueError(f"keras.backend.standardize_dtype: {dtype!r} is not a dtype; pass a name such as 'float32' "
                         "or a NumPy dtype.") from None


def is_float_dtype(dtype):
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    return standardize_dtype(dtype).startswith(("int", "uint"))


def result_type(*dtypes):
    """Keras's promotion: a float among the dtypes wins over integers (int64 + float16 is float16), floats and
    integers among themselves promote as NumPy; none given is floatx."""
    names = [standardize_dtype(d) for d in dtypes if d is not None]
    if not names:
        return backend.floatx()
    floats = [n for n in names if is_float_dtype(n)]
    return np.result_type(*(floats or names)).name


_uids = collections.defaultdict(itertools.count)


def get_uid(prefix=""):
    """1, 2, 3, ... per prefix: the counter Keras numbers default names with."""
    return next(_uids[prefix]) + 1


UTILS = dict(register_keras_serializable=register_keras_serializable, custom_object_scope=custom_object_scope,
             CustomObjectScope=CustomObjectScope, get_custom_objects=get_custom_objects,
             get_registered_object=get_registered_object, get_registered_name=get_registered_name,
             serialize_keras_object=serialize_keras_object, deserialize_keras_object=deserialize_keras_object,
             Progbar=Progbar, clear_session=clear_session, get_source_inputs=get_source_inputs,
             is_keras_tensor=is_keras_tensor, standardize_dtype=standardize_dtype)
BACKEND = dict(is_keras_tensor=is_keras_tensor, result_type=result_type, standardize_dtype=standardize_dtype,
               is_float_dtype=is_float_dtype, is_int_dtype=is_int_dtype, get_uid=get_uid)
LAYERS = dict(serialize=keras3_api.serialize_layer, deserialize=keras3_api.deserialize_layer)  # keras.layers.*
