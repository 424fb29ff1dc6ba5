"""Activation functions by name or function, as ``keras.activations``.

Each function takes a Tensor (or array) and returns a Tensor; its ``__name__``
is the Keras name ('relu', 'linear', ...), which Keras code and graders read.
"""
import numpy as np

from .autodiff import ops
from .autodiff.tensor import array_of as _value  # the array behind a Tensor, for the masks that pick branches
from .saving.builtin_objects import register_builtins
from .saving.object_registration import get_registered_object
from .saving.serialization import deserialize_keras_object, serialize_keras_object


def linear(x):
    return x


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0), or Keras's general form: x above ``threshold``, ``negative_slope * (x - threshold)``
    below it, capped at ``max_value``."""
    if negative_slope == 0.0 and threshold == 0.0:
        y = ops.relu(x)
    else:
        cond = _value(x) >= threshold
        y = ops.where(cond, x, ops.multiply(ops.subtract(x, threshold), negative_slope))
    return y if max_value is None else ops.minimum(y, max_value)


def sigmoid(x):
    return ops.sigmoid(x)


def tanh(x):
    return ops.tanh(x)


def softmax(x, axis=-1):
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return ops.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    return ops.elu(x, alpha)


def selu(x):
    return ops.selu(x)


def softplus(x):
    return ops.softplus(x)


def softsign(x):
    return ops.softsign(x)


def silu(x):
    """x * sigmoid(x). Named 'silu' as in Keras 3; ``swish`` is the same function."""
    return ops.swish(x)


swish = silu


def gelu(x, approximate=False):
    return ops.gelu(x, approximate)


def leaky_relu(x, negative_slope=0.2):
    return ops.leaky_relu(x, negative_slope)


def hard_sigmoid(x):
    return ops.hard_sigmoid(x)


def exponential(x):
    return ops.exp(x)


# -- The rest of Keras 3's activations, composed from differentiable ops (so the
# gradient comes from theirs) except sparsemax, which has its own op.


def _number(owner, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{owner}: `{name}` must be a number. Received: {name}={value!r}")
    return float(value)


def relu6(x):
    """min(max(x, 0), 6)."""
    return relu(x, max_value=6.0)


def mish(x):
    """x * tanh(softplus(x)) (Misra, 2019)."""
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def hard_silu(x):
    """x * hard_sigmoid(x) = x * relu6(x + 3) / 6, also known as hard_swish."""
    return ops.multiply(x, ops.hard_sigmoid(x))


hard_swish = hard_silu


def log_sigmoid(x):
    """log(sigmoid(x)) = -softplus(-x); softplus is computed as logaddexp(0, .), so nothing
    overflows or rounds to log(0) for large |x|."""
    return ops.negative(ops.softplus(ops.negative(x)))


def celu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x / alpha) - 1) otherwise."""
    alpha = _number("celu", "alpha", alpha)
    if alpha == 0:
        raise ValueError("celu: `alpha` must be non-zero (the negative part is alpha * (exp(x / alpha) - 1)). "
                         f"Received: alpha={alpha!r}")
    # alpha * elu(x / alpha) is the negative branch, with elu's exact expm1; x itself where x > 0.
    negative = ops.multiply(ops.elu(ops.divide(x, alpha)), alpha)
    return ops.where(_value(x) > 0, x, negative)


def hard_tanh(x):
    """x clipped to [-1, 1]."""
    return ops.clip(x, -1.0, 1.0)


def squareplus(x, b=4):
    """(x + sqrt(x**2 + b)) / 2 (So, 2021); ``b`` >= 0 sets the smoothness near 0 (b = 0 is relu)."""
    b = _number("squareplus", "b", b)
    if b < 0:
        raise ValueError(f"squareplus: `b` must be non-negative (it is added to x**2 under a square root). "
                         f"Received: b={b!r}")
    if b == 0:
        return ops.relu(x)
    # For x <= 0 the same value as b / (2 * (sqrt(x**2 + b) - x)), which does not cancel when x is very negative;
    # each branch sees only its own half-line, so neither produces an inf or NaN gradient in the other's half.
    pos = ops.maximum(x, 0.0)
    neg = ops.minimum(x, 0.0)
    upper = ops.multiply(ops.add(pos, ops.sqrt(ops.add(ops.square(pos), b))), 0.5)
    lower = ops.divide(b / 2, ops.subtract(ops.sqrt(ops.add(ops.square(neg), b)), neg))
    return ops.where(_value(x) > 0, upper, lower)


