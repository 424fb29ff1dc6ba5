"""``tf.math`` and ``tf.linalg`` beyond the top-level functions (tensor_api): elementwise maths, counts and
sums along axes, top-k, confusion matrices, and the basic matrix functions."""
import numpy as np

from ..autodiff import Tensor, ops
from . import dtypes
from .tensor_api import _t, _axis, matmul, transpose, einsum, wrap


sign = wrap(np.sign, "sign", on_arrays=True)
round = wrap(np.round, "round", on_arrays=True)  # noqa: A001 - TensorFlow's name (banker's rounding, as NumPy)
floor = wrap(np.floor, "floor", on_arrays=True)
ceil = wrap(np.ceil, "ceil", on_arrays=True)
is_nan = wrap(np.isnan, "is_nan", on_arrays=True)
is_inf = wrap(np.isinf, "is_inf", on_arrays=True)
is_finite = wrap(np.isfinite, "is_finite", on_arrays=True)
sin = wrap(np.sin, "sin", on_arrays=True)
cos = wrap(np.cos, "cos", on_arrays=True)


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


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    from .nn import top_k as nn_top_k
    return nn_top_k(input, k, sorted)


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


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None):
    out = np.bincount(np.asarray(_t(arr).value).ravel(), weights=weights, minlength=minlength or 0)
    return Tensor(out[:maxlength] if maxlength is not None else out.astype(dtype if weights is None else out.dtype))


MATH_NAMES = ("sign round floor ceil is_nan is_inf is_finite sin cos log1p reciprocal squared_difference softplus "
              "log_sigmoid cumsum count_nonzero top_k in_top_k confusion_matrix bincount")


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


def matvec(a, b, transpose_a=False, name=None):
    return ops.squeeze(matmul(a, ops.expand_dims(_t(b), -1), transpose_a=transpose_a), -1)


def diag(diagonal, name=None):
    return Tensor(np.apply_along_axis(np.diag, -1, _t(diagonal).value) if _t(diagonal).ndim > 1
                  else np.diag(_t(diagonal).value))


def diag_part(input, name=None):  # noqa: A002
    return Tensor(np.diagonal(_t(input).value, axis1=-2, axis2=-1))


def trace(x, name=None):
    return Tensor(np.trace(_t(x).value, axis1=-2, axis2=-1))


def solve(matrix, rhs, adjoint=False, name=None):
    return Tensor(np.linalg.solve(_t(matrix).value, _t(rhs).value))


LINALG = dict(matmul=matmul, transpose=transpose, einsum=einsum, eye=eye, inv=inv, det=det, norm=norm,
              matvec=matvec, diag=diag, diag_part=diag_part, trace=trace, solve=solve)
