"""Feature columns (tf.feature_column): how the raw features of an input_fn become a model's input.

Dense columns give a float block per example (``dense(features, make_weight)``, (batch, width)):
``numeric_column``, ``bucketized_column`` (one-hot of the bucket), ``indicator_column`` (counts of a
categorical column's ids), ``embedding_column`` (a learned table, rows combined by 'mean', 'sum' or
'sqrtn'). Categorical columns (dendrite.estimator.categorical_column) give ids. ``layers.DenseFeatures``
concatenates dense columns, sorted by name as TensorFlow does; the linear estimators take both kinds.
"""
import math
import numbers

import numpy as np

from .. import backend, initializers
from ..autodiff import Tensor, ops
from .categorical_column import (CategoricalColumn, CrossedColumn, HashedColumn, IdentityColumn, VocabularyColumn,
                                 feature_input)


class DenseColumn:
    @property
    def who(self):
        return f"{type(self).__name__} {self.name!r}"

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"

    def make_weights(self, make_weight):
        """Create the column's weights through ``make_weight`` (DenseFeatures's build); most columns have none."""


class NumericColumn(DenseColumn):
    def __init__(self, key, shape, default_value, dtype, normalizer_fn):
        self.key, self.shape, self.default_value = key, shape, default_value
        self.dtype, self.normalizer_fn = np.dtype(dtype), normalizer_fn

    name = property(lambda self: self.key)
    variable_shape = property(lambda self: self.shape)
    width = property(lambda self: int(np.prod(self.shape)))

    def feature_kinds(self):
        return [(self.key, "numbers")]

    def values(self, features):
        """The feature as (batch, width) floats, normalized."""
        raw = feature_input(self, features, self.key)
        if raw.dtype.kind not in "biuf":
            raise ValueError(f"{self.who}: the feature must be numeric; received dtype {raw.dtype}.")
        if raw.ndim == 0 or raw.size // max(len(raw), 1) != self.width:
            raise ValueError(f"{self.who}: expected {self.width} value(s) per example (shape {self.shape}); the "
                             f"feature {self.key!r} has shape {raw.shape}. Fix numeric_column(shape=...).")
        values = raw.reshape(len(raw), self.width).astype(self.dtype if self.dtype.kind == "f" else np.float32)
        if self.normalizer_fn is not None:
            values = np.asarray(getattr(out := self.normalizer_fn(values), "value", out), np.float32)
        return values

    def dense(self, features, make_weight=None):
        return Tensor(np.ascontiguousarray(self.values(features), np.float32))


class BucketizedColumn(DenseColumn, CategoricalColumn):
    """Buckets of a numeric column: bucket i holds boundaries[i-1] <= x < boundaries[i]."""

    def __init__(self, source_column, boundaries):
        self.source_column, self.boundaries = source_column, tuple(float(b) for b in boundaries)

    name = property(lambda self: f"{self.source_column.name}_bucketized")
    key = property(lambda self: self.source_column.key)
    num_buckets = property(lambda self: (len(self.boundaries) + 1) * self.source_column.width)
    width = property(lambda self: self.num_buckets)

    def feature_kinds(self):
        return self.source_column.feature_kinds()

    def ids(self, features):
        values = self.source_column.values(features)
        offsets = np.arange(values.shape[1]) * (len(self.boundaries) + 1)
        return np.searchsorted(np.asarray(self.boundaries), values, side="right").astype(np.int64) + offsets

    def dense(self, features, make_weight=None):
        return Tensor(_counts(self.ids(features), self.num_buckets))


def _counts(ids, num_buckets):
    """Per row, how often each id occurs (ids -1 are missing): (batch, num_buckets) float32."""
    out = np.zeros((ids.shape[0], num_buckets), np.float32)
    rows, cols = np.nonzero(ids >= 0)
    np.add.at(out, (rows, ids[rows, cols]), 1.0)
    return out


class IndicatorColumn(DenseColumn):
    def __init__(self, categorical_column):
        self.categorical_column = categorical_column

    name = property(lambda self: f"{self.categorical_column.name}_indicator")
    width = property(lambda self: self.categorical_column.num_buckets)

    def feature_kinds(self):
        return self.categorical_column.feature_kinds()

    def dense(self, features, make_weight=None):
        return Tensor(_counts(self.categorical_column.ids(features), self.width))


