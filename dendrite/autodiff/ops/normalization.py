"""Normalisation ops with fused, closed-form backward passes: batch_norm (training, batch
statistics), batch_norm_inference (given statistics), layer_norm and l2_normalize.

Batch statistics are Keras's: the mean and the *biased* variance over every axis but
the channel axis, computed in two passes (centre first, then square) for accuracy.
Per-channel work runs on a reshaped view of the input (see _Channels): long rows for
channels-last data, per-channel sums through add.reduce and einsum, which need no
temporaries (BLAS matrix-vector products are avoided: multi-threaded OpenBLAS is
erratic on tall, skinny matrices). Inside a parallel region the rows of that view are
split among the threads (runtime.split): partial sums come back in row order and are
added in that order, so results do not depend on the timing of the threads.
"""
import functools

import numpy as np

from ..tape import Op
from .activation import fused_relu, masked, relu_into
from ..tensor import Tensor
from ... import runtime
from ...backend import get_array_module

_ROW = 8192  # target row length of the wide channels-last view


@functools.lru_cache(maxsize=256)
def _rows_per_line(a, c):
    """The largest divisor r of ``a`` with r * c <= _ROW (at least 1)."""
    for r in range(max(_ROW // c, 1), 0, -1):
        if a % r == 0:
            return r
    return 1


class _Channels:
    """Views an array around its channel axis so that per-channel work runs on long rows.

    Channel axis last: (A, C) becomes (A / r, r * C), r whole channel vectors per row,
    and per-channel parameters are tiled r times (NumPy is several times faster on long
    rows than on rows of C elements). Otherwise: (A, C, B), parameters as (C, 1).
    """

    def __init__(self, shape, axis):
        axis %= len(shape)
        self.c = shape[axis]
        a = 1
        for n in shape[:axis]:
            a *= n
        if axis == len(shape) - 1:
            self.r = _rows_per_line(a, self.c) if a else 1
            self.shape = (a // self.r, self.r * self.c)
        else:
            self.r = None
            self.shape = (a, self.c, -1)

    def view(self, x):
        return x.reshape(self.shape)

    def rows(self, xp, fn):
        """``fn(lo, hi)`` over slices of the view's rows, split among the threads of a parallel region
        (one call over all rows for NumPy outside a region, for CuPy, and for the (A, C, B) view)."""
        n = self.shape[0]
        if self.r is None or xp is not np:
            return [fn(0, n)]
        return runtime.split(n, fn, self.shape[1])

    def total(self, parts):
        """Per-channel totals from per-slice partial sums (see row_sum), added in slice order."""
        acc = runtime.sum_in_order(parts)
        return acc.reshape(self.r, self.c).sum(axis=0) if self.r is not None else acc

    def row_sum(self, a):
        """Partial sums of a viewed slice, folded into channels by total()."""
        return a.sum(axis=0) if self.r is not None else a.sum(axis=(0, 2))

    def row_dot(self, xp, a, b):
        """Partial sums of a * b over viewed slices, without a temporary, folded by total()."""
        return xp.einsum("ij,ij->j", a, b) if self.r is not None else xp.einsum("icj,icj->c", a, b)

    def tile(self, xp, p):
        return xp.tile(p, self.r) if self.r is not None else p.reshape(self.c, 1)

    def sum(self, xp, a):
        """Per-channel sum of a viewed array (its rows split over the threads)."""
        return self.total(self.rows(xp, lambda lo, hi: self.row_sum(a[lo:hi])))

    def dot(self, xp, a, b):
        """Per-channel sum of a * b over two viewed arrays (rows split over the threads)."""
        return self.total(self.rows(xp, lambda lo, hi: self.row_dot(xp, a[lo:hi], b[lo:hi])))


def _check_channels(name, x, axis, params):
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"{name}: axis={axis} is out of range for an input of shape {x.shape}.")
    c = x.shape[axis]
    for pname, p in params:
        if p is not None and p.shape != (c,):
            raise ValueError(f"{name}: `{pname}` must have shape ({c},), the size of axis {axis} of the input "
                             f"(shape {x.shape}); received shape {p.shape}.")


class BatchNorm(Op):
    """Training-mode batch normalisation. Inputs: x, then gamma if ``scale``, then beta if ``center``.

    After forward, ``mean`` and ``var`` hold the batch statistics (biased variance). With ``relu``,
    max(., 0) of the normalised output is returned, applied slice by slice in the normalising pass (no
    separate pass over the output); the backward masks the gradient in its own passes.
    """

    def __init__(self, axis=-1, epsilon=1e-3, scale=True, center=True, relu=False):
        self.axis, self.epsilon, self.scale, self.center, self.relu = axis, epsilon, scale, center, relu

    def forward(self, x, *params):
        xp = get_array_module(x)
        gamma = params[0] if self.scale else None
        beta = params[-1] if self.center else None
        _check_channels("batch_norm", x, self.axis, (("gamma", gamma), ("beta", beta)))
        if x.size == 0:
            raise ValueError(f"batch_norm: cannot compute batch statistics of an empty input (shape {x.shape}).")
        self.m = x.size // x.shape[self.axis]
        ch = self.ch = _Channels(x.shape, self.axis)
        self.shape = x.shape
        dt = x.dtype.type
        xv = ch.view(x)
        self.mean = ch.sum(xp, xv) / dt(self.m)
        xhat = xp.empty(xv.shape, x.dtype)
        mean_t = ch.tile(xp, self.mean)

        def centre(lo, hi):
            xp.subtract(xv[lo:hi], mean_t, out=xhat[lo:hi])
            return ch.row_dot(xp, xhat[lo:hi], xhat[lo:hi])
        self.var = ch.total(ch.rows(xp, centre)) / dt(self.m)
        self.inv = 1 / xp.sqrt(self.var + dt(self.epsilon))
        self.gamma, self.beta = gamma, beta
        inv_t = ch.tile(xp, self.inv)
        beta_t = None if beta is None else ch.tile(xp, beta)
        self.mask = xp.empty(xv.shape, bool) if self.relu and self.recording else None
        if gamma is None:
            # y = xhat (+ beta) is built in place; backward recovers xhat from y and beta
            out = xp.empty(xv.shape, x.dtype) if self.relu else xhat

            def scale(lo, hi):
                xhat[lo:hi] *= inv_t
                if beta_t is not None:
                    xhat[lo:hi] += beta_t
                if self.relu:
                    relu_into(xhat[lo:hi], None if self.mask is None else self.mask[lo:hi], out[lo:hi])
            ch.rows(xp, scale)
            self.y = xhat
            return out.reshape(x.shape)
        self.xhat = xhat
        y = xp.empty(xv.shape, x.dtype)
        gamma_t = ch.tile(xp, gamma)

        def scale_shift(lo, hi):
            xhat[lo:hi] *= inv_t
            xp.multiply(xhat[lo:hi], gamma_t, out=y[lo:hi])
            if beta_t is not None:
                y[lo:hi] += beta_t
            if self.relu:  # backward needs xhat only, so the relu can overwrite y
                relu_into(y[lo:hi], None if self.mask is None else self.mask[lo:hi], y[lo:hi])
        ch.rows(xp, scale_shift)
        return y.reshape(x.shape)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        ch = self.ch
        gv = ch.view(g)
        m = g.dtype.type(self.m)
        xhat_like = self.y if self.gamma is None else self.xhat
        mask = self.mask if self.relu else None

        def sums(lo, hi):
            gs = gv[lo:hi] if mask is None else gv[lo:hi] * mask[lo:hi]  # the relu gradient, slice by slice
            return ch.row_sum(gs), ch.row_dot(xp, gs, xhat_like[lo:hi])
        sums = ch.rows(xp, sums)
        sg = ch.total([a for a, _ in sums])
        sgx = ch.total([b for _, b in sums])
        if self.gamma is None:
            # xhat = y - beta, so sum(g * xhat) = sum(g * y) - beta * sum(g)
            if self.beta is not None:
                sgx -= self.beta * sg
            k1 = self.inv
        else:
            k1 = self.gamma * self.inv
        dx = None
        if needed[0]:
            # dx = k1 * (g - mean(g) - xhat * mean(g * xhat))
            k2 = k1 * sgx / m
            shift = -k1 * sg / m
            if self.gamma is None and self.beta is not None:
                shift += self.beta * k2
            k1_t, k2_t, shift_t = ch.tile(xp, k1), ch.tile(xp, k2), ch.tile(xp, shift)
            dx = xp.empty(gv.shape, g.dtype)

            def grad(lo, hi):
                d = dx[lo:hi]
                xp.multiply(gv[lo:hi], k1_t, out=d)
                if mask is not None:
                    d *= mask[lo:hi]
                tmp = xhat_like[lo:hi] * k2_t
                d -= tmp
                d += shift_t
            ch.rows(xp, grad)
            dx = dx.reshape(self.shape)
        grads = [dx]
        if self.scale:
            grads.append(sgx if needed[1] else None)
        if self.center:
            grads.append(sg if needed[-1] else None)
        return tuple(grads)


def inference_affine(mean, var, gamma, beta, epsilon):
    """Batch normalisation with given statistics as a per-channel affine map, x * a + shift:
    returns ``(1 / sqrt(var + epsilon), a, shift)`` (gamma and beta may be None)."""
    xp = get_array_module(mean, var)
    inv = 1 / xp.sqrt(var + var.dtype.type(epsilon))
    a = inv if gamma is None else gamma * inv
    shift = -mean * a
    return inv, a, (shift if beta is None else shift + beta)  # not in place: beta may have the wider dtype


class BatchNormInference(Op):
    """(x - mean) / sqrt(variance + epsilon) * gamma + beta with given statistics.

    Inputs: x, mean, variance, then gamma if ``scale``, then beta if ``center``; all differentiable.
    """

    def __init__(self, axis=-1, epsilon=1e-3, scale=True, center=True, relu=False):
        self.axis, self.epsilon, self.scale, self.center, self.relu = axis, epsilon, scale, center, relu

    def forward(self, x, mean, var, *params):
        xp = get_array_module(x)
        gamma = params[0] if self.scale else None
        beta = params[-1] if self.center else None
        _check_channels("batch_norm_inference", x, self.axis,
                        (("mean", mean), ("variance", var), ("gamma", gamma), ("beta", beta)))
        ch = self.ch = _Channels(x.shape, self.axis)
        self.x, self.mean, self.gamma = x, mean, gamma
        self.inv, self.a, shift = inference_affine(mean, var, gamma, beta, self.epsilon)
        y = ch.view(x) * ch.tile(xp, self.a)
        y += ch.tile(xp, shift)
        if self.relu:
            self.mask = xp.empty(y.shape, bool) if self.recording else None
            relu_into(y, self.mask, y)
        return y.reshape(x.shape)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        ch = self.ch
        gv = ch.view(g)
        if self.relu:
            gv = masked(gv, self.mask)
        dx = (gv * ch.tile(xp, self.a)).reshape(g.shape) if needed[0] else None
        want_gamma = self.scale and needed[3]
        sg = ch.sum(xp, gv) if (needed[1] or needed[2] or want_gamma or (self.center and needed[-1])) else None
        sgxc = None
        if needed[2] or want_gamma:
            # sum(g * (x - mean)) = sum(g * x) - mean * sum(g)
            sgxc = ch.dot(xp, gv, ch.view(self.x)) - self.mean * sg
        grads = [dx, -sg * self.a if needed[1] else None,
                 sgxc * self.a * self.inv * self.inv * g.dtype.type(-0.5) if needed[2] else None]
        if self.scale:
            grads.append(sgxc * self.inv if needed[3] else None)
        if self.center:
            grads.append(sg if needed[-1] else None)
        return tuple(grads)


class LayerNorm(Op):
    """Normalises each sample over ``axes`` (sorted, non-negative); gamma and beta have the shape
    of those axes. Inputs: x, then gamma if ``scale``, then beta if ``center``."""

    def __init__(self, axes, epsilon=1e-3, scale=True, center=True):
        self.axes, self.epsilon, self.scale, self.center = tuple(axes), epsilon, scale, center

    def forward(self, x, *params):
        xp = get_array_module(x)
        self.bshape = tuple(n if i in self.axes else 1 for i, n in enumerate(x.shape))
        pshape = tuple(x.shape[i] for i in self.axes)
        gamma = params[0] if self.scale else None
        beta = params[-1] if self.center else None
        for pname, p in (("gamma", gamma), ("beta", beta)):
            if p is not None and p.shape != pshape:
                raise ValueError(f"layer_norm: `{pname}` must have shape {pshape} (the input's sizes on axes "
                                 f"{self.axes}; input shape {x.shape}); received shape {p.shape}.")
        dt = x.dtype.type
        self.n = 1
        for i in self.axes:
            self.n *= x.shape[i]
        mean = x.mean(axis=self.axes, keepdims=True)
        xhat = x - mean
        var = xp.square(xhat).mean(axis=self.axes, keepdims=True)
        self.inv = 1 / xp.sqrt(var + dt(self.epsilon))
        xhat *= self.inv
        self.xhat = xhat
        self.gamma = None if gamma is None else gamma.reshape(self.bshape)
        y = xhat if gamma is None else xhat * self.gamma
        if beta is not None:
            y = y + beta.reshape(self.bshape)
        return y

    def vjp(self, g, needed):
        other = tuple(i for i in range(g.ndim) if i not in self.axes)
        dx = None
        if needed[0]:
            gx = g if self.gamma is None else g * self.gamma
            dx = gx - gx.mean(axis=self.axes, keepdims=True)
            dx -= self.xhat * (gx * self.xhat).mean(axis=self.axes, keepdims=True)
            dx *= self.inv
        grads = [dx]
        pshape = tuple(g.shape[i] for i in self.axes)
        if self.scale:
            grads.append((g * self.xhat).sum(axis=other).reshape(pshape) if needed[1] else None)
        if self.center:
            grads.append(g.sum(axis=other).reshape(pshape) if needed[-1] else None)
        return tuple(grads)


class L2Normalize(Op):
    """x / max(||x||, epsilon), the L2 norm taken over ``axes`` of each sample."""

    def __init__(self, axes, epsilon):
        self.axes, self.epsilon = axes, epsilon

    def forward(self, x):
        xp = get_array_module(x)
        squares = (x * x).sum(axis=self.axes, keepdims=True)
        self.above = squares > x.dtype.type(self.epsilon) ** 2  # where the norm, not epsilon, divides
        self.norm = xp.sqrt(xp.maximum(squares, x.dtype.type(self.epsilon) ** 2))
        self.y = x / self.norm
        return self.y

    def vjp(self, g, needed):
        along = (g * self.y).sum(axis=self.axes, keepdims=True) * self.above
        return ((g - self.y * along) / self.norm,)


def _params(gamma, beta):
    return [p for p in (gamma, beta) if p is not None]


def batch_norm(x, gamma=None, beta=None, axis=-1, epsilon=1e-3, activation=None):
    """Training-mode batch normalisation over every axis but ``axis``.

    Returns ``(y, batch_mean, batch_variance)``: y is differentiable with respect to
    x, gamma and beta; the statistics (biased variance) are plain, non-differentiable
    Tensors of shape (channels,), for updating moving averages. ``activation='relu'``
    returns max(y, 0) instead, computed inside the op (one op and no extra pass over the output).
    """
    op = BatchNorm(axis, epsilon, gamma is not None, beta is not None, fused_relu(activation, "batch_norm"))
    y = op(x, *_params(gamma, beta))
    return y, Tensor(op.mean), Tensor(op.var)


def batch_norm_inference(x, mean, variance, gamma=None, beta=None, axis=-1, epsilon=1e-3, activation=None):
    """(x - mean) / sqrt(variance + epsilon) * gamma + beta along channel ``axis``, with given statistics;
    ``activation='relu'`` as for batch_norm."""
    op = BatchNormInference(axis, epsilon, gamma is not None, beta is not None,
                            fused_relu(activation, "batch_norm_inference"))
    return op(x, mean, variance, *_params(gamma, beta))


def layer_norm(x, gamma=None, beta=None, axis=-1, epsilon=1e-3):
    """Normalise each sample over ``axis`` (an int or a list of ints), then scale by gamma and shift by beta."""
    ndim = len(x.shape)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    if not axes or any(not -ndim <= a < ndim for a in axes):
        raise ValueError(f"layer_norm: axis={axis!r} is out of range for an input of shape {tuple(x.shape)}.")
    axes = tuple(sorted({a % ndim for a in axes}))
    return LayerNorm(axes, epsilon, gamma is not None, beta is not None)(x, *_params(gamma, beta))


def l2_normalize(x, axis=-1, epsilon=1e-12):
    """``x / max(sqrt(sum(x**2, axis)), epsilon)`` (keras.ops.normalize with order=2): ``axis`` an int or a list
    of ints; a vector whose norm is below ``epsilon`` is divided by epsilon (a zero vector stays zero, with a
    finite gradient)."""
    ndim = len(x.shape)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    if not axes or any(not -ndim <= a < ndim for a in axes):
        raise ValueError(f"l2_normalize: axis={axis!r} is out of range for an input of shape {tuple(x.shape)}.")
    return L2Normalize(tuple(sorted({a % ndim for a in axes})), epsilon)(x)
