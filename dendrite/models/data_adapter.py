"""The one step through which fit / evaluate / predict get their batches.

``get_data_adapter`` picks an adapter for what the user passed; today that is
NumPy-like arrays (lists, DataFrames), and the Dataset pipeline and Python
generators will plug in here as further adapters with the same interface:
``num_batches`` (None if unknown), ``batches(epoch)`` yielding
``(x, y, sample_weight)`` tuples, ``reset()``, and ``size``.

With ``steps`` (fit's steps_per_epoch), an epoch takes the next ``steps`` batches and the following
epoch goes on from there, as in Keras 3: a pass over the data is only started afresh (reshuffled)
once it is used up, and an epoch that meets the end of a pass stops there, with Keras's warning.
"""
import math
import warnings

import numpy as np

from .. import backend


def _as_array(x, name):
    if x is None:
        return None
    if hasattr(x, "to_numpy"):  # pandas DataFrame / Series
        x = x.to_numpy()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    arr = np.asarray(x)
    if arr.dtype == object:
        raise TypeError(
            f"`{name}` could not be turned into a numeric array (got dtype=object, often ragged lists). "
            "Pass a NumPy array with one row per sample, all rows the same shape."
        )
    return arr


def standardize_x(x, name="x"):
    """Inputs become floatx arrays (uint8 / int / float64 are converted, as Keras does)."""
    arr = _as_array(x, name)
    if arr.dtype.kind in "fiub" and arr.dtype != backend.floatx():
        arr = arr.astype(backend.floatx())
    return arr


def standardize_y(y, name="y"):
    """Targets: floats become floatx; integer labels stay integers (sparse losses need them)."""
    arr = _as_array(y, name)
    if arr is None:
        return None
    if arr.dtype.kind == "f" and arr.dtype != backend.floatx():
        arr = arr.astype(backend.floatx())
    elif arr.dtype.kind == "b":
        arr = arr.astype(backend.floatx())
    return arr


def check_finite(arr, name):
    if arr is not None and arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            n = int(bad.sum())
            first = np.unravel_index(int(np.argmax(bad)), arr.shape)
            raise ValueError(
                f"`{name}` contains {n} NaN or infinite value(s) (the first at index {tuple(int(i) for i in first)}). "
                "Training on them would give a NaN loss: clean or impute the data first "
                "(e.g. np.nan_to_num, or drop those rows)."
            )


class ArrayAdapter:
    """Batches from in-memory arrays, shuffled each epoch when asked."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.size = len(x)
        for name, arr in (("y", y), ("sample_weight", sample_weight)):
            if arr is not None and len(arr) != self.size:
                raise ValueError(
                    f"Data cardinality is ambiguous: x has {self.size} samples but {name} has {len(arr)}. "
                    f"Make sure x and {name} contain the same number of samples."
                )
        if batch_size is None:  # as Keras: enough per batch to cover the data in `steps` batches, else 32
            batch_size = max(1, math.ceil(self.size / steps)) if steps else 32
        if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise ValueError(f"`batch_size` must be a positive integer; received batch_size={batch_size!r}.")
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        full = math.ceil(self.size / self.batch_size)
        self.num_batches = full if steps is None else int(steps)
        self._full = full
        self._steps_limited = steps is not None
        self.reset()

    def reset(self):
        """The next batches() starts a new pass over the data (used by evaluate and predict)."""
        self._pass, self._seen = None, 0

    def _new_pass(self):
        bs, n = self.batch_size, self.size
        if self.shuffle == "batch":  # shuffle the order of batch-sized chunks only
            plan = [slice(s, s + bs) for s in backend.rng().permutation(math.ceil(n / bs)) * bs]
        elif self.shuffle:
            perm = backend.rng().permutation(n)
            plan = [perm[i:i + bs] for i in range(0, n, bs)]
        else:
            plan = [slice(i, i + bs) for i in range(0, n, bs)]
        return iter(plan)

    def _batch(self, idx):
        return (self.x[idx], None if self.y is None else self.y[idx],
                None if self.sample_weight is None else self.sample_weight[idx])

    def batches(self, epoch=0):
        if not self._steps_limited:
            for idx in self._new_pass():
                yield self._batch(idx)
            return
        if self._pass is None:
            self._pass, self._seen = self._new_pass(), 0
        for _ in range(self.num_batches):
            if self._seen >= self._full:
                warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or "
                              "generator can generate at least `steps_per_epoch * epochs` batches.", stacklevel=3)
                break
            self._seen += 1
            yield self._batch(next(self._pass))
        if self._seen >= self._full:
            self.reset()


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None):
    if x is None:
        raise ValueError("No input data: pass `x` (a NumPy array, a list, or a pandas DataFrame).")
    if hasattr(x, "__next__") or (hasattr(x, "__iter__") and not hasattr(x, "__len__")):
        raise TypeError(
            f"Input of type {type(x).__name__} (a generator or Dataset) is not supported by this version of fit; "
            "pass NumPy arrays x and y."
        )
    return ArrayAdapter(x, y, sample_weight, batch_size, shuffle, steps)


def split_validation(x, y, sample_weight, validation_split):
    """Keras takes the *last* fraction of the samples, before any shuffling."""
    if not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be a float between 0 and 1; received {validation_split!r}.")
    n = len(x)
    split_at = int(n * (1.0 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"validation_split={validation_split} leaves an empty training or validation set with {n} samples. "
            "Use more samples or another split."
        )

    def cut(a):
        return (None, None) if a is None else (a[:split_at], a[split_at:])

    (xt, xv), (yt, yv), (st, sv) = cut(x), cut(y), cut(sample_weight)
    return (xt, yt, st), (xv, yv, sv)


def class_weights_to_sample_weights(y, class_weight):
    if y.ndim >= 2 and y.shape[-1] > 1:
        classes = y.argmax(axis=-1)
    else:
        classes = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    largest = int(classes.max()) if classes.size else 0
    table = np.ones(max(largest + 1, max(class_weight) + 1 if class_weight else 1), dtype=backend.floatx())
    for k, w in class_weight.items():
        table[int(k)] = w
    missing = set(np.unique(classes).tolist()) - {int(k) for k in class_weight}
    if missing:
        warnings.warn(f"class_weight gives no weight for classes {sorted(missing)}; they get weight 1.",
                      stacklevel=3)
    return table[classes]
