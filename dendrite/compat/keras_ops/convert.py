"""How keras.ops reads its arguments: arrays, lists and numbers become Tensors by TensorFlow's and Keras's rules
(Python floats float32, ints int32, NumPy arrays keep their dtype), Python numbers beside a tensor stay weakly
typed (``x_int32 + 1.5`` is float32, ``x_float16 * 2`` float16), and functions defined only on floats read
integers as ``keras.config.floatx()``."""
import numpy as np

from ... import backend
from ...autodiff import Tensor, ops
from ..tensor_api import _array, _axis, _t

__all__ = ["Tensor", "ops", "np", "t", "flt", "arr", "const", "pair", "axis_of", "floatx", "shape_of", "on_floats"]
axis_of = _axis


def t(x):
    """``x`` as a Tensor (Keras's convert_to_tensor)."""
    return _t(x)


def arr(x):
    """The NumPy array of ``x``."""
    return np.asarray(x.value if isinstance(x, Tensor) else _array(x))


def const(value, dtype=None):
    """A Tensor of a computed NumPy value (not followed by the tape)."""
    value = np.asarray(value)
    return Tensor(value if dtype is None else value.astype(dtype))


def floatx():
    return np.dtype(backend.floatx())


def flt(x):
    """``x`` as a float Tensor: integers and booleans are read as floatx, as Keras does."""
    x = _t(x)
    return x if x.dtype.kind in "fc" else Tensor(x.value.astype(floatx()))


def on_floats(op, name):
    """The keras.ops function ``name``: ``op`` applied to its argument read as floats (flt)."""
    def f(x):
        return op(flt(x))
    f.__name__ = name
    return f


def _is_number(x):
    return isinstance(x, (bool, int, float)) and not isinstance(x, np.generic)


def pair(x1, x2, floats=False):
    """Both operands ready for a binary op, by Keras's promotion: a Python number stays a number (weak) unless
    both are; an integer beside a float takes the float's dtype. ``floats``: integers become floats first."""
    if _is_number(x1) and _is_number(x2):
        x1 = _t(x1)
    operands = [x if _is_number(x) else _t(x) for x in (x1, x2)]
    kinds = [("f" if isinstance(x, float) else "i") if _is_number(x) else x.dtype.kind for x in operands]
    float_dtypes = [x.dtype for x in operands if isinstance(x, Tensor) and x.dtype.kind == "f"]
    target = np.result_type(*float_dtypes) if float_dtypes else (floatx() if "f" in kinds or floats else None)
    if target is not None:
        operands = [x if _is_number(x) or x.dtype == target else
                    (ops.cast(x, target) if x.dtype.kind == "f" else Tensor(x.value.astype(target)))
                    for x in operands]
    return operands


def shape_of(shape):
    """A shape argument (an int, a tuple or list, a Tensor) as a tuple of ints."""
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in np.asarray(shape.value if isinstance(shape, Tensor) else shape).ravel())
