"""tf's tensor functions against NumPy, and against TensorFlow's documented results where they differ."""
import numpy as np
import pytest

from dendrite.testing import check_grads


def test_constant_dtypes_follow_tensorflow(tf):
    assert tf.constant(1.5).dtype == tf.float32 and tf.constant([1, 2]).dtype == tf.int32
    assert tf.constant(np.array([1.0])).dtype == tf.float64  # NumPy arrays keep their dtype
    assert tf.constant(0, shape=(2, 3)).shape == (2, 3)
    assert tf.constant([1, 2], dtype=tf.float16).dtype == np.float16


def test_reductions_and_integer_mean(tf):
    x = np.array([[1.0, 2.0, 6.0], [3.0, 5.0, 7.0]], dtype=np.float32)
    np.testing.assert_allclose(tf.reduce_mean(x, axis=1).numpy(), x.mean(axis=1))
    np.testing.assert_allclose(tf.reduce_sum(x, 0, keepdims=True).numpy(), x.sum(0, keepdims=True))
    np.testing.assert_allclose(tf.reduce_max(x).numpy(), 7.0)
    np.testing.assert_allclose(tf.reduce_prod(x, axis=0).numpy(), x.prod(axis=0))
    # TensorFlow's documented result: the mean of the int tensor [1, 2] is 1 (integer division)
    mean = tf.reduce_mean(tf.constant([1, 2]))
    assert mean.dtype == tf.int32 and int(mean) == 1
    assert int(tf.reduce_mean(tf.constant([-1, -2]))) == -1  # truncation toward zero


def test_argmax_defaults_to_axis_0_and_int64(tf):
    x = [[1, 9, 3], [4, 2, 6]]
    out = tf.argmax(x)
    assert out.dtype == tf.int64 and out.numpy().tolist() == [1, 0, 1]
    assert tf.argmin(x, axis=1).numpy().tolist() == [0, 1]


def test_one_hot_and_out_of_range_indices(tf):
    out = tf.one_hot([0, 2, -1, 5], depth=3)
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    np.testing.assert_array_equal(tf.one_hot([1], 2, on_value=5, off_value=-1).numpy(), [[-1, 5]])


def test_shape_functions(tf):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_array_equal(tf.reshape(x, [4, -1]).numpy(), x.reshape(4, -1))
    np.testing.assert_array_equal(tf.transpose(x, perm=[2, 0, 1]).numpy(), x.transpose(2, 0, 1))
    np.testing.assert_array_equal(tf.concat([x, x], axis=1).numpy(), np.concatenate([x, x], 1))
    np.testing.assert_array_equal(tf.stack([x, x], axis=-1).numpy(), np.stack([x, x], -1))
    assert tf.expand_dims(x, axis=-1).shape == (2, 3, 4, 1) and tf.squeeze(np.ones((1, 3, 1))).shape == (3,)
    np.testing.assert_array_equal(tf.tile([[1, 2]], [2, 3]).numpy(), np.tile([[1, 2]], [2, 3]))
    np.testing.assert_array_equal(tf.pad([[1, 2]], [[1, 0], [0, 2]]).numpy(), np.pad([[1, 2]], [[1, 0], [0, 2]]))
    np.testing.assert_array_equal(tf.gather([10, 20, 30], [2, 0]).numpy(), [30, 10])
    np.testing.assert_array_equal(tf.boolean_mask([1, 2, 3], [True, False, True]).numpy(), [1, 3])
    assert tf.shape(x).numpy().tolist() == [2, 3, 4] and int(tf.size(x)) == 24 and int(tf.rank(x)) == 3
    assert [t.shape for t in tf.split(x, 2, axis=2)] == [(2, 3, 2), (2, 3, 2)]
    assert tf.TensorShape([2, 3, 4]) == tf.constant(x).shape


