"""Keras 3's non-affine warps: RandomPerspective and RandomElasticTransform (the rules every augmentation layer
shares are in image_augmentation.py; the resampling is image_augmentation_geometric.sample).

RandomPerspective(factor, scale): each image is warped, with probability p = U(factor) (a number f gives
(0, f)), by the homography that takes its corners (0, 0), (W-1, 0), (0, H-1), (W-1, H-1) to themselves plus
themselves times offsets drawn from U(-scale/2, scale/2), as Keras draws them (so the corner (0, 0) stays and
the two next to it move along their edges only). Output pixels read the input through that homography;
outside the image they read ``fill_value``.

RandomElasticTransform(factor, scale): with probability p = U(factor) per image, every pixel moves by alpha
times a Gaussian-smoothed field of standard normal draws times sigma, where, for one distortion d = U(scale)
per batch, alpha = 0.1 d max(H, W) and sigma = 0.05 d min(H, W); the smoothing kernel has 6 int(sigma) | 1
taps. As Keras 3.15 draws them (one seed for both), the horizontal and vertical fields are the same field,
so pixels move along the diagonal. ``fill_mode`` extends the image as keras.ops.image.map_coordinates does
('reflect', 'mirror', 'wrap', 'nearest', 'constant'); the result is clipped to ``value_range``.

Both are differentiable in the image (gathers with fixed weights).
"""
import numpy as np

from ..autodiff import ops
from ..utils.validation import number
from .image_augmentation import _Augmentation
from .image_augmentation_geometric import INTERPOLATIONS, affine_transform, sample
from .image_color import keras_factor, value_range_of

ELASTIC_FILL_MODES = ("reflect", "mirror", "wrap", "nearest", "constant")


def _interpolation(who, interpolation):
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"{who}: `interpolation` must be one of {INTERPOLATIONS}; received "
                         f"interpolation={interpolation!r}.")
    return interpolation


def homographies(start, end):
    """(N, 8) rows [a0, a1, a2, b0, b1, b2, c0, c1] that map each end point (x, y) to its start point:
    ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1. ``start``, ``end``: (N, 4, 2)."""
    n = start.shape[0]
    a = np.zeros((n, 8, 8))
    b = np.zeros((n, 8))
    for i in range(4):
        (ex, ey), (sx, sy) = end[:, i].T, start[:, i].T
        a[:, 2 * i] = np.stack([ex, ey, np.ones(n), 0 * ex, 0 * ex, 0 * ex, -sx * ex, -sx * ey], axis=1)
        a[:, 2 * i + 1] = np.stack([0 * ex, 0 * ex, 0 * ex, ex, ey, np.ones(n), -sy * ex, -sy * ey], axis=1)
        b[:, 2 * i], b[:, 2 * i + 1] = sx, sy
    return np.linalg.solve(a, b[..., None])[..., 0]


def _gate(rng, factor, n):
    """Which images of ``n`` a probability drawn from ``factor`` picks."""
    p = rng.uniform(factor[0], factor[1], n)
    return (rng.uniform(size=n) < p).reshape(-1, 1, 1, 1)


class RandomPerspective(_Augmentation):
    """Warps each image by a random homography of its corners, with a probability drawn from ``factor``."""

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        self.scale = number(self.who, "scale", scale, 0, 1)
        self.interpolation = _interpolation(self.who, interpolation)
        self.fill_value = number(self.who, "fill_value", fill_value)

    def _augment(self, x, rng):
        n, h, w, _ = x.shape
        apply = _gate(rng, self.factor, n)
        offsets = rng.uniform(-0.5 * self.scale, 0.5 * self.scale, (n, 4, 2))
        corners = np.array([[0.0, 0.0], [w - 1, 0.0], [0.0, h - 1], [w - 1, h - 1]])
        start = np.repeat(corners[None], n, axis=0)
        warped = affine_transform(x, homographies(start, start + start * offsets), self.interpolation, "constant",
                                  self.fill_value)
        return ops.where(apply, warped, x)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value}


def _map_extend(index, size, fill_mode):
    """Neighbour indices mapped into the image as keras.ops.image.map_coordinates maps them (its 'reflect'
    mirrors about pixel 0 on the low side and about the edge on the high side), and the inside mask."""
    if fill_mode == "constant":
        return np.clip(index, 0, size - 1), (index >= 0) & (index < size)
    if fill_mode == "nearest":
        index = np.clip(index, 0, size - 1)
    elif fill_mode == "wrap":
        index = np.mod(index, size)
    else:
        m = np.mod(np.abs(index), 2 * size)
        over = m >= size
        index = np.where(over, 2 * size - m, m)
        if fill_mode == "reflect":
            index = np.where(over, index - 1, index)
        index = np.clip(index, 0, size - 1)
    return index, np.ones(index.shape, bool)


def _smooth(field, taps, sigma):
    """(N, H, W) ``field`` convolved with the (taps, taps) Gaussian of ``sigma``, 'same' zero padding: the
    Gaussian is separable, so one pass along each axis (a field has no gradient to carry)."""
    t = np.arange(taps) - (taps - 1) / 2
    k = np.exp(-0.5 * (t / sigma) ** 2)
    k /= k.sum()
    half = taps // 2
    for axis in (1, 2):
        size = field.shape[axis]
        pad = [(0, 0)] * 3
        pad[axis] = (half, half)
        padded = np.pad(field, pad)
        out, term = np.zeros_like(field), np.empty_like(field)
        for i, weight in enumerate(k.astype(field.dtype)):
            window = (slice(None),) * axis + (slice(i, i + size),)
            out += np.multiply(padded[window], weight, out=term)
        field = out
    return field


def elastic_warp(x, alpha, sigma, interpolation, fill_mode, fill_value, rng):
    """The (N, H, W, C) Tensor ``x`` with every pixel read alpha times a smoothed field of N(0, sigma^2) draws
    away, along the diagonal (one field for both axes, as Keras 3.15 draws them; see the module)."""
    n, h, w, _ = x.shape
    field = rng.standard_normal((n, h, w), dtype=np.float32) * np.float32(sigma)
    shift = alpha * _smooth(field, (6 * int(sigma)) | 1, sigma) if sigma > 0 else alpha * field
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    return sample(x, cols + shift, rows + shift, interpolation, fill_mode, fill_value, extend=_map_extend,
                  rounding=np.round)


class RandomElasticTransform(_Augmentation):
    """Moves pixels along a smooth random field, each image with a probability drawn from ``factor``."""

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        self.scale = keras_factor(self.who, "scale", scale, 0, 1)
        self.interpolation = _interpolation(self.who, interpolation)
        if fill_mode not in ELASTIC_FILL_MODES:
            raise ValueError(f"{self.who}: `fill_mode` must be one of {ELASTIC_FILL_MODES}; received "
                             f"fill_mode={fill_mode!r}.")
        self.fill_mode = fill_mode
        self.fill_value = number(self.who, "fill_value", fill_value)
        self._range = value_range_of(self.who, value_range)
        self.value_range = value_range

    def _augment(self, x, rng):
        if self.scale[1] == 0 or self.factor[1] == 0:
            return x
        n, h, w, _ = x.shape
        apply = _gate(rng, self.factor, n)
        d = rng.uniform(self.scale[0], self.scale[1])
        warped = elastic_warp(x, max(h, w) * 0.1 * d, min(h, w) * 0.05 * d, self.interpolation, self.fill_mode,
                              self.fill_value, rng)
        return ops.clip(ops.where(apply, warped, x), *self._range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "value_range": self.value_range}
