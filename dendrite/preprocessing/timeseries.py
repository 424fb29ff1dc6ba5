"""Keras 2's ``keras.preprocessing.sequence.TimeseriesGenerator``: batches of windows over a series, a
``utils.Sequence`` (PyDataset) that ``fit`` takes.

A sample ending before row ``r`` (its target is ``targets[r]``) is ``data[r - length : r : sampling_rate]``;
the rows run from ``start_index + length`` to ``end_index`` (default: the last row) every ``stride`` rows,
``batch_size`` samples to a batch (``shuffle``: each batch ``batch_size`` rows drawn at random, with
replacement, as Keras 2 draws them, from dendrite's generator). ``reverse`` gives each window last step
first."""
import json

import numpy as np

from ..random import generator_for
from ..utils.py_dataset import PyDataset


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"TimeseriesGenerator: `{name}` must be a positive integer. Received: {name}={value!r}.")
    return int(value)


class TimeseriesGenerator(PyDataset):
    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0, end_index=None,
                 shuffle=False, reverse=False, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError(f"TimeseriesGenerator: `data` and `targets` must have the same length. Received "
                             f"{len(data)} data rows and {len(targets)} targets.")
        self.data, self.targets = data, targets
        self.length = _positive("length", length)
        self.sampling_rate = _positive("sampling_rate", sampling_rate)
        self.stride = _positive("stride", stride)
        self.batch_size = _positive("batch_size", batch_size)
        self.start_index = int(start_index) + self.length
        self.end_index = len(data) - 1 if end_index is None else int(end_index)
        self.shuffle, self.reverse = bool(shuffle), bool(reverse)
        if self.start_index > self.end_index:
            raise ValueError(f"TimeseriesGenerator: start_index + length = {self.start_index} is past end_index = "
                             f"{self.end_index}, so no window would have a target. Use a shorter `length`, a "
                             "smaller `start_index`, or more data.")

    def __len__(self):
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        if self.shuffle:
            rows = generator_for(None).integers(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            if not 0 <= index < len(self):
                raise IndexError(f"TimeseriesGenerator: batch {index} is out of range (it has {len(self)} batches).")
            first = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(first, min(first + self.batch_size * self.stride, self.end_index + 1), self.stride)
        samples = np.array([self.data[r - self.length:r:self.sampling_rate] for r in rows])
        targets = np.array([self.targets[r] for r in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self):
        def plain(v):
            return v.tolist() if isinstance(v, np.ndarray) else v
        try:
            data, targets = json.dumps(plain(self.data)), json.dumps(plain(self.targets))
        except TypeError as e:
            raise TypeError(f"TimeseriesGenerator.get_config: the data or targets are not JSON serializable ({e}).") \
                from None
        return {"data": data, "targets": targets, "length": self.length, "sampling_rate": self.sampling_rate,
                "stride": self.stride, "start_index": self.start_index, "end_index": self.end_index,
                "shuffle": self.shuffle, "reverse": self.reverse, "batch_size": self.batch_size}

    def to_json(self, **kwargs):
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)
