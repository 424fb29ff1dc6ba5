"""The geometric augmentation layers of Keras 3: RandomRotation, RandomZoom, RandomTranslation and
RandomShear, each an affine transform per image drawn in training (see image_augmentation.py for the rules all
augmentation layers share).

``affine_transform`` resamples a batch: every output pixel (column x, row y) of image i reads the input at
(a0 x + a1 y + a2, b0 x + b1 y + b2) from that image's row [a0, a1, a2, b0, b1, b2] (Keras's transform
layout; a projective row of 8 divides by c0 x + c1 y + 1), 'bilinear' (the four neighbouring pixels) or
'nearest' (the closest one, halves rounded away from zero). A position outside the image is first brought
onto it as ``fill_mode`` extends the image, as TensorFlow's image transform does (positions computed in
float32, as there):

    reflect   (d c b a | a b c d | d c b a)  mirrored about the edge of the last pixel
    wrap      (a b c d | a b c d | a b c d)  wrapped around to the opposite edge (folded onto [0, W - 1])
    nearest   (a a a a | a b c d | d d d d)  the edge pixel
    constant  (k k k k | a b c d | k k k k)  k = fill_value, for each neighbour outside

The whole batch is gathered at once (one gather per neighbour), so a transform is linear in the image for
fixed draws and differentiable through the gathers.
"""
import math

import numpy as np

from ..autodiff import ops
from ..utils.validation import number
from .image_augmentation import _Augmentation, factor_range

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _extend(index, size, fill_mode):
    """Integer pixel ``index`` (any array) mapped into [0, size) as ``fill_mode`` extends the image, and a mask of
    the indices that land on the image ('constant': those already inside; every other mode: all)."""
    if fill_mode == "reflect":
        index = np.mod(index, 2 * size)
        index = np.where(index >= size, 2 * size - 1 - index, index)
    elif fill_mode == "wrap":
        index = np.mod(index, size)
    else:
        inside = (index >= 0) & (index < size)
        return np.clip(index, 0, size - 1), (inside if fill_mode == "constant" else np.ones_like(inside))
    return index, np.ones(index.shape, bool)


def affine_transform(x, transforms, interpolation="bilinear", fill_mode="reflect", fill_value=0.0):
    """``x``, a (N, H, W, C) Tensor, resampled through one transform per image (``transforms``, (N, 6); see the
    module), or (N, 8) projective ones: then the source point is divided by c0 x + c1 y + 1 (TensorFlow's
    ImageProjectiveTransform layout)."""
    n, h, w, c = x.shape
    # (positions in float32, as TensorFlow computes them, so that ties round alike)
    t = np.asarray(transforms, dtype=np.float32)[:, :, None, None]
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing="ij")
    src_x = t[:, 0] * cols + t[:, 1] * rows + t[:, 2]  # (N, H, W)
    src_y = t[:, 3] * cols + t[:, 4] * rows + t[:, 5]
    if t.shape[1] == 8:
        k = t[:, 6] * cols + t[:, 7] * rows + np.float32(1)
        k = np.where(k == 0, np.float32(1), k)
        src_x, src_y = src_x / k, src_y / k
    if fill_mode != "constant":  # as TensorFlow: the position is moved onto the image first, then interpolated
        src_x, src_y = _onto_image(src_x, w, fill_mode), _onto_image(src_y, h, fill_mode)
    return sample(x, src_x, src_y, interpolation, "constant", fill_value)


def _onto_image(v, size, fill_mode):
    """Source positions ``v`` (pixel units) brought into [0, size - 1] as TensorFlow's image transform brings
    them before interpolating: 'reflect' and 'wrap' fold them (see the module), 'nearest' clamps them."""
    if fill_mode != "nearest" and size > 1:
        if fill_mode == "reflect":
            period = 2 * size
            low = v + period * np.trunc(-v / period)
            low = np.where(low < -size, low + period, -low - 1)
            high = v - period * np.trunc(v / period)
            high = np.where(high >= size, period - high - 1, high)
        else:  # wrap
            low = v + size * (np.trunc(-v / (size - 1)) + 1)
            high = v - size * np.trunc(v / (size - 1))
        v = np.where(v < 0, low, np.where(v > size - 1, high, v))
    return np.clip(v, 0, size - 1)


def sample(x, src_x, src_y, interpolation="bilinear", fill_mode="reflect", fill_value=0.0, extend=_extend,
           rounding=None):
    """``x``, a (N, H, W, C) Tensor, read at the (N, H, W) source positions (src_x, src_y) (column, row) of each
    output pixel: the nearest pixel (``rounding``, by default halves away from zero) or the four neighbours weighted
    bilinearly, each neighbour index mapped by ``extend(index, size, fill_mode)`` (-> index, inside mask)."""
    n, h, w, c = x.shape
    if interpolation == "nearest":
        near = rounding or (lambda v: np.sign(v) * np.floor(np.abs(v) + 0.5))
        taps = [(near(src_y), near(src_x), np.ones(src_x.shape))]
    else:
        y0, x0 = np.floor(src_y), np.floor(src_x)
        dy, dx = src_y - y0, src_x - x0
        taps = [(y0, x0, (1 - dy) * (1 - dx)), (y0, x0 + 1, (1 - dy) * dx),
                (y0 + 1, x0, dy * (1 - dx)), (y0 + 1, x0 + 1, dy * dx)]
    flat = ops.reshape(x, (n * h * w, c))
    base = (np.arange(n) * (h * w)).reshape(n, 1, 1)
    out, outside = None, np.zeros(src_x.shape)
    for ys, xs, weight in taps:
        ys, inside_y = extend(ys.astype(np.int64), h, fill_mode)
        xs, inside_x = extend(xs.astype(np.int64), w, fill_mode)
        inside = inside_y & inside_x
        outside += np.where(inside, 0.0, weight)
        term = ops.multiply(ops.take(flat, base + ys * w + xs, axis=0),
                            np.where(inside, weight, 0.0)[..., None].astype(x.dtype))
        out = term if out is None else ops.add(out, term)
    if fill_mode == "constant" and fill_value != 0:
        out = ops.add(out, (outside * fill_value)[..., None].astype(x.dtype))
    return out


