"""Input functions: ``numpy_input_fn`` and ``pandas_input_fn`` (tf.estimator.inputs).

Each returns an ``input_fn`` that, when the Estimator calls it, gives an iterator of ``(features, labels)``
batches: ``features`` a dict key -> array (or the array ``x`` itself when ``x`` is not a dict), labels the
slice of ``y`` (None without ``y``). With ``num_epochs=None`` it runs forever (``train`` then needs ``steps``
or ``max_steps``); with ``shuffle=True`` each epoch is a fresh permutation (dendrite's global seed applies).
The last batch of an epoch may be smaller, as TensorFlow's with ``num_epochs`` set. ``queue_capacity`` and
``num_threads`` are accepted and not used: there is no queue.
"""
import numbers

import numpy as np

from .. import backend


def _check(name, value, allow_none=False):
    if value is None and allow_none:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"numpy_input_fn: {name} must be a positive integer{' or None' if allow_none else ''}; "
                         f"received {name}={value!r}.")
    return int(value)


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000, num_threads=1):
    """An input_fn over arrays: ``x`` a dict of arrays (or one array), ``y`` an array or dict of arrays."""
    if not isinstance(shuffle, bool):
        raise ValueError(f"numpy_input_fn: shuffle must be given explicitly as True or False; received "
                         f"shuffle={shuffle!r}.")
    batch_size, num_epochs = _check("batch_size", batch_size), _check("num_epochs", num_epochs, allow_none=True)
    x_dict = dict(x) if isinstance(x, dict) else {None: x}
    y_dict = dict(y) if isinstance(y, dict) else ({None: y} if y is not None else {})
    if not x_dict:
        raise ValueError("numpy_input_fn: x is an empty dict; give at least one feature array.")
    arrays = {}
    for part, source in (("x", x_dict), ("y", y_dict)):
        for key, value in source.items():
            arrays[(part, key)] = np.asarray(value)
    lengths = {k: (a.shape[0] if a.ndim else None) for k, a in arrays.items()}
    first = next(iter(lengths.values()))
    if first is None or any(n != first for n in lengths.values()):
        described = ", ".join(f"{p}[{k!r}]: {n}" if k is not None else f"{p}: {n}" for (p, k), n in lengths.items())
        raise ValueError(f"numpy_input_fn: every array of x and y needs the same first dimension (the examples); "
                         f"received lengths {described}.")
    if isinstance(x, dict) and isinstance(y, dict) and set(x) & set(y):
        raise ValueError(f"numpy_input_fn: x and y share the key(s) {sorted(set(x) & set(y))}; they must differ.")
    n = first

    def batches():
        epoch = 0
        while num_epochs is None or epoch < num_epochs:
            order = backend.rng().permutation(n) if shuffle else np.arange(n)
            for start in range(0, n, batch_size):
                rows = order[start:start + batch_size]
                picked = {k: a[rows] for k, a in arrays.items()}
                features = {k: v for (p, k), v in picked.items() if p == "x"}
                labels = {k: v for (p, k), v in picked.items() if p == "y"}
                yield (features[None] if None in features else features,
                       (labels[None] if None in labels else labels) if labels else None)
            epoch += 1

    def input_fn():
        return batches()
    return input_fn


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000, num_threads=1,
                    target_column="target"):
    """An input_fn over a pandas DataFrame ``x`` (its columns are the features) and Series ``y``."""
    if not hasattr(x, "columns"):
        raise TypeError(f"pandas_input_fn: x must be a pandas DataFrame; received {type(x).__name__}.")
    if y is not None and target_column in x.columns:
        raise ValueError(f"pandas_input_fn: target_column {target_column!r} is also a column of x; rename it.")
    if y is not None and hasattr(y, "index") and not np.array_equal(np.asarray(x.index), np.asarray(y.index)):
        raise ValueError("pandas_input_fn: the index of x and y differ; align them (e.g. y = y.loc[x.index]).")
    features = {str(c): x[c].to_numpy() for c in x.columns}
    labels = None if y is None else (y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y))
    return numpy_input_fn(features, labels, batch_size=batch_size, num_epochs=num_epochs, shuffle=shuffle,
                          queue_capacity=queue_capacity, num_threads=num_threads)
