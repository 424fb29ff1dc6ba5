"""Adam and its relatives: AdamW, Adamax and Nadam (Keras 3 update rules)."""
import math

from ..autodiff.row_gradient import RowGradient, abs_into, squares_into
from ..autodiff.tensor import Variable
from ..backend import get_array_module
from ..runtime import split_flat
from .base import Optimizer, _decay_rate, _Default, _epsilon


def _set_betas(optimizer, beta_1, beta_2, epsilon):
    """The Adam family's moment decays, each in [0, 1), and ``epsilon`` >= 0, checked and set."""
    owner = type(optimizer).__name__
    optimizer.beta_1 = _decay_rate(owner, "beta_1", beta_1, closed=False)
    optimizer.beta_2 = _decay_rate(owner, "beta_2", beta_2, closed=False)
    optimizer.epsilon = _epsilon(owner, epsilon)


class Adam(Optimizer):
    """Adam, with the bias correction folded into the step size as Keras does.

    ``m += (g - m) * (1 - beta_1)``; ``v += (g**2 - v) * (1 - beta_2)``;
    ``w -= alpha * m / (sqrt(v) + epsilon)`` with
    ``alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``. ``amsgrad=True`` uses
    the running maximum of ``v`` in the denominator.
    """

    def __init__(self, learning_rate=_Default(0.001), beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="adam", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        _set_betas(self, beta_1, beta_2, epsilon)
        self.amsgrad = bool(amsgrad)
        self._momentums, self._velocities, self._velocity_hats = [], [], []

    def build(self, variables):
        new = super().build(variables)
        momentums, velocities = self._add_slots(new, "momentum", "velocity")
        self._momentums += momentums
        self._velocities += velocities
        if self.amsgrad:
            self._velocity_hats += self._add_slots(new, "velocity_hat")
        return new

    def update_step(self, grad, value, lr):
        i, t = self._i, self._t
        m, v, s = self._momentums[i], self._velocities[i], self._tmp[i][0]
        vhat = self._velocity_hats[i] if self.amsgrad else None
        alpha = lr * math.sqrt(1.0 - self.beta_2 ** t) / (1.0 - self.beta_1 ** t)
        split_flat(lambda *parts: self._update_part(*parts, alpha), grad, value, m, v, s, vhat)

    def _update_part(self, grad, value, m, v, s, vhat, alpha):
        xp = get_array_module(value)
        xp.subtract(grad, m, out=s)
        s *= 1.0 - self.beta_1
        m += s
        if grad.__class__ is RowGradient:  # a lookup table's: squared per occurrence (no call on dense ones)
            squares_into(grad, s, xp)
        else:
            xp.square(grad, out=s)
        s -= v
        s *= 1.0 - self.beta_2
        v += s
        if vhat is not None:
            v = xp.maximum(vhat, v, out=vhat)
        xp.sqrt(v, out=s)
        s += self.epsilon
        xp.divide(m, s, out=s)
        s *= alpha
        value -= s

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon,
                      amsgrad=self.amsgrad)
        return config


class AdamW(Adam):
    """Adam with decoupled weight decay: ``w -= w * weight_decay * lr`` before each step."""

    def __init__(self, learning_rate=_Default(0.001), weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="adamw", **kwargs):
        if weight_decay is None:
            raise ValueError("AdamW: argument `weight_decay` must be a float (Keras default 0.004). "
                             "Received: weight_decay=None. Use Adam for no weight decay.")
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)


class Adamax(Optimizer):
    """Adamax (Adam with the infinity norm).

    ``m += (g - m) * (1 - beta_1)``; ``u = max(beta_2 * u, |g|)``;
    ``w -= lr * m / ((1 - beta_1**t) * (u + epsilon))``.
    """

    def __init__(self, learning_rate=_Default(0.001), beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="adamax", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        _set_betas(self, beta_1, beta_2, epsilon)
        self._momentums, self._norms = [], []

    def build(self, variables):
        new = super().build(variables)
        momentums, norms = self._add_slots(new, "momentum", "norm")
        self._momentums += momentums
        self._norms += norms
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        i, t = self._i, self._t
        m, u, s = self._momentums[i], self._norms[i], self._tmp[i][0]
        xp.subtract(grad, m, out=s)
        s *= 1.0 - self.beta_1
        m += s
        u *= self.beta_2
        abs_into(grad, s, xp)
        xp.maximum(u, s, out=u)
        xp.add(u, self.epsilon, out=s)
        xp.divide(m, s, out=s)
        s *= lr / (1.0 - self.beta_1 ** t)
        value -= s

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config


class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum and Dozat's momentum schedule.

    ``u_t = beta_1 * (1 - 0.5 * 0.96**t)``; ``prod_t = u_1 * ... * u_t``;
    ``m_hat = u_{t+1} * m / (1 - prod_t * u_{t+1}) + (1 - u_t) * g / (1 - prod_t)``;
    ``w -= lr * m_hat / (sqrt(v / (1 - beta_2**t)) + epsilon)``.
    """

    _n_scratch = 2

    def __init__(self, learning_rate=_Default(0.001), beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="nadam", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, name=name, **kwargs)
        _set_betas(self, beta_1, beta_2, epsilon)
        self._momentums, self._velocities = [], []
        # the product of the momentum schedule u_1 * ... * u_t, state that a saved optimizer must keep
        self._u_product_variable = Variable(1.0, trainable=False, name="u_product", dtype="float64")
        self._u_product_variable.path = f"{self.name}/u_product"

    def build(self, variables):
        new = super().build(variables)
        momentums, velocities = self._add_slots(new, "momentum", "velocity")
        self._momentums += momentums
        self._velocities += velocities
        return new

    def _extra_variables(self):
        return [self._u_product_variable]

    def _before_update(self):
        self._u_product_variable.value *= self.beta_1 * (1.0 - 0.5 * 0.96 ** self._t)
        self._u_product = float(self._u_product_variable.value)

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        i, t, b1, b2 = self._i, self._t, self.beta_1, self.beta_2
        m, v = self._momentums[i], self._velocities[i]
        m_hat, s = self._tmp[i]
        u_t = b1 * (1.0 - 0.5 * 0.96 ** t)
        u_next = b1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        xp.subtract(grad, m, out=s)
        s *= 1.0 - b1
        m += s
        squares_into(grad, s, xp)
        s -= v
        s *= 1.0 - b2
        v += s
        xp.multiply(m, u_next / (1.0 - self._u_product * u_next), out=m_hat)
        xp.multiply(grad, (1.0 - u_t) / (1.0 - self._u_product), out=s)
        m_hat += s
        xp.divide(v, 1.0 - b2 ** t, out=s)
        xp.sqrt(s, out=s)
        s += self.epsilon
        m_hat /= s
        m_hat *= lr
        value -= m_hat

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config
