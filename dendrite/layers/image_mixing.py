"""Augmentation layers of Keras 3 that mix or cut images: MixUp, CutMix and RandomErasing (the rules every
augmentation layer shares are in image_augmentation.py).

MixUp and CutMix pair each image with another of the batch (a random permutation). Given Keras 3's dict input
``{'images': x, 'labels': y}`` (as a ``tf.data`` map or a training step calls them), they mix the labels by
the same weights; labels must then be one-hot or soft, shape (batch, classes).

- MixUp(alpha): x_i w_i + x_perm(i) (1 - w_i), w_i ~ Beta(alpha, alpha).
- CutMix(factor): one alpha = U(factor) + 1e-6 per batch (a number f gives (0, f)); w_i ~ Beta(alpha, alpha);
  a box of sides sqrt(1 - w_i) times the image's, placed uniformly inside it, is pasted from the paired image;
  labels mix by 1 - the box's area / the image's (the continuous area, as Keras). A single image (rank 3) is
  left as it is.
- RandomErasing(factor, scale, fill_value): each image, with probability p = U(factor) (a number f gives
  (0, f)), gets a box of sides sqrt(U(scale)) times its width and height (two draws) filled with
  ``fill_value`` (a number, or one per RGB channel; None: Gaussian noise times ``value_range[1]``), clipped to
  ``value_range``.

All three are differentiable in the images (selections and linear blends).
"""
import numpy as np

from ..autodiff import ops
from ..utils.validation import number
from .image_augmentation import _Augmentation
from .image_color import keras_factor, value_range_of


def _boxes(rng, n, h, w, side_x, side_y):
    """Per image (x0, x1, y0, y1) of boxes of the given fractional sides, placed uniformly inside the image, and
    the (N, H, W, 1) mask of the pixels they cover."""
    cw, ch = side_x * w, side_y * h
    x0 = rng.uniform(size=n) * (w - cw)
    y0 = rng.uniform(size=n) * (h - ch)
    x1, y1 = x0 + cw, y0 + ch
    rows = np.arange(h).reshape(1, h, 1, 1)
    cols = np.arange(w).reshape(1, 1, w, 1)
    shape = (-1, 1, 1, 1)
    mask = ((cols >= x0.reshape(shape)) & (cols < x1.reshape(shape)) &
            (rows >= y0.reshape(shape)) & (rows < y1.reshape(shape)))
    return (x0, x1, y0, y1), mask


class _Mixing(_Augmentation):
    """Shared: ``_mix(x, labels, rng)`` gives the mixed images and labels (None without labels)."""

    def _augment(self, x, rng):
        return self._mix(x, None, rng)[0]

    def _augment_with_labels(self, x, labels, rng):
        return self._mix(x, labels, rng)

    def _mixed_labels(self, labels, permutation, weight):
        if labels is None:
            return None
        if labels.ndim < 2:
            raise ValueError(f"{self.who}: the 'labels' to mix must be one-hot or soft labels of shape (batch, "
                             f"classes); received shape {tuple(labels.shape)}. Convert them first, e.g. with "
                             "keras.ops.one_hot(labels, num_classes).")
        if labels.dtype.kind != "f":
            labels = ops.cast(labels, "float32")
        w = np.asarray(weight, labels.dtype).reshape((-1,) + (1,) * (labels.ndim - 1))
        return ops.add(ops.multiply(labels, w), ops.multiply(ops.take(labels, permutation, axis=0), 1 - w))


class MixUp(_Mixing):
    """Blends each image (and its label) with another of the batch by a Beta(alpha, alpha) weight."""

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.alpha = number(self.who, "alpha", alpha, 0, None, low_open=True)

    def _mix(self, x, labels, rng):
        n = x.shape[0]
        permutation = rng.permutation(n)
        weight = rng.beta(self.alpha, self.alpha, n)
        w = weight.reshape(-1, 1, 1, 1).astype(x.dtype)
        images = ops.add(ops.multiply(x, w), ops.multiply(ops.take(x, permutation, axis=0), 1 - w))
        return images, self._mixed_labels(labels, permutation, weight)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class CutMix(_Mixing):
    """Pastes a random box of another image of the batch into each image (labels mixed by area)."""

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)

    def _mix(self, x, labels, rng):
        n, h, w, _ = x.shape
        if n == 1:  # one image (Keras: a single one) has nothing to mix with
            return x, labels
        alpha = rng.uniform(self.factor[0], self.factor[1]) + 1e-6
        side = np.sqrt(1.0 - rng.beta(alpha, alpha, n))
        (x0, x1, y0, y1), mask = _boxes(rng, n, h, w, side, side)
        permutation = rng.permutation(n)
        mixed = self._mixed_labels(labels, permutation, 1.0 - (x1 - x0) * (y1 - y0) / (w * h))
        return ops.where(mask, ops.take(x, permutation, axis=0), x), mixed

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomErasing(_Augmentation):
    """Fills a random box of each image with ``fill_value`` or noise, with a probability drawn from ``factor``."""

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None,
                 data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        self.scale = keras_factor(self.who, "scale", scale, 0, 1)
        if fill_value is not None:
            values = list(fill_value) if isinstance(fill_value, (tuple, list)) else [fill_value]
            if len(values) not in (1, 3):
                raise ValueError(f"{self.who}: `fill_value` must be None (noise), a number or three numbers (one "
                                 f"per RGB channel); received fill_value={fill_value!r}.")
            for v in values:
                number(self.who, "fill_value", v)
        self.fill_value = fill_value
        self._range = value_range_of(self.who, value_range)
        self.value_range = value_range

    def _augment(self, x, rng):
        n, h, w, c = x.shape
        sides = np.sqrt(rng.uniform(self.scale[0], self.scale[1], (n, 2)))
        _, mask = _boxes(rng, n, h, w, sides[:, 0], sides[:, 1])
        p = rng.uniform(self.factor[0], self.factor[1], n)
        apply = (rng.uniform(size=n) < p).reshape(-1, 1, 1, 1)
        if self.fill_value is None:
            fill = rng.standard_normal(x.shape) * self.value_range[1]
        else:
            if isinstance(self.fill_value, (tuple, list)) and c != 3:
                raise ValueError(f"{self.who}: three `fill_value`s need images of 3 channels; received {c} channels.")
            fill = np.broadcast_to(np.asarray(self.fill_value, np.float64), x.shape)
        fill = np.clip(fill, *self._range).astype(x.dtype)
        return ops.where(mask & apply, fill, x)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale, "fill_value": self.fill_value,
                "value_range": self.value_range}
