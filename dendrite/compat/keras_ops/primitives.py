"""The differentiable primitives keras.ops (and the tf functions built on it) need beyond dendrite.autodiff.ops:
elementwise functions given with their derivative (sin, arctan, erf, ...), cumulative sums and products, the
product reduction and einsum. Each is an autodiff Op (forward beside its vector-Jacobian product), so a
GradientTape follows it; dendrite.autodiff.ops itself stays as dendrite's own code uses it."""
import math

import numpy as np

from ...autodiff.ops.activation import _erf
from ...autodiff.ops.shape import ScatterAdd  # noqa: F401 - keras.ops' scatter, defined beside getitem
from ...autodiff.tape import Op
from ...backend import get_array_module


class Elementwise(Op):
    """``forward(xp, a)`` with derivative ``grad(xp, a, out)``: the output's gradient times f'(a)."""

    def __init__(self, forward, grad):
        self.f, self.df = forward, grad

    def forward(self, a):
        xp = get_array_module(a)
        self.a = a
        self.out = xp.asarray(self.f(xp, a)).astype(a.dtype, copy=False)
        return self.out

    def vjp(self, g, needed):
        return ((g * self.df(get_array_module(g), self.a, self.out)).astype(g.dtype, copy=False),)


def _erfinv(xp, y):
    try:
        from scipy.special import erfinv
        return erfinv(y)
    except ImportError:  # pragma: no cover - scipy is optional: Winitzki's first guess, then Newton steps
        ln = xp.log(xp.maximum(1.0 - y * y, 1e-300))
        t = 2 / (math.pi * 0.147) + ln / 2
        x = xp.sign(y) * xp.sqrt(xp.sqrt(t * t - ln / 0.147) - t)
        for _ in range(3):
            x = x - (_erf(xp, x) - y) / (2 / math.sqrt(math.pi) * xp.exp(-x * x))
        return xp.where(xp.abs(y) >= 1, xp.sign(y) * xp.inf, x)


_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)

#: name -> (forward(xp, a), derivative(xp, a, out))
UNARY = {
    "sin": (lambda xp, a: xp.sin(a), lambda xp, a, y: xp.cos(a)),
    "cos": (lambda xp, a: xp.cos(a), lambda xp, a, y: -xp.sin(a)),
    "tan": (lambda xp, a: xp.tan(a), lambda xp, a, y: 1 + y * y),
    "arcsin": (lambda xp, a: xp.arcsin(a), lambda xp, a, y: 1 / xp.sqrt(1 - a * a)),
    "arccos": (lambda xp, a: xp.arccos(a), lambda xp, a, y: -1 / xp.sqrt(1 - a * a)),
    "arctan": (lambda xp, a: xp.arctan(a), lambda xp, a, y: 1 / (1 + a * a)),
    "sinh": (lambda xp, a: xp.sinh(a), lambda xp, a, y: xp.cosh(a)),
    "cosh": (lambda xp, a: xp.cosh(a), lambda xp, a, y: xp.sinh(a)),
    "arcsinh": (lambda xp, a: xp.arcsinh(a), lambda xp, a, y: 1 / xp.sqrt(a * a + 1)),
    "arccosh": (lambda xp, a: xp.arccosh(a), lambda xp, a, y: 1 / xp.sqrt(a * a - 1)),
    "arctanh": (lambda xp, a: xp.arctanh(a), lambda xp, a, y: 1 / (1 - a * a)),
    "expm1": (lambda xp, a: xp.expm1(a), lambda xp, a, y: y + 1),
    "log1p": (lambda xp, a: xp.log1p(a), lambda xp, a, y: 1 / (1 + a)),
    "exp2": (lambda xp, a: xp.exp2(a), lambda xp, a, y: y * math.log(2)),
    "log2": (lambda xp, a: xp.log2(a), lambda xp, a, y: 1 / (a * math.log(2))),
    "log10": (lambda xp, a: xp.log10(a), lambda xp, a, y: 1 / (a * math.log(10))),
    "cbrt": (lambda xp, a: xp.cbrt(a), lambda xp, a, y: 1 / (3 * y * y)),
    "rsqrt": (lambda xp, a: 1 / xp.sqrt(a), lambda xp, a, y: -0.5 * y * y * y),
    "reciprocal": (lambda xp, a: 1 / a, lambda xp, a, y: -y * y),
    "erf": (lambda xp, a: _erf(xp, a), lambda xp, a, y: _TWO_OVER_SQRT_PI * xp.exp(-a * a)),
    "erfc": (lambda xp, a: 1 - _erf(xp, a), lambda xp, a, y: -_TWO_OVER_SQRT_PI * xp.exp(-a * a)),
    "erfinv": (_erfinv, lambda xp, a, y: math.sqrt(math.pi) / 2 * xp.exp(y * y)),
    "sinc": (lambda xp, a: xp.sinc(a),
             lambda xp, a, y: xp.where(a == 0, 0.0, (xp.cos(math.pi * a) - y) / xp.where(a == 0, 1.0, a))),
    "lgamma": (lambda xp, a: np.vectorize(math.lgamma, otypes=[a.dtype])(a), lambda xp, a, y: digamma(xp, a)),
}


