"""ragged_batch and sparse_batch beyond the TF fixtures: nested raggedness, strings, errors."""
import numpy as np
import pytest

from dendrite import data


def _gen(arrays, spec):
    return data.Dataset.from_generator(lambda: iter(arrays), output_signature=spec)


def test_two_ragged_dimensions_nest():
    arrays = [np.ones((1, 2)), np.ones((2, 3)) * 2]
    rt = next(iter(_gen(arrays, data.TensorSpec((None, None), "float64")).ragged_batch(2)))
    assert rt.to_list() == [[[1.0, 1.0]], [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]


def test_tuples_mix_dense_and_ragged_components():
    pairs = [(np.arange(n), np.int64(n)) for n in (1, 3, 2)]
    spec = (data.TensorSpec((None,), "int64"), data.TensorSpec((), "int64"))
    ds = _gen(pairs, spec).ragged_batch(2, drop_remainder=True)
    assert int(ds.cardinality()) == data.UNKNOWN_CARDINALITY
    (rt, n), = list(ds.as_numpy_iterator())
    assert rt.to_list() == [[0], [0, 1, 2]] and n.tolist() == [1, 3]
    assert type(ds.element_spec[0]).__name__ == "RaggedTensorSpec" and ds.element_spec[0].shape == (2, None)
    with pytest.raises(TypeError, match="row_splits_dtype"):
        data.Dataset.range(3).ragged_batch(2, row_splits_dtype="float32")


def test_sparse_batch_of_words_and_errors():
    words = [np.array([b"a", b"b"], object), np.array([b"c"], object)]
    st = next(iter(_gen(words, data.TensorSpec((None,), "string")).sparse_batch(2, [3])))
    assert st.indices.tolist() == [[0, 0], [0, 1], [1, 0]] and st.values.tolist() == [b"a", b"b", b"c"]
    assert st.dense_shape.tolist() == [2, 3]
    with pytest.raises(ValueError, match="does not fit"):
        list(_gen([np.arange(5)], data.TensorSpec((None,), "int64")).sparse_batch(1, [3]).as_numpy_iterator())
    with pytest.raises(ValueError, match="same rank"):
        list(_gen([np.arange(5)], data.TensorSpec((None,), "int64")).sparse_batch(1, [3, 3]).as_numpy_iterator())
    with pytest.raises(TypeError, match="single tensors"):
        data.Dataset.from_tensor_slices((np.arange(2), np.arange(2))).sparse_batch(1, [1])
