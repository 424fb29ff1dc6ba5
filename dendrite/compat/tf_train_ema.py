"""``tf.train.ExponentialMovingAverage``: shadow copies of variables that follow them slowly. ``apply(vars)``
makes each variable's shadow the first time (its value then) and moves every shadow by
``shadow -= (1 - decay) * (shadow - value)``; with ``num_updates`` the decay is
``min(decay, (1 + num_updates) / (10 + num_updates))``, as TensorFlow's."""
import numpy as np

from ..autodiff import Variable
from ..autodiff.tensor import array_of


class ExponentialMovingAverage:

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay, self._num_updates, self.name = decay, num_updates, name
        self._zero_debias = zero_debias
        self._averages = {}  # id(variable) -> (variable, shadow)

    @property
    def decay(self):
        return self._decay

    def _current_decay(self):
        decay = float(np.asarray(array_of(self._decay)))
        if self._num_updates is not None:
            updates = float(np.asarray(array_of(self._num_updates)))
            decay = min(decay, (1.0 + updates) / (10.0 + updates))
        return decay

    def apply(self, var_list=None):
        if var_list is None:
            raise ValueError("ExponentialMovingAverage.apply: give the variables to average (`var_list`), e.g. "
                             "model.trainable_variables.")
        decay = self._current_decay()
        for var in var_list:
            if not isinstance(var, Variable) or np.asarray(var.value).dtype.kind != "f":
                raise TypeError(f"ExponentialMovingAverage.apply: expected float Variables; received {var!r}.")
            if id(var) not in self._averages:
                shadow = Variable(np.array(var.value), trainable=False, name=self.average_name(var))
                self._averages[id(var)] = (var, shadow)
            shadow = self._averages[id(var)][1]
            shadow.value[...] = shadow.value - (1.0 - decay) * (shadow.value - var.value)
        return None

    def average(self, var):
        """The shadow of ``var`` (a Variable), or None if ``apply`` has not seen it."""
        found = self._averages.get(id(var))
        return None if found is None else found[1]

    def average_name(self, var):
        return f"{str(getattr(var, 'name', 'Variable')).removesuffix(':0')}/{self.name}"

    def variables_to_restore(self, moving_avg_variables=None):
        return {self.average_name(v): v for v, _ in self._averages.values()}
