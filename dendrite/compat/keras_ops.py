"""Keras 3's ``keras.ops`` beyond dendrite's differentiable ops (dendrite.autodiff.ops, served too): the
NumPy-style functions (``arange``, ``cos``, ``argmax``, ``cumsum``, ``linspace``, ``tril``, ...), the nn
functions (``relu6``, ``silu``, ``moments``, ``top_k``, the cross-entropies, ``max_pool``), the core functions
(``convert_to_tensor``, ``convert_to_numpy``, ``stop_gradient``, ``cond``, ``fori_loop``, ``scan``, ``map``,
``slice``, ``scatter``, ...) and the linear algebra (also as ``keras.ops.linalg``).

Differentiable where Keras's are, built on the tape's ops (slicing, ``take``, ``where``, products); integer
and boolean results (comparisons, indices, counts) and the linear-algebra factorisations are computed with
NumPy. As Keras: ``argmax`` without an axis looks at the flattened tensor and returns int32, ``arange`` of
integers is int32, and Python floats become float32 tensors."""
import builtins
import math

import numpy as np

from .. import backend
from ..autodiff import Tensor, ops
from ..autodiff.ops import unary_math
from . import nn, tensor_api, tf_control, tf_indexing, tf_math
from .tensor_api import _t


_slice = builtins.slice


def _np(fn, name, dtype=None):
    """A Keras op computed with NumPy on the tensors' values (not differentiated)."""
    def op(*args, **kwargs):
        out = np.asarray(fn(*[_t(a).value if isinstance(a, (Tensor, list, tuple, np.ndarray)) or np.isscalar(a)
                               else a for a in args], **kwargs))
        return Tensor(out.astype(dtype) if dtype is not None else out)
    op.__name__ = name
    return op


def _floatx(dtype):
    return np.dtype(dtype) if dtype is not None else np.dtype(backend.floatx())


def _axis_int(axis, ndim):
    return axis % ndim if ndim else 0


# ------------------------------------------------------------------ elementwise (differentiable)
def _unary(fname):
    def op(x):
        x = _t(x)
        return unary_math.unary(fname, x if x.dtype.kind == "f" else ops.cast(x, backend.floatx()))
    op.__name__ = fname
    return op


sin, cos, tan, sinh, cosh, expm1, rsqrt, erf = (_unary(n) for n in "sin cos tan sinh cosh expm1 rsqrt erf".split())
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = (_unary(n) for n in "asin acos atan asinh acosh atanh".split())
absolute = tensor_api.abs
log1p, reciprocal, mod, floor_divide = tf_math.log1p, tf_math.reciprocal, tf_math.floormod, tensor_api.floordiv
true_divide = tensor_api.divide


def arctan2(x1, x2):
    return unary_math.atan2(_t(x1), _t(x2))


def log2(x):
    return ops.divide(ops.log(_t(x)), math.log(2.0))


def log10(x):
    return ops.divide(ops.log(_t(x)), math.log(10.0))


def logaddexp(x1, x2):
    """log(exp(x1) + exp(x2)) without overflow: max + log1p(exp(-|x1 - x2|))."""
    x1, x2 = _t(x1), _t(x2)
    return ops.add(ops.maximum(x1, x2), tf_math.log1p(ops.exp(ops.negative(ops.abs(ops.subtract(x1, x2))))))


