"""Shape ops: reshape, transpose, indexing (slices and gathers), concatenation, padding."""
import numbers

import numpy as np

from ..row_gradient import row_gradient
from ..tape import Op
from ...backend import get_array_module


class Reshape(Op):
    def __init__(self, shape):
        self.shape = tuple(shape)

    def forward(self, a):
        self.in_shape = a.shape
        return a.reshape(self.shape)

    def vjp(self, g, needed):
        return (g.reshape(self.in_shape),)


class Transpose(Op):
    def __init__(self, axes=None):
        self.axes = axes

    def forward(self, a):
        self.ndim = a.ndim
        return a.transpose(self.axes)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        if self.axes is None:
            return (g.transpose(),)
        return (g.transpose(xp.argsort(self.axes)),)


class GetItem(Op):
    def __init__(self, index):
        self.index = index

    def forward(self, a):
        self.shape, self.dtype = a.shape, a.dtype
        return a[self.index]

    def vjp(self, g, needed):
        xp = get_array_module(g)
        out = xp.zeros(self.shape, dtype=g.dtype)
        if _basic(self.index):  # a view: no element is read twice, so a plain assignment (add.at is much slower)
            out[self.index] = g
        else:
            xp.add.at(out, self.index, g)
        return (out,)


def _basic(index):
    """Whether ``index`` is NumPy basic indexing (ints, slices, Ellipsis, None), which selects each element once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (slice, numbers.Integral)) and not isinstance(p, bool)
               for p in parts)


class Take(Op):
    """Gathers whole slices of ``a`` along ``axis`` at integer ``indices`` (any shape; an embedding lookup is
    axis 0). The gradient adds each output slice's gradient back onto the slice it came from, summing over
    repeated indices (a scatter-add)."""

    def __init__(self, indices, axis=0):
        self.indices, self.axis = indices, axis

    def forward(self, a):
        self.shape = a.shape
        self.axis = self.axis % a.ndim
        return get_array_module(a).take(a, self.indices, axis=self.axis)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        out = xp.zeros(self.shape, dtype=g.dtype)
        xp.add.at(out, (slice(None),) * self.axis + (self.indices,), g)
        if self.axis == 0 and xp is np:  # a table lookup: the occurrences ride along for the optimizers
            return (row_gradient(out, self.indices, g),)
        return (out,)


class ScatterAdd(Op):
    """Zeros of ``shape`` with ``values`` added at the index tuple ``index`` (repeated indices add up); the
    gradient of ``values`` gathers the output's gradient at the same places."""

    def __init__(self, index, shape):
        self.index, self.shape = index, tuple(shape)

    def forward(self, values):
        xp = get_array_module(values)
        out = xp.zeros(self.shape, values.dtype)
        xp.add.at(out, self.index, values)
        return out

    def vjp(self, g, needed):
        return (g[self.index],)


class Concatenate(Op):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, *arrays):
        self.sizes = [a.shape[self.axis] for a in arrays]
        return get_array_module(*arrays).concatenate(arrays, axis=self.axis)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        cuts = xp.cumsum(self.sizes)[:-1]
        return tuple(xp.split(g, cuts, axis=self.axis))


class Pad(Op):
    """Constant (zero) padding; ``pad_width`` as in numpy.pad."""

    def __init__(self, pad_width):
        self.pad_width = tuple(tuple(p) for p in pad_width)

    def forward(self, a):
        self.shape = a.shape
        return get_array_module(a).pad(a, self.pad_width)

    def vjp(self, g, needed):
        index = tuple(slice(lo, lo + n) for (lo, _), n in zip(self.pad_width, self.shape))
        return (g[index],)


class BroadcastTo(Op):
    def __init__(self, shape):
        self.shape = tuple(shape)

    def forward(self, a):
        return get_array_module(a).broadcast_to(a, self.shape)

    def vjp(self, g, needed):
        return (g,)  # the tape sums back to the input shape


