"""Elementwise functions given by their value and derivative (trigonometric, hyperbolic, and their inverses,
``expm1``, ``log1p``, ``rsqrt``, ``erf``, ``erfc``), and ``atan2``: one op class each family, forward beside
its vector-Jacobian product. NumPy has no ``erf``; it is computed with ``math.erf`` element by element."""
import math

import numpy as np

from ..tape import Op
from ...backend import get_array_module


def _erf(xp, a):
    values = np.vectorize(math.erf, otypes=[np.float64])(np.asarray(a))
    return xp.asarray(values.astype(a.dtype if a.dtype.kind == "f" else np.float64))


# name: (value(xp, a), derivative(xp, a, value))
_TABLE = {
    "sin": (lambda xp, a: xp.sin(a), lambda xp, a, y: xp.cos(a)),
    "cos": (lambda xp, a: xp.cos(a), lambda xp, a, y: -xp.sin(a)),
    "tan": (lambda xp, a: xp.tan(a), lambda xp, a, y: 1 + y * y),
    "asin": (lambda xp, a: xp.arcsin(a), lambda xp, a, y: 1 / xp.sqrt(1 - a * a)),
    "acos": (lambda xp, a: xp.arccos(a), lambda xp, a, y: -1 / xp.sqrt(1 - a * a)),
    "atan": (lambda xp, a: xp.arctan(a), lambda xp, a, y: 1 / (1 + a * a)),
    "sinh": (lambda xp, a: xp.sinh(a), lambda xp, a, y: xp.cosh(a)),
    "cosh": (lambda xp, a: xp.cosh(a), lambda xp, a, y: xp.sinh(a)),
    "asinh": (lambda xp, a: xp.arcsinh(a), lambda xp, a, y: 1 / xp.sqrt(a * a + 1)),
    "acosh": (lambda xp, a: xp.arccosh(a), lambda xp, a, y: 1 / xp.sqrt(a * a - 1)),
    "atanh": (lambda xp, a: xp.arctanh(a), lambda xp, a, y: 1 / (1 - a * a)),
    "expm1": (lambda xp, a: xp.expm1(a), lambda xp, a, y: y + 1),
    "log1p": (lambda xp, a: xp.log1p(a), lambda xp, a, y: 1 / (1 + a)),
    "rsqrt": (lambda xp, a: 1 / xp.sqrt(a), lambda xp, a, y: -0.5 * y * y * y),
    "erf": (_erf, lambda xp, a, y: (2 / math.sqrt(math.pi)) * xp.exp(-a * a)),
    "erfc": (lambda xp, a: 1 - _erf(xp, a), lambda xp, a, y: -(2 / math.sqrt(math.pi)) * xp.exp(-a * a)),
}


class Unary(Op):
    """``y = f(a)`` for one of the functions of the table; the gradient is ``g * f'(a)``."""

    def __init__(self, name):
        self.f, self.df = _TABLE[name]

    def forward(self, a):
        xp = get_array_module(a)
        self.a = a
        self.out = self.f(xp, a)
        return self.out

    def vjp(self, g, needed):
        return (g * self.df(get_array_module(self.a), self.a, self.out).astype(g.dtype, copy=False),)


class Atan2(Op):
    """``atan2(y, x)``: the angle of the point (x, y); d/dy = x / (x² + y²), d/dx = -y / (x² + y²)."""

    def forward(self, y, x):
        self.y, self.x = y, x
        return get_array_module(y).arctan2(y, x)

    def vjp(self, g, needed):
        r2 = self.x * self.x + self.y * self.y
        return (g * self.x / r2 if needed[0] else None, g * -self.y / r2 if needed[1] else None)


def unary(name, a):
    """Apply the table's function ``name`` to the tensor ``a`` (recorded on the tape)."""
    return Unary(name)(a)


def atan2(y, x):
    return Atan2()(y, x)


NAMES = tuple(_TABLE)