def digamma(xp, x):
    """The digamma function (the derivative of lgamma): recurrence up to x >= 6, then the asymptotic series."""
    x = xp.asarray(x, dtype=np.float64)
    reflect = x < 0.5
    z = xp.where(reflect, 1 - x, x)
    acc = xp.zeros_like(z)
    while True:
        small = z < 6
        if not small.any():
            break
        acc = acc - xp.where(small, 1 / z, 0)
        z = xp.where(small, z + 1, z)
    inv2 = 1 / (z * z)
    out = acc + xp.log(z) - 0.5 / z - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (
        1 / 240 - inv2 / 132))))
    return xp.where(reflect, out - math.pi / xp.tan(math.pi * xp.where(reflect, x, 0.5)), out)


def unary(name, a):
    op = Elementwise(*UNARY[name])
    op.name = name  # what an error about its (missing) second derivative calls it
    return op(a)


class Arctan2(Op):
    def forward(self, a, b):
        self.a, self.b = a, b
        return get_array_module(a, b).arctan2(a, b)

    def vjp(self, g, needed):
        r = self.a * self.a + self.b * self.b
        return (g * self.b / r if needed[0] else None, -g * self.a / r if needed[1] else None)


class Cumulative(Op):
    """Cumulative sum or product along ``axis``, optionally exclusive and/or from the end (TensorFlow's
    ``exclusive`` / ``reverse``)."""

    def __init__(self, axis, product=False, exclusive=False, reverse=False):
        self.axis, self.product, self.exclusive, self.reverse = axis, product, exclusive, reverse

    def _scan(self, xp, a, reverse):
        a = xp.flip(a, self.axis) if reverse else a
        out = (xp.cumprod if self.product else xp.cumsum)(a, axis=self.axis, dtype=a.dtype)
        if self.exclusive:
            first = xp.ones_like if self.product else xp.zeros_like
            head = first(xp.take(out, [0], axis=self.axis))
            out = xp.concatenate([head, xp.take(out, range(out.shape[self.axis] - 1), axis=self.axis)], self.axis)
        return xp.flip(out, self.axis) if reverse else out

    def forward(self, a):
        self.a = a
        self.out = self._scan(get_array_module(a), a, self.reverse)
        return self.out

    def vjp(self, g, needed):
        xp = get_array_module(g)
        if not self.product:
            return (self._scan(xp, g, not self.reverse),)
        # d out_j / d a_i = out_j / a_i for the j that include i (as TensorFlow's gradient, exact for a_i != 0)
        total = _cumulate_sum(xp, g * self.out, self.axis, self.exclusive, not self.reverse)
        return (total / self.a,)


def _cumulate_sum(xp, x, axis, exclusive, reverse):
    return Cumulative(axis, False, exclusive, reverse)._scan(xp, x, reverse)


