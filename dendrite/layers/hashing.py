"""Hashing: strings (or integers, as their decimal text) to bins in [0, num_bins), by a hash that is the same in
every process, on every machine.

The bins are TensorFlow's (and so Keras's): without a salt, FarmHash's ``Fingerprint64`` of the UTF-8 bytes
modulo the number of bins (``tf.strings.to_hash_bucket_fast``); with a salt, SipHash-2-4 keyed by the two
salt values (``tf.strings.to_hash_bucket_strong``). Both are written out here on Python integers from the
published algorithms (FarmHash's 'na' variant, which Fingerprint64 is, and the SipHash paper), since neither
library is a dependency; tests/fixtures/keras_text holds the values TensorFlow gives, which these reproduce.
Python's own ``hash()`` is never used: it changes from one process to the next.

Each distinct value is hashed once per call (``np.unique``), so a batch of repeated categories costs what its
distinct values cost.
"""
import struct

import numpy as np

from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from ..utils.validation import positive_int
from .base import Layer

_M = 0xFFFFFFFFFFFFFFFF
_K0, _K1, _K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F


def _rot(v, s):
    return ((v >> s) | (v << (64 - s))) & _M if s else v


def _u64(b, i):
    return struct.unpack_from("<Q", b, i)[0]


def _u32(b, i):
    return struct.unpack_from("<I", b, i)[0]


def _mix(v):
    return v ^ (v >> 47)


def _len16(u, v, mul):
    a = ((u ^ v) * mul) & _M
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M
    b ^= b >> 47
    return (b * mul) & _M


