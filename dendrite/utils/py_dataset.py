"""``utils.PyDataset`` (Keras 3) and ``utils.Sequence`` (its Keras 2 name): batches made by Python code.

A subclass defines ``__len__`` (the number of batches, not samples) and ``__getitem__(index)`` (one whole
batch: x, (x,), (x, y) or (x, y, sample_weight)); ``on_epoch_begin`` / ``on_epoch_end`` run around each epoch
of fit. ``workers``, ``use_multiprocessing`` and ``max_queue_size`` say how fit / evaluate / predict read it:
with ``workers > 1`` a pool of threads, with ``use_multiprocessing=True`` a pool of processes, fills a queue of
at most ``max_queue_size`` batches ahead, in order. Iterated by hand, it reads its batches one by one.
"""
import itertools
import warnings

from .validation import non_negative_int, positive_int

_DEFAULTS = {"_workers": 1, "_use_multiprocessing": False, "_max_queue_size": 10}


class PyDataset:
    """Base class for a dataset of batches made by Python code (see the module's documentation)."""

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def _setting(self, key):
        if key not in self.__dict__:
            warnings.warn(f"{type(self).__name__} does not call super().__init__(**kwargs) in its constructor, so "
                          "PyDataset's `workers`, `use_multiprocessing` and `max_queue_size` take their defaults "
                          "(1, False, 10). Call super().__init__(**kwargs) and pass them to the constructor.",
                          stacklevel=3)
            self.__dict__.update((k, v) for k, v in _DEFAULTS.items() if k not in self.__dict__)
        return self.__dict__[key]

    @property
    def workers(self):
        return self._setting("_workers")

    @workers.setter
    def workers(self, value):
        self._workers = non_negative_int(type(self).__name__, "workers", value)

    @property
    def use_multiprocessing(self):
        return self._setting("_use_multiprocessing")

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"{type(self).__name__}: `use_multiprocessing` must be True or False. Received: "
                            f"use_multiprocessing={value!r} (type {type(value).__name__}).")
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        return self._setting("_max_queue_size")

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = positive_int(type(self).__name__, "max_queue_size", value)

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(self, index), returning batch "
                                  "`index` as x, (x, y) or (x, y, sample_weight).")

    @property
    def num_batches(self):
        """The number of batches (``len(self)``), or None for an endless dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(f"{type(self).__name__} must define __len__ (the number of batches), or a "
                                  "`num_batches` property returning it (None for an endless dataset).")

    def __iter__(self):
        n = self.num_batches
        for index in (itertools.count() if n is None else range(n)):
            yield self[index]

    def on_epoch_begin(self):
        """Called at the start of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch (e.g. to shuffle the samples between epochs)."""


Sequence = PyDataset
