"""3-D pooling ops on NDHWC volumes: max_pool3d and avg_pool3d.

The 2-D ops (pooling.py) already pool as separable 1-D passes, one spatial axis at a time, looping over
kernel offsets only; a 3-D window is the same with a third pass, over depth, height, then width. These ops
are the 2-D ones with three spatial axes (their forward and backward are reused as they are): padding is
never materialised, 'same' average pooling leaves padded cells out of its count (as TensorFlow and Keras
do), and a max's gradient goes to one element per window.
"""
from .pooling import AvgPool2D, MaxPool2D


class MaxPool3D(MaxPool2D):
    name = "max_pool3d"
    rank = 3
    _LAYOUT = "(batch, depth, height, width, channels)"


class AvgPool3D(AvgPool2D):
    name = "avg_pool3d"
    rank = 3
    _LAYOUT = MaxPool3D._LAYOUT


def max_pool3d(x, pool_size, strides=None, padding="valid"):
    """Max over pool_size windows of an NDHWC input, moved by strides (default: pool_size)."""
    return MaxPool3D(pool_size, strides, padding)(x)


def avg_pool3d(x, pool_size, strides=None, padding="valid"):
    """Mean over pool_size windows of an NDHWC input; 'same' padding leaves padded cells out of the mean."""
    return AvgPool3D(pool_size, strides, padding)(x)
