"""``tf.sets``: ``union``, ``intersection``, ``difference`` and ``size`` over the last dimension.

Each row (the last axis of a dense tensor, or the stored values of one row of a SparseTensor) is a set. A dense
row's every entry is a member, padding such as 0 or -1 included; a SparseTensor's unstored entries are not. The
results are tf.SparseTensors whose rows hold their members sorted, with indices (int64) in row-major order and
dense_shape ``batch dims + [largest row]``, as TensorFlow gives them; ``size`` counts each row's distinct
members (int32). Integers (8, 16, 32, 64 bits, uint8, uint16) and strings are accepted, as in TensorFlow. A
SparseTensor first with a dense second is swapped (``difference`` then takes b minus a), TensorFlow's rule.
``tf.compat.v1.sets`` adds the ``set_union`` ... spellings.
"""
import numpy as np

from ..io import sparse as _sparse
from ._namespace import Namespace
from .tensor_api import _array
from .tf_debugging import InvalidArgumentError
from .tf_sparse import SparseTensor

_VALID = {np.dtype(t) for t in ("int8", "int16", "int32", "int64", "uint8", "uint16", "object")}
_VALID_NAMES = "int8, int16, int32, int64, uint8, uint16, string"


def _check_dtype(dtype, where, what):
    if np.dtype(dtype) not in _VALID:
        raise TypeError(f"{where}: {what} has dtype {np.dtype(dtype)}, which sets do not hold; expected one of "
                        f"{_VALID_NAMES} (cast floats with tf.cast).")


def _in_order_and_inside(sp, where):
    indices, shape = sp._indices, sp._dense_shape
    if len(indices) and ((indices < 0) | (indices >= shape)).any():
        i = int(np.flatnonzero(((indices < 0) | (indices >= shape)).any(axis=1))[0])
        raise InvalidArgumentError(f"{where}: indices[{i}] = {indices[i].tolist()} is outside dense_shape "
                                   f"{shape.tolist()}.")
    if len(indices) > 1:
        flat = np.ravel_multi_index(indices.T, shape)
        bad = np.flatnonzero(np.diff(flat) <= 0)
        if len(bad):
            i = int(bad[0]) + 1
            raise InvalidArgumentError(f"{where}: indices[{i}] = {indices[i].tolist()} is out of order. Many sparse "
                                       "ops require sorted indices; use `tf.sparse.reorder` to create a correctly "
                                       "ordered copy (or pass validate_indices=False).")


class _Rows:
    """The sets of a dense tensor or SparseTensor: its batch shape, dtype and the members of each row."""

    def __init__(self, value, where, what, validate_indices=True):
        if isinstance(value, _sparse.SparseTensor):
            sp = SparseTensor.from_value(value)
            self.dtype, shape = sp.dtype, tuple(int(d) for d in sp._dense_shape)
            self._rank_check(shape, where, what)
            _check_dtype(self.dtype, where, what)
            if validate_indices:
                _in_order_and_inside(sp, where)
            self.batch = shape[:-1]
            values = np.asarray(sp._values.value)
            self._members = {}
            for index, v in zip(map(tuple, sp._indices[:, :-1].tolist()), values):
                self._members.setdefault(index, []).append(v)
            self._dense = None
        else:
            arr = _array(value)
            self._rank_check(arr.shape, where, what)
            _check_dtype(arr.dtype, where, what)
            self.dtype, self.batch, self._dense = arr.dtype, arr.shape[:-1], arr

    @staticmethod
    def _rank_check(shape, where, what):
        if len(shape) < 2:
            raise InvalidArgumentError(f"{where}: {what} must have rank 2 or more (sets along the last axis, one "
                                       f"per row); received shape {list(shape)}. Add a batch axis, e.g. "
                                       "tf.expand_dims(x, 0).")

    def row(self, index):
        items = self._dense[index] if self._dense is not None else self._members.get(index, [])
        return np.unique(np.asarray(items, dtype=self.dtype))


