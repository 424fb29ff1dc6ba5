"""3-D pooling ops on NDHWC volumes: max_pool3d and avg_pool3d.

The 2-D ops (pooling.py) already pool as separable 1-D passes, one spatial axis at a time, looping over
kernel offsets only; a 3-D window is the same with a third pass, over depth, height, then width. These ops
are the 2-D ones with that list of passes (their forward and backward are reused as they are): padding is
never materialised, 'same' average pooling leaves padded cells out of its count (as TensorFlow and Keras
do), and a max's gradient goes to one element per window.
"""
from .pooling import AvgPool2D, MaxPool2D, _Axis, _check_args, _out_shape

_AXES = (1, 2, 3)


class _Pool3D:
    """What the 3-D ops change in the 2-D ones: three spatial axes, so three passes."""

    def __init__(self, pool_size, strides=None, padding="valid"):
        self.pool, self.strides, self.padding = _check_args(self.name, pool_size, strides, padding, 3)

    def _passes(self, x):
        if x.ndim != 5:
            raise ValueError(f"{self.name}: expected a 5-D input (batch, depth, height, width, channels); "
                             f"received shape {x.shape}.")
        axes = [_Axis(n, k, s, self.padding) for n, k, s in zip(x.shape[1:4], self.pool, self.strides)]
        if any(ax.out <= 0 for ax in axes):
            raise ValueError(
                f"{self.name}: pool_size {self.pool} is larger than the input's spatial size {x.shape[1:4]} "
                f"with padding='valid' (input shape {x.shape}). Use padding='same' or a smaller pool_size.")
        passes = [(axis, ax) for axis, ax in zip(_AXES, axes) if not ax.identity]
        shapes, shape = [], x.shape
        for axis, ax in passes:
            shape = _out_shape(shape, axis, ax.out)
            shapes.append(shape)
        return passes, shapes


class MaxPool3D(_Pool3D, MaxPool2D):
    name = "max_pool3d"


class AvgPool3D(_Pool3D, AvgPool2D):
    name = "avg_pool3d"


def max_pool3d(x, pool_size, strides=None, padding="valid"):
    """Max over pool_size windows of an NDHWC input, moved by strides (default: pool_size)."""
    return MaxPool3D(pool_size, strides, padding)(x)


def avg_pool3d(x, pool_size, strides=None, padding="valid"):
    """Mean over pool_size windows of an NDHWC input; 'same' padding leaves padded cells out of the mean."""
    return AvgPool3D(pool_size, strides, padding)(x)
