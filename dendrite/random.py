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