def test_creation_comparison_and_arithmetic(tf):
    np.testing.assert_array_equal(tf.range(5).numpy(), np.arange(5))
    assert tf.range(0.0, 1.0, 0.25).dtype == tf.float32
    np.testing.assert_allclose(tf.linspace(0.0, 1.0, 5).numpy(), np.linspace(0, 1, 5))
    assert tf.zeros([2, 2]).dtype == tf.float32 and tf.ones_like(tf.constant([1, 2])).dtype == tf.int32
    np.testing.assert_array_equal(tf.fill([2], 7).numpy(), [7, 7])
    np.testing.assert_array_equal(tf.equal([1, 2], [1, 3]).numpy(), [True, False])
    np.testing.assert_array_equal(tf.logical_and([True, True], [True, False]).numpy(), [True, False])
    np.testing.assert_array_equal(tf.where([True, False], [1.0, 2.0], [3.0, 4.0]).numpy(), [1.0, 4.0])
    np.testing.assert_array_equal(tf.where([[True, False]]).numpy(), [[0, 0]])
    np.testing.assert_allclose(tf.clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0).numpy(), [0, 0.5, 1])
    np.testing.assert_allclose(tf.add_n([[1.0], [2.0], [3.0]]).numpy(), [6.0])
    np.testing.assert_allclose(tf.matmul([[1.0, 2.0]], [[1.0, 2.0]], transpose_b=True).numpy(), [[5.0]])
    assert tf.divide(tf.constant([3]), tf.constant([2])).dtype == np.float64


def test_binary_functions_give_python_numbers_the_tensors_dtype(tf):
    """TF 2.21: ``tf.add(float32, 2)``, ``tf.pow``, ``tf.divide`` ... stay float32 (the book's overview printed
    float64); an int32 tensor with whole numbers stays int32; the gradient of tf.pow(x, 2) is float32."""
    b, i = tf.constant([1.0, 2.0]), tf.constant([3, 4])
    for f in (tf.add, tf.subtract, tf.multiply, tf.maximum, tf.minimum, tf.pow, tf.divide, tf.math.pow):
        assert f(b, 2).dtype == tf.float32 and f(b, [1, 2]).dtype == tf.float32, f
    assert tf.multiply(i, 2).dtype == tf.int32 and tf.add(i, [1, 2]).dtype == tf.int32
    np.testing.assert_array_equal(tf.pow(i, 2).numpy(), [9, 16])
    assert tf.divide(i, 2).dtype == tf.float64
    # NumPy operands take the tensor's dtype too
    assert tf.add(b, np.array([1.0, 2.0])).dtype == tf.float32 and tf.multiply(i, np.array([2, 3])).dtype == tf.int32
    assert tf.maximum(b, np.array([1.5, 1.5])).numpy().tolist() == [1.5, 2.0]
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.pow(x, 2)
    g = tape.gradient(y, x)
    assert y.dtype == tf.float32 and g.dtype == tf.float32 and float(g) == 6.0


def test_tensors_behave_as_eager_tensors(tf):
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert isinstance(t.numpy(), np.ndarray) and t.shape == (2, 2) and t.dtype == tf.float32
    np.testing.assert_allclose((t + np.ones((2, 2), np.float32)).numpy(), [[2, 3], [4, 5]])
    assert float(t[1, 0]) == 3.0 and [float(r[0]) for r in t] == [1.0, 3.0]
    assert tf.is_tensor(t) and not tf.is_tensor(np.ones(2))


def test_nn_functions_against_numpy(tf):
    z = np.array([[-1.0, 5.0], [2.0, 0.0]], np.float32)
    sm = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    np.testing.assert_allclose(tf.nn.softmax(z).numpy(), sm, rtol=1e-6)
    np.testing.assert_allclose(tf.nn.softmax([-1.0, 5.0]).numpy(), [0.00247, 0.99753], atol=1e-5)
    labels = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    np.testing.assert_allclose(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=z).numpy(),
                               -(labels * np.log(sm)).sum(1), rtol=1e-5)
    np.testing.assert_allclose(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0], logits=z).numpy(),
                               -np.log(sm[[0, 1], [1, 0]]), rtol=1e-5)
    assert float(tf.nn.l2_loss(np.array([3.0, 4.0], np.float32))) == 12.5
    mean, var = tf.nn.moments(z, axes=[0])
    np.testing.assert_allclose(mean.numpy(), z.mean(0)) and np.testing.assert_allclose(var.numpy(), z.var(0))
    x = np.random.rand(1, 5, 5, 2).astype(np.float32)
    assert tf.nn.conv2d(x, np.ones((3, 3, 2, 4), np.float32), strides=1, padding="SAME").shape == (1, 5, 5, 4)
    assert tf.nn.max_pool2d(x, ksize=2, strides=[1, 2, 2, 1], padding="VALID").shape == (1, 2, 2, 2)


