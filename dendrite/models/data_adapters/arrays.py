"""Data as arrays: what fit / evaluate / predict take from NumPy arrays, lists, dicts, DataFrames and Series,
and the conversions every adapter applies to a batch (inputs to the model's dtypes, floats to floatx, integer
labels kept, NaN / inf refused, all arrays of a batch the same length)."""
from collections.abc import Mapping

import numpy as np

from ... import backend
from ...utils.validation import numeric_array


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
    """``x`` as a numeric array of at least one sample: None, text, ragged lists, scalars and empty arrays are
    refused naming ``owner`` and the argument ``name``."""
    if x is None:
        raise ValueError(f"{owner}: no input data: `{name}` is None. Pass a NumPy array, a list or a pandas "
                         "DataFrame with one row per sample.")
    if hasattr(x, "__next__") or (hasattr(x, "__iter__") and not hasattr(x, "__len__")):
        raise TypeError(f"{owner}: `{name}` is a {type(x).__name__} (a generator or dataset) inside a list, tuple or "
                        "dict of arrays. A generator, dataset or PyDataset must be passed as a whole, as `x` (or "
                        "`validation_data`), yielding (x, y) or (x, y, sample_weight) batches.")
    arr = numeric_array(_unwrap(x), owner, name)
    if arr.ndim == 0:
        raise ValueError(f"{owner}: `{name}` must be an array with one row per sample. Received: {name}={x!r} (a "
                         f"single value). Wrap it as one sample, e.g. np.array([[{x!r}]]).")
    if len(arr) == 0:
        raise ValueError(f"{owner}: `{name}` has no samples: its shape is {arr.shape}. Pass at least one sample "
                         "(check the slicing or filtering that produced it).")
    return arr


def _entries(x, name):
    """(key, label, value) for each entry of one array (key None), or of a list or dict of them."""
    if isinstance(x, Mapping):
        return [(key, f"{name}[{key!r}]", v) for key, v in x.items()]
    if _is_structure(x):
        return [(i, f"{name}[{i}]", v) for i, v in enumerate(x)]
    return [(None, name, x)]


def _rebuild(x, values):
    if isinstance(x, Mapping):
        return dict(zip(x, values))
    return list(values) if _is_structure(x) else values[0]


def _input_dtype(dtypes, key):
    """The dtype of the model input that entry ``key`` of x feeds (None: x is one array; an index in a list; a
    name in a dict), from ``dtypes``, the model's inputs as (name, dtype) pairs, or a dict name -> dtype for a
    model on a dict of named features (a feature it does not read is passed as given: 'raw'); None when not
    known."""
    if not dtypes:
        return None
    if isinstance(dtypes, Mapping):
        if isinstance(key, str):
            return dtypes.get(key, "raw")
        dtypes = list(dtypes.items())
    if key is None:
        return dtypes[0][1] if len(dtypes) == 1 else None
    if isinstance(key, str):
        return dict(dtypes).get(key)
    return dtypes[key][1] if 0 <= key < len(dtypes) else None


def standardize_x(x, owner, name="x", dtypes=None):
    """Inputs as arrays in the model's dtypes: for an integer model input (``Input(dtype='int32')``) integer
    data becomes that dtype; otherwise numbers (uint8 / int / bool / float64) become floatx, as Keras does; a
    string input takes text as given, and a 'raw' one (a first layer such as IntegerLookup, Hashing or
    TextVectorization) whatever it is given. ``dtypes``: the model's inputs as (name, dtype) pairs, or None when not
    known (a model not built yet), or a dict name -> dtype for a model on a dict of named features (a functional
    model on a dict of Inputs, DenseFeatures first): each feature is checked as its input takes it, and a pandas
    DataFrame gives its columns as the features."""
    if x is None:
        _samples(x, owner, name)
    if isinstance(dtypes, Mapping) and hasattr(x, "columns") and hasattr(x, "to_numpy"):
        x = {key: x[key] for key in x.columns}
    floatx = backend.floatx()
    out = []
    for key, label, value in _entries(x, name):
        if value is None:
            out.append(None)
            continue
        want = _input_dtype(dtypes, key)
        if want == "raw":  # text or ids for a first layer that takes them as they are
            out.append(np.asarray(_unwrap(value)))
            continue
        want = None if want is None else np.dtype(object if want == "string" else want)
        if want is not None and want.kind in "OUS":
            out.append(np.asarray(_unwrap(value)))
            continue
        arr = _samples(value, owner, label)
        if want is not None and want.kind in "iu" and arr.dtype.kind in "iub":
            target = want
        else:
            target = floatx if arr.dtype.kind in "fiub" else arr.dtype
        out.append(arr if arr.dtype == target else arr.astype(target))
    return _rebuild(x, out)


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


def check_cardinality(x, y, sample_weight, names=("x", "y", "sample_weight")):
    """All arrays of x, y and sample_weight hold the same number of samples; returns that number."""
    size = num_samples(x)
    first = _labels(x, names[0])[0]
    for name, data in zip(names, (x, y, sample_weight)):
        for label, arr in zip(_labels(data, name), leaves(data)):
            if len(arr) != size:
                raise ValueError(
                    f"Data cardinality is ambiguous: {first} has {size} samples but {label} has "
                    f"{len(arr)}. Make sure {first} and {label} contain the same number of samples."
                )
    return size


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
