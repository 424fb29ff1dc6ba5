"""Categorical feature columns: each maps a feature to integer ids in [0, num_buckets), one row of ids per
example (a 2-D array, -1 where an example has fewer values: a missing value). Inputs are dense arrays, as
TensorFlow turns them into sparse ones: the empty string and -1 count as missing.

Built by dendrite.estimator.feature_column's functions; used through indicator_column, embedding_column, the
linear estimators and crossed_column. Hashing is TensorFlow's: FarmHash Fingerprint64 of the value's text
modulo the bucket count (dendrite.layers.hashing), and crosses combine the parts' fingerprints with
FingerprintCat64 from the hash key 0xDECAFCAFFE, so the buckets equal TensorFlow's.
"""
import numpy as np

from ..autodiff import array_of
from ..layers.hashing import as_text, fingerprint64, hash_bins

_MASK = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
DEFAULT_HASH_KEY = 0xDECAFCAFFE


def missing_feature(who, key, given):
    """The error for a column (``who``) whose feature ``key`` is not among the keys ``given``."""
    return ValueError(f"{who}: the feature {key!r} is not in the input; its keys are {sorted(map(str, given))} "
                      "(what the input_fn or the data gives). Fix the column's key, or give that feature.")


def feature_input(column, features, key):
    """The array of ``features[key]`` for ``column``, or an error naming the column and the keys there are."""
    if not isinstance(features, dict):
        raise TypeError(f"{column.who}: features must be a dict key -> array (the input_fn's features); "
                        f"received {type(features).__name__}.")
    if key not in features:
        raise missing_feature(column.who, key, features)
    return np.asarray(array_of(features[key]))


def _as_rows(values):
    """A feature as a 2-D array (examples, values per example)."""
    values = np.asarray(values)
    if values.ndim == 0:
        return values.reshape(1, 1)
    return values.reshape(len(values), -1)


def _missing(values):
    return values == "" if values.dtype.kind in "USO" else values == -1


class CategoricalColumn:
    """The common part: ``name``, ``num_buckets`` and ``ids(features)``."""

    def __init__(self, key):
        self.key = key

    @property
    def name(self):
        return self.key

    @property
    def who(self):
        return f"{type(self).__name__} {self.name!r}"

    @property
    def parse_example_spec(self):
        return {self.key: "VarLenFeature"}

    def feature_kinds(self):
        """(key, 'numbers' or 'raw') for each feature the column reads: its values as given (text or ids)."""
        return [(self.key, "raw")]

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r}, num_buckets={self.num_buckets})"


class VocabularyColumn(CategoricalColumn):
    """categorical_column_with_vocabulary_list / _file: the position in the vocabulary; out-of-vocabulary
    values go to ``default_value`` (-1: missing) or, with ``num_oov_buckets``, to a hashed bucket after it."""

    def __init__(self, key, vocabulary, default_value=-1, num_oov_buckets=0, dtype=None):
        super().__init__(key)
        vocabulary = list(vocabulary)
        if not vocabulary:
            raise ValueError(f"categorical column {key!r}: the vocabulary is empty.")
        if len(set(vocabulary)) != len(vocabulary):
            dupes = sorted({str(v) for v in vocabulary if vocabulary.count(v) > 1})
            raise ValueError(f"categorical column {key!r}: the vocabulary has duplicates {dupes}.")
        if num_oov_buckets and default_value not in (-1, None):
            raise ValueError(f"categorical column {key!r}: give default_value or num_oov_buckets, not both.")
        if default_value is not None and default_value != -1 and not 0 <= default_value < len(vocabulary):
            raise ValueError(f"categorical column {key!r}: default_value must be -1 or in [0, {len(vocabulary)}); "
                             f"received {default_value}.")
        self.vocabulary = vocabulary
        self.default_value = -1 if default_value is None else int(default_value)
        self.num_oov_buckets = int(num_oov_buckets)
        self.dtype = dtype
        self._index = {str(v): i for i, v in enumerate(vocabulary)}

    @property
    def num_buckets(self):
        return len(self.vocabulary) + self.num_oov_buckets

    def ids(self, features):
        values = _as_rows(feature_input(self, features, self.key))
        text = as_text(values).astype(str)
        out = np.array([self._index.get(t, -2) for t in text.reshape(-1)], np.int64).reshape(values.shape)
        oov = out == -2
        if oov.any():
            if self.num_oov_buckets:
                out[oov] = len(self.vocabulary) + hash_bins(text[oov], self.num_oov_buckets)
            else:
                out[oov] = self.default_value
        out[_missing(values)] = -1
        return out


