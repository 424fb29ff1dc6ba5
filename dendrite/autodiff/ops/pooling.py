"""Pooling ops on NHWC arrays: max_pool2d, avg_pool2d and their 1-D forms.

A 2-D pooling is done as two 1-D passes, first over the rows (H), then over the
columns (W); each pass loops over the kernel offsets only, with strided views,
never over pixels or batch items. Padding is never materialised: each kernel
offset works on the range of windows where it falls inside the image, which is
also how 'same' average pooling leaves the padded cells out of its count (as
TensorFlow does). When windows tile the input exactly (pool_size == strides and
no padding) the backward writes each view once instead of zero-filling and
accumulating. Both directions split the batch among the threads of a parallel region
(each thread runs all passes on its own images: max-pool backward 2x faster on two
threads; smaller, cache-sized chunks measured no faster).

Max-pooling gradients go to one element per window, as a max-with-argmax does:
at ties, to the topmost maximum of the leftmost column that holds one.
"""

from ..tape import Op
from .conv.geometry import _over_batch
from .shape import reshape
from ...backend import get_array_module
from ...utils.validation import positive_int_tuple

_PADDINGS = ("valid", "same")


def _by_images(x, part):
    """``part(n0, n1)`` over the batch of ``x``, split among the threads of a parallel region."""
    _over_batch(x.shape[0], part, get_array_module(x), x[0].size if x.shape[0] else 1)


