"""Where random draws come from: ``SeedGenerator`` (keras.random.SeedGenerator) and the one rule that
turns a ``seed`` argument into a NumPy generator.

- ``seed=None``: dendrite's global generator (backend.rng(), which utils.set_random_seed reseeds).
- an integer: a generator made afresh from it, so the same call draws the same values every time (as
  Keras's random ops given an int seed; initializers rely on this).
- a ``SeedGenerator``: its own stream, which moves on with every draw, so a seeded layer draws a new
  but reproducible mask on each call (as a Keras 3 Dropout(seed=...) does).
"""
import numpy as np

from . import backend
from .utils.validation import non_negative_int


def check_seed(seed, who):
    """``seed`` as a non-negative int, or None; anything else raises an error naming ``who``."""
    return non_negative_int(who, "seed", seed, allow_none=True,
                            hint="Pass e.g. seed=42, or leave it out to draw from dendrite's generator.")


class SeedGenerator:
    """A reproducible stream of random draws: two made with the same seed give the same sequence, and
    each draw moves the stream on. Without a seed, its starting point is drawn from dendrite's global
    generator (so utils.set_random_seed makes it repeat too)."""

    def __init__(self, seed=None, name=None):
        self.seed = check_seed(seed, "SeedGenerator")
        self.name = name
        start = self.seed if self.seed is not None else int(backend.rng().integers(2 ** 63))
        self.generator = np.random.default_rng(start)

    def next(self):
        """A fresh integer seed from the stream (for code that wants an int)."""
        return int(self.generator.integers(2 ** 63))

    def get_config(self):
        return {"seed": self.seed, "name": self.name}

    def __repr__(self):
        return f"SeedGenerator(seed={self.seed!r})"


def generator_for(seed):
    """The NumPy generator a draw with this ``seed`` argument uses (see the module's docstring)."""
    if seed is None:
        return backend.rng()
    if isinstance(seed, SeedGenerator):
        return seed.generator
    return np.random.default_rng(seed)


# ------------------------------------------------------------- keras.random's draws, as Tensors
def _draw(values, dtype):
    from .autodiff import Tensor
    return Tensor(np.asarray(values).astype(np.dtype(dtype or backend.floatx())))


def _size(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """``keras.random.normal``: draws from N(mean, stddev**2)."""
    return _draw(generator_for(seed).normal(mean, stddev, _size(shape)), dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """``keras.random.uniform``: draws from [minval, maxval)."""
    return _draw(generator_for(seed).uniform(minval, maxval, _size(shape)), dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """``keras.random.truncated_normal``: normal draws, those beyond two standard deviations drawn again."""
    rng, out = generator_for(seed), None
    out = rng.standard_normal(_size(shape))
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2
    return _draw(mean + stddev * out, dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """``keras.random.randint``: integers from [minval, maxval)."""
    return _draw(generator_for(seed).integers(minval, maxval, _size(shape)), dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """``keras.random.categorical``: ``num_samples`` class indices per row of ``logits`` (batch, classes)."""
    from .autodiff import array_of
    logits = np.asarray(array_of(logits), dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"keras.random.categorical: logits must have shape (batch_size, num_classes); received "
                         f"shape {logits.shape}.")
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    rng = generator_for(seed)
    return _draw(np.stack([rng.choice(p.shape[-1], int(num_samples), p=row) for row in p]), dtype)


def _positive(who, name, value):
    arr = np.asarray(getattr(value, "value", value), dtype=np.float64)
    if not np.all(arr > 0):
        raise ValueError(f"keras.random.{who}: `{name}` must be positive. Received: {name}={value!r}.")
    return arr


def gamma(shape, alpha, dtype=None, seed=None):
    """``keras.random.gamma``: draws from Gamma(alpha, 1) (alpha broadcasts to ``shape``)."""
    return _draw(generator_for(seed).gamma(_positive("gamma", "alpha", alpha), 1.0, _size(shape)), dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """``keras.random.beta``: draws from Beta(alpha, beta) (both broadcast to ``shape``)."""
    a, b = _positive("beta", "alpha", alpha), _positive("beta", "beta", beta)
    return _draw(generator_for(seed).beta(a, b, _size(shape)), dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """``keras.random.binomial``: the number of successes in ``counts`` trials of probability ``probabilities``
    (both broadcast to ``shape``), as floats unless ``dtype`` says otherwise."""
    p = np.asarray(getattr(probabilities, "value", probabilities), dtype=np.float64)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"keras.random.binomial: `probabilities` must lie in [0, 1]. Received: {probabilities!r}.")
    n = np.asarray(getattr(counts, "value", counts))
    return _draw(generator_for(seed).binomial(n.astype(np.int64), p, _size(shape)), dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """``keras.random.dropout``: each entry zeroed with probability ``rate``, the rest scaled by 1 / (1 - rate)."""
    from .autodiff import Tensor, array_of, ops
    if not isinstance(inputs, Tensor):
        values = np.asarray(array_of(inputs))
        inputs = Tensor(values if values.dtype.kind == "f" else values.astype(backend.floatx()))
    return ops.dropout(inputs, rate, noise_shape, seed)


def shuffle(x, axis=0, seed=None):
    """``keras.random.shuffle``: ``x`` with its entries along ``axis`` in a random order."""
    from .autodiff import Tensor, array_of
    values = np.asarray(array_of(x))
    order = generator_for(seed).permutation(values.shape[axis])
    return Tensor(np.take(values, order, axis=axis))
