"""resize: shapes, dtypes, layouts and bad arguments (values against TensorFlow: test_tensorflow_values.py)."""
import numpy as np
import pytest

from dendrite import image


def test_hwc_and_nhwc_agree_and_dtypes():
    x = np.random.default_rng(0).random((2, 6, 8, 3)).astype(np.float32)
    batch = image.resize(x, (3, 4))
    assert batch.shape == (2, 3, 4, 3) and batch.dtype == np.float32
    np.testing.assert_allclose(image.resize(x[1], [3, 4]), batch[1], rtol=1e-6)
    assert image.resize(x.astype(np.float64), (3, 4)).dtype == np.float32
    near = image.resize((x * 255).astype(np.uint8), (12, 16), method=image.ResizeMethod.NEAREST_NEIGHBOR)
    assert near.dtype == np.uint8
    np.testing.assert_array_equal(near[:, ::2, ::2], (x * 255).astype(np.uint8))  # 2x upscale repeats pixels


def test_halving_with_area_averages_blocks():
    x = np.arange(16, dtype=np.float32).reshape(4, 4, 1)
    out = image.resize(x, (2, 2), method="AREA")
    assert out[..., 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]


def test_constant_image_stays_constant_for_every_method():
    x = np.full((5, 7, 2), 0.25, np.float32)
    for method in ("bilinear", "bicubic", "area", "lanczos3", "lanczos5", "mitchellcubic", "gaussian"):
        for antialias in (False, True):
            if method == "gaussian" and antialias:
                continue
            np.testing.assert_allclose(image.resize(x, (3, 9), method, antialias=antialias), 0.25, atol=1e-6)


def test_preserve_aspect_ratio():
    x = np.zeros((10, 20, 3), np.float32)
    assert image.resize(x, (8, 8), preserve_aspect_ratio=True).shape == (4, 8, 3)
    assert image.resize(x, (100, 30), preserve_aspect_ratio=True).shape == (15, 30, 3)


def test_bad_arguments():
    x = np.zeros((4, 4, 3), np.float32)
    with pytest.raises(ValueError, match=r"resize: images must be 3-D .* or 4-D .*received shape \(4, 4\)"):
        image.resize(x[..., 0], (2, 2))
    with pytest.raises(ValueError, match=r"resize: size must be 2 positive ints .*received size=\(2, 0\)"):
        image.resize(x, (2, 0))
    with pytest.raises(ValueError, match=r"resize: method must be one of bilinear, nearest, .*'cubic'"):
        image.resize(x, (2, 2), method="cubic")
    with pytest.raises(ValueError, match=r"method='gaussian' with antialias=True is not supported"):
        image.resize(x, (2, 2), method="gaussian", antialias=True)
