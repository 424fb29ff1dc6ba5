"""TensorFlow's slicing and scattering functions on dendrite tensors: ``tf.slice``, ``tf.strided_slice``,
``tf.scatter_nd``, the ``tf.tensor_scatter_nd_*`` family (update, add, sub, max, min), ``tf.meshgrid``,
``tf.reverse``, ``tf.roll``, ``tf.sort`` / ``tf.argsort`` and ``tf.unique``. Slices are differentiable (they go
through the tape's getitem); scatters compute with NumPy, as TensorFlow's tutorials use them on data."""
import builtins

import numpy as np

from ..autodiff import Tensor, ops
from .tensor_api import _array, _t


def _ints(values):
    arr = np.asarray(_array(values)).astype(np.int64).reshape(-1)
    return [int(v) for v in arr]


def slice(input_, begin, size, name=None):  # noqa: A001 - TensorFlow's name
    """``tf.slice(x, begin, size)``: ``size[i]`` entries from ``begin[i]`` on each axis (-1: to the end)."""
    x = _t(input_)
    begin, size = _ints(begin), _ints(size)
    if len(begin) != x.ndim or len(size) != x.ndim:
        raise ValueError(f"tf.slice: `begin` and `size` need one entry per axis of the input (rank {x.ndim}); "
                         f"received begin={begin}, size={size}.")
    return ops.getitem(x, tuple(_py_slice(b, None if s == -1 else b + s) for b, s in zip(begin, size)))


_py_slice = builtins.slice


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, name=None, **kwargs):
    """``tf.strided_slice``: ``x[begin:end:strides]`` per axis; a set bit i of ``begin_mask`` / ``end_mask``
    ignores that axis's begin / end (the full range)."""
    x = _t(input_)
    begin, end = _ints(begin), _ints(end)
    strides = [1] * len(begin) if strides is None else _ints(strides)
    index = tuple(_py_slice(None if begin_mask >> i & 1 else b, None if end_mask >> i & 1 else e, s)
                  for i, (b, e, s) in enumerate(zip(begin, end, strides)))
    return ops.getitem(x, index)


def _scatter(tensor, indices, updates, how, who):
    out = np.array(_t(tensor).value)
    idx = np.asarray(_array(indices)).astype(np.int64)
    upd = np.asarray(_t(updates).value, dtype=out.dtype)
    if idx.shape[-1] > out.ndim:
        raise ValueError(f"{who}: each index has {idx.shape[-1]} entries but the tensor has rank {out.ndim}.")
    where = tuple(np.moveaxis(idx, -1, 0))
    expected = idx.shape[:-1] + out.shape[idx.shape[-1]:]
    if upd.shape != expected:
        raise ValueError(f"{who}: indices of shape {idx.shape} into a tensor of shape {out.shape} take updates "
                         f"of shape {expected}; received updates of shape {upd.shape}.")
    if how == "update":
        out[where] = upd
    else:
        {"add": np.add, "sub": np.subtract, "max": np.maximum, "min": np.minimum}[how].at(out, where, upd)
    return Tensor(out)


def _scatter_fn(how):
    def scatter(tensor, indices, updates, name=None):
        return _scatter(tensor, indices, updates, how, f"tf.tensor_scatter_nd_{how}")
    scatter.__name__ = f"tensor_scatter_nd_{how}"
    scatter.__doc__ = f"``tf.tensor_scatter_nd_{how}``: a copy of the tensor with ``updates`` {how} at ``indices``."
    return scatter


tensor_scatter_nd_update = _scatter_fn("update")
tensor_scatter_nd_add = _scatter_fn("add")
tensor_scatter_nd_sub = _scatter_fn("sub")
tensor_scatter_nd_max = _scatter_fn("max")
tensor_scatter_nd_min = _scatter_fn("min")


def scatter_nd(indices, updates, shape, name=None):
    """``tf.scatter_nd``: zeros of ``shape`` with ``updates`` summed in at ``indices``."""
    upd = _t(updates)
    zeros = Tensor(np.zeros(_ints(shape), dtype=upd.dtype))
    return _scatter(zeros, indices, upd, "add", "tf.scatter_nd")


def meshgrid(*args, indexing="xy", name=None):
    return [Tensor(g) for g in np.meshgrid(*[np.asarray(_t(a).value) for a in args], indexing=indexing)]


def reverse(tensor, axis, name=None):
    x = _t(tensor)
    axes = {a % x.ndim for a in _ints(axis)}
    return ops.getitem(x, tuple(_py_slice(None, None, -1) if i in axes else _py_slice(None) for i in range(x.ndim)))


def roll(input, shift, axis, name=None):  # noqa: A002
    return Tensor(np.roll(_t(input).value, _ints(shift), _ints(axis)))


def sort(values, axis=-1, direction="ASCENDING", name=None):
    out = np.sort(_t(values).value, axis=axis)
    return Tensor(np.flip(out, axis) if direction == "DESCENDING" else out)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    v = _t(values).value
    order = np.argsort(-v if direction == "DESCENDING" else v, axis=axis, kind="stable")
    return Tensor(order.astype(np.int32))


def unique(x, out_idx=np.int32, name=None):
    """``tf.unique``: the distinct values in order of first appearance, and each entry's index into them."""
    values = np.asarray(_t(x).value).reshape(-1)
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return Tensor(values[np.sort(first)]), Tensor(rank[inverse].astype(out_idx))


NAMES = ("slice strided_slice scatter_nd tensor_scatter_nd_update tensor_scatter_nd_add tensor_scatter_nd_sub "
         "tensor_scatter_nd_max tensor_scatter_nd_min meshgrid reverse roll sort argsort unique")
