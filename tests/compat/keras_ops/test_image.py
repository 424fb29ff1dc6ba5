"""keras.ops.image against dendrite.image (tf.image's values) and colour formulas, with gradients."""
import colorsys

import numpy as np

from dendrite.testing import check_grads

RNG = np.random.default_rng(7)
IMG = RNG.uniform(size=(2, 5, 6, 3)).astype(np.float32)


def test_resize_matches_tf_image_resize(keras):
    from dendrite.image import resize
    im = keras.ops.image
    for method in ("bilinear", "nearest", "bicubic", "area", "lanczos3"):
        np.testing.assert_allclose(im.resize(IMG, (7, 4), interpolation=method).numpy(),
                                   resize(IMG, (7, 4), method), rtol=1e-5, atol=1e-6)
    first = im.resize(np.moveaxis(IMG, -1, 1), (3, 3), data_format="channels_first")
    np.testing.assert_allclose(first.numpy(), np.moveaxis(resize(IMG, (3, 3)), -1, 1), rtol=1e-5, atol=1e-6)
    assert im.resize(IMG, (4, 4), crop_to_aspect_ratio=True).shape == (2, 4, 4, 3)
    assert im.resize(IMG, (4, 4), pad_to_aspect_ratio=True).shape == (2, 4, 4, 3)
    check_grads(lambda x: im.resize(x, (3, 4)), [IMG[:1].astype(np.float64)])


def test_colour_patches_crop_pad(keras):
    im = keras.ops.image
    hsv = im.rgb_to_hsv(IMG).numpy()
    np.testing.assert_allclose(hsv[0, 1, 2], colorsys.rgb_to_hsv(*IMG[0, 1, 2]), rtol=1e-5)
    np.testing.assert_allclose(im.hsv_to_rgb(hsv).numpy(), IMG, atol=1e-6)
    np.testing.assert_allclose(im.rgb_to_grayscale(IMG).numpy()[..., 0], IMG @ [0.2989, 0.5870, 0.1140], rtol=1e-5)
    np.testing.assert_allclose(im.yuv_to_rgb(im.rgb_to_yuv(IMG)).numpy(), IMG, atol=1e-5)
    patches = im.extract_patches(IMG, (2, 3))
    assert patches.shape == (2, 2, 2, 18)
    np.testing.assert_array_equal(patches.numpy()[1, 1, 0], IMG[1, 2:4, 0:3].reshape(-1))
    assert im.extract_patches(IMG, 3, strides=1, padding="same").shape == (2, 5, 6, 27)
    np.testing.assert_array_equal(im.crop_images(IMG, 1, 2, target_height=3, target_width=2).numpy(),
                                  IMG[:, 1:4, 2:4])
    padded = im.pad_images(IMG, 1, 0, target_height=8, target_width=7).numpy()
    assert padded.shape == (2, 8, 7, 3) and np.array_equal(padded[:, 1:6, 0:6], IMG)
    check_grads(lambda x: im.extract_patches(x, 2, strides=1), [IMG[:1, :3, :3].astype(np.float64)])
