"""Random ops: inverted dropout (scales kept units by 1 / (1 - rate), as Keras)."""
from ..tape import Op
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
