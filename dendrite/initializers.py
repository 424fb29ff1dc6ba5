"""Weight initializers with Keras 3's names, defaults and formulas.

An initializer is an object called as ``init(shape, dtype=None)`` that returns
a NumPy array of that shape in ``backend.floatx()`` (or ``dtype``). Random
initializers draw from dendrite's shared generator (``backend.rng()``), so
``dendrite.utils.set_random_seed`` makes them repeat. Given an integer
``seed=``, an initializer uses its own generator built from that seed on each
call, so it returns the same values every time it is called, as in Keras.

:func:`get` resolves what layers receive as ``kernel_initializer=``: a name
('glorot_uniform', 'zeros', ...), a class name, a config dict, a class, a
callable or an instance.
"""
import inspect
import math

import numpy as np

from . import backend
from .saving.builtin_objects import register_builtins
from .saving.object_registration import get_registered_object
from .saving.serialization import deserialize_keras_object, serialize_keras_object
from .utils.naming import to_snake_case
from .random import check_seed
from .utils.validation import is_int

# stddev of a standard normal truncated to [-2, 2]; Keras divides by it so that
# a truncated sample still has the variance that the scaling asks for.
_TRUNCATED_STDDEV = 0.87962566103423978


# ---------------------------------------------------------------- helpers
def _shape_tuple(shape, who):
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(
            f"{who}: expected `shape` to be a tuple of non-negative integers; "
            f"received shape={shape!r} of type {type(shape).__name__}. Pass e.g. shape=(784, 200)."
        ) from None
    for d in dims:
        if not is_int(d) or d < 0:
            raise ValueError(
                f"{who}: expected `shape` to be fully defined with non-negative integer "
                f"dimensions; received shape={shape!r}. Build the weight once its shape is known."
            )
    return tuple(int(d) for d in dims)


def _dtype(dtype, who, floating):
    dt = np.dtype(backend.floatx() if dtype is None else dtype)
    if floating and dt.kind != "f":
        raise ValueError(
            f"{who}: expected a floating-point dtype for random values; received dtype={dtype!r}. "
            f"Pass dtype='float32' or leave it out to use backend.floatx()."
        )
    return dt


def _scalar_config(value):
    """A JSON-friendly form of a number or array argument."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def compute_fans(shape, input_axes=None, output_axes=None):
    """Return ``(fan_in, fan_out)`` for a weight shape, as Keras counts them.

    With both ``input_axes`` and ``output_axes`` given (Keras 3's arguments, for kernels laid out some other
    way), the fans are the products of the shape over those axes. Otherwise: rank 0: (1, 1). Rank 1: (n, n).
    Rank 2: (in, out). Higher ranks are convolution kernels ``(..., in_channels, out_channels)``: the
    receptive field (the product of all but the last two dims) multiplies both.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return int(np.prod([shape[a] for a in input_axes])), int(np.prod([shape[a] for a in output_axes]))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = 1
    for d in shape[:-2]:
        receptive_field *= int(d)
    return int(shape[-2]) * receptive_field, int(shape[-1]) * receptive_field


def _truncated_standard_normal(rng, shape):
    """Standard normal samples; any beyond 2 standard deviations is drawn again."""
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    n_bad = int(bad.sum())
    while n_bad:
        z[bad] = rng.standard_normal(n_bad)
        bad = np.abs(z) > 2.0
        n_bad = int(bad.sum())
    return z


# ------------------------------------------------------------ base classes
class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None)``.

    ``get_config()`` returns the constructor arguments and
    ``from_config(config)`` rebuilds the object from them.
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{type(self).__name__}: an Initializer subclass must implement __call__(shape, dtype=None)."
        )

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        params = inspect.signature(cls.__init__).parameters
        accepts_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
        known = [n for n in params if n != "self"]
        unknown = sorted(set(config) - set(known))
        if unknown and not accepts_any:
            raise TypeError(
                f"{cls.__name__}.from_config: unknown argument(s) {unknown}. "
                f"Expected only {known}; received config={config!r}."
            )
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class _RandomInitializer(Initializer):
    def __init__(self, seed=None):
        self.seed = check_seed(seed, type(self).__name__)

    def _rng(self):
        if self.seed is None:
            return backend.rng()
        return np.random.default_rng(self.seed)

    def get_config(self):
        return {"seed": self.seed}