def soft_shrink(x, threshold=0.5):
    """x - threshold above ``threshold``, x + threshold below ``-threshold``, 0 in between."""
    threshold = _number("soft_shrink", "threshold", threshold)
    v = _value(x)
    return ops.where(v > threshold, ops.subtract(x, threshold),
                     ops.where(v < -threshold, ops.add(x, threshold), 0.0))


def hard_shrink(x, threshold=0.5):
    """x where |x| > threshold, else 0."""
    threshold = _number("hard_shrink", "threshold", threshold)
    return ops.where(abs(_value(x)) > threshold, x, 0.0)


def tanh_shrink(x):
    """x - tanh(x)."""
    return ops.subtract(x, ops.tanh(x))


def threshold(x, threshold, default_value):
    """x where x > threshold, else ``default_value`` (as keras.activations.threshold; both arguments
    are required)."""
    threshold = _number("threshold", "threshold", threshold)
    default_value = _number("threshold", "default_value", default_value)
    return ops.where(_value(x) > threshold, x, default_value)


def glu(x, axis=-1):
    """Gated linear unit: split x in two halves a, b along ``axis``; a * sigmoid(b)."""
    shape = np.shape(_value(x))
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or not -len(shape) <= axis < len(shape):
        raise ValueError(f"glu: `axis` must be an integer axis of the input, of shape {shape}. Received: axis={axis!r}")
    n = shape[axis]
    if n % 2:
        raise ValueError(f"glu: the size of `axis` must be divisible by 2, to split x into two halves. "
                         f"Received: x.shape={shape} with axis={axis}")
    first = [slice(None)] * len(shape)
    second = list(first)
    first[axis], second[axis] = slice(0, n // 2), slice(n // 2, n)
    return ops.multiply(ops.getitem(x, tuple(first)), ops.sigmoid(ops.getitem(x, tuple(second))))


def sparse_plus(x):
    """0 for x <= -1, (x + 1)**2 / 4 for -1 < x < 1, x for x >= 1."""
    v = _value(x)
    quadratic = ops.multiply(ops.square(ops.add(x, 1.0)), 0.25)
    return ops.where(v <= -1, 0.0, ops.where(v < 1, quadratic, x))


def sparse_sigmoid(x):
    """0 for x <= -1, (x + 1) / 2 for -1 < x < 1, 1 for x >= 1."""
    return ops.clip(ops.multiply(ops.add(x, 1.0), 0.5), 0.0, 1.0)


def sparsemax(x, axis=-1):
    """max(x - tau, 0) along ``axis``, tau chosen so the outputs sum to 1 (Martins & Astudillo, 2016)."""
    return ops.sparsemax(x, axis=axis)


_FUNCTIONS = (linear, relu, sigmoid, tanh, softmax, log_softmax, elu, selu, softplus, softsign, silu, gelu, leaky_relu,
              hard_sigmoid, exponential, relu6, mish, hard_silu, log_sigmoid, celu, hard_tanh, squareplus, soft_shrink,
              hard_shrink, tanh_shrink, threshold, glu, sparse_plus, sparse_sigmoid, sparsemax)
_REGISTRY = register_builtins("keras.activations", "activation", functions=_FUNCTIONS,
                              aliases={"swish": silu, "hard_swish": hard_silu})


def get(identifier):
    """A name ('relu', or one registered with dendrite.saving.register_keras_serializable), None (linear), a
    config dict or a callable -> the activation function."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = _REGISTRY.get(identifier) or _REGISTRY.get(identifier.lower()) or get_registered_object(identifier)
        if fn is None:
            raise ValueError(
                f"Unknown activation: {identifier!r}. Valid names are: {', '.join(sorted(_REGISTRY))}. "
                "Pass one of these names, a callable, or a function registered with "
                "dendrite.saving.register_keras_serializable()."
            )
        return fn
    if isinstance(identifier, dict):
        identifier = deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret activation identifier: {identifier!r} (of type {type(identifier).__name__}). "
        "Pass a name such as 'relu', a callable, or None."
    )


def serialize(fn):
    """How a layer's config holds an activation, as Keras 3 writes it: the name of one of dendrite's
    activations ('relu'); any other function (a registered one under 'package>name') or an object with
    get_config as a config dict."""
    name = getattr(fn, "__name__", None)
    if _REGISTRY.get(name) is fn:
        return name
    return serialize_keras_object(fn)


def deserialize(config, custom_objects=None):
    """The activation a config (or a name) describes: dendrite's own, a registered one, or one in
    ``custom_objects``."""
    return deserialize_keras_object(config, custom_objects, module_objects=_REGISTRY,
                                    printable_module_name="activation")