class IdentityColumn(CategoricalColumn):
    """categorical_column_with_identity: the integer is the id; out of [0, num_buckets) goes to
    ``default_value``, or is an error without one."""

    def __init__(self, key, num_buckets, default_value=None):
        super().__init__(key)
        if isinstance(num_buckets, bool) or int(num_buckets) != num_buckets or num_buckets < 1:
            raise ValueError(f"categorical_column_with_identity {key!r}: num_buckets must be a positive integer; "
                             f"received {num_buckets!r}.")
        if default_value is not None and not 0 <= default_value < num_buckets:
            raise ValueError(f"categorical_column_with_identity {key!r}: default_value must be in [0, "
                             f"{num_buckets}); received {default_value}.")
        self.num_buckets, self.default_value = int(num_buckets), default_value

    def ids(self, features):
        values = _as_rows(feature_input(self, features, self.key))
        if values.dtype.kind not in "iu" and not (values.dtype.kind == "f" and np.all(values == np.round(values))):
            raise ValueError(f"{self.who}: the feature must hold integers; received dtype {values.dtype}.")
        out = values.astype(np.int64)
        missing = out == -1
        bad = ~missing & ((out < 0) | (out >= self.num_buckets))
        if bad.any():
            if self.default_value is None:
                raise ValueError(f"{self.who}: values must be in [0, {self.num_buckets}); received "
                                 f"{sorted(set(out[bad].tolist()))[:10]}. Give default_value= to map them.")
            out[bad] = self.default_value
        out[missing] = -1
        return out


class HashedColumn(CategoricalColumn):
    """categorical_column_with_hash_bucket: Fingerprint64 of the value's text modulo ``hash_bucket_size``."""

    def __init__(self, key, hash_bucket_size, dtype="string"):
        super().__init__(key)
        if isinstance(hash_bucket_size, bool) or int(hash_bucket_size) != hash_bucket_size or hash_bucket_size < 2:
            raise ValueError(f"categorical_column_with_hash_bucket {key!r}: hash_bucket_size must be an integer > 1; "
                             f"received {hash_bucket_size!r}.")
        self.hash_bucket_size, self.dtype = int(hash_bucket_size), dtype

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def ids(self, features):
        values = _as_rows(feature_input(self, features, self.key))
        out = hash_bins(as_text(values), self.hash_bucket_size).astype(np.int64)
        out[_missing(values)] = -1
        return out


def _fingerprint_cat(a, b):
    """TensorFlow's FingerprintCat64: two 64-bit fingerprints into one."""
    def shift_mix(v):
        return v ^ (v >> 47)
    out = a ^ _MUL
    out ^= (shift_mix((b * _MUL) & _MASK) * _MUL) & _MASK
    out = (out * _MUL) & _MASK
    out = (shift_mix(out) * _MUL) & _MASK
    return shift_mix(out)


class CrossedColumn(CategoricalColumn):
    """crossed_column: every combination of the parts' values in an example, hashed (TensorFlow's
    cross_hashed: strings by Fingerprint64, integers and the ids of categorical parts as themselves)."""

    def __init__(self, keys, hash_bucket_size, hash_key=None):
        if len(keys) < 2:
            raise ValueError(f"crossed_column: keys must hold at least 2 keys or columns; received {keys!r}.")
        for k in keys:
            if not isinstance(k, (str, CategoricalColumn)):
                raise ValueError(f"crossed_column: each key must be a feature key (str) or a categorical column "
                                 f"(bucketize a numeric column first); received {k!r}.")
        if isinstance(hash_bucket_size, bool) or int(hash_bucket_size) != hash_bucket_size or hash_bucket_size < 2:
            raise ValueError(f"crossed_column: hash_bucket_size must be an integer > 1; received {hash_bucket_size!r}.")
        super().__init__(None)
        self.keys, self.hash_bucket_size = tuple(keys), int(hash_bucket_size)
        self.hash_key = DEFAULT_HASH_KEY if hash_key is None else int(hash_key)

    @property
    def name(self):
        return "_X_".join(sorted(k if isinstance(k, str) else k.name for k in self.keys))

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def feature_kinds(self):
        return [kind for k in self.keys for kind in ([(k, "raw")] if isinstance(k, str) else k.feature_kinds())]

    def _part(self, features, key):
        if isinstance(key, CategoricalColumn):
            ids = key.ids(features)
            return [[int(v) for v in row if v >= 0] for row in ids]
        values = _as_rows(feature_input(self, features, key))
        rows = []
        for row, miss in zip(values, _missing(values)):
            if values.dtype.kind in "iu":
                rows.append([int(v) & _MASK for v, m in zip(row, miss) if not m])
            else:
                rows.append([fingerprint64(str(v).encode("utf-8") if not isinstance(v, bytes) else v)
                             for v, m in zip(row, miss) if not m])
        return rows

    def ids(self, features):
        parts = [self._part(features, k) for k in self.keys]
        rows = []
        for values in zip(*parts):
            hashes = [self.hash_key]
            for part in values:
                hashes = [_fingerprint_cat(h, v) for h in hashes for v in part]
            rows.append([h % self.hash_bucket_size for h in hashes])
        width = max([len(r) for r in rows] + [1])
        out = np.full((len(rows), width), -1, np.int64)
        for i, r in enumerate(rows):
            out[i, :len(r)] = r
        return out
