"""Weight penalties (keras.regularizers): l1, l2, l1_l2, OrthogonalRegularizer, by name and object."""
import numpy as np

from .autodiff import ops
from .saving.builtin_objects import register_builtins
from .saving.serialization import deserialize_keras_object, family_get, serialize_keras_object


class Regularizer:
    def __call__(self, x):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """penalty = l1 * sum(|x|) + l2 * sum(x^2)."""

    def __init__(self, l1=0.0, l2=0.0):
        for name, v in (("l1", l1), ("l2", l2)):
            if v is None or float(v) < 0:
                raise ValueError(f"{type(self).__name__}: `{name}` must be a non-negative float; received {name}={v!r}.")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        total = 0.0
        if self.l1:
            total = ops.multiply(ops.sum(ops.abs(x)), self.l1)
        if self.l2:
            total = ops.add(total, ops.multiply(ops.sum(ops.square(x)), self.l2))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Keras 3's penalty on non-orthogonal rows (``mode='rows'``) or columns of a rank-2 kernel: ``factor * 0.5 *
    sum(|off-diagonal of the Gram matrix of the L2-normalised rows|) / (n * (n - 1) / 2)``."""

    def __init__(self, factor=0.01, mode="rows"):
        if isinstance(factor, bool) or not isinstance(factor, (int, float, np.floating)) or not np.isfinite(factor) \
                or factor < 0:
            raise ValueError(f"OrthogonalRegularizer: `factor` must be a non-negative float; received "
                             f"factor={factor!r}.")
        if mode not in ("rows", "columns"):
            raise ValueError(f"OrthogonalRegularizer: invalid value for argument `mode`. Expected one of "
                             f"{{'rows', 'columns'}}. Received: mode={mode!r}")
        self.factor, self.mode = float(factor), mode

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError(f"OrthogonalRegularizer: inputs must have rank 2 (a Dense kernel); received shape "
                             f"{tuple(x.shape)}.")
        axis = 1 if self.mode == "rows" else 0
        eps = 1e-7  # (Keras's normalize: x * min(rsqrt(sum(x**2)), 1 / epsilon))
        inv = ops.minimum(ops.power(ops.sum(ops.square(x), axis=axis, keepdims=True), -0.5), 1.0 / eps)
        unit = ops.multiply(x, inv)
        gram = ops.matmul(unit, ops.transpose(unit, (1, 0))) if axis == 1 else \
            ops.matmul(ops.transpose(unit, (1, 0)), unit)
        size = gram.shape[0]
        off = ops.multiply(gram, 1.0 - np.eye(size, dtype=gram.dtype))
        pairs = size * (size - 1.0) / 2.0
        return ops.multiply(ops.sum(ops.abs(off)), self.factor * 0.5 / pairs)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


def l1(l1=0.01):  # noqa: E741 - Keras's name
    return L1(l1)


def l2(l2=0.01):
    return L2(l2)


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1, l2)


_NAMES = register_builtins("keras.regularizers", "regularizer", classes=[Regularizer, L1, L2, L1L2,
                                                                                 OrthogonalRegularizer],
                           aliases={"l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer})


def get(identifier):
    """A regularizer from None, a name ('l1', 'L2', 'l1_l2', or a registered custom name), a config dict
    (Keras 3's or tf.keras 2's), a Regularizer class (its defaults) or instance, or any callable
    ``weights -> penalty``."""
    if identifier is None:
        return None
    obj = family_get(identifier, _NAMES, deserialize, lambda name: ValueError(
        f"Unknown regularizer: {name!r}. Valid names are: {', '.join(sorted(_NAMES))}, or a name registered "
        "with dendrite.saving.register_keras_serializable() or given in custom_object_scope."))
    if obj is None:
        raise TypeError(f"Could not interpret regularizer identifier: {identifier!r} (of type "
                        f"{type(identifier).__name__}). Pass None, a name such as 'l2', a config dict, a Regularizer "
                        "or a callable weights -> penalty.")
    return obj


def serialize(reg):
    """A regularizer's config in Keras 3's format ({'module', 'class_name', 'config', 'registered_name'})."""
    return serialize_keras_object(reg)


def deserialize(config, custom_objects=None):
    """The regularizer a config describes: dendrite's own, a registered one, or one in ``custom_objects``."""
    return deserialize_keras_object(config, custom_objects, module_objects=_NAMES,
                                    printable_module_name="regularizer")
