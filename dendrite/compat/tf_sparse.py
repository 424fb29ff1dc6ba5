"""``tf.SparseTensor``, ``tf.sparse`` and ``tf.IndexedSlices`` on dendrite's Tensors.

A SparseTensor is dendrite.io.sparse's (what a ``VarLenFeature`` parses to) with TensorFlow's eager faces:
``indices`` (int64, (nnz, rank)), ``values`` and ``dense_shape`` (int64) are Tensors, ``shape`` a TensorShape.
The ``tf.sparse`` functions compute on the dense form; ``to_dense`` and ``sparse_dense_matmul`` are
differentiable in the values (a scatter of them) and in the dense operand. ``IndexedSlices`` (rows of a
tensor, what TensorFlow gives as the gradient of a gather) is a Tensor holding its dense value, so
``tf.convert_to_tensor`` and every op read it densely; dendrite's own gradients are dense Tensors.
"""
import numpy as np

from ..autodiff import Tensor, ops
from ..autodiff.ops.shape import ScatterAdd
from ..autodiff.tensor import array_of
from ..io import sparse as _sparse
from ._namespace import Namespace
from ._notes import note, unsupported
from .tensor_api import convert_to_tensor as _convert_to_tensor


def _values(values):
    """``values`` as a Tensor (kept when it is one, so a gradient reaches it), floats as float32."""
    if isinstance(values, Tensor):
        return values
    arr = np.asarray(values) if not isinstance(values, list) else _sparse._array(values)
    if not isinstance(values, np.ndarray):  # Python numbers as tf.constant makes them
        arr = arr.astype(np.float32) if arr.dtype == np.float64 else arr.astype(np.int32) if (
            arr.dtype == np.int64 and (arr.size == 0 or np.abs(arr).max() < 2 ** 31)) else arr
    return Tensor(arr)


_SLOT = Tensor.value  # the slot that holds a Tensor's array


class _SparseType(type):
    """isinstance(x, tf.SparseTensor) holds for every dendrite SparseTensor (those tf.io parses too)."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, _sparse.SparseTensor)


class SparseTensor(_sparse.SparseTensor, metaclass=_SparseType):
    """``tf.SparseTensor(indices, values, dense_shape)``: the values at their indices of a dense tensor of
    shape dense_shape, zeros elsewhere. Indices are not required in order (``tf.sparse.reorder`` sorts them)."""

    def __init__(self, indices, values, dense_shape):
        values_t = _values(values)
        checked = _sparse.SparseTensor(np.asarray(array_of(indices)).reshape(-1, len(np.asarray(array_of(
            dense_shape)))), np.asarray(values_t.value), np.asarray(array_of(dense_shape)))  # its checks
        self._indices, self._values, self._dense_shape = checked.indices, values_t, checked.dense_shape

    @classmethod
    def from_value(cls, value):
        return value if issubclass(type(value), SparseTensor) else cls(value.indices, value.values, value.dense_shape)

    indices = property(lambda self: Tensor(self._indices))
    values = property(lambda self: self._values)
    dense_shape = property(lambda self: Tensor(self._dense_shape))

    @property
    def shape(self):
        from .tf_tree import TensorShape
        return TensorShape(self._dense_shape.tolist())

    def get_shape(self):
        return self.shape

    @property
    def dtype(self):
        return self._values.dtype

    def __array__(self, dtype=None, copy=None):
        """The dense array (what a model given this SparseTensor computes on: Input(sparse=True) is dense here)."""
        dense = _sparse.to_dense(_sparse.SparseTensor(self._indices, np.asarray(self._values.value),
                                                      tuple(int(d) for d in self._dense_shape)))
        return dense if dtype is None else dense.astype(dtype)

    def with_values(self, new_values):
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def __repr__(self):
        return f"SparseTensor(indices={self.indices!s}, values={self.values!s}, dense_shape={self.dense_shape!s})"


def _sp(sp_input, where, what="sp_input"):
    if not isinstance(sp_input, _sparse.SparseTensor):
        raise TypeError(f"{where}: `{what}` must be a tf.SparseTensor (tf.SparseTensor(indices, values, "
                        f"dense_shape) or tf.sparse.from_dense(tensor)); received {type(sp_input).__name__}.")
    return SparseTensor.from_value(sp_input)


def _in_order(indices):
    """Whether the rows of ``indices`` are in row-major (lexicographic) order without repeats."""
    if len(indices) < 2:
        return True
    flat = np.ravel_multi_index(indices.T, np.maximum(indices.max(axis=0) + 1, 1))
    return bool((np.diff(flat) > 0).all())


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense Tensor: the values at their indices, ``default_value`` (0, or b'' for strings) elsewhere."""
    sp = _sp(sp_input, "tf.sparse.to_dense")
    if validate_indices and not _in_order(sp._indices):
        raise ValueError("tf.sparse.to_dense: the indices are out of order or repeated (TensorFlow's "
                         "InvalidArgumentError). Use `tf.sparse.reorder` to create a correctly ordered copy.")
    shape = tuple(int(d) for d in sp._dense_shape)
    if sp.dtype.kind not in "fc":
        return Tensor(_sparse.to_dense(_sparse.SparseTensor(sp._indices, sp._values.value, shape), default_value))
    dense = ScatterAdd(tuple(sp._indices.T), shape)(sp._values)  # differentiable in the values
    if default_value:
        filled = np.ones(shape, bool)
        filled[tuple(sp._indices.T)] = False
        dense = ops.add(dense, filled.astype(sp.dtype) * np.asarray(default_value, sp.dtype))
    return dense


