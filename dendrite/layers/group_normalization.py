"""GroupNormalization, as Keras 3 defines it: the channels of ``axis`` are split into ``groups`` groups of
consecutive channels, and each sample is normalised over each group (its channels and every other
non-batch axis) with that group's mean and biased variance, then scaled by gamma and shifted by beta, one
per channel: y = (x - mean) / sqrt(var + epsilon) * gamma + beta. ``groups=-1`` means one group per channel
(instance normalization); ``groups=1`` normalises each sample over all its values.

The normalisation is the layer_norm op on the input reshaped to (..., groups, channels / groups) over the
group's axes, then the per-channel gamma and beta. A mask passes through unchanged (Keras's layer takes no
mask in its statistics and hands it on).
"""
from ..autodiff import ops
from ..autodiff.ops.normalization import layer_norm
from ..utils.validation import is_int, number
from .base import Layer
from .input_spec import InputSpec
from .normalization import _resolve_axes, _scale_shift


class GroupNormalization(Layer):
    """Normalises each sample over groups of the channels of ``axis`` (see the module's docstring)."""

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if not is_int(groups) or (groups <= 0 and groups != -1):
            raise ValueError(f"{self.who}: `groups` must be a positive int (a divisor of the number of channels), "
                             f"or -1 for one group per channel (instance normalization). Received: "
                             f"groups={groups!r}")
        if not is_int(axis):
            raise TypeError(f"{self.who}: `axis` must be an int, the channel axis (-1 for channels_last, 1 for "
                            f"channels_first). Received: axis={axis!r}")
        self.epsilon = number(self.who, "epsilon", epsilon, low=0, low_open=True, hint="Keras's default is 1e-3.")
        self.groups, self.axis = int(groups), int(axis)
        self.center, self.scale = bool(center), bool(scale)
        self._weight_args("beta", beta_initializer, beta_regularizer, beta_constraint)
        self._weight_args("gamma", gamma_initializer, gamma_regularizer, gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape):
        (axis,) = _resolve_axes(self, [self.axis], input_shape)
        channels = input_shape[axis]
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups or channels % self.groups:
            raise ValueError(f"{self.who}: the {channels} channels of axis {self.axis} (input shape "
                             f"{tuple(input_shape)}) cannot be split into groups={self.groups} equal groups. Use a "
                             f"number of groups that divides {channels}, or -1 for one group per channel.")
        self._channel_axis = axis
        _scale_shift(self, (channels,))  # gamma, then beta, as Keras makes them
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: channels})

    def call(self, inputs, training=None):
        shape, axis = tuple(inputs.shape), self._channel_axis
        grouped = shape[:axis] + (self.groups, shape[axis] // self.groups) + shape[axis + 1:]
        # every axis but the batch and the group axis
        reduce = [a for a in range(1, len(grouped)) if a != axis]
        y = ops.reshape(layer_norm(ops.reshape(inputs, grouped), None, None, reduce, self.epsilon), shape)
        channels = [1] * len(shape)
        channels[axis] = shape[axis]
        if self.gamma is not None:
            y = ops.multiply(y, ops.reshape(self.gamma, tuple(channels)))
        if self.beta is not None:
            y = ops.add(y, ops.reshape(self.beta, tuple(channels)))
        return y

    def get_config(self):
        return {**super().get_config(), "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, **self._weight_config("beta", "gamma")}


__all__ = ["GroupNormalization"]