# ------------------------------------------------------------------ comparisons, tests, counts (NumPy)
equal, not_equal = _np(np.equal, "equal"), _np(np.not_equal, "not_equal")
greater, greater_equal = _np(np.greater, "greater"), _np(np.greater_equal, "greater_equal")
less, less_equal = _np(np.less, "less"), _np(np.less_equal, "less_equal")
logical_and, logical_or = _np(np.logical_and, "logical_and"), _np(np.logical_or, "logical_or")
logical_xor, logical_not = _np(np.logical_xor, "logical_xor"), _np(np.logical_not, "logical_not")
isnan, isinf, isfinite = _np(np.isnan, "isnan"), _np(np.isinf, "isinf"), _np(np.isfinite, "isfinite")
isclose = _np(np.isclose, "isclose")
all, any = _np(np.all, "all"), _np(np.any, "any")  # noqa: A001 - Keras's names
sign, floor, ceil = _np(np.sign, "sign"), _np(np.floor, "floor"), _np(np.ceil, "ceil")
nan_to_num = _np(np.nan_to_num, "nan_to_num")
argsort = _np(lambda x, axis=-1: np.argsort(x, axis=axis, kind="stable"), "argsort", np.int32)
sort = _np(lambda x, axis=-1: np.sort(x, axis=axis), "sort")
count_nonzero = _np(np.count_nonzero, "count_nonzero", np.int32)
median = _np(lambda x, axis=None, keepdims=False: np.median(x, axis=axis, keepdims=keepdims), "median")
quantile = _np(lambda x, q, axis=None, method="linear", keepdims=False:
               np.quantile(x, q, axis=axis, method=method, keepdims=keepdims), "quantile")
cumsum = _np(lambda x, axis=None, dtype=None: np.cumsum(x, axis=axis, dtype=dtype or x.dtype), "cumsum")
cumprod = _np(lambda x, axis=None, dtype=None: np.cumprod(x, axis=axis, dtype=dtype or x.dtype), "cumprod")
digitize = _np(np.digitize, "digitize", np.int32)
bincount = _np(lambda x, weights=None, minlength=0, sparse=False: np.bincount(
    np.asarray(x).ravel(), weights=None if weights is None else np.asarray(weights).ravel(), minlength=minlength),
    "bincount")
cross = _np(np.cross, "cross")
diag = _np(np.diag, "diag")
diagonal = _np(lambda x, offset=0, axis1=0, axis2=1: np.diagonal(x, offset, axis1, axis2).copy(), "diagonal")
trace = _np(lambda x, offset=0, axis1=0, axis2=1: np.trace(x, offset, axis1, axis2), "trace")
round = _np(lambda x, decimals=0: np.round(x, decimals), "round")  # noqa: A001


def _arg(fn, name):
    def op(x, axis=None, keepdims=False):
        v = _t(x).value
        out = fn(v, axis=axis) if axis is not None else fn(v.ravel())
        if keepdims:
            out = np.expand_dims(out, axis) if axis is not None else np.reshape(out, (1,) * v.ndim)
        return Tensor(np.asarray(out, dtype=np.int32))
    op.__name__ = name
    return op


argmax, argmin = _arg(np.argmax, "argmax"), _arg(np.argmin, "argmin")


def nonzero(x):
    return tuple(Tensor(i.astype(np.int32)) for i in np.nonzero(_t(x).value))


# ------------------------------------------------------------------ reductions (differentiable)
prod = tensor_api.reduce_prod
std, var = tensor_api.reduce_std, tensor_api.reduce_variance


def average(x, axis=None, weights=None):
    x = _t(x)
    if weights is None:
        return ops.mean(x, axis=axis)
    w = _t(weights)
    if w.ndim == 1 and x.ndim > 1 and axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        w = ops.reshape(w, tuple(shape))
    return ops.divide(ops.sum(ops.multiply(x, w), axis=axis),
                      ops.sum(ops.multiply(Tensor(np.ones_like(x.value)), w), axis=axis))


