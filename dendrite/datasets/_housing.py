"""The housing regression sets: an npz of ``x`` (samples, features) and ``y`` (samples,), shuffled with
``np.random.RandomState(seed)`` and cut into a training and a test part exactly as Keras cuts them."""
import numbers
import os
import zipfile

import numpy as np

from . import _fetch

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def check_split(who, test_split, seed):
    """Check ``test_split`` (a number in [0, 1)) and ``seed``; the RandomState the shuffle draws from."""
    if not isinstance(test_split, numbers.Real):
        raise TypeError(f"{who}: expected `test_split` to be a number in [0, 1), the fraction of the samples "
                        f"kept for the test set; received test_split={test_split!r} of type "
                        f"{type(test_split).__name__}.")
    if not 0 <= test_split < 1:
        raise ValueError(f"{who}: expected `test_split` to be in [0, 1) (0 keeps no test samples; 1 would "
                         f"keep no training samples); received test_split={test_split!r}.")
    try:
        return np.random.RandomState(seed)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{who}: expected `seed` to be an integer in [0, 2**32) or None (a fresh shuffle "
                        f"each call); received seed={seed!r} ({exc}).") from None


def locate(who, path, origin, sha256):
    """The local path of ``path``: a bare file name is looked for in the data folders (and downloaded
    from ``origin``); a path with a folder is used as it is."""
    try:
        path = os.path.expanduser(os.fspath(path))
    except TypeError:
        raise TypeError(f"{who}: expected `path` to be a file name such as {os.path.basename(origin)!r}; "
                        f"received path={path!r} of type {type(path).__name__}.") from None
    folder, name = os.path.split(path)
    if not name:
        raise ValueError(f"{who}: expected `path` to name a file such as {os.path.basename(origin)!r}; "
                         f"received path={path!r}.")
    if folder:
        return _fetch.fetch(name, origin, sha256, cache_subdir="", cache_dir=folder, who=who)
    return _fetch.fetch(name, origin, sha256, who=who)


def read(who, fpath, features):
    """``x`` and ``y`` from the npz at ``fpath`` (never unpickling), checked: x (n, features), y (n,)."""
    fix = (f"Delete or replace {fpath}, or set DENDRITE_DATA to a folder holding a good copy (an npz of "
           f"numbers: x of shape (samples, {features}) and y of shape (samples,)).")
    try:
        with open(fpath, "rb") as handle:  # closed even where np.load fails
            loaded = np.load(handle, allow_pickle=False)
            if not hasattr(loaded, "files"):
                raise ValueError("it holds a single .npy array, not an .npz archive")
            with loaded as f:
                found = {k: f[k] for k in f.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{who}: {fpath} is not a readable .npz file of numbers ({exc}). {fix}") from None
    x, y = found.get("x"), found.get("y")
    if (x is None or y is None or x.dtype.kind not in "iuf" or y.dtype.kind not in "iuf" or x.ndim != 2
            or x.shape[1] != features or y.shape != x.shape[:1]):
        received = ", ".join(f"{k} {v.dtype} {v.shape}" for k, v in found.items()) or "no arrays"
        raise ValueError(f"{who}: {fpath} does not hold the data as expected: x of shape (samples, "
                         f"{features}) and y of shape (samples,), both numbers; received {received}. {fix}")
    return x, y


def split(x, y, test_split, rng):
    """Shuffle the samples with ``rng`` and keep the first ``int(n * (1 - test_split))`` for training."""
    order = np.arange(len(x))
    rng.shuffle(order)
    cut = int(len(x) * (1 - test_split))
    return (x[order[:cut]], y[order[:cut]]), (x[order[cut:]], y[order[cut:]])
