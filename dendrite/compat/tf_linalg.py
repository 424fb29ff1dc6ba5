"""``tf.linalg`` beyond tf_math's basics: the differentiable inverse, determinants, solves and Cholesky
(keras_ops.linalg), TensorFlow's decomposition conventions (``svd`` returns (s, u, v), ``qr`` reduced by
default, ``eigh`` (e, v)), band_part, set_diag, triangular_solve, cholesky_solve, lstsq, expm, normalize,
global_norm, cross and the transposes."""
import numpy as np

from ..autodiff import ops
from .keras_ops import linalg as _la, numpy_array as _na, numpy_stats as _ns
from .keras_ops.convert import arr, const, flt, t
from .tf_control import global_norm


def _swap(x):
    return ops.transpose(x, tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    return _swap(t(a))


adjoint = matrix_transpose


def inv(input, adjoint=False, name=None):  # noqa: A002
    out = _la.inv(input)
    return _swap(out) if adjoint else out


def det(input, name=None):  # noqa: A002
    return _la.det(input)


def logdet(matrix, name=None):
    return _la.logdet(matrix)


def slogdet(input, name=None):  # noqa: A002
    return _la.slogdet(input)


def solve(matrix, rhs, adjoint=False, name=None):
    m = flt(matrix)
    return _la.solve(_swap(m) if adjoint else m, rhs)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    m = flt(matrix)
    n = m.shape[-1]
    mask = np.tri(n, n, 0, dtype=m.dtype) if lower else np.triu(np.ones((n, n), m.dtype))
    m = ops.multiply(m, const(mask))
    return _la.solve(_swap(m) if adjoint else m, rhs)


def cholesky(input, name=None):  # noqa: A002
    return _la.cholesky(input)


def cholesky_solve(chol, rhs, name=None):
    """Solves A x = rhs given A's Cholesky factor L: L y = rhs, then L^T x = y."""
    y = triangular_solve(chol, rhs, lower=True)
    return triangular_solve(chol, y, lower=True, adjoint=True)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    return _la.qr(input, mode="complete" if full_matrices else "reduced")


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """TensorFlow's order: (s, u, v) with v (not v^T); only s when compute_uv=False."""
    if not compute_uv:
        return const(np.linalg.svd(arr(tensor), compute_uv=False))
    u, s, vh = np.linalg.svd(arr(tensor), full_matrices=full_matrices)
    return const(s), const(u), const(np.swapaxes(vh, -1, -2))


def eigh(tensor, name=None):
    return _la.eigh(tensor)


def eigvalsh(tensor, name=None):
    return const(np.linalg.eigvalsh(arr(tensor)))


def eig(tensor, name=None):
    return _la.eig(tensor)


def eigvals(tensor, name=None):
    return const(np.linalg.eigvals(arr(tensor)))


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    a, b = arr(matrix), arr(rhs)
    if l2_regularizer:
        n = a.shape[-1]
        return const(np.linalg.solve(np.swapaxes(a, -1, -2) @ a + l2_regularizer * np.eye(n),
                                     np.swapaxes(a, -1, -2) @ b))
    return _la.lstsq(a, b)


def pinv(a, rcond=None, validate_args=False, name=None):
    v = arr(a)
    rcond = 10 * max(v.shape[-2:]) * np.finfo(v.dtype).eps if rcond is None else rcond
    return const(np.linalg.pinv(v, rcond).astype(v.dtype))


def matrix_rank(a, tol=None, validate_args=False, name=None):
    return _la.matrix_rank(a, tol)


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Keeps the band: num_lower sub-diagonals and num_upper super-diagonals (negative: all of them)."""
    x = t(input)
    n, m = x.shape[-2:]
    i, j = np.arange(n)[:, None], np.arange(m)[None, :]
    keep = ((num_lower < 0) | (i - j <= num_lower)) & ((num_upper < 0) | (j - i <= num_upper))
    if x.dtype.kind != "f":
        return const(np.where(keep, x.value, 0).astype(x.dtype))
    return ops.multiply(x, const(keep.astype(x.dtype)))


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    x = flt(input)
    n, m = x.shape[-2:]
    rows = np.arange(max(0, -k), min(n, m - k))
    mask = np.zeros((n, m), bool)
    mask[rows, rows + k] = True
    full = ops.broadcast_to(_expand_diag(flt(diagonal), n, m, k), x.shape)
    return ops.where(np.broadcast_to(mask, x.shape), full, x)


def _expand_diag(d, n, m, k):
    """An (..., n, m) tensor holding d along diagonal k (and zeros elsewhere; differentiable in d)."""
    rows = np.arange(max(0, -k), min(n, m - k))
    idx = np.zeros((n, m), np.int64)
    idx[rows, rows + k] = np.arange(len(rows))
    mask = np.zeros((n, m), bool)
    mask[rows, rows + k] = True
    gathered = ops.take(d, idx.reshape(-1), axis=d.ndim - 1)
    gathered = ops.reshape(gathered, d.shape[:-1] + (n, m))
    return ops.multiply(gathered, const(mask.astype(d.dtype)))


def tensor_diag(diagonal, name=None):
    v = arr(diagonal)
    out = np.zeros(v.shape + v.shape, v.dtype)
    out.reshape(v.size, v.size)[np.arange(v.size), np.arange(v.size)] = v.ravel()
    return const(out)


def tensor_diag_part(input, name=None):  # noqa: A002
    v = arr(input)
    half = v.ndim // 2
    n = int(np.prod(v.shape[:half]))
    return const(v.reshape(n, n)[np.arange(n), np.arange(n)].reshape(v.shape[:half]))


def expm(input, name=None):  # noqa: A002
    """The matrix exponential by scaling and squaring with a degree-18 Taylor series (NumPy values)."""
    a = np.asarray(arr(input), dtype=np.float64)
    norm = np.abs(a).sum(-2).max() if a.size else 0.0
    s = max(0, int(np.ceil(np.log2(norm))) + 1) if norm > 0.5 else 0
    scaled = a / 2.0 ** s
    out = term = np.broadcast_to(np.eye(a.shape[-1]), a.shape).copy()
    for k in range(1, 19):
        term = term @ scaled / k
        out = out + term
    for _ in range(s):
        out = out @ out
    return const(out.astype(arr(input).dtype))


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """(tensor / norm, norm) with the norm kept over ``axis``."""
    x = flt(tensor)
    norm = _la.norm(x, ord=None if ord == "euclidean" else ord, axis=axis, keepdims=True)
    return ops.divide(x, norm), norm


def tensordot(a, b, axes, name=None):
    return _na.tensordot(a, b, axes)


def cross(a, b, name=None):
    return _na.cross(a, b)


def trace(x, name=None):
    return _ns.trace(x, 0, -2, -1)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    return _ns.diagonal(input, k, -2, -1)


LINALG = dict(matrix_transpose=matrix_transpose, adjoint=adjoint, inv=inv, det=det, logdet=logdet, slogdet=slogdet,
              solve=solve, triangular_solve=triangular_solve, cholesky=cholesky, cholesky_solve=cholesky_solve,
              qr=qr, svd=svd, eigh=eigh, eigvalsh=eigvalsh, eig=eig, eigvals=eigvals, lstsq=lstsq, pinv=pinv,
              matrix_rank=matrix_rank, band_part=band_part, set_diag=set_diag, tensor_diag=tensor_diag,
              tensor_diag_part=tensor_diag_part, expm=expm, normalize=normalize, global_norm=global_norm,
              tensordot=tensordot, cross=cross, trace=trace, diag_part=diag_part)
