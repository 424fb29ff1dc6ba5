"""Activation ops. softmax and sigmoid outputs remember their logits (``Tensor.logits``)
so that cross-entropy can take the exact, never-NaN path from logits, as tf.keras does."""
import math

import numpy as np

from ..tape import Op
from ... import runtime
from ...backend import get_array_module


_ZERO_ROW = 4096  # values per row compared against one cached row of zeros (see relu_into)
_zeros = {}  # dtype -> a read-only array of zeros, grown as needed


def _zero_row(n, dtype):
    z = _zeros.get(dtype)
    if z is None or z.size < n:
        z = np.zeros(max(n, _ZERO_ROW), dtype)
        z.flags.writeable = False
        _zeros[dtype] = z
    return z[:n]


def relu_into(x, mask, out):
    """out = max(x, 0) (``out`` may be ``x``), recording ``mask = x > 0`` for the gradient unless mask is None.
    The one relu of the ops that apply it inside their own passes (relu, conv2d, batch_norm).

    NumPy 2.4's maximum against the scalar 0 takes a loop ~3x slower than against an array (float32, 300k
    values: 84 against 27 us). So large arrays are compared row by row with one short cached row of
    zeros, which stays in cache (a full-size zero array costs a memory stream: measured slower in
    batch norm's pass): the array's own rows when they are long (1k to 16k values), else rows of _ZERO_ROW
    values."""
    xp = get_array_module(x)
    if mask is not None:
        xp.greater(x, 0, out=mask)
    if xp is not np or x.size < _ZERO_ROW:
        xp.maximum(x, 0, out=out)
    elif x.ndim >= 2 and _ZERO_ROW // 4 <= x.shape[-1] <= 4 * _ZERO_ROW:
        xp.maximum(x, _zero_row(x.shape[-1], x.dtype), out=out)
    elif x.flags.c_contiguous and out.flags.c_contiguous:
        flat, dst, whole = x.reshape(-1), out.reshape(-1), x.size // _ZERO_ROW * _ZERO_ROW
        zeros = _zero_row(_ZERO_ROW, x.dtype)
        xp.maximum(flat[:whole].reshape(-1, _ZERO_ROW), zeros, out=dst[:whole].reshape(-1, _ZERO_ROW))
        xp.maximum(flat[whole:], zeros[:x.size - whole], out=dst[whole:])
    else:
        xp.maximum(x, 0, out=out)


def fused_relu(activation, op):
    """Whether an op's ``activation`` argument asks for a fused relu (None or 'relu' only)."""
    if activation not in (None, "relu"):
        raise ValueError(f"{op}: `activation` must be None or 'relu' (applied inside the op); "
                         f"received activation={activation!r}.")
    return activation == "relu"


class Relu(Op):
    def forward(self, x):
        xp = get_array_module(x)
        out = xp.empty_like(x)
        self.mask = xp.empty(x.shape, bool) if self.recording else None  # inference: no mask to keep
        runtime.split_flat(relu_into, x, self.mask, out)
        return out

    def vjp(self, g, needed):
        return (masked(g, self.mask),)


def masked(g, mask):
    """``g * mask`` (the relu gradient), split over the threads of a parallel region."""
    xp = get_array_module(g)
    out = xp.empty_like(g)
    runtime.split_flat(lambda a, m, o: xp.multiply(a, m, out=o), g, mask, out)
    return out


class LeakyRelu(Op):
    def __init__(self, negative_slope=0.2):
        self.slope = negative_slope

    def forward(self, x):
        xp = get_array_module(x)
        self.mask = x > 0
        return xp.where(self.mask, x, x * x.dtype.type(self.slope))

    def vjp(self, g, needed):
        xp = get_array_module(g)
        return (xp.where(self.mask, g, g * g.dtype.type(self.slope)),)


class Sigmoid(Op):
    def forward(self, x):
        xp = get_array_module(x)
        # exp of a non-positive number only: no overflow for large |x|
        e = xp.exp(-xp.abs(x))
        self.out = xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        return self.out

    def vjp(self, g, needed):
        return (g * self.out * (1 - self.out),)


class Tanh(Op):
    def forward(self, x):
        self.out = get_array_module(x).tanh(x)
        return self.out

    def vjp(self, g, needed):
        return (g * (1 - self.out * self.out),)


class Softmax(Op):
    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        xp = get_array_module(x)
        e = x - x.max(axis=self.axis, keepdims=True)
        xp.exp(e, out=e)
        e /= e.sum(axis=self.axis, keepdims=True)
        self.out = e
        return e

    def vjp(self, g, needed):
        y = self.out
        return (y * (g - (g * y).sum(axis=self.axis, keepdims=True)),)


class LogSoftmax(Op):
    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        xp = get_array_module(x)
        z = x - x.max(axis=self.axis, keepdims=True)
        out = z - xp.log(xp.exp(z).sum(axis=self.axis, keepdims=True))
        self.softmax = xp.exp(out)
        return out

    def vjp(self, g, needed):
        return (g - self.softmax * g.sum(axis=self.axis, keepdims=True),)


class Elu(Op):
    def __init__(self, alpha=1.0, scale=1.0):
        self.alpha, self.scale = alpha, scale

    def forward(self, x):
        xp = get_array_module(x)
        self.mask = x > 0
        self.neg = self.alpha * xp.expm1(xp.minimum(x, 0))
        return (self.scale * xp.where(self.mask, x, self.neg)).astype(x.dtype, copy=False)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        return ((self.scale * xp.where(self.mask, g, g * (self.neg + self.alpha))).astype(g.dtype, copy=False),)