class EmbeddingColumn(DenseColumn):
    def __init__(self, categorical_column, dimension, combiner, initializer, trainable, max_norm):
        self.categorical_column, self.dimension, self.combiner = categorical_column, dimension, combiner
        self.initializer = initializer or initializers.TruncatedNormal(mean=0.0, stddev=1 / math.sqrt(dimension))
        self.trainable, self.max_norm = trainable, max_norm

    name = property(lambda self: f"{self.categorical_column.name}_embedding")
    width = property(lambda self: self.dimension)

    def feature_kinds(self):
        return self.categorical_column.feature_kinds()

    def make_weights(self, make_weight):
        """The table, (num_buckets, dimension): ``<column name>/embedding_weights``."""
        return make_weight(f"{self.name}/embedding_weights", (self.categorical_column.num_buckets, self.dimension),
                           self.initializer, self.trainable)

    def dense(self, features, make_weight=None):
        if make_weight is None:
            raise ValueError(f"{self.who}: an embedding has weights; use it through layers.DenseFeatures or an "
                             "estimator's feature_columns.")
        table = self.make_weights(make_weight)
        return combine_rows(table, self.categorical_column.ids(features), self.combiner, self.max_norm)


def combine_rows(table, ids, combiner, max_norm=None):
    """Per example, the rows of ``table`` its ids pick (-1: none) combined by 'sum', 'mean' or 'sqrtn' (zeros for
    an example without ids): a gather and a (batch, picked) matrix product, so gradients reach the table."""
    rows, cols = np.nonzero(ids >= 0)
    combine = np.zeros((ids.shape[0], len(rows)), np.float32)
    combine[rows, np.arange(len(rows))] = 1.0
    if combiner != "sum":
        count = np.maximum(combine.sum(axis=1, keepdims=True), 1.0)
        combine /= count if combiner == "mean" else np.sqrt(count)
    picked = ops.take(table, ids[rows, cols], axis=0)
    if max_norm is not None:
        norms = ops.sqrt(ops.maximum(ops.sum(ops.square(picked), axis=1, keepdims=True), 1e-12))
        picked = ops.multiply(picked, ops.minimum(ops.divide(max_norm, norms), 1.0))
    return ops.matmul(Tensor(combine), picked)


# ------------------------------------------------------------------ constructors
def _key(who, key):
    if not isinstance(key, str) or not key:
        raise ValueError(f"{who}: key must be a non-empty string naming a feature; received key={key!r}.")
    return key


def numeric_column(key, shape=(1,), default_value=None, dtype="float32", normalizer_fn=None):
    """A numeric feature of ``shape`` values per example (flattened), optionally through ``normalizer_fn``."""
    _key("numeric_column", key)
    shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)
    if not shape or any(isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1 for d in shape):
        raise ValueError(f"numeric_column {key!r}: shape must be positive integers; received shape={shape!r}.")
    if np.dtype(dtype).kind not in "iuf":
        raise ValueError(f"numeric_column {key!r}: dtype must be a float or integer type; received {dtype!r}.")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"numeric_column {key!r}: normalizer_fn must be callable; received {normalizer_fn!r}.")
    return NumericColumn(key, tuple(int(d) for d in shape), default_value, dtype, normalizer_fn)


def bucketized_column(source_column, boundaries):
    if not isinstance(source_column, NumericColumn):
        raise ValueError(f"bucketized_column: source_column must be a numeric_column; received {source_column!r}.")
    boundaries = list(boundaries)
    if not boundaries or any(b >= c for b, c in zip(boundaries, boundaries[1:])):
        raise ValueError(f"bucketized_column {source_column.name!r}: boundaries must be a non-empty, strictly "
                         f"increasing list; received {boundaries!r}.")
    return BucketizedColumn(source_column, boundaries)


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0):
    return VocabularyColumn(_key("categorical_column_with_vocabulary_list", key), vocabulary_list, default_value,
                            num_oov_buckets, dtype)


