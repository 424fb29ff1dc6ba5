"""Keras 2's K functions of backend_k_extra: the convolutions and pooling against dendrite's Keras-checked layers
(same kernels), both data formats, padding / resize by NumPy, in_top_k's ties, the sparse helpers, and K.rnn
against the SimpleRNN layer (masks, go_backwards, constants, time_major), with gradients."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.testing import check_grads

RNG = np.random.default_rng(0)


def _first(x):
    return np.moveaxis(x, -1, 1)


def test_convolutions_match_the_layers(keras):
    K = keras.backend
    img = RNG.standard_normal((2, 7, 6, 3)).astype(np.float32)
    vol = RNG.standard_normal((2, 5, 6, 4, 2)).astype(np.float32)
    conv3 = layers.Conv3D(4, 2, strides=(1, 2, 1), padding="same", use_bias=False)
    y = conv3(vol).numpy()
    np.testing.assert_allclose(K.conv3d(vol, conv3.kernel.numpy(), (1, 2, 1), "same").numpy(), y, rtol=1e-5)
    got = K.conv3d(_first(vol), conv3.kernel.numpy(), (1, 2, 1), "same", data_format="channels_first").numpy()
    np.testing.assert_allclose(got, _first(y), rtol=1e-5)
    dw = layers.DepthwiseConv2D(3, depth_multiplier=2, use_bias=False)
    y = dw(img).numpy()
    np.testing.assert_allclose(K.depthwise_conv2d(img, dw.weights[0].numpy()).numpy(), y, rtol=1e-5)
    sep = layers.SeparableConv2D(5, 3, padding="same", dilation_rate=2, use_bias=False)
    y = sep(img).numpy()
    got = K.separable_conv2d(img, sep.weights[0].numpy(), sep.weights[1].numpy(), padding="same",
                             dilation_rate=(2, 2)).numpy()
    np.testing.assert_allclose(got, y, rtol=1e-5, atol=1e-6)
    tr = layers.Conv2DTranspose(3, 3, strides=2, padding="same", use_bias=False)
    y = tr(img).numpy()
    got = K.conv2d_transpose(img, tr.kernel.numpy(), (2, 14, 12, 3), (2, 2), "same").numpy()
    np.testing.assert_allclose(got, y, rtol=1e-5, atol=1e-6)
    got = K.conv2d_transpose(_first(img), tr.kernel.numpy(), (2, 3, 14, 12), (2, 2), "same",
                             data_format="channels_first").numpy()
    np.testing.assert_allclose(got, _first(y), rtol=1e-5, atol=1e-6)
    check_grads(lambda v, k: K.conv3d(v, k), [vol[:1, :3, :3, :3].astype(np.float64),
                                             RNG.standard_normal((2, 2, 2, 2, 2))])


def test_pool3d_padding_and_resize(keras):
    K = keras.backend
    vol = RNG.standard_normal((2, 4, 6, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(K.pool3d(vol, (2, 2, 2), (2, 2, 2)).numpy(), layers.MaxPooling3D(2)(vol).numpy())
    np.testing.assert_allclose(K.pool3d(_first(vol), (2, 3, 2), (2, 3, 2), pool_mode="avg",
                                        data_format="channels_first").numpy(),
                               _first(layers.AveragePooling3D((2, 3, 2))(vol).numpy()), rtol=1e-6)
    padded = K.spatial_3d_padding(vol, ((1, 0), (0, 2), (1, 1))).numpy()
    np.testing.assert_array_equal(padded, np.pad(vol, [(0, 0), (1, 0), (0, 2), (1, 1), (0, 0)]))
    padded = K.spatial_3d_padding(_first(vol), data_format="channels_first").numpy()
    np.testing.assert_array_equal(padded, np.pad(_first(vol), [(0, 0), (0, 0), (1, 1), (1, 1), (1, 1)]))
    up = K.resize_volumes(vol, 2, 1, 3, "channels_last").numpy()
    np.testing.assert_array_equal(up, vol.repeat(2, axis=1).repeat(3, axis=3))
    up = K.resize_volumes(_first(vol), 1, 2, 2, "channels_first").numpy()
    np.testing.assert_array_equal(up, _first(vol).repeat(2, axis=3).repeat(2, axis=4))
    with pytest.raises(ValueError, match="pool_mode"):
        K.pool3d(vol, 2, pool_mode="min")


def test_in_top_k_cast_and_sparse(keras, tf):
    K = keras.backend
    scores = np.array([[0.1, 0.5, 0.5, 0.2], [0.9, 0.05, 0.03, 0.02]], np.float32)
    # TensorFlow counts ties as in: label 2 ties with 1 for the top score
    assert K.in_top_k(scores, np.array([2, 3]), 1).numpy().tolist() == [True, False]
    assert K.in_top_k(scores, np.array([[3], [1]]), 2).numpy().tolist() == [False, True]
    cast = K.cast_to_floatx([1, 2])
    assert isinstance(cast, np.ndarray) and cast.dtype == np.float32
    sp = tf.sparse.SparseTensor(indices=[[0, 1], [1, 0]], values=[3.0, 4.0], dense_shape=[2, 2])
    assert K.is_sparse(sp) and not K.is_sparse(np.zeros(2))
    np.testing.assert_array_equal(np.asarray(K.to_dense(sp)), [[0, 3], [4, 0]])
    dense = np.ones(3)
    assert K.to_dense(dense) is dense


def _simple_rnn(keras, units=3):
    layer = layers.SimpleRNN(units, return_sequences=True, return_state=True)
    layer.build((None, None, 2))
    kernel, recurrent, bias = (w.numpy() for w in layer.weights)
    K = keras.backend

    def step(x_t, states):
        h = K.tanh(K.dot(x_t, kernel) + K.dot(states[0], recurrent) + bias)
        return h, [h]
    return layer, step


def test_rnn_matches_simple_rnn(keras):
    K = keras.backend
    layer, step = _simple_rnn(keras)
    x = RNG.standard_normal((2, 5, 2)).astype(np.float32)
    h0 = np.zeros((2, 3), np.float32)
    last, outputs, states = K.rnn(step, x, [h0])
    seq, h = layer(x)
    np.testing.assert_allclose(outputs.numpy(), seq.numpy(), rtol=1e-5)
    np.testing.assert_allclose(last.numpy(), h.numpy(), rtol=1e-5)
    np.testing.assert_allclose(states[0].numpy(), h.numpy(), rtol=1e-5)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    last, outputs, _ = K.rnn(step, x, [h0], mask=mask, go_backwards=True)
    backwards = layers.SimpleRNN(3, go_backwards=True, return_sequences=True)
    backwards.build((None, None, 2))
    backwards.set_weights(layer.get_weights())
    np.testing.assert_allclose(outputs.numpy(), backwards(x, mask=mask).numpy(), rtol=1e-5)
    _, tm, _ = K.rnn(step, np.swapaxes(x, 0, 1), [h0], time_major=True, return_all_outputs=False)
    np.testing.assert_allclose(tm.numpy()[0], layer(x)[1].numpy(), rtol=1e-5)  # (1, batch, units): the last only


def test_rnn_constants_zero_output_and_gradients(keras):
    K = keras.backend
    seen = []

    def step(x_t, states):
        seen.append(len(states))
        total = states[0] + K.sum(x_t, axis=-1, keepdims=True) * states[1]
        return total, [total]
    x = np.ones((2, 3, 2), np.float32)
    mask = np.array([[1, 0, 1], [1, 1, 1]], bool)
    last, outputs, states = K.rnn(step, x, [np.zeros((2, 1), np.float32)], mask=mask, constants=[np.float32(0.5)],
                                  zero_output_for_mask=True)
    assert seen[0] == 2  # the states then the constants
    np.testing.assert_allclose(outputs.numpy()[..., 0], [[1, 0, 2], [1, 2, 3]])
    np.testing.assert_allclose(states[0].numpy()[:, 0], [2, 3])
    check_grads(lambda v: K.rnn(step, v, [np.zeros((1, 1))], constants=[0.5])[1], [RNG.standard_normal((1, 3, 2))])
    with pytest.raises(ValueError, match="rank 3"):
        K.rnn(step, np.ones((2, 3)), [np.zeros((2, 1))])