def pool_output_length(length, pool, stride, padding):
    """Output length of a pooling along one axis, with TensorFlow's rules (None stays None).

    'valid': floor((length - pool) / stride) + 1; 'same': ceil(length / stride).
    The result can be <= 0 for a 'valid' pool larger than its input: callers raise.
    """
    if length is None:
        return None
    if padding == "same":
        return -(-length // stride)
    return (length - pool) // stride + 1


def _check_args(name, pool_size, strides, padding, n):
    pool = _as_tuple(pool_size, n, "pool_size", name)
    strides = pool if strides is None else _as_tuple(strides, n, "strides", name)
    padding = str(padding).lower()
    if padding not in _PADDINGS:
        raise ValueError(f"{name}: padding must be 'valid' or 'same'; received padding={padding!r}.")
    return pool, strides, padding


def _as_tuple(value, n, arg, name):
    return positive_int_tuple(name, arg, value, n)


class _Axis:
    """How the windows of one spatial axis map onto the input: one entry per kernel offset."""

    def __init__(self, length, pool, stride, padding):
        self.out = pool_output_length(length, pool, stride, padding)
        pad_total = max((self.out - 1) * stride + pool - length, 0) if padding == "same" else 0
        before = pad_total // 2
        self.identity = pool == 1 and stride == 1
        self.exact = pad_total == 0 and pool == stride and self.out * pool == length
        self.offsets = []  # (output slice, input slice, covers every output)
        for i in range(pool):
            lo = max(0, -((i - before) // stride))
            hi = min(self.out, (length - 1 - i + before) // stride + 1)
            if hi > lo:
                start = lo * stride + i - before
                self.offsets.append((slice(lo, hi), slice(start, start + (hi - lo - 1) * stride + 1, stride),
                                     lo == 0 and hi == self.out))


def _at(axis, index):
    return (slice(None),) * axis + (index,)


def _out_shape(shape, axis, n):
    return shape[:axis] + (n,) + shape[axis + 1:]


def _reduce_pass(xp, a, axis, ax, combine, out=None):
    """Combine (max or add) the views of all kernel offsets along ``axis``, full-range offsets first
    (into ``out`` when given)."""
    order = sorted(ax.offsets, key=lambda o: not o[2])
    if len(order) > 1 and order[1][2]:
        out = combine(a[_at(axis, order[0][1])], a[_at(axis, order[1][1])], out=out)
        rest = order[2:]
    else:
        first = a[_at(axis, order[0][1])]
        if out is None:
            out = first.copy()
        else:
            out[...] = first
        rest = order[1:]
    for osl, isl, _ in rest:
        view = out[_at(axis, osl)]
        combine(view, a[_at(axis, isl)], out=view)
    return out


def _empty_or_zeros(xp, shape, dtype, exact, out):
    """Where a pass's input gradient goes: ``out`` or a new array, zeroed unless every cell gets written."""
    if out is None:
        return xp.empty(shape, dtype) if exact else xp.zeros(shape, dtype)
    if not exact:
        out[...] = 0
    return out


def _max_pass_vjp(xp, a, m, g, axis, ax, out=None):
    """Send each window's gradient to the first input along ``axis`` that equals its maximum."""
    ga = _empty_or_zeros(xp, a.shape, g.dtype, ax.exact, out)
    last = len(ax.offsets) - 1
    taken = None  # windows whose maximum an earlier offset already holds
    for k, (osl, isl, full) in enumerate(ax.offsets):
        if k == last and taken is not None:
            hit = ~taken[_at(axis, osl)]  # not taken earlier, so the maximum is here
        else:
            hit = a[_at(axis, isl)] == m[_at(axis, osl)]
            if taken is None:
                taken = hit if full else xp.zeros(m.shape, dtype=bool)
                if not full:
                    taken[_at(axis, osl)] = hit
            else:
                t = taken[_at(axis, osl)]
                xp.greater(hit, t, out=hit)  # equal here and not taken by an earlier offset
                t |= hit
        dst = ga[_at(axis, isl)]
        if ax.exact:
            xp.multiply(g[_at(axis, osl)], hit, out=dst)
        else:
            dst += g[_at(axis, osl)] * hit
    return ga


def _scaled_count(xp, ax, axis, ndim, dtype):
    """1 / (number of cells of each window inside the input), shaped to broadcast along ``axis``."""
    count = xp.zeros(ax.out, dtype=dtype)
    for osl, _, _ in ax.offsets:
        count[osl] += 1
    shape = [1] * ndim
    shape[axis] = ax.out
    return (1 / count).reshape(shape)


def _avg_pass(xp, a, axis, ax, out=None):
    out = _reduce_pass(xp, a, axis, ax, xp.add, out)
    out *= _scaled_count(xp, ax, axis, a.ndim, a.dtype)
    return out


def _avg_pass_vjp(xp, shape, g, axis, ax, out=None):
    gs = g * _scaled_count(xp, ax, axis, g.ndim, g.dtype)
    ga = _empty_or_zeros(xp, shape, g.dtype, ax.exact, out)
    for osl, isl, _ in ax.offsets:
        dst = ga[_at(axis, isl)]
        if ax.exact:
            dst[...] = gs[_at(axis, osl)]
        else:
            dst += gs[_at(axis, osl)]
    return ga


class _Pool2D(Op):
    """A pooling op over the ``rank`` spatial axes after the batch axis (2; 3 for the 3-D ops, pooling3d.py)."""

    name = "pool2d"
    rank = 2
    _LAYOUT = "(batch, height, width, channels)"

    def __init__(self, pool_size, strides=None, padding="valid"):
        self.pool, self.strides, self.padding = _check_args(self.name, pool_size, strides, padding, self.rank)

    def _axes(self, x):
        if x.ndim != self.rank + 2:
            raise ValueError(f"{self.name}: expected a {self.rank + 2}-D input {self._LAYOUT}; "
                             f"received shape {x.shape}.")
        spatial = x.shape[1:self.rank + 1]
        axes = [_Axis(n, k, s, self.padding) for n, k, s in zip(spatial, self.pool, self.strides)]
        if any(ax.out <= 0 for ax in axes):
            raise ValueError(
                f"{self.name}: pool_size {self.pool} is larger than the input's spatial size {spatial} "
                f"with padding='valid' (input shape {x.shape}). Use padding='same' or a smaller pool_size.")
        return axes

    def _passes(self, x):
        """The (axis, _Axis) passes to run (rows, then columns; none for a 1 x 1 stride-1 pool) and the shape
        after each."""
        passes = [(axis, ax) for axis, ax in enumerate(self._axes(x), start=1) if not ax.identity]
        shapes, shape = [], x.shape
        for axis, ax in passes:
            shape = _out_shape(shape, axis, ax.out)
            shapes.append(shape)
        return passes, shapes


class MaxPool2D(_Pool2D):
    name = "max_pool2d"

    def forward(self, x):
        xp = get_array_module(x)
        self.passes, shapes = self._passes(x)
        if not self.passes:
            return x.copy()
        self.stages = [x] + [xp.empty(shape, x.dtype) for shape in shapes]

        def part(n0, n1):
            for k, (axis, ax) in enumerate(self.passes):
                _reduce_pass(xp, self.stages[k][n0:n1], axis, ax, xp.maximum, self.stages[k + 1][n0:n1])
        _by_images(x, part)
        return self.stages[-1]

    def vjp(self, g, needed):
        xp = get_array_module(g)
        if not self.passes:
            return (g,)
        x = self.stages[0]
        gx = xp.empty(x.shape, g.dtype)

        def part(n0, n1):
            gk = g[n0:n1]
            for k in reversed(range(len(self.passes))):
                axis, ax = self.passes[k]
                gk = _max_pass_vjp(xp, self.stages[k][n0:n1], self.stages[k + 1][n0:n1], gk, axis, ax,
                                   gx[n0:n1] if k == 0 else None)
        _by_images(x, part)
        return (gx,)


class AvgPool2D(_Pool2D):
    name = "avg_pool2d"

    def forward(self, x):
        xp = get_array_module(x)
        self.passes, shapes = self._passes(x)
        if not self.passes:
            return x.copy()
        self.shapes = [x.shape] + shapes
        out = xp.empty(shapes[-1], x.dtype)

        def part(n0, n1):
            a = x[n0:n1]
            for k, (axis, ax) in enumerate(self.passes):
                a = _avg_pass(xp, a, axis, ax, out[n0:n1] if k == len(self.passes) - 1 else None)
        _by_images(x, part)
        return out

    def vjp(self, g, needed):
        xp = get_array_module(g)
        if not self.passes:
            return (g,)
        gx = xp.empty(self.shapes[0], g.dtype)

        def part(n0, n1):
            gk = g[n0:n1]
            for k in reversed(range(len(self.passes))):
                axis, ax = self.passes[k]
                shape = (n1 - n0,) + self.shapes[k][1:]
                gk = _avg_pass_vjp(xp, shape, gk, axis, ax, gx[n0:n1] if k == 0 else None)
        _by_images(gx, part)
        return (gx,)


def max_pool2d(x, pool_size, strides=None, padding="valid"):
    """Max over pool_size windows of an NHWC input, moved by strides (default: pool_size)."""
    return MaxPool2D(pool_size, strides, padding)(x)


def avg_pool2d(x, pool_size, strides=None, padding="valid"):
    """Mean over pool_size windows of an NHWC input; 'same' padding leaves padded cells out of the mean."""
    return AvgPool2D(pool_size, strides, padding)(x)


def _pool1d(op2d, name, x, pool_size, strides, padding):
    if x.ndim != 3:
        raise ValueError(f"{name}: expected a 3-D input (batch, steps, channels); received shape {tuple(x.shape)}.")
    (pool,), (stride,), padding = _check_args(name, pool_size, strides, padding, 1)
    n, steps, c = x.shape
    out = op2d(reshape(x, (n, 1, steps, c)), (1, pool), (1, stride), padding)
    return reshape(out, (n, out.shape[2], c))


def max_pool1d(x, pool_size, strides=None, padding="valid"):
    """Max over windows of a (batch, steps, channels) input."""
    return _pool1d(max_pool2d, "max_pool1d", x, pool_size, strides, padding)


def avg_pool1d(x, pool_size, strides=None, padding="valid"):
    """Mean over windows of a (batch, steps, channels) input."""
    return _pool1d(avg_pool2d, "avg_pool1d", x, pool_size, strides, padding)
