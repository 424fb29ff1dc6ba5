"""``keras.mixed_precision`` (Keras 3 and tf.keras 2, with TF 2.1-2.3's ``experimental`` spellings): dtype
policies, the global policy and LossScaleOptimizer.

dendrite computes in float32 (or float64) on the CPU. A mixed policy ('mixed_float16', 'mixed_bfloat16') is
accepted and recorded, so that programs written for it run: each layer keeps float32 variables, as Keras does
under a mixed policy, and computes in float32 rather than in half precision (results agree up to the half
precision's rounding), with a one-time note saying so. ``layer.dtype_policy`` names the policy the layer was made
under; ``layer.compute_dtype`` says what dendrite really computes in."""
from .. import backend
from ..layers.base import Layer
from ..optimizers import LossScaleOptimizer
from ._notes import note

_HALF = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16", "float16": "float16", "bfloat16": "bfloat16"}
_FULL = ("float32", "float64")
_global = {"name": None}  # a half or mixed policy set by set_global_policy; None: backend.floatx()


class Policy:
    """``keras.mixed_precision.Policy(name)`` (Keras 3's ``DTypePolicy``): 'float32', 'float64', 'float16',
    'bfloat16', 'mixed_float16' or 'mixed_bfloat16'; ``compute_dtype`` and ``variable_dtype`` as Keras gives
    them for that name."""

    def __init__(self, name):
        name = getattr(name, "name", name)
        if name not in _HALF and name not in _FULL:
            raise ValueError(f"keras.mixed_precision.Policy: `name` must be one of 'float32', 'float64', 'float16', "
                             f"'bfloat16', 'mixed_float16', 'mixed_bfloat16'; received name={name!r}.")
        self.name = name

    @property
    def compute_dtype(self):
        return _HALF.get(self.name, self.name)

    @property
    def variable_dtype(self):
        return "float32" if self.name.startswith("mixed_") else self.compute_dtype

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, Policy) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return f'<DTypePolicy "{self.name}">'


def _note_half(name):
    note(("mixed_precision", name), f"the dtype policy '{name}' is accepted, but dendrite computes in float32 on "
                                    "the CPU: layers keep float32 variables (as Keras does) and compute in float32, "
                                    "not half precision.")


def set_global_policy(policy):
    """Set the policy new layers take when made without a ``dtype``: a Policy or its name (None: 'float32')."""
    name = "float32" if policy is None else Policy(policy).name
    if name in _FULL:
        _global["name"] = None
        backend.set_floatx(name)
    else:
        _note_half(name)
        _global["name"] = name


def global_policy():
    return Policy(_global["name"] or backend.floatx())


def _layer_dtype(dtype):
    """(the dtype a layer is made with, the policy name it reports) for a layer's ``dtype`` argument."""
    config_name = dtype.get("config", {}).get("name") if isinstance(dtype, dict) else None
    name = config_name or getattr(dtype, "name", dtype)
    if name is None:
        return None, _global["name"]
    if isinstance(name, str) and name in _HALF:
        _note_half(name)
        return "float32", name
    return dtype, None


_LAYER_INIT = Layer.__init__


def _init(self, *args, **kwargs):
    """Layer.__init__ under compatibility mode: a half or mixed policy (given or global) makes a float32 layer
    that remembers the policy's name."""
    dtype, policy = _layer_dtype(kwargs.get("dtype"))
    if "dtype" in kwargs or dtype is not None:
        kwargs["dtype"] = dtype
    _LAYER_INIT(self, *args, **kwargs)
    if policy is not None:
        self._dtype_policy_name = policy


def _dtype_policy(self):
    return Policy(self.__dict__.get("_dtype_policy_name") or self.dtype)


def targets():
    """(class, attribute, value) for each change compatibility mode makes (applied and undone by _patches)."""
    return [(Layer, "__init__", _init), (Layer, "dtype_policy", property(_dtype_policy)),
            (Layer, "compute_dtype", property(lambda self: self.dtype)),
            (Layer, "variable_dtype", property(lambda self: self.dtype))]


def _get_scaled_loss(self, loss):
    return self.scale_loss(loss)


def _scale(self):
    return float(self.dynamic_scale.value) if self.dynamic_scale is not None else self.initial_scale


def _get_unscaled_gradients(self, grads):
    """tf.keras 2's ``get_unscaled_gradients``: each gradient divided by the current scale. tf.keras 2's
    ``apply_gradients`` then takes these unscaled gradients, where Keras 3's (dendrite's) ``apply`` takes scaled
    ones; the optimizer remembers that the next apply is given unscaled gradients."""
    from .keras_ops.convert import flt
    from ..autodiff import ops
    self._given_unscaled = True
    return [None if g is None else ops.divide(flt(g), _scale(self)) for g in grads]


_APPLY = LossScaleOptimizer.apply


def _apply(self, grads, variables=None):
    if self.__dict__.pop("_given_unscaled", False):  # scaled again (by a power of two: exact), as apply expects
        scale = _scale(self)
        grads = [None if g is None else g * scale for g in (getattr(g, "value", g) for g in grads)]
    return _APPLY(self, grads, variables)


def loss_scale_targets():
    """tf.keras 2's LossScaleOptimizer methods for custom loops (``get_scaled_loss`` / ``get_unscaled_gradients``,
    whose result ``apply_gradients`` takes) and its ``loss_scale`` attribute."""
    return [(LossScaleOptimizer, "get_scaled_loss", _get_scaled_loss),
            (LossScaleOptimizer, "get_unscaled_gradients", _get_unscaled_gradients),
            (LossScaleOptimizer, "apply", _apply),
            (LossScaleOptimizer, "loss_scale", property(_scale))]


def experimental_set_policy(policy):
    set_global_policy(policy)


NAMES = {"Policy": Policy, "DTypePolicy": Policy, "set_global_policy": set_global_policy,
         "global_policy": global_policy, "LossScaleOptimizer": LossScaleOptimizer}
EXPERIMENTAL = dict(NAMES, set_policy=experimental_set_policy, LossScaleOptimizer=LossScaleOptimizer)
