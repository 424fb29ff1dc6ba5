"""Array helpers: ``to_categorical`` and ``normalize``.

Also importable under the Keras 2 spelling ``keras.utils.np_utils``.
"""
import numpy as np

from .. import backend
from .validation import positive_int


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot encode integer class labels, as Keras does.

    ``y`` of shape (N,) or (N, 1) gives (N, num_classes); any other shape keeps
    its dims and gains a last axis of size num_classes (a trailing axis of size
    1 is dropped first). ``num_classes`` defaults to ``max(y) + 1``.
    """
    y = np.asarray(y)
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError(
                "to_categorical: expected integer class labels; received non-integer values such as "
                f"{y[(~np.isfinite(y)) | (y != np.round(y))].ravel()[0].item()!r}. Round or map the labels to "
                "integers 0..num_classes-1 first."
            )
    elif y.dtype.kind not in "iub":
        raise TypeError(
            f"to_categorical: expected integer class labels; received an array of dtype {y.dtype}. "
            "Map the labels to integers 0..num_classes-1 first (e.g. with np.unique(y, return_inverse=True))."
        )
    y = y.astype(np.int64)
    shape = y.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = y.ravel()
    if num_classes is None:
        if flat.size == 0:
            raise ValueError("to_categorical: cannot infer num_classes from empty labels; "
                             "received y of shape {}. Pass num_classes=.".format(y.shape))
        num_classes = int(flat.max()) + 1
    num_classes = positive_int("to_categorical", "num_classes", num_classes)
    if flat.size:
        low, high = int(flat.min()), int(flat.max())
        if low < 0:
            raise ValueError(
                f"to_categorical: labels must lie in [0, num_classes); received a negative label {low} "
                f"(num_classes={num_classes}). Shift or re-map the labels to start at 0."
            )
        if high >= num_classes:
            raise ValueError(
                f"to_categorical: labels must lie in [0, num_classes); received label {high} with "
                f"num_classes={num_classes}. Pass num_classes={high + 1} or more, or re-map the labels."
            )
    out = np.zeros((flat.size, num_classes), dtype=dtype)
    out[np.arange(flat.size), flat] = 1
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Divide ``x`` by its ``order``-norm along ``axis``; zero norms are left as 1 (Keras's rule)."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(backend.floatx())
    if axis is None:
        raise ValueError("normalize: expected `axis` to be an integer; received axis=None. "
                         "Pass axis=-1 to normalize each row.")
    norm = np.atleast_1d(np.linalg.norm(x, order, axis, keepdims=True))
    norm[norm == 0] = 1
    return x / norm


__all__ = ["to_categorical", "normalize"]
