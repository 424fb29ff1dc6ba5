"""``tf.math`` names beyond tf_math: the trigonometric and special functions (differentiable, from the
keras.ops primitives), the *_no_nan divisions, xlogy / xdivy, cumulative products and log-sum-exps, the
sorted and unsorted segment reductions, polyval and the monotonicity checks. Also served at the top level
(``tf.sin``, ``tf.cumsum``, ...) where TensorFlow has them there."""
import numpy as np

from ..autodiff import ops
from .keras_ops import core as _core, numpy_math as _m, primitives
from .keras_ops.convert import arr, const, flt, pair, t
from .tensor_api import _axis

acos, acosh, asin, asinh, atan, atanh = _m.arccos, _m.arccosh, _m.arcsin, _m.arcsinh, _m.arctan, _m.arctanh
sin, cos, tan, sinh, cosh = _m.sin, _m.cos, _m.tan, _m.sinh, _m.cosh
erf, erfc, erfinv, expm1, rsqrt, log1p = _m.erf, _m.erfc, _m.erfinv, _m.expm1, _m.rsqrt, _m.log1p
floormod = mod = _m.mod
truncatediv = _m._numpy_binary(lambda a, b: np.trunc(np.true_divide(a, b)).astype(np.result_type(a, b)),
                               "truncatediv")
truncatemod = _m.fmod
nextafter, real, imag, conj, angle = _m.nextafter, _m.real, _m.imag, _m.conj, _m.angle
divide_no_nan = _m.divide_no_nan
bessel_i0 = _m.i0


def atan2(y, x, name=None):
    return _m.arctan2(y, x)


def lgamma(x, name=None):
    return primitives.unary("lgamma", flt(x))


def digamma(x, name=None):
    x = flt(x)
    return const(primitives.digamma(np, x.value).astype(x.dtype))


def bessel_i0e(x, name=None):
    v = flt(x).value
    return const((np.i0(v) * np.exp(-np.abs(v))).astype(v.dtype))


def lbeta(x, name=None):
    """log(prod(Gamma(x_i)) / Gamma(sum(x_i))) over the last axis."""
    x = flt(x)
    return ops.subtract(ops.sum(lgamma(x), axis=-1), lgamma(ops.sum(x, axis=-1)))


def ndtri(x, name=None):
    return ops.multiply(erfinv(ops.subtract(ops.multiply(flt(x), 2.0), 1.0)), np.sqrt(2.0))


def erfcinv(x, name=None):
    return erfinv(ops.subtract(1.0, flt(x)))


def softsign(features, name=None):
    return ops.softsign(flt(features))


def rint(x, name=None):
    return const(np.rint(arr(x)))


def reciprocal_no_nan(x, name=None):
    return divide_no_nan(np.ones((), flt(x).dtype), x)


def multiply_no_nan(x, y, name=None):
    """x * y, and 0 where y is 0 (even when x is inf or nan)."""
    a, b = (t(v) for v in pair(x, y, floats=True))
    zero = np.broadcast_to(b.value == 0, np.broadcast_shapes(a.shape, b.shape))
    safe_a = ops.where(np.isfinite(a.value), a, const(np.zeros((), a.dtype)))
    return ops.where(zero, const(np.zeros((), a.dtype)), ops.multiply(ops.where(b.value == 0, safe_a, a), b))


def _where_x_zero(x, y, fn):
    """fn(x, y) where x != 0 and 0 where x == 0 (y replaced by 1 there, so no inf or nan reaches the gradient)."""
    a, b = (t(v) for v in pair(x, y, floats=True))
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = ops.broadcast_to(a, shape), ops.broadcast_to(b, shape)
    zero = a.value == 0
    safe = ops.where(zero, const(np.ones((), b.dtype)), b)
    return ops.where(zero, const(np.zeros((), a.dtype)), fn(a, safe))


def xlogy(x, y, name=None):
    """x * log(y), 0 where x is 0."""
    return _where_x_zero(x, y, lambda a, b: ops.multiply(a, ops.log(b)))


def xlog1py(x, y, name=None):
    return _where_x_zero(x, y, lambda a, b: ops.multiply(a, primitives.unary("log1p", b)))


def xdivy(x, y, name=None):
    """x / y, 0 where x is 0."""
    return _where_x_zero(x, y, ops.divide)


def scalar_mul(scalar, x, name=None):
    return ops.multiply(t(x), scalar)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    x = t(x)
    if x.dtype.kind != "f":
        from .tf_math import cumsum as int_cumsum
        return int_cumsum(x, axis, exclusive, reverse)
    return primitives.Cumulative(int(axis) % x.ndim, False, exclusive, reverse)(x)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    x = t(x)
    if x.dtype.kind != "f":
        v = np.flip(x.value, axis) if reverse else x.value
        out = np.cumprod(v, axis=axis, dtype=v.dtype)
        if exclusive:
            out = np.concatenate([np.ones_like(np.take(out, [0], axis)), np.take(out, range(out.shape[axis] - 1),
                                                                                   axis)], axis)
        return const(np.flip(out, axis) if reverse else out)
    return primitives.Cumulative(int(axis) % x.ndim, True, exclusive, reverse)(x)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    x = flt(x)
    shift = const(np.max(x.value, axis=axis, keepdims=True))
    out = ops.add(ops.log(cumsum(ops.exp(ops.subtract(x, shift)), axis, exclusive, reverse)), shift)
    return out


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    x = t(input_tensor)
    if x.dtype.kind != "f":
        return const(np.sqrt(np.sum(np.square(x.value), axis=_axis(axis), keepdims=keepdims)).astype(x.dtype))
    return ops.sqrt(ops.sum(ops.square(x), axis=_axis(axis), keepdims=keepdims))