def _result(rows, batch, dtype):
    width = max((len(r) for r in rows), default=0)
    indices = [np.concatenate([np.tile(np.asarray(index, np.int64), (len(r), 1)),
                               np.arange(len(r), dtype=np.int64)[:, None]], axis=1)
               for index, r in zip(np.ndindex(*batch), rows)]
    indices = np.concatenate(indices) if indices else np.zeros((0, len(batch) + 1), np.int64)
    values = np.concatenate(rows).astype(dtype) if rows else np.zeros(0, dtype)
    return SparseTensor(indices.reshape(-1, len(batch) + 1), values, np.asarray(batch + (width,), np.int64))


def _operation(a, b, combine, where, validate_indices):
    ra = _Rows(a, where, "`a`", validate_indices)
    rb = _Rows(b, where, "`b`", validate_indices)
    if ra.dtype != rb.dtype:
        raise TypeError(f"{where}: the sets' dtypes differ: {ra.dtype} and {rb.dtype}; cast one with tf.cast.")
    if tuple(ra.batch) != tuple(rb.batch):
        raise InvalidArgumentError(f"{where}: the sets' shapes differ outside the last axis: {list(ra.batch)} and "
                                   f"{list(rb.batch)} (the rows pair up one to one).")
    rows = [combine(ra.row(index), rb.row(index)) for index in np.ndindex(*ra.batch)]
    return _result(rows, tuple(ra.batch), ra.dtype)


def _dense_first(a, b):
    """TensorFlow's order: a SparseTensor ``a`` with a dense ``b`` swaps them (whether they were swapped)."""
    if isinstance(a, _sparse.SparseTensor) and not isinstance(b, _sparse.SparseTensor):
        return b, a, True
    return a, b, False


def union(a, b, validate_indices=True):
    """The union of the rows of ``a`` and ``b``: a SparseTensor, each row's members sorted."""
    a, b, _ = _dense_first(a, b)
    return _operation(a, b, np.union1d, "tf.sets.union", validate_indices)


def intersection(a, b, validate_indices=True):
    """The members each row of ``a`` shares with the same row of ``b``: a SparseTensor, sorted."""
    a, b, _ = _dense_first(a, b)
    return _operation(a, b, np.intersect1d, "tf.sets.intersection", validate_indices)


def difference(a, b, aminusb=True, validate_indices=True):
    """Each row of ``a`` minus the same row of ``b`` (``b`` minus ``a`` with aminusb=False): a SparseTensor."""
    a, b, swapped = _dense_first(a, b)
    first_minus_second = bool(aminusb) != swapped
    combine = np.setdiff1d if first_minus_second else (lambda x, y: np.setdiff1d(y, x))
    return _operation(a, b, combine, "tf.sets.difference", validate_indices)


def size(a, validate_indices=True):
    """The number of distinct members of each row of the SparseTensor ``a`` (int32, shape dense_shape[:-1])."""
    if not isinstance(a, _sparse.SparseTensor):
        raise TypeError(f"tf.sets.size: expected a SparseTensor (what tf.sets.union etc. give); received "
                        f"{type(a).__name__}. For a dense tensor use tf.sets.size(tf.sparse.from_dense(x)) or "
                        "count tf.unique of each row.")
    rows = _Rows(a, "tf.sets.size", "`a`", validate_indices)
    counts = [len(rows.row(index)) for index in np.ndindex(*rows.batch)]
    from ..autodiff import Tensor
    return Tensor(np.asarray(counts, np.int32).reshape(rows.batch))


SETS = dict(union=union, intersection=intersection, difference=difference, size=size)


def namespace():
    return Namespace("tensorflow.sets", __doc__, members=SETS)


def namespace_v1():
    """``tf.compat.v1.sets``: TensorFlow 2's names and the ``set_`` spellings."""
    return Namespace("tensorflow.compat.v1.sets", __doc__, members=dict(
        SETS, **{f"set_{name}": fn for name, fn in SETS.items()}))
