"""``tf.math`` and ``tf.linalg`` beyond the top-level functions (tensor_api): elementwise maths, counts and
sums along axes, top-k, confusion matrices, and the basic matrix functions."""
import numpy as np

from ..autodiff import Tensor, ops
from .keras_ops import primitives
from . import dtypes
from .tensor_api import _operands, _t, _axis, matmul, transpose, einsum, wrap


sign = wrap(np.sign, "sign", on_arrays=True)
round = wrap(np.round, "round", on_arrays=True)  # noqa: A001 - TensorFlow's name (banker's rounding, as NumPy)
floor = wrap(np.floor, "floor", on_arrays=True)
ceil = wrap(np.ceil, "ceil", on_arrays=True)
is_nan = wrap(np.isnan, "is_nan", on_arrays=True)
is_inf = wrap(np.isinf, "is_inf", on_arrays=True)
is_finite = wrap(np.isfinite, "is_finite", on_arrays=True)


_NUMPY_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh", "acosh": "arccosh",
                "atanh": "arctanh"}  # TensorFlow's names of keras.ops's differentiable primitives


def _unary(name):
    def f(x, name=None):
        return primitives.unary(fname, _t(x))
    fname = _NUMPY_NAMES.get(name, name)
    f.__name__ = name
    return f


sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, expm1, rsqrt, erf, erfc = (
    _unary(n) for n in "sin cos tan asin acos atan sinh cosh asinh acosh atanh expm1 rsqrt erf erfc".split())
rint = wrap(np.rint, "rint", on_arrays=True)


def atan2(y, x, name=None):
    return primitives.Arctan2()(_t(y), _t(x))


def floormod(x, y, name=None):
    """``x - floor(x / y) * y`` (the sign of ``y``, as Python's %); the gradient is 1 and -floor(x / y)."""
    x, y = _operands(x, y)
    if x.dtype.kind != "f" and y.dtype.kind != "f":
        return Tensor(np.mod(x.value, y.value))
    return ops.subtract(x, ops.multiply(Tensor(np.floor(x.value / y.value)), y))


def log1p(x, name=None):
    return ops.log(ops.add(_t(x), 1.0))


def reciprocal(x, name=None):
    return ops.divide(1.0, _t(x))


def squared_difference(x, y, name=None):
    return ops.square(ops.subtract(_t(x), _t(y)))


def softplus(features, name=None):
    return ops.softplus(_t(features))


def log_sigmoid(x, name=None):
    return ops.negative(ops.softplus(ops.negative(_t(x))))


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    v = _t(x).value
    if reverse:
        v = np.flip(v, axis)
    out = np.cumsum(v, axis=axis, dtype=v.dtype)  # int32 stays int32, as in TensorFlow
    if exclusive:
        out = out - v
    return Tensor(np.flip(out, axis) if reverse else out)


def count_nonzero(input, axis=None, keepdims=False, dtype=dtypes.int64, name=None):  # noqa: A002
    return Tensor(np.asarray(np.count_nonzero(_t(input).value, axis=_axis(axis), keepdims=keepdims)).astype(dtype))


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    from .nn import top_k as nn_top_k
    return nn_top_k(input, k, sorted, index_type)


