"""tf.slice / strided_slice / scatter_nd / tensor_scatter_nd_* / meshgrid / reverse / roll / sort / unique
through the `tensorflow` namespace (dendrite.compat.tf_indexing), values as TensorFlow documents them."""
import numpy as np
import pytest

from dendrite.testing import check_grads


def test_slices_pick_tensorflows_ranges_and_are_differentiable(tf):
    t = tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert tf.slice(t, [1, 0], [2, 2]).numpy().tolist() == [[4, 5], [7, 8]]
    assert tf.slice(t, [0, 1], [-1, 1]).numpy().tolist() == [[2], [5], [8]]  # -1: to the end
    assert tf.strided_slice(t, [0, 0], [3, 3], [2, 2]).numpy().tolist() == [[1, 3], [7, 9]]
    assert tf.strided_slice(t, [1, 1], [0, 0], end_mask=3).numpy().tolist() == [[5, 6], [8, 9]]
    check_grads(lambda x: tf.slice(x, [0, 1], [2, 2]) * 3.0, [np.arange(9.0).reshape(3, 3)])
    with pytest.raises(ValueError, match=r"tf.slice: .*rank 2.*begin=\[0\]"):
        tf.slice(t, [0], [1])


def test_scatters_update_add_sub_max_min_and_scatter_nd_sums(tf):
    t = tf.constant([10, 20, 30, 40])
    idx = [[1], [3]]
    assert tf.tensor_scatter_nd_update(t, idx, [-1, -2]).numpy().tolist() == [10, -1, 30, -2]
    assert tf.tensor_scatter_nd_add(t, idx, [1, 2]).numpy().tolist() == [10, 21, 30, 42]
    assert tf.tensor_scatter_nd_sub(t, idx, [1, 2]).numpy().tolist() == [10, 19, 30, 38]
    assert tf.tensor_scatter_nd_max(t, idx, [25, 5]).numpy().tolist() == [10, 25, 30, 40]
    assert tf.tensor_scatter_nd_min(t, idx, [25, 5]).numpy().tolist() == [10, 20, 30, 5]
    assert t.numpy().tolist() == [10, 20, 30, 40]  # the input is not changed
    # repeated indices add up in scatter_nd, as TensorFlow documents
    out = tf.scatter_nd([[4], [3], [1], [7], [1]], [9.0, 10.0, 11.0, 12.0, 1.0], [8])
    assert out.numpy().tolist() == [0, 12, 0, 10, 9, 0, 0, 12]
    rows = tf.tensor_scatter_nd_update(tf.zeros((3, 2)), [[2]], [[5.0, 6.0]])
    assert rows.numpy().tolist() == [[0, 0], [0, 0], [5, 6]]
    with pytest.raises(ValueError, match=r"tf.tensor_scatter_nd_add: .*updates of shape \(2,\).*\(3,\)"):
        tf.tensor_scatter_nd_add(t, idx, [1, 2, 3])


def test_meshgrid_reverse_roll_sort_argsort_unique(tf):
    x, y = tf.meshgrid(tf.constant([1, 2, 3]), tf.constant([4, 5]))
    assert x.numpy().tolist() == [[1, 2, 3], [1, 2, 3]] and y.numpy().tolist() == [[4, 4, 4], [5, 5, 5]]
    m = tf.constant([[1, 2], [3, 4]])
    assert tf.reverse(m, [0]).numpy().tolist() == [[3, 4], [1, 2]]
    assert tf.roll([0, 1, 2, 3, 4], shift=2, axis=0).numpy().tolist() == [3, 4, 0, 1, 2]
    assert tf.sort([3, 1, 2], direction="DESCENDING").numpy().tolist() == [3, 2, 1]
    assert tf.argsort([3.0, 1.0, 2.0]).numpy().tolist() == [1, 2, 0]
    values, index = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])  # TensorFlow's documented example
    assert values.numpy().tolist() == [1, 2, 4, 7, 8] and index.numpy().tolist() == [0, 0, 1, 2, 2, 2, 3, 4, 4]


def test_tensorflow_and_keras_ops_functions_on_keras_tensors_build_the_model(tf, keras):
    inputs = tf.keras.Input((4,))
    a = tf.keras.layers.Dense(3, kernel_initializer="ones")(inputs)
    x = tf.concat([a, tf.nn.relu(-a)], axis=1)
    x = tf.reduce_sum(x, axis=-1, keepdims=True) + keras.ops.mean(a, axis=-1, keepdims=True)
    model = tf.keras.Model(inputs, x)
    data = np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, -1.0, -1.0, -1.0]], "float32")
    # each of a's 3 units is the row sum: sum(a) + sum(relu(-a)) + mean(a)
    row = data.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model(data).numpy(), 3 * row + 3 * np.maximum(-row, 0) + row, rtol=1e-6)


def test_sparse_tensors_convert_to_and_from_dense(tf):
    sparse = tf.SparseTensor(indices=[[0, 2], [2, 1], [3, 3]], values=[2, 11, 18], dense_shape=[4, 5])
    dense = tf.sparse.to_dense(sparse)
    assert dense.shape == (4, 5) and dense.numpy()[2, 1] == 11 and dense.numpy().sum() == 31
    back = tf.sparse.from_dense(dense)
    assert back.indices.tolist() == [[0, 2], [2, 1], [3, 3]] and back.values.tolist() == [2, 11, 18]
    assert back.dense_shape.tolist() == [4, 5]
