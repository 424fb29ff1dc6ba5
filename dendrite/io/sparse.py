"""``SparseTensor``: the value a ``VarLenFeature`` parses to, as tf.SparseTensor holds it, and ``to_dense``.

    indices      int64 (nnz, rank): the position of each stored value
    values       (nnz,): the stored values (float32, int64, or an object array of bytes for strings)
    dense_shape  int64 (rank,): the shape of the dense tensor they sit in
"""
import numpy as np


class SparseTensor:
    """A sparse value: ``indices`` (nnz, rank), ``values`` (nnz,), ``dense_shape`` (rank,), as tf.SparseTensor."""

    def __init__(self, indices, values, dense_shape):
        self.indices = np.asarray(indices, dtype=np.int64).reshape(-1, len(dense_shape))
        self.values = np.asarray(values) if not isinstance(values, list) else _array(values)
        self.dense_shape = np.asarray(dense_shape, dtype=np.int64)
        if self.values.ndim != 1 or self.values.shape[0] != self.indices.shape[0]:
            raise ValueError(f"SparseTensor: values must be 1-D with one value per row of indices; received "
                             f"{self.indices.shape[0]} indices and values of shape {self.values.shape}.")
        if self.indices.size and ((self.indices < 0).any() or (self.indices >= self.dense_shape).any()):
            raise ValueError(f"SparseTensor: every index must lie inside dense_shape {self.dense_shape.tolist()}.")

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self):
        return tuple(int(d) for d in self.dense_shape)

    def to_dense(self, default_value=None):
        return to_dense(self, default_value)

    def _elementwise(self, other, op, who):
        """A SparseTensor of the same indices whose values are ``op(value, other at that index)``: TensorFlow's
        SparseTensor ``*`` / ``/`` with a scalar or a dense tensor that broadcasts to the dense shape."""
        if isinstance(other, SparseTensor):
            raise TypeError(f"SparseTensor {who} SparseTensor is not defined (as in TensorFlow); convert one "
                            "with tf.sparse.to_dense, or use tf.sparse.add for a sum.")
        indices = np.asarray(getattr(self.indices, "value", self.indices))
        shape = tuple(int(d) for d in np.asarray(getattr(self.dense_shape, "value", self.dense_shape)))
        dense = np.asarray(getattr(other, "value", other))
        if dense.ndim == 0:
            factor = other if isinstance(other, (int, float)) else dense
        else:
            try:
                factor = np.broadcast_to(dense, shape)[tuple(indices.T)]
            except ValueError:
                raise ValueError(f"SparseTensor {who} dense: the dense operand of shape {dense.shape} does not "
                                 f"broadcast to the SparseTensor's dense shape {list(shape)}.") from None
        return type(self)(indices, op(self.values, factor), shape)

    def __mul__(self, other):
        return self._elementwise(other, lambda a, b: a * b, "*")

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self._elementwise(other, lambda a, b: a / b, "/")

    def __repr__(self):
        return (f"SparseTensor(indices={self.indices.tolist()}, values={self.values.tolist()}, "
                f"dense_shape={self.dense_shape.tolist()})")


def _array(values):
    if values and isinstance(values[0], (bytes, str)):
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.asarray(values)


def stack(parts, rank, dtype):
    """One SparseTensor of rank ``rank + 1`` from SparseTensors of rank ``rank``: part i's entries at
    ``[i, *index]``, dense_shape ``[len(parts), largest of each dimension]`` (how TensorFlow batches
    VarLenFeatures and serialized SparseTensors). ``dtype`` types the values (and an empty batch's)."""
    if not parts:
        return SparseTensor(np.zeros((0, rank + 1), np.int64), np.zeros(0, dtype), [0] * (rank + 1))
    indices = np.concatenate([np.concatenate([np.full((len(p.indices), 1), i, np.int64), p.indices], axis=1)
                              for i, p in enumerate(parts)])
    values = np.concatenate([np.asarray(p.values, dtype) for p in parts])
    return SparseTensor(indices, values, [len(parts)] + np.max([p.dense_shape for p in parts], axis=0).tolist())


def require(sp_input, who):
    """``sp_input`` when it is a SparseTensor; else a TypeError naming ``who``."""
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"{who}: expected a SparseTensor (e.g. what a VarLenFeature parses to, or "
                        f"tf.SparseTensor(indices, values, dense_shape)); received {type(sp_input).__name__}.")
    return sp_input


def to_dense(sp_input, default_value=None):
    """The dense array of ``sp_input``: its values at their indices, ``default_value`` elsewhere (0, or b''
    for strings), as tf.sparse.to_dense."""
    require(sp_input, "sparse.to_dense")
    strings = sp_input.values.dtype == object
    if default_value is None:
        default_value = b"" if strings else 0
    out = np.full(sp_input.shape, default_value, dtype=object if strings else sp_input.values.dtype)
    out[tuple(sp_input.indices.T)] = sp_input.values
    return out


def from_dense(tensor):
    """The SparseTensor of the non-zero (non-empty, for strings) entries of ``tensor``, as tf.sparse.from_dense."""
    dense = np.asarray(getattr(tensor, "value", tensor))
    nonzero = dense != (b"" if dense.dtype == object else 0)
    return SparseTensor(np.argwhere(nonzero), dense[nonzero], dense.shape)