def in_top_k(targets, predictions, k, name=None):
    p = np.asarray(_t(predictions).value)
    t = np.asarray(_t(targets).value).astype(np.int64)
    target_score = p[np.arange(len(t)), t]
    return Tensor((p > target_score[:, None]).sum(axis=1) < k)


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=dtypes.int32, name=None):
    labels = np.asarray(_t(labels).value).astype(np.int64).ravel()
    predictions = np.asarray(_t(predictions).value).astype(np.int64).ravel()
    n = int(num_classes) if num_classes is not None else int(max(labels.max(), predictions.max())) + 1
    out = np.zeros((n, n), dtype=dtype)
    np.add.at(out, (labels, predictions), 1 if weights is None else np.asarray(weights).ravel())
    return Tensor(out)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None, axis=None,
             binary_output=False):
    """Counts of each value of ``arr`` (non-negative integers): over all of it (``axis`` None or 0), or per row
    of a 2-D ``arr`` (``axis=-1``); ``weights`` sum instead of counting; ``binary_output`` gives 1 where a value
    occurs. The length is the largest value + 1, at least ``minlength`` and at most ``maxlength``."""
    values = np.asarray(_t(arr).value)
    if axis not in (None, 0, -1):
        raise ValueError(f"tf.math.bincount: axis must be None, 0 or -1; received axis={axis!r}.")
    if binary_output and weights is not None:
        raise ValueError("tf.math.bincount: binary_output and weights are mutually exclusive; pass one of them.")
    if axis == -1 and values.ndim != 2:
        raise ValueError(f"tf.math.bincount: axis=-1 needs a 2-D arr; received shape {values.shape}.")
    length = int(values.max()) + 1 if values.size else 0
    length = max(length, int(minlength or 0))
    length = min(length, int(maxlength)) if maxlength is not None else length
    rows = values if axis == -1 else values.reshape(1, -1)
    w = None if weights is None else np.broadcast_to(np.asarray(_t(weights).value), values.shape).reshape(rows.shape)
    out_dtype = np.dtype(dtypes.as_dtype(dtype)) if w is None else w.dtype
    out = np.zeros((rows.shape[0], length), dtype=out_dtype)
    for i, row in enumerate(rows):
        keep = row < length
        np.add.at(out[i], row[keep], 1 if w is None else w[i][keep])
    if binary_output:
        out = (out > 0).astype(out_dtype)
    return Tensor(out if axis == -1 else out[0])


MATH_NAMES = ("sign round floor ceil is_nan is_inf is_finite sin cos log1p reciprocal squared_difference softplus "
              "log_sigmoid cumsum count_nonzero top_k in_top_k confusion_matrix bincount tan asin acos atan sinh "
              "cosh asinh acosh atanh expm1 rsqrt erf erfc rint atan2 floormod")
TOP_NAMES = "sin cos tan asin acos atan atan2 sinh cosh asinh acosh atanh floor"  # also tf.<name> in TensorFlow 2


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    out = np.eye(int(num_rows), None if num_columns is None else int(num_columns), dtype=dtypes.as_dtype(dtype))
    if batch_shape:
        out = np.broadcast_to(out, tuple(batch_shape) + out.shape).copy()
    return Tensor(out)


def inv(input, adjoint=False, name=None):  # noqa: A002
    return Tensor(np.linalg.inv(_t(input).value))


def det(input, name=None):  # noqa: A002
    return Tensor(np.asarray(np.linalg.det(_t(input).value)))


def norm(tensor, ord="euclidean", axis=None, keepdims=False, name=None):  # noqa: A002
    x = _t(tensor)
    if ord in ("euclidean", 2, "fro") and (axis is None or isinstance(axis, (int, np.integer))):
        return ops.sqrt(ops.sum(ops.square(x), axis=_axis(axis), keepdims=keepdims))
    return Tensor(np.asarray(np.linalg.norm(x.value, ord=None if ord == "euclidean" else ord,
                                            axis=_axis(axis), keepdims=keepdims)))


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None):
    """``a @ b`` for a vector ``b`` (the last axis); ``adjoint_a`` conjugates and transposes ``a`` (the
    ``*_is_sparse`` flags are TensorFlow's speed hints: the result is the same)."""
    if transpose_a and adjoint_a:
        raise ValueError("tf.linalg.matvec: only one of transpose_a and adjoint_a can be True.")
    if adjoint_a and np.iscomplexobj(_t(a).value):
        a = Tensor(np.conj(_t(a).value))
    return ops.squeeze(matmul(a, ops.expand_dims(_t(b), -1), transpose_a=transpose_a or adjoint_a), -1)


