"""LossScaleOptimizer: dynamic loss scaling around another optimizer, as Keras 3 defines it.

Training multiplies the loss by the current scale (``scale_loss``); ``apply`` divides the gradients by it and
hands them to the inner optimizer when they are all finite. Non-finite gradients skip the step and halve the
scale; after ``dynamic_growth_steps`` finite steps in a row the scale doubles. dendrite computes in float32, where
the scale rarely matters, but the wrapper behaves as Keras's does so that its programs and configs run alike.
"""

import numpy as np

from ..autodiff.tensor import Variable
from ..backend import get_array_module
from ..saving.serialization import serialize_keras_object
from ..utils.validation import number, positive_int
from .base import Optimizer, _IGNORED
from .step_options import STEP_OPTIONS


class LossScaleOptimizer(Optimizer):
    """``inner_optimizer`` (an Optimizer) with the loss scaled by ``initial_scale`` (2**15), doubled after every
    ``dynamic_growth_steps`` (2000) finite steps and halved on each step with inf or NaN gradients (skipped).
    ``iterations`` and ``learning_rate`` are the inner optimizer's."""

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer: dynamic=False is not supported (as in Keras 3). For a fixed scale "
                             "set `loss_scale_factor` on the inner optimizer instead.")
        for key in _IGNORED:
            kwargs.pop(key, None)
        base = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None, **STEP_OPTIONS}
        for key in [k for k in kwargs if k in base]:
            if kwargs.pop(key) != base[key]:
                raise ValueError(f"LossScaleOptimizer does not support `{key}`: set it on the inner_optimizer.")
        if kwargs:
            raise ValueError(f"LossScaleOptimizer: argument(s) not recognized: {sorted(kwargs)}. Valid arguments: "
                             "inner_optimizer, initial_scale, dynamic_growth_steps, name.")
        if isinstance(inner_optimizer, (str, dict)):
            from . import get  # (imported here: the package imports this module)
            inner_optimizer = get(inner_optimizer)
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError("LossScaleOptimizer: `inner_optimizer` must be an Optimizer instance such as "
                            f"optimizers.Adam(). Received: {inner_optimizer!r} (type {type(inner_optimizer).__name__}).")
        super().__init__(0.0, name=name or "loss_scale_optimizer")
        self.inner_optimizer = inner_optimizer
        self.initial_scale = number("LossScaleOptimizer", "initial_scale", initial_scale, low=0, low_open=True)
        self.dynamic_growth_steps = positive_int("LossScaleOptimizer", "dynamic_growth_steps", dynamic_growth_steps)
        inner_optimizer.loss_scale_factor = None
        self.step_counter = self.dynamic_scale = None

    def build(self, variables):
        if self.step_counter is None:
            self.step_counter = Variable(np.int64(0), trainable=False, name="step_counter", dtype="int64")
            self.dynamic_scale = Variable(np.float32(self.initial_scale), trainable=False, name="dynamic_scale",
                                          dtype="float32")
            for var in (self.step_counter, self.dynamic_scale):
                var.path = f"{self.name}/{var.name}"
        self.inner_optimizer.build(variables)
        return super().build(variables)

    @property
    def variables(self):
        """Its own state (iteration, learning rate, step_counter, dynamic_scale, as Keras lists them), then the
        inner optimizer's."""
        own = [self._iterations, self._learning_rate]
        if self.step_counter is not None:
            own += [self.step_counter, self.dynamic_scale]
        return own + self.inner_optimizer.variables

    def apply(self, grads, variables=None):
        grads = list(grads)
        if variables is not None:
            variables = list(variables)
        if not self.built or (variables is not None and any(id(v) not in self._index for v in variables)):
            if variables is None:
                raise ValueError(f"LossScaleOptimizer '{self.name}': `apply(grads)` without variables needs a built "
                                 "optimizer. Call `optimizer.build(variables)` first, or pass the variables.")
            self.build(variables)
        finite = all(g is None or bool(get_array_module(g).isfinite(g).all()) for g in grads)
        if not finite:
            self.step_counter.assign(0)
            self.dynamic_scale.assign(self.dynamic_scale.value * 0.5)
            return
        scale = float(self.dynamic_scale.value)
        self.inner_optimizer.apply([None if g is None else g / scale for g in grads], variables)
        if int(self.step_counter.value) == self.dynamic_growth_steps - 1:
            self.step_counter.assign(0)
            self.dynamic_scale.assign(self.dynamic_scale.value * 2.0)
        else:
            self.step_counter.assign_add(1)

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    lr = learning_rate

    def scale_loss(self, loss):
        """``loss`` times the current scale (the initial one before the first step)."""
        from ..autodiff import ops  # (imported here: the ops need the optimizers' package loaded first)
        scale = float(self.dynamic_scale.value) if self.step_counter is not None else self.initial_scale
        return ops.multiply(loss, scale)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        return {"name": self.name, "inner_optimizer": serialize_keras_object(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from . import deserialize  # (imported here: the package imports this module)
        config = dict(config)
        inner = config.pop("inner_optimizer")
        if isinstance(inner, dict):
            inner = deserialize(inner, custom_objects=custom_objects)
        return cls(inner, **config)

    def __repr__(self):
        return (f"<LossScaleOptimizer name={self.name!r} scale="
                f"{float(self.dynamic_scale.value) if self.dynamic_scale is not None else self.initial_scale} "
                f"inner={self.inner_optimizer!r}>")
