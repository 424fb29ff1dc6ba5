"""Adafactor (Shazeer & Stern, 2018), as Keras 3 defines it: the second moment of a matrix kept as its row and
column means, so the optimizer's memory grows with rows + columns rather than their product."""
import math

from ..autodiff.tensor import Variable
from ..backend import get_array_module
from ..utils.validation import number
from .base import Optimizer, _Default


def _rms(xp, x):
    return math.sqrt(float(xp.mean(xp.square(x))))


class Adafactor(Optimizer):
    """At step t, with ``rho = min(lr, 1 / sqrt(t))`` and ``beta = 1 - t**beta_2_decay``: the squared gradient
    (plus ``epsilon_1``) is averaged with decay ``beta`` into ``r`` (its mean over the last axis) and ``c`` (over
    the second last) for variables of 2 or more axes, giving ``v = r / mean(r) x c``; into ``v`` itself for
    the others. The step ``u = g / sqrt(v)`` is scaled down to an RMS of at most ``clip_threshold`` and the
    variable moves by ``max(epsilon_2, rms(w)) * rho * u``. ``relative_step`` is kept for Keras's config (its
    ``min(lr, 1 / sqrt(t))`` is the one above)."""

    def __init__(self, learning_rate=_Default(0.001), beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="adafactor", **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_2_decay = number("Adafactor", "beta_2_decay", beta_2_decay, high=0,
                                   hint="The second moment's decay is 1 - t**beta_2_decay, so it must be <= 0.")
        self.epsilon_1 = number("Adafactor", "epsilon_1", epsilon_1, low=0)
        self.epsilon_2 = number("Adafactor", "epsilon_2", epsilon_2, low=0)
        self.clip_threshold = number("Adafactor", "clip_threshold", clip_threshold, low=0, low_open=True)
        self.relative_step = bool(relative_step)
        self._factors = []  # per variable: (r, c, v) arrays; r and c are unused scalars below 2 axes

    def build(self, variables):
        new = super().build(variables)
        block = self._slot_blocks.setdefault(("r", "c", "velocity"), [])
        for var in new:
            value = var.value
            xp = get_array_module(value)
            prefix = str(getattr(var, "path", None) or var.name).replace("/", "_")
            shapes = (value.shape[:-1], value.shape[:-2] + value.shape[-1:]) if value.ndim >= 2 else ((), ())
            slots = [Variable(xp.zeros(shape, dtype=value.dtype), trainable=False, name=prefix, dtype=value.dtype)
                     for shape in shapes]
            slots.append(Variable(xp.zeros_like(value), trainable=False, name=f"{prefix}_velocity",
                                  dtype=value.dtype))
            for slot in slots:
                slot.path = f"{self.name}/{slot.name}"
            block.append(tuple(slots))
            self._factors.append(tuple(slot.value for slot in slots))
        return new

    def update_step(self, grad, value, lr):
        xp = get_array_module(value)
        r, c, v = self._factors[self._i]
        t = float(self._t)
        rho = min(lr, 1.0 / math.sqrt(t))
        alpha = max(self.epsilon_2, _rms(xp, value)) * rho
        squared = xp.square(grad)
        squared += self.epsilon_1
        beta = 1.0 - t ** self.beta_2_decay
        if value.ndim >= 2:
            r *= beta
            r += (1.0 - beta) * xp.mean(squared, axis=-1)
            c *= beta
            c += (1.0 - beta) * xp.mean(squared, axis=-2)
            xp.multiply((r / xp.mean(r, axis=-1, keepdims=True))[..., None], c[..., None, :], out=v)
        else:
            v *= beta
            v += (1.0 - beta) * squared
        u = grad / xp.sqrt(v)
        u /= max(1.0, _rms(xp, u) / self.clip_threshold)
        u *= alpha
        value -= u

    def get_config(self):
        config = super().get_config()
        config.update(beta_2_decay=self.beta_2_decay, epsilon_1=self.epsilon_1, epsilon_2=self.epsilon_2,
                      clip_threshold=self.clip_threshold, relative_step=self.relative_step)
        return config
