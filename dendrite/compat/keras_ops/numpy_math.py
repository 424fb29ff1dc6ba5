"""keras.ops's NumPy-style maths: elementwise functions, arithmetic, comparisons and reductions. Float
results are differentiable (dendrite's autodiff ops and the primitives beside this module); integer and
boolean results, comparisons and index results are computed with NumPy, as Keras's own have no gradient."""
import builtins

from . import primitives
from .convert import Tensor, arr, axis_of, const, floatx, flt, np, on_floats, ops, pair, t

_np_round = np.round


def _float_unary(name):
    return on_floats(lambda a: primitives.unary(name, a), name)


sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, arcsinh, arccosh, arctanh, expm1, log1p, exp2, log2, log10, \
    cbrt, rsqrt, reciprocal, erf, erfc, erfinv, sinc = (_float_unary(n) for n in (
        "sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh expm1 log1p exp2 log2 log10 cbrt "
        "rsqrt reciprocal erf erfc erfinv sinc").split())


tanh = on_floats(ops.tanh, "tanh")


def i0(x):
    return const(np.i0(flt(x).value))


def divide_no_nan(x1, x2):
    """x1 / x2, and 0 where x2 is 0 (differentiable in x1 and x2 where x2 != 0)."""
    a, b = (t(v) for v in pair(x1, x2, floats=True))
    zero = b.value == 0
    safe = ops.where(zero, const(np.ones((), b.dtype)), b)
    return ops.where(np.broadcast_to(zero, np.broadcast_shapes(a.shape, b.shape)), const(np.zeros((), a.dtype)),
                     ops.divide(a, safe))


exp = on_floats(ops.exp, "exp")


log = on_floats(ops.log, "log")


sqrt = on_floats(ops.sqrt, "sqrt")


def square(x):
    x = t(x)
    return ops.square(x) if x.dtype != bool else const(x.value.astype(np.int32))


def abs(x):  # noqa: A001 - Keras's name
    x = t(x)
    return ops.abs(x) if x.dtype.kind in "fc" else const(np.abs(x.value))


absolute = abs


def negative(x):
    return ops.negative(t(x))


def _by_numpy(fn, name, to_float=False):
    def f(x):
        x = t(x)
        v = fn(x.value)
        return const(v.astype(floatx()) if to_float and x.dtype.kind != "f" else v)
    f.__name__ = name
    return f


floor = _by_numpy(np.floor, "floor", to_float=True)
ceil = _by_numpy(np.ceil, "ceil", to_float=True)
trunc = _by_numpy(np.trunc, "trunc")
sign = _by_numpy(np.sign, "sign")
isnan, isinf, isfinite = (_by_numpy(f, f.__name__) for f in (np.isnan, np.isinf, np.isfinite))
isneginf, isposinf, signbit = (_by_numpy(f, f.__name__) for f in (np.isneginf, np.isposinf, np.signbit))
logical_not = _by_numpy(np.logical_not, "logical_not")
bitwise_not = bitwise_invert = _by_numpy(np.invert, "bitwise_invert")
deg2rad = _by_numpy(np.deg2rad, "deg2rad", to_float=True)
rad2deg = _by_numpy(np.rad2deg, "rad2deg", to_float=True)
fabs = _by_numpy(np.fabs, "fabs", to_float=True)
def _complex_part(by_numpy, name):
    """``by_numpy`` on real tensors; on complex ones the differentiable op (autodiff/ops/spectral.py)."""
    def f(x):
        x = t(x)
        if x.dtype.kind == "c":
            from ...autodiff.ops import spectral
            return getattr(spectral, name)(x)
        return by_numpy(x)
    f.__name__ = by_numpy.__name__
    return f