class Prod(Op):
    """The product over ``axes``; its gradient is the product of the other factors (exact with zeros)."""

    def __init__(self, axes, keepdims):
        self.axes, self.keepdims = axes, keepdims

    def forward(self, a):
        xp = get_array_module(a)
        self.a = a
        self.axes_ = tuple(range(a.ndim)) if self.axes is None else tuple(x % a.ndim for x in self.axes)
        return xp.asarray(xp.prod(a, axis=self.axes_, keepdims=self.keepdims))

    def vjp(self, g, needed):
        xp = get_array_module(g)
        a = self.a
        kept = [i for i in range(a.ndim) if i not in self.axes_]
        moved = xp.transpose(a, kept + list(self.axes_))
        flat = moved.reshape(moved.shape[:len(kept)] + (-1,))
        ones = xp.ones(flat.shape[:-1] + (1,), a.dtype)
        left = xp.cumprod(xp.concatenate([ones, flat[..., :-1]], -1), -1)
        right = xp.flip(xp.cumprod(xp.concatenate([ones, xp.flip(flat, -1)[..., :-1]], -1), -1), -1)
        others = (left * right).reshape(moved.shape)
        grad = xp.transpose(others, np.argsort(kept + list(self.axes_)))
        g = g.reshape([1 if i in self.axes_ else n for i, n in enumerate(a.shape)])
        return (grad * g,)


class Einsum(Op):
    """``numpy.einsum`` with explicit output subscripts and no ellipsis (einsum() rewrites the equation so):
    the gradient of each operand is the einsum of the output gradient with the other operands."""

    def __init__(self, inputs, output):
        self.inputs, self.output = inputs, output

    def forward(self, *arrays):
        self.arrays = arrays
        return get_array_module(*arrays).einsum(f"{','.join(self.inputs)}->{self.output}", *arrays)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        grads = []
        for i, (subs, need) in enumerate(zip(self.inputs, needed)):
            if not need:
                grads.append(None)
                continue
            others = [s for j, s in enumerate(self.inputs) if j != i]
            arrays = [a for j, a in enumerate(self.arrays) if j != i]
            present = set(self.output).union(*others)
            unique = "".join(dict.fromkeys(c for c in subs if c in present))
            part = xp.einsum(f"{','.join([self.output] + others)}->{unique}", g, *arrays)
            grads.append(_place(xp, part, unique, subs, self.arrays[i].shape))
        return tuple(grads)


def _place(xp, part, unique, subs, shape):
    """The gradient for operand subscripts ``subs`` from ``part`` (subscripts ``unique``): broadcast over
    subscripts summed in that operand alone, and laid on the diagonal where a subscript repeats."""
    sizes = dict(zip(subs, shape))
    full = "".join(dict.fromkeys(subs))
    for c in full:
        if c not in unique:
            part = xp.broadcast_to(part[..., None], part.shape + (sizes[c],))
            unique += c
    part = xp.einsum(f"{unique}->{full}", part)
    if len(full) == len(subs):
        return xp.einsum(f"{full}->{subs}", part)
    out = xp.zeros(shape, part.dtype)
    xp.einsum(f"{subs}->{full}", out)[...] = part  # a repeated subscript: the gradient sits on the diagonal
    return out


class CustomGradient(Op):
    """An op whose forward value was computed already and whose gradient is the user's ``grad_fn``
    (tf.custom_gradient / keras.ops.custom_gradient). ``n_inputs`` leading inputs are the function's tensors;
    the rest are the variables it used, whose gradients grad_fn returns as its second result."""

    def __init__(self, value, grad_fn, n_inputs, variables):
        self.value, self.grad_fn, self.n_inputs, self.variables = value, grad_fn, n_inputs, variables

    def forward(self, *arrays):
        return self.value

    def vjp(self, g, needed):
        from ...autodiff import Tensor
        from ...autodiff.tensor import array_of
        upstream = Tensor(g)
        if self.variables:
            grads, var_grads = self.grad_fn(upstream, variables=self.variables)
        else:
            grads, var_grads = self.grad_fn(upstream), []
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        if len(grads) != self.n_inputs or len(list(var_grads)) != len(self.variables):
            raise ValueError(f"custom_gradient: the gradient function returned {len(grads)} input gradient(s) and "
                             f"{len(list(var_grads))} variable gradient(s); expected one per tensor input "
                             f"({self.n_inputs}) and one per variable used ({len(self.variables)}).")
        return tuple(None if v is None else array_of(v) for v in grads + list(var_grads))
