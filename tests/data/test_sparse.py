"""SparseTensor components in datasets (dendrite/data/sparse.py): from_tensor_slices gives the rows, batch
stacks them (dense shape the largest of each, as tf.data), unbatch splits, map keeps them sparse. The values
below are what TensorFlow 2.21 gives for the same pipelines (its sparse-tensor guide's dataset cells)."""
import numpy as np
import pytest

import dendrite as dd
from dendrite.data.structure import SparseTensorSpec
from dendrite.io.sparse import SparseTensor


def parts(st):
    return st.dense_shape.tolist(), st.indices.tolist(), st.values.tolist()


@pytest.fixture
def guide_sparse():
    # the guide's (6, 4) SparseTensor: rows 0, 4 and 5 hold values
    return SparseTensor([(0, 0), (0, 1), (0, 2), (4, 3), (5, 0), (5, 1)], np.array([1, 1, 1, 1, 1, 1], np.int32),
                        (6, 4))


def test_slices_are_rows(guide_sparse):
    ds = dd.data.Dataset.from_tensor_slices(guide_sparse)
    assert isinstance(ds.element_spec, SparseTensorSpec) and ds.element_spec.shape == (4,)
    rows = list(ds)
    assert [parts(r) for r in rows] == [
        ([4], [[0], [1], [2]], [1, 1, 1]), ([4], [], []), ([4], [], []), ([4], [], []),
        ([4], [[3]], [1]), ([4], [[0], [1]], [1, 1])]
    assert rows[0].values.dtype == np.int32 and rows[1].indices.shape == (0, 1)


def test_batch_then_unbatch(guide_sparse):
    ds = dd.data.Dataset.from_tensor_slices(guide_sparse)
    batched = ds.batch(2)
    assert batched.element_spec.shape == (None, 4) and isinstance(batched.element_spec, SparseTensorSpec)
    assert [parts(b) for b in batched] == [
        ([2, 4], [[0, 0], [0, 1], [0, 2]], [1, 1, 1]), ([2, 4], [], []),
        ([2, 4], [[0, 3], [1, 0], [1, 1]], [1, 1, 1])]
    assert [parts(r) for r in batched.unbatch()] == [parts(r) for r in ds]
    assert batched.unbatch().element_spec.shape == (4,)


def test_shuffled_batches_gather_the_right_rows(guide_sparse):
    ds = dd.data.Dataset.from_tensor_slices((guide_sparse, np.arange(6))).shuffle(6, seed=3).batch(4)
    dense = np.zeros((6, 4), np.int32)
    dense[tuple(guide_sparse.indices.T)] = 1
    for sp, label in ds:
        np.testing.assert_array_equal(sp.to_dense(), dense[label])


def test_map_keeps_sparse_and_batches_elements_of_different_shapes():
    ds = dd.data.Dataset.from_tensors(SparseTensor([[0]], np.array([1.0], np.float32), [1])).concatenate(
        dd.data.Dataset.from_tensors(SparseTensor([[2]], np.array([3.0], np.float32), [3])))
    doubled = ds.map(lambda x: x * 2)
    assert [parts(e) for e in doubled] == [([1], [[0]], [2.0]), ([3], [[2]], [6.0])]
    batch = next(iter(doubled.batch(2)))
    assert parts(batch) == ([2, 3], [[0, 0], [1, 2]], [2.0, 6.0])  # dense shape: the largest of each


def test_parsed_var_len_features_batch():
    from dendrite.io import FixedLenFeature, VarLenFeature, parse_single_example
    from dendrite.io.example_proto import message_classes
    Example = message_classes()["Example"]
    records = []
    for tokens in ([3, 1], [], [7, 7, 2]):
        ex = Example()
        ex.features.feature["tokens"].int64_list.value.extend(tokens)
        ex.features.feature["label"].int64_list.value.append(len(tokens))
        records.append(ex.SerializeToString())
    spec = {"tokens": VarLenFeature(np.int64), "label": FixedLenFeature([], np.int64)}
    ds = dd.data.Dataset.from_tensor_slices(np.array(records, dtype=object)).map(
        lambda r: parse_single_example(r, spec)).batch(3)
    batch = next(iter(ds))
    assert parts(batch["tokens"]) == ([3, 3], [[0, 0], [0, 1], [2, 0], [2, 1], [2, 2]], [3, 1, 7, 7, 2])
    np.testing.assert_array_equal(batch["label"], [2, 0, 3])


def test_errors_are_clear():
    with pytest.raises(ValueError, match="different ranks"):
        list(dd.data.Dataset.from_tensors(SparseTensor([[0]], [1], [2])).concatenate(
            dd.data.Dataset.from_tensors(SparseTensor([[0, 0]], [1], [2, 2]))).batch(2))
    with pytest.raises(ValueError, match="does not broadcast"):
        SparseTensor([[0, 0]], [1.0], [2, 2]) * np.ones(3)
    with pytest.raises(TypeError, match="tf.sparse.add"):
        SparseTensor([[0]], [1.0], [2]) * SparseTensor([[0]], [1.0], [2])


def test_specs_name_the_class_of_their_values(guide_sparse):
    """TF's tf.data guide reads element_spec.value_type (tf.SparseTensor for a dataset of SparseTensors)."""
    from dendrite.autodiff import Tensor
    assert dd.data.Dataset.from_tensor_slices(guide_sparse).element_spec.value_type is SparseTensor
    assert dd.data.Dataset.range(3).element_spec.value_type is Tensor