def _len0to16(b, n):
    if n >= 8:
        mul = _K2 + n * 2
        a = (_u64(b, 0) + _K2) & _M
        c = _u64(b, n - 8)
        return _len16((_rot(c, 37) * mul + a) & _M, ((_rot(a, 25) + c) * mul) & _M, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _len16((n + (_u32(b, 0) << 3)) & _M, _u32(b, n - 4), mul)
    if n:
        y = (b[0] + (b[n >> 1] << 8)) & 0xFFFFFFFF
        z = (n + (b[n - 1] << 2)) & 0xFFFFFFFF
        return (_mix(((y * _K2) ^ (z * _K0)) & _M) * _K2) & _M
    return _K2


def _mix32(b, n, k):
    """The mixing 17- to 64-byte inputs share: (mul, a, y, w), their first word weighted by ``k``."""
    mul = _K2 + n * 2
    a = (_u64(b, 0) * k) & _M
    c = _u64(b, 8)
    d = (_u64(b, n - 8) * mul) & _M
    e = (_u64(b, n - 16) * _K2) & _M
    return mul, a, (_rot((a + c) & _M, 43) + _rot(d, 30) + e) & _M, (a + _rot((c + _K2) & _M, 18) + d) & _M


def _len17to32(b, n):
    mul, _, y, w = _mix32(b, n, _K1)
    return _len16(y, w, mul)


def _len33to64(b, n):
    mul, a, y, w = _mix32(b, n, _K2)
    z = _len16(y, w, mul)
    f = (_u64(b, 16) * mul) & _M
    g = _u64(b, 24)
    h = ((y + _u64(b, n - 32)) * mul) & _M
    k = ((z + _u64(b, n - 24)) * mul) & _M
    return _len16((_rot((f + g) & _M, 43) + _rot(h, 30) + k) & _M, (f + _rot((g + a) & _M, 18) + h) & _M, mul)


def _weak32(b, i, a, c):
    w, x, y, z = _u64(b, i), _u64(b, i + 8), _u64(b, i + 16), _u64(b, i + 24)
    a = (a + w) & _M
    c = _rot((c + a + z) & _M, 21)
    first = a
    a = (a + x + y) & _M
    c = (c + _rot(a, 44)) & _M
    return (a + z) & _M, (c + first) & _M


def fingerprint64(data):
    """FarmHash Fingerprint64 of ``data`` (bytes): TensorFlow's ``Fingerprint64`` and ``to_hash_bucket_fast``."""
    b, n = bytes(data), len(data)
    if n <= 16:
        return _len0to16(b, n)
    if n <= 32:
        return _len17to32(b, n)
    if n <= 64:
        return _len33to64(b, n)
    seed = 81
    x, y = seed, (seed * _K1 + 113) & _M
    z = (_mix((y * _K2 + 113) & _M) * _K2) & _M
    v, w = (0, 0), (0, 0)
    x = (x * _K2 + _u64(b, 0)) & _M
    end = ((n - 1) // 64) * 64
    last = end + ((n - 1) & 63) - 63
    for s in range(0, end, 64):
        x = (_rot((x + y + v[0] + _u64(b, s + 8)) & _M, 37) * _K1) & _M
        y = (_rot((y + v[1] + _u64(b, s + 48)) & _M, 42) * _K1) & _M
        x ^= w[1]
        y = (y + v[0] + _u64(b, s + 40)) & _M
        z = (_rot((z + w[0]) & _M, 33) * _K1) & _M
        v = _weak32(b, s, (v[1] * _K1) & _M, (x + w[0]) & _M)
        w = _weak32(b, s + 32, (z + w[1]) & _M, (y + _u64(b, s + 16)) & _M)
        z, x = x, z
    mul = _K1 + ((z & 0xFF) << 1)
    s = last
    w = ((w[0] + ((n - 1) & 63)) & _M, w[1])
    v = ((v[0] + w[0]) & _M, v[1])
    w = ((w[0] + v[0]) & _M, w[1])
    x = (_rot((x + y + v[0] + _u64(b, s + 8)) & _M, 37) * mul) & _M
    y = (_rot((y + v[1] + _u64(b, s + 48)) & _M, 42) * mul) & _M
    x ^= (w[1] * 9) & _M
    y = (y + v[0] * 9 + _u64(b, s + 40)) & _M
    z = (_rot((z + w[0]) & _M, 33) * mul) & _M
    v = _weak32(b, s, (v[1] * mul) & _M, (x + w[0]) & _M)
    w = _weak32(b, s + 32, (z + w[1]) & _M, (y + _u64(b, s + 16)) & _M)
    z, x = x, z
    return _len16((_len16(v[0], w[0], mul) + _mix(y) * _K0 + z) & _M, (_len16(v[1], w[1], mul) + x) & _M, mul)


def siphash64(data, key):
    """SipHash-2-4 of ``data`` (bytes) under ``key`` (two unsigned 64-bit integers): TensorFlow's
    ``to_hash_bucket_strong``."""
    k0, k1 = key[0] & _M, key[1] & _M
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573

    def rounds(count, v0, v1, v2, v3):
        for _ in range(count):
            v0 = (v0 + v1) & _M
            v1 = _rot(v1, 64 - 13) ^ v0
            v0 = _rot(v0, 32)
            v2 = (v2 + v3) & _M
            v3 = _rot(v3, 64 - 16) ^ v2
            v0 = (v0 + v3) & _M
            v3 = _rot(v3, 64 - 21) ^ v0
            v2 = (v2 + v1) & _M
            v1 = _rot(v1, 64 - 17) ^ v2
            v2 = _rot(v2, 32)
        return v0, v1, v2, v3

    b, n = bytes(data), len(data)
    tail = n - n % 8
    for i in range(0, tail, 8):
        m = _u64(b, i)
        v3 ^= m
        v0, v1, v2, v3 = rounds(2, v0, v1, v2, v3)
        v0 ^= m
    m = ((n & 0xFF) << 56) | int.from_bytes(b[tail:], "little")
    v3 ^= m
    v0, v1, v2, v3 = rounds(2, v0, v1, v2, v3)
    v0 ^= m
    v2 ^= 0xFF
    v0, v1, v2, v3 = rounds(4, v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def as_text(values):
    """An array of values to hash as text: strings stay (bytes are read as UTF-8), integers become their decimal
    text and floats are truncated to integers first, as TensorFlow's Hashing does (``as_string`` of int64)."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        values = values.astype(np.int64)
    if values.dtype.kind in "iub":
        return values.astype(np.int64).astype(str)
    return values


def hash_bins(values, num_bins, salt=None):
    """The bin in [0, ``num_bins``) of each value of ``values`` (an array of str or bytes): Fingerprint64, or
    SipHash-2-4 keyed by ``salt`` (two integers), modulo ``num_bins``."""
    values = np.asarray(values)
    if values.size == 0:
        return np.zeros(values.shape, np.int64)
    flat = values.reshape(-1)
    if flat.dtype == object:  # (str and bytes may mix: hash each as its bytes)
        flat = np.array([v if isinstance(v, bytes) else str(v).encode("utf-8") for v in flat.tolist()], object)
    unique, inverse = np.unique(flat, return_inverse=True)
    out = np.empty(len(unique), np.int64)
    for i, value in enumerate(unique.tolist()):
        data = value if isinstance(value, bytes) else str(value).encode("utf-8")
        out[i] = (fingerprint64(data) if salt is None else siphash64(data, salt)) % num_bins
    return out[inverse.reshape(-1)].reshape(values.shape)


def _salt_pair(salt, who):
    if salt is None:
        return None
    if isinstance(salt, (int, np.integer)) and not isinstance(salt, bool):
        return [int(salt), int(salt)]
    if (isinstance(salt, (list, tuple)) and len(salt) == 2
            and all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in salt)):
        return [int(s) for s in salt]
    raise ValueError(f"{who}: `salt` must be an integer or a tuple of 2 integers (the SipHash key); received "
                     f"salt={salt!r}.")


class Hashing(Layer):
    """Hashes strings or integers into ``num_bins`` bins (see the module's docstring for the hash). With
    ``mask_value`` set, that value goes to bin 0 and the others to bins 1..num_bins-1. ``output_mode``:
    'int' (the bins, int64), or 'one_hot', 'multi_hot', 'count' (vectors of num_bins floats)."""

    _MODES = ("int", "one_hot", "multi_hot", "count")
    _text_inputs = _raw_inputs = True

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else None
        super().__init__(**kwargs)
        self.num_bins = positive_int(self.who, "num_bins", num_bins)
        if output_mode not in self._MODES:
            raise ValueError(f"{self.who}: `output_mode` must be one of {self._MODES}; received "
                             f"output_mode={output_mode!r}.")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(f"{self.who}: with output_mode='int' the `dtype` must be 'int32' or 'int64'; "
                             f"received dtype={self.dtype!r}.")
        if sparse:
            raise ValueError(f"{self.who}: sparse=True is not supported (dendrite has no sparse tensors); leave "
                             "sparse=False for dense outputs.")
        self.mask_value, self.output_mode, self.sparse = mask_value, output_mode, False
        self.salt = _salt_pair(salt, self.who)
        self.strong_hash = self.salt is not None

    def _as_tensor(self, x):
        return x if isinstance(x, Tensor) else Tensor(np.asarray(x))

    def _bins(self, values):
        text = as_text(values)
        if text.dtype.kind not in "USO":
            raise ValueError(f"{self.who}: expected strings or integers to hash; received an array of dtype "
                             f"{text.dtype}.")
        bins = self.num_bins
        if self.mask_value is None or bins == 1:
            return hash_bins(text, bins, self.salt)
        masked = np.asarray(values == self.mask_value)
        return np.where(masked, 0, hash_bins(text, bins - 1, self.salt) + 1)

    def call(self, inputs):
        from .lookup import encode_categorical
        values = np.asarray(array_of(inputs))
        bins = self._bins(values)
        if self.output_mode == "int":
            return Tensor(bins.astype(self.dtype))
        return encode_categorical(self, bins, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        if self.output_mode == "one_hot" and shape and shape[-1] == 1:
            shape = shape[:-1]
        elif self.output_mode != "one_hot":
            shape = shape[:-1]
        return shape + (self.num_bins,)

    def _symbolic_call(self, inputs, kwargs):
        out = super()._symbolic_call(inputs, kwargs)
        out.dtype = self.dtype  # int64 bins, or the encoded vectors' dtype
        return out

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
                "mask_value": self.mask_value, "output_mode": self.output_mode, "sparse": self.sparse}


__all__ = ["Hashing"]
