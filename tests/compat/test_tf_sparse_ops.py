"""tf.sparse.concat, slice and map_values (dendrite/compat/tf_sparse_ops.py) against TensorFlow's documented
results."""
import numpy as np
import pytest


def test_concat_along_either_axis_and_with_expanded_dimensions(tf):
    a = tf.SparseTensor(indices=[[0, 1], [1, 0]], values=[1.0, 2.0], dense_shape=[2, 2])
    b = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[3.0, 4.0], dense_shape=[2, 3])
    joined = tf.sparse.concat(axis=1, sp_inputs=[a, b])
    np.testing.assert_array_equal(tf.sparse.to_dense(joined).numpy(), [[0, 1, 3, 0, 0], [2, 0, 0, 0, 4]])
    assert joined.indices.numpy().tolist() == [[0, 1], [0, 2], [1, 0], [1, 4]]  # row-major order
    stacked = tf.sparse.concat(0, [a, a])
    assert stacked.dense_shape.numpy().tolist() == [4, 2]
    with pytest.raises(ValueError, match="shapes must agree except along axis 0"):
        tf.sparse.concat(0, [a, b])
    wide = tf.sparse.concat(0, [a, b], expand_nonconcat_dims=True)
    assert wide.dense_shape.numpy().tolist() == [4, 3]
    values = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        part = tf.SparseTensor([[0, 0], [1, 1]], values * 1.0, [2, 2])
        total = tf.reduce_sum(tf.sparse.to_dense(tf.sparse.concat(1, [part, part])) * 3.0)
    assert tape.gradient(total, values).numpy().tolist() == [6.0, 6.0]


def test_slice_and_map_values(tf):
    st = tf.sparse.from_dense(np.arange(1, 13, dtype="float32").reshape(3, 4) * (np.arange(12) % 3 == 0).reshape(3, 4))
    part = tf.sparse.slice(st, start=[1, 1], size=[5, 2])
    assert part.dense_shape.numpy().tolist() == [2, 2]
    np.testing.assert_array_equal(tf.sparse.to_dense(part).numpy(), [[0, 7], [10, 0]])
    doubled = tf.sparse.map_values(tf.multiply, st, 2)
    np.testing.assert_array_equal(tf.sparse.to_dense(doubled).numpy(), 2 * tf.sparse.to_dense(st).numpy())
    summed = tf.sparse.map_values(tf.add, st, st)
    assert summed.values.numpy().tolist() == [2.0, 8.0, 14.0, 20.0]
    with pytest.raises(ValueError, match="same indices"):
        tf.sparse.map_values(tf.add, st, part)
