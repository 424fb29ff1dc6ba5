"""Convolution layers: Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, and the 1-D forms
Conv1DTranspose, DepthwiseConv1D and SeparableConv1D.

They share one base class, which validates the arguments as Keras does, checks the
input (rank, channel count, kernel larger than a 'valid' input) with messages that name
the layer, and handles channels_first by transposing around the NHWC ops.
Kernel layouts are Keras's: (kh, kw, in/groups, filters); DepthwiseConv2D (kh, kw, in,
depth_multiplier); Conv2DTranspose (kh, kw, filters, in).
"""
import numpy as np

from .. import activations, regularizers
from ..autodiff import ops
from ..autodiff.ops import conv as conv_ops
from ..backend import standardize_data_format
from ..utils.validation import positive_int
from .base import Layer
from .input_spec import InputSpec, channel_axis_hint, normalize_tuple

_SPATIAL = {1: "steps", 2: "height, width", 3: "depth, height, width"}


def _choice(value, name, allowed, who):
    v = value.lower() if isinstance(value, str) else value
    if v not in allowed:
        raise ValueError(f"{who}: `{name}` must be one of {', '.join(map(repr, allowed))}. Received: {name}={value!r}")
    return v


def _input_problem(layer, shape):
    """Why ``shape`` cannot go through the convolution ``layer`` (a message), or None."""
    rank, first, who = layer.rank, layer.data_format == "channels_first", layer.who
    if len(shape) != rank + 2:
        layout = f"(batch, channels, {_SPATIAL[rank]})" if first else f"(batch, {_SPATIAL[rank]}, channels)"
        msg = f"{who} expects inputs of rank {rank + 2}, {layout}; received an input of shape {shape} " \
              f"(rank {len(shape)})."
        return msg + channel_axis_hint(shape, rank, layer.data_format)
    channels, spatial = (shape[1], shape[2:]) if first else (shape[-1], shape[1:-1])
    built = layer.input_spec.axes.get(1 if first else -1)
    if built is not None and channels is not None and channels != built:
        return (f"{who} was built for inputs with {built} channels (kernel shape {tuple(layer.weights[0].shape)}), "
                f"but received an input of shape {shape} with {channels} channels. Feed inputs with {built} channels, "
                "or use a new layer.")
    dk = tuple((k - 1) * d + 1 for k, d in zip(layer.kernel_size, layer.dilation_rate))
    if layer.padding == "valid" and not layer.transpose and any(s is not None and s < k for s, k in zip(spatial, dk)):
        return (f"{who}: the kernel (size {layer.kernel_size}, dilation_rate {layer.dilation_rate}: {dk} once dilated) "
                f"is larger than the input's spatial size {tuple(spatial)} with padding='valid' (input shape {shape}). "
                "Use padding='same', a smaller kernel, or a larger input.")
    return None


class _ConvSpec(InputSpec):
    """The input check of a convolution layer, with messages that know its kernel."""

    def __init__(self, layer, channels=None):
        super().__init__(ndim=layer.rank + 2, axes={-1 if layer.data_format == "channels_last" else 1: channels})
        self.layer = layer

    def check(self, shape, layer):
        problem = _input_problem(self.layer, tuple(shape))
        if problem:
            raise ValueError(problem)


