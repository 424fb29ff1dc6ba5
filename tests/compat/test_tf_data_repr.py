"""Datasets and element specs printed as TensorFlow 2.21 prints them under the hooks
(dendrite/compat/tf_data_repr.py); the class names were read from TF 2.21's reprs of the same pipelines."""
import numpy as np


def test_datasets_print_tensorflows_class_and_specs(tf):
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 2), np.float32), np.arange(4)))
    assert repr(ds) == ("<_TensorSliceDataset element_spec=(TensorSpec(shape=(2,), dtype=tf.float32, name=None), "
                        "TensorSpec(shape=(), dtype=tf.int64, name=None))>")
    cases = {
        "_BatchDataset": ds.batch(2), "_MapDataset": ds.map(lambda a, b: a),
        "_ParallelMapDataset": ds.map(lambda a, b: a, num_parallel_calls=tf.data.AUTOTUNE),
        "_FilterDataset": ds.filter(lambda a, b: b > 0), "_ShuffleDataset": ds.shuffle(3),
        "_RepeatDataset": ds.repeat(), "_TakeDataset": ds.take(2), "_SkipDataset": ds.skip(1),
        "_PrefetchDataset": ds.prefetch(1), "CacheDataset": ds.cache(), "_ZipDataset": ds.enumerate(),
        "_ConcatenateDataset": ds.concatenate(ds), "_UnbatchDataset": ds.batch(2).unbatch(),
        "_RangeDataset": tf.data.Dataset.range(3), "_TensorDataset": tf.data.Dataset.from_tensors(np.zeros(3)),
        "_PaddedBatchDataset": tf.data.Dataset.range(3).padded_batch(2), "TextLineDatasetV2": tf.data.TextLineDataset([]),
        "_FlatMapDataset": tf.data.Dataset.from_generator(lambda: iter([1]),
                                                          output_signature=tf.TensorSpec([], tf.int32)),
    }
    for name, dataset in cases.items():
        assert repr(dataset).startswith(f"<{name} element_spec="), (name, repr(dataset))
    ragged = tf.data.Dataset.range(4).map(lambda x: tf.fill([x], x)).ragged_batch(2)
    assert repr(ragged.element_spec) == "RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, tf.int64)"
    assert repr(tf.data.Dataset.from_tensors("a").element_spec) == "TensorSpec(shape=(), dtype=tf.string, name=None)"


def test_outside_the_hooks_datasets_keep_dendrites_names():
    import dendrite
    ds = dendrite.data.Dataset.from_tensor_slices(np.zeros((4, 2), np.float32))
    assert repr(ds) == "<ArraySource element_spec=TensorSpec(shape=(2,), dtype=float32, name=None)>"
