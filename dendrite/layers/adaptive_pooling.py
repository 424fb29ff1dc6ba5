"""Adaptive pooling, as Keras 3 defines it: AdaptiveAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D and
the function ``adaptive_pool`` (keras.ops.adaptive_average_pool / adaptive_max_pool).

The output has a given spatial size whatever the input's: along an axis of length L pooled to n, output i
covers the inputs ``floor(i * L / n)`` to ``ceil((i + 1) * L / n)`` (exclusive); the axes are pooled one
after the other (the same result as pooling each box at once). Written with autodiff ops: averages are a
product with a fixed (n, L) matrix, maxima a max over each window.
"""
import numpy as np

from ..autodiff import Tensor, ops
from ..backend import standardize_data_format
from ..utils.validation import is_int
from .base import Layer, to_tensor

_SPATIAL = {1: "steps", 2: "height, width", 3: "depth, height, width"}


def windows(length, size):
    """The (start, end) of each of the ``size`` windows over ``length`` inputs."""
    return [(i * length // size, -(-(i + 1) * length // size)) for i in range(size)]


def _pool_axis(x, axis, size, mode):
    length = x.shape[axis]
    spans = windows(length, size)
    if mode == "average":
        weights = np.zeros((size, length), np.dtype(x.dtype))
        for i, (a, b) in enumerate(spans):
            weights[i, a:b] = 1.0 / (b - a)
        moved = ops.transpose(x, tuple(j for j in range(x.ndim) if j != axis) + (axis,))
        pooled = ops.matmul(moved, weights.T)  # (..., size)
        order = list(range(x.ndim - 1))
        order.insert(axis, x.ndim - 1)
        return ops.transpose(pooled, tuple(order))
    index = [slice(None)] * x.ndim
    parts = []
    for a, b in spans:
        index[axis] = slice(a, b)
        parts.append(ops.max(ops.getitem(x, tuple(index)), axis=axis))
    return ops.stack(parts, axis=axis)


def output_size_tuple(output_size, rank, who):
    """``output_size`` (an int, or a tuple of ``rank`` ints) as a tuple, or a clear error naming ``who``."""
    sizes = (output_size,) * rank if is_int(output_size) else output_size
    if not isinstance(sizes, (tuple, list)) or len(sizes) != rank or not all(is_int(n) and n > 0 for n in sizes):
        raise ValueError(f"{who}: `output_size` must be a positive integer or a tuple of {rank} positive "
                         f"integer(s) ({_SPATIAL[rank]}); received output_size={output_size!r}.")
    return tuple(int(n) for n in sizes)


def adaptive_pool(inputs, output_size, mode="average", data_format=None, who="adaptive_pool"):
    """``inputs`` (batch, *spatial, channels), or channels_first, pooled to ``output_size`` spatially."""
    x = inputs if isinstance(inputs, Tensor) else to_tensor(inputs, None)
    if x.dtype.kind != "f":
        x = ops.cast(x, np.float32)
    rank = x.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"{who}: expected a 1-D, 2-D or 3-D input with batch and channel axes (rank 3, 4 or 5); "
                         f"received shape {tuple(x.shape)}.")
    sizes = output_size_tuple(output_size, rank, who)
    first = standardize_data_format(data_format, who) == "channels_first"
    for k, size in enumerate(sizes):
        x = _pool_axis(x, k + (2 if first else 1), size, mode)
    return x


class _AdaptivePooling(Layer):
    """What the adaptive pooling layers share: output_size, data_format, shapes and config."""

    rank = 2
    mode = "average"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.output_size = output_size_tuple(output_size, self.rank, self.who)
        self.data_format = standardize_data_format(data_format, self.who)

    def _check(self, shape):
        if len(shape) != self.rank + 2:
            layout = f"(batch, channels, {_SPATIAL[self.rank]})" if self.data_format == "channels_first" \
                else f"(batch, {_SPATIAL[self.rank]}, channels)"
            raise ValueError(f"{self.who} expects inputs of rank {self.rank + 2}, {layout}; received shape "
                             f"{tuple(shape)}.")

    def call(self, inputs):
        self._check(inputs.shape)
        return adaptive_pool(inputs, self.output_size, self.mode, self.data_format, self.who)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size, "data_format": self.data_format}


class AdaptiveAveragePooling1D(_AdaptivePooling):
    """Averages (batch, steps, channels) over adaptive windows to (batch, output_size, channels)."""
    rank = 1


class AdaptiveAveragePooling2D(_AdaptivePooling):
    """Averages images over adaptive windows to (batch, *output_size, channels)."""
    rank = 2


class AdaptiveAveragePooling3D(_AdaptivePooling):
    """Averages volumes over adaptive windows to (batch, *output_size, channels)."""
    rank = 3


class AdaptiveMaxPooling1D(_AdaptivePooling):
    """Maxima of (batch, steps, channels) over adaptive windows."""
    rank, mode = 1, "max"


class AdaptiveMaxPooling2D(_AdaptivePooling):
    """Maxima of images over adaptive windows."""
    rank, mode = 2, "max"


class AdaptiveMaxPooling3D(_AdaptivePooling):
    """Maxima of volumes over adaptive windows."""
    rank, mode = 3, "max"
