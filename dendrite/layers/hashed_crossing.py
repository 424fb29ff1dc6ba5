"""HashedCrossing, as Keras 3 defines it: the cross of two or more categorical features hashed into
``num_bins`` bins (TensorFlow's ``tf.sparse.cross_hashed``, which Keras calls).

The hash is TensorFlow's: starting from the key 0xDECAFCAFFE, each feature's value is folded in with
``FingerprintCat64`` (TensorFlow's fingerprint.h: multiply by 0xc6a4a7935bd1e995 and shift-mix), a string
feature as its FarmHash ``Fingerprint64`` (hashing.py) and an integer feature as its own 64-bit value; the
bin is the unsigned result modulo ``num_bins``. Checked against TensorFlow 2.21 (tests/layers).
"""
import numpy as np

from ..autodiff import Tensor, array_of
from ..utils.validation import positive_int
from .base import Layer
from .hashing import fingerprint64

_KEY = 0xDECAFCAFFE
_MUL = np.uint64(0xC6A4A7935BD1E995)
_SHIFT = np.uint64(47)


def _shift_mix(v):
    return v ^ (v >> _SHIFT)


def fingerprint_cat64(fp1, fp2):
    """TensorFlow's FingerprintCat64 of two uint64 arrays (wrapping arithmetic, as in C++)."""
    with np.errstate(over="ignore"):
        result = fp1 ^ _MUL
        result = result ^ (_shift_mix(fp2 * _MUL) * _MUL)
        result = result * _MUL
        result = _shift_mix(result) * _MUL
        return _shift_mix(result)


def feature_hashes(values):
    """Each value's 64-bit hash as cross_hashed takes it: Fingerprint64 of a string's UTF-8 bytes, an integer's
    own bits."""
    values = np.asarray(values)
    if values.dtype.kind in "iu":
        return values.astype(np.int64).view(np.uint64)
    flat = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in values.reshape(-1).tolist()]
    unique = {v: fingerprint64(v) for v in set(flat)}
    return np.array([unique[v] for v in flat], np.uint64).reshape(values.shape)


def cross_hashed(features, num_bins):
    """The bin (int64) of each row's cross of ``features`` (arrays of one shape): see the module."""
    h = np.full(np.shape(features[0]), _KEY, np.uint64)
    for f in features:
        h = fingerprint_cat64(h, feature_hashes(f))
    bins = np.uint64(num_bins) if num_bins else np.uint64(2 ** 63 - 1)
    return (h % bins).astype(np.int64)


class HashedCrossing(Layer):
    """Crosses a list of two or more categorical inputs (integers or strings, each of shape (), (batch,) or
    (batch, 1)) into ``num_bins`` bins: 'int' gives the bins (int64, the inputs' shape), 'one_hot' one-hot
    vectors of num_bins floats."""

    _text_inputs = _raw_inputs = True
    _several_inputs = True

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.num_bins = positive_int(self.who, "num_bins", num_bins)
        if output_mode not in ("int", "one_hot"):
            raise ValueError(f"{self.who}: `output_mode` must be 'int' or 'one_hot'; received "
                             f"output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{self.who}: sparse=True is not supported (dendrite has no sparse tensors); leave "
                             "sparse=False for dense outputs.")
        self.output_mode, self.sparse = output_mode, False

    def _as_tensor(self, x):
        return x if isinstance(x, Tensor) else Tensor(np.asarray(x))

    def _check(self, shapes):
        if not isinstance(shapes, (list, tuple)) or len(shapes) < 2:
            raise ValueError(f"{self.who} should be called on a list or tuple of at least two inputs (the features "
                             f"to cross); received {shapes!r}.")
        first = tuple(shapes[0])
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(f"{self.who}: every input must have shape (), (batch,) or (batch, 1); received shapes "
                             f"{[tuple(s) for s in shapes]}.")
        if any(tuple(s) != first for s in shapes[1:]):
            raise ValueError(f"{self.who}: all inputs must have the same shape; received shapes "
                             f"{[tuple(s) for s in shapes]}.")

    def call(self, inputs):
        values = [np.asarray(array_of(x)) for x in inputs] if isinstance(inputs, (list, tuple)) else inputs
        self._check([v.shape for v in values] if isinstance(values, list) else values)
        for v in values:
            if v.dtype.kind not in "iuSUO":
                raise ValueError(f"{self.who}: all inputs must have an integer or string dtype (as Keras); received "
                                 f"dtype {v.dtype}. Cast whole-number features to integers first, e.g. "
                                 "x.astype('int64').")
        bins = cross_hashed(values, self.num_bins)
        if self.output_mode == "int":
            return Tensor(bins.astype(self.dtype))
        from .lookup import encode_categorical
        return encode_categorical(self, bins, "one_hot", self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        return (shape[:-1] if shape and shape[-1] == 1 else shape) + (self.num_bins,)

    def _symbolic_call(self, inputs, kwargs):
        out = super()._symbolic_call(inputs, kwargs)
        out.dtype = self.dtype  # int64 bins, or the one-hot vectors' dtype
        return out

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": self.sparse, "name": self.name,
                "dtype": self.dtype}