# ---------------------------------------------------------------- constant
class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape, dtype=None):
        return np.zeros(_shape_tuple(shape, "Zeros"), dtype=_dtype(dtype, "Zeros", False))


class Ones(Initializer):
    """All ones."""

    def __call__(self, shape, dtype=None):
        return np.ones(_shape_tuple(shape, "Ones"), dtype=_dtype(dtype, "Ones", False))


class Constant(Initializer):
    """Every entry equal to ``value`` (a scalar, or an array that broadcasts to the shape)."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        shape = _shape_tuple(shape, "Constant")
        value = np.asarray(self.value, dtype=_dtype(dtype, "Constant", False))
        try:
            return np.array(np.broadcast_to(value, shape))
        except ValueError:
            raise ValueError(
                f"Constant: expected `value` to be a scalar or to broadcast to the weight shape {shape}; "
                f"received a value of shape {value.shape}. Pass a scalar, or an array of a matching shape."
            ) from None

    def get_config(self):
        return {"value": _scalar_config(self.value)}


class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only; rectangular is allowed)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape_tuple(shape, "Identity")
        if len(shape) != 2:
            raise ValueError(
                f"Identity: expected a 2-D shape (the identity matrix is only defined for matrices); "
                f"received shape={shape} of rank {len(shape)}. Use Orthogonal for other ranks."
            )
        dt = _dtype(dtype, "Identity", False)
        return (self.gain * np.eye(*shape)).astype(dt)

    def get_config(self):
        return {"gain": _scalar_config(self.gain)}


# ------------------------------------------------------------ random draws
class RandomUniform(_RandomInitializer):
    """Uniform samples in ``[minval, maxval)``."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape_tuple(shape, "RandomUniform")
        dt = _dtype(dtype, "RandomUniform", True)
        return self._rng().uniform(self.minval, self.maxval, size=shape).astype(dt)

    def get_config(self):
        return {**super().get_config(), "minval": _scalar_config(self.minval),
                "maxval": _scalar_config(self.maxval)}


class RandomNormal(_RandomInitializer):
    """Normal samples with the given ``mean`` and ``stddev``."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape_tuple(shape, "RandomNormal")
        dt = _dtype(dtype, "RandomNormal", True)
        return self._rng().normal(self.mean, self.stddev, size=shape).astype(dt)

    def get_config(self):
        return {**super().get_config(), "mean": _scalar_config(self.mean),
                "stddev": _scalar_config(self.stddev)}


class TruncatedNormal(_RandomInitializer):
    """Normal samples, with those more than 2 ``stddev`` from ``mean`` drawn again."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape_tuple(shape, "TruncatedNormal")
        dt = _dtype(dtype, "TruncatedNormal", True)
        z = _truncated_standard_normal(self._rng(), shape)
        return (self.mean + self.stddev * z).astype(dt)

    def get_config(self):
        return {**super().get_config(), "mean": _scalar_config(self.mean),
                "stddev": _scalar_config(self.stddev)}


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


def _axes(value, name, who):
    """An axes argument of VarianceScaling: None or a list of ints."""
    if value is None:
        return None
    axes = [value] if is_int(value) else value
    if not isinstance(axes, (list, tuple)) or not all(is_int(a) for a in axes):
        raise ValueError(f"{who}: expected `{name}` to be None or a list of ints (weight axes); "
                         f"received {name}={value!r}.")
    return [int(a) for a in axes]