class BaseConv(Layer):
    """What every convolution layer shares: argument checks, input checks, data formats, shapes, config."""

    rank = 2
    transpose = False  # Conv2DTranspose: output shape by Keras's deconvolution rule
    allows_causal = False  # padding='causal' (Conv1D only, as in Keras)
    fuses_relu = False  # whether _convolve(x, activation="relu") applies a plain relu inside the convolution op

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, bias_initializer="zeros", bias_regularizer=None,
                 activity_regularizer=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        who = self.who
        self.filters = None if filters is None else positive_int(who, "filters", filters)
        self.groups = positive_int(who, "groups", groups)
        if filters is not None and filters % groups:
            raise ValueError(f"{who}: the number of filters must be divisible by the number of groups. "
                             f"Received: filters={filters}, groups={groups}. Pick filters as a multiple of groups.")
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size", self.name)
        self.strides = normalize_tuple(strides, self.rank, "strides", self.name)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate", self.name)
        causal = ("causal",) if self.allows_causal else ()
        self.padding = _choice(padding, "padding", ("valid", "same") + causal, who)
        self.data_format = standardize_data_format(data_format, who)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{who}: `strides > 1` is not supported together with `dilation_rate > 1` (as in "
                             f"Keras). Received: strides={self.strides} and dilation_rate={self.dilation_rate}. "
                             "Use strides=1 with dilation, or dilation_rate=1 with strides.")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self._weight_args("bias", bias_initializer, bias_regularizer, bias_constraint)
        self.input_spec = _ConvSpec(self)

    def _channels(self, input_shape):
        c = input_shape[1] if self.data_format == "channels_first" else input_shape[-1]
        if c is None:
            raise ValueError(f"{self.who}: the channel axis of the input must be known; "
                             f"received input shape {tuple(input_shape)}.")
        return int(c)

    def _add_bias(self, size):
        self.bias = self._add_weight_for("bias", (size,)) if self.use_bias else None

    def _pin(self, channels):
        self.input_spec = _ConvSpec(self, channels)

    # ------------------------------------------------------------- call
    def call(self, inputs, training=None):
        first = self.data_format == "channels_first"
        if type(self).convolution_op is not BaseConv.convolution_op:  # a subclass's own convolution, as Keras runs it
            y = self.convolution_op(inputs, self.kernel)
            if self.bias is not None:
                y = ops.add(y, ops.reshape(self.bias, (-1,) + (1,) * self.rank) if first else self.bias)
            return self.activation(y)
        x = ops.transpose(inputs, (0,) + tuple(range(2, self.rank + 2)) + (1,)) if first else inputs
        # A plain relu (activation='relu') runs inside the convolution op: no separate pass over the output.
        fused = self.fuses_relu and self.activation is activations.relu
        y = self._convolve(x, activation="relu") if fused else self._convolve(x)
        if first:
            y = ops.transpose(y, (0, self.rank + 1) + tuple(range(1, self.rank + 1)))
        return y if fused else self.activation(y)

    def convolution_op(self, inputs, kernel):
        """Keras's ``convolution_op(inputs, kernel)``: this layer's convolution (strides, padding, dilation, groups,
        data format) of ``inputs`` with ``kernel``, without bias or activation. A subclass may override it; ``call``
        then runs the override, adds the bias and applies the activation, as Keras's does."""
        first = self.data_format == "channels_first"
        x = ops.transpose(inputs, (0,) + tuple(range(2, self.rank + 2)) + (1,)) if first else inputs
        held = self.__dict__.get("kernel"), self.__dict__.get("bias")
        self.__dict__["kernel"], self.__dict__["bias"] = kernel, None  # (the op reads the layer's weights)
        try:
            y = self._convolve(x)
        finally:
            self.__dict__["kernel"], self.__dict__["bias"] = held
        return ops.transpose(y, (0, self.rank + 1) + tuple(range(1, self.rank + 1))) if first else y

    def _op_weights(self, affine=None):
        """(kernel, bias) for the convolution op; with ``affine=(a, shift)`` folded in as plain arrays:
        kernel * a and bias * a + shift (a per output channel, the kernel's last axis)."""
        if affine is None:
            return self.kernel, self.bias
        a, shift = affine
        return self.kernel.value * a, shift if self.bias is None else self.bias.value * a + shift

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        self.input_spec.check(input_shape, self)
        first = self.data_format == "channels_first"
        spatial = input_shape[2:] if first else input_shape[1:-1]
        out = []
        for ax, size in enumerate(spatial):
            k, s, d = self.kernel_size[ax], self.strides[ax], self.dilation_rate[ax]
            if self.transpose:
                op = None if self.output_padding is None else self.output_padding[ax]
                out.append(conv_ops.deconv_output_length(size, k, s, d, self.padding, op))
            else:
                out.append(conv_ops.conv_output_length(size, k, s, d, self.padding)[0])
        filters = self._out_channels(self._channels(input_shape))
        return (input_shape[0], filters, *out) if first else (input_shape[0], *out, filters)

    def _out_channels(self, channels):
        return self.filters

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                **self._weight_config("bias"),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer)}


