"""Keras 2's ``keras.preprocessing.image.Iterator``: the base of the batch iterators (``NumpyArrayIterator``,
``DirectoryIterator``, what ``ImageDataGenerator.flow`` gives). A subclass sets up ``n`` samples and
implements ``_get_batches_of_transformed_samples(index_array)``; the base gives ``len`` (batches per epoch),
``it[i]`` (batch i of the epoch's order), ``next(it)`` (endless, a new order each epoch when ``shuffle``),
``on_epoch_end`` and ``reset``. Orders are drawn from dendrite's generator (``seed`` fixes them). As in
Keras it is a ``utils.Sequence`` (PyDataset), so ``fit`` runs ``len(it)`` batches an epoch without
``steps_per_epoch``."""
import math

import numpy as np

from ..random import generator_for
from ..utils.py_dataset import PyDataset


class Iterator(PyDataset):
    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        if int(batch_size) < 1:
            raise ValueError(f"Iterator: `batch_size` must be a positive integer. Received: {batch_size!r}.")
        self.n, self.batch_size, self.shuffle, self.seed = int(n), int(batch_size), bool(shuffle), seed
        self.batch_index = 0
        self.total_batches_seen = 0
        self._rng = generator_for(seed) if seed is not None else None
        self.index_array = None

    def _set_index_array(self):
        self.index_array = np.arange(self.n)
        if self.shuffle:
            self.index_array = (self._rng if self._rng is not None else generator_for(None)).permutation(self.n)

    def __len__(self):
        return math.ceil(self.n / self.batch_size)

    def __getitem__(self, idx):
        if not 0 <= idx < len(self):
            raise ValueError(f"Iterator: asked for batch {idx}, but the iterator has only {len(self)} batches.")
        if self.index_array is None:
            self._set_index_array()
        index_array = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(index_array)

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.batch_index == 0 or self.index_array is None:
            self._set_index_array()
        idx = self.batch_index
        self.batch_index = (self.batch_index + 1) % len(self) if len(self) else 0
        self.total_batches_seen += 1
        index_array = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(index_array)

    def next(self):
        return self.__next__()

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError(f"{type(self).__name__} must implement _get_batches_of_transformed_samples("
                                  "index_array), returning the batch for those sample indices.")
