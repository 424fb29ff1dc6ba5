"""TensorFlow's slicing and scattering functions on dendrite tensors: ``tf.slice``, ``tf.strided_slice``,
``tf.scatter_nd``, the ``tf.tensor_scatter_nd_*`` family (update, add, sub, max, min), ``tf.meshgrid``,
``tf.reverse``, ``tf.roll``, ``tf.sort`` / ``tf.argsort`` and ``tf.unique``. Slices are differentiable (they go
through the tape's getitem); scatters compute with NumPy, as TensorFlow's tutorials use them on data."""
import builtins
import collections

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


Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _index_dtype(dtype):
    return np.dtype(getattr(dtype, "as_numpy_dtype", dtype))


def unique(x, out_idx=np.int32, name=None):
    """``tf.unique``: the distinct values in order of first appearance (``y``), and each entry's index into them
    (``idx``), as TensorFlow's named tuple."""
    values = np.asarray(_t(x).value).reshape(-1)
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return Unique(Tensor(values[np.sort(first)]), Tensor(rank[inverse].reshape(-1).astype(_index_dtype(out_idx))))


def unique_with_counts(x, out_idx=np.int32, name=None):
    """``tf.unique`` plus how many times each distinct value occurs."""
    y, idx = unique(x, out_idx)
    return UniqueWithCounts(y, idx, Tensor(np.bincount(idx.value, minlength=len(y.value)).astype(idx.dtype)))


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Each entry repeated ``repeats`` times along ``axis`` (flattened first without one); differentiable."""
    from .keras_ops.numpy_array import repeat as keras_repeat
    return keras_repeat(input, repeats, axis)


def sequence_mask(lengths, maxlen=None, dtype=np.bool_, name=None):
    """``mask[..., j] = j < lengths[...]`` (``maxlen`` defaults to the largest length)."""
    lengths = np.asarray(_t(lengths).value)
    n = int(lengths.max()) if maxlen is None else int(_t(maxlen).value)
    return Tensor((np.arange(n) < lengths[..., None]).astype(_index_dtype(dtype)))


def searchsorted(sorted_sequence, values, side="left", out_type=np.int32, name=None):
    """Insertion points of ``values`` into each row (the last axis) of ``sorted_sequence``."""
    seq, vals = np.asarray(_t(sorted_sequence).value), np.asarray(_t(values).value)
    if seq.ndim == 1:
        return Tensor(np.searchsorted(seq, vals, side=side).astype(_index_dtype(out_type)))
    flat_seq, flat_vals = seq.reshape(-1, seq.shape[-1]), vals.reshape(-1, vals.shape[-1])
    rows = [np.searchsorted(r, v, side=side) for r, v in zip(flat_seq, flat_vals)]
    return Tensor(np.stack(rows).reshape(vals.shape).astype(_index_dtype(out_type)))


def histogram_fixed_width(values, value_range, nbins=100, dtype=np.int32, name=None):
    """Counts in ``nbins`` equal bins over ``value_range``; values outside go to the first / last bin."""
    lo, hi = (float(v) for v in np.asarray(_t(value_range).value))
    v = np.asarray(_t(values).value, dtype=np.float64).ravel()
    bins = np.clip(np.floor((v - lo) / (hi - lo) * int(nbins)), 0, int(nbins) - 1).astype(np.int64)
    return Tensor(np.bincount(bins, minlength=int(nbins)).astype(_index_dtype(dtype)))


def dynamic_partition(data, partitions, num_partitions, name=None):
    """``[data[partitions == i] for i in range(num_partitions)]`` (rows of ``data``); differentiable."""
    x, parts = _t(data), np.asarray(_t(partitions).value)
    return [ops.getitem(x, np.nonzero(parts == i)) for i in range(int(num_partitions))]


def dynamic_stitch(indices, data, name=None):
    """``merged[indices[m][i]] = data[m][i]``: the inverse of dynamic_partition (later writes win)."""
    idx = [np.asarray(_t(i).value).ravel() for i in indices]
    vals = [np.asarray(_t(d).value) for d in data]
    rest = vals[0].shape[np.asarray(_t(indices[0]).value).ndim:]
    out = np.zeros((int(max(i.max() for i in idx if i.size)) + 1,) + rest, dtype=vals[0].dtype)
    for i, v in zip(idx, vals):
        out[i] = v.reshape((len(i),) + rest)
    return Tensor(out)


def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """(n, h, w, c·b²) -> (n, h·b, w·b, c), TensorFlow's channel order; differentiable."""
    x, b = _t(input), int(block_size)
    n, h, w, c = x.shape
    if c % (b * b):
        raise ValueError(f"tf.nn.depth_to_space: the channels ({c}) must be divisible by block_size² ({b * b}).")
    y = ops.reshape(x, (n, h, w, b, b, c // (b * b)))
    return ops.reshape(ops.transpose(y, (0, 1, 3, 2, 4, 5)), (n, h * b, w * b, c // (b * b)))


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """(n, h·b, w·b, c) -> (n, h, w, c·b²), the inverse of depth_to_space; differentiable."""
    x, b = _t(input), int(block_size)
    n, h, w, c = x.shape
    if h % b or w % b:
        raise ValueError(f"tf.nn.space_to_depth: height and width ({h}, {w}) must be divisible by block_size ({b}).")
    y = ops.reshape(x, (n, h // b, b, w // b, b, c))
    return ops.reshape(ops.transpose(y, (0, 1, 3, 2, 4, 5)), (n, h // b, w // b, b * b * c))


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=0, name=None):  # noqa: A002
    """``tf.reverse_sequence``: along ``seq_axis``, the first ``seq_lengths[b]`` entries of each batch entry b
    reversed and the rest left in place (differentiable: a gather)."""
    from .keras_ops.numpy_array import take_along_axis
    x = _t(input)
    if seq_axis is None:
        raise ValueError("tf.reverse_sequence: `seq_axis` is required (the axis of the sequence steps).")
    seq_axis, batch_axis = int(seq_axis) % x.ndim, int(batch_axis) % x.ndim
    if seq_axis == batch_axis:
        raise ValueError(f"tf.reverse_sequence: `seq_axis` and `batch_axis` must differ; both are {seq_axis}.")
    lengths = np.asarray(_array(seq_lengths)).astype(np.int64).ravel()
    steps, batch = x.shape[seq_axis], x.shape[batch_axis]
    if lengths.shape != (batch,) or np.any(lengths < 0) or np.any(lengths > steps):
        raise ValueError(f"tf.reverse_sequence: `seq_lengths` must hold one length in [0, {steps}] per batch entry "
                         f"({batch}); received {lengths.tolist()}.")
    positions = np.arange(steps)[None, :]
    order = np.where(positions < lengths[:, None], lengths[:, None] - 1 - positions, positions)  # (batch, steps)
    shape = [1] * x.ndim
    shape[batch_axis], shape[seq_axis] = batch, steps
    index = order if batch_axis < seq_axis else order.T
    return take_along_axis(x, np.broadcast_to(index.reshape(shape), x.shape), axis=seq_axis)


NAMES = ("reverse_sequence slice strided_slice scatter_nd tensor_scatter_nd_update tensor_scatter_nd_add tensor_scatter_nd_sub "
         "tensor_scatter_nd_max tensor_scatter_nd_min meshgrid reverse roll sort argsort unique unique_with_counts "
         "repeat sequence_mask searchsorted histogram_fixed_width dynamic_partition dynamic_stitch depth_to_space "
         "space_to_depth")
