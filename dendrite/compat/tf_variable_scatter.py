"""tf.Variable's scatter methods: ``scatter_nd_update`` / ``_add`` / ``_sub`` / ``_max`` / ``_min`` (updates at
N-d ``indices``) and ``scatter_update`` / ``_add`` / ``_sub`` / ``_max`` / ``_min`` / ``_mul`` / ``_div`` (rows
given as a ``tf.IndexedSlices``). Each changes the variable in place and returns it, as TensorFlow's do.

Shapes are checked as TensorFlow's kernels check them (``updates.shape == indices.shape[:-1] +
var.shape[indices.shape[-1]:]`` for the N-d forms, ``indices.shape + var.shape[1:]`` or a scalar for the row
forms), and an index outside the variable is an InvalidArgumentError, where TensorFlow would write nothing or
garbage. Repeated indices add up (``_add``, ``_sub``, ...); for ``_update`` the last one wins (TensorFlow
leaves the order undefined). Python values for ``updates`` take the variable's dtype; a Tensor of another dtype
is refused, as in TensorFlow.
"""
import numpy as np

from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from .tf_debugging import InvalidArgumentError

_AT = {"update": None, "add": np.add, "sub": np.subtract, "max": np.maximum, "min": np.minimum,
       "mul": np.multiply, "div": None}


def _indices(indices, where):
    idx = np.asarray(array_of(indices))
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{where}: `indices` must be integers (int32 or int64); received dtype {idx.dtype}. "
                        "Cast them with tf.cast(indices, tf.int64).")
    return idx.astype(np.int64)


def _updates(var, updates, where):
    """``updates`` in the variable's dtype: a Python value converted to it, a Tensor only when it has it."""
    if isinstance(updates, Tensor) or isinstance(updates, np.ndarray):
        arr = np.asarray(array_of(updates))
        if arr.dtype != var.dtype:
            raise ValueError(f"{where}: the updates have dtype {arr.dtype} but the variable '{var.name}' has "
                             f"dtype {var.dtype.name}; cast them with tf.cast(updates, {var.dtype.name!r}).")
        return arr
    arr = np.asarray(updates)
    if var.dtype.kind in "iub" and arr.dtype.kind == "f" and not np.all(arr == np.trunc(arr)):
        raise TypeError(f"{where}: cannot convert the updates {updates!r} to the variable's dtype "
                        f"{var.dtype.name} without losing their fractions.")
    return arr.astype(var.dtype)


def _apply(var, positions, rows, op):
    """``var[positions[i]] op= rows[i]`` for each i, ``positions`` an (n, k) array of in-range indices."""
    target = var.value.view(np.ndarray)
    key = tuple(positions.T)
    if op == "update":
        target[key] = rows
    elif op == "div":
        for i in range(len(positions)):
            here = tuple(positions[i])
            quotient = target[here] / rows[i]
            target[here] = np.trunc(quotient) if target.dtype.kind in "iu" else quotient
    else:
        _AT[op].at(target, key, rows)
    return var


def _check_range(var, positions, where, row_form):
    limits = np.asarray(var.shape[:positions.shape[1]])
    bad = np.flatnonzero(((positions < 0) | (positions >= limits)).any(axis=1))
    if len(bad):
        i = int(bad[0])
        if row_form:
            raise InvalidArgumentError(f"{where}: indices[{i}] = {int(positions[i, 0])} is not in "
                                       f"[0, {var.shape[0]}) (the rows of variable '{var.name}').")
        raise InvalidArgumentError(f"{where}: indices[{i}] = {positions[i].tolist()} does not index into the "
                                   f"shape {list(var.shape)} of variable '{var.name}'.")


def scatter_nd(var, indices, updates, op):
    where = f"tf.Variable.scatter_nd_{op}"
    idx = _indices(indices, where)
    if idx.ndim < 1 or idx.shape[-1] > var.ndim:
        raise InvalidArgumentError(
            f"{where}: `indices` must have a last dimension of at most the variable's rank {var.ndim} (each row "
            f"one index into its first axes); received indices of shape {list(idx.shape)} for variable "
            f"'{var.name}' of shape {list(var.shape)}.")
    upd = _updates(var, updates, where)
    k = idx.shape[-1]
    expected = tuple(idx.shape[:-1]) + tuple(var.shape[k:])
    if upd.shape != expected:
        raise InvalidArgumentError(
            f"{where}: `updates` must have shape indices.shape[:-1] + variable.shape[{k}:] = {list(expected)}; "
            f"received {list(upd.shape)} (indices {list(idx.shape)}, variable '{var.name}' {list(var.shape)}).")
    positions = idx.reshape(-1, k)
    _check_range(var, positions, where, row_form=False)
    return _apply(var, positions, upd.reshape((-1,) + tuple(var.shape[k:])), op)


def scatter_rows(var, sparse_delta, op):
    from .tf_sparse import IndexedSlices
    where = f"tf.Variable.scatter_{op}"
    if not isinstance(sparse_delta, IndexedSlices):
        raise TypeError(f"{where}: argument `sparse_delta` must be a tf.IndexedSlices (rows by index: "
                        f"tf.IndexedSlices(values, indices)); received {type(sparse_delta).__name__}. For updates at "
                        "element indices use scatter_nd_update / scatter_nd_add.")
    if var.ndim < 1:
        raise InvalidArgumentError(f"{where}: variable '{var.name}' is a scalar; scatter needs rows to index.")
    idx = _indices(sparse_delta.indices, where)
    upd = _updates(var, sparse_delta.given_values(), where)
    expected = tuple(idx.shape) + tuple(var.shape[1:])
    if upd.shape != expected and upd.shape != ():
        raise InvalidArgumentError(
            f"{where}: the slices' values must have shape indices.shape + variable.shape[1:] = {list(expected)} "
            f"(or be a scalar); received {list(upd.shape)} (indices {list(idx.shape)}, variable '{var.name}' "
            f"{list(var.shape)}).")
    positions = idx.reshape(-1, 1)
    _check_range(var, positions, where, row_form=True)
    rows = np.broadcast_to(upd, expected).reshape((-1,) + tuple(var.shape[1:]))
    return _apply(var, positions, rows, op)


def _nd(op):
    def method(self, indices, updates, use_locking=None, name=None):
        return scatter_nd(self, indices, updates, op)
    method.__name__ = f"scatter_nd_{op}"
    method.__doc__ = f"``var[indices] {op}= updates`` at N-d indices (rows of ``indices``); returns the variable."
    return method


def _rows(op):
    def method(self, sparse_delta, use_locking=False, name=None):
        return scatter_rows(self, sparse_delta, op)
    method.__name__ = f"scatter_{op}"
    method.__doc__ = (f"``var[sparse_delta.indices] {op}= sparse_delta.values`` (rows of a tf.IndexedSlices); "
                      "returns the variable.")
    return method


class ScatterMethods:
    """The scatter methods tf.Variable has (a mix-in of tensor_api.Variable)."""

    __slots__ = ()

    scatter_nd_update, scatter_nd_add, scatter_nd_sub = _nd("update"), _nd("add"), _nd("sub")
    scatter_nd_max, scatter_nd_min = _nd("max"), _nd("min")
    scatter_update, scatter_add, scatter_sub = _rows("update"), _rows("add"), _rows("sub")
    scatter_max, scatter_min, scatter_mul, scatter_div = _rows("max"), _rows("min"), _rows("mul"), _rows("div")
