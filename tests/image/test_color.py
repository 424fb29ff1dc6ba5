"""Brightness, contrast, grayscale and standardisation (TensorFlow's values: test_tensorflow_values.py)."""
import numpy as np
import pytest

from dendrite import image

RNG = np.random.default_rng(0)


def test_tensorflow_documented_examples():
    x = np.array([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]], np.float32)
    np.testing.assert_allclose(image.adjust_brightness(x, 0.1), x + 0.1, rtol=1e-6)
    np.testing.assert_allclose(image.adjust_contrast(x, 2.0), [[[-3.5, -2.5, -1.5], [2.5, 3.5, 4.5]],
                                                               [[8.5, 9.5, 10.5], [14.5, 15.5, 16.5]]])


def test_uint8_images_saturate():
    x = np.array([[[10, 250, 128]]], np.uint8)
    out = image.adjust_brightness(x, 0.1)
    assert out.dtype == np.uint8 and out.tolist() == [[[35, 255, 153]]]
    assert image.adjust_brightness(x, -1.0).tolist() == [[[0, 0, 0]]]


def test_grayscale_both_ways():
    x = RNG.random((2, 3, 4, 3)).astype(np.float32)
    gray = image.rgb_to_grayscale(x)
    np.testing.assert_allclose(gray[..., 0], x @ np.float32([0.2989, 0.5870, 0.1140]), rtol=1e-6)
    assert image.grayscale_to_rgb(gray).shape == (2, 3, 4, 3)
    with pytest.raises(ValueError, match=r"rgb_to_grayscale: the last axis must hold 3 channels"):
        image.rgb_to_grayscale(gray)
    with pytest.raises(ValueError, match=r"grayscale_to_rgb: the last axis must hold 1 channel"):
        image.grayscale_to_rgb(x)


def test_per_image_standardization():
    x = RNG.random((2, 4, 5, 3)) * 10
    out = image.per_image_standardization(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.mean(axis=(1, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(1, 2, 3)), 1, atol=1e-5)
    flat = image.per_image_standardization(np.full((2, 2, 1), 7.0))  # std 0: divided by 1/sqrt(4) instead
    np.testing.assert_array_equal(flat, 0)


def test_random_brightness_and_contrast():
    x = RNG.random((4, 4, 3)).astype(np.float32)
    delta = (image.random_brightness(x, 0.2, seed=3) - x).ravel()
    np.testing.assert_allclose(delta, delta[0], atol=1e-6)
    assert -0.2 <= delta[0] < 0.2
    assert np.array_equal(image.random_brightness(x, 0.2, seed=3), image.random_brightness(x, 0.2, seed=3))
    y = image.random_contrast(x, 0.5, 1.5, seed=4)
    mean = x.mean(axis=(0, 1))
    factor = ((y - mean) / (x - mean)).ravel()
    assert 0.5 <= factor[0] < 1.5
    np.testing.assert_allclose(factor, factor[0], rtol=1e-4)
    with pytest.raises(ValueError, match=r"random_brightness: max_delta must be non-negative"):
        image.random_brightness(x, -0.1)
    with pytest.raises(ValueError, match=r"random_contrast: need 0 <= lower < upper; received lower=1.5, upper=0.5"):
        image.random_contrast(x, 1.5, 0.5)