class Conv2D(BaseConv):
    """2-D convolution: ``activation(conv(inputs, kernel) + bias)``, kernel (kh, kw, in/groups, filters)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, bias_initializer, bias_regularizer, activity_regularizer, bias_constraint,
                         **kwargs)
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)

    def build(self, input_shape):
        channels = self._channels(input_shape)
        if channels % self.groups:
            raise ValueError(f"{self.who}: the number of input channels must be divisible by groups. "
                             f"Received groups={self.groups}, but the input has {channels} channels "
                             f"(input shape {tuple(input_shape)}).")
        self.kernel = self._add_weight_for("kernel", self._kernel_shape(channels))
        self._add_bias(self.filters)
        self._pin(channels)

    def _kernel_shape(self, channels):
        return self.kernel_size + (channels // self.groups, self.filters)

    fuses_relu = True

    def _convolve(self, x, activation=None, affine=None):
        return conv_ops.conv2d(x, *self._op_weights(affine), self.strides, self.padding, self.dilation_rate, self.groups,
                               activation)

    def call_folded(self, inputs, affine, relu=False):
        """This layer and the per-channel map ``affine=(a, shift)`` after it (a BatchNormalization in
        inference, models/fusion.py), and then a relu when ``relu``, as one convolution: the map is
        folded into the kernel and bias. Channels-last only."""
        return self._convolve(self._checked_input(inputs), activation="relu" if relu else None, affine=affine)

    def get_config(self):
        return {**super().get_config(), **self._weight_config("kernel")}


class Conv1D(Conv2D):
    """1-D convolution over (batch, steps, channels); kernel (k, in/groups, filters); padding also 'causal'."""

    rank = 1
    allows_causal = True

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, **kwargs)

    def _convolve(self, x, activation=None, affine=None):
        return conv_ops.conv1d(x, *self._op_weights(affine), self.strides, self.padding, self.dilation_rate, self.groups,
                               activation)


class Conv2DTranspose(Conv2D):
    """Transposed convolution (the gradient of Conv2D); kernel (kh, kw, filters, in), Keras's output shape."""

    transpose = True
    fuses_relu = False

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), **kwargs):
        if "groups" in kwargs:
            raise TypeError(f"{type(self).__name__}: unrecognized keyword argument(s) ['groups'] (Keras's "
                            f"{type(self).__name__} has no groups). Remove it.")
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, **kwargs)
        if output_padding is not None:
            given = output_padding
            try:
                output_padding = tuple(int(p) for p in (given,) * self.rank) \
                    if isinstance(given, (int, np.integer)) else tuple(int(p) for p in given)
            except TypeError:
                output_padding = ()
            if len(output_padding) != self.rank or any(not 0 <= p < s for p, s in zip(output_padding, self.strides)):
                form = "an int" if self.rank == 1 else f"an int or {self.rank} ints, each"
                raise ValueError(f"{self.who}: `output_padding` must be {form} >= 0 and smaller than `strides` "
                                 f"{self.strides}. Received: output_padding={given!r}")
        self.output_padding = output_padding

    def _kernel_shape(self, channels):
        return self.kernel_size + (self.filters, channels)

    def _convolve(self, x):
        return conv_ops.conv2d_transpose(x, self.kernel, self.bias, self.strides, self.padding,
                                         self.output_padding, self.dilation_rate)

    def get_config(self):
        config = {**super().get_config(), "output_padding": self.output_padding}
        del config["groups"]
        return config


