"""Image preprocessing layers: Resizing and CenterCrop, as Keras 3 has them.

Both take a batch of images (rank 4) or one image (rank 3), channels last or first (``data_format``).
Resizing interpolates as Keras 3 and TensorFlow's resize do without antialiasing: pixel centres sit at
half-integers, so output pixel i reads input position (i + 0.5) * in / out - 0.5, linearly ('bilinear',
clamped at the edges) or from the pixel that contains it ('nearest'), through reshaping.resize_nhwc (which
UpSampling2D's bilinear mode shares); both are differentiable. ``crop_to_aspect_ratio`` first crops the
largest centred window of the target's aspect ratio; ``pad_to_aspect_ratio`` pads with ``fill_value``
instead. Integer images come back rounded in their own dtype, as Keras gives them.

CenterCrop cuts the centred (height, width) window; an image smaller than that on either side is instead
resized to it after cropping to its aspect ratio (Keras's smart_resize).
"""
import numpy as np

from ..autodiff import ops
from ..backend import standardize_data_format
from ..utils.validation import number, positive_int
from .base import Layer
from .integer_inputs import IntegerInputs
from .reshaping import resize_nhwc

INTERPOLATIONS = ("bilinear", "nearest")
_KERAS_ONLY = ("bicubic", "lanczos3", "lanczos5", "area")


def _aspect_window(height, width, target_h, target_w):
    """(top, left, rows, cols) of the largest centred window with the target's aspect ratio, as Keras crops."""
    rows = max(min(height, int(float(width * target_h) / target_w)), 1)
    cols = max(min(width, int(float(height * target_w) / target_h)), 1)
    return int(float(height - rows) / 2), int(float(width - cols) / 2), rows, cols


class _ImageLayer(Layer):
    """Shared: the (height, width) target and the layout; ``_apply`` works on (N, H, W, C) Tensors."""

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height = positive_int(self.who, "height", height)
        self.width = positive_int(self.who, "width", width)
        self.data_format = standardize_data_format(data_format, self.who)

    def _check_rank(self, shape):
        if len(shape) not in (3, 4):
            layout = "(height, width, channels)" if self.data_format == "channels_last" else \
                "(channels, height, width)"
            raise ValueError(f"{self.who}: expected a batch of images (rank 4) or one image (rank 3) laid out as "
                             f"{layout} ({self.data_format}); received shape {tuple(shape)}. Add the missing "
                             "axes, e.g. x[..., None] for grayscale images without a channel axis.")

    def call(self, inputs, training=None):
        self._check_rank(inputs.shape)
        x = inputs if inputs.ndim == 4 else ops.expand_dims(inputs, 0)
        first = self.data_format == "channels_first"
        if first:
            x = ops.transpose(x, (0, 2, 3, 1))
        x = self._apply(x)
        if first:
            x = ops.transpose(x, (0, 3, 1, 2))
        return x if inputs.ndim == 4 else ops.squeeze(x, 0)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        shape = list(input_shape)
        h_axis = len(shape) - (2 if self.data_format == "channels_first" else 3)
        shape[h_axis], shape[h_axis + 1] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "height": self.height,
                "width": self.width}


class Resizing(IntegerInputs, _ImageLayer):
    """Resizes images to (height, width) with 'bilinear' (the default) or 'nearest' interpolation."""

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, antialias=False, data_format=None,
                 **kwargs):
        super().__init__(height, width, data_format, **kwargs)
        if interpolation not in INTERPOLATIONS:
            extra = " (Keras's other methods are not in dendrite)" if interpolation in _KERAS_ONLY else ""
            raise ValueError(f"{self.who}: `interpolation` must be one of {INTERPOLATIONS}{extra}; received "
                             f"interpolation={interpolation!r}.")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(f"{self.who}: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be "
                             "True.")
        if fill_mode != "constant":
            raise ValueError(f"{self.who}: `fill_mode` must be 'constant' (the padding of pad_to_aspect_ratio is "
                             f"fill_value); received fill_mode={fill_mode!r}.")
        if antialias:
            raise ValueError(f"{self.who}: antialias=True is not supported; leave antialias=False (plain "
                             "interpolation, Keras's default).")
        self.interpolation = interpolation
        self.crop_to_aspect_ratio, self.pad_to_aspect_ratio = bool(crop_to_aspect_ratio), bool(pad_to_aspect_ratio)
        self.fill_mode, self.fill_value, self.antialias = fill_mode, number(self.who, "fill_value", fill_value), False

    def call(self, inputs, training=None):
        kind = inputs.dtype
        if kind.kind not in "iu":
            return super().call(inputs, training)
        out = super().call(ops.cast(inputs, self.dtype), training).value
        info = np.iinfo(kind)  # as Keras: integer images come back rounded, within their dtype's range
        return ops.cast(np.clip(np.round(out), info.min, info.max), kind)

    def _apply(self, x):
        n, h, w, c = x.shape
        if self.crop_to_aspect_ratio:
            top, left, rows, cols = _aspect_window(h, w, self.height, self.width)
            x = ops.getitem(x, (slice(None), slice(top, top + rows), slice(left, left + cols)))
        elif self.pad_to_aspect_ratio:
            top = int(float(max(h, int(float(w * self.height) / self.width)) - h) / 2)
            left = int(float(max(w, int(float(h * self.width) / self.height)) - w) / 2)
            if top or left:  # as Keras: the same margin on both sides, filled with fill_value
                fill = x.dtype.type(self.fill_value)
                x = ops.add(ops.pad(ops.subtract(x, fill), ((0, 0), (top, top), (left, left), (0, 0))), fill)
        return resize_nhwc(x, self.height, self.width, self.interpolation)

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio, "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode, "fill_value": self.fill_value, "antialias": self.antialias}


class CenterCrop(_ImageLayer):
    """Crops the centred (height, width) window of each image (resizing smaller images, see the module)."""

    def _apply(self, x):
        n, h, w, c = x.shape
        if h >= self.height and w >= self.width:
            top, left = (h - self.height) // 2, (w - self.width) // 2
            return ops.getitem(x, (slice(None), slice(top, top + self.height), slice(left, left + self.width)))
        top, left, rows, cols = _aspect_window(h, w, self.height, self.width)
        x = ops.getitem(x, (slice(None), slice(top, top + rows), slice(left, left + cols)))
        return resize_nhwc(x, self.height, self.width, "bilinear")
