"""Weight penalties (keras.regularizers): l1, l2, l1_l2, by name and object."""
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


def l1(l1=0.01):  # noqa: E741 - Keras's name
    return L1(l1)


def l2(l2=0.01):
    return L2(l2)


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1, l2)


_NAMES = register_builtins("keras.regularizers", "regularizer", classes=[Regularizer, L1, L2, L1L2],
                           aliases={"l1": L1, "l2": L2, "l1_l2": L1L2})


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
