"""Colour and intensity: ``adjust_brightness``, ``adjust_contrast``, ``rgb_to_grayscale``, ``grayscale_to_rgb``,
``per_image_standardization`` and the random ``random_brightness`` / ``random_contrast``, as tf.image has them;
and the HSV conversions of float arrays (``rgb_to_hsv_array``, ``hsv_to_rgb_array``) that tf.image, keras.ops.image
and the colour augmentation layers share.

Integer images are converted to float32 (convert_image_dtype: uint8 / 255), adjusted, and converted back
with saturation, so a uint8 image stays uint8 and clips at 0 and 255. Images are (..., height, width,
channels); the statistics of adjust_contrast and per_image_standardization are per image.
"""
import numpy as np

from ..random import generator_for
from .dtypes import convert_image_dtype


def _image(image, who, min_rank=3):
    x = np.asarray(image)
    if x.ndim < min_rank or x.dtype.kind not in "fiu":
        raise ValueError(f"{who}: image must be a numeric array of at least {min_rank} dimensions (..., height, "
                         f"width, channels); received shape {x.shape} and dtype {x.dtype.name}.")
    return x


def _in_float(x, fn, keep=("float16", "float32", "float64")):
    """fn applied to x in floating point, converted back to x's dtype (saturating) as TensorFlow does."""
    if x.dtype.name in keep:
        return fn(x).astype(x.dtype)
    return convert_image_dtype(fn(convert_image_dtype(x, np.float32)), x.dtype, saturate=True)


def adjust_brightness(image, delta):
    """``image + delta`` in float (``delta`` in [−1, 1] for images scaled to [0, 1])."""
    x = _image(image, "adjust_brightness", 0)
    return _in_float(x, lambda f: f + f.dtype.type(delta))


def adjust_contrast(images, contrast_factor):
    """``(x - mean) * contrast_factor + mean``, the mean taken per image and channel over height and width."""
    x = _image(images, "adjust_contrast")

    def fn(f):
        mean = f.mean(axis=(-3, -2), keepdims=True, dtype=np.float64).astype(f.dtype)
        return (f - mean) * f.dtype.type(contrast_factor) + mean
    return _in_float(x, fn, keep=("float16", "float32"))


def rgb_to_grayscale(images):
    """(..., 3) RGB to (..., 1) luma with weights 0.2989, 0.5870, 0.1140 (computed in float32)."""
    x = _image(images, "rgb_to_grayscale", 1)
    if x.shape[-1] != 3:
        raise ValueError(f"rgb_to_grayscale: the last axis must hold 3 channels (RGB); received shape {x.shape}.")
    weights = np.array([0.2989, 0.5870, 0.1140], dtype=np.float32)
    gray = convert_image_dtype(x, np.float32) @ weights
    return convert_image_dtype(gray[..., None], x.dtype)


def grayscale_to_rgb(images):
    """(..., 1) grayscale repeated to (..., 3)."""
    x = _image(images, "grayscale_to_rgb", 1)
    if x.shape[-1] != 1:
        raise ValueError(f"grayscale_to_rgb: the last axis must hold 1 channel; received shape {x.shape}.")
    return np.repeat(x, 3, axis=-1)


def per_image_standardization(image):
    """Each image scaled to zero mean and unit variance, float32: ``(x - mean) / max(std, 1/sqrt(N))`` with N
    the number of values per image (height * width * channels)."""
    x = _image(image, "per_image_standardization").astype(np.float32)
    n = np.prod(x.shape[-3:])
    mean = x.mean(axis=(-3, -2, -1), keepdims=True, dtype=np.float64)
    std = np.sqrt(np.square(x - mean).mean(axis=(-3, -2, -1), keepdims=True))
    return ((x - mean) / np.maximum(std, 1 / np.sqrt(n))).astype(np.float32)


def random_brightness(image, max_delta, seed=None):
    """adjust_brightness by a delta drawn uniformly from [-max_delta, max_delta)."""
    if not max_delta >= 0:
        raise ValueError(f"random_brightness: max_delta must be non-negative; received max_delta={max_delta!r}.")
    return adjust_brightness(image, generator_for(seed).uniform(-max_delta, max_delta))


def random_contrast(image, lower, upper, seed=None):
    """adjust_contrast by a factor drawn uniformly from [lower, upper)."""
    if not 0 <= lower < upper:
        raise ValueError(f"random_contrast: need 0 <= lower < upper; received lower={lower!r}, upper={upper!r}.")
    return adjust_contrast(image, generator_for(seed).uniform(lower, upper))


def rgb_to_hsv_array(rgb):
    """(..., 3) RGB in [0, 1] to HSV in [0, 1] (hue a fraction of the turn), as tf.image.rgb_to_hsv."""
    rgb = np.asarray(rgb)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    v = rgb.max(-1)
    delta = v - rgb.min(-1)
    s = np.where(v > 0, delta / np.where(v > 0, v, 1), 0)
    safe = np.where(delta > 0, delta, 1)
    h = np.where(v == r, (g - b) / safe, np.where(v == g, 2 + (b - r) / safe, 4 + (r - g) / safe))
    h = np.where(delta > 0, (h / 6) % 1.0, 0)
    return np.stack([h, s, v], -1).astype(rgb.dtype)


def hsv_to_rgb_array(hsv):
    """(..., 3) HSV (hue a fraction of the turn) back to RGB, as tf.image.hsv_to_rgb."""
    hsv = np.asarray(hsv)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    h6 = (h % 1.0) * 6
    channel = lambda n: v - v * s * np.clip(np.minimum((n + h6) % 6, 4 - (n + h6) % 6), 0, 1)  # noqa: E731
    return np.stack([channel(5), channel(3), channel(1)], -1).astype(hsv.dtype)
