"""tf.nn's added functions against their definitions, with gradients."""
import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(9)


def test_transposed_convolution_is_the_adjoint_of_conv2d(tf):
    x = RNG.normal(size=(1, 7, 7, 3))
    k = RNG.normal(size=(3, 3, 3, 5))  # conv2d: 3 -> 5 channels; its transpose maps 5 -> 3 with the same kernel
    y = RNG.normal(size=(1, 4, 4, 5))
    forward = tf.nn.conv2d(x, k, strides=2, padding="SAME").numpy()
    back = tf.nn.conv2d_transpose(y, k, output_shape=[1, 7, 7, 3], strides=2, padding="SAME").numpy()
    assert back.shape == (1, 7, 7, 3)
    assert (forward * y).sum() == pytest.approx((x * back).sum(), rel=1e-9)
    x1, k1, y1 = RNG.normal(size=(1, 9, 2)), RNG.normal(size=(3, 2, 4)), RNG.normal(size=(1, 4, 4))
    f1 = tf.nn.conv1d(x1, k1, stride=2, padding="VALID").numpy()
    b1 = tf.nn.conv1d_transpose(y1, k1, output_shape=[1, 9, 2], strides=2, padding="VALID").numpy()
    assert (f1 * y1).sum() == pytest.approx((x1 * b1).sum(), rel=1e-9)
    with pytest.raises(ValueError, match="cannot come from"):
        tf.nn.conv2d_transpose(y, k, output_shape=[1, 11, 11, 3], strides=2, padding="SAME")


def test_depthwise_separable_pooling_and_blocks(tf):
    x = RNG.normal(size=(2, 6, 6, 3)).astype(np.float32)
    dw = RNG.normal(size=(3, 3, 3, 2)).astype(np.float32)
    pw = RNG.normal(size=(1, 1, 6, 4)).astype(np.float32)
    depth = tf.nn.depthwise_conv2d(x, dw, strides=[1, 1, 1, 1], padding="VALID")
    assert depth.shape == (2, 4, 4, 6)
    np.testing.assert_allclose(tf.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], "VALID").numpy(),
                               np.einsum("nhwc,co->nhwo", depth.numpy(), pw[0, 0]), rtol=1e-4, atol=1e-5)
    assert tf.nn.convolution(x, RNG.normal(size=(3, 3, 3, 4)), padding="SAME").shape == (2, 6, 6, 4)
    seq = RNG.normal(size=(2, 8, 3))
    np.testing.assert_allclose(tf.nn.max_pool1d(seq, 2, 2, "VALID").numpy(), seq.reshape(2, 4, 2, 3).max(2))
    np.testing.assert_allclose(tf.nn.avg_pool1d(seq, 2, 2, "VALID").numpy(), seq.reshape(2, 4, 2, 3).mean(2))
    img = np.arange(16.0).reshape(1, 2, 2, 4)
    assert tf.nn.depth_to_space(img, 2).shape == (1, 4, 4, 1)
    np.testing.assert_array_equal(tf.nn.space_to_depth(tf.nn.depth_to_space(img, 2), 2).numpy(), img)
    # TensorFlow's doc example of depth_to_space: [[[[1, 2, 3, 4]]]] becomes [[[[1], [2]], [[3], [4]]]]
    assert tf.nn.depth_to_space(np.array([[[[1, 2, 3, 4]]]]), 2).numpy().ravel().tolist() == [1, 2, 3, 4]


def test_losses_lrn_and_moments(tf):
    logits, labels = RNG.normal(size=(3, 4)), (RNG.uniform(size=(3, 4)) > 0.5).astype(float)
    p = 1 / (1 + np.exp(-logits))
    ref = -(2.0 * labels * np.log(p) + (1 - labels) * np.log(1 - p))
    np.testing.assert_allclose(tf.nn.weighted_cross_entropy_with_logits(labels, logits, 2.0).numpy(), ref, rtol=1e-6)
    np.testing.assert_allclose(tf.nn.log_poisson_loss(labels, logits).numpy(), np.exp(logits) - labels * logits)
    x = RNG.normal(size=(1, 2, 2, 6))
    sq = np.pad(x ** 2, [(0, 0)] * 3 + [(2, 2)])
    window = sum(sq[..., k:k + 6] for k in range(5))
    np.testing.assert_allclose(tf.nn.lrn(x, 2, 1.0, 0.5, 0.75).numpy(), x / (1 + 0.5 * window) ** 0.75, rtol=1e-6)
    counts, mean_ss, var_ss, _ = tf.nn.sufficient_statistics(x, [0, 1, 2])
    mean, var = tf.nn.normalize_moments(counts, mean_ss, var_ss, None)
    np.testing.assert_allclose(mean.numpy(), x.mean((0, 1, 2))) and np.testing.assert_allclose(
        var.numpy(), x.var((0, 1, 2)), rtol=1e-6)
    w = RNG.uniform(size=(1, 2, 2, 1))
    wm, wv = tf.nn.weighted_moments(x, [1, 2], w)
    ref_mean = (x * w).sum((1, 2)) / w.sum()
    np.testing.assert_allclose(wm.numpy(), ref_mean, rtol=1e-6)
    np.testing.assert_allclose(tf.nn.crelu([-1.0, 2.0]).numpy(), [0, 2, 1, 0])
    assert tf.nn.in_top_k([0, 1], np.array([[0.9, 0.1], [0.8, 0.2]]), 1).numpy().tolist() == [True, False]
    check_grads(lambda a, b: tf.nn.weighted_cross_entropy_with_logits(b, a, 3.0) + tf.nn.lrn(
        a[None, None], 1, 1.0, 0.3, 0.5)[0, 0], [logits, labels])
