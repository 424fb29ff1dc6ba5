"""Batches sliced from in-memory arrays (the training hot path: one slice or fancy index per array per batch)."""
import math

from ... import backend
from ...utils.validation import positive_int
from .arrays import check_cardinality, map_data
from .base import DataAdapter


class ArrayAdapter(DataAdapter):
    """Batches of ``batch_size`` samples from standardized arrays, shuffled each pass when asked (``"batch"``:
    the order of batch-sized chunks only)."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None,
                 names=("x", "y", "sample_weight"), class_weights=None):
        super().__init__(steps, class_weights, names[0])
        self.x, self.y, self.sample_weight, self.names = x, y, sample_weight, names
        self.size = check_cardinality(x, y, sample_weight, names)
        if batch_size is None:  # as Keras: enough per batch to cover the data in `steps` batches, else 32
            batch_size = max(1, math.ceil(self.size / steps)) if steps else 32
        self.batch_size = positive_int("ArrayAdapter", "batch_size", batch_size)
        self.shuffle = shuffle
        self._full = math.ceil(self.size / self.batch_size)

    def _open_pass(self):
        bs, n = self.batch_size, self.size
        if self.shuffle == "batch":
            plan = [slice(s, s + bs) for s in backend.rng().permutation(math.ceil(n / bs)) * bs]
        elif self.shuffle:
            perm = backend.rng().permutation(n)
            plan = [perm[i:i + bs] for i in range(0, n, bs)]
        else:
            plan = [slice(i, i + bs) for i in range(0, n, bs)]
        return iter(plan)

    def _prepare(self, idx, index):
        take = (lambda a, _: a[idx])
        return (map_data(take, self.x, "x"), None if self.y is None else map_data(take, self.y, "y"),
                None if self.sample_weight is None else map_data(take, self.sample_weight, "sample_weight"))

    def first_batch(self):
        return self._prepare(slice(0, self.batch_size), 0)