def from_dense(tensor, name=None):
    """The SparseTensor of the non-zero entries (non-empty strings) of ``tensor``, in row-major order."""
    dense = np.asarray(array_of(_convert_to_tensor(tensor)))
    base = _sparse.from_dense(dense)
    return SparseTensor(base.indices, base.values, base.dense_shape)


def reorder(sp_input, name=None):
    """The same SparseTensor with its entries in row-major (lexicographic index) order."""
    sp = _sp(sp_input, "tf.sparse.reorder")
    order = np.lexsort(sp._indices.T[::-1]) if len(sp._indices) else np.arange(0)
    return SparseTensor(sp._indices[order], ops.take(sp._values, order) if sp.dtype.kind == "f"
                        else Tensor(sp._values.value[order]), sp._dense_shape)


def _dense_of(sp):
    """``sp``'s dense Tensor whatever its order (repeated indices add up)."""
    shape = tuple(int(d) for d in sp._dense_shape)
    return ScatterAdd(tuple(sp._indices.T), shape)(sp._values)


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """``sp_a @ b`` (a rank-2 SparseTensor times a dense matrix; ``adjoint_*`` transposes), a dense Tensor,
    differentiable in sp_a's values and in b."""
    sp = _sp(sp_a, "tf.sparse.sparse_dense_matmul", "sp_a")
    if len(sp._dense_shape) != 2:
        raise ValueError(f"tf.sparse.sparse_dense_matmul: `sp_a` must be a matrix (rank 2); received dense_shape "
                         f"{sp._dense_shape.tolist()}.")
    if isinstance(b, _sparse.SparseTensor):
        raise TypeError("tf.sparse.sparse_dense_matmul: `b` must be a dense tensor; received a SparseTensor. "
                        "Convert it with tf.sparse.to_dense(b).")
    a = _dense_of(sp)
    b = _convert_to_tensor(b, dtype=sp.dtype) if not isinstance(b, Tensor) else b
    a = ops.transpose(a) if adjoint_a else a
    b = ops.transpose(b) if adjoint_b else b
    if a.shape[1] != b.shape[0]:
        raise ValueError(f"tf.sparse.sparse_dense_matmul: inner dimensions differ: sp_a is {tuple(a.shape)} and b "
                         f"is {tuple(b.shape)} (after adjoints); the columns of one must equal the rows of the other.")
    return ops.matmul(a, b)


def reduce_sum(sp_input, axis=None, keepdims=False, output_is_sparse=False, name=None):
    """The sum of the entries over ``axis`` (all of them when None), a dense Tensor (a SparseTensor of the
    non-zero sums with ``output_is_sparse=True``)."""
    sp = _sp(sp_input, "tf.sparse.reduce_sum")
    axis = None if axis is None else tuple(int(a) for a in np.ravel(array_of(axis)))
    out = ops.sum(_dense_of(sp), axis=axis, keepdims=bool(keepdims))
    return from_dense(out) if output_is_sparse else out


