"""Data-augmentation layers, as Keras 3 has them: RandomFlip, RandomContrast, RandomBrightness and RandomCrop
(the geometric ones, which resample through an affine transform, are in image_augmentation_geometric.py).

Each takes a batch of images (rank 4) or one image (rank 3), channels last or first (``data_format``), of any
dtype (integer images come out as the layer's float dtype, as Keras gives them). Every image of a batch draws
its own transformation, vectorised over the batch; RandomCrop, as Keras's, cuts one window for the whole batch.

Training: as Keras 3's preprocessing layers, they augment unless the call is in inference: ``training=False``
given to the call or to the enclosing model's call (``predict`` and ``evaluate`` pass it); a direct call
``layer(images)`` augments, as Keras 3's ``call(data, training=True)`` does. In inference they return the input
unchanged, except RandomCrop, which then crops the largest centred window of the target's aspect ratio and
resizes it to (height, width), as Keras documents.

Randomness: with a ``seed``, a layer draws from a SeedGenerator of its own (each call draws anew; two layers
with one seed draw alike); without one, from dendrite's generator (utils.set_random_seed repeats it), as
Dropout does.
"""
import numpy as np

from ..autodiff import ops
from ..backend import standardize_data_format
from ..random import SeedGenerator, check_seed, generator_for
from ..utils.validation import number
from .base import Layer
from .image_preprocessing import _ImageLayer, _aspect_window
from .reshaping import resize_nhwc


def factor_range(who, name, factor, low, high, low_open=False, symmetric=True):
    """A Keras augmentation factor as (lower, upper): a number f gives (-|f|, |f|) (``symmetric``) or (f, f);
    a pair gives itself sorted. Each number must lie in [low, high] ((low, high] with ``low_open``)."""
    bounds = f"{'(' if low_open else '['}{low:g}, {high:g}]"
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(f"{who}: `{name}` must be a number or a pair (lower, upper) of numbers in {bounds}; "
                             f"received {name}={factor!r} ({len(factor)} values).")
        pair = [number(who, name, f, low, high, low_open=low_open) for f in factor]
        return tuple(sorted(pair))
    f = number(who, name, factor, low, high, low_open=low_open, hint="Or pass a pair (lower, upper).")
    return (-abs(f), abs(f)) if symmetric else (f, f)


class _Augmentation(Layer):
    """Shared: the layout, the seed, the training rule (see the module) and the (N, H, W, C) view that
    ``_augment(x, rng)`` works on (``_nhwc``)."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format, self.who)
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None

    _check_rank = _ImageLayer._check_rank

    # what a layer does in inference: nothing (most), or a deterministic transform (AutoContrast)
    _infer = None

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, dict):
            self._check_keys(inputs)
        return super().__call__(inputs, *args, **kwargs)

    # (no state is kept on the layer between these steps: a tf.data map may call it from several threads)
    def call(self, inputs, training=None):
        training = training is None or bool(training)
        if isinstance(inputs, dict):
            return self._call_dict(inputs, training)
        self._check_rank(inputs.shape)
        if not training and self._infer is None:
            return inputs
        x, undo = self._nhwc(inputs)
        return undo(self._augment(x, generator_for(self.seed_generator)) if training else self._infer(x))

    def _nhwc(self, images):
        """``images`` as a (N, H, W, C) Tensor, and the function that lays a result out as ``images`` were."""
        single, first = images.ndim == 3, self.data_format == "channels_first"
        x = ops.expand_dims(images, 0) if single else images
        x = ops.transpose(x, (0, 2, 3, 1)) if first else x

        def undo(y):
            y = ops.transpose(y, (0, 3, 1, 2)) if first else y
            return ops.squeeze(y, 0) if single else y
        return x, undo

    def _check_keys(self, data):
        unknown = sorted(set(data) - {"images", "labels"}, key=str)
        if "images" not in data or unknown:
            raise NotImplementedError(
                f"{self.who}: a dict input must hold 'images' and optionally 'labels'; received keys "
                f"{sorted(data, key=str)} ({', '.join(map(repr, unknown)) or 'no images'}: bounding boxes and "
                "segmentation masks are not supported by dendrite's augmentation layers; see docs/compat.md).")

    def _call_dict(self, data, training):
        """Keras 3's dict input {'images': ..., 'labels': ...}: the images augmented; the labels as they are, or
        mixed with the images by the layers that mix (MixUp, CutMix: ``_augment_with_labels``)."""
        self._check_keys(data)
        images = data["images"]
        self._check_rank(images.shape)
        out = dict(data)
        if not training and self._infer is None:
            return out
        x, undo = self._nhwc(images)
        if not training:
            out["images"] = undo(self._infer(x))
            return out
        rng = generator_for(self.seed_generator)
        if data.get("labels") is not None and hasattr(self, "_augment_with_labels"):
            x, out["labels"] = self._augment_with_labels(x, data["labels"], rng)
        else:
            x = self._augment(x, rng)
        out["images"] = undo(x)
        return out

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "seed": self.seed}


def _per_image(values, x):
    """Draws of shape (N,) as an (N, 1, 1, 1) array of ``x``'s dtype, to broadcast over each image."""
    return np.asarray(values, dtype=x.dtype).reshape(-1, 1, 1, 1)