def diag(diagonal, name=None, k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """Matrices with ``diagonal`` (its last axis) on diagonal ``k`` (0 the main one, > 0 above, < 0 below) and
    ``padding_value`` elsewhere, of ``num_rows`` x ``num_cols`` (by default the smallest that holds it)."""
    values = np.asarray(_t(diagonal).value)
    if not isinstance(k, (int, np.integer)):
        k = np.asarray(_t(k).value)
        if k.size != 1:
            raise NotImplementedError("tf.linalg.diag with a range of diagonals (k=(low, high)) is not supported by "
                                      "dendrite's compatibility mode; give one diagonal k. See docs/compat.md.")
        k = int(k.ravel()[0])
    if values.ndim == 0:
        raise ValueError("tf.linalg.diag: diagonal must have at least 1 dimension; received a scalar.")
    m = values.shape[-1]
    rows_min, cols_min = m + max(0, -k), m + max(0, k)
    num_rows, num_cols = int(num_rows), int(num_cols)
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(rows_min, cols_min)
    num_rows = rows_min if num_rows == -1 else num_rows
    num_cols = cols_min if num_cols == -1 else num_cols
    length = min(num_rows + min(0, k), num_cols - max(0, k))
    if length != m:
        raise ValueError(f"tf.linalg.diag: diagonal {k} of a {num_rows}x{num_cols} matrix has {length} elements, "
                         f"but diagonal has {m} (its last dimension); give num_rows / num_cols that fit.")
    out = np.full(values.shape[:-1] + (num_rows, num_cols), padding_value, dtype=values.dtype)
    i = np.arange(m)
    out[..., i + max(0, -k), i + max(0, k)] = values
    return Tensor(out)


def diag_part(input, name=None):  # noqa: A002
    return Tensor(np.diagonal(_t(input).value, axis1=-2, axis2=-1))


def trace(x, name=None):
    return Tensor(np.trace(_t(x).value, axis1=-2, axis2=-1))


def solve(matrix, rhs, adjoint=False, name=None):
    return Tensor(np.linalg.solve(_t(matrix).value, _t(rhs).value))


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Entries more than ``num_lower`` below / ``num_upper`` above the diagonal set to 0 (-1: keep all); differentiable."""
    x = _t(input)
    rows, cols = np.arange(x.shape[-2])[:, None], np.arange(x.shape[-1])[None, :]
    lower, upper = int(_t(num_lower).value), int(_t(num_upper).value)
    keep = ((lower < 0) | (rows - cols <= lower)) & ((upper < 0) | (cols - rows <= upper))
    return ops.multiply(x, Tensor(keep.astype(x.dtype)))


def _np_linalg(fn):
    def f(*args, **kwargs):
        kwargs.pop("name", None)
        out = fn(*[_t(a).value for a in args], **kwargs)
        return tuple(Tensor(np.asarray(o)) for o in out) if isinstance(out, tuple) else Tensor(np.asarray(out))
    f.__name__ = fn.__name__
    return f


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """TensorFlow's order: ``s, u, v`` (v, not its transpose)."""
    x = _t(tensor).value
    if not compute_uv:
        return Tensor(np.linalg.svd(x, full_matrices=full_matrices, compute_uv=False))
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return Tensor(s), Tensor(u), Tensor(np.swapaxes(vh, -1, -2))


def eigh(tensor, name=None):
    e, v = np.linalg.eigh(_t(tensor).value)
    return Tensor(e), Tensor(v)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    q, r = np.linalg.qr(_t(input).value, mode="complete" if full_matrices else "reduced")
    return Tensor(q), Tensor(r)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    a, b = _t(matrix).value, _t(rhs).value
    if l2_regularizer:
        n = a.shape[-1]
        return Tensor(np.linalg.solve(np.swapaxes(a, -1, -2) @ a + l2_regularizer * np.eye(n), np.swapaxes(a, -1, -2) @ b))
    return Tensor(np.linalg.lstsq(a, b, rcond=None)[0])


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    a = _t(matrix).value
    a = np.tril(a) if lower else np.triu(a)
    return Tensor(np.linalg.solve(np.swapaxes(a, -1, -2) if adjoint else a, _t(rhs).value))


def adjoint(matrix, name=None):
    x = _t(matrix)
    return ops.transpose(x, tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))


def logdet(matrix, name=None):
    return Tensor(np.asarray(np.linalg.slogdet(_t(matrix).value)[1]))


def slogdet(input, name=None):  # noqa: A002
    sign, value = np.linalg.slogdet(_t(input).value)
    return Tensor(np.asarray(sign)), Tensor(np.asarray(value))


LINALG_MORE = dict(band_part=band_part, cholesky=_np_linalg(np.linalg.cholesky), eigh=eigh,
                   eigvalsh=_np_linalg(np.linalg.eigvalsh), svd=svd, qr=qr, lstsq=lstsq,
                   triangular_solve=triangular_solve, adjoint=adjoint, logdet=logdet, slogdet=slogdet,
                   pinv=_np_linalg(np.linalg.pinv), matrix_transpose=adjoint)

LINALG = dict(matmul=matmul, transpose=transpose, einsum=einsum, eye=eye, inv=inv, det=det, norm=norm,
              matvec=matvec, diag=diag, diag_part=diag_part, trace=trace, solve=solve)