def reduce_max(sp_input, axis=None, keepdims=False, output_is_sparse=False, name=None):
    """The largest stored value over ``axis`` (entries not stored do not count; none stored gives the lowest
    value of the dtype... as TensorFlow), dense."""
    sp = _sp(sp_input, "tf.sparse.reduce_max")
    shape = tuple(int(d) for d in sp._dense_shape)
    dense = np.full(shape, -np.inf if sp.dtype.kind == "f" else np.iinfo(sp.dtype).min, sp.dtype)
    dense[tuple(sp._indices.T)] = sp._values.value
    axis = None if axis is None else tuple(int(a) for a in np.ravel(array_of(axis)))
    out = Tensor(np.asarray(dense.max(axis=axis, keepdims=bool(keepdims))))
    return from_dense(out) if output_is_sparse else out


def add(a, b, threshold=0, name=None):
    """Sparse + sparse: a SparseTensor over the union of the indices (sums whose magnitude is below
    ``threshold`` dropped); sparse + dense (either order): a dense Tensor."""
    a_sparse, b_sparse = isinstance(a, _sparse.SparseTensor), isinstance(b, _sparse.SparseTensor)
    if not (a_sparse or b_sparse):
        raise TypeError("tf.sparse.add: at least one of `a` and `b` must be a tf.SparseTensor; received "
                        f"{type(a).__name__} and {type(b).__name__}. Add dense tensors with tf.add.")
    if a_sparse and b_sparse:
        sa, sb = SparseTensor.from_value(a), SparseTensor.from_value(b)
        if sa._dense_shape.tolist() != sb._dense_shape.tolist():
            raise ValueError(f"tf.sparse.add: the operands' dense shapes differ: {sa._dense_shape.tolist()} and "
                             f"{sb._dense_shape.tolist()}.")
        both = np.concatenate([sa._indices, sb._indices])
        keys, where = np.unique(both, axis=0, return_inverse=True)
        values = ScatterAdd((where.reshape(-1),), (len(keys),))(ops.concatenate([sa._values, sb._values], 0))
        keep = np.abs(values.value) >= threshold
        return SparseTensor(keys[keep], ops.take(values, np.flatnonzero(keep)), sa._dense_shape)
    sp, dense = (a, b) if a_sparse else (b, a)
    sp = SparseTensor.from_value(sp)
    return ops.add(_dense_of(sp), _convert_to_tensor(dense, dtype=sp.dtype) if not isinstance(dense, Tensor)
                   else dense)


def transpose(sp_input, perm=None, name=None):
    """The SparseTensor with its axes permuted (reversed by default), in row-major order."""
    sp = _sp(sp_input, "tf.sparse.transpose")
    perm = list(range(len(sp._dense_shape)))[::-1] if perm is None else [int(p) for p in np.ravel(array_of(perm))]
    return reorder(SparseTensor(sp._indices[:, perm], sp._values, sp._dense_shape[perm]))


