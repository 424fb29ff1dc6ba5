"""Random ops: inverted dropout (scales kept units by 1 / (1 - rate), as Keras) and Gaussian noise, added or
multiplied. Each takes a ``seed`` as dendrite.random.generator_for reads it."""
import math

from ..tape import Op
from .elementwise import add, multiply
from ...random import generator_for


class Dropout(Op):
    def __init__(self, rate, noise_shape=None, seed=None):
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def forward(self, x):
        shape = x.shape if self.noise_shape is None else tuple(
            n if s is None else s for s, n in zip(self.noise_shape, x.shape))
        keep = generator_for(self.seed).random(shape, dtype=x.dtype) >= x.dtype.type(self.rate)
        self.mask = keep * x.dtype.type(1.0 / (1.0 - self.rate))
        return x * self.mask

    def vjp(self, g, needed):
        return (g * self.mask,)


def dropout(x, rate, noise_shape=None, seed=None):
    """Zero each element with probability ``rate`` and scale the rest by 1 / (1 - rate).

    ``seed``: None (dendrite's generator), an int (the same mask on every call) or a
    ``dendrite.random.SeedGenerator`` (a new, reproducible mask on each call)."""
    if rate <= 0:
        return x
    return Dropout(rate, noise_shape, seed)(x)


def _normal(x, mean, stddev, seed):
    """Normal draws shaped and typed like ``x`` (a Tensor)."""
    draws = generator_for(seed).standard_normal(x.shape, dtype=x.dtype)
    draws *= x.dtype.type(stddev)
    if mean:
        draws += x.dtype.type(mean)
    return draws


def gaussian_noise(x, stddev, seed=None):
    """``x`` plus zero-centred normal noise of standard deviation ``stddev`` (``seed`` as for dropout)."""
    return add(x, _normal(x, 0.0, stddev, seed)) if stddev > 0 else x


def gaussian_dropout(x, rate, seed=None):
    """``x`` times normal noise of mean 1 and standard deviation sqrt(rate / (1 - rate)), for 0 <= rate < 1."""
    return multiply(x, _normal(x, 1.0, math.sqrt(rate / (1.0 - rate)), seed)) if rate > 0 else x
