"""keras.ops's remaining NumPy-style functions: diagonals and triangles, differences, order statistics (median,
quantile, percentile), grids and correlations, and the facts of a tensor (ndim, size, shape). Differentiable
where their values come from the input's (through indexing and the float ops)."""
import builtins

from .convert import arr, axis_of, const, floatx, flt, np, ops, t
from .numpy_array import moveaxis, sort, take, tensordot
from .numpy_math import mean


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = moveaxis(t(x), (axis1, axis2), (-2, -1))
    n, m = x.shape[-2:]
    rows = np.arange(builtins.max(0, -offset), builtins.min(n, m - offset))
    return ops.getitem(x, (Ellipsis, rows, rows + offset))


def trace(x, offset=0, axis1=0, axis2=1):
    d = diagonal(x, offset, axis1, axis2)
    return ops.sum(d, axis=-1) if d.dtype.kind == "f" else const(d.value.sum(-1))


def diag(x, k=0):
    x = t(x)
    if x.ndim == 2:
        return diagonal(x, k)
    if x.ndim != 1:
        raise ValueError(f"keras.ops.diag: expected a 1-D input (to make a matrix) or a 2-D one (to take its "
                         f"diagonal); received rank {x.ndim}.")
    n = x.shape[0] + builtins.abs(int(k))
    spread = ops.reshape(take(x, np.clip(np.arange(n), 0, x.shape[0] - 1)), (n, 1) if k >= 0 else (1, n))
    return ops.multiply(spread, const(np.eye(n, k=int(k), dtype=x.dtype)))


def diagflat(x, k=0):
    return diag(ops.reshape(t(x), (-1,)), k)


def _triangle(x, k, lower):
    x = t(x)
    n, m = x.shape[-2:]
    mask = np.tri(n, m, int(k), dtype=bool)
    mask = mask if lower else ~np.tri(n, m, int(k) - 1, dtype=bool)
    if x.dtype.kind != "f":
        return const(np.where(mask, x.value, 0).astype(x.dtype))
    return ops.multiply(x, const(mask.astype(x.dtype)))


def tril(x, k=0):
    return _triangle(x, k, True)


def triu(x, k=0):
    return _triangle(x, k, False)


def diff(a, n=1, axis=-1):
    x = t(a)
    axis = int(axis) % x.ndim
    for _ in builtins.range(int(n)):
        head = [slice(None)] * x.ndim
        tail = [slice(None)] * x.ndim
        head[axis], tail[axis] = slice(1, None), slice(None, -1)
        x = ops.subtract(ops.getitem(x, tuple(head)), ops.getitem(x, tuple(tail)))
    return x


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """NumPy's quantile (methods linear, lower, higher, nearest, midpoint), differentiable through the sort."""
    x = flt(x)
    axes = axis_of(axis)
    if axes is None:
        axes = tuple(builtins.range(x.ndim))
    axes = (axes,) if isinstance(axes, int) else tuple(a % x.ndim for a in axes)
    kept = [i for i in builtins.range(x.ndim) if i not in axes]
    flat = ops.reshape(ops.transpose(x, tuple(kept + list(axes))), tuple(x.shape[i] for i in kept) + (-1,))
    ordered = sort(flat, axis=-1)
    qs = np.atleast_1d(arr(q)).astype(np.float64)
    if np.any((qs < 0) | (qs > 1)):
        raise ValueError(f"keras.ops.quantile: `q` must lie in [0, 1]; received q={arr(q)}.")
    pos = qs * (ordered.shape[-1] - 1)
    lo, hi = np.floor(pos).astype(np.int64), np.ceil(pos).astype(np.int64)
    frac = pos - lo
    choose = {"lower": (lo, lo, 0 * frac), "higher": (hi, hi, 0 * frac), "linear": (lo, hi, frac),
              "midpoint": (lo, hi, np.where(hi > lo, 0.5, 0.0)),
              "nearest": (np.round(pos).astype(np.int64),) * 2 + (0 * frac,)}
    if method not in choose:
        raise ValueError(f"keras.ops.quantile: expected method 'linear', 'lower', 'higher', 'midpoint' or "
                         f"'nearest'; received method={method!r}.")
    i, j, w = choose[method]
    a, b = take(ordered, i, axis=-1), take(ordered, j, axis=-1)
    out = ops.add(a, ops.multiply(ops.subtract(b, a), const(w.astype(x.dtype))))  # (..., len(q))
    if keepdims:
        out = ops.reshape(out, tuple(1 if k in axes else x.shape[k] for k in builtins.range(x.ndim)) + (-1,))
    out = moveaxis(out, -1, 0)
    return out if np.ndim(arr(q)) else ops.reshape(out, out.shape[1:])


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return quantile(x, np.asarray(arr(q), dtype=np.float64) / 100, axis, method, keepdims)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis, "linear", keepdims)