def test_gradient_tape_through_the_tf_functions(tf):
    w = tf.Variable([[1.0], [2.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(tf.constant([[1.0, 1.0]]), w) - 1.0))
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), [[4.0], [4.0]])


def test_new_differentiable_compositions_pass_check_grads(tf):
    x = np.random.RandomState(0).randn(3, 4)
    check_grads(lambda a: tf.reduce_std(a, axis=1), [x])
    check_grads(lambda a: tf.nn.l2_loss(a), [x])
    check_grads(lambda a: tf.nn.moments(a, axes=[0])[1], [x])
    check_grads(lambda a: tf.math.log_sigmoid(a), [x])
    check_grads(lambda a: tf.tile(a, [2, 1]), [x])
    check_grads(lambda a: tf.unstack(a, axis=1)[2], [x])


def test_random_is_seeded(tf):
    a = tf.random.normal([3], seed=5).numpy()
    np.testing.assert_array_equal(a, tf.random.normal([3], seed=5).numpy())
    u = tf.random.uniform([1000], minval=2, maxval=3).numpy()
    assert u.min() >= 2 and u.max() < 3
    assert np.abs(tf.random.truncated_normal([1000]).numpy()).max() <= 2
    # minval + (maxval - minval) * U[0, 1), as TensorFlow computes it: maxval below minval gives (maxval, minval]
    backwards = tf.random.uniform([1000], minval=-1, maxval=-5).numpy()
    assert backwards.min() > -5 and backwards.max() <= -1 and backwards.dtype == np.float32
    ranged = tf.random.uniform([2, 3], minval=tf.constant([[0.0], [10.0]]), maxval=[[1.0], [11.0]]).numpy()
    assert ranged[0].max() < 1 and ranged[1].min() >= 10
    with pytest.raises(ValueError, match=r"tf.random.uniform: `minval` must be below `maxval`; received minval=5"):
        tf.random.uniform([2], minval=5, maxval=1, dtype=tf.int32)


def test_saved_model_and_unknown_names_are_refused_clearly(tf):
    with pytest.raises(NotImplementedError, match=r"tf.saved_model.save .*model.save\('model.keras'\)"):
        tf.saved_model.save(None, "dir")
    with pytest.raises(NotImplementedError, match=r"`tensorflow.nn.no_such_op` is not supported.*docs/compat.md"):
        tf.nn.no_such_op
    assert not hasattr(tf, "_private")  # private names stay AttributeErrors (probing code works)


def test_dtypes_accept_tensorflows_datatype_enum_numbers(tf):
    assert tf.zeros(1, 1).dtype == tf.float32 and tf.as_dtype(3) == tf.int32 and tf.as_dtype(10) == tf.bool
    assert tf.as_dtype(7) == tf.string and tf.cast([1.5], 9).dtype == tf.int64
    with pytest.raises(TypeError, match="DataType numbers"):
        tf.as_dtype(99)


def test_variable_assign_takes_tensorflows_arguments(tf):
    """Raschka's chapter 14: w.assign(..., read_value=True) gives the variable, read_value=False gives None."""
    w = tf.Variable([1, 2, 3], trainable=False)
    assert w.assign([3, 1, 4], read_value=True) is w
    assert w.assign_add([2, -1, 2], read_value=False) is None and w.numpy().tolist() == [5, 0, 6]
    assert w.assign_sub([1, 1, 1], use_locking=True, name="sub") is w and w.numpy().tolist() == [4, -1, 5]


def test_variable_value_is_its_array_and_value_call_a_tensor(tf):
    """TensorFlow's v.value() (Raschka's chapter 14, TF's variable guide) gives the value as a Tensor; dendrite
    reads v.value as the array, so a tf.Variable's value is both."""
    w = tf.Variable([1, 2, 3])
    out = w.value()
    assert isinstance(out, tf.Tensor) and out.numpy().tolist() == [1, 2, 3]
    w.assign_add([1, 1, 1])
    assert out.numpy().tolist() == [1, 2, 3] and w.value().numpy().tolist() == [2, 3, 4]  # a copy, as a read
    assert type(w.value + 1) is np.ndarray and repr(w.value) == "array([2, 3, 4], dtype=int32)"
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v).numpy() == 6.0
    tf.keras.optimizers.SGD(0.5).apply_gradients([(tf.constant(2.0), v)])
    assert v.numpy() == 2.0 and type(v.value()).__name__ == "Tensor"


