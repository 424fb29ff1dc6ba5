"""The autodiff core: tensors, variables, the gradient tape and the ops."""
from .tensor import Tensor, Variable, array_of
from .tape import GradientTape, Op, unbroadcast
from . import ops


def constant(value, dtype=None):
    """Wrap an array-like as a (non-trainable) Tensor, float32 by default for floats."""
    import numpy as np
    from .. import backend
    arr = np.asarray(array_of(value))
    if dtype is None and arr.dtype.kind == "f":
        dtype = backend.floatx()
    return Tensor(arr.astype(dtype) if dtype is not None else arr)


__all__ = ["Tensor", "Variable", "GradientTape", "Op", "unbroadcast", "ops", "constant"]