class IndexedSlices(Tensor):
    """``tf.IndexedSlices(values, indices, dense_shape=None)``: rows ``values[i]`` at ``indices[i]`` of a tensor of
    ``dense_shape`` (repeated indices add up). As a Tensor it is that dense tensor (``tf.convert_to_tensor``,
    arithmetic, optimizers read it so); ``values``, ``indices`` and ``dense_shape`` are kept as given. Without
    ``dense_shape`` it is only rows (what ``Variable.scatter_update`` takes): its shape is unknown and reading it
    as a tensor is TensorFlow's ValueError."""

    __slots__ = ("values", "indices", "dense_shape", "_given")

    def __init__(self, values, indices, dense_shape=None):
        self._given = values  # scatter_update converts Python values to the variable's dtype, as TensorFlow
        values = values if isinstance(values, Tensor) else _convert_to_tensor(values)
        indices = _convert_to_tensor(indices)
        self.values, self.indices, self.dense_shape = values, indices, None
        if dense_shape is None and indices.dtype.kind in "iu":  # rows only (their shapes checked by their user)
            super().__init__(None)
            return
        if indices.dtype.kind not in "iu" or indices.ndim != 1 or values.ndim < 1 or (
                len(indices.value) != values.shape[0]):
            raise ValueError(f"tf.IndexedSlices: `indices` must be a 1-D integer tensor with one index per row of "
                             f"`values`; received indices of shape {tuple(indices.shape)} and dtype "
                             f"{indices.dtype} for values of shape {tuple(values.shape)}.")
        shape = tuple(int(d) for d in np.ravel(array_of(dense_shape)))
        if tuple(values.shape[1:]) != shape[1:] or (len(indices.value) and int(indices.value.max()) >= shape[0]):
            raise ValueError(f"tf.IndexedSlices: rows of shape {tuple(values.shape[1:])} at indices up to "
                             f"{int(indices.value.max()) if len(indices.value) else None} do not fit in dense_shape "
                             f"{list(shape)}.")
        super().__init__(ScatterAdd((indices.value,), shape)(values).value)
        self.dense_shape = Tensor(np.asarray(shape, dtype=indices.dtype))

    def _dense(self):
        if self.dense_shape is None:
            raise ValueError("Tensor conversion requested for IndexedSlices without dense_shape: "
                             f"{self!r}. Give tf.IndexedSlices(values, indices, dense_shape=[...]) to use it as a "
                             "tensor.")
        return _SLOT.__get__(self)

    value = property(_dense, lambda self, array: _SLOT.__set__(self, array))

    @property
    def shape(self):
        if self.dense_shape is None:
            from .tf_tree import TensorShape
            return TensorShape(None)
        return self.value.shape

    @property
    def dtype(self):
        return self.values.dtype

    def given_values(self):
        """The values as given (a Python list stays one, for a scatter into a variable of another dtype)."""
        return self._given

    def __repr__(self):
        return (f"IndexedSlices(indices={self.indices!r}, values={self.values!r}, "
                f"dense_shape={self.dense_shape!r})")

    __str__ = __repr__


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """tf.convert_to_tensor: an IndexedSlices becomes its dense Tensor; a SparseTensor is refused as TensorFlow
    refuses it."""
    if isinstance(value, IndexedSlices):
        return _convert_to_tensor(Tensor(value.value), dtype, dtype_hint)
    if isinstance(value, _sparse.SparseTensor):
        raise ValueError("tf.convert_to_tensor: a SparseTensor cannot be converted to a dense Tensor implicitly; "
                         "use tf.sparse.to_dense(sp_input).")
    return _convert_to_tensor(value, dtype, dtype_hint, name)


def keras_input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None,
                ragged=None, **kwargs):
    """keras.Input: ``sparse=True`` accepted with a note (SparseTensors fed to the model are made dense);
    ``ragged=True`` / ``tensor=`` refused clearly."""
    import dendrite
    if sparse:  # dendrite's layers compute on dense arrays: a SparseTensor fed to the model is made dense
        note("keras.Input(sparse=True)", "keras.Input(sparse=True): dendrite's layers compute on dense arrays; "
                                          "SparseTensors given to the model are made dense first.")
    if ragged:
        raise unsupported("`keras.Input(ragged=True)`", "pad the sequences (keras.utils.pad_sequences or "
                          "RaggedTensor.to_tensor()) and use a dense Input.")
    if tensor is not None:
        raise unsupported("`keras.Input(tensor=...)`", "build the model from Input(shape=...) and feed the data "
                          "to fit / predict.")
    if kwargs:
        raise TypeError(f"keras.Input: unexpected argument(s) {sorted(kwargs)}; expected shape, batch_size, dtype, "
                        "sparse, batch_shape, name, tensor, ragged.")
    return dendrite.Input(shape=shape, batch_size=batch_size, dtype=dtype, name=name, batch_shape=batch_shape)


SPARSE = dict(SparseTensor=SparseTensor, to_dense=to_dense, from_dense=from_dense, reorder=reorder,
              sparse_dense_matmul=sparse_dense_matmul, reduce_sum=reduce_sum, reduce_max=reduce_max, add=add,
              transpose=transpose)


def namespace():
    from . import tf_sparse_ops
    return Namespace("tensorflow.sparse", __doc__, members=dict(SPARSE, **tf_sparse_ops.NAMES))
