"""tf.data / tf.io in compatibility mode: the data3 names resolve under tf.data and tf.data.experimental,
iteration gives Tensors (RaggedTensors and SparseTensors as such), decode_csv gives Tensors, fingerprint a
uint64 Tensor, and what was once refused (make_csv_dataset) is served."""
import numpy as np


def test_names_resolve(tf):
    for name in ("counter", "random", "take_while", "group_by_window", "bucket_by_sequence_length", "ignore_errors",
                 "choose_from_datasets", "rejection_resample", "ragged_batch", "sparse_batch", "save", "load",
                 "snapshot", "fingerprint"):
        assert callable(getattr(tf.data.Dataset, name)), name
    for name in ("group_by_window", "bucket_by_sequence_length", "take_while", "ignore_errors",
                 "choose_from_datasets", "rejection_resample", "dense_to_ragged_batch", "dense_to_sparse_batch",
                 "scan", "unique", "enumerate_dataset", "unbatch", "get_single_element", "map_and_batch",
                 "parallel_interleave", "shuffle_and_repeat", "Counter", "Reducer", "group_by_reducer",
                 "get_structure", "from_list", "pad_to_cardinality", "at", "make_csv_dataset", "CsvDataset",
                 "ThreadingOptions", "AutotuneOptions", "OptimizationOptions", "DistributeOptions",
                 "ExternalStatePolicy", "AutoShardPolicy"):
        assert getattr(tf.data.experimental, name) is not None, name
    for name in ("ThreadingOptions", "AutotuneOptions", "OptimizationOptions", "DistributeOptions", "DatasetSpec",
                 "IteratorSpec", "NumpyIterator"):
        assert getattr(tf.data, name) is not None, name


def test_iteration_gives_tensors_ragged_and_sparse(tf):
    ds = tf.data.Dataset.from_generator(lambda: (np.arange(n) for n in range(1, 4)),
                                        output_signature=tf.TensorSpec((None,), tf.int64))
    rt = next(iter(ds.ragged_batch(3)))
    assert isinstance(rt, tf.RaggedTensor) and rt.to_list() == [[0], [0, 1], [0, 1, 2]]
    st = next(iter(ds.sparse_batch(2, [4])))
    assert isinstance(st, tf.SparseTensor) and tf.sparse.to_dense(st).numpy().tolist() == [[0, 0, 0, 0],
                                                                                          [0, 1, 0, 0]]
    first = next(iter(tf.data.Dataset.counter(2)))
    assert isinstance(first, tf.Tensor) and first.numpy() == 2
    fp = tf.data.Dataset.range(3).fingerprint()
    assert isinstance(fp, tf.Tensor) and fp.dtype == np.uint64 and fp.shape == ()
    assert tf.data.experimental.at(tf.data.Dataset.range(5), 2).numpy() == 2


def test_decode_csv_gives_tensors(tf):
    a, b = tf.io.decode_csv(tf.constant(["1,x", "2,y"]), [[0], [""]])
    assert isinstance(a, tf.Tensor) and a.numpy().tolist() == [1, 2] and b.numpy().tolist() == [b"x", b"y"]


def test_make_csv_dataset_batches_are_tensors(tf, tmp_path):
    (tmp_path / "d.csv").write_text("a,b,label\n1,0.5,0\n2,1.5,1\n")
    ds = tf.data.experimental.make_csv_dataset(str(tmp_path / "d.csv"), batch_size=2, label_name="label",
                                               num_epochs=1, shuffle=False)
    features, label = next(iter(ds))
    assert list(features) == ["a", "b"] and isinstance(label, tf.Tensor)
    assert features["b"].numpy().tolist() == [0.5, 1.5]