class RandomFlip(_Augmentation):
    """Flips each image left-right ('horizontal'), top-bottom ('vertical') or both, each with probability 1/2
    (in 'horizontal_and_vertical' the two flips are drawn independently)."""

    MODES = ("horizontal", "vertical", "horizontal_and_vertical")

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        if mode not in self.MODES:
            raise ValueError(f"{self.who}: `mode` must be one of {self.MODES}; received mode={mode!r}.")
        self.mode = mode

    def _augment(self, x, rng):
        n = x.shape[0]
        for axis, kind in ((2, "horizontal"), (1, "vertical")):
            if kind in self.mode:
                flip = rng.uniform(size=n) < 0.5
                reverse = (slice(None),) * axis + (slice(None, None, -1),)
                x = ops.where(flip.reshape(-1, 1, 1, 1), ops.getitem(x, reverse), x)
        return x

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


def _value_range(who, value_range):
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(f"{who}: `value_range` must be a pair (low, high), such as (0, 255) or (0, 1); received "
                         f"value_range={value_range!r}.")
    low, high = (number(who, "value_range", v) for v in value_range)
    return low, high


class RandomContrast(_Augmentation):
    """Scales each channel of each image about its mean by a factor drawn from [1 - lower, 1 + upper], then clips
    to ``value_range``. A number ``factor`` f gives (lower, upper) = (0, f), so contrast only rises, as Keras 3.15
    reads it (Keras 2 and early Keras 3 gave (f, f)); pass (f, f) for [1 - f, 1 + f]."""

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        lower, upper = factor_range(self.who, "factor", factor, 0, 1)
        self.factor = (max(lower, 0), upper)
        self.value_range = tuple(value_range) if isinstance(value_range, list) else value_range
        self._low, self._high = sorted(_value_range(self.who, value_range))

    def _augment(self, x, rng):
        scale = _per_image(rng.uniform(1 - self.factor[0], 1 + self.factor[1], x.shape[0]), x)
        mean = ops.mean(x, axis=(1, 2), keepdims=True)
        out = ops.add(ops.multiply(ops.subtract(x, mean), scale), mean)
        return ops.clip(out, self._low, self._high)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class RandomBrightness(_Augmentation):
    """Adds to each image a delta drawn from [lower, upper] times the width of ``value_range`` (-1 makes it
    black, 1 white), then clips to ``value_range``."""

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.factor = factor_range(self.who, "factor", factor, -1, 1)
        self.value_range = sorted(_value_range(self.who, value_range))

    def _augment(self, x, rng):
        low, high = self.value_range
        delta = _per_image(rng.uniform(self.factor[0], self.factor[1], x.shape[0]) * (high - low), x)
        return ops.clip(ops.add(x, delta), low, high)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": list(self.value_range)}


class RandomCrop(_ImageLayer):
    """In training, cuts a random (height, width) window, the same for every image of the batch; an image not
    larger than that on both sides, and every image in inference, is instead cut to the largest centred window
    of the target's aspect ratio and resized (bilinear) to (height, width), as Keras documents."""

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(height, width, data_format, **kwargs)
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None
        self._training = False

    def call(self, inputs, training=None):
        self._training = training is None or bool(training)
        return super().call(inputs, training)

    def _apply(self, x):
        n, h, w, c = x.shape
        if self._training and h > self.height and w > self.width:
            rng = generator_for(self.seed_generator)
            top, left = int(rng.integers(0, h - self.height + 1)), int(rng.integers(0, w - self.width + 1))
            return ops.getitem(x, (slice(None), slice(top, top + self.height), slice(left, left + self.width)))
        top, left, rows, cols = _aspect_window(h, w, self.height, self.width)
        if (rows, cols) != (h, w):
            x = ops.getitem(x, (slice(None), slice(top, top + rows), slice(left, left + cols)))
        return resize_nhwc(x, self.height, self.width, "bilinear")

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}
