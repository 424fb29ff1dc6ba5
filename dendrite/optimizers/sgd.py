"""Stochastic gradient descent, with optional (Nesterov) momentum."""
from ..backend import get_array_module
from .base import Optimizer, _decay_rate, _Default


class SGD(Optimizer):
    """Gradient descent, as Keras 3 defines it.

    Without momentum ``w -= lr * g``. With momentum ``m = momentum * m - lr * g``
    then ``w += m``; with ``nesterov=True``, ``w += momentum * m - lr * g``.
    """

    def __init__(self, learning_rate=_Default(0.01), momentum=0.0, nesterov=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="SGD", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.momentum = _decay_rate("SGD", "momentum", momentum)
        self.nesterov = bool(nesterov)
        self._momentums = []

    def build(self, variables):
        new = super().build(variables)
        if self.momentum != 0:
            self._momentums += self._add_slots(new, "momentum")
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        step = self._tmp[self._i][0]
        xp.multiply(grad, lr, out=step)
        if self.momentum == 0:
            value -= step
            return
        m = self._momentums[self._i]
        m *= self.momentum
        m -= step
        if self.nesterov:
            value -= step
            xp.multiply(m, self.momentum, out=step)
            value += step
        else:
            value += m

    def get_config(self):
        config = super().get_config()
        config.update(momentum=self.momentum, nesterov=self.nesterov)
        return config
