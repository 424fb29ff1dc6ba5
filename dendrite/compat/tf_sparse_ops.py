"""More of ``tf.sparse``: ``concat``, ``slice`` and ``map_values``, on the SparseTensors of compat/tf_sparse, as
TensorFlow defines them (results in row-major order; float values stay differentiable)."""
import numpy as np

from ..autodiff import Tensor, array_of, ops
from .tf_sparse import SparseTensor, _sp, reorder


def _joined_values(parts):
    if all(p.dtype.kind == "f" for p in parts):
        return ops.concatenate(parts, axis=0)
    return Tensor(np.concatenate([np.asarray(p.value) for p in parts]))


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None, concat_dim=None):
    """The SparseTensors of ``sp_inputs`` joined along ``axis``; the other dimensions must agree (or, with
    ``expand_nonconcat_dims``, take the largest)."""
    axis = concat_dim if concat_dim is not None else axis
    sps = [_sp(s, "tf.sparse.concat", "sp_inputs") for s in sp_inputs]
    if not sps:
        raise ValueError("tf.sparse.concat: `sp_inputs` must hold at least one SparseTensor.")
    rank = len(sps[0]._dense_shape)
    axis = int(axis) % rank
    shapes = np.array([s._dense_shape for s in sps])
    others = np.delete(shapes, axis, axis=1)
    if not expand_nonconcat_dims and (others != others[0]).any():
        raise ValueError(f"tf.sparse.concat: the SparseTensors' shapes must agree except along axis {axis}; "
                         f"received {[tuple(int(d) for d in s) for s in shapes]}. Pass "
                         "expand_nonconcat_dims=True to take the largest.")
    offsets = np.concatenate([[0], np.cumsum(shapes[:, axis])[:-1]])
    indices = []
    for sp, offset in zip(sps, offsets):
        shifted = sp._indices.copy()
        shifted[:, axis] += offset
        indices.append(shifted)
    dense_shape = shapes.max(axis=0)
    dense_shape[axis] = shapes[:, axis].sum()
    return reorder(SparseTensor(np.concatenate(indices), _joined_values([s._values for s in sps]), dense_shape))


def slice(sp_input, start, size, name=None):  # noqa: A001 - TensorFlow's name
    """The entries of ``sp_input`` in the box from ``start`` of ``size`` (clipped at the dense shape), with
    indices counted from ``start``."""
    sp = _sp(sp_input, "tf.sparse.slice")
    start = np.asarray(array_of(start), np.int64).ravel()
    size = np.asarray(array_of(size), np.int64).ravel()
    if len(start) != len(sp._dense_shape) or len(size) != len(sp._dense_shape):
        raise ValueError(f"tf.sparse.slice: `start` and `size` need one entry per dimension "
                         f"({len(sp._dense_shape)}); received start={start.tolist()}, size={size.tolist()}.")
    stop = np.minimum(start + size, sp._dense_shape)
    keep = np.all((sp._indices >= start) & (sp._indices < stop), axis=1)
    where = np.nonzero(keep)[0]
    values = ops.take(sp._values, where) if sp.dtype.kind == "f" else Tensor(np.asarray(sp._values.value)[where])
    return SparseTensor(sp._indices[keep] - start, values, np.maximum(stop - start, 0))


def map_values(op, *args, **kwargs):
    """``op`` applied to the values of the SparseTensors among ``args`` / ``kwargs`` (all with the same indices);
    the result keeps their indices and dense shape."""
    sparse = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not sparse:
        raise ValueError("tf.sparse.map_values: give at least one SparseTensor among the arguments.")
    first = _sp(sparse[0], "tf.sparse.map_values")
    for other in sparse[1:]:
        other = _sp(other, "tf.sparse.map_values")
        if not np.array_equal(other._indices, first._indices) or not np.array_equal(other._dense_shape,
                                                                                     first._dense_shape):
            raise ValueError("tf.sparse.map_values: the SparseTensors must have the same indices and dense shape.")

    def values(a):
        return _sp(a, "tf.sparse.map_values").values if isinstance(a, SparseTensor) else a
    out = op(*[values(a) for a in args], **{k: values(v) for k, v in kwargs.items()})
    return SparseTensor(first._indices, out, first._dense_shape)


NAMES = {"concat": concat, "slice": slice, "map_values": map_values}
