"""Eager-tensor methods of TensorFlow's that concern a tensor's identity, shape and place rather than its values:
``t.ref()`` / ``experimental_ref()`` (a hashable reference, for tensors as dict keys and set members),
``t.set_shape(shape)`` (a check that the shape is compatible, as an eager tensor's), ``t.cpu()``, and a
Variable's ``aggregation``, ``synchronization``, ``sparse_read`` and ``gather_nd``. Installed with the other
compatibility-mode patches (see _patches.py)."""
import enum

from ..autodiff import Tensor, Variable


class Reference:
    """What ``t.ref()`` gives: hashed and compared by the tensor's identity; ``deref()`` gives the tensor back."""

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor

    def deref(self):
        return self._tensor

    def __hash__(self):
        return id(self._tensor)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._tensor is self._tensor

    def __repr__(self):
        return f"<Reference wrapping {self._tensor!r}>"


def _ref(self):
    return Reference(self)


def _set_shape(self, shape):
    dims = getattr(shape, "as_list", lambda: shape)() if shape is not None else None
    if dims is None or getattr(shape, "rank", 0) is None:
        return
    have = tuple(self.value.shape)
    dims = tuple(None if d is None else int(d) for d in dims)
    if len(dims) != len(have) or any(d is not None and d != h for d, h in zip(dims, have)):
        raise ValueError(f"Tensor's shape {have} is not compatible with supplied shape {dims}.")


class VariableAggregation(enum.Enum):
    """``tf.VariableAggregation``: how a distributed variable's replicas combine (kept for the record)."""
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class VariableSynchronization(enum.Enum):
    """``tf.VariableSynchronization``."""
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


def _sparse_read(self, indices, name=None):
    """The rows of the variable at ``indices`` (``tf.gather(v, indices)``)."""
    from .tensor_api import gather
    return gather(self, indices)


def _gather_nd(self, indices, name=None):
    from .tensor_api import gather_nd
    return gather_nd(self, indices)


def targets():
    """(class, attribute, value) for each change, made by _patches.apply and undone by _patches.undo."""
    return [(Tensor, "ref", _ref), (Tensor, "experimental_ref", _ref), (Tensor, "set_shape", _set_shape),
            (Tensor, "cpu", lambda self: self),
            (Variable, "aggregation", property(lambda self: VariableAggregation.NONE)),
            (Variable, "synchronization", property(lambda self: VariableSynchronization.AUTO)),
            (Variable, "sparse_read", _sparse_read), (Variable, "gather_nd", _gather_nd)]


NAMES = dict(VariableAggregation=VariableAggregation, VariableSynchronization=VariableSynchronization)
