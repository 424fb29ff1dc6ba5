"""3-D pooling layers: MaxPooling3D, AveragePooling3D and their global forms, over volumes (batch, depth,
height, width, channels) or channels_first.

They are the 2-D layers (pooling.py: arguments, output sizes as TensorFlow's, input checks) with three
spatial axes and the 3-D ops (autodiff/ops/pooling3d.py), which work on channels_last arrays: channels_first
inputs are transposed in and out.
"""
from ..autodiff import ops
from ..autodiff.ops.pooling3d import avg_pool3d, max_pool3d
from .pooling import _GlobalPooling, _Pooling


class _Pooling3D(_Pooling):
    rank = 3

    def call(self, inputs, training=None):
        self._output_spatial(inputs.shape)
        first = self.data_format == "channels_first"
        x = ops.transpose(inputs, (0, 2, 3, 4, 1)) if first else inputs
        y = self._pool_fn(x, self.pool_size, self.strides, self.padding)
        return ops.transpose(y, (0, 4, 1, 2, 3)) if first else y


class MaxPooling3D(_Pooling3D):
    """Max over pool_size windows of (batch, depth, height, width, channels) inputs (or channels_first)."""

    _pool_fn = staticmethod(max_pool3d)

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling3D(_Pooling3D):
    """Mean over pool_size windows; with padding='same' the padded cells are not counted (as Keras)."""

    _pool_fn = staticmethod(avg_pool3d)

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):  # no default, as Keras
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class GlobalMaxPooling3D(_GlobalPooling):
    """Max over the spatial axes: (batch, depth, height, width, channels) -> (batch, channels)."""

    rank = 3
    _reduce = staticmethod(ops.max)


class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over the spatial axes: (batch, depth, height, width, channels) -> (batch, channels)."""

    rank = 3
    _reduce = staticmethod(ops.mean)


# Keras's aliases
MaxPool3D, AvgPool3D = MaxPooling3D, AveragePooling3D
GlobalMaxPool3D, GlobalAvgPool3D = GlobalMaxPooling3D, GlobalAveragePooling3D

__all__ = ["MaxPooling3D", "AveragePooling3D", "GlobalMaxPooling3D", "GlobalAveragePooling3D", "MaxPool3D",
           "AvgPool3D", "GlobalMaxPool3D", "GlobalAvgPool3D"]