class _Affine(_Augmentation):
    """Shared: fill_mode, interpolation, fill_value; ``_transforms(n, h, w, rng)`` gives each image's row."""

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(seed, data_format, **kwargs)
        if fill_mode not in FILL_MODES:
            raise ValueError(f"{self.who}: `fill_mode` must be one of {FILL_MODES}; received fill_mode={fill_mode!r}.")
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"{self.who}: `interpolation` must be one of {INTERPOLATIONS}; received "
                             f"interpolation={interpolation!r}.")
        self.fill_mode, self.interpolation = fill_mode, interpolation
        self.fill_value = number(self.who, "fill_value", fill_value)

    def _augment(self, x, rng):
        n, h, w, _ = x.shape
        return affine_transform(x, self._transforms(n, h, w, rng), self.interpolation, self.fill_mode,
                                self.fill_value)

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                "fill_value": self.fill_value}


class RandomRotation(_Affine):
    """Rotates each image about its centre by an angle drawn from [lower, upper] x 360 degrees (``factor``, a
    fraction of a full turn; a number f gives [-f, f]); positive angles turn counter-clockwise."""

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor_range(self.who, "factor", factor, -1, 1)

    def _transforms(self, n, h, w, rng):
        angle = rng.uniform(self.factor[0] * 360.0, self.factor[1] * 360.0, n) * (math.pi / 180.0)
        cos, sin = np.cos(angle), np.sin(angle)
        cx, cy = (w - 1) / 2, (h - 1) / 2
        return np.stack([cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos], axis=1)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomZoom(_Affine):
    """Zooms each image about its centre: the output shows (1 + z) times the input's height, z drawn from
    ``height_factor`` (positive zooms out, negative zooms in; a number f gives [-f, f]), and likewise its width
    from ``width_factor`` (None: the height's draw, keeping the aspect ratio)."""

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._height = factor_range(self.who, "height_factor", height_factor, -1, 1, low_open=True)
        self._width = None if width_factor is None else \
            factor_range(self.who, "width_factor", width_factor, -1, 1, low_open=True)

    def _transforms(self, n, h, w, rng):
        zy = rng.uniform(1 + self._height[0], 1 + self._height[1], n)
        zx = zy if self._width is None else rng.uniform(1 + self._width[0], 1 + self._width[1], n)
        zero = np.zeros(n)
        return np.stack([zx, zero, (w - 1) / 2 * (1 - zx), zero, zy, (h - 1) / 2 * (1 - zy)], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}


class RandomTranslation(_Affine):
    """Shifts each image by a fraction of its height drawn from ``height_factor`` (positive moves it down) and of
    its width from ``width_factor`` (positive moves it right); a number f gives [-f, f]."""

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._height = factor_range(self.who, "height_factor", height_factor, -1, 1)
        self._width = factor_range(self.who, "width_factor", width_factor, -1, 1)

    def _transforms(self, n, h, w, rng):
        dy = rng.uniform(self._height[0], self._height[1], n) * h
        dx = rng.uniform(self._width[0], self._width[1], n) * w
        one, zero = np.ones(n), np.zeros(n)
        return np.stack([one, zero, -dx, zero, one, -dy], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}


class RandomShear(_Affine):
    """Shears each image: output pixel (x, y) reads the input at (x + sx y, y + sy x), sx drawn from ``x_factor``
    and sy from ``y_factor`` (each in [0, 1]; a number f gives [-f, f]), both negated together for half the
    images (a coin flip per image), as Keras draws them; the shear is about the top-left corner, as Keras's."""

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 data_format=None, seed=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        # (a number in [0, 1]; a pair in [-1, 1], so that the pair a config holds, (-f, f), loads back)
        self.x_factor, self.y_factor = (
            factor_range(self.who, name, f, -1 if isinstance(f, (tuple, list)) else 0, 1)
            for name, f in (("x_factor", x_factor), ("y_factor", y_factor)))

    def _transforms(self, n, h, w, rng):
        sign = np.where(rng.uniform(size=n) > 0.5, -1.0, 1.0)
        sy = rng.uniform(self.y_factor[0], self.y_factor[1], n) * sign
        sx = rng.uniform(self.x_factor[0], self.x_factor[1], n) * sign
        one, zero = np.ones(n), np.zeros(n)
        return np.stack([one, sx, zero, sy, one, zero], axis=1)

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor}
