"""Reductions over axes: sum, mean, max, min, logsumexp."""
from ..tape import Op
from ...backend import get_array_module


def _norm_axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim for a in axis) if ndim else ()


def _expand(g, axes, shape):
    """Bring a reduced gradient back to a shape that broadcasts against ``shape``."""
    if g.ndim != len(shape):
        kept = [1 if i in axes else n for i, n in enumerate(shape)]
        g = g.reshape(kept)
    return g


class Sum(Op):
    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, a):
        self.shape = a.shape
        self.axes = _norm_axes(self.axis, a.ndim)
        return get_array_module(a).asarray(a.sum(axis=self.axes, keepdims=self.keepdims))

    def vjp(self, g, needed):
        xp = get_array_module(g)
        return (xp.broadcast_to(_expand(g, self.axes, self.shape), self.shape),)


class Mean(Op):
    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, a):
        self.shape = a.shape
        self.axes = _norm_axes(self.axis, a.ndim)
        n = 1
        for ax in self.axes:
            n *= a.shape[ax]
        self.n = n or 1
        return get_array_module(a).asarray(a.mean(axis=self.axes, keepdims=self.keepdims))

    def vjp(self, g, needed):
        xp = get_array_module(g)
        return (xp.broadcast_to(_expand(g, self.axes, self.shape) / g.dtype.type(self.n), self.shape),)


class _Extreme(Op):
    """Max or min over axes; ties share the gradient equally."""

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, a):
        xp = get_array_module(a)
        self.a = a
        self.axes = _norm_axes(self.axis, a.ndim)
        self.out = xp.asarray(self._reduce(a, axis=self.axes, keepdims=True))
        return self.out if self.keepdims else self.out.reshape(
            [n for i, n in enumerate(a.shape) if i not in self.axes])

    def vjp(self, g, needed):
        mask = self.a == self.out
        count = mask.sum(axis=self.axes, keepdims=True)
        return (_expand(g, self.axes, self.a.shape) * mask / count.astype(g.dtype),)


class Max(_Extreme):
    @staticmethod
    def _reduce(a, axis, keepdims):
        return a.max(axis=axis, keepdims=keepdims)


class Min(_Extreme):
    @staticmethod
    def _reduce(a, axis, keepdims):
        return a.min(axis=axis, keepdims=keepdims)


class LogSumExp(Op):
    """log(sum(exp(a))) computed after subtracting the max, so it never overflows."""

    def __init__(self, axis=-1, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, a):
        xp = get_array_module(a)
        self.axes = _norm_axes(self.axis, a.ndim)
        m = a.max(axis=self.axes, keepdims=True)
        e = xp.exp(a - m)
        s = e.sum(axis=self.axes, keepdims=True)
        self.softmax = e / s
        out = xp.log(s) + m
        self.shape = a.shape
        return out if self.keepdims else out.reshape([n for i, n in enumerate(a.shape) if i not in self.axes])

    def vjp(self, g, needed):
        return (_expand(g, self.axes, self.shape) * self.softmax,)


def sum(a, axis=None, keepdims=False):  # noqa: A001
    return Sum(axis, keepdims)(a)


def mean(a, axis=None, keepdims=False):
    return Mean(axis, keepdims)(a)


def max(a, axis=None, keepdims=False):  # noqa: A001
    return Max(axis, keepdims)(a)


def min(a, axis=None, keepdims=False):  # noqa: A001
    return Min(axis, keepdims)(a)


def logsumexp(a, axis=-1, keepdims=False):
    return LogSumExp(axis, keepdims)(a)
