"""Datasets and their element specs printed as TensorFlow 2.21 prints them, while the compatibility hooks are
installed: ``<_TensorSliceDataset element_spec=(TensorSpec(shape=(2,), dtype=tf.float32, name=None), ...)>``.
A dataset shows the class TensorFlow's matching transformation makes (``_BatchDataset``, ``_MapDataset``,
``CacheDataset``, ``TextLineDatasetV2``, ...; ``enumerate`` is TF's zip, ``from_generator`` its flat_map), and
a TensorSpec its dtype as ``tf.float32``. Outside the hooks dendrite's own names stay."""
from ..data import Dataset
from ..data.ragged import RaggedTensorSpec
from ..data.structure import SparseTensorSpec, TensorSpec, dtype_name

# dendrite's stage -> the class TensorFlow's same transformation makes (as its repr shows it)
TF_NAMES = {
    "ArraySource": "_TensorSliceDataset", "Tensors": "_TensorDataset", "Range": "_RangeDataset",
    "Batch": "_BatchDataset", "PlanBatch": "_BatchDataset", "RaggedBatch": "_BatchDataset",
    "PaddedBatch": "_PaddedBatchDataset", "Map": "_MapDataset", "ParallelMap": "_ParallelMapDataset",
    "Filter": "_FilterDataset", "Shuffle": "_ShuffleDataset", "PlanShuffle": "_ShuffleDataset",
    "Repeat": "_RepeatDataset", "PlanRepeat": "_RepeatDataset", "Take": "_TakeDataset", "PlanTake": "_TakeDataset",
    "Skip": "_SkipDataset", "PlanSkip": "_SkipDataset", "Prefetch": "_PrefetchDataset", "Cache": "CacheDataset",
    "PlanCache": "CacheDataset", "Zip": "_ZipDataset", "Enumerate": "_ZipDataset", "Concatenate": "_ConcatenateDataset",
    "Unbatch": "_UnbatchDataset", "FlatMap": "_FlatMapDataset", "Generator": "_FlatMapDataset",
    "Interleave": "_InterleaveDataset", "Window": "_WindowDataset", "Shard": "_ShardDataset",
    "PlanShard": "_ShardDataset", "Rebatch": "_RebatchDataset", "Scan": "_ScanDataset", "Counter": "_ScanDataset",
    "Unique": "_UniqueDataset", "TakeWhile": "_TakeWhileDataset", "IgnoreErrors": "_IgnoreErrorsDataset",
    "AssertCardinality": "_AssertCardinalityDataset", "Random": "_RandomDataset",
    "ChooseFrom": "_DirectedInterleaveDataset", "SampleFrom": "_DirectedInterleaveDataset",
    "GroupByWindow": "_GroupByWindowDataset", "BucketBySequenceLength": "_GroupByWindowDataset",
    "GroupByReducer": "_GroupByReducerDataset", "Passthrough": "_OptionsDataset",
    "TextLineDataset": "TextLineDatasetV2", "TFRecordDataset": "TFRecordDatasetV2",
    "FixedLengthRecordDataset": "FixedLengthRecordDatasetV2", "CsvDataset": "CsvDatasetV2",
}


def _dataset_repr(self):
    try:
        spec = self.element_spec
    except Exception:  # noqa: BLE001 - a repr must not fail
        spec = "?"
    name = type(self).__name__
    return f"<{TF_NAMES.get(name, name)} element_spec={spec}>"


def _tf_dtype(dtype):
    return "tf." + dtype_name(dtype)


def _spec_repr(self):
    shape = "<unknown>" if self.shape is None else str(self.shape)
    return f"TensorSpec(shape={shape}, dtype={_tf_dtype(self.dtype)}, name={self.name!r})"


def _ragged_spec_repr(self):
    shape = "<unknown>" if self.shape is None else list(self.shape)
    return (f"RaggedTensorSpec(TensorShape({shape}), {_tf_dtype(self.dtype)}, {self.ragged_rank}, "
            f"{_tf_dtype(self.row_splits_dtype)})")


def _sparse_spec_repr(self):
    shape = "<unknown>" if self.shape is None else list(self.shape)
    return f"SparseTensorSpec(TensorShape({shape}), {_tf_dtype(self.dtype)})"


def targets():
    """(class, attribute, value) for _patches: TensorFlow's reprs of datasets and their element specs."""
    return [(Dataset, "__repr__", _dataset_repr), (TensorSpec, "__repr__", _spec_repr),
            (RaggedTensorSpec, "__repr__", _ragged_spec_repr), (SparseTensorSpec, "__repr__", _sparse_spec_repr)]
