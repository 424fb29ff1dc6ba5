"""What ``tf.*`` functions do with RaggedTensors (tf_ragged): the reductions ``tf.reduce_sum/mean/max/min/prod``
along any axis but 0 of a tensor with several ragged dimensions (a row-wise reduction gives a dense Tensor, one
inside the rows a RaggedTensor; an empty row's sum is 0, its mean NaN, its max the dtype's lowest value),
``tf.concat`` along any axis (axis 0 appends rows, axis 1 joins row by row), ``tf.ragged.map_flat_values``,
and the elementwise ``tf.*`` / ``tf.math.*`` functions applied to the flat values. ``dispatch`` wraps the
namespace's functions so that they take RaggedTensors and pass every other argument on unchanged."""
import functools
import numbers

import numpy as np

from ..autodiff import Tensor
from .dtypes import DType
from .tf_ragged import (RaggedTensor, _aligned, _axis, _concat0, _plain, _same_partition, _stack_rows, constant,
                        ragged_range)


# ---------------------------------------------------------------- reductions
_REDUCTIONS = {"reduce_sum": (np.sum, 0), "reduce_prod": (np.prod, 1), "reduce_max": (np.max, "low"),
               "reduce_min": (np.min, "high"), "reduce_mean": (np.mean, None)}


def _fill(dtype, kind):
    if kind == "low":
        return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min
    if kind == "high":
        return np.inf if dtype.kind == "f" else np.iinfo(dtype).max
    return kind


def _reduce_dense(values, axis, name):
    fn, identity = _REDUCTIONS[name]
    if values.shape[axis] == 0:
        shape = values.shape[:axis] + values.shape[axis + 1:]
        value = np.nan if identity is None else _fill(values.dtype, identity)
        return np.full(shape, value, dtype=np.float64 if identity is None and values.dtype.kind != "f"
                       else values.dtype)
    if identity is None and values.dtype.kind != "f":  # a ragged mean of integers is float64, as TensorFlow's
        return np.asarray(fn(values, axis=axis), dtype=np.float64)
    return np.asarray(fn(values, axis=axis)).astype(values.dtype)


def ragged_reduce(name, rt, axis=None, keepdims=False):
    who = f"tf.{name}"
    if keepdims:
        raise NotImplementedError(f"{who}: keepdims=True on a RaggedTensor is not supported by dendrite's "
                                  "compatibility mode; see docs/compat.md.")
    if axis is None:
        return Tensor(_reduce_dense(rt._flat().reshape(-1), 0, name))
    if isinstance(axis, (list, tuple)):
        result = rt
        for a in sorted((_axis(rt, a, who) for a in axis), reverse=True):
            result = ragged_reduce(name, result, a) if isinstance(result, RaggedTensor) else Tensor(
                _reduce_dense(_plain(result), a, name))
        return result
    axis = _axis(rt, axis, who)
    if axis == 0:
        if rt.ragged_rank != 1:
            raise NotImplementedError(f"{who}: axis 0 of a RaggedTensor with ragged_rank {rt.ragged_rank} is not "
                                      "supported by dendrite's compatibility mode; see docs/compat.md.")
        fn, identity = _REDUCTIONS[name]
        dense, mask = rt._padded(0)
        counts = mask.sum(axis=0)
        if name == "reduce_mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                return Tensor((np.where(mask, dense, 0).sum(axis=0) / counts).astype(
                    dense.dtype if dense.dtype.kind == "f" else np.float64))
        filled = np.where(mask, dense, _fill(dense.dtype, identity))
        return Tensor(np.asarray(fn(filled, axis=0)).astype(dense.dtype))
    rows = [_reduce_dense(row, axis - 1, name) if not isinstance(row, RaggedTensor)
            else _reduce_row(name, row, axis - 1) for row in rt._rows()]
    if axis == 1 and rt.ragged_rank == 1:
        return Tensor(np.stack(rows) if rows else _reduce_dense(rt._flat()[:0], 0, name)[None][:0])
    return _stack_rows(rows, rt._values)


def _reduce_row(name, row, axis):
    result = ragged_reduce(name, row, axis)
    return result if isinstance(result, RaggedTensor) else _plain(result)


# ---------------------------------------------------------------- concat, tile, map_flat_values
def ragged_tile(rt, multiples):
    """``tf.tile`` of a RaggedTensor with one ragged dimension: the rows repeated ``multiples[0]`` times, each
    row's values ``multiples[1]`` times (and the inner dimensions as np.tile repeats them)."""
    multiples = [int(m) for m in _plain(multiples).reshape(-1)]
    rank = 2 + rt._inner_ndim()
    if len(multiples) != rank:
        raise ValueError(f"tf.tile: `multiples` needs one entry per dimension of the RaggedTensor ({rank}); "
                         f"received {multiples}.")
    if rt.ragged_rank != 1:
        raise NotImplementedError(f"tf.tile of a RaggedTensor with ragged_rank {rt.ragged_rank} is not supported "
                                  "by dendrite's compatibility mode; see docs/compat.md.")
    if any(m < 0 for m in multiples):
        raise ValueError(f"tf.tile: `multiples` must be non-negative; received {multiples}.")
    rows = [np.tile(row, multiples[1:]) if row.size else row for row in rt._rows()] * multiples[0]
    return _stack_rows(rows, rt._values)


