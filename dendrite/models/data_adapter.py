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
from collections.abc import Mapping

import numpy as np

from .. import backend
from ..utils.validation import is_int, number, numeric_array, positive_int


def _unwrap(x):
    """The array inside a pandas DataFrame / Series or a tensor with ``.numpy()``."""
    if hasattr(x, "to_numpy"):
        x = x.to_numpy()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    return x


def _is_structure(x):
    """Whether ``x`` is data for several inputs or outputs: a dict, or a list / tuple of arrays (a list of
    plain numbers or of nested lists is one array's rows)."""
    if isinstance(x, Mapping):
        return True
    return (isinstance(x, (list, tuple)) and len(x) > 0
            and all(e is None or isinstance(e, np.ndarray) or hasattr(e, "to_numpy") or hasattr(e, "numpy")
                    for e in x) and any(e is not None for e in x))


def map_data(fn, x, name):
    """``fn(array, its name)`` over one array, or over each entry of a list or dict of them (None kept)."""
    if isinstance(x, Mapping):
        return {key: None if v is None else fn(v, f"{name}[{key!r}]") for key, v in x.items()}
    if _is_structure(x):
        return [None if v is None else fn(v, f"{name}[{i}]") for i, v in enumerate(x)]
    return fn(x, name)


def leaves(x):
    """The arrays of one array, or of a list or dict of them."""
    if x is None:
        return []
    if isinstance(x, Mapping):
        return [v for v in x.values() if v is not None]
    if isinstance(x, list):
        return [v for v in x if v is not None]
    return [x]


def _labels(x, name):
    """The names of the arrays ``leaves`` gives: ``name``, or ``name[i]`` / ``name['key']`` for each entry."""
    if isinstance(x, Mapping):
        return [f"{name}[{k!r}]" for k, v in x.items() if v is not None]
    if isinstance(x, list):
        return [f"{name}[{i}]" for i, v in enumerate(x) if v is not None]
    return [name]


def num_samples(x):
    """How many samples data holds (the first array's length)."""
    return len(leaves(x)[0])


def first_samples(x, k=1):
    """The first ``k`` samples of data (one array, or a list or dict of them)."""
    return map_data(lambda a, _: a[:k], x, "x")


def concatenate_batches(batches):
    """predict's per-batch outputs joined along the batch axis: one array, or a list or dict of them."""
    first = batches[0]
    if isinstance(first, dict):
        return {key: np.concatenate([b[key] for b in batches], axis=0) for key in first}
    if isinstance(first, list):
        return [np.concatenate([b[i] for b in batches], axis=0) for i in range(len(first))]
    return np.concatenate(batches, axis=0)


def _as_array(x, name):
    """Any data as a NumPy array (Normalization.adapt's conversion; it checks the dtype itself)."""
    if x is None:
        return None
    arr = np.asarray(_unwrap(x))
    if arr.dtype == object:
        raise TypeError(
            f"`{name}` could not be turned into a numeric array (got dtype=object, often ragged lists). "
            "Pass a NumPy array with one row per sample, all rows the same shape."
        )
    return arr


def _samples(x, owner, name):
    """``x`` as a numeric array of at least one sample: None, generators, text, ragged lists, scalars and
    empty arrays are refused naming ``owner`` and the argument ``name``."""
    if x is None:
        raise ValueError(f"{owner}: no input data: `{name}` is None. Pass a NumPy array, a list or a pandas "
                         "DataFrame with one row per sample.")
    if hasattr(x, "__next__") or (hasattr(x, "__iter__") and not hasattr(x, "__len__")):
        raise TypeError(f"{owner}: `{name}` of type {type(x).__name__} (a generator or Dataset) is not supported "
                        "by this version; pass NumPy arrays x and y.")
    arr = numeric_array(_unwrap(x), owner, name)
    if arr.ndim == 0:
        raise ValueError(f"{owner}: `{name}` must be an array with one row per sample. Received: {name}={x!r} (a "
                         f"single value). Wrap it as one sample, e.g. np.array([[{x!r}]]).")
    if len(arr) == 0:
        raise ValueError(f"{owner}: `{name}` has no samples: its shape is {arr.shape}. Pass at least one sample "
                         "(check the slicing or filtering that produced it).")
    return arr


def standardize_x(x, owner, name="x"):
    """Inputs become floatx arrays (uint8 / int / float64 are converted, as Keras does); a list or dict of
    arrays (a model with several inputs) each."""
    def one(value, label):
        arr = _samples(value, owner, label)
        return arr.astype(backend.floatx()) if arr.dtype.kind in "fiub" and arr.dtype != backend.floatx() else arr
    if x is None:
        _samples(x, owner, name)
    return map_data(one, x, name)