def polyval(coeffs, x, name=None):
    """coeffs[0] * x^(n-1) + ... + coeffs[-1], by Horner's rule."""
    x = t(x)
    out = t(coeffs[0]) if len(coeffs) else const(np.zeros((), x.dtype))
    for c in list(coeffs)[1:]:
        out = ops.add(ops.multiply(out, x), t(c))
    return out


def zero_fraction(value, name=None):
    v = arr(value)
    return const(np.float32(np.mean(v == 0) if v.size else 0.0))


def is_non_decreasing(x, name=None):
    return const(bool(np.all(np.diff(arr(x).ravel()) >= 0)))


def is_strictly_increasing(x, name=None):
    return const(bool(np.all(np.diff(arr(x).ravel()) > 0)))


def invert_permutation(x, name=None):
    p = arr(x)
    out = np.empty_like(p)
    out[p] = np.arange(len(p), dtype=p.dtype)
    return const(out)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    from .tensor_api import add_n
    return add_n(inputs)


# ------------------------------------------------------------------------------------------ segments
def _count(segment_ids, n, dtype):
    ids = arr(segment_ids).astype(np.int64)
    return np.bincount(ids[(ids >= 0) & (ids < n)], minlength=n).astype(dtype)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    return _core.segment_sum(data, segment_ids, int(arr(num_segments)))


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    return _core.segment_max(data, segment_ids, int(arr(num_segments)))


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    return _core.segment_min(data, segment_ids, int(arr(num_segments)))


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    return _core.segment_prod(data, segment_ids, int(arr(num_segments)))


def _scaled(total, counts, fn):
    counts = fn(np.maximum(counts, 1)).reshape((-1,) + (1,) * (total.ndim - 1)).astype(total.dtype)
    return ops.divide(total, const(counts))


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    n = int(arr(num_segments))
    total = _core.segment_sum(flt(data), segment_ids, n)
    return _scaled(total, _count(segment_ids, n, np.float64), lambda c: c)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    n = int(arr(num_segments))
    total = _core.segment_sum(flt(data), segment_ids, n)
    return _scaled(total, _count(segment_ids, n, np.float64), np.sqrt)


def segment_sum(data, segment_ids, name=None):
    return _core.segment_sum(data, segment_ids)


def segment_max(data, segment_ids, name=None):
    return _core.segment_max(data, segment_ids)


def segment_min(data, segment_ids, name=None):
    return _core.segment_min(data, segment_ids)


def segment_prod(data, segment_ids, name=None):
    return _core.segment_prod(data, segment_ids)


def segment_mean(data, segment_ids, name=None):
    ids = arr(segment_ids)
    return unsorted_segment_mean(data, ids, int(ids.max()) + 1 if ids.size else 0)












def realdiv(x, y, name=None):
    return _m.divide(x, y)


def saturate_cast(value, dtype, name=None):
    return _core.saturate_cast(value, getattr(dtype, "as_numpy_dtype", dtype))


MATH_NAMES = (
    "acos acosh asin asinh atan atanh atan2 sin cos tan sinh cosh erf erfc erfinv erfcinv expm1 rsqrt log1p lgamma "
    "digamma bessel_i0 bessel_i0e lbeta ndtri softsign rint floormod mod truncatediv truncatemod nextafter real "
    "imag conj angle divide_no_nan reciprocal_no_nan multiply_no_nan xlogy xlog1py xdivy scalar_mul cumsum cumprod "
    "cumulative_logsumexp reduce_euclidean_norm polyval zero_fraction is_non_decreasing is_strictly_increasing "
    "invert_permutation accumulate_n unsorted_segment_sum unsorted_segment_max unsorted_segment_min "
    "unsorted_segment_prod unsorted_segment_mean unsorted_segment_sqrt_n segment_sum segment_max segment_min "
    "segment_prod segment_mean")
floor = _m.floor
#: the ones TensorFlow also has at the top level (tf.sin, tf.cumsum, ...)
TOP_NAMES = (
    "acos acosh asin asinh atan atanh atan2 sin cos tan sinh cosh cumsum cumprod floormod truncatediv "
    "truncatemod real imag conj scalar_mul invert_permutation segment_sum segment_max segment_min segment_prod "
    "segment_mean unsorted_segment_sum unsorted_segment_max unsorted_segment_min unsorted_segment_prod "
    "unsorted_segment_mean unsorted_segment_sqrt_n realdiv saturate_cast floor")
