"""Colour augmentation layers of Keras 3: RandomGrayscale, RandomColorDegeneration, RandomHue, RandomSaturation
and RandomColorJitter (the rules every augmentation layer shares, its layouts, seeds and inference, are in
image_augmentation.py).

Each image of a batch draws its own change. Keras's ranges and quirks are kept, as Keras 3.15 has them:

- RandomGrayscale(factor): each image turns gray (luma 0.2989 R + 0.587 G + 0.114 B, repeated over the
  channels) with probability ``factor``.
- RandomColorDegeneration(factor): blends each image towards its gray version by a weight drawn from
  ``factor`` (a number f: [-f, f]; 1 is gray, negative weights push colours away from gray), clipped to
  ``value_range``.
- RandomHue(factor): shifts the hue by +-d/2 of a full turn, d drawn from ``factor`` in [0, 1] (a number f:
  [0, f]), the sign a coin flip; pixels are read in ``value_range``.
- RandomSaturation(factor): multiplies the HSV saturation by s / (1 - s), s drawn from ``factor`` (a number
  f: [-f, f]; s <= 0 gives gray, 0.5 leaves the image, 1 saturates fully); the saturation is then clipped to
  ``value_range`` as Keras clips it.
- RandomColorJitter: RandomBrightness, RandomContrast, RandomSaturation and RandomHue in that order, each
  only when its factor is given.

Gray blends are differentiable in the image; the HSV layers (hue, saturation) are computed in NumPy and pass
no gradient to their input (in Keras they would; they sit on a model's input in practice).
"""
import numpy as np

from ..autodiff import Tensor, ops
from ..image.color import hsv_to_rgb_array, rgb_to_hsv_array
from ..utils.validation import number
from .image_augmentation import (RandomBrightness, RandomContrast, _Augmentation, _per_image, _value_range,
                                 factor_range)

LUMA = np.array([0.2989, 0.587, 0.114])


def keras_factor(who, name, factor, low, high):
    """Keras's factor rule: a number f gives (max(-f, low), f); a pair gives itself sorted; every number in
    [low, high]."""
    lower, upper = factor_range(who, name, factor, low, high)
    return (max(lower, low), upper)


def value_range_of(who, value_range):
    """The checked (low, high) of ``value_range``, sorted."""
    return tuple(sorted(_value_range(who, value_range)))


class FactorAugmentation(_Augmentation):
    """An augmentation taking Keras 3's ``factor`` (bounded by ``FACTOR_BOUNDS``) and ``value_range`` (kept as a
    sorted list), which its config holds."""
    FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, *self.FACTOR_BOUNDS)
        self.value_range = list(value_range_of(self.who, value_range))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


def to_range(x, source, target):
    """Values of ``x`` (array or Tensor) mapped linearly from the ``source`` range to the ``target`` range."""
    if tuple(source) == tuple(target):
        return x
    scale = (target[1] - target[0]) / (source[1] - source[0])
    if isinstance(x, Tensor):
        return ops.add(ops.multiply(ops.subtract(x, float(source[0])), float(scale)), float(target[0]))
    return (x - source[0]) * x.dtype.type(scale) + x.dtype.type(target[0])


def check_rgb(who, x, allow_gray=False):
    channels = x.shape[-1]
    if channels != 3 and not (allow_gray and channels == 1):
        wanted = "3 (RGB) or 1 (grayscale)" if allow_gray else "3 (RGB)"
        raise ValueError(f"{who}: expected images with {wanted} channels; received {channels} channels (shape "
                         f"{tuple(x.shape)} in (batch, height, width, channels) order). Check `data_format`.")


def gray_of(x):
    """The (N, H, W, 1) luma of (N, H, W, 3) images, a Tensor."""
    return ops.matmul(x, LUMA.astype(x.dtype).reshape(3, 1))


class RandomGrayscale(_Augmentation):
    """Turns each image gray with probability ``factor`` (see the module)."""

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = number(self.who, "factor", factor, 0, 1)

    def _augment(self, x, rng):
        check_rgb(self.who, x, allow_gray=True)
        apply = (rng.uniform(size=x.shape[0]) < self.factor).reshape(-1, 1, 1, 1)
        if x.shape[-1] == 1:
            return x
        return ops.where(apply, ops.broadcast_to(gray_of(x), x.shape), x)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomColorDegeneration(FactorAugmentation):
    """Blends each image towards its gray version by a weight drawn from ``factor`` (see the module)."""

    FACTOR_BOUNDS = (-1, 1)

    def _augment(self, x, rng):
        check_rgb(self.who, x)
        weight = _per_image(rng.uniform(self.factor[0], self.factor[1], x.shape[0]), x)
        out = ops.add(x, ops.multiply(ops.subtract(gray_of(x), x), weight))
        return ops.clip(out, *self.value_range)


class RandomHue(_Augmentation):
    """Shifts the hue of each image by up to half a turn times ``factor`` (see the module)."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        self._range = value_range_of(self.who, value_range)
        self.value_range = value_range

    def _augment(self, x, rng):
        check_rgb(self.who, x)
        n = x.shape[0]
        sign = np.where(rng.uniform(size=n) > 0.5, -1.0, 1.0)
        delta = sign * rng.uniform(self.factor[0], self.factor[1], n) * 0.5
        hsv = rgb_to_hsv_array(to_range(x.value, self._range, (0, 1)))
        hue = hsv[..., 0] + delta.reshape(-1, 1, 1).astype(hsv.dtype)
        hsv[..., 0] = np.where(hue > 1, hue - 1, np.where(hue < 0, hue + 1, hue))
        rgb = np.clip(hsv_to_rgb_array(hsv), 0, 1)
        return Tensor(to_range(rgb, (0, 1), self._range).astype(x.dtype))

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class RandomSaturation(FactorAugmentation):
    """Scales the saturation of each image by s / (1 - s), s drawn from ``factor`` (see the module)."""

    FACTOR_BOUNDS = (-1, 1)

    def _augment(self, x, rng):
        check_rgb(self.who, x)
        s = rng.uniform(self.factor[0], self.factor[1], x.shape[0])
        scale = (s / (1 - s + 1e-7)).reshape(-1, 1, 1).astype(x.dtype)
        hsv = rgb_to_hsv_array(x.value)  # (HSV is scale-free in V: Keras converts the pixels as they are)
        hsv[..., 1] = np.clip(hsv[..., 1] * scale, *self.value_range)
        return Tensor(hsv_to_rgb_array(hsv).astype(x.dtype))


class RandomColorJitter(_Augmentation):
    """Brightness, contrast, saturation and hue changes in turn, each where its factor is given (see the
    module); every part draws from this layer's seed."""

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
                 hue_factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        value_range_of(self.who, value_range)
        self.value_range = value_range
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        parts = ((RandomBrightness, brightness_factor), (RandomContrast, contrast_factor),
                 (RandomSaturation, saturation_factor), (RandomHue, hue_factor))
        self._parts = []
        for cls, factor in parts:
            if factor is None:
                continue
            try:
                self._parts.append(cls(factor, value_range=value_range, data_format=data_format))
            except ValueError as e:
                arg = {RandomBrightness: "brightness_factor", RandomContrast: "contrast_factor",
                       RandomSaturation: "saturation_factor", RandomHue: "hue_factor"}[cls]
                raise ValueError(f"{self.who}: `{arg}` is invalid: {e}") from None

    def _augment(self, x, rng):
        for part in self._parts:
            x = part._augment(x, rng)
        return x

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor, "saturation_factor": self.saturation_factor,
                "hue_factor": self.hue_factor}
