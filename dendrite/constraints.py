"""Weight constraints: projections applied to a variable after each optimizer update (as Keras 3 does,
in ``optimizer.apply``). A layer takes one as ``kernel_constraint=`` / ``bias_constraint=`` (an object, a
name such as ``'max_norm'`` or ``'MaxNorm'``, a ``{'class_name', 'config'}`` dict, or any callable
``w -> w``).

Formulas (Keras's; ``epsilon`` is 1e-7, norms are taken along ``axis`` and kept for broadcasting):
- MaxNorm(max_value=2, axis=0): ``w * clip(norm, 0, max_value) / (epsilon + norm)``
- MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0):
  ``w * (rate * clip(norm, min_value, max_value) + (1 - rate) * norm) / (epsilon + norm)``
- NonNeg(): ``w * (w >= 0)``
- UnitNorm(axis=0): ``w / (epsilon + norm)``
"""
from .autodiff.tensor import array_of as _array
from .backend import epsilon, get_array_module
from .saving.builtin_objects import register_builtins
from .saving.serialization import deserialize_keras_object, family_get, serialize_keras_object

EPSILON = epsilon()


def _norms(w, axis):
    xp = get_array_module(w)
    return xp.sqrt(xp.sum(xp.square(w), axis=axis if isinstance(axis, int) else tuple(axis), keepdims=True))


class Constraint:
    """Base class: ``__call__(w)`` returns the projected weights; the identity here."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales the weight vectors along ``axis`` whose norm exceeds ``max_value`` down to it."""

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        w = _array(w)
        norms = _norms(w, self.axis)
        xp = get_array_module(w)
        return (w * (xp.clip(norms, 0, self.max_value) / (EPSILON + norms))).astype(w.dtype, copy=False)

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves the norms of the weight vectors along ``axis`` into [min_value, max_value], by ``rate``."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        w = _array(w)
        norms = _norms(w, self.axis)
        xp = get_array_module(w)
        desired = self.rate * xp.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return (w * (desired / (EPSILON + norms))).astype(w.dtype, copy=False)

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        w = _array(w)
        return w * (w >= 0).astype(w.dtype)


class UnitNorm(Constraint):
    """Scales the weight vectors along ``axis`` to unit norm."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _array(w)
        return (w / (EPSILON + _norms(w, self.axis))).astype(w.dtype, copy=False)

    def get_config(self):
        return {"axis": self.axis}


max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm

_NAMES = register_builtins("keras.constraints", "constraint",
                           classes=[Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm],
                           aliases=dict(constraint=Constraint, max_norm=MaxNorm, min_max_norm=MinMaxNorm,
                                        non_neg=NonNeg, unit_norm=UnitNorm))


def serialize(constraint):
    """A constraint's config in Keras 3's format ({'module', 'class_name', 'config', 'registered_name'}); a
    named function as Keras writes functions; None stays None."""
    return serialize_keras_object(constraint)


def deserialize(config, custom_objects=None, argument="constraint"):
    """The constraint a config describes: dendrite's own, a registered one, or one in ``custom_objects``."""
    return deserialize_keras_object(config, custom_objects, module_objects=_NAMES, printable_module_name="constraint",
                                    owner=argument)


def get(identifier, argument="constraint"):
    """A constraint from an identifier: None, a name ('max_norm', 'MaxNorm', ..., or a registered custom
    name), a config dict, a Constraint class or instance, or any callable ``w -> w``. ``argument`` names the
    argument in error messages (e.g. 'Dense kernel_constraint')."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    obj = family_get(identifier, _NAMES, lambda config: deserialize(config, argument=argument), lambda name: ValueError(
        f"{argument}: unknown constraint {name!r}. Known names: {', '.join(sorted(_NAMES))}, or a name registered "
        "with dendrite.saving.register_keras_serializable(); or pass a Constraint instance or a callable w -> w."))
    if obj is None:
        raise ValueError(f"{argument}: could not interpret {identifier!r} as a constraint: expected None, a name "
                         "such as 'max_norm', a config dict, a Constraint or a callable w -> w.")
    return obj


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm", "min_max_norm", "non_neg",
           "unit_norm", "get", "serialize", "deserialize"]