real = _complex_part(_by_numpy(np.real, "real"), "real")
imag = _complex_part(_by_numpy(np.imag, "imag"), "imag")
conj = conjugate = _complex_part(_by_numpy(np.conj, "conjugate"), "conj")
angle = _complex_part(_by_numpy(np.angle, "angle", to_float=True), "angle")
isreal = _by_numpy(np.isreal, "isreal")


def round(x, decimals=0):  # noqa: A001 - Keras's name (half to even, as NumPy)
    return const(_np_round(t(x).value, decimals))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return const(np.nan_to_num(t(x).value, nan=nan, posinf=posinf, neginf=neginf))


def clip(x, x_min, x_max):
    x = t(x)
    if x.dtype.kind == "f":
        return ops.clip(x, x_min, x_max)
    v = x.value.astype(np.int32) if x.dtype == bool else x.value
    return const(np.clip(v, x_min, x_max).astype(v.dtype))


# ------------------------------------------------------------------------------------------- arithmetic
def _binary(op, name, floats=False):
    def f(x1, x2):
        return op(*pair(x1, x2, floats))
    f.__name__ = name
    return f


add = _binary(ops.add, "add")
subtract = _binary(ops.subtract, "subtract")
multiply = _binary(ops.multiply, "multiply")
divide = true_divide = _binary(ops.divide, "divide", floats=True)
power = _binary(ops.power, "power")
maximum = _binary(ops.maximum, "maximum")
minimum = _binary(ops.minimum, "minimum")
arctan2 = _binary(lambda a, b: primitives.Arctan2()(a, b), "arctan2", floats=True)


def _numpy_binary(fn, name, floats=False):
    def f(x1, x2):
        a, b = pair(x1, x2, floats)
        return const(fn(a.value if isinstance(a, Tensor) else a, b.value if isinstance(b, Tensor) else b))
    f.__name__ = name
    return f


floor_divide = _numpy_binary(np.floor_divide, "floor_divide")
mod = _numpy_binary(np.mod, "mod")
fmod = _numpy_binary(np.fmod, "fmod")
heaviside = _numpy_binary(np.heaviside, "heaviside", floats=True)
copysign = _numpy_binary(np.copysign, "copysign", floats=True)
nextafter = _numpy_binary(np.nextafter, "nextafter", floats=True)
ldexp = _numpy_binary(np.ldexp, "ldexp")
gcd, lcm = _numpy_binary(np.gcd, "gcd"), _numpy_binary(np.lcm, "lcm")
fmax, fmin = _numpy_binary(np.fmax, "fmax"), _numpy_binary(np.fmin, "fmin")
equal, not_equal = _numpy_binary(np.equal, "equal"), _numpy_binary(np.not_equal, "not_equal")
greater, greater_equal = _numpy_binary(np.greater, "greater"), _numpy_binary(np.greater_equal, "greater_equal")
less, less_equal = _numpy_binary(np.less, "less"), _numpy_binary(np.less_equal, "less_equal")
logical_and, logical_or = _numpy_binary(np.logical_and, "logical_and"), _numpy_binary(np.logical_or, "logical_or")
logical_xor = _numpy_binary(np.logical_xor, "logical_xor")
bitwise_and, bitwise_or = _numpy_binary(np.bitwise_and, "bitwise_and"), _numpy_binary(np.bitwise_or, "bitwise_or")
bitwise_xor = _numpy_binary(np.bitwise_xor, "bitwise_xor")
bitwise_left_shift = left_shift = _numpy_binary(np.left_shift, "left_shift")
bitwise_right_shift = right_shift = _numpy_binary(np.right_shift, "right_shift")


def hypot(x1, x2):
    a, b = pair(x1, x2, floats=True)
    return ops.sqrt(ops.add(ops.square(t(a)), ops.square(t(b))))


def logaddexp(x1, x2):
    """log(exp(x1) + exp(x2)), computed stably: max + log1p(exp(-|x1 - x2|))."""
    a, b = (t(v) for v in pair(x1, x2, floats=True))
    return ops.add(ops.maximum(a, b), primitives.unary("log1p", ops.exp(ops.negative(ops.abs(ops.subtract(a, b))))))