class Softplus(Op):
    def forward(self, x):
        xp = get_array_module(x)
        self.x = x
        return xp.logaddexp(x, x.dtype.type(0))

    def vjp(self, g, needed):
        xp = get_array_module(g)
        e = xp.exp(-xp.abs(self.x))
        sig = xp.where(self.x >= 0, 1 / (1 + e), e / (1 + e))
        return ((g * sig).astype(g.dtype, copy=False),)


class Softsign(Op):
    def forward(self, x):
        xp = get_array_module(x)
        self.d = 1 + xp.abs(x)
        return x / self.d

    def vjp(self, g, needed):
        return (g / (self.d * self.d),)


class Swish(Op):
    def forward(self, x):
        self.x = x
        self.sig = Sigmoid().forward(x)
        return x * self.sig

    def vjp(self, g, needed):
        s = self.sig
        return (g * (s + self.x * s * (1 - s)),)


class Gelu(Op):
    """Gaussian error linear unit; ``approximate=True`` is the tanh form."""

    def __init__(self, approximate=False):
        self.approximate = approximate

    def forward(self, x):
        xp = get_array_module(x)
        self.x = x
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            self.t = xp.tanh(c * (x + 0.044715 * x ** 3))
            return (0.5 * x * (1 + self.t)).astype(x.dtype, copy=False)
        self.cdf = 0.5 * (1 + _erf(xp, x / math.sqrt(2)))
        return (x * self.cdf).astype(x.dtype, copy=False)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        x = self.x
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            dt = (1 - self.t ** 2) * c * (1 + 3 * 0.044715 * x ** 2)
            d = 0.5 * (1 + self.t) + 0.5 * x * dt
        else:
            d = self.cdf + x * xp.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return ((g * d).astype(g.dtype, copy=False),)


def _erf(xp, x):
    """Vectorised erf: SciPy's when installed, else a rational approximation good to 1.2e-7."""
    try:
        from scipy.special import erf
        return erf(x)
    except ImportError:  # pragma: no cover - scipy is optional
        # W. J. Cody's rational approximation, max error 1.2e-7: enough for float32.
        t = 1 / (1 + 0.5 * xp.abs(x))
        y = 1 - t * xp.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
            -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
                -0.82215223 + t * 0.17087277)))))))))
        return xp.where(x >= 0, y, -y)


class HardSigmoid(Op):
    """Keras 3's hard_sigmoid: relu6(x + 3) / 6."""

    def forward(self, x):
        xp = get_array_module(x)
        self.mask = (x > -3) & (x < 3)
        return xp.clip(x / 6 + 0.5, 0, 1).astype(x.dtype, copy=False)

    def vjp(self, g, needed):
        return (g * self.mask / g.dtype.type(6),)


def relu(x):
    return Relu()(x)


def leaky_relu(x, negative_slope=0.2):
    return LeakyRelu(negative_slope)(x)


def sigmoid(x):
    out = Sigmoid()(x)
    out.logits, out.activation = x, "sigmoid"
    return out


def tanh(x):
    return Tanh()(x)


def softmax(x, axis=-1):
    out = Softmax(axis)(x)
    if axis in (-1, getattr(x, "ndim", 0) - 1):
        out.logits, out.activation = x, "softmax"
    return out


def log_softmax(x, axis=-1):
    return LogSoftmax(axis)(x)


def elu(x, alpha=1.0):
    return Elu(alpha)(x)


SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def selu(x):
    return Elu(SELU_ALPHA, SELU_SCALE)(x)


def softplus(x):
    return Softplus()(x)


def softsign(x):
    return Softsign()(x)


def swish(x):
    return Swish()(x)


def gelu(x, approximate=False):
    return Gelu(approximate)(x)


def hard_sigmoid(x):
    return HardSigmoid()(x)


class Sparsemax(Op):
    """Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of x onto the probability simplex
    along ``axis``, ``max(x - tau, 0)`` with tau chosen so that the outputs sum to 1."""

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        xp = get_array_module(x)
        axis = self.axis
        if x.shape[axis] == 0:  # nothing to project
            self.support = xp.zeros(x.shape, bool)
            return x.copy()
        z = -xp.sort(-x, axis=axis)  # descending
        cumsum = xp.cumsum(z, axis=axis)
        shape = [1] * x.ndim
        shape[axis] = -1
        r = xp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
        # The support is the k largest values, k the largest r with 1 + r * z_r > cumsum_r.
        k = (1 + r * z > cumsum).sum(axis=axis, keepdims=True)
        tau = (xp.take_along_axis(cumsum, k - 1, axis=axis) - 1) / k.astype(x.dtype)
        out = xp.maximum(x - tau, 0).astype(x.dtype, copy=False)
        self.support = out > 0
        return out

    def vjp(self, g, needed):
        s = self.support
        gs = g * s
        mean = gs.sum(axis=self.axis, keepdims=True) / s.sum(axis=self.axis, keepdims=True)
        return ((gs - s * mean).astype(g.dtype, copy=False),)


def sparsemax(x, axis=-1):
    return Sparsemax(axis)(x)
