"""Filtering augmentation layers of Keras 3: RandomGaussianBlur and RandomSharpness, each a per-channel 2-D
convolution with 'same' zero padding (the rules every augmentation layer shares are in image_augmentation.py).

- RandomGaussianBlur(factor, kernel_size, sigma): blurs each image with probability p = U(factor) (a number f
  gives (0, f), so the default 1.0 blurs half the images; (1, 1) blurs all). One pair of standard deviations
  (sigma_x, sigma_y), each drawn from ``sigma`` (in [0, 1]; a number s gives (0, s)) plus 1e-6, serves the
  whole batch, as Keras draws it. The kernel is the outer product of two normalised 1-D Gaussians of
  ``kernel_size`` taps (odd; a pair gives (width taps, height taps) as Keras reads it). Every image is then
  clipped to ``value_range``.
- RandomSharpness(factor): mixes each image with its 3x3 smoothing (weights 1/13, centre 5/13): x + (1 - s)(smooth
  - x), s = 2 U(factor) (a number f gives (0, f)): s = 1 leaves the image, s < 1 blurs, s > 1 sharpens; clipped
  to ``value_range``.

Both are differentiable in the image (depthwise convolutions with fixed kernels).
"""
import numpy as np

from ..autodiff import ops
from .image_augmentation import _Augmentation
from .image_color import FactorAugmentation, keras_factor, value_range_of


def _odd_size(who, kernel_size):
    sizes = list(kernel_size) if isinstance(kernel_size, (tuple, list)) else [kernel_size]
    if len(sizes) not in (1, 2) or not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool)
                                           and k > 0 and k % 2 == 1 for k in sizes):
        raise ValueError(f"{who}: `kernel_size` must be an odd positive integer or a pair of them (e.g. 3 or (3, 5));"
                         f" received kernel_size={kernel_size!r}.")
    return (int(sizes[0]), int(sizes[-1]))


def gaussian_kernel(sizes, sigmas):
    """The (sizes[0], sizes[1]) 2-D Gaussian kernel as Keras builds it (see the module)."""
    def one(size, sigma):
        t = np.arange(size) - (size - 1) / 2
        k = np.exp(-0.5 * (t / sigma) ** 2)
        return k / k.sum()
    return np.outer(one(sizes[1], sigmas[1]), one(sizes[0], sigmas[0])).reshape(sizes[0], sizes[1])


def depthwise(x, kernel):
    """Each channel of the (N, H, W, C) Tensor ``x`` convolved with the 2-D ``kernel``, 'same' zero padding."""
    k = np.tile(kernel.astype(x.dtype)[:, :, None, None], (1, 1, x.shape[-1], 1))
    return ops.depthwise_conv2d(x, k, padding="same")


class RandomGaussianBlur(_Augmentation):
    """Blurs images with a Gaussian kernel, each with a probability drawn from ``factor`` (see the module)."""

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None,
                 **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        self.kernel_size = _odd_size(self.who, kernel_size)
        self.sigma = keras_factor(self.who, "sigma", sigma, 0, 1)
        self._range = value_range_of(self.who, value_range)
        self.value_range = value_range

    def _augment(self, x, rng):
        n = x.shape[0]
        p = rng.uniform(self.factor[0], self.factor[1], n)
        apply = (rng.uniform(size=n) < p).reshape(-1, 1, 1, 1)
        sigmas = rng.uniform(self.sigma[0], self.sigma[1], 2) + 1e-6
        blurred = depthwise(x, gaussian_kernel(self.kernel_size, sigmas))
        return ops.clip(ops.where(apply, blurred, x), *self._range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "kernel_size": self.kernel_size,
                "sigma": self.sigma, "value_range": self.value_range}


SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]]) / 13.0


class RandomSharpness(FactorAugmentation):
    """Sharpens or blurs each image by an amount drawn from ``factor`` (see the module)."""

    def _augment(self, x, rng):
        s = 2 * rng.uniform(self.factor[0], self.factor[1], x.shape[0])
        weight = (1.0 - s).reshape(-1, 1, 1, 1).astype(x.dtype)
        out = ops.add(x, ops.multiply(ops.subtract(depthwise(x, SMOOTH), x), weight))
        return ops.clip(out, *self.value_range)
