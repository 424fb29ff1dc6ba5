"""tf.nn's convolution and pooling variants, weighted cross-entropy, LRN and friends, against the Keras layers
and NumPy references, gradient-checked."""
import json
import pathlib

import numpy as np
import pytest

from dendrite.testing import check_grads

rng = np.random.RandomState(7)


def test_transposed_depthwise_and_separable_convolutions_match_the_layers(tf, keras):
    x = rng.randn(2, 4, 4, 3).astype("float32")
    layer = keras.layers.Conv2DTranspose(2, 3, strides=2, padding="same", use_bias=False)
    expected = layer(x).numpy()
    out = tf.nn.conv2d_transpose(x, layer.kernel, output_shape=[2, 8, 8, 2], strides=2, padding="SAME")
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)
    valid = tf.nn.conv2d_transpose(x, layer.kernel, [2, 9, 9, 2], [1, 2, 2, 1], padding="VALID")
    assert valid.shape == (2, 9, 9, 2)
    with pytest.raises(ValueError, match="cannot come from"):
        tf.nn.conv2d_transpose(x, layer.kernel, [2, 20, 20, 2], 2)
    dw = keras.layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", use_bias=False)
    expected = dw(x).numpy()
    np.testing.assert_allclose(tf.nn.depthwise_conv2d(x, dw.kernel, [1, 1, 1, 1], "SAME").numpy(),
                               expected, rtol=1e-5, atol=1e-5)
    sep = keras.layers.SeparableConv2D(4, 3, use_bias=False)
    expected = sep(x).numpy()
    np.testing.assert_allclose(tf.nn.separable_conv2d(x, sep.depthwise_kernel, sep.pointwise_kernel, [1, 1, 1, 1],
                                                      "VALID").numpy(), expected, rtol=1e-5, atol=1e-5)
    assert tf.nn.convolution(x, np.ones((3, 3, 3, 5), "float32"), padding="SAME").shape == (2, 4, 4, 5)
    big = rng.randn(1, 6, 6, 3).astype("float32")  # a 3x3 kernel at rate 2 spans 5 pixels
    assert tf.nn.atrous_conv2d(big, np.ones((3, 3, 3, 1), "float32"), 2, "VALID").shape == (1, 2, 2, 1)


