"""dendrite.data: tf.data-style input pipelines on NumPy.

    ds = data.Dataset.from_tensor_slices((x, y)).shuffle(10000).batch(128).prefetch(data.AUTOTUNE)
    for xb, yb in ds: ...

Array sources stay vectorised (see arrays.py); elements are NumPy values in the nesting they were given.
"""
from types import SimpleNamespace

from .autoshard import AutoShardPolicy
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, Options
from .files import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from .structure import TensorSpec
from .iterator import Iterator, Optional
from . import sources, transforms, batching, shuffle, parallel, cache  # noqa: F401 - the stages


def _cardinality(dataset):
    """data.experimental.cardinality(dataset): dataset.cardinality()."""
    return dataset.cardinality()


def _assert_cardinality(expected):
    """data.experimental.assert_cardinality(n), for dataset.apply: declares the length (checked while
    iterating)."""
    from .transforms import AssertCardinality
    return lambda dataset: AssertCardinality(dataset, expected)


experimental = SimpleNamespace(
    AUTOTUNE=AUTOTUNE, INFINITE_CARDINALITY=INFINITE_CARDINALITY, UNKNOWN_CARDINALITY=UNKNOWN_CARDINALITY,
    cardinality=_cardinality, assert_cardinality=_assert_cardinality, Options=Options,
    sample_from_datasets=Dataset.sample_from_datasets,
    AutoShardPolicy=AutoShardPolicy, Optional=Optional,
    get_next_as_optional=lambda iterator: iterator.get_next_as_optional(),
)

__all__ = ["Dataset", "TensorSpec", "Options", "AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY",
           "FixedLengthRecordDataset", "TextLineDataset", "TFRecordDataset", "experimental", "Iterator", "Optional"]
