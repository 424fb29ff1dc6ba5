"""The boolean masks attention layers build (True where a query may attend to a key) and the layers' shared
handling of them: a causal mask, a symmetric band, a user's mask read and checked, and the symbolic call that
records tensors given by keyword (value, key, masks) on the node."""
import numpy as np

from ...autodiff.tensor import array_of
from ..base import _symbolic_outputs
from ..node import Node

# what masked scores become before the softmax (Keras's value: exp of it underflows to 0 in float32 and 64)
LARGE_NEGATIVE = -1e9


def causal_mask(t, s):
    """``(1, t, s)``: query step i may attend to key steps j <= i."""
    return np.tril(np.ones((t, s), dtype=bool))[None]


def band_mask(t, s, width):
    """``(1, t, s)``: query step i may attend to key steps j with |i - j| < width."""
    rows, cols = np.arange(t)[:, None], np.arange(s)[None, :]
    return (np.abs(rows - cols) < width)[None]


def as_mask(mask, who, name, shape=None):
    """A user's mask (array, Tensor, list; bool or 0/1) as a bool array, checked against ``shape`` (the
    expected shape, None for an axis of any size) when given."""
    if mask is None:
        return None
    arr = np.asarray(array_of(mask))
    if arr.dtype != bool:
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"{who}: `{name}` must be a boolean (or 0/1) array; received dtype {arr.dtype}.")
        arr = arr > 0.5 if arr.dtype.kind == "f" else arr != 0
    if shape is not None and (arr.ndim != len(shape)
                              or any(n is not None and a != n for a, n in zip(arr.shape, shape))):
        raise ValueError(f"{who}: `{name}` must have shape {tuple(shape)} (True where a step is kept); received "
                         f"a mask of shape {arr.shape}.")
    return arr


def record_symbolic_call(layer, args, kwargs, shapes):
    """The KerasTensors of a call on symbolic tensors (one for a shape tuple, one each for a list of shapes),
    with the Node that records ``args`` and the keyword arguments that are not None / False (tensors given by
    keyword among them: the model passes them again when it runs)."""
    outputs = _symbolic_outputs(shapes, layer.name)
    Node(layer, args, outputs, {key: value for key, value in kwargs.items()
                                if value is not None and value is not False})
    return outputs


def mixed_inputs_error(who, names):
    return ValueError(f"{who}: some of {names} are symbolic tensors (Input(...) or a layer's output) and others are "
                      "data; give symbolic tensors for all of them (a functional model) or data for all of them.")

