"""``tf.experimental.numpy`` (``import tensorflow.experimental.numpy as tnp``): NumPy's API on tensors.

The functions Keras's ``keras.ops`` shares with NumPy (compat/keras_ops, differentiable where Keras's are) and the tape's
own ops serve their NumPy names; the creation functions (``ones``, ``arange``, ...; float64 by default, as NumPy)
and any other NumPy function is called on the tensors' values and its arrays come
back as tensors (not differentiated). ``tnp.ndarray`` is the Tensor class, dtypes and constants are NumPy's,
``tnp.random`` draws with NumPy's generator. ``experimental_enable_numpy_behavior()`` gives tensors NumPy's
methods (``astype``, ``ravel``, ``tolist``, ``clip``, ``transpose``), undone with the other compatibility patches."""
import numpy as np

from ..autodiff import Tensor, ops
from . import _patches, keras_ops
from .keras_ops.convert import t as _t
from ._namespace import Namespace
from ._notes import unsupported

_OWN = ("add subtract multiply divide negative power exp log sqrt square abs clip maximum minimum sum mean max min "
        "reshape transpose take broadcast_to expand_dims squeeze stack matmul").split()
_CREATE = set("zeros ones empty full zeros_like ones_like full_like eye identity tri arange linspace logspace".split())
_CONSTANTS = ("float16 float32 float64 int8 int16 int32 int64 uint8 uint16 bool_ complex64 complex128 "
              "newaxis pi e inf nan").split()


def _value(x):
    if isinstance(x, Tensor):
        return x.value
    if isinstance(x, (list, tuple)):
        return type(x)(_value(v) for v in x)
    return x


def _tensor(x):
    if isinstance(x, np.ndarray) or isinstance(x, np.generic):
        return Tensor(np.asarray(x))
    if isinstance(x, tuple):
        return tuple(_tensor(v) for v in x)
    if isinstance(x, list) and x and all(isinstance(v, np.ndarray) for v in x):
        return [_tensor(v) for v in x]
    return x


def _numpy_function(fn, name):
    def call(*args, **kwargs):
        return _tensor(fn(*[_value(a) for a in args], **{k: _value(v) for k, v in kwargs.items()}))
    call.__name__ = name
    return call


_KERAS_OPS = []  # keras.ops, built on first use


def _keras_ops():
    if not _KERAS_OPS:
        _KERAS_OPS.append(keras_ops.build("keras"))
    return _KERAS_OPS[0]


_BINARY = set("add subtract multiply divide power maximum minimum matmul".split())


def _own(name):
    """The tape's op ``name`` with its tensor operands (the first, or the first two) made tensors."""
    op, n = getattr(ops, name), 2 if name in _BINARY else 1

    def call(*args, **kwargs):
        return op(*[_t(a) if i < n else a for i, a in enumerate(args)], **kwargs)
    call.__name__ = name
    return call


def concatenate(arrays, axis=0):
    return ops.concatenate([Tensor(np.asarray(a)) if not isinstance(a, Tensor) else a for a in arrays], axis=axis)


def where(condition, x=None, y=None):
    if x is None and y is None:
        return _keras_ops().nonzero(condition)
    return ops.where(_t(condition), _t(x), _t(y))


def asarray(a, dtype=None):
    if isinstance(a, Tensor) and (dtype is None or a.dtype == np.dtype(dtype)):
        return a
    return Tensor(np.asarray(_value(a), dtype=dtype))


def _astype(self, dtype):
    return ops.cast(self, dtype) if self.dtype.kind == np.dtype(dtype).kind == "f" else \
        Tensor(self.value.astype(dtype))


_METHODS = {"astype": _astype, "ravel": lambda self: _keras_ops().ravel(self), "tolist": lambda self: self.value.tolist(),
            "clip": lambda self, lo=None, hi=None: ops.clip(self, lo, hi),
            "transpose": lambda self, *axes: ops.transpose(self, axes[0] if len(axes) == 1 and isinstance(
                axes[0], (list, tuple)) else (axes or None))}


def experimental_enable_numpy_behavior(prefer_float32=False, dtype_conversion_mode="legacy"):
    """Give tensors NumPy's methods while the compatibility hooks are installed."""
    for name, method in _METHODS.items():
        if (Tensor, name) not in _patches._saved:
            _patches._saved[(Tensor, name)] = Tensor.__dict__.get(name)
            setattr(Tensor, name, method)


class _NumpyNamespace(Namespace):
    """Answers any NumPy function name with the NumPy function on the tensors' values."""

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except NotImplementedError:
            fn = getattr(self._numpy, name, None)
            if callable(fn) and not isinstance(fn, type):
                value = _numpy_function(fn, name)
                setattr(self, name, value)
                return value
            raise unsupported(f"`{self.__name__}.{name}`", "NumPy has no such function either.") from None


def build():
    members = {n: _own(n) for n in _OWN}
    shared = _keras_ops()
    members.update({n: getattr(shared, n) for n in shared.__all__ if hasattr(np, n) and n not in _CREATE})
    members.update({n: getattr(np, n) for n in _CONSTANTS})
    members.update(concatenate=concatenate, where=where, asarray=asarray, array=asarray, ndarray=Tensor,
                   experimental_enable_numpy_behavior=experimental_enable_numpy_behavior)
    random = _NumpyNamespace("tensorflow.experimental.numpy.random", "NumPy's random draws, as tensors.")
    random._numpy = np.random
    members["random"] = random
    ns = _NumpyNamespace("tensorflow.experimental.numpy", __doc__, members=members)
    ns._numpy = np
    return ns