def reshape(a, shape):
    return Reshape(shape)(a)


def transpose(a, axes=None):
    return Transpose(axes)(a)


def getitem(a, index):
    return GetItem(index)(a)


def take(a, indices, axis=0):
    """``a``'s slices along ``axis`` at the integer array ``indices`` (not differentiated), as numpy.take: the
    output's shape is a.shape[:axis] + indices.shape + a.shape[axis + 1:]. Indices must lie in
    [0, a.shape[axis]); callers check them (numpy.take would wrap negative ones)."""
    return Take(indices, axis)(a)


def concatenate(tensors, axis=-1):
    return Concatenate(axis)(*tensors)


def pad(a, pad_width):
    return Pad(pad_width)(a)


def broadcast_to(a, shape):
    return BroadcastTo(shape)(a)


def expand_dims(a, axis):
    shape = list(a.shape)
    axis = axis if axis >= 0 else len(shape) + axis + 1
    shape.insert(axis, 1)
    return reshape(a, shape)


def squeeze(a, axis=None):
    shape = a.shape
    if axis is None:
        new = [n for n in shape if n != 1]
    else:
        axes = {axis % len(shape)} if isinstance(axis, int) else {ax % len(shape) for ax in axis}
        new = [n for i, n in enumerate(shape) if i not in axes]
    return reshape(a, new)


def stack(tensors, axis=0):
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def holds_tensor(value):
    """Whether ``value`` is a list or tuple with a Tensor in it, at any depth (what pack packs)."""
    from ..tensor import Tensor
    return isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) or holds_tensor(v) for v in value)


def pack(value, dtype=None):
    """A list or tuple holding Tensors (nested lists too) as one Tensor, stacked along new leading axes, as
    TensorFlow's convert_to_tensor packs it: differentiable with respect to each Tensor in it (``x - [h]``,
    ``tf.sigmoid([a, b])``). Numbers beside them take the first Tensor's dtype (``dtype`` when given)."""
    from ..tensor import Tensor
    from .elementwise import cast

    def first(v):
        for item in v:
            found = item if isinstance(item, Tensor) else first(item) if isinstance(item, (list, tuple)) else None
            if found is not None:
                return found
        return None
    dtype = np.dtype(dtype) if dtype is not None else first(value).value.dtype
    parts = []
    for item in value:
        if isinstance(item, (list, tuple)):
            parts.append(pack(item, dtype) if holds_tensor(item) else Tensor(np.asarray(item, dtype=dtype)))
        elif isinstance(item, Tensor):
            parts.append(item if item.value.dtype == dtype else cast(item, dtype))
        else:
            parts.append(Tensor(np.asarray(item, dtype=dtype)))
    return stack(parts)


def one_hot(indices, depth, on_value=1, off_value=0, axis=-1, dtype="float32"):
    """TensorFlow's one_hot: a new axis of ``depth`` entries, ``on_value`` at each index and ``off_value``
    elsewhere; an index outside [0, depth) (a negative one included) gives a row of ``off_value``. Not
    differentiable (its input is integers): the result is a constant Tensor."""
    from ..tensor import Tensor
    idx = indices.numpy() if isinstance(indices, Tensor) else indices
    xp = get_array_module(idx)
    idx = xp.asarray(idx)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"one_hot: `indices` must be integers (class indices); received dtype {idx.dtype}. "
                        "Cast them first, e.g. ops.cast(labels, 'int64').")
    if isinstance(depth, bool) or not isinstance(depth, (int, xp.integer)) or depth < 0:
        raise ValueError(f"one_hot: `depth` must be a non-negative integer (the number of classes); received "
                         f"depth={depth!r}.")
    out = xp.where(idx[..., None] == xp.arange(int(depth)), on_value, off_value).astype(dtype)
    if axis != -1:
        out = xp.moveaxis(out, -1, axis)
    return Tensor(out)
