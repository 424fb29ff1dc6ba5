"""Endless sources: ``Dataset.counter`` (start, start + step, ...) and ``Dataset.random`` (pseudorandom int64
values, a fresh stream on every pass unless told otherwise)."""
import numpy as np

from . import cardinality as counts
from . import structure
from .dataset import Dataset


class Counter(Dataset):
    """``Dataset.counter(start=0, step=1, dtype=int64)``: start, start + step, ... without end."""

    def __init__(self, start=0, step=1, dtype=np.int64):
        self._dtype = structure.as_dtype(dtype)
        if self._dtype.kind not in "iuf":
            raise TypeError(f"Dataset.counter: `dtype` must be a numeric dtype. Received: dtype={dtype!r}.")
        self._start, self._step = self._dtype.type(start), self._dtype.type(step)

    def _cardinality(self):
        return counts.INFINITE

    def _spec(self):
        return structure.TensorSpec((), self._dtype)

    def _iterate(self):
        value = self._start
        while True:
            yield value
            value = self._dtype.type(value + self._step)


class Random(Dataset):
    """``Dataset.random(seed=None, rerandomize_each_iteration=None)``: endless pseudorandom int64 values in
    [0, 2**32), as TensorFlow's (not its numbers). With a seed the stream repeats on every pass unless
    ``rerandomize_each_iteration=True``; without one every pass draws afresh."""

    BLOCK = 1024

    def __init__(self, seed=None, rerandomize_each_iteration=None):
        from .shuffle import epoch_rng
        reshuffle = (seed is None) if rerandomize_each_iteration is None else bool(rerandomize_each_iteration)
        self._rng = epoch_rng(seed, reshuffle, "random")

    def _cardinality(self):
        return counts.INFINITE

    def _spec(self):
        return structure.TensorSpec((), np.int64)

    def _iterate(self):
        rng = self._rng()
        while True:
            yield from rng.integers(0, 2 ** 32, self.BLOCK, dtype=np.int64)
