"""Elementwise arithmetic and math ops, each forward beside its vector-Jacobian product."""
import numpy as np

from ..tape import Op
from ..tensor import array_of
from ...backend import get_array_module




def _text(x):
    return x.encode() if isinstance(x, str) else x


def _is_text(x):
    dtype = getattr(x, "dtype", None)
    return isinstance(x, (str, bytes)) or (dtype is not None and dtype.kind in "OSU")


def _join_text(a, b, error):
    """``+`` of string tensors (TensorFlow's tf.add on tf.string): concatenation, a Python str taken as UTF-8."""
    if not (_is_text(a) or _is_text(b)):
        raise error
    if not (_is_text(a) and _is_text(b)):
        other = b if _is_text(a) else a
        raise TypeError(f"+ of a string tensor: both sides must be strings; received "
                        f"{getattr(other, 'dtype', type(other).__name__)}. Format numbers first with "
                        f"tf.strings.as_string (tf.as_string).") from error
    a, b = _text(a), _text(b)
    if isinstance(a, bytes) and isinstance(b, bytes):
        return a + b
    return np.asarray(np.frompyfunc(lambda x, y: _text(x) + _text(y), 2, 1)(a, b), dtype=object)


class Add(Op):
    def forward(self, a, b):
        try:
            return a + b
        except TypeError as error:  # (only strings get here: bytes + str, arrays of bytes + str)
            return _join_text(a, b, error)

    def vjp(self, g, needed):
        return g, g


class Subtract(Op):
    def forward(self, a, b):
        return a - b

    def vjp(self, g, needed):
        return g, (-g if needed[1] else None)


class Multiply(Op):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def vjp(self, g, needed):
        return (g * self.b if needed[0] else None, g * self.a if needed[1] else None)


class Divide(Op):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def vjp(self, g, needed):
        ga = g / self.b if needed[0] else None
        gb = -g * self.a / (self.b * self.b) if needed[1] else None
        return ga, gb


class Negative(Op):
    def forward(self, a):
        return -a

    def vjp(self, g, needed):
        return (-g,)


class Power(Op):
    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = a ** b
        return self.out

    def vjp(self, g, needed):
        xp = get_array_module(g)
        ga = g * self.b * self.a ** (self.b - 1) if needed[0] else None
        gb = None
        if needed[1]:
            safe = xp.where(self.a > 0, self.a, 1)
            gb = g * self.out * xp.log(safe)
        return ga, gb


class Exp(Op):
    def forward(self, a):
        self.out = get_array_module(a).exp(a)
        return self.out

    def vjp(self, g, needed):
        return (g * self.out,)


class Log(Op):
    def forward(self, a):
        self.a = a
        return get_array_module(a).log(a)

    def vjp(self, g, needed):
        return (g / self.a,)


class Sqrt(Op):
    def forward(self, a):
        self.out = get_array_module(a).sqrt(a)
        return self.out

    def vjp(self, g, needed):
        return (g * 0.5 / self.out,)


class Square(Op):
    def forward(self, a):
        self.a = a
        return a * a

    def vjp(self, g, needed):
        return (2 * g * self.a,)


class Abs(Op):
    def forward(self, a):
        self.a = a
        return get_array_module(a).abs(a)

    def vjp(self, g, needed):
        return (g * get_array_module(g).sign(self.a),)


class Clip(Op):
    """Clip to [lo, hi]; the gradient passes where the value was inside the range."""

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def forward(self, a):
        self.a = a
        return get_array_module(a).clip(a, self.lo, self.hi)

    def vjp(self, g, needed):
        inside = (self.a >= self.lo) & (self.a <= self.hi)
        return (g * inside,)


class Where(Op):
    def __init__(self, cond):
        self.cond = cond

    def forward(self, a, b):
        return get_array_module(a, b).where(self.cond, a, b)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        zero = g.dtype.type(0)
        return (xp.where(self.cond, g, zero) if needed[0] else None,
                xp.where(self.cond, zero, g) if needed[1] else None)


class Maximum(Op):
    """Elementwise max; at ties the gradient goes to the first argument."""

    def forward(self, a, b):
        self.mask = a >= b
        return get_array_module(a, b).maximum(a, b)

    def vjp(self, g, needed):
        return (g * self.mask if needed[0] else None, g * ~self.mask if needed[1] else None)


class Minimum(Op):
    """Elementwise min; at ties the gradient goes to the first argument."""

    def forward(self, a, b):
        self.mask = a <= b
        return get_array_module(a, b).minimum(a, b)

    def vjp(self, g, needed):
        return (g * self.mask if needed[0] else None, g * ~self.mask if needed[1] else None)


class Cast(Op):
    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, a):
        self.src = a.dtype
        return a.astype(self.dtype)

    def vjp(self, g, needed):
        return (g.astype(self.src),)


def add(a, b):
    return Add()(a, b)


def subtract(a, b):
    return Subtract()(a, b)


def multiply(a, b):
    return Multiply()(a, b)


def divide(a, b):
    return Divide()(a, b)


def negative(a):
    return Negative()(a)


def power(a, b):
    return Power()(a, b)


def exp(a):
    return Exp()(a)


def log(a):
    return Log()(a)


def sqrt(a):
    return Sqrt()(a)


def square(a):
    return Square()(a)


def abs(a):  # noqa: A001 - mirrors the NumPy / TF name
    return Abs()(a)


def clip(a, lo, hi):
    return Clip(lo, hi)(a)


def where(cond, a, b):
    """Pick ``a`` where ``cond`` is true, else ``b`` (``cond`` is not differentiated)."""
    return Where(array_of(cond))(a, b)


def maximum(a, b):
    return Maximum()(a, b)


def minimum(a, b):
    return Minimum()(a, b)


def cast(a, dtype):
    return Cast(np.dtype(dtype))(a)