class DepthwiseConv2D(BaseConv):
    """Per-channel convolution: kernel (kh, kw, in, depth_multiplier), output channel c * multiplier + j."""

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(None, kernel_size, strides, padding, data_format, dilation_rate, 1, activation, use_bias,
                         bias_initializer, bias_regularizer, activity_regularizer, bias_constraint, **kwargs)
        self.depth_multiplier = positive_int(self.who, "depth_multiplier", depth_multiplier)
        self._weight_args("depthwise", depthwise_initializer, depthwise_regularizer, depthwise_constraint)

    def _out_channels(self, channels):
        return channels * self.depth_multiplier

    def build(self, input_shape):
        channels = self._channels(input_shape)
        self.kernel = self._add_weight_for("depthwise", self.kernel_size + (channels, self.depth_multiplier), "kernel")
        self._add_bias(channels * self.depth_multiplier)
        self._pin(channels)

    def _convolve(self, x):
        return conv_ops.depthwise_conv2d(x, self.kernel, self.bias, self.strides, self.padding, self.dilation_rate)

    def get_config(self):
        config = {**super().get_config(), "depth_multiplier": self.depth_multiplier,
                  **self._weight_config("depthwise")}
        del config["filters"], config["groups"]
        return config


class SeparableConv2D(DepthwiseConv2D):
    """Depthwise convolution followed by a 1x1 pointwise one: depthwise_kernel (kh, kw, in, depth_multiplier),
    pointwise_kernel (1, 1, in * depth_multiplier, filters), bias (filters,)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, activation,
                         use_bias, depthwise_initializer, bias_initializer, depthwise_regularizer,
                         bias_regularizer, activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)
        self.filters = positive_int(self.who, "filters", filters)
        self._weight_args("pointwise", pointwise_initializer, pointwise_regularizer, pointwise_constraint)

    def _out_channels(self, channels):
        return self.filters

    def _pointwise_shape(self, mid):
        return (1, 1, mid, self.filters)

    def build(self, input_shape):
        channels = self._channels(input_shape)
        mid = channels * self.depth_multiplier
        self.depthwise_kernel = self._add_weight_for("depthwise", self.kernel_size + (channels, self.depth_multiplier),
                                                     "depthwise_kernel")
        self.pointwise_kernel = self._add_weight_for("pointwise", self._pointwise_shape(mid), "pointwise_kernel")
        self._add_bias(self.filters)
        self._pin(channels)

    def _convolve(self, x):
        y = conv_ops.depthwise_conv2d(x, self.depthwise_kernel, None, self.strides, self.padding, self.dilation_rate)
        return conv_ops.conv2d(y, self.pointwise_kernel, self.bias)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, **self._weight_config("pointwise")}


class Conv1DTranspose(Conv2DTranspose):
    """1-D transposed convolution over (batch, steps, channels); kernel (k, filters, in), Keras's output length."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate, **kwargs)

    def _convolve(self, x):
        return conv_ops.conv1d_transpose(x, self.kernel, self.bias, self.strides, self.padding, self.output_padding,
                                         self.dilation_rate)


class DepthwiseConv1D(DepthwiseConv2D):
    """Per-channel 1-D convolution: kernel (k, in, depth_multiplier), output channel c * multiplier + j."""

    rank = 1

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None, dilation_rate=1,
                 **kwargs):
        super().__init__(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, **kwargs)

    def _convolve(self, x):
        return conv_ops.depthwise_conv1d(x, self.kernel, self.bias, self.strides, self.padding, self.dilation_rate)


class SeparableConv1D(SeparableConv2D):
    """Depthwise 1-D convolution followed by a pointwise one: depthwise_kernel (k, in, depth_multiplier),
    pointwise_kernel (1, in * depth_multiplier, filters), bias (filters,)."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         **kwargs)

    def _pointwise_shape(self, mid):
        return (1, mid, self.filters)

    def _convolve(self, x):
        y = conv_ops.depthwise_conv1d(x, self.depthwise_kernel, None, self.strides, self.padding, self.dilation_rate)
        return conv_ops.conv1d(y, self.pointwise_kernel, self.bias)


# Keras's aliases
Convolution1D, Convolution2D, Convolution2DTranspose = Conv1D, Conv2D, Conv2DTranspose
SeparableConvolution2D, SeparableConvolution1D = SeparableConv2D, SeparableConv1D
Convolution1DTranspose = Conv1DTranspose

__all__ = ["BaseConv", "Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D", "Conv1DTranspose",
           "DepthwiseConv1D", "SeparableConv1D", "Convolution1D", "Convolution2D", "Convolution2DTranspose",
           "SeparableConvolution2D", "SeparableConvolution1D", "Convolution1DTranspose"]
