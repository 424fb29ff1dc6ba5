"""MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grey levels."""
import os
import zipfile

import numpy as np

from . import _fetch

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
_EXPECTED = {"x_train": (60000, 28, 28), "y_train": (60000,),
             "x_test": (10000, 28, 28), "y_test": (10000,)}


def load_data(path="mnist.npz"):
    """Load MNIST as Keras does.

    Returns ``((x_train, y_train), (x_test, y_test))``: uint8 images of shape
    (60000, 28, 28) and (10000, 28, 28), uint8 labels 0-9 of shape (60000,)
    and (10000,). ``path`` is the file name looked for in the data folders
    (and used for the download); a path with a folder is used as it is.
    """
    fpath = _locate(path)
    arrays = _read(fpath)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _locate(path):
    try:
        path = os.path.expanduser(os.fspath(path))
    except TypeError:
        raise TypeError(
            f"mnist.load_data: expected `path` to be a file name such as 'mnist.npz'; "
            f"received path={path!r} of type {type(path).__name__}."
        ) from None
    folder, name = os.path.split(path)
    if not name:
        raise ValueError(f"mnist.load_data: expected `path` to name a file such as 'mnist.npz'; "
                         f"received path={path!r}.")
    if folder:
        return _fetch.fetch(name, _ORIGIN, _SHA256, cache_subdir="", cache_dir=folder,
                            who="mnist.load_data")
    return _fetch.fetch(name, _ORIGIN, _SHA256, cache_subdir="datasets", debian="mnist",
                        who="mnist.load_data")


def _read(fpath):
    fix = (f"Delete or replace {fpath}, or set DENDRITE_DATA to a folder holding a good mnist.npz "
           f"(with x_train, y_train, x_test, y_test as Keras's download has them).")
    try:
        with np.load(fpath, allow_pickle=False) as f:
            found = {k: f[k] for k in f.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(f"mnist.load_data: {fpath} is not a readable .npz file ({exc}). {fix}") from None
    wrong = [k for k, shape in _EXPECTED.items()
             if k not in found or found[k].shape != shape or found[k].dtype != np.uint8]
    if wrong:
        expected = ", ".join(f"{k} uint8 {s}" for k, s in _EXPECTED.items())
        received = ", ".join(f"{k} {v.dtype} {v.shape}" for k, v in found.items()) or "no arrays"
        raise ValueError(
            f"mnist.load_data: {fpath} does not hold MNIST as expected (wrong or missing: {wrong}). "
            f"Expected {expected}; received {received}. {fix}"
        )
    return found
