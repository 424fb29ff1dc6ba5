"""tf.image's added functions: colour adjustments, gradients, quality measures, crops and NMS."""
import colorsys

import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(10)
IMG = RNG.uniform(size=(2, 8, 9, 3)).astype(np.float32)


def test_colour_adjustments(tf):
    px = IMG[0, 0, 0]
    h, s, v = colorsys.rgb_to_hsv(*px)
    np.testing.assert_allclose(tf.image.adjust_saturation(IMG, 0.5).numpy()[0, 0, 0],
                               colorsys.hsv_to_rgb(h, s * 0.5, v), rtol=1e-5)
    np.testing.assert_allclose(tf.image.adjust_hue(IMG, 0.25).numpy()[0, 0, 0],
                               colorsys.hsv_to_rgb((h + 0.25) % 1, s, v), rtol=1e-5)
    np.testing.assert_allclose(tf.image.adjust_gamma(IMG, 2.0, 0.5).numpy(), 0.5 * IMG ** 2, rtol=1e-6)
    as_uint8 = tf.image.adjust_gamma(np.array([[[255, 0, 128]]], np.uint8), 1.0)
    assert as_uint8.dtype == np.uint8 and as_uint8.numpy().tolist() == [[[255, 0, 128]]]
    np.testing.assert_allclose(tf.image.yiq_to_rgb(tf.image.rgb_to_yiq(IMG)).numpy(), IMG, atol=1e-5)
    out = tf.image.random_saturation(IMG, 0.5, 1.5, seed=3)
    assert out.shape == IMG.shape
    with pytest.raises(ValueError, match="lower < upper"):
        tf.image.random_saturation(IMG, 1.5, 0.5)


def test_gradients_and_quality_measures(tf):
    dy, dx = tf.image.image_gradients(IMG)
    np.testing.assert_allclose(dy.numpy()[:, :-1], IMG[:, 1:] - IMG[:, :-1]) and np.all(dy.numpy()[:, -1] == 0)
    np.testing.assert_allclose(dx.numpy()[:, :, :-1], IMG[:, :, 1:] - IMG[:, :, :-1])
    edges = tf.image.sobel_edges(IMG)
    assert edges.shape == (2, 8, 9, 3, 2)
    ramp = np.tile(np.arange(5.0)[None, :, None, None], (1, 1, 5, 1))  # rows increasing by 1
    np.testing.assert_allclose(tf.image.sobel_edges(ramp).numpy()[0, 2, 2, 0], [8.0, 0.0])
    tv = tf.image.total_variation(IMG).numpy()
    ref = np.abs(np.diff(IMG, axis=1)).sum((1, 2, 3)) + np.abs(np.diff(IMG, axis=2)).sum((1, 2, 3))
    np.testing.assert_allclose(tv, ref, rtol=1e-5)
    noisy = np.clip(IMG + 0.1 * RNG.normal(size=IMG.shape), 0, 1).astype(np.float32)
    mse = ((IMG - noisy) ** 2).mean((1, 2, 3))
    np.testing.assert_allclose(tf.image.psnr(IMG, noisy, 1.0).numpy(), 10 * np.log10(1 / mse), rtol=1e-5)
    same = tf.image.ssim(IMG, IMG, 1.0).numpy()
    np.testing.assert_allclose(same, [1.0, 1.0], rtol=1e-6)
    worse = tf.image.ssim(IMG, noisy, 1.0).numpy()
    assert np.all(worse < 0.99) and np.all(worse > 0)
    check_grads(lambda a: tf.image.ssim(a, noisy[:1, :6, :6].astype(np.float64), 1.0, filter_size=3),
                [IMG[:1, :6, :6]])
    check_grads(lambda a: tf.image.total_variation(a) + tf.image.sobel_edges(a)[0, 1, 1, 0], [IMG[:1, :4, :4]])


def test_patches_crops_and_nms(tf):
    patches = tf.image.extract_patches(IMG, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    assert patches.shape == (2, 3, 4, 27)
    np.testing.assert_array_equal(patches.numpy()[0, 1, 2], IMG[0, 2:5, 4:7].ravel())
    padded = tf.image.resize_with_pad(IMG, 12, 12)
    assert padded.shape == (2, 12, 12, 3) and np.all(padded.numpy()[:, :1] == 0)
    boxes = np.array([[0.0, 0.0, 1.0, 1.0], [0.25, 0.25, 0.5, 0.75]])
    crops = tf.image.crop_and_resize(IMG, boxes, [0, 1], (8, 9)).numpy()
    np.testing.assert_allclose(crops[0], IMG[0], rtol=1e-6)  # the whole image at its own size
    one = tf.image.crop_and_resize(IMG, [[0.0, 0.0, 0.0, 0.0]], [1], (1, 1)).numpy()
    np.testing.assert_allclose(one[0, 0, 0], IMG[1, 0, 0])
    outside = tf.image.crop_and_resize(IMG, [[1.5, 1.5, 2.0, 2.0]], [0], (2, 2), extrapolation_value=-1.0).numpy()
    assert np.all(outside == -1.0)
    nms_boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1], [0, 100, 1, 101]]
    kept = tf.image.non_max_suppression(nms_boxes, [0.9, 0.75, 0.6, 0.95, 0.5, 0.3], 3, 0.5)
    assert kept.numpy().tolist() == [3, 0, 5]  # TensorFlow's documented example
    check_grads(lambda a: tf.image.crop_and_resize(a, boxes, [0, 0], (3, 4)), [IMG[:1]])