def test_bad_reshapes_and_ragged_lists_are_refused_as_tensorflow(tf):
    """TF 2.21 (the Tensor guide): a reshape whose sizes do not fit raises InvalidArgumentError naming the
    value count; tf.constant of rows of different lengths raises ValueError "Can't convert non-rectangular
    Python sequence to Tensor."."""
    x = tf.reshape(tf.range(30), [3, 2, 5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="tensor with 30 values, but the requested shape "
                                                             "requires a multiple of 7") as caught:
        tf.reshape(x, [7, -1])
    assert type(caught.value).__name__ == "InvalidArgumentError"
    with pytest.raises(tf.errors.InvalidArgumentError, match="tensor with 30 values, but the requested shape has 28"):
        tf.reshape(x, [4, 7])
    assert tf.reshape(x, [-1, 3]).shape == (10, 3) and tf.reshape(x, 30).shape == (30,)
    with pytest.raises(ValueError, match="Can't convert non-rectangular Python sequence to Tensor.*tf.ragged"):
        tf.constant([[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]])


def test_variable_names_end_in_the_output_index_as_tensorflows(tf):
    """TF 2.21: tf.Variable(1.0).name is 'Variable:0', name='w' gives 'w:0' (Keras variables keep bare names)."""
    assert tf.Variable(1.0).name == "Variable:0" and tf.Variable(1.0, name="w").name == "w:0"
    assert repr(tf.Variable(2.0, name="w:0")).startswith("<tf.Variable 'w:0' shape=()")
    layer = tf.keras.layers.Dense(2)
    layer.build((None, 3))
    assert layer.kernel.name == "kernel" and layer.kernel.path == "dense/kernel"


def test_random_gamma_and_poisson_shapes_and_moments(tf):
    tf.random.set_seed(1)
    g = tf.random.gamma([20000], [2.0, 5.0], beta=2.0)
    assert g.shape == (20000, 2) and g.dtype == tf.float32
    np.testing.assert_allclose(g.numpy().mean(axis=0), [1.0, 2.5], rtol=0.03)  # alpha / beta
    p = tf.random.poisson([20000], 3.0, dtype=tf.int32)
    assert p.shape == (20000,) and p.dtype == tf.int32 and abs(p.numpy().mean() - 3.0) < 0.05
    with pytest.raises(ValueError, match="`alpha` must be positive"):
        tf.random.gamma([2], -1.0)


def test_lists_holding_tensors_are_packed_so_gradients_reach_them(tf):
    """TF packs a list of tensors into one (an LSTM written from scratch does ``x - [h]`` and
    ``tf.sigmoid([...])``); the gradients below are TF 2.21's."""
    w, x = tf.Variable(3.0), tf.constant(2.0)
    v, u = tf.Variable([1.0, 2.0]), tf.constant([3.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        h = [w * x]
        losses = [tf.reduce_sum(tf.square(x - h)), tf.reduce_sum(tf.sigmoid(h)),
                  tf.reduce_sum(tf.convert_to_tensor([w, 1.0]) * 2.0), tf.reduce_sum(tf.add([w, w], 1)),
                  tf.reduce_sum(tf.convert_to_tensor([[w, 2.0], [x, w]], dtype=tf.float32))]
        dot = tf.tensordot(v, [u[0] * v[0], u[1]], 1)
    np.testing.assert_allclose([float(tape.gradient(loss, w)) for loss in losses], [16.0, 0.0049329, 2, 2, 2],
                               rtol=1e-4)
    np.testing.assert_allclose(tape.gradient(dot, v).numpy(), [6.0, 4.0])
    assert tf.convert_to_tensor([w, 1.0]).dtype == tf.float32 and (tf.constant(1.0) * [x, x]).dtype == tf.float32