def standardize_y(y, owner, name="y"):
    """Targets: floats become floatx; integer labels stay integers (sparse losses need them); a list or dict
    of arrays (a model with several outputs) each."""
    def one(value, label):
        arr = _samples(value, owner, label)
        if arr.dtype.kind == "f" and arr.dtype != backend.floatx():
            arr = arr.astype(backend.floatx())
        elif arr.dtype.kind == "b":
            arr = arr.astype(backend.floatx())
        return arr
    return None if y is None else map_data(one, y, name)


def check_finite(data, name):
    """Refuse NaN or infinite values in data (one array, or each of a list or dict of them)."""
    if isinstance(data, (list, dict)):
        map_data(lambda arr, label: check_finite(arr, label), data, name)
        return
    arr = data
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

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None,
                 names=("x", "y", "sample_weight")):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.size = num_samples(x)
        first = _labels(x, names[0])[0]
        for name, data in zip(names, (x, y, sample_weight)):
            for label, arr in zip(_labels(data, name), leaves(data)):
                if len(arr) != self.size:
                    raise ValueError(
                        f"Data cardinality is ambiguous: {first} has {self.size} samples but {label} has "
                        f"{len(arr)}. Make sure {first} and {label} contain the same number of samples."
                    )
        if batch_size is None:  # as Keras: enough per batch to cover the data in `steps` batches, else 32
            batch_size = max(1, math.ceil(self.size / steps)) if steps else 32
        self.batch_size = positive_int("ArrayAdapter", "batch_size", batch_size)
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
        take = (lambda a, _: a[idx])
        return (map_data(take, self.x, "x"), None if self.y is None else map_data(take, self.y, "y"),
                None if self.sample_weight is None else map_data(take, self.sample_weight, "sample_weight"))

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


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None,
                     names=("x", "y", "sample_weight")):
    """The adapter for standardized data (standardize_x / standardize_y refuse what no adapter takes)."""
    return ArrayAdapter(x, y, sample_weight, batch_size, shuffle, steps, names)


def split_validation(x, y, sample_weight, validation_split, owner):
    """Keras takes the *last* fraction of the samples, before any shuffling."""
    number(owner, "validation_split", validation_split, low=0, high=1, low_open=True, high_open=True)
    n = num_samples(x)
    split_at = int(n * (1.0 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"validation_split={validation_split} leaves an empty training or validation set with {n} samples. "
            "Use more samples or another split."
        )

    def cut(a):
        if a is None:
            return None, None
        return map_data(lambda v, _: v[:split_at], a, ""), map_data(lambda v, _: v[split_at:], a, "")

    (xt, xv), (yt, yv), (st, sv) = cut(x), cut(y), cut(sample_weight)
    return (xt, yt, st), (xv, yv, sv)


def _class_weight_table(class_weight, num_classes, owner):
    """class_weight as an array of one weight per class of the model's output (1 where not given); keys that are
    not class indices of that output, and weights that are not numbers >= 0, are refused."""
    if not isinstance(class_weight, Mapping):
        raise TypeError(f"{owner}: `class_weight` must be a dict from class index to weight, e.g. {{0: 1.0, 1: 5.0}}. "
                        f"Received: class_weight={class_weight!r} (type {type(class_weight).__name__}).")
    valid = (f"0 to {num_classes - 1}, as the model's output has {num_classes} units" if num_classes > 2
             else "0 and 1, the classes of a binary output")
    table = np.ones(num_classes, dtype=backend.floatx())
    for key, weight in class_weight.items():
        if not is_int(key):
            raise ValueError(f"{owner}: the keys of `class_weight` must be integer class indices ({valid}). Received: "
                             f"key {key!r} (type {type(key).__name__}) in class_weight={class_weight!r}. Labels given "
                             "as strings or floats must be mapped to class indices first.")
        if not 0 <= key < num_classes:
            raise ValueError(f"{owner}: `class_weight` key {key} is not a class of the model's output: the classes "
                             f"are {valid}. Received: class_weight={class_weight!r}. Remove that key, or give the last "
                             "layer one unit per class.")
        table[key] = number(owner, f"class_weight[{key}]", weight, low=0)
    return table


def class_weights_to_sample_weights(y, class_weight, num_classes, owner):
    """Keras's class_weight: each sample weighted by its class's entry (``num_classes``: the classes of the model's
    output, 2 for a single sigmoid unit). Labels outside those classes get weight 1: the loss refuses them."""
    table = _class_weight_table(class_weight, num_classes, owner)
    if y.ndim >= 2 and y.shape[-1] > 1:
        classes = y.argmax(axis=-1)
    else:
        classes = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    inside = (classes >= 0) & (classes < num_classes)
    weights = np.ones(len(classes), dtype=table.dtype)
    weights[inside] = table[classes[inside]]
    missing = set(np.unique(classes[inside]).tolist()) - set(class_weight)
    if missing:
        warnings.warn(f"class_weight gives no weight for classes {sorted(missing)}; they get weight 1.",
                      stacklevel=3)
    return weights
