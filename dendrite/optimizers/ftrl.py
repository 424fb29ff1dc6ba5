"""Ftrl: Follow The Regularized Leader (McMahan et al., 2013), the linear estimators' default optimizer."""
from ..autodiff.row_gradient import squares_into
from ..backend import get_array_module
from ..utils.validation import number
from .base import Optimizer, _Default


class Ftrl(Optimizer):
    """Keras 3 Ftrl. With ``p = -learning_rate_power`` (0.5 by default), per coordinate:

    ``n' = n + g**2``; ``z += g + 2 * l2_shrinkage * w - (n'**p - n**p) / lr * w``;
    ``w = (clip(z, -l1, l1) - z) / (n'**p / lr + 2 * (l2 + beta / (2 * lr)))``; ``n = n'``.

    The accumulators ``n`` start at ``initial_accumulator_value``, the linear terms ``z`` at 0. The new weight
    is a closed form of ``z`` and ``n``: a weight whose ``|z|`` stays within ``l1`` is exactly zero.
    """

    _n_scratch = 2

    def __init__(self, learning_rate=_Default(0.001), learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name="ftrl", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.learning_rate_power = number("Ftrl", "learning_rate_power", learning_rate_power, high=0)
        self.initial_accumulator_value = number("Ftrl", "initial_accumulator_value", initial_accumulator_value,
                                                low=0)
        self.l1_regularization_strength = number("Ftrl", "l1_regularization_strength", l1_regularization_strength,
                                                 low=0)
        self.l2_regularization_strength = number("Ftrl", "l2_regularization_strength", l2_regularization_strength,
                                                 low=0)
        self.l2_shrinkage_regularization_strength = number(
            "Ftrl", "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, low=0)
        self.beta = number("Ftrl", "beta", beta, low=0)
        self._accumulators, self._linears = [], []

    def build(self, variables):
        new = super().build(variables)
        self._accumulators += self._add_slots(new, "accumulator", fill=self.initial_accumulator_value)
        self._linears += self._add_slots(new, "linear")
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        n, z = self._accumulators[self._i], self._linears[self._i]
        old_power, s = self._tmp[self._i]
        p = -self.learning_rate_power
        xp.power(n, p, out=old_power)
        z += grad
        if self.l2_shrinkage_regularization_strength:
            z += (2 * self.l2_shrinkage_regularization_strength) * value
        squares_into(grad, s, xp)  # (a lookup table's: per occurrence, as Keras 3 on TensorFlow)
        n += s
        xp.power(n, p, out=s)  # n'**p
        old_power -= s
        old_power *= value
        old_power /= lr  # -(n'**p - n**p) / lr * w
        z += old_power
        s /= lr
        s += 2 * (self.l2_regularization_strength + self.beta / (2 * lr))  # the quadratic term
        l1 = self.l1_regularization_strength
        xp.clip(z, -l1, l1, out=old_power)
        old_power -= z
        xp.divide(old_power, s, out=value)

    def get_config(self):
        config = super().get_config()
        config.update(learning_rate_power=self.learning_rate_power,
                      initial_accumulator_value=self.initial_accumulator_value,
                      l1_regularization_strength=self.l1_regularization_strength,
                      l2_regularization_strength=self.l2_regularization_strength,
                      l2_shrinkage_regularization_strength=self.l2_shrinkage_regularization_strength,
                      beta=self.beta)
        return config
