"""LAMB (You et al., 2019, "Large Batch Optimization for Deep Learning"), as Keras 3 defines it: Adam's
bias-corrected step, rescaled per variable by the trust ratio ``||w|| / ||step||`` (1 when either norm is 0)."""
from ..autodiff.row_gradient import squares_into
from ..backend import get_array_module
from .adam import _set_betas
from .base import Optimizer, _Default


class Lamb(Optimizer):
    """``m += (g - m) * (1 - beta_1)``; ``v += (g**2 - v) * (1 - beta_2)``;
    ``step = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)``;
    ``w -= lr * (||w|| / ||step||) * step``."""

    def __init__(self, learning_rate=_Default(0.001), beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name="lamb", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        _set_betas(self, beta_1, beta_2, epsilon)
        self._momentums, self._velocities = [], []

    def build(self, variables):
        new = super().build(variables)
        momentums, velocities = self._add_slots(new, "momentum", "velocity")
        self._momentums += momentums
        self._velocities += velocities
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        i, t = self._i, self._t
        m, v = self._momentums[i], self._velocities[i]
        m += (grad - m) * (1.0 - self.beta_1)
        v += (squares_into(grad, xp.empty_like(v), xp) - v) * (1.0 - self.beta_2)
        step = (m / (1.0 - self.beta_1 ** t)) / (xp.sqrt(v / (1.0 - self.beta_2 ** t)) + self.epsilon)
        w_norm, s_norm = float(xp.sqrt(xp.sum(xp.square(value)))), float(xp.sqrt(xp.sum(xp.square(step))))
        ratio = w_norm / s_norm if w_norm > 0 and s_norm > 0 else 1.0
        value -= (ratio * lr) * step.astype(value.dtype, copy=False)

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config
