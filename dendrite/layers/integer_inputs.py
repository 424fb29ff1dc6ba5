"""Layers that take integer data as integers: Embedding's indices, CategoryEncoding's tokens, the 8-bit images
that Resizing gives back in their own dtype (as Keras 3 does).

Layer.__call__ turns array inputs into Tensors of the layer's float dtype; a layer built on ``IntegerInputs``
(``_autocast`` off) receives integer arrays unchanged (other arrays are cast as usual). ``indices`` then checks what such a layer
reads as indices: whole numbers (floats are accepted when they are, as fit hands models float arrays) within
[0, size).
"""
import numpy as np

from ..autodiff.tensor import array_of


class IntegerInputs:
    """Mixin, listed before Layer: integer arrays reach ``call`` as integer Tensors (Layer._as_tensor)."""

    _autocast = False


def _position(mask):
    """The first position where ``mask`` holds, as a tuple of ints."""
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def indices(x, size, who, argument, hint=""):
    """``x`` (a Tensor or an array) as an integer array of indices in [0, ``size``), else a ValueError naming the
    layer ``who`` and its ``argument`` that sets ``size`` (say input_dim=1000)."""
    values = np.asarray(array_of(x))
    if values.dtype.kind == "f":
        whole = np.isfinite(values) & (values == np.floor(values))
        if not whole.all():
            pos = _position(~whole)
            raise ValueError(f"{who}: inputs must be integer indices; received a {values.dtype} array holding "
                             f"{values[pos].item()!r} at position {pos}, which is not a whole number. Pass integers "
                             "(e.g. x.astype('int32')), not features.")
        values = values.astype(np.int64)
    elif values.dtype.kind == "b":
        values = values.astype(np.int64)
    elif values.dtype.kind not in "iu":
        raise ValueError(f"{who}: inputs must be integer indices; received an array of dtype {values.dtype}.")
    if values.size:
        low, high = values.min(), values.max()
        if low < 0 or high >= size:
            bad = values < 0 if low < 0 else values >= size
            pos = _position(bad)
            why = "Indices count from 0; negative ones are not allowed." if low < 0 else hint
            raise ValueError(f"{who}: every index must be in [0, {size}) ({argument}={size}); received "
                             f"{int(values[pos])} at position {pos}.{' ' + why if why else ''}")
    return values
