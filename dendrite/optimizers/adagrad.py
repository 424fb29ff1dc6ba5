"""Adagrad and Adadelta: per-coordinate rates from accumulated squared gradients."""
from ..autodiff.row_gradient import RowGradient, squares_into
from ..backend import get_array_module
from ..utils.validation import number
from .base import Optimizer, _decay_rate, _Default, _epsilon


class Adagrad(Optimizer):
    """Keras 3 Adagrad: ``acc += g**2``; ``w -= lr * g / sqrt(acc + epsilon)``.

    The accumulators start at ``initial_accumulator_value``.
    """

    def __init__(self, learning_rate=_Default(0.001), initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="adagrad", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.initial_accumulator_value = number("Adagrad", "initial_accumulator_value", initial_accumulator_value,
                                                low=0)
        self.epsilon = _epsilon("Adagrad", epsilon)
        self._accumulators = []

    def build(self, variables):
        new = super().build(variables)
        self._accumulators += self._add_slots(new, "accumulator", fill=self.initial_accumulator_value)
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        accumulator, s = self._accumulators[self._i], self._tmp[self._i][0]
        squares_into(grad, s, xp)
        accumulator += s
        xp.add(accumulator, self.epsilon, out=s)
        xp.sqrt(s, out=s)
        xp.divide(grad, s, out=s)
        s *= lr
        value -= s

    def get_config(self):
        config = super().get_config()
        config.update(initial_accumulator_value=self.initial_accumulator_value,
                      epsilon=self.epsilon)
        return config


class Adadelta(Optimizer):
    """Keras 3 Adadelta.

    ``a = rho * a + (1 - rho) * g**2``;
    ``delta = -sqrt(d + epsilon) * g / sqrt(a + epsilon)``;
    ``d = rho * d + (1 - rho) * delta**2``; ``w += lr * delta``.
    """

    _n_scratch = 2

    def __init__(self, learning_rate=_Default(0.001), rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name="adadelta", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = _decay_rate("Adadelta", "rho", rho)
        self.epsilon = _epsilon("Adadelta", epsilon)
        self._accumulated_grads, self._accumulated_deltas = [], []

    def build(self, variables):
        new = super().build(variables)
        grads, deltas = self._add_slots(new, "accumulated_grad", "accumulated_delta_var")
        self._accumulated_grads += grads
        self._accumulated_deltas += deltas
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        i, rho = self._i, self.rho
        acc_grad, acc_delta = self._accumulated_grads[i], self._accumulated_deltas[i]
        neg_delta, s = self._tmp[i]
        squares_into(grad, s, xp)
        squares = s.copy() if grad.__class__ is RowGradient else None  # a lookup table's, per occurrence
        s *= 1.0 - rho
        acc_grad *= rho
        acc_grad += s
        xp.add(acc_delta, self.epsilon, out=neg_delta)
        xp.sqrt(neg_delta, out=neg_delta)
        neg_delta *= grad
        xp.add(acc_grad, self.epsilon, out=s)
        xp.sqrt(s, out=s)
        neg_delta /= s  # -delta: the sign is folded into the final subtraction
        if squares is None:
            xp.square(neg_delta, out=s)
        else:  # each occurrence's delta c * g_i squared, summed: c**2 times the sum of squares (Keras 3 on TF)
            xp.divide(xp.sqrt(acc_delta + self.epsilon), s, out=s)
            s *= s
            s *= squares
        s *= 1.0 - rho
        acc_delta *= rho
        acc_delta += s
        neg_delta *= lr
        value -= neg_delta

    def get_config(self):
        config = super().get_config()
        config.update(rho=self.rho, epsilon=self.epsilon)
        return config
