"""Output shapes of a user's layer that has a ``call`` but no ``compute_output_shape``, found as Keras 3 finds them:
by running the call. Keras traces the call on symbolic tensors; dendrite runs it eagerly on zeros of the input
shapes, twice, with each unknown dimension (the batch, a free sequence length) set to 2 and then to 3: an output
dimension that follows is unknown (None), one that stays is fixed. Running the call also builds the layer's
sublayers, so that ``summary()`` counts their weights before any data has passed, as Keras's does."""
import numpy as np

from ..autodiff import Tensor
from .node import KerasTensor, flatten, shapes_of

_SIZES = (2, 3)


_TRACED = {}  # layer class -> whether its output shapes are traced


def needs_tracing(layer):
    """True for a layer class written outside dendrite whose ``call`` is its own while ``compute_output_shape`` is
    still the base Layer's (which returns the input's shape); looked up once per class."""
    cls = type(layer)
    found = _TRACED.get(cls)
    if found is None:
        from .base import Layer
        own_shape = next(c for c in cls.__mro__ if "compute_output_shape" in c.__dict__)
        own_call = next(c for c in cls.__mro__ if "call" in c.__dict__)
        # (a base class that only forwards to what it wraps, as Wrapper, marks itself traced_subclasses)
        found = _TRACED[cls] = (not cls.__module__.startswith("dendrite.")
                                and (own_shape is Layer or own_shape.__dict__.get("traced_subclasses", False))
                                and own_call is not Layer and own_call is not own_shape)
    return found


def recorded_shape(layer):
    """The output shape(s) the first symbolic call of a traced layer gave, or None (not traced, never called)."""
    nodes = layer.__dict__.get("_inbound_nodes")
    if not nodes or not needs_tracing(layer):
        return None
    return shapes_of(nodes[0].output_struct)


def _concrete(structure, size):
    """Zeros (ones for boolean masks) standing for the KerasTensors of ``structure``, unknown dimensions ``size``."""
    if isinstance(structure, KerasTensor):
        shape = tuple(size if d is None else d for d in structure.shape)
        dtype = structure.dtype if structure.dtype != "string" else None
        if dtype is None:
            raise TypeError("text input")
        return Tensor(np.ones(shape, bool) if np.dtype(dtype) == bool else np.zeros(shape, dtype))
    if isinstance(structure, dict):
        return {k: _concrete(v, size) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_concrete(v, size) for v in structure)
    return structure


def _shapes(outputs):
    if isinstance(outputs, (list, tuple)):
        return [_shapes(o) for o in outputs]
    return tuple(np.shape(getattr(outputs, "value", outputs)))


def _merge(first, second):
    if isinstance(first, list):
        return [_merge(a, b) for a, b in zip(first, second)]
    return tuple(a if a == b else None for a, b in zip(first, second))


def traced_output_shape(layer, inputs, kwargs):
    """The output shape(s) of ``layer`` called on the KerasTensors ``inputs`` (with ``kwargs``), by running its call
    on zeros; None when the call cannot run on zeros (the base rule then applies)."""
    if any(isinstance(t, KerasTensor) and t.dtype == "string" for t in flatten(inputs)):
        return None
    found = []
    for size in _SIZES:
        try:
            args = _concrete(inputs, size)
            extra = {k: _concrete(v, size) for k, v in kwargs.items()}
            extra.setdefault("training", False)
            found.append(_shapes(layer(args, **extra)))
        except Exception:  # noqa: BLE001 - a call that needs real data keeps the input's shape, as before
            return None
    first, second = found
    if isinstance(first, list) != isinstance(second, list) or (isinstance(first, list) and len(first) != len(second)):
        return None
    return _merge(first, second)
