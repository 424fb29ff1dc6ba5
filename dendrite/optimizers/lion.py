"""Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"), as Keras 3 defines it."""
from ..backend import get_array_module
from ..utils.validation import number
from .base import Optimizer, _decay_rate, _Default


class Lion(Optimizer):
    """The sign of an interpolation of momentum and gradient as the step:

    ``w -= lr * sign(beta_1 * m + (1 - beta_1) * g)``, then ``m = beta_2 * m + (1 - beta_2) * g``.
    Its steps all have size ``lr``: it wants a learning rate 3-10 times smaller than AdamW's.
    """

    def __init__(self, learning_rate=_Default(0.001), beta_1=0.9, beta_2=0.99, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name="lion", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = number("Lion", "beta_1", beta_1, low=0, high=1, low_open=True,
                             hint="With beta_1 = 0 Lion is sign SGD.")
        self.beta_2 = _decay_rate("Lion", "beta_2", beta_2)
        self._momentums = []

    def build(self, variables):
        new = super().build(variables)
        self._momentums += self._add_slots(new, "momentum")
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        m, s = self._momentums[self._i], self._tmp[self._i][0]
        xp.multiply(m, self.beta_1, out=s)
        s += (1.0 - self.beta_1) * grad
        xp.sign(s, out=s)
        s *= lr
        value -= s
        m *= self.beta_2
        m += (1.0 - self.beta_2) * grad

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2)
        return config