def logaddexp2(x1, x2):
    ln2 = np.log(2.0)
    return divide(logaddexp(multiply(x1, ln2), multiply(x2, ln2)), ln2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return const(np.isclose(arr(x1), arr(x2), rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return const(np.allclose(arr(x1), arr(x2), rtol=rtol, atol=atol, equal_nan=equal_nan))


# ------------------------------------------------------------------------------------------- reductions
def _int_reduce(fn, x, axis, keepdims, dtype=None):
    v = x.value.astype(np.int32) if x.dtype == bool else x.value
    out = np.asarray(fn(v, axis=axis_of(axis), keepdims=keepdims))
    return const(out.astype(dtype or v.dtype))


def sum(x, axis=None, keepdims=False):  # noqa: A001
    x = t(x)
    return ops.sum(x, axis_of(axis), keepdims) if x.dtype.kind == "f" else _int_reduce(np.sum, x, axis, keepdims)


def mean(x, axis=None, keepdims=False):
    return ops.mean(flt(x), axis_of(axis), keepdims)


def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    x = t(x)
    if initial is not None:
        return const(np.max(x.value, axis=axis_of(axis), keepdims=keepdims, initial=initial))
    return ops.max(x, axis_of(axis), keepdims) if x.dtype.kind == "f" else _int_reduce(np.max, x, axis, keepdims)


def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    x = t(x)
    if initial is not None:
        return const(np.min(x.value, axis=axis_of(axis), keepdims=keepdims, initial=initial))
    return ops.min(x, axis_of(axis), keepdims) if x.dtype.kind == "f" else _int_reduce(np.min, x, axis, keepdims)


amax, amin = max, min


def prod(x, axis=None, keepdims=False, dtype=None):
    x = t(x)
    if x.dtype.kind != "f":
        return _int_reduce(np.prod, x, axis, keepdims, dtype)
    axis = axis_of(axis)
    out = primitives.Prod(None if axis is None else (axis,) if isinstance(axis, int) else axis, keepdims)(x)
    return out if dtype is None else ops.cast(out, dtype)


def var(x, axis=None, keepdims=False):
    x = flt(x)
    centred = ops.subtract(x, ops.mean(x, axis_of(axis), True))
    return ops.mean(ops.square(centred), axis_of(axis), keepdims)


def std(x, axis=None, keepdims=False):
    return ops.sqrt(var(x, axis, keepdims))


def all(x, axis=None, keepdims=False):  # noqa: A001
    return const(np.all(arr(x), axis=axis_of(axis), keepdims=keepdims))


def any(x, axis=None, keepdims=False):  # noqa: A001
    return const(np.any(arr(x), axis=axis_of(axis), keepdims=keepdims))


def logsumexp(x, axis=None, keepdims=False):
    x = flt(x)
    if axis is None:
        out = ops.logsumexp(ops.reshape(x, (-1,)), axis=-1)
        return ops.reshape(out, (1,) * x.ndim) if keepdims else out
    return ops.logsumexp(x, axis=axis_of(axis), keepdims=keepdims)


def _arg(fn, name):
    def f(x, axis=None, keepdims=False):
        v = arr(x)
        out = fn(v, axis=axis_of(axis), keepdims=keepdims) if axis is not None else fn(v.ravel())
        if axis is None and keepdims:
            out = np.reshape(out, (1,) * v.ndim)
        return const(np.asarray(out).astype(np.int32))
    f.__name__ = name
    return f


argmax, argmin = _arg(np.argmax, "argmax"), _arg(np.argmin, "argmin")
nanargmax, nanargmin = _arg(np.nanargmax, "nanargmax"), _arg(np.nanargmin, "nanargmin")


def count_nonzero(x, axis=None):
    return const(np.asarray(np.count_nonzero(arr(x), axis=axis_of(axis))).astype(np.int32))


def _cumulative(product, name):
    def f(x, axis=None, dtype=None):
        x = t(x)
        if dtype is not None:
            x = t(x.value.astype(dtype)) if x.dtype.kind != "f" else ops.cast(x, dtype)
        if axis is None:
            x, axis = ops.reshape(x, (-1,)), 0
        if x.dtype.kind != "f":
            v = x.value.astype(np.int32) if x.dtype == bool else x.value
            return const((np.cumprod if product else np.cumsum)(v, axis=axis, dtype=v.dtype))
        return primitives.Cumulative(int(axis) % x.ndim, product)(x)
    f.__name__ = name
    return f


cumsum, cumprod = _cumulative(False, "cumsum"), _cumulative(True, "cumprod")


def _nan(fn, name):
    def f(x, axis=None, keepdims=False, **kwargs):
        return const(np.asarray(fn(arr(x), axis=axis_of(axis), keepdims=keepdims, **kwargs)))
    f.__name__ = name
    return f


nansum, nanmean, nanmax, nanmin, nanprod, nanstd, nanvar, nanmedian = (
    _nan(f, f.__name__) for f in (np.nansum, np.nanmean, np.nanmax, np.nanmin, np.nanprod, np.nanstd, np.nanvar,
                                  np.nanmedian))


def nancumsum(x, axis=None, dtype=None):
    return const(np.nancumsum(arr(x), axis=axis, dtype=dtype))


def nancumprod(x, axis=None, dtype=None):
    return const(np.nancumprod(arr(x), axis=axis, dtype=dtype))


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return const(np.nanquantile(arr(x), arr(q), axis=axis_of(axis), method=method, keepdims=keepdims))


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return const(np.nanpercentile(arr(x), arr(q), axis=axis_of(axis), method=method, keepdims=keepdims))


def ptp(x, axis=None, keepdims=False):
    return subtract(max(x, axis, keepdims), min(x, axis, keepdims))


def average(x, axis=None, weights=None):
    x = flt(x)
    if weights is None:
        return mean(x, axis)
    w = flt(weights)
    if w.ndim == 1 and x.ndim > 1:
        if axis is None:
            raise ValueError("keras.ops.average: 1-D `weights` need an `axis` for an input of rank "
                             f"{x.ndim}; received axis=None. Pass the axis the weights run along.")
        w = ops.reshape(w, [-1 if i == int(axis) % x.ndim else 1 for i in builtins.range(x.ndim)])
    return ops.divide(ops.sum(ops.multiply(x, w), axis_of(axis)), ops.sum(ops.broadcast_to(w, x.shape), axis_of(axis)))


NAMES = (
    "sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh expm1 log1p exp2 log2 log10 cbrt rsqrt "
    "reciprocal erf erfc erfinv sinc tanh i0 divide_no_nan exp log sqrt square abs absolute negative floor ceil trunc sign isnan isinf "
    "isfinite isneginf isposinf signbit logical_not bitwise_not bitwise_invert deg2rad rad2deg fabs real imag conj "
    "conjugate angle isreal round nan_to_num clip add subtract multiply divide true_divide power maximum minimum "
    "arctan2 floor_divide mod fmod heaviside copysign nextafter ldexp gcd lcm fmax fmin equal not_equal greater "
    "greater_equal less less_equal logical_and logical_or logical_xor bitwise_and bitwise_or bitwise_xor "
    "bitwise_left_shift left_shift bitwise_right_shift right_shift hypot logaddexp logaddexp2 isclose allclose "
    "sum mean max min amax amin prod var std all any logsumexp argmax argmin nanargmax nanargmin count_nonzero "
    "cumsum cumprod nansum nanmean nanmax nanmin nanprod nanstd nanvar nanmedian nancumsum nancumprod nanquantile "
    "nanpercentile ptp average")
