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

_CLASSES = {cls.__name__: cls for cls in (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)}
_NAMES = dict(_CLASSES, constraint=Constraint, max_norm=MaxNorm, min_max_norm=MinMaxNorm, non_neg=NonNeg,
              unit_norm=UnitNorm)


def serialize(constraint):
    """``{'class_name', 'config'}`` for a Constraint; None stays None, any other callable is returned as is."""
    if isinstance(constraint, Constraint):
        return {"class_name": type(constraint).__name__, "config": constraint.get_config()}
    return constraint


def deserialize(config):
    return get(config)


def get(identifier, argument="constraint"):
    """A constraint from an identifier: None, a name ('max_norm', 'MaxNorm', ...), a ``{'class_name',
    'config'}`` dict, a Constraint class or instance, or any callable ``w -> w``. ``argument`` names the
    argument in error messages (e.g. 'Dense kernel_constraint')."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, str):
        cls = _NAMES.get(identifier)
        if cls is None:
            raise ValueError(f"{argument}: unknown constraint {identifier!r}. Known names: "
                             f"{', '.join(sorted(_NAMES))}; or pass a Constraint instance or a callable w -> w.")
        return cls()
    if isinstance(identifier, dict):
        name = identifier.get("class_name")
        if name not in _CLASSES:
            raise ValueError(f"{argument}: unknown constraint class {name!r} in {identifier!r}. Known classes: "
                             f"{', '.join(sorted(_CLASSES))}.")
        return _CLASSES[name].from_config(dict(identifier.get("config") or {}))
    if isinstance(identifier, type) and issubclass(identifier, Constraint):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"{argument}: could not interpret {identifier!r} as a constraint: expected None, a name such "
                     "as 'max_norm', a config dict, a Constraint or a callable w -> w.")


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm", "min_max_norm", "non_neg",
           "unit_norm", "get", "serialize", "deserialize"]