def meshgrid(*x, indexing="xy"):
    xs = [ops.reshape(t(v), (-1,)) for v in x]
    shape = [v.shape[0] for v in xs]
    if indexing == "xy" and len(xs) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, v in enumerate(xs):
        pos = (1 - i if i < 2 else i) if indexing == "xy" and len(xs) > 1 else i
        out.append(ops.broadcast_to(ops.reshape(v, tuple(-1 if k == pos else 1 for k in builtins.range(len(xs)))),
                                    tuple(shape)))
    return out


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = flt(y)
    axis = int(axis) % y.ndim
    n = y.shape[axis]
    lo, hi = take(y, np.arange(n - 1), axis), take(y, np.arange(1, n), axis)
    widths = dx if x is None else diff(flt(x), axis=-1 if t(x).ndim == 1 else axis)
    if x is not None and t(x).ndim == 1 and y.ndim > 1:
        widths = ops.reshape(widths, tuple(-1 if k == axis else 1 for k in builtins.range(y.ndim)))
    return ops.sum(ops.multiply(ops.multiply(ops.add(lo, hi), 0.5), widths), axis=axis)


def correlate(x1, x2, mode="valid"):
    a, v = flt(x1), flt(x2)
    full = np.arange(-(v.shape[0] - 1), a.shape[0])
    lag = {"full": full, "same": full[(v.shape[0] - 1) // 2 if a.shape[0] >= v.shape[0] else a.shape[0] // 2:][:builtins.max(a.shape[0], v.shape[0])],
           "valid": np.arange(0, a.shape[0] - v.shape[0] + 1) if a.shape[0] >= v.shape[0]
           else np.arange(a.shape[0] - v.shape[0], 1)}.get(mode)
    if lag is None:
        raise ValueError(f"keras.ops.correlate: expected mode 'valid', 'same' or 'full'; received mode={mode!r}.")
    index = lag[:, None] + np.arange(v.shape[0])[None, :]
    padded = ops.pad(a, [(v.shape[0], v.shape[0])])
    windows = take(padded, index + v.shape[0])
    return ops.sum(ops.multiply(windows, v), axis=-1)


def corrcoef(x):
    x = flt(x)
    x = ops.reshape(x, (1, -1)) if x.ndim == 1 else x
    centred = ops.subtract(x, mean(x, axis=1, keepdims=True))
    cov = tensordot(centred, centred, ([1], [1]))
    d = ops.sqrt(diagonal(cov))
    return ops.divide(ops.divide(cov, ops.reshape(d, (-1, 1))), ops.reshape(d, (1, -1)))


def ndim(x):
    return t(x).ndim


def size(x):
    return const(np.int32(t(x).size))


def shape(x):
    return tuple(getattr(x, "shape", np.shape(x)))


def vectorize(pyfunc, *, excluded=None, signature=None):
    """numpy.vectorize over tensors: the function runs on each element (as Tensors) and the results are
    stacked."""
    def call(*args):
        xs = [t(a) for a in args]
        shape_ = np.broadcast_shapes(*[x.shape for x in xs])
        xs = [ops.reshape(ops.broadcast_to(x, shape_), (-1,)) for x in xs]
        n = int(np.prod(shape_))
        outs = [t(pyfunc(*[x[i] for x in xs])) for i in builtins.range(n)]
        return ops.reshape(ops.stack(outs), shape_ + outs[0].shape) if outs else const(np.zeros(shape_, floatx()))
    return call


NAMES = ("diagonal trace diag diagflat tril triu diff quantile percentile median meshgrid trapezoid correlate "
         "corrcoef ndim size shape vectorize")