# ------------------------------------------------------------------ creation (NumPy)
def arange(start, stop=None, step=1, dtype=None):
    values = [v for v in (start, stop, step) if v is not None]
    if dtype is None:
        dtype = np.int32 if builtins.all(isinstance(v, (int, np.integer)) for v in values) else backend.floatx()
    return Tensor(np.arange(start, stop, step).astype(dtype) if stop is not None else np.arange(start).astype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    out = np.linspace(_t(start).value, _t(stop).value, int(num), endpoint=endpoint, retstep=retstep, axis=axis)
    if retstep:
        return Tensor(out[0].astype(_floatx(dtype))), Tensor(np.asarray(out[1], _floatx(dtype)))
    return Tensor(out.astype(_floatx(dtype)))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    return Tensor(np.logspace(start, stop, int(num), endpoint=endpoint, base=base, axis=axis).astype(_floatx(dtype)))


def zeros(shape, dtype=None):
    return Tensor(np.zeros(tuple(np.atleast_1d(shape)) if np.ndim(shape) else (int(shape),), _floatx(dtype)))


def ones(shape, dtype=None):
    return Tensor(np.ones(tuple(np.atleast_1d(shape)) if np.ndim(shape) else (int(shape),), _floatx(dtype)))


empty = zeros


def full(shape, fill_value, dtype=None):
    value = _t(fill_value).value
    return Tensor(np.full(tuple(np.atleast_1d(shape)) if np.ndim(shape) else (int(shape),), value,
                          dtype=dtype or (value.dtype if value.dtype.kind != "f" else backend.floatx())))


def zeros_like(x, dtype=None):
    return Tensor(np.zeros_like(_t(x).value, dtype=dtype))


def ones_like(x, dtype=None):
    return Tensor(np.ones_like(_t(x).value, dtype=dtype))


def full_like(x, fill_value, dtype=None):
    return Tensor(np.full_like(_t(x).value, _t(fill_value).value, dtype=dtype))


def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - Keras's argument names
    return Tensor(np.eye(int(N), None if M is None else int(M), k, dtype=_floatx(dtype)))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):  # noqa: N803
    return Tensor(np.tri(int(N), None if M is None else int(M), k, dtype=_floatx(dtype)))


def array(x, dtype=None):
    return tensor_api.convert_to_tensor(x, dtype=dtype)


def copy(x):
    return Tensor(np.array(_t(x).value, copy=True))


# ------------------------------------------------------------------ shapes and indexing (differentiable)
def _mask(x, mask):
    x = _t(x)
    return ops.multiply(x, Tensor(mask.astype(x.dtype)))


def tril(x, k=0):
    x = _t(x)
    return _mask(x, np.tri(x.shape[-2], x.shape[-1], k, dtype=bool))


def triu(x, k=0):
    x = _t(x)
    return _mask(x, ~np.tri(x.shape[-2], x.shape[-1], k - 1, dtype=bool))


def ravel(x):
    return ops.reshape(_t(x), (-1,))


def append(x1, x2, axis=None):
    x1, x2 = _t(x1), _t(x2)
    if axis is None:
        return ops.concatenate([ravel(x1), ravel(x2)], axis=0)
    return ops.concatenate([x1, x2], axis=axis)


def hstack(xs):
    xs = [_t(x) for x in xs]
    return ops.concatenate(xs, axis=0 if xs[0].ndim == 1 else 1)


def vstack(xs):
    return ops.concatenate([ops.reshape(_t(x), (1, -1)) if _t(x).ndim == 1 else _t(x) for x in xs], axis=0)


def flip(x, axis=None):
    x = _t(x)
    axes = range(x.ndim) if axis is None else [a % x.ndim for a in np.atleast_1d(axis)]
    index = tuple(_slice(None, None, -1) if i in axes else _slice(None) for i in range(x.ndim))
    return ops.getitem(x, index)


def moveaxis(x, source, destination):
    x = _t(x)
    src = [int(a) % x.ndim for a in np.atleast_1d(source)]
    dst = [int(a) % x.ndim for a in np.atleast_1d(destination)]
    perm = [i for i in range(x.ndim) if i not in src]
    for d, a in sorted(zip(dst, src)):
        perm.insert(d, a)
    return ops.transpose(x, tuple(perm))


