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


def test_warps_and_blur_match_keras(keras):
    """affine_transform, perspective_transform and gaussian_blur against Keras 3.15 (TensorFlow backend) for the
    fixed arguments tools/make_keras_augment_fixtures.py recorded."""
    from keras_augment_cases import ARRAYS, META
    im = keras.ops.image
    for case in META["ops"]:
        kwargs = dict(case["kwargs"])
        x = ARRAYS[case["input"]]
        if kwargs.get("data_format") == "channels_first":
            x = np.moveaxis(x, -1, 1)
        out = getattr(im, case["function"])(x, **kwargs).numpy()
        np.testing.assert_allclose(out, ARRAYS[case["output"]], rtol=1e-5, atol=1e-3, err_msg=str(case["kwargs"]))
    # one image (rank 3) as a batch of one; the identity transform leaves it
    one = ARRAYS["x255"][0]
    identity = [1, 0, 0, 0, 1, 0, 0, 0]
    np.testing.assert_allclose(im.affine_transform(one, identity).numpy(), one)
    corners = [[0, 0], [6, 0], [0, 5], [6, 5]]
    np.testing.assert_allclose(im.perspective_transform(one, corners, corners).numpy(), one, atol=1e-3)
    check_grads(lambda v: im.affine_transform(v, [0.9, 0.2, 0.3, -0.1, 1.1, 0.2, 0, 0]), [IMG[:1].astype(np.float64)])
    check_grads(lambda v: im.gaussian_blur(v, (3, 3), (0.8, 0.8)), [IMG[:1].astype(np.float64)])


def test_warp_errors_name_the_argument(keras):
    import pytest
    im = keras.ops.image
    with pytest.raises(ValueError, match=r"affine_transform: `transform` must have shape \(8,\)"):
        im.affine_transform(IMG, [1, 0, 0, 0, 1, 0])
    with pytest.raises(ValueError, match=r"affine_transform: `fill_mode` must be one of"):
        im.affine_transform(IMG, [1, 0, 0, 0, 1, 0, 0, 0], fill_mode="mirror")
    with pytest.raises(ValueError, match=r"perspective_transform: `end_points` must have shape \(4, 2\)"):
        im.perspective_transform(IMG, [[0, 0]] * 4, [[0, 0]] * 3)


def test_elastic_transform_moves_pixels_along_one_smooth_field(keras):
    im = keras.ops.image
    ramp = np.broadcast_to(np.arange(16, dtype=np.float32).reshape(1, 16, 1), (16, 16, 1)).copy()
    out = im.elastic_transform(ramp, alpha=4.0, sigma=2.0, fill_mode="nearest", seed=1).numpy()
    again = im.elastic_transform(ramp, alpha=4.0, sigma=2.0, fill_mode="nearest", seed=1).numpy()
    np.testing.assert_array_equal(out, again)  # seeded
    shift = out[..., 0] - ramp[..., 0]
    assert out.shape == ramp.shape and np.abs(shift).max() > 0.2
    np.testing.assert_allclose(im.elastic_transform(ramp, alpha=0.0, seed=1).numpy(), ramp)
