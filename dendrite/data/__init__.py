"""dendrite.data: tf.data-style input pipelines on NumPy.

    ds = data.Dataset.from_tensor_slices((x, y)).shuffle(10000).batch(128).prefetch(data.AUTOTUNE)
    for xb, yb in ds: ...

Array sources stay vectorised (see arrays.py); elements are NumPy values in the nesting they were given.
"""
from .autoshard import AutoShardPolicy
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, Options
from .files import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from .structure import TensorSpec
from .iterator import Iterator, Optional
from . import sources, transforms, batching, shuffle, parallel, cache  # noqa: F401 - the stages
from . import experimental
from .options import (AutotuneOptions, DatasetSpec, DistributeOptions, IteratorSpec, NumpyIterator,
                      OptimizationOptions, ThreadingOptions)

__all__ = ["Dataset", "TensorSpec", "Options", "AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY",
           "FixedLengthRecordDataset", "TextLineDataset", "TFRecordDataset", "experimental", "Iterator", "Optional",
           "ThreadingOptions", "AutotuneOptions", "OptimizationOptions", "DistributeOptions", "DatasetSpec",
           "IteratorSpec", "NumpyIterator"]