def _tile(fn):
    @functools.wraps(fn)
    def run(input, multiples, name=None):  # noqa: A002 - TensorFlow's name
        if isinstance(input, RaggedTensor):
            return ragged_tile(input, multiples)
        return fn(input, multiples) if name is None else fn(input, multiples, name=name)
    return run


def ragged_concat(values, axis, name=None):
    values = list(values)
    parts = [v if isinstance(v, RaggedTensor) else RaggedTensor.from_tensor(v) for v in values]
    first = parts[0]
    axis = _axis(first, axis, "tf.concat")
    if axis == 0:
        return _concat0(parts)
    n = first.nrows_int()
    if any(p.nrows_int() != n for p in parts):
        raise ValueError(f"tf.concat: along axis {axis} the ragged tensors need the same number of rows; received "
                         f"{[p.nrows_int() for p in parts]}.")
    rows_of = [p._rows() for p in parts]
    rows = []
    for i in range(n):
        pieces = [r[i] for r in rows_of]
        if axis == 1:
            rows.append(_concat0(pieces))
        else:
            joined = ragged_concat([p if isinstance(p, RaggedTensor) else Tensor(p) for p in pieces], axis - 1) \
                if any(isinstance(p, RaggedTensor) for p in pieces) else np.concatenate(pieces, axis=axis - 1)
            rows.append(joined if isinstance(joined, RaggedTensor) else _plain(joined))
    return _stack_rows(rows, first._values)


def map_flat_values(op, *args, **kwargs):
    """``op`` applied to the flat values of the RaggedTensor arguments (which must share a row partition)."""
    ragged = [a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor)]
    if not ragged:
        raise ValueError("tf.ragged.map_flat_values: expected at least one RaggedTensor argument.")
    first = ragged[0]
    for other in ragged[1:]:
        if not _same_partition(first, other):
            raise ValueError("tf.ragged.map_flat_values: the RaggedTensor arguments have different row partitions.")

    def flat(a):
        return Tensor(a._flat()) if isinstance(a, RaggedTensor) else a
    result = op(*[flat(a) for a in args], **{k: flat(v) for k, v in kwargs.items()})
    out = _plain(result)
    if out.shape[:1] != first._flat().shape[:1]:
        raise ValueError(f"tf.ragged.map_flat_values: `op` must keep the number of values ({len(first._flat())}); "
                         f"it returned shape {out.shape}.")
    return first.with_flat_values(out)


# ---------------------------------------------------------------- dispatch of tf.* functions
_ELEMENTWISE = ("abs negative sqrt square exp log log1p sin cos tanh sigmoid round floor ceil sign reciprocal "
                "is_nan is_finite logical_not add subtract multiply divide truediv floordiv maximum minimum pow "
                "equal not_equal less less_equal greater greater_equal logical_and logical_or squared_difference "
                "cast").split()


def _elementwise(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        ragged = next((a for a in args if isinstance(a, RaggedTensor)), None)
        if ragged is None:
            return fn(*args, **kwargs)
        flats = []
        for a in args:
            if isinstance(a, RaggedTensor) or a is None or isinstance(a, (str, type, np.dtype, DType)):
                flats.append(Tensor(a._flat()) if isinstance(a, RaggedTensor) else a)
            elif hasattr(a, "dtype") or isinstance(a, (numbers.Number, list)):
                flats.append(Tensor(_aligned(ragged, a, fn.__name__)[1]))
            else:
                flats.append(a)
        return ragged.with_flat_values(_plain(fn(*flats, **kwargs)))
    return run


def _reduction(name, fn):
    @functools.wraps(fn)
    def run(input_tensor, axis=None, keepdims=False, **kwargs):
        if isinstance(input_tensor, RaggedTensor):
            return ragged_reduce(name, input_tensor, axis, keepdims)
        return fn(input_tensor, axis, keepdims, **kwargs)
    return run


def _concat(fn):
    @functools.wraps(fn)
    def run(values, axis, name=None):
        if any(isinstance(v, RaggedTensor) for v in values):
            return ragged_concat(values, axis)
        return fn(values, axis) if name is None else fn(values, axis, name=name)
    return run


def dispatch(members):
    """``members`` (tf's or tf.math's functions) with RaggedTensor arguments handled as above."""
    out = dict(members)
    for name in _REDUCTIONS:
        if name in out:
            out[name] = _reduction(name, out[name])
    if "concat" in out:
        out["concat"] = _concat(out["concat"])
    if "tile" in out:
        out["tile"] = _tile(out["tile"])
    for name in _ELEMENTWISE:
        if name in out and callable(out[name]):
            out[name] = _elementwise(out[name])
    return out


RAGGED = dict(constant=constant, map_flat_values=map_flat_values, range=ragged_range, RaggedTensor=RaggedTensor)
