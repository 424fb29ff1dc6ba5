"""Pooling layers: MaxPooling1D/2D, AveragePooling1D/2D and their global forms.

The ops work on channels_last arrays; channels_first inputs are transposed in
and out by the layer. Output sizes follow TensorFlow: 'valid' gives
floor((n - pool) / stride) + 1, 'same' gives ceil(n / stride).
"""
import numpy as np

from ..autodiff import ops
from ..autodiff.ops.pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d, pool_output_length
from ..backend import standardize_data_format
from .base import Layer
from .input_spec import ImageSpec, normalize_tuple

_TO_LAST = {3: (0, 2, 1), 4: (0, 2, 3, 1)}
_TO_FIRST = {3: (0, 2, 1), 4: (0, 3, 1, 2)}


class _Pooling(Layer):
    """Shared by the windowed pooling layers; ``rank`` is 1 or 2 spatial axes."""

    rank = 2
    _pool_fn = None

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size", self.name)
        self.strides = self.pool_size if strides is None else normalize_tuple(strides, self.rank, "strides", self.name)
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"Layer '{self.name}': padding must be 'valid' or 'same'; received padding={padding!r}.")
        self.data_format = standardize_data_format(data_format, self.who)
        self.input_spec = ImageSpec(self.rank, self.data_format)

    def _spatial(self, shape):
        return tuple(shape[2:]) if self.data_format == "channels_first" else tuple(shape[1:-1])

    def _output_spatial(self, shape):
        spatial = self._spatial(shape)
        out = tuple(pool_output_length(n, k, s, self.padding)
                    for n, k, s in zip(spatial, self.pool_size, self.strides))
        if any(n is not None and n <= 0 for n in out):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): pool_size={self.pool_size} with strides={self.strides} "
                f"and padding='valid' needs a spatial size of at least {self.pool_size}, but received an input of "
                f"shape {tuple(shape)} (spatial size {spatial}). Use padding='same', a smaller pool_size, or a "
                "larger input.")
        return out

    def call(self, inputs, training=None):
        self._output_spatial(inputs.shape)
        x = inputs
        if self.data_format == "channels_first":
            x = ops.transpose(x, _TO_LAST[x.ndim])
        y = self._pool_fn(x, self.pool_size, self.strides, self.padding)
        if self.data_format == "channels_first":
            y = ops.transpose(y, _TO_FIRST[y.ndim])
        return y

    def compute_output_shape(self, input_shape):
        out = self._output_spatial(input_shape)
        if self.data_format == "channels_first":
            return tuple(input_shape[:2]) + out
        return (input_shape[0],) + out + (input_shape[-1],)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


class MaxPooling2D(_Pooling):
    """Max over pool_size windows of (batch, rows, cols, channels) inputs (or channels_first)."""

    _pool_fn = staticmethod(max_pool2d)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling2D(_Pooling):
    """Mean over pool_size windows; with padding='same' the padded cells are not counted."""

    _pool_fn = staticmethod(avg_pool2d)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling1D(_Pooling):
    """Max over windows of (batch, steps, features) inputs (or channels_first)."""

    rank = 1
    _pool_fn = staticmethod(max_pool1d)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(_Pooling):
    """Mean over windows of (batch, steps, features) inputs (or channels_first)."""

    rank = 1
    _pool_fn = staticmethod(avg_pool1d)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class _GlobalPooling(Layer):
    rank = 2
    _reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format, self.who)
        self.keepdims = bool(keepdims)
        self.input_spec = ImageSpec(self.rank, self.data_format)

    def _axes(self):
        first = 2 if self.data_format == "channels_first" else 1
        return tuple(range(first, first + self.rank))

    def call(self, inputs, training=None):
        return self._reduce(inputs, axis=self._axes(), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else n for i, n in enumerate(input_shape))
        return tuple(n for i, n in enumerate(input_shape) if i not in axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling):
    """Mean over the spatial axes: (batch, rows, cols, channels) -> (batch, channels)."""

    _reduce = staticmethod(ops.mean)


class GlobalMaxPooling2D(_GlobalPooling):
    """Max over the spatial axes: (batch, rows, cols, channels) -> (batch, channels)."""

    _reduce = staticmethod(ops.max)


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over the steps: (batch, steps, features) -> (batch, features); with a mask (Embedding(mask_zero=True),
    Masking) the mean over the valid steps only, as Keras 3."""

    rank = 1
    _reduce = staticmethod(ops.mean)
    supports_masking = True

    def call(self, inputs, training=None, mask=None):
        if mask is None:
            return super().call(inputs)
        steps = self._axes()[0]
        weights = np.expand_dims(np.asarray(mask, inputs.dtype), 1 if steps == 2 else 2)
        total = ops.sum(ops.multiply(inputs, weights), axis=steps, keepdims=self.keepdims)
        count = np.maximum(weights.sum(axis=steps, keepdims=self.keepdims), 1.0)  # a row with no valid step: 0
        return ops.divide(total, count.astype(inputs.dtype))

    def compute_mask(self, inputs, mask=None):
        return None  # the steps are gone


class GlobalMaxPooling1D(_GlobalPooling):
    """Max over the steps: (batch, steps, features) -> (batch, features)."""

    rank = 1
    _reduce = staticmethod(ops.max)


# Keras's aliases
MaxPool2D, AvgPool2D, MaxPool1D, AvgPool1D = MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D
GlobalAvgPool2D, GlobalMaxPool2D = GlobalAveragePooling2D, GlobalMaxPooling2D
GlobalAvgPool1D, GlobalMaxPool1D = GlobalAveragePooling1D, GlobalMaxPooling1D
