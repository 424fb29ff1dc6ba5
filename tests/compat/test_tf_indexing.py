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
    found = tf.unique(tf.constant([5, 3, 5]), out_idx=tf.int64)  # TensorFlow's named tuples
    assert type(found).__name__ == "Unique" and found.y.numpy().tolist() == [5, 3]
    assert found.idx.numpy().tolist() == [0, 1, 0] and found.idx.dtype == tf.int64
    counted = tf.unique_with_counts(tf.constant([5, 3, 5]))
    assert type(counted).__name__ == "UniqueWithCounts" and counted.count.numpy().tolist() == [2, 1]
    assert tf.sequence_mask([1, 2], 3, dtype=tf.float32).numpy().tolist() == [[1, 0, 0], [1, 1, 0]]


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
    # as TensorFlow's, the parts are tensors
    assert back.indices.numpy().tolist() == [[0, 2], [2, 1], [3, 3]] and back.values.numpy().tolist() == [2, 11, 18]
    assert back.dense_shape.numpy().tolist() == [4, 5]


def test_array_helpers_follow_tensorflows_documented_results(tf):
    assert tf.sequence_mask([1, 3, 2], 5).numpy().astype(int).tolist() == [[1, 0, 0, 0, 0], [1, 1, 1, 0, 0],
                                                                           [1, 1, 0, 0, 0]]
    assert tf.sequence_mask([[1, 3], [2, 0]], dtype=tf.float32).shape == (2, 2, 3)
    assert tf.repeat([[1, 2], [3, 4]], repeats=[1, 2], axis=0).numpy().tolist() == [[1, 2], [3, 4], [3, 4]]
    assert tf.searchsorted([[0, 3, 9, 9, 10], [1, 2, 3, 4, 5]], [[2, 4, 9], [0, 2, 6]]).numpy().tolist() == \
        [[1, 2, 2], [0, 1, 5]]  # TensorFlow's documented example
    assert tf.searchsorted([1, 3, 5], [3], side="right").numpy().tolist() == [2]
    hist = tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5)
    assert hist.numpy().tolist() == [2, 1, 1, 0, 2]  # TensorFlow's documented example
    y, idx, count = tf.unique_with_counts([1, 1, 2, 4, 4, 4, 7, 8, 8])
    assert y.numpy().tolist() == [1, 2, 4, 7, 8] and count.numpy().tolist() == [2, 1, 3, 1, 2]
    parts = tf.dynamic_partition([10, 20, 30, 40, 50], [0, 0, 1, 1, 0], 2)
    assert [p.numpy().tolist() for p in parts] == [[10, 20, 50], [30, 40]]
    merged = tf.dynamic_stitch([6, [4, 1], [[5, 2], [0, 3]]], [[61, 62], [[41, 42], [11, 12]],
                                                                    [[[51, 52], [21, 22]], [[1, 2], [31, 32]]]])
    assert merged.numpy().tolist() == [[1, 2], [11, 12], [21, 22], [31, 32], [41, 42], [51, 52], [61, 62]]
    x = tf.reshape(tf.range(12), [1, 1, 1, 12])
    d2s = tf.nn.depth_to_space(x, 2)
    assert d2s.shape == (1, 2, 2, 3) and d2s.numpy()[0, 0, 1].tolist() == [3, 4, 5]  # TensorFlow's channel order
    assert tf.nn.space_to_depth(d2s, 2).numpy().tolist() == x.numpy().tolist()
    with pytest.raises(ValueError, match="divisible by block_size"):
        tf.nn.space_to_depth(tf.ones([1, 3, 3, 1]), 2)
    rng = np.random.RandomState(0)
    check_grads(lambda a: tf.nn.depth_to_space(a, 2), [rng.randn(1, 2, 2, 8)])
    check_grads(lambda a: tf.repeat(a, 2, axis=1), [rng.randn(2, 3)])
    check_grads(lambda a: tf.dynamic_partition(a, [1, 0, 1], 2)[1], [rng.randn(3, 2)])


def test_linalg_additions(tf):
    m = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    assert tf.linalg.band_part(np.ones((3, 3)), 1, 0).numpy().tolist() == [[1, 0, 0], [1, 1, 0], [0, 1, 1]]
    np.testing.assert_allclose(tf.linalg.cholesky(m).numpy(), np.linalg.cholesky(m))
    s, u, v = tf.linalg.svd(m)  # TensorFlow's order, and v itself
    np.testing.assert_allclose(u.numpy() @ np.diag(s.numpy()) @ v.numpy().T, m, atol=1e-12)
    e, vecs = tf.linalg.eigh(m)
    np.testing.assert_allclose(vecs.numpy() @ np.diag(e.numpy()) @ vecs.numpy().T, m, atol=1e-12)
    q, r = tf.linalg.qr(m)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), m, atol=1e-12)
    b = np.array([[1.0], [2.0], [3.0]])
    np.testing.assert_allclose(tf.linalg.lstsq(m, b).numpy(), np.linalg.solve(m, b))
    np.testing.assert_allclose(tf.linalg.triangular_solve(np.tril(m), b).numpy(), np.linalg.solve(np.tril(m), b))
    assert float(tf.linalg.logdet(m)) == pytest.approx(np.log(np.linalg.det(m)))
    check_grads(lambda a: tf.linalg.band_part(a, 0, 1), [np.random.RandomState(1).randn(3, 3)])


def test_reverse_sequence_reverses_each_prefix_as_tensorflow(tf):
    """TF 2.21: reverse_sequence([[1,2,3],[4,5,6]], [2,3], seq_axis=1, batch_axis=0) is [[2,1,3],[6,5,4]]."""
    t = tf.constant([[1, 2, 3], [4, 5, 6]])
    assert tf.reverse_sequence(t, [2, 3], seq_axis=1, batch_axis=0).numpy().tolist() == [[2, 1, 3], [6, 5, 4]]
    assert tf.reverse_sequence(tf.transpose(t), [2, 3], seq_axis=0, batch_axis=1).numpy().T.tolist() == \
        [[2, 1, 3], [6, 5, 4]]
    x = np.random.default_rng(0).normal(size=(2, 4, 3))
    check_grads(lambda v: tf.reverse_sequence(v, [3, 1], seq_axis=1) * 2.0, [x])
    with pytest.raises(ValueError, match=r"`seq_lengths` must hold one length in \[0, 3\] per batch entry \(2\)"):
        tf.reverse_sequence(t, [4, 1], seq_axis=1)
