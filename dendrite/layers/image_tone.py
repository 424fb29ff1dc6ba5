"""Tone augmentation layers of Keras 3, which remap pixel values: Solarization, RandomInvert, RandomPosterization,
AutoContrast and Equalization (the rules every augmentation layer shares are in image_augmentation.py).

Pixels are read in ``value_range`` and, where Keras works on 0-255, mapped there and back:

- Solarization(addition_factor, threshold_factor): adds a = U(lo_a, hi_a * 255) to each image, clips to
  [0, 255], then inverts (255 - v) every pixel not below t = U(lo_t, hi_t * 255) (a number f gives (0, f);
  Keras draws the lower bound unscaled, and so does dendrite). The defaults (0, 0) invert every pixel.
- RandomInvert(factor): each image becomes ``value_range[1] - x`` when U(0, 1) < p, p = U(factor) (a number f
  gives (0, f), so the default 1.0 inverts half the images; (1, 1) inverts all).
- RandomPosterization(factor): keeps the top b bits of each 0-255 value, b = randint(lo, hi) (upper bound
  excluded) or lo when lo == hi; a number f gives (1, f).
- AutoContrast: stretches each channel of each image to the full range (min to 0, max to 255); a flat channel
  stays as it is. It works in inference too, as Keras's does.
- Equalization(bins): histogram equalization of each channel, the histogram of ``bins`` bins taken over the
  whole batch (as Keras takes it); training only, as Keras.

Solarization and RandomInvert are piecewise linear and differentiable; the others are computed in NumPy (their
derivative is zero or undefined almost everywhere) and pass no gradient to their input.
"""
import numpy as np

from ..autodiff import Tensor, ops
from ..utils.validation import number
from .image_augmentation import _Augmentation, factor_range
from .image_color import keras_factor, to_range, value_range_of


def _zero_to(who, name, factor):
    """Solarization's factors: a number f in [0, 1] gives (0, f); a pair in [0, 1] gives itself sorted."""
    if isinstance(factor, (tuple, list)):
        return factor_range(who, name, factor, 0, 1)
    return (0, number(who, name, factor, 0, 1, hint="Or pass a pair (lower, upper)."))


class Solarization(_Augmentation):
    """Adds a random amount to each image, then inverts the pixels above a random threshold (see the module)."""

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs):
        data_format = kwargs.pop("data_format", None)
        super().__init__(seed, data_format, **kwargs)
        self.addition_factor = _zero_to(self.who, "addition_factor", addition_factor)
        self.threshold_factor = _zero_to(self.who, "threshold_factor", threshold_factor)
        self.value_range = list(value_range_of(self.who, value_range))

    def _augment(self, x, rng):
        n = x.shape[0]
        add = rng.uniform(self.addition_factor[0], self.addition_factor[1] * 255, n).reshape(-1, 1, 1, 1)
        thresh = rng.uniform(self.threshold_factor[0], self.threshold_factor[1] * 255, n).reshape(-1, 1, 1, 1)
        v = ops.clip(ops.add(to_range(x, self.value_range, (0, 255)), add.astype(x.dtype)), 0.0, 255.0)
        v = ops.where(v.value < thresh, v, ops.subtract(255.0, v))
        return to_range(v, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor}


class RandomInvert(_Augmentation):
    """Inverts each image (``value_range[1] - x``) with a probability drawn from ``factor`` (see the module)."""

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        self._range = value_range_of(self.who, value_range)
        self.value_range = value_range

    def _augment(self, x, rng):
        n = x.shape[0]
        p = rng.uniform(self.factor[0], self.factor[1], n)
        apply = (rng.uniform(size=n) < p).reshape(-1, 1, 1, 1)
        return ops.where(apply, ops.subtract(float(self.value_range[1]), x), x)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class RandomPosterization(_Augmentation):
    """Keeps a random number of the top bits of each 8-bit value (see the module)."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 1, 8)
        self.value_range = list(value_range_of(self.who, value_range))

    def _augment(self, x, rng):
        n = x.shape[0]
        low, high = int(self.factor[0]), int(self.factor[1])
        bits = np.full(n, low) if low == high else rng.integers(low, high, n)
        shift = (8 - bits).astype(np.uint8).reshape(-1, 1, 1, 1)
        v = np.clip(to_range(x.value, self.value_range, (0, 255)), 0, 255).astype(np.uint8)
        v = ((v >> shift) << shift).astype(x.dtype)
        return Tensor(to_range(v, (0, 255), self.value_range).astype(x.dtype))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class AutoContrast(_Augmentation):
    """Stretches each channel of each image to the full value range, in training and inference alike."""

    def __init__(self, value_range=(0, 255), **kwargs):
        seed, data_format = kwargs.pop("seed", None), kwargs.pop("data_format", None)
        super().__init__(seed, data_format, **kwargs)
        self.value_range = list(value_range_of(self.who, value_range))

    def _augment(self, x, rng=None):
        original = x.value
        v = to_range(original, self.value_range, (0, 255)).astype(x.dtype)
        low, high = v.min(axis=(1, 2), keepdims=True), v.max(axis=(1, 2), keepdims=True)
        flat = high == low
        scale = 255.0 / np.where(flat, 1, high - low)
        out = np.clip(v * scale - low * scale, 0, 255)
        out = to_range(out.astype(x.dtype), (0, 255), self.value_range)
        return Tensor(np.where(flat, original, out).astype(x.dtype))

    _infer = _augment

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "value_range": self.value_range}


class Equalization(_Augmentation):
    """Histogram-equalizes each channel, the histogram over the batch (see the module); training only."""

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        seed = kwargs.pop("seed", None)
        super().__init__(seed, data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
            raise ValueError(f"{self.who}: `bins` must be an integer >= 2 (the number of histogram bins, 256 by "
                             f"default); received bins={bins!r}.")
        self.bins = int(bins)
        self.value_range = list(value_range_of(self.who, value_range))

    def _equalize(self, channel):
        bins = self.bins
        index = np.clip((channel * np.float32(bins - 1) / np.float32(255)).astype(np.int32), 0, bins - 1)
        hist = np.bincount(index.ravel(), minlength=bins)
        if np.count_nonzero(hist) <= 1:
            return channel
        cdf = np.cumsum(hist)
        cdf_min = cdf[np.nonzero(cdf)[0][0]]
        denominator = (cdf[-1] - cdf_min) or 1
        table = np.clip(np.round((cdf - cdf_min) * 255 / denominator), 0, 255)
        lookup = np.clip(channel / np.float32(255) * np.float32(bins - 1), 0, bins - 1).astype(np.int32)
        return table[lookup]

    def _augment(self, x, rng=None):
        v = to_range(x.value, self.value_range, (0, 255)).astype(x.dtype)
        out = np.stack([self._equalize(v[..., c]) for c in range(v.shape[-1])], axis=-1).astype(x.dtype)
        return Tensor(to_range(out, (0, 255), self.value_range).astype(x.dtype))

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "bins": self.bins, "value_range": self.value_range}