class VarianceScaling(_RandomInitializer):
    """Samples whose variance is ``scale / n``, with ``n`` the fan chosen by ``mode``.

    ``distribution='truncated_normal'`` (the default; 'normal' means the same):
    stddev ``sqrt(scale / n) / 0.8796...``, cut at 2 stddev.
    ``'untruncated_normal'``: stddev ``sqrt(scale / n)``.
    ``'uniform'``: within ``[-limit, limit]``, ``limit = sqrt(3 * scale / n)``.
    ``input_axes`` and ``output_axes`` (Keras 3), when both are given, name the weight axes whose sizes
    multiply into fan_in and fan_out instead of compute_fans's usual rule.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None, input_axes=None,
                 output_axes=None):
        who = type(self).__name__
        if isinstance(scale, bool) or not isinstance(scale, (int, float, np.number)) or not scale > 0:
            raise ValueError(f"{who}: expected `scale` to be a positive float; received scale={scale!r}.")
        if mode not in _MODES:
            raise ValueError(
                f"{who}: expected `mode` to be one of {list(_MODES)}; received mode={mode!r}."
            )
        dist = distribution.lower() if isinstance(distribution, str) else distribution
        if dist == "normal":
            dist = "truncated_normal"
        if dist not in _DISTRIBUTIONS:
            raise ValueError(
                f"{who}: expected `distribution` to be one of {list(_DISTRIBUTIONS)} (or 'normal', "
                f"meaning 'truncated_normal'); received distribution={distribution!r}."
            )
        self.scale = float(scale)
        self.mode = mode
        self.distribution = dist
        self.input_axes = _axes(input_axes, "input_axes", who)
        self.output_axes = _axes(output_axes, "output_axes", who)
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        who = type(self).__name__
        shape = _shape_tuple(shape, who)
        dt = _dtype(dtype, who, True)
        try:
            fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        except IndexError:
            raise ValueError(f"{who}: input_axes={self.input_axes} / output_axes={self.output_axes} do not fit a "
                             f"weight of shape {shape}; give axes within its {len(shape)} dimensions.") from None
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        rng = self._rng()
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            values = rng.uniform(-limit, limit, size=shape)
        elif self.distribution == "untruncated_normal":
            values = math.sqrt(variance) * rng.standard_normal(shape)
        else:
            values = (math.sqrt(variance) / _TRUNCATED_STDDEV) * _truncated_standard_normal(rng, shape)
        return values.astype(dt)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes, "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling preset: only ``seed`` is a constructor argument."""

    _preset = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        scale, mode, distribution = self._preset
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed, input_axes=input_axes,
                         output_axes=output_axes)

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]``, ``limit = sqrt(6 / (fan_in + fan_out))`` (Xavier)."""
    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_FixedVarianceScaling):
    """Truncated normal with stddev ``sqrt(2 / (fan_in + fan_out))`` after truncation."""
    _preset = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]``, ``limit = sqrt(6 / fan_in)``."""
    _preset = (2.0, "fan_in", "uniform")


class HeNormal(_FixedVarianceScaling):
    """Truncated normal with stddev ``sqrt(2 / fan_in)`` after truncation."""
    _preset = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]``, ``limit = sqrt(3 / fan_in)``."""
    _preset = (1.0, "fan_in", "uniform")


class LecunNormal(_FixedVarianceScaling):
    """Truncated normal with stddev ``sqrt(1 / fan_in)`` after truncation."""
    _preset = (1.0, "fan_in", "truncated_normal")


class Orthogonal(_RandomInitializer):
    """``gain`` times a random orthogonal matrix from the QR decomposition of a normal one.

    Shapes of rank > 2 are treated as a matrix ``(prod(shape[:-1]), shape[-1])``.
    With fewer rows than columns the rows are orthonormal, otherwise the columns.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape_tuple(shape, "Orthogonal")
        if len(shape) < 2:
            raise ValueError(
                f"Orthogonal: expected a shape of rank 2 or more; received shape={shape} of rank "
                f"{len(shape)}. Use another initializer for biases and other vectors."
            )
        dt = _dtype(dtype, "Orthogonal", True)
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        a = self._rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(dt)

    def get_config(self):
        return {**super().get_config(), "gain": _scalar_config(self.gain)}


# Keras 3 also exports these spellings of the same classes.
OrthogonalInitializer = Orthogonal
IdentityInitializer = Identity
zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
orthogonal = Orthogonal
random_uniform = RandomUniform
random_normal = RandomNormal
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_uniform = HeUniform
he_normal = HeNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal


# ------------------------------------------------------------------ registry
_CLASSES = (Zeros, Ones, Constant, Identity, Orthogonal, RandomUniform, RandomNormal,
            TruncatedNormal, VarianceScaling, GlorotUniform, GlorotNormal, HeUniform,
            HeNormal, LecunUniform, LecunNormal)


_ALIASES = {to_snake_case(c.__name__): c for c in _CLASSES}
_ALIASES.update({"zero": Zeros, "one": Ones, "uniform": RandomUniform, "normal": RandomNormal,
                 "OrthogonalInitializer": Orthogonal, "IdentityInitializer": Identity})
_NAMES = register_builtins("keras.initializers", "initializer", classes=(Initializer,) + _CLASSES, aliases=_ALIASES)


def _lookup(name):
    cls = _NAMES.get(name) if name != "Initializer" else None
    cls = cls or get_registered_object(name)
    if cls is not None:
        return cls
    import difflib
    snake = sorted(n for n in _NAMES if n[0].islower())
    classes = sorted(n for n in _NAMES if n[0].isupper() and n != "Initializer")
    hint = difflib.get_close_matches(name, snake + classes, n=1)
    hint = f" Did you mean {hint[0]!r}?" if hint else ""
    raise ValueError(
        f"initializers.get: unknown initializer name {name!r}.{hint} Expected one of "
        f"{snake}, or a class name: {classes}, or a name registered with "
        f"dendrite.saving.register_keras_serializable(). "
        f"Received: identifier={name!r}. Check the spelling, or pass an Initializer instance "
        f"or a callable (shape, dtype=None) -> array."
    )


def serialize(initializer):
    """An initializer's config in Keras 3's format ({'module', 'class_name', 'config', 'registered_name'});
    a plain function as Keras writes functions."""
    if initializer is None or not callable(initializer):
        raise TypeError(
            f"initializers.serialize: expected an Initializer instance or a function; "
            f"received {initializer!r} of type {type(initializer).__name__}."
        )
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Rebuild an initializer from its config (Keras 3's, tf.keras 2's ``{'class_name', 'config'}``) or a
    bare name: dendrite's own classes, registered ones, or those in ``custom_objects``."""
    if isinstance(config, str):
        return _instance(_lookup(config))
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "initializers.deserialize: expected a dict {'class_name': ..., 'config': {...}} or a name; "
            f"received {config!r}."
        )
    return _instance(deserialize_keras_object(config, custom_objects, module_objects=_NAMES,
                                              printable_module_name="initializer", owner="initializers.get"))


def _instance(obj):
    return obj() if inspect.isclass(obj) else obj


def get(identifier):
    """Resolve ``identifier`` to an initializer (or None for None).

    Accepts a snake_case name or alias ('glorot_uniform', 'zero', 'normal'),
    a class name ('GlorotUniform'), a registered custom name, a config dict, a
    class (instantiated with its defaults), an instance or any callable (returned as is).
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        "initializers.get: expected a name, a config dict, an Initializer instance or a callable; "
        f"received identifier={identifier!r} of type {type(identifier).__name__}. "
        "Pass e.g. 'glorot_uniform' or initializers.GlorotUniform(seed=1)."
    )


__all__ = [
    "Initializer", "Zeros", "Ones", "Constant", "Identity", "Orthogonal", "RandomUniform",
    "RandomNormal", "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal",
    "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "OrthogonalInitializer",
    "IdentityInitializer", "zeros", "ones", "constant", "identity", "orthogonal",
    "random_uniform", "random_normal", "truncated_normal", "variance_scaling", "glorot_uniform",
    "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
    "compute_fans", "get", "serialize", "deserialize",
]

from .stft_initializer import STFT, STFTInitializer  # noqa: E402 - it subclasses Initializer (above)

_NAMES.update(register_builtins("keras.initializers", "initializer", classes=(STFT,),
                                aliases={"STFTInitializer": STFT, "stft": STFT}))
__all__ += ["STFT", "STFTInitializer"]
