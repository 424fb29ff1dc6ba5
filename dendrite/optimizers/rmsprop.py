"""RMSprop: gradients divided by a moving root-mean-square of their history."""
from ..autodiff.row_gradient import squares_into
from ..backend import get_array_module
from .base import Optimizer, _decay_rate, _Default, _epsilon


class RMSprop(Optimizer):
    """Keras 3 RMSprop (plain momentum, optional centring).

    ``v = rho * v + (1 - rho) * g**2``; centred, also ``a = rho * a + (1 - rho) * g``
    and the denominator is ``v - a**2``. ``inc = lr * g / sqrt(denominator + epsilon)``;
    with momentum ``mom = momentum * mom + inc`` and ``w -= mom``, else ``w -= inc``.
    """

    def __init__(self, learning_rate=_Default(0.001), rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="rmsprop", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = _decay_rate("RMSprop", "rho", rho)
        self.momentum = _decay_rate("RMSprop", "momentum", momentum)
        self.epsilon = _epsilon("RMSprop", epsilon)
        self.centered = bool(centered)
        self._velocities, self._momentums, self._average_gradients = [], [], []

    def build(self, variables):
        new = super().build(variables)
        self._velocities += self._add_slots(new, "velocity")
        if self.momentum > 0:
            self._momentums += self._add_slots(new, "momentum")
        if self.centered:
            self._average_gradients += self._add_slots(new, "average_gradient")
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        i, rho = self._i, self.rho
        velocity, s = self._velocities[i], self._tmp[i][0]
        velocity *= rho
        squares_into(grad, s, xp)
        s *= 1.0 - rho
        velocity += s
        if self.centered:
            average = self._average_gradients[i]
            average *= rho
            xp.multiply(grad, 1.0 - rho, out=s)
            average += s
            xp.square(average, out=s)
            xp.subtract(velocity, s, out=s)
            s += self.epsilon
        else:
            xp.add(velocity, self.epsilon, out=s)
        xp.sqrt(s, out=s)
        xp.divide(grad, s, out=s)
        s *= lr
        if self.momentum > 0:
            momentum = self._momentums[i]
            momentum *= self.momentum
            momentum += s
            value -= momentum
        else:
            value -= s

    def get_config(self):
        config = super().get_config()
        config.update(rho=self.rho, momentum=self.momentum, epsilon=self.epsilon,
                      centered=self.centered)
        return config