def categorical_column_with_vocabulary_file(key, vocabulary_file, vocabulary_size=None, num_oov_buckets=0,
                                            default_value=None, dtype="string"):
    _key("categorical_column_with_vocabulary_file", key)
    try:
        with open(vocabulary_file, encoding="utf-8") as f:
            words = [line.rstrip("\r\n") for line in f]
    except OSError as e:
        raise ValueError(f"categorical_column_with_vocabulary_file {key!r}: cannot read vocabulary_file "
                         f"{vocabulary_file!r} ({e}).") from None
    if vocabulary_size is not None:
        if vocabulary_size > len(words):
            raise ValueError(f"categorical_column_with_vocabulary_file {key!r}: vocabulary_size={vocabulary_size} "
                             f"but {vocabulary_file!r} has {len(words)} lines.")
        words = words[:vocabulary_size]
    if dtype is not None and np.dtype("int64" if dtype in ("int64", "int32") else object).kind == "i":
        words = [int(w) for w in words]
    return VocabularyColumn(key, words, default_value, num_oov_buckets, dtype)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    return IdentityColumn(_key("categorical_column_with_identity", key), num_buckets, default_value)


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype="string"):
    return HashedColumn(_key("categorical_column_with_hash_bucket", key), hash_bucket_size, dtype)


def crossed_column(keys, hash_bucket_size, hash_key=None):
    return CrossedColumn(list(keys), hash_bucket_size, hash_key)


def _categorical(who, column):
    if not isinstance(column, CategoricalColumn):
        raise ValueError(f"{who}: categorical_column must be a categorical column (categorical_column_with_*, "
                         f"bucketized_column, crossed_column); received {column!r}.")
    return column


def indicator_column(categorical_column):
    return IndicatorColumn(_categorical("indicator_column", categorical_column))


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None, ckpt_to_load_from=None,
                     tensor_name_in_ckpt=None, max_norm=None, trainable=True, use_safe_embedding_lookup=True):
    _categorical("embedding_column", categorical_column)
    if isinstance(dimension, bool) or not isinstance(dimension, numbers.Integral) or dimension < 1:
        raise ValueError(f"embedding_column {categorical_column.name!r}: dimension must be a positive integer; "
                         f"received {dimension!r}.")
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"embedding_column {categorical_column.name!r}: combiner must be 'mean', 'sqrtn' or "
                         f"'sum'; received {combiner!r}.")
    if ckpt_to_load_from is not None:
        raise NotImplementedError("embedding_column: ckpt_to_load_from (a TensorFlow checkpoint) is not supported.")
    return EmbeddingColumn(categorical_column, int(dimension), combiner, initializer, trainable, max_norm)


def check_columns(who, feature_columns, dense_only=False):
    """``feature_columns`` as a list, each a column (dense ones only where ``dense_only``), names unique."""
    if isinstance(feature_columns, (DenseColumn, CategoricalColumn)):
        feature_columns = [feature_columns]
    columns = list(feature_columns or [])
    if not columns:
        raise ValueError(f"{who}: feature_columns is empty; give at least one feature column.")
    for column in columns:
        if dense_only and not isinstance(column, DenseColumn):
            raise ValueError(f"{who}: {column!r} is categorical; wrap it in indicator_column(...) or "
                             "embedding_column(...) to feed it to a dense layer.")
        if not isinstance(column, (DenseColumn, CategoricalColumn)):
            raise TypeError(f"{who}: feature_columns must be feature columns; received {column!r}.")
    names = [c.name for c in columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{who}: duplicate feature column name(s) {dupes}.")
    return sorted(columns, key=lambda c: c.name)


def feature_dtypes(columns):
    """The features ``columns`` read, key -> what the data step makes of them: 'raw' (passed as given: text or
    ids) where a column reads the values themselves, floatx where they are only read as numbers (checked as
    numbers are: finite, cast to floatx). Sorted by key."""
    kinds = {}
    for column in columns:
        for key, kind in column.feature_kinds():
            kinds[key] = "raw" if kind == "raw" or kinds.get(key) == "raw" else kind
    return {key: "raw" if kinds[key] == "raw" else backend.floatx() for key in sorted(kinds)}


__all__ = ["numeric_column", "bucketized_column", "categorical_column_with_vocabulary_list",
           "categorical_column_with_vocabulary_file", "categorical_column_with_identity",
           "categorical_column_with_hash_bucket", "crossed_column", "indicator_column", "embedding_column"]
