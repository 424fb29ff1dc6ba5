"""Tone augmentation layers of Keras 3, which remap pixel values: Solarization, RandomInvert, RandomPosterization,
AutoContrast, Equalization and ContrastLimitedAdaptiveHistogramEqualization (CLAHE) (the rules every
augmentation layer shares are in image_augmentation.py).

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
from .image_color import FactorAugmentation, keras_factor, to_range, value_range_of


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


class RandomPosterization(FactorAugmentation):
    """Keeps a random number of the top bits of each 8-bit value (see the module)."""

    FACTOR_BOUNDS = (1, 8)

    def _augment(self, x, rng):
        n = x.shape[0]
        low, high = int(self.factor[0]), int(self.factor[1])
        bits = np.full(n, low) if low == high else rng.integers(low, high, n)
        shift = (8 - bits).astype(np.uint8).reshape(-1, 1, 1, 1)
        v = np.clip(to_range(x.value, self.value_range, (0, 255)), 0, 255).astype(np.uint8)
        v = ((v >> shift) << shift).astype(x.dtype)
        return Tensor(to_range(v, (0, 255), self.value_range).astype(x.dtype))


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


class ContrastLimitedAdaptiveHistogramEqualization(_Augmentation):
    """CLAHE: each image cut into a ``tile_grid_size`` grid of tiles, each channel of each tile equalized by its
    own histogram clipped at ``clip_limit`` times the mean bin count (the excess spread over all bins), and
    every pixel mapped through the four nearest tiles' tables, weighted bilinearly, as Keras 3.15 does (the
    image padded by mirroring to whole tiles first). It acts in training and inference alike."""

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8), data_format=None, **kwargs):
        seed = kwargs.pop("seed", None)
        super().__init__(seed, data_format, **kwargs)
        self._range = value_range_of(self.who, value_range)
        self.value_range = value_range
        self.clip_limit = number(self.who, "clip_limit", clip_limit)
        grid = tuple(tile_grid_size) if isinstance(tile_grid_size, (tuple, list)) else None
        if grid is None or len(grid) != 2 or not all(isinstance(g, (int, np.integer)) and not isinstance(g, bool)
                                                     and g > 0 for g in grid):
            raise ValueError(f"{self.who}: `tile_grid_size` must be a pair of positive integers (rows, columns) of "
                             f"tiles, e.g. (8, 8); received tile_grid_size={tile_grid_size!r}.")
        self.tile_grid_size = tile_grid_size

    def _tables(self, tiles, tile_pixels):
        """The (..., 256) mapping of each tile's values: its clipped histogram's normalised cumulative sum."""
        count = int(np.prod(tiles.shape[:-1]))
        index = (np.arange(count).reshape(-1, 1) * 256 + tiles.reshape(count, -1)).ravel()
        hist = np.bincount(index, minlength=count * 256).astype(np.float32).reshape(tiles.shape[:-1] + (256,))
        if self.clip_limit > 0:
            limit = np.float32(self.clip_limit * tile_pixels / 256.0)
            clipped = np.clip(hist, 0, limit)
            hist = clipped + (hist - clipped).sum(axis=-1, keepdims=True) / np.float32(256)
        cdf = np.cumsum(hist, axis=-1)
        low = cdf.min(axis=-1, keepdims=True)
        denominator = np.float32(tile_pixels) - low
        denominator = np.where(denominator == 0, np.float32(1), denominator)
        return np.clip((cdf - low) * np.float32(255) / denominator, 0, 255)

    def _augment(self, x, rng=None):
        v = to_range(x.value.astype(np.float32), self._range, (0, 255))
        n, h, w, c = v.shape
        gh, gw = self.tile_grid_size
        th, tw = -(-h // gh), -(-w // gw)
        v = np.pad(v, ((0, 0), (0, th * gh - h), (0, tw * gw - w), (0, 0)), mode="symmetric")
        tiles = v.reshape(n, gh, th, gw, tw, c).transpose(0, 1, 3, 5, 2, 4).reshape(n, gh, gw, c, th * tw)
        tables = self._tables(np.clip(tiles.astype(np.int32), 0, 255), th * tw)  # (n, gh, gw, c, 256)
        tables = np.pad(tables, ((0, 0), (1, 1), (1, 1), (0, 0), (0, 0)), mode="edge")

        def axis(size, tile, grid):
            pos = (np.arange(size, dtype=np.float32) - np.float32(tile / 2.0)) / np.float32(tile) + 1
            low = np.floor(pos)
            return (np.clip(low, 0, grid + 1).astype(np.int64), np.clip(low + 1, 0, grid + 1).astype(np.int64),
                    pos - low)
        y0, y1, wy = axis(th * gh, th, gh)
        x0, x1, wx = axis(tw * gw, tw, gw)
        pixel = np.clip(v, 0, 255).astype(np.int64)
        b = np.arange(n).reshape(-1, 1, 1, 1)
        ch = np.arange(c).reshape(1, 1, 1, -1)

        def at(ys, xs):
            return tables[b, ys.reshape(1, -1, 1, 1), xs.reshape(1, 1, -1, 1), ch, pixel]
        wx, wy = wx.reshape(1, 1, -1, 1), wy.reshape(1, -1, 1, 1)
        top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx
        bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx
        out = (top * (1 - wy) + bottom * wy)[:, :h, :w]
        return Tensor(to_range(out, (0, 255), self._range).astype(x.dtype))

    _infer = _augment

    def get_config(self):
        config = super().get_config()
        config.pop("seed")
        return {**config, "value_range": self.value_range, "clip_limit": self.clip_limit,
                "tile_grid_size": self.tile_grid_size}
