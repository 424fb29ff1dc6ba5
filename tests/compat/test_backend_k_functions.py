"""The rest of Keras 2's backend (K) functions, as Keras 2 custom layers and losses call them."""
import numpy as np
import pytest

from dendrite.testing import check_grads


def test_elementwise_comparisons_and_reductions(keras):
    K = keras.backend
    x = np.array([[1.0, -2.0, 3.0], [0.0, 5.0, -1.0]], dtype="float32")
    assert K.any(x > 4).numpy() and not K.all(x > 0).numpy()
    assert K.all(x > -3).numpy() and K.any(x < -1, axis=1).numpy().tolist() == [True, False]
    np.testing.assert_allclose(K.cumsum(x, axis=1).numpy(), np.cumsum(x, 1))
    np.testing.assert_allclose(K.cumprod(x, axis=0).numpy(), np.cumprod(x, 0))
    np.testing.assert_allclose(K.logsumexp(x, axis=1).numpy(), np.log(np.exp(x).sum(1)), rtol=1e-6)
    assert K.greater(x, 0).numpy().tolist() == (x > 0).tolist() and K.sign(x).numpy().tolist() == np.sign(x).tolist()
    assert K.eye(2).numpy().tolist() == [[1, 0], [0, 1]] and K.arange(3).dtype == np.int32
    assert K.count_params(np.zeros((3, 4))) == 12 and K.is_keras_tensor(keras.Input((2,)))
    assert not K.is_keras_tensor(K.constant(1.0))


def test_switch_and_phases(keras):
    K = keras.backend
    x = np.array([1.0, -2.0, 3.0], dtype="float32")
    assert K.switch(K.greater(x, 0), x, -x).numpy().tolist() == [1.0, 2.0, 3.0]
    assert float(K.switch(True, lambda: K.constant(1.0), lambda: K.constant(2.0))) == 1.0
    assert float(K.in_train_phase(K.constant(1.0), K.constant(2.0))) == 2.0  # learning phase 0: inference
    assert float(K.in_train_phase(lambda: K.constant(1.0), K.constant(2.0), training=True)) == 1.0
    assert float(K.in_test_phase(K.constant(1.0), K.constant(2.0), training=False)) == 1.0


def test_shape_functions_and_images(keras):
    K = keras.backend
    seq = np.arange(6.0).reshape(1, 3, 2)
    assert K.temporal_padding(seq, (1, 2)).shape == (1, 6, 2)
    assert K.repeat(np.ones((2, 3)), 4).shape == (2, 4, 3)
    np.testing.assert_array_equal(K.repeat_elements(seq, 2, axis=1).numpy(), np.repeat(seq, 2, 1))
    np.testing.assert_array_equal(K.reverse(seq, axes=1).numpy(), seq[:, ::-1])
    img = np.arange(4.0).reshape(1, 2, 2, 1)
    assert K.resize_images(img, 2, 3, "channels_last").shape == (1, 4, 6, 1)
    assert K.spatial_2d_padding(img).shape == (1, 4, 4, 1)
    assert K.pool2d(np.arange(16.0).reshape(1, 4, 4, 1), (2, 2), strides=(2, 2)).numpy().ravel().tolist() == [5, 7, 13, 15]
    with pytest.raises(NotImplementedError, match="channels_first"):
        K.conv2d(img, np.ones((1, 1, 1, 1)), data_format="channels_first")


def test_variables_updates_and_uids(keras):
    K = keras.backend
    v = K.variable(np.zeros(2))
    K.update_add(v, np.ones(2))
    K.update_sub(v, np.array([0.5, 0.0]))
    K.moving_average_update(v, np.array([10.0, 10.0]), 0.9)
    np.testing.assert_allclose(K.get_value(v), [0.9 * 0.5 + 1.0, 0.9 * 1.0 + 1.0])
    K.reset_uids()
    assert (K.get_uid("dense"), K.get_uid("dense"), K.get_uid("conv")) == (1, 2, 1)
    assert K.random_uniform_variable((2, 2), 0.0, 1.0, seed=1).shape == (2, 2)
    assert K.get_session() is K.get_session()  # a Session kept for Keras 2's set-up (tests/compat/test_tf_session.py)


def test_differentiable_backend_functions(keras):
    K = keras.backend
    rng = np.random.RandomState(0)
    x = rng.randn(2, 3, 4)
    for fn in (lambda a: K.logsumexp(a, axis=1), lambda a: K.softplus(a), lambda a: K.elu(a, 0.5),
               lambda a: K.switch(a > 0, a * 2, a * 3), lambda a: K.repeat_elements(a, 2, axis=2),
               lambda a: K.temporal_padding(a, (1, 1)), lambda a: K.conv1d(a, np.ones((2, 4, 3))),
               lambda a: K.bias_add(a, np.arange(4.0)), lambda a: K.sin(a) * K.cos(a),
               lambda a: K.batch_normalization(a, a[0, 0], a[0, 1] ** 2 + 1, 0.5, 2.0)):
        check_grads(fn, [x])
