"""tf.SparseTensor, tf.sparse and tf.IndexedSlices as tutorials use them (values against TensorFlow:
tests/compat/test_tf_core_fixtures.py); here the types, checks and errors."""
import numpy as np
import pytest


def test_sparse_tensor_attributes_are_tensors(tf):
    sp = tf.SparseTensor(indices=[[0, 1], [2, 3]], values=[1.5, -2.0], dense_shape=[3, 4])
    assert isinstance(sp, tf.sparse.SparseTensor) and tf.sparse.SparseTensor is tf.SparseTensor
    assert sp.indices.dtype == np.int64 and sp.dense_shape.dtype == np.int64 and sp.values.dtype == np.float32
    assert sp.shape == (3, 4) and sp.get_shape().as_list() == [3, 4] and sp.dtype == tf.float32
    np.testing.assert_array_equal(sp.values.numpy(), [1.5, -2.0])
    assert "SparseTensor(indices=" in repr(sp)
    np.testing.assert_array_equal(tf.sparse.to_dense(sp.with_values(sp.values * 2)).numpy()[2, 3], -4.0)


def test_parsed_var_len_feature_is_a_tf_sparse_tensor(tf):
    from dendrite.io import sparse as io_sparse
    parsed = io_sparse.SparseTensor([[0], [2]], np.array([7, 9]), [4])  # what a VarLenFeature parses to
    assert isinstance(parsed, tf.SparseTensor)
    np.testing.assert_array_equal(tf.sparse.to_dense(parsed).numpy(), [7, 0, 9, 0])
    assert tf.sparse.reduce_sum(parsed).numpy() == 16


def test_sparse_errors_are_clear(tf):
    sp = tf.SparseTensor([[1, 0], [0, 0]], [1.0, 2.0], [2, 2])
    with pytest.raises(ValueError, match="tf.sparse.reorder"):
        tf.sparse.to_dense(sp)  # out of order, as TensorFlow refuses
    with pytest.raises(ValueError, match="tf.sparse.to_dense"):
        tf.convert_to_tensor(sp)
    with pytest.raises(ValueError, match="inside dense_shape"):
        tf.SparseTensor([[5, 0]], [1.0], [2, 2])
    with pytest.raises(TypeError, match="must be a tf.SparseTensor"):
        tf.sparse.to_dense(np.ones((2, 2)))
    with pytest.raises(ValueError, match="inner dimensions"):
        tf.sparse.sparse_dense_matmul(tf.sparse.reorder(sp), tf.ones([3, 1]))
    with pytest.raises(ValueError, match="dense shapes differ"):
        tf.sparse.add(sp, tf.SparseTensor([[0, 0]], [1.0], [3, 3]))
    with pytest.raises(NotImplementedError, match="ragged=True"):
        tf.keras.Input(shape=(4,), ragged=True)


def test_a_sparse_input_model_takes_sparse_tensors_made_dense(tf, capfd):
    """The TF sparse-tensor guide's model: Input(sparse=True), called and predicted on a SparseTensor."""
    x = tf.keras.Input(shape=(4,), sparse=True)
    model = tf.keras.Model(x, tf.keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")(x))
    assert "SparseTensors given to the model are made dense" in capfd.readouterr().err
    sparse_data = tf.sparse.SparseTensor(indices=[(0, 0), (0, 1), (0, 2), (2, 3)], values=[1, 1, 1, 1],
                                         dense_shape=(3, 4))
    np.testing.assert_allclose(model(sparse_data).numpy(), [[3, 3], [0, 0], [1, 1]])
    np.testing.assert_allclose(model.predict(sparse_data, verbose=0), [[3, 3], [0, 0], [1, 1]])


def test_linear_model_on_sparse_features_trains(tf):
    """A bag-of-words regression: sparse_dense_matmul with trainable weights, fitted by a GradientTape loop."""
    sp = tf.SparseTensor([[0, 0], [0, 3], [1, 1], [2, 2], [2, 3]], [1.0, 2.0, 1.0, 3.0, 1.0], [3, 4])
    target = tf.constant([[3.0], [1.0], [4.0]])
    w = tf.Variable(tf.zeros([4, 1]))
    opt = tf.keras.optimizers.SGD(0.05)
    for _ in range(200):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((tf.sparse.sparse_dense_matmul(sp, w) - target) ** 2)
        opt.apply_gradients([(tape.gradient(loss, w), w)])
    assert float(loss) < 1e-3


def test_indexed_slices(tf):
    s = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), tf.constant([2, 0, 2]), [3, 2])
    assert isinstance(s, tf.IndexedSlices) and s.shape == (3, 2) and s.dtype == tf.float32
    np.testing.assert_array_equal(tf.convert_to_tensor(s).numpy(), [[3.0, 4.0], [0.0, 0.0], [6.0, 8.0]])
    assert type(tf.convert_to_tensor(s)) is not tf.IndexedSlices
    np.testing.assert_array_equal(s.dense_shape.numpy(), [3, 2])
    assert str(s).startswith("IndexedSlices(indices=")
    v = tf.Variable(tf.ones([3, 2]))
    tf.keras.optimizers.SGD(1.0).apply_gradients([(s, v)])  # an optimizer reads it densely
    np.testing.assert_array_equal(v.numpy(), [[-2.0, -3.0], [1.0, 1.0], [-5.0, -7.0]])
    with pytest.raises(ValueError, match="one index per row"):
        tf.IndexedSlices(tf.ones([2, 2]), tf.constant([0]), [3, 2])
    with pytest.raises(ValueError, match="do not fit"):
        tf.IndexedSlices(tf.ones([1, 2]), tf.constant([5]), [3, 2])


def test_a_dataset_of_sparse_tensors_as_the_guide_iterates_it(tf):
    """The TF sparse-tensor guide's dataset cells: slices, batch(2), unbatch and map(x * 2) hand out
    tf.SparseTensors (values and shapes as TensorFlow 2.21 prints them)."""
    sp = tf.sparse.SparseTensor(indices=[(0, 0), (0, 1), (0, 2), (4, 3), (5, 0), (5, 1)], values=[1] * 6,
                                dense_shape=(6, 4))
    assert sp.values.dtype == tf.int32 and "values=tf.Tensor([1 1 1 1 1 1], shape=(6,), dtype=int32)" in repr(sp)
    ds = tf.data.Dataset.from_tensor_slices(sp)
    first = next(iter(ds))
    assert isinstance(first, tf.SparseTensor) and first.dense_shape.numpy().tolist() == [4]
    assert first.indices.numpy().tolist() == [[0], [1], [2]]
    batches = [b for b in ds.batch(2)]
    assert [b.dense_shape.numpy().tolist() for b in batches] == [[2, 4]] * 3
    assert batches[2].indices.numpy().tolist() == [[0, 3], [1, 0], [1, 1]]
    assert len(list(ds.batch(2).unbatch())) == 6
    doubled = [e.values.numpy().tolist() for e in ds.map(lambda x: x * 2)]
    assert doubled == [[2, 2, 2], [], [], [], [2], [2, 2]]
    assert (sp / 2).values.dtype == np.float64  # int / int is a float64 tensor, as TensorFlow's truediv
