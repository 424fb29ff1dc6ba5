"""keras.ops's NumPy-style array functions: creation, shapes, joining and splitting, indexing, sorting, and the
products (dot, tensordot, einsum, ...). Results that carry float values are differentiable (built from
dendrite's autodiff ops: indexing, take, concatenate, the einsum primitive); index results and constants are
NumPy values, as in Keras."""
import builtins
import string

from . import primitives
from .convert import arr, const, floatx, np, ops, pair, shape_of, t


def _dtype(dtype, default=None):
    return np.dtype(dtype) if dtype is not None else default


# --------------------------------------------------------------------------------------------- creation
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    x = t(x)
    return x if dtype is None or x.dtype == np.dtype(dtype) else cast(x, dtype)


def array(x, dtype=None):
    return convert_to_tensor(x, dtype)


def cast(x, dtype):
    x, dtype = t(x), np.dtype(dtype)
    if x.dtype == dtype:
        return x
    if x.dtype.kind == "f" and dtype.kind == "f":
        return ops.cast(x, dtype)
    return const(x.value.astype(dtype))


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    values = [v for v in (start, stop, step) if v is not None]
    kind = np.result_type(*[arr(v) for v in values])
    dtype = _dtype(dtype, floatx() if kind.kind == "f" else np.dtype(np.int32))
    return const(np.arange(*[arr(v).item() for v in values]).astype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    out = np.linspace(arr(start), arr(stop), int(num), endpoint=endpoint, retstep=retstep, axis=axis)
    values, step = out if retstep else (out, None)
    values = const(values.astype(_dtype(dtype, floatx())))
    return (values, step) if retstep else values


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    out = np.logspace(arr(start), arr(stop), int(num), endpoint=endpoint, base=base, axis=axis)
    return const(out.astype(_dtype(dtype, floatx())))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    out = np.geomspace(arr(start), arr(stop), int(num), endpoint=endpoint, axis=axis)
    return const(out.astype(_dtype(dtype, floatx())))


def zeros(shape, dtype=None):
    return const(np.zeros(shape_of(shape), _dtype(dtype, floatx())))


def ones(shape, dtype=None):
    return const(np.ones(shape_of(shape), _dtype(dtype, floatx())))


empty = zeros


def full(shape, fill_value, dtype=None):
    value = arr(fill_value)
    return const(np.full(shape_of(shape), value, _dtype(dtype, value.dtype)))


def zeros_like(x, dtype=None):
    x = t(x)
    return const(np.zeros(x.shape, _dtype(dtype, x.dtype)))


def ones_like(x, dtype=None):
    x = t(x)
    return const(np.ones(x.shape, _dtype(dtype, x.dtype)))


empty_like = zeros_like


def full_like(x, fill_value, dtype=None):
    x = t(x)
    return const(np.full(x.shape, arr(fill_value), _dtype(dtype, x.dtype)))


def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - Keras's names
    return const(np.eye(int(N), None if M is None else int(M), int(k), _dtype(dtype, floatx())))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):  # noqa: N803
    return const(np.tri(int(N), None if M is None else int(M), int(k), _dtype(dtype, floatx())))


def copy(x):
    x = t(x)
    return ops.add(x, 0) if x.dtype.kind == "f" else const(x.value.copy())


def _window(fn):
    def f(x, *args):
        return const(fn(int(x), *args).astype(floatx()))
    f.__name__ = fn.__name__
    return f


bartlett, blackman, hamming, hanning, kaiser = (_window(f) for f in (np.bartlett, np.blackman, np.hamming,
                                                                    np.hanning, np.kaiser))


def vander(x, N=None, increasing=False):  # noqa: N803
    return const(np.vander(arr(x), N, increasing))


# --------------------------------------------------------------------------------------------- shapes
def reshape(x, newshape):
    return ops.reshape(t(x), shape_of(newshape))


def ravel(x):
    return ops.reshape(t(x), (-1,))


def transpose(x, axes=None):
    return ops.transpose(t(x), None if axes is None else tuple(int(a) for a in axes))