def test_pooling_by_rank(tf):
    seq = np.arange(12.0).reshape(1, 6, 2)
    np.testing.assert_array_equal(tf.nn.max_pool(seq, 2, 2, "VALID").numpy(), seq.reshape(1, 3, 2, 2).max(2))
    np.testing.assert_array_equal(tf.nn.avg_pool1d(seq, 3, 3, "VALID").numpy(), seq.reshape(1, 2, 3, 2).mean(2))
    img = np.arange(16.0).reshape(1, 4, 4, 1)
    assert tf.nn.max_pool(img, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").numpy().ravel().tolist() == [5, 7, 13, 15]
    vol = np.arange(16.0).reshape(1, 2, 2, 4, 1)
    assert tf.nn.max_pool(vol, 2, 2, "VALID").numpy().ravel().tolist() == [13, 15]
    assert tf.nn.avg_pool(vol, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID").numpy().ravel().tolist() == [6.5, 8.5]
    with pytest.raises(ValueError, match="received rank 6"):
        tf.nn.max_pool(np.ones((1, 2, 2, 2, 2, 1)), 2, 2, "VALID")
    with pytest.raises(ValueError, match=r"tf.nn.conv3d: expected a 5-D input .* received shape \(2, 2, 1\)"):
        tf.nn.conv3d(np.ones((2, 2, 1)), np.ones((1, 1, 1, 1, 1)), 1, "VALID")
    with pytest.raises(ValueError, match=r"pooling across channels needs .* divisible by k"):
        tf.nn.max_pool(np.ones((1, 2, 2, 4)), (1, 1, 1, 3), (1, 1, 1, 3), "VALID")
    with pytest.raises(NotImplementedError, match="NDHWC"):
        tf.nn.max_pool3d(np.ones((1, 1, 2, 2, 2)), 2, 2, "VALID", data_format="NCDHW")


def test_losses_and_normalizations_against_formulas(tf):
    labels, logits = np.array([1.0, 0.0, 1.0]), np.array([0.5, -1.0, 3.0])
    p = 1 / (1 + np.exp(-logits))
    expected = -(labels * np.log(p) * 2.5 + (1 - labels) * np.log(1 - p))
    np.testing.assert_allclose(tf.nn.weighted_cross_entropy_with_logits(labels, logits, 2.5).numpy(), expected)
    np.testing.assert_allclose(tf.nn.log_poisson_loss(labels, logits).numpy(), np.exp(logits) - labels * logits)
    x = rng.randn(1, 2, 2, 7)
    sq = np.pad(x ** 2, [(0, 0)] * 3 + [(2, 2)])
    window = sum(sq[..., d:d + 7] for d in range(5))
    np.testing.assert_allclose(tf.nn.lrn(x, depth_radius=2, bias=1.0, alpha=0.5, beta=0.75).numpy(),
                               x / (1.0 + 0.5 * window) ** 0.75, rtol=1e-10)
    assert tf.nn.crelu(np.array([1.0, -2.0])).numpy().tolist() == [1.0, 0.0, 0.0, 2.0]
    assert float(tf.nn.zero_fraction(np.array([0.0, 1.0, 0.0, 3.0]))) == 0.5
    assert tf.nn.in_top_k([1, 0], np.array([[0.1, 0.9], [0.3, 0.7]]), 1).numpy().tolist() == [True, False]


def test_gradients(tf):
    x = rng.randn(1, 3, 3, 2)
    check_grads(lambda a, k: tf.nn.conv2d_transpose(a, k, [1, 6, 6, 2], 2), [x, rng.randn(3, 3, 2, 2)])
    check_grads(lambda a, k: tf.nn.depthwise_conv2d(a, k, 1, "SAME"), [x, rng.randn(2, 2, 2, 2)])
    check_grads(lambda a: tf.nn.lrn(a, 1, 1.0, 0.3, 0.5), [x])
    check_grads(lambda a: tf.nn.weighted_cross_entropy_with_logits(np.ones_like(a) * 0.3, a, 3.0), [x])
    check_grads(lambda a: tf.nn.crelu(a), [x])


MEANINGS = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "tf_signatures" / "meanings.json"


def _meanings():  # written by tools/make_tf_arguments_fixtures.py with real TensorFlow
    return json.loads(MEANINGS.read_text())


def test_swish_and_silu_take_beta_as_tensorflow(tf):
    want = _meanings()
    x = np.asarray(want["x"], np.float32)
    for beta, values in want["swish_beta"].items():
        np.testing.assert_allclose(tf.nn.swish(x, beta=float(beta)).numpy(), values, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(tf.nn.silu(x, 2.0).numpy(), want["silu_beta_2"], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(tf.nn.swish(x).numpy(), x / (1 + np.exp(-x)), rtol=1e-6)
    check_grads(lambda t: tf.nn.swish(t, beta=1.7), [x.astype(np.float64)])
    check_grads(lambda t, b: tf.nn.swish(t, beta=b), [x.astype(np.float64), np.array(0.6)])


def test_top_k_gives_indices_of_index_type(tf):
    want = _meanings()["top_k_int64"]
    values, indices = tf.math.top_k(np.asarray(_meanings()["x"], np.float32), 3, index_type=tf.int64)
    np.testing.assert_allclose(values.numpy(), want["values"], rtol=1e-6)
    assert indices.numpy().tolist() == want["indices"] and indices.dtype == tf.int64 and want["dtype"] == "int64"
    assert tf.nn.top_k([1.0, 3.0], 1).indices.dtype == tf.int32
    with pytest.raises(ValueError, match="index_type must be"):
        tf.math.top_k([1.0], 1, index_type=tf.float32)