def swapaxes(x, axis1, axis2):
    x = _t(x)
    perm = list(range(x.ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return ops.transpose(x, tuple(perm))


def repeat(x, repeats, axis=None):
    x = _t(x)
    if axis is None:
        x, axis = ravel(x), 0
    index = np.repeat(np.arange(x.shape[axis]), np.asarray(_t(repeats).value))
    return ops.take(x, index, axis=axis)


def roll(x, shift, axis=None):
    x = _t(x)
    if axis is None:
        return ops.reshape(roll(ravel(x), shift, 0), x.shape)
    for s, a in zip(np.atleast_1d(shift), np.atleast_1d(axis)):
        x = ops.take(x, np.roll(np.arange(x.shape[a]), int(s)), axis=int(a))
    return x


def split(x, indices_or_sections, axis=0):
    x = _t(x)
    n = x.shape[axis]
    if np.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if n % sections:
            raise ValueError(f"keras.ops.split: axis {axis} has size {n}, which does not divide into {sections} "
                             "equal sections; pass the split indices instead.")
        cuts = list(range(0, n + 1, n // sections))
    else:
        cuts = [0] + [int(i) for i in indices_or_sections] + [n]
    index = [_slice(None)] * x.ndim
    parts = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        index[axis] = _slice(lo, hi)
        parts.append(ops.getitem(x, tuple(index)))
    return parts


def take_along_axis(x, indices, axis=None):
    x = _t(x)
    idx = np.asarray(_t(indices).value).astype(np.int64)
    if axis is None:
        return ops.take(ravel(x), idx.ravel(), axis=0)
    axis = axis % x.ndim
    grid = list(np.indices(idx.shape, sparse=True))
    grid[axis] = idx
    return ops.getitem(x, tuple(grid))


def slice(inputs, start_indices, shape):  # noqa: A001 - Keras's name
    x = _t(inputs)
    starts = [int(s) for s in np.asarray(_t(start_indices).value).ravel()]
    sizes = [int(s) for s in np.asarray(shape).ravel()]
    return ops.getitem(x, tuple(_slice(b, b + n) for b, n in zip(starts, sizes)))


def slice_update(inputs, start_indices, updates):
    out = np.array(_t(inputs).value, copy=True)
    u = _t(updates).value
    starts = [int(s) for s in np.asarray(_t(start_indices).value).ravel()]
    out[tuple(_slice(b, b + n) for b, n in zip(starts, u.shape))] = u
    return Tensor(out)


def scatter(indices, values, shape):
    return tf_indexing.scatter_nd(indices, values, shape)


def scatter_update(inputs, indices, updates):
    return tf_indexing.tensor_scatter_nd_update(inputs, indices, updates)


def ndim(x):
    return _t(x).ndim


def size(x):
    return Tensor(np.int32(_t(x).value.size))


def shape(x):
    return tuple(_t(x).shape)


def dtype(x):
    return str(_t(x).dtype)


def convert_to_numpy(x):
    return np.asarray(_t(x).value)


def real(x):
    return _t(x)


def imag(x):
    return zeros_like(x)


conj = real


# ------------------------------------------------------------------ products (differentiable)
def dot(x1, x2):
    a, b = _t(x1), _t(x2)
    if a.ndim == 0 or b.ndim == 0:
        return ops.multiply(a, b)
    if a.ndim == 1 and b.ndim == 1:
        return ops.sum(ops.multiply(a, b))
    return tensor_api.tensordot(a, b, [[a.ndim - 1], [0 if b.ndim == 1 else b.ndim - 2]])


def vdot(x1, x2):
    return ops.sum(ops.multiply(ravel(x1), ravel(x2)))


def outer(x1, x2):
    return ops.multiply(ops.reshape(_t(x1), (-1, 1)), ops.reshape(_t(x2), (1, -1)))


tensordot, einsum, tile, meshgrid = tensor_api.tensordot, tensor_api.einsum, tensor_api.tile, tf_indexing.meshgrid


# ------------------------------------------------------------------ nn
def relu6(x):
    return ops.minimum(ops.relu(_t(x)), 6.0)


silu = nn.silu
log_sigmoid = tf_math.log_sigmoid
moments = nn.moments
in_top_k = tf_math.in_top_k


def top_k(x, k, sorted=True):  # noqa: A002 - Keras's name
    out = nn.top_k(x, k, sorted)
    return out[0], Tensor(np.asarray(out[1].value, np.int32))


def normalize(x, axis=-1, order=2):
    return ops.l2_normalize(_t(x), axis=axis) if order == 2 else ops.divide(
        _t(x), ops.sum(ops.abs(_t(x)), axis=axis, keepdims=True))


def binary_crossentropy(target, output, from_logits=False):
    """The elementwise binary cross-entropy (Keras's op: no mean over the last axis)."""
    target, output = _t(target), _t(output)
    if from_logits:
        return ops.sigmoid_cross_entropy(output, ops.cast(target, output.dtype))
    p = ops.clip(output, backend.epsilon(), 1 - backend.epsilon())
    return ops.negative(ops.add(ops.multiply(target, ops.log(p)),
                                ops.multiply(ops.subtract(1.0, target), ops.log(ops.subtract(1.0, p)))))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    if from_logits:
        logp = ops.log_softmax(output, axis=axis)
    else:
        p = ops.divide(output, ops.sum(output, axis=axis, keepdims=True))
        logp = ops.log(ops.clip(p, backend.epsilon(), 1 - backend.epsilon()))
    return ops.negative(ops.sum(ops.multiply(ops.cast(target, output.dtype), logp), axis=axis))


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _t(output)
    labels = np.asarray(_t(target).value).astype(np.int64)
    if labels.ndim == output.ndim:
        labels = labels.squeeze(axis)
    onehot = np.moveaxis(np.eye(output.shape[axis], dtype=output.dtype)[labels], -1, axis)
    return categorical_crossentropy(Tensor(onehot), output, from_logits, axis)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, num_tokens=None):
    n = int(num_classes if num_classes is not None else num_tokens)
    idx = np.asarray(_t(inputs).value).astype(np.int64)
    out = (np.eye(n, dtype=_floatx(dtype))[idx]).max(axis=-2 if idx.ndim > 1 else 0)
    return Tensor(out if axis == -1 else np.moveaxis(out, -1, axis))


def _pool(kind):
    def op(inputs, pool_size, strides=None, padding="valid", data_format=None):
        x = _t(inputs)
        if data_format == "channels_first":
            raise ValueError(f"keras.ops.{kind}: only data_format='channels_last' is supported by dendrite.")
        rank = x.ndim - 2
        fn = getattr(ops, f"{'max' if kind == 'max_pool' else 'avg'}_pool{rank}d", None)
        if fn is None:
            raise ValueError(f"keras.ops.{kind}: expected a 3-D or 4-D input (batch, ..., channels); received "
                             f"shape {tuple(x.shape)}.")
        return fn(x, pool_size, strides, padding.lower())
    op.__name__ = kind
    return op


max_pool, average_pool = _pool("max_pool"), _pool("average_pool")


def _conv(kind, suffix=""):
    def op(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1, **kwargs):
        x = _t(inputs)
        if data_format == "channels_first":
            raise ValueError(f"keras.ops.{kind}: only data_format='channels_last' is supported by dendrite.")
        fn = getattr(ops, f"{kind.replace('_conv', '')}_conv{x.ndim - 2}d{suffix}" if kind == "depthwise_conv"
                     else f"conv{x.ndim - 2}d{suffix}", None)
        if fn is None:
            raise ValueError(f"keras.ops.{kind}: expected a 3-D or 4-D input (batch, ..., channels); received "
                             f"shape {tuple(x.shape)}.")
        return fn(x, _t(kernel), None, strides, padding.lower(), dilation_rate=dilation_rate, **kwargs)
    op.__name__ = kind
    return op


conv, depthwise_conv, conv_transpose = _conv("conv"), _conv("depthwise_conv"), _conv("conv_transpose", "_transpose")


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    return conv(depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate),
                pointwise_kernel, 1, "valid", data_format)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _t(x)
    shape = [1] * x.ndim
    shape[axis] = -1
    def b(t):
        return None if t is None else ops.reshape(_t(t), tuple(shape))
    out = ops.divide(ops.subtract(x, b(mean)), ops.sqrt(ops.add(b(variance), epsilon)))
    if scale is not None:
        out = ops.multiply(out, b(scale))
    return out if offset is None else ops.add(out, b(offset))


# ------------------------------------------------------------------ core: conversion and control flow
convert_to_tensor, stop_gradient, is_tensor = tensor_api.convert_to_tensor, tensor_api.stop_gradient, tensor_api.is_tensor
cond, while_loop, custom_gradient = tf_control.cond, tf_control.while_loop, tf_control.custom_gradient


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(_t(lower).value), int(_t(upper).value)):
        value = body_fun(i, value)
    return value


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """JAX's scan: ``carry, y = f(carry, x)`` over ``xs`` along axis 0; returns ``(carry, stacked ys)``."""
    if xs is None:
        items = [None] * int(length)
    else:
        _, items = tf_control._elements(xs, "keras.ops.scan")
    carry, ys = init, []
    for x in (items[::-1] if reverse else items):
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    return carry, (tf_control._stack_results(ys, "keras.ops.scan") if ys and ys[0] is not None else None)


def map(f, xs):  # noqa: A001 - Keras's name
    return tf_control.map_fn(f, xs)


def vectorized_map(function, elements):
    return tf_control.map_fn(function, elements)


def switch(index, branches, *operands):
    i = int(np.clip(int(np.reshape(_t(index).value, ())), 0, len(branches) - 1))
    return branches[i](*operands)


def associative_scan(f, elems, reverse=False, axis=0):
    x = _t(elems)
    parts = [ops.getitem(x, tuple([_slice(None)] * (axis % x.ndim) + [i])) for i in range(x.shape[axis])]
    if reverse:
        parts = parts[::-1]
    acc, out = parts[0], [parts[0]]
    for p in parts[1:]:
        acc = f(acc, p) if not reverse else f(p, acc)
        out.append(acc)
    return ops.stack(out[::-1] if reverse else out, axis=axis)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return tf_math.unsorted_segment_sum(data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    v, ids = _t(data).value, np.asarray(_t(segment_ids).value).astype(np.int64)
    n = int(ids.max()) + 1 if num_segments is None else int(num_segments)
    out = np.full((n,) + v.shape[1:], -np.inf if v.dtype.kind == "f" else np.iinfo(v.dtype).min, v.dtype)
    np.maximum.at(out, ids, v)
    return Tensor(out)


# ------------------------------------------------------------------ linear algebra
norm = _np(lambda x, ord=None, axis=None, keepdims=False: np.linalg.norm(x, ord, axis, keepdims), "norm")
inv, det, solve = _np(np.linalg.inv, "inv"), _np(np.linalg.det, "det"), _np(np.linalg.solve, "solve")
cholesky = _np(np.linalg.cholesky, "cholesky")
LINALG = {"inv": inv, "det": det, "solve": solve, "cholesky": cholesky, "norm": norm,
          "eig": lambda x: tuple(Tensor(v) for v in np.linalg.eig(_t(x).value)),
          "eigh": lambda x: tuple(Tensor(v) for v in np.linalg.eigh(_t(x).value)),
          "qr": lambda x, mode="reduced": tuple(Tensor(v) for v in np.linalg.qr(_t(x).value, mode=mode)),
          "svd": lambda x, full_matrices=True, compute_uv=True: (
              tuple(Tensor(v) for v in np.linalg.svd(_t(x).value, full_matrices, compute_uv)) if compute_uv
              else Tensor(np.linalg.svd(_t(x).value, full_matrices, compute_uv)))}

NAMES = ("sin cos tan sinh cosh expm1 rsqrt erf arcsin arccos arctan arcsinh arccosh arctanh absolute log1p "
         "reciprocal mod floor_divide true_divide arctan2 log2 log10 logaddexp equal not_equal greater "
         "greater_equal less less_equal logical_and logical_or logical_xor logical_not isnan isinf isfinite isclose "
         "all any sign floor ceil nan_to_num argsort sort count_nonzero median quantile cumsum cumprod digitize "
         "bincount cross diag diagonal trace round argmax argmin nonzero prod std var average arange linspace "
         "logspace zeros ones empty full zeros_like ones_like full_like eye identity tri array copy tril triu ravel "
         "append hstack vstack flip moveaxis swapaxes repeat roll split take_along_axis slice slice_update scatter "
         "scatter_update ndim size shape dtype convert_to_numpy real imag conj dot vdot outer tensordot einsum tile "
         "meshgrid relu6 silu log_sigmoid moments in_top_k top_k normalize binary_crossentropy "
         "categorical_crossentropy sparse_categorical_crossentropy multi_hot max_pool average_pool "
         "batch_normalization conv depthwise_conv conv_transpose separable_conv convert_to_tensor stop_gradient is_tensor cond while_loop custom_gradient fori_loop "
         "scan map vectorized_map switch associative_scan segment_sum segment_max")