def swapaxes(x, axis1, axis2):
    x = t(x)
    perm = list(builtins.range(x.ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return ops.transpose(x, tuple(perm))


def moveaxis(x, source, destination):
    x = t(x)
    src = [int(a) % x.ndim for a in np.atleast_1d(source)]
    dst = [int(a) % x.ndim for a in np.atleast_1d(destination)]
    perm = [i for i in builtins.range(x.ndim) if i not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return ops.transpose(x, tuple(perm))


def expand_dims(x, axis):
    x = t(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    shape = list(np.expand_dims(np.empty(x.shape, bool), axes).shape)
    return ops.reshape(x, shape)


def squeeze(x, axis=None):
    x = t(x)
    if axis is not None:
        for a in (axis,) if isinstance(axis, int) else axis:
            if x.shape[a] != 1:
                raise ValueError(f"keras.ops.squeeze: axis {a} of the input (shape {x.shape}) has length "
                                 f"{x.shape[a]}, not 1; only axes of length 1 can be squeezed.")
    return ops.squeeze(x, axis)


def concatenate(xs, axis=0):
    xs = _common(xs)
    if axis is None:
        xs, axis = [ops.reshape(x, (-1,)) for x in xs], 0
    return ops.concatenate(xs, axis=axis)


def _common(xs):
    """The tensors of ``xs`` in one dtype (Keras's promotion across them)."""
    xs = [t(x) for x in xs]
    dtype = np.result_type(*[x.dtype for x in xs])
    floats = [x.dtype for x in xs if x.dtype.kind == "f"]
    dtype = np.result_type(*floats) if floats else dtype
    return [x if x.dtype == dtype else cast(x, dtype) for x in xs]


def stack(x, axis=0):
    return ops.stack(_common(x), axis=axis)


def hstack(xs):
    xs = _common(xs)
    return ops.concatenate(xs, axis=0 if xs[0].ndim == 1 else 1)


def vstack(xs):
    return ops.concatenate([ops.reshape(x, (1, -1)) if x.ndim < 2 else x for x in _common(xs)], axis=0)


def dstack(xs):
    xs = [x if x.ndim == 3 else ops.reshape(x, (1, -1, 1) if x.ndim < 2 else x.shape + (1,)) for x in _common(xs)]
    return ops.concatenate(xs, axis=2)


def append(x1, x2, axis=None):
    return concatenate([x1, x2], axis)


def _pieces(x, cuts, axis):
    index = [slice(None)] * x.ndim
    out = []
    for start, stop in zip([0] + cuts, cuts + [x.shape[axis]]):
        index[axis] = slice(start, stop)
        out.append(ops.getitem(x, tuple(index)))
    return out


def split(x, indices_or_sections, axis=0):
    x = t(x)
    if isinstance(indices_or_sections, (int, np.integer)):
        n, length = int(indices_or_sections), x.shape[axis]
        if length % n:
            raise ValueError(f"keras.ops.split: axis {axis} has length {length}, which {n} sections do not divide "
                             "equally. Pass a list of split indices, or use keras.ops.array_split.")
        return _pieces(x, [length // n * i for i in builtins.range(1, n)], axis)
    return _pieces(x, [int(i) for i in indices_or_sections], axis)


def array_split(x, indices_or_sections, axis=0):
    x = t(x)
    n, length = int(indices_or_sections), x.shape[axis]
    sizes = [length // n + (1 if i < length % n else 0) for i in builtins.range(n)]
    return _pieces(x, [int(c) for c in np.cumsum(sizes)[:-1]], axis)


def hsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0 if t(x).ndim == 1 else 1)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=2)


def _along(x, index, axis):
    """``x`` gathered along ``axis`` at the integer array ``index`` (differentiable)."""
    return ops.take(x, np.asarray(index, dtype=np.int64), axis=axis)


def tile(x, repeats):
    x = t(x)
    reps = shape_of(repeats)
    if len(reps) > x.ndim:
        x = ops.reshape(x, (1,) * (len(reps) - x.ndim) + x.shape)
    reps = (1,) * (x.ndim - len(reps)) + reps
    for axis, r in enumerate(reps):
        if r != 1:
            x = _along(x, np.tile(np.arange(x.shape[axis]), r), axis)
    return x


def repeat(x, repeats, axis=None):
    x = t(x)
    if axis is None:
        x, axis = ops.reshape(x, (-1,)), 0
    return _along(x, np.repeat(np.arange(x.shape[axis]), arr(repeats)), axis)


def flip(x, axis=None):
    x = t(x)
    axes = builtins.range(x.ndim) if axis is None else [axis] if isinstance(axis, int) else axis
    index = [slice(None)] * x.ndim
    for a in axes:
        index[a] = slice(None, None, -1)
    return ops.getitem(x, tuple(index))


def fliplr(x):
    return flip(x, 1)


def flipud(x):
    return flip(x, 0)


def roll(x, shift, axis=None):
    x = t(x)
    if axis is None:
        return ops.reshape(roll(ops.reshape(x, (-1,)), shift, 0), x.shape)
    shifts, axes = np.broadcast_arrays(np.atleast_1d(arr(shift)), np.atleast_1d(axis))
    for s, a in zip(shifts, axes):
        x = _along(x, np.roll(np.arange(x.shape[a]), int(s)), int(a))
    return x


def rot90(array, k=1, axes=(0, 1)):
    x = t(array)
    k = int(k) % 4
    a, b = axes
    for _ in builtins.range(k):
        x = swapaxes(flip(x, b), a, b)
    return x


def broadcast_to(x, shape):
    return ops.broadcast_to(t(x), shape_of(shape))


def pad(x, pad_width, mode="constant", constant_values=None):
    x = t(x)
    width = np.broadcast_to(np.asarray(pad_width, dtype=np.int64).reshape(-1, 2) if np.ndim(pad_width) else
                            np.full((1, 2), int(pad_width)), (x.ndim, 2))
    width = [tuple(int(v) for v in row) for row in width]
    if mode == "constant":
        out = ops.pad(x, width)
        if constant_values:
            border = np.pad(np.zeros(x.shape, bool), width, constant_values=True)
            out = ops.add(out, const(np.where(border, constant_values, 0).astype(x.dtype)))
        return out
    if mode not in ("reflect", "symmetric", "edge", "wrap"):
        raise ValueError(f"keras.ops.pad: expected mode 'constant', 'reflect', 'symmetric', 'edge' or 'wrap'; "
                         f"received mode={mode!r}.")
    for axis, (before, after) in enumerate(width):
        if before or after:
            x = _along(x, np.pad(np.arange(x.shape[axis]), (before, after), mode=mode), axis)
    return x


# ------------------------------------------------------------------------------------------- indexing
def take(x, indices, axis=None):
    x = t(x)
    if axis is None:
        x, axis = ops.reshape(x, (-1,)), 0
    axis = int(axis) % x.ndim
    idx = arr(indices).astype(np.int64)
    return ops.take(x, idx % x.shape[axis] if idx.size else idx, axis=axis)


def _grid(shape, index, axis):
    grid = list(np.ogrid[tuple(slice(n) for n in shape)])
    grid[axis] = index
    return tuple(grid)


def take_along_axis(x, indices, axis=None):
    x = t(x)
    idx = arr(indices).astype(np.int64)
    if axis is None:
        x, axis = ops.reshape(x, (-1,)), 0
    axis = int(axis) % x.ndim
    shape = list(np.broadcast_shapes(tuple(n if i != axis else 1 for i, n in enumerate(x.shape)),
                                     tuple(n if i != axis else 1 for i, n in enumerate(idx.shape))))
    target = list(shape)
    target[axis] = idx.shape[axis]
    x = ops.broadcast_to(x, tuple(n if i != axis else x.shape[axis] for i, n in enumerate(shape)))
    idx = np.broadcast_to(idx, target) % x.shape[axis]
    return ops.getitem(x, _grid(target, idx, axis))


def get_item(x, key):
    return ops.getitem(t(x), key)


def argsort(x, axis=-1):
    v = arr(x)
    if axis is None:
        v, axis = v.ravel(), 0
    return const(np.argsort(v, axis=axis, kind="stable").astype(np.int32))


def sort(x, axis=-1):
    x = t(x)
    if axis is None:
        x, axis = ops.reshape(x, (-1,)), 0
    return take_along_axis(x, np.argsort(x.value, axis=axis, kind="stable"), axis)


def argpartition(x, kth, axis=-1):
    return const(np.argpartition(arr(x), kth, axis=axis).astype(np.int32))


def nonzero(x):
    return tuple(const(i.astype(np.int32)) for i in np.nonzero(arr(x)))


def where(condition, x1=None, x2=None):
    cond = arr(condition).astype(bool)
    if x1 is None and x2 is None:
        return nonzero(cond)
    if x1 is None or x2 is None:
        raise ValueError("keras.ops.where: pass both `x1` and `x2`, or neither (then it returns the indices where "
                         "`condition` is True).")
    a, b = (t(v) for v in pair(x1, x2))
    if a.dtype.kind != "f":
        return const(np.where(cond, a.value, b.value))
    return ops.where(cond, a, b)


def select(condlist, choicelist, default=0):
    out = t(default) if not isinstance(default, (int, float)) else default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = where(cond, choice, out)
    return t(out)


def searchsorted(sorted_sequence, values, side="left"):
    return const(np.searchsorted(arr(sorted_sequence), arr(values), side=side).astype(np.int32))


def digitize(x, bins):
    return const(np.digitize(arr(x), arr(bins)).astype(np.int32))


def bincount(x, weights=None, minlength=0, sparse=False):
    v = arr(x)
    w = None if weights is None else arr(weights)
    if v.ndim == 2:  # Keras counts each row of a 2-D input
        n = builtins.max(int(minlength), int(v.max()) + 1 if v.size else 0)
        return const(np.stack([np.bincount(r, None if w is None else w[i], n) for i, r in enumerate(v)]))
    out = np.bincount(v, w, int(minlength))
    return const(out if w is not None else out.astype(np.int32))


def unique(x, sorted=True, return_inverse=False, return_counts=False, axis=None, size=None, fill_value=None):  # noqa: A002
    out = np.unique(arr(x), return_inverse=return_inverse, return_counts=return_counts, axis=axis)
    return tuple(const(o) for o in out) if isinstance(out, tuple) else const(out)


def isin(x1, x2, assume_unique=False, invert=False):
    return const(np.isin(arr(x1), arr(x2), assume_unique=assume_unique, invert=invert))


def histogram(x, bins=10, range=None):  # noqa: A002
    counts, edges = np.histogram(arr(x), bins, range)
    return const(counts.astype(np.int32)), const(edges.astype(floatx()))


def unravel_index(indices, shape):
    return tuple(const(i.astype(np.int32)) for i in np.unravel_index(arr(indices), shape_of(shape)))


# ------------------------------------------------------------------------------------------- products
_LETTERS = string.ascii_letters


def einsum(subscripts, *operands):
    """numpy.einsum, differentiable: the ellipsis and the implicit output are written out, operands broadcast
    over the ellipsis first, then the einsum primitive."""
    xs = _common(operands)
    spec = subscripts.replace(" ", "")
    inputs, output = spec.split("->") if "->" in spec else (spec, None)
    inputs = inputs.split(",")
    if len(inputs) != len(xs):
        raise ValueError(f"keras.ops.einsum: the subscripts {subscripts!r} name {len(inputs)} operand(s); received "
                         f"{len(xs)}.")
    free = [c for c in _LETTERS if c not in spec]
    ell_rank = builtins.max([x.ndim - len(s.replace("...", "")) for s, x in zip(inputs, xs) if "..." in s],
                            default=0)
    ell = "".join(free[:ell_rank])
    if "..." in spec:
        ell_shape = np.broadcast_shapes(*[x.shape[:x.ndim - len(s.replace("...", ""))] if s.startswith("...") else
                                          x.shape[s.index("..."):x.ndim - len(s.split("...")[1])]
                                          for s, x in zip(inputs, xs) if "..." in s])
        new_xs, new_inputs = [], []
        for s, x in zip(inputs, xs):
            if "..." in s:
                before, after = s.split("...")
                shape = x.shape[:len(before)] + ell_shape + x.shape[x.ndim - len(after):]
                x = ops.broadcast_to(ops.reshape(x, x.shape[:len(before)] + (1,) * (ell_rank - (
                    x.ndim - len(before) - len(after))) + x.shape[len(before):]), shape)
                s = before + ell + after
            new_xs.append(x)
            new_inputs.append(s)
        xs, inputs = new_xs, new_inputs
    if output is None:
        counts = {c: "".join(inputs).count(c) for c in "".join(inputs)}
        output = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        output = output.replace("...", ell)
    return primitives.Einsum(inputs, output)(*xs)


def tensordot(x1, x2, axes=2):
    a, b = _common([x1, x2])
    if isinstance(axes, (int, np.integer)):
        axes = (list(builtins.range(a.ndim - int(axes), a.ndim)), list(builtins.range(int(axes))))
    ax_a, ax_b = ([int(v) % x.ndim for v in np.atleast_1d(ax)] for ax, x in zip(axes, (a, b)))
    sa = _LETTERS[:a.ndim]
    sb = list(_LETTERS[a.ndim:a.ndim + b.ndim])
    for i, j in zip(ax_a, ax_b):
        sb[j] = sa[i]
    out = "".join(c for i, c in enumerate(sa) if i not in ax_a) + "".join(c for j, c in enumerate(sb) if j not in ax_b)
    return einsum(f"{sa},{''.join(sb)}->{out}", a, b)


def matmul(x1, x2):
    a, b = _common([x1, x2])
    if a.dtype.kind != "f":
        return const(np.matmul(a.value, b.value))
    return ops.matmul(a, b)


def dot(x1, x2):
    a, b = _common([x1, x2])
    if a.ndim == 0 or b.ndim == 0:
        return ops.multiply(a, b)
    if b.ndim == 1:
        return tensordot(a, b, ([-1], [0]))
    return tensordot(a, b, ([-1], [-2]))


def inner(x1, x2):
    a, b = _common([x1, x2])
    if a.ndim == 0 or b.ndim == 0:
        return ops.multiply(a, b)
    return tensordot(a, b, ([-1], [-1]))


def outer(x1, x2):
    a, b = _common([x1, x2])
    return einsum("i,j->ij", ops.reshape(a, (-1,)), ops.reshape(b, (-1,)))


def vdot(x1, x2):
    a, b = _common([x1, x2])
    return einsum("i,i->", ops.reshape(a, (-1,)), ops.reshape(b, (-1,)))


def kron(x1, x2):
    a, b = _common([x1, x2])
    n = builtins.max(a.ndim, b.ndim)
    a, b = (ops.reshape(x, (1,) * (n - x.ndim) + x.shape) for x in (a, b))
    sa, sb = _LETTERS[:n], _LETTERS[n:2 * n]
    out = einsum(f"{sa},{sb}->{''.join(p + q for p, q in zip(sa, sb))}", a, b)
    return ops.reshape(out, tuple(p * q for p, q in zip(a.shape, b.shape)))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = (moveaxis(x, ax, -1) for x, ax in zip(_common([x1, x2]), (axisa, axisb)))
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(f"keras.ops.cross: the vectors must have 3 components; received {a.shape[-1]} and "
                         f"{b.shape[-1]} (2-component cross products are not supported by dendrite).")
    c = [a[..., i] for i in builtins.range(3)], [b[..., i] for i in builtins.range(3)]
    (a0, a1, a2), (b0, b1, b2) = c
    out = ops.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return moveaxis(out, -1, axisc)


NAMES = (
    "convert_to_tensor array cast arange linspace logspace geomspace zeros ones full zeros_like ones_like "
    "full_like eye identity tri copy vander reshape ravel transpose swapaxes moveaxis expand_dims squeeze "
    "concatenate stack hstack vstack dstack append split array_split hsplit vsplit dsplit tile repeat flip "
    "fliplr flipud roll rot90 broadcast_to pad take take_along_axis get_item argsort sort argpartition "
    "nonzero where select searchsorted digitize bincount unique isin histogram unravel_index einsum tensordot "
    "matmul dot inner outer vdot kron cross empty empty_like bartlett blackman hamming hanning kaiser")
