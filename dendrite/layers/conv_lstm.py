"""Convolutional LSTM, as Keras 3 defines it: ConvLSTMCell and the layers ConvLSTM1D, ConvLSTM2D, ConvLSTM3D.

An LSTM whose input and recurrent transformations are convolutions: inputs are sequences of 1-D, 2-D or 3-D
images, (batch, time, *spatial, channels) or (batch, time, channels, *spatial) with channels_first; the
states h and c are images of ``filters`` channels. Per timestep, gates i, f, c, o (the kernels' last-axis
blocks, Keras's order):

    z = conv(x, kernel; strides, padding, dilation_rate) + bias + conv(h, recurrent_kernel; 1, 'same')
    c = f * c_prev + i * activation(z_c);   h = o * activation(c)

Weights are Keras's: kernel (*kernel_size, in_channels, 4 * filters), recurrent_kernel
(*kernel_size, filters, 4 * filters), bias (4 * filters,) with the forget block at one when
``unit_forget_bias``; the cell is named 'conv_lstm_cell', so Keras-written weight files load.
The layer is RNN(cell) (recurrent.py): masks, go_backwards, return_state, stateful, initial_state as there.
Dropout draws four masks per sequence (one per gate), in training only, as Keras's DropoutRNNCell.
"""
import numpy as np

from .. import activations, backend, regularizers
from ..autodiff import Tensor, ops
from ..autodiff.ops import conv as conv_ops
from ..autodiff.ops.conv3d import conv3d
from ..backend import standardize_data_format
from ..random import check_seed
from ..utils.validation import positive_int
from .base import Layer, to_tensor
from .convolutional import _choice
from .input_spec import InputSpec, normalize_tuple
from .recurrent import RNN

_CONV = {1: conv_ops.conv1d, 2: conv_ops.conv2d, 3: conv3d}


def _rate(who, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{who}: `{name}` must be a float in [0, 1]; received {name}={value!r}.")
    return min(1.0, max(0.0, float(value)))  # clipped, as Keras


class ConvLSTMCell(Layer):
    """One timestep of a convolutional LSTM: ``call(inputs, [h, c]) -> (h, [h, c])`` (see the module)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        who = self.who
        if rank not in (1, 2, 3):
            raise ValueError(f"{who}: `rank` must be 1, 2 or 3 (ConvLSTM1D/2D/3D); received rank={rank!r}.")
        self.rank = rank
        self.filters = positive_int(who, "filters", filters)
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size", self.name)
        self.strides = normalize_tuple(strides, rank, "strides", self.name)
        self.padding = _choice(padding, "padding", ("valid", "same"), who)
        self.data_format = standardize_data_format(data_format, who)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate", self.name)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{who}: `strides > 1` is not compatible with `dilation_rate > 1` (as in Keras). "
                             f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}. Use "
                             "strides=1 with dilation, or dilation_rate=1 with strides.")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.unit_forget_bias = bool(unit_forget_bias)
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_args("recurrent", recurrent_initializer, recurrent_regularizer, recurrent_constraint)
        self._weight_args("bias", bias_initializer, bias_regularizer, bias_constraint)
        self.dropout = _rate(who, "dropout", dropout)
        self.recurrent_dropout = _rate(who, "recurrent_dropout", recurrent_dropout)
        self.seed = check_seed(seed, who)
        self._rng = None if seed is None else np.random.default_rng(seed)
        self._dropout_mask = self._recurrent_dropout_mask = None
        self.spatial_dims = self.input_dim = None
        self.input_spec = InputSpec(ndim=rank + 2)

    # ------------------------------------------------------------- shapes
    @property
    def state_size(self):
        """The shape of h and of c (without the batch axis) once built; -1 before (as Keras's)."""
        if self.spatial_dims is None:
            return -1
        shape = self._conv_shape((None,) + self._step_shape())[1:]
        return [shape, shape]

    @property
    def output_size(self):
        size = self.state_size
        return None if size == -1 else size[0]

    def _step_shape(self):
        first = self.data_format == "channels_first"
        return (self.input_dim,) + self.spatial_dims if first else self.spatial_dims + (self.input_dim,)

    def _conv_shape(self, input_shape):
        first = self.data_format == "channels_first"
        spatial = input_shape[2:] if first else input_shape[1:-1]
        out = tuple(None if n is None else conv_ops.conv_output_length(n, k, s, d, self.padding)[0]
                    for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        return (input_shape[0], self.filters) + out if first else (input_shape[0],) + out + (self.filters,)

    def compute_output_shape(self, inputs_shape, states_shape=None):
        shape = self._conv_shape(tuple(inputs_shape))
        return shape, [shape, shape]

    def build(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        if len(inputs_shape) != self.rank + 2:
            raise ValueError(f"{self.who}: a timestep must have rank {self.rank + 2} (batch, spatial axes, channels); "
                             f"received shape {inputs_shape}.")
        first = self.data_format == "channels_first"
        spatial, channels = (inputs_shape[2:], inputs_shape[1]) if first else (inputs_shape[1:-1], inputs_shape[-1])
        if None in spatial:
            raise ValueError(f"{self.who}: ConvLSTM layers need static spatial sizes (as in Keras); received input "
                             f"shape {inputs_shape}. Give Input(shape=(time, ...)) with the image sizes.")
        if channels is None:
            raise ValueError(f"{self.who}: the channel axis of the inputs must be known; received input shape "
                             f"{inputs_shape}.")
        self.spatial_dims, self.input_dim = tuple(int(n) for n in spatial), int(channels)
        f = self.filters
        self.kernel = self._add_weight_for("kernel", self.kernel_size + (self.input_dim, 4 * f))
        self.recurrent_kernel = self._add_weight_for("recurrent", self.kernel_size + (f, 4 * f), "recurrent_kernel")
        if not self.use_bias:
            self.bias = None
        elif self.unit_forget_bias:
            init = self.bias_initializer

            def forget_ones(shape, dtype=None):  # Keras: bias_initializer for i, c, o and ones for f
                return np.concatenate([init((f,), dtype=dtype), np.ones(f, dtype), init((2 * f,), dtype=dtype)])
            self.bias = self.add_weight("bias", (4 * f,), forget_ones, regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        else:
            self.bias = self._add_weight_for("bias", (4 * f,))
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={1 if first else -1: self.input_dim})

    def get_initial_state(self, batch_size=None):
        shape = self._conv_shape((batch_size,) + self._step_shape())
        return [Tensor(np.zeros(shape, self.dtype)), Tensor(np.zeros(shape, self.dtype))]

    # ------------------------------------------------------------ dropout
    def _new_masks(self, value, rate):
        gen = self._rng or backend.rng()
        keep = gen.random((4,) + value.shape, dtype=value.dtype) >= value.dtype.type(rate)
        return keep * value.dtype.type(1.0 / (1.0 - rate))

    def get_dropout_mask(self, step_input):
        """The four input dropout masks of the current sequence (drawn on first use), or None."""
        if self._dropout_mask is None and 0 < self.dropout < 1:
            self._dropout_mask = self._new_masks(np.asarray(getattr(step_input, "value", step_input)), self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input):
        """The four recurrent dropout masks of the current sequence (drawn on first use), or None."""
        if self._recurrent_dropout_mask is None and 0 < self.recurrent_dropout < 1:
            value = np.asarray(getattr(step_input, "value", step_input))
            self._recurrent_dropout_mask = self._new_masks(value, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    # --------------------------------------------------------------- call
    def _last(self, x):
        return ops.transpose(x, (0,) + tuple(range(2, self.rank + 2)) + (1,)) if self.data_format == "channels_first" \
            else x

    def _gates(self, x, kernel, masks, **conv):
        """conv(x, kernel) in channels_last, the four gate blocks of the last axis stacked there; with per-gate
        dropout masks each block convolves its own masked input."""
        conv_fn = _CONV[self.rank]
        if masks is None:
            return conv_fn(x, kernel, None, **conv)
        f = self.filters
        blocks = [conv_fn(ops.multiply(x, m), ops.getitem(kernel, (Ellipsis, slice(g * f, (g + 1) * f))), None,
                          **conv) for g, m in enumerate(masks)]
        return ops.concatenate(blocks, axis=-1)

    def call(self, inputs, states, training=None):
        h, c = states
        first = self.data_format == "channels_first"
        dmask = self.get_dropout_mask(inputs) if training else None
        rmask = self.get_recurrent_dropout_mask(h) if training else None
        if first:  # the ops are channels_last: the masks move with their tensors
            dmask = None if dmask is None else np.moveaxis(dmask, 2, -1)
            rmask = None if rmask is None else np.moveaxis(rmask, 2, -1)
        x, h_last, c_last = self._last(inputs), self._last(h), self._last(c)
        z = self._gates(x, self.kernel, dmask, strides=self.strides, padding=self.padding,
                        dilation_rate=self.dilation_rate)
        z = ops.add(z, self._gates(h_last, self.recurrent_kernel, rmask, strides=1, padding="same"))
        if self.bias is not None:
            z = ops.add(z, self.bias)
        f = self.filters
        zi, zf, zc, zo = (ops.getitem(z, (Ellipsis, slice(g * f, (g + 1) * f))) for g in range(4))
        ract = self.recurrent_activation
        c_new = ops.add(ops.multiply(ract(zf), c_last), ops.multiply(ract(zi), self.activation(zc)))
        h_new = ops.multiply(ract(zo), self.activation(c_new))
        if first:
            back = (0, self.rank + 1) + tuple(range(1, self.rank + 1))
            h_new, c_new = ops.transpose(h_new, back), ops.transpose(c_new, back)
        return h_new, [h_new, c_new]

    def __call__(self, inputs, states, training=None):
        """One timestep on data (a standalone cell): ``(h, [h, c])``."""
        if not isinstance(inputs, Tensor):
            inputs = to_tensor(inputs, self.dtype)
        self._maybe_build(inputs.shape)
        self.input_spec.check(inputs.shape, self)
        states = [s if isinstance(s, Tensor) else to_tensor(s, inputs.dtype) for s in states]
        return self.call(inputs, states, training=training)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation), "use_bias": self.use_bias,
                "kernel_initializer": self._weight_config("kernel")["kernel_initializer"],
                "recurrent_initializer": self._weight_config("recurrent")["recurrent_initializer"],
                "bias_initializer": self._weight_config("bias")["bias_initializer"],
                "unit_forget_bias": self.unit_forget_bias,
                **{k: v for k, v in self._weight_config("kernel", "recurrent", "bias").items()
                   if not k.endswith("_initializer")},
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


_CELL_ARGS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
              "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
              "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout")


class ConvLSTM(RNN):
    """RNN(ConvLSTMCell): the base of ConvLSTM1D/2D/3D (``rank`` spatial axes); the cell's arguments read
    through the layer, and the config is theirs with the RNN's, as Keras's."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(self.rank, filters, kernel_size, strides=strides, padding=padding,
                            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                            recurrent_activation=recurrent_activation, use_bias=use_bias,
                            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, name="conv_lstm_cell",
                            dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, activity_regularizer=activity_regularizer,
                         **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def _check_rank(self, shape):
        if len(shape) != self.rank + 3:
            first = self.cell.data_format == "channels_first"
            spatial = ", ".join(("depth", "height", "width")[3 - self.rank:]) if self.rank > 1 else "steps"
            layout = f"(batch, time, channels, {spatial})" if first else f"(batch, time, {spatial}, channels)"
            raise ValueError(f"{self.who} expects inputs of rank {self.rank + 3}, {layout}; received an input of "
                             f"shape {tuple(shape)} (rank {len(shape)}).")

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        self._check_rank(input_shape)
        super().build(input_shape)
        first = self.cell.data_format == "channels_first"
        self.input_spec = InputSpec(ndim=self.rank + 3, axes={2 if first else -1: self.cell.input_dim})

    def compute_output_shape(self, input_shape, initial_state_shape=None):
        input_shape = tuple(input_shape)
        self._check_rank(input_shape)
        batch = input_shape[0]
        state = self.cell._conv_shape((batch,) + input_shape[2:])
        out = (batch, input_shape[1]) + state[1:] if self.return_sequences else state
        return [out, state, state] if self.return_state else out

    @staticmethod
    def _reset_dropout(cell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell.pop(key, None)
        return {**config, **cell, "activity_regularizer": regularizers.serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


for _arg in _CELL_ARGS:
    setattr(ConvLSTM, _arg, property(lambda self, _arg=_arg: getattr(self.cell, _arg)))


class ConvLSTM1D(ConvLSTM):
    """Convolutional LSTM over sequences of 1-D signals, (batch, time, steps, channels)."""

    rank = 1


class ConvLSTM2D(ConvLSTM):
    """Convolutional LSTM over sequences of images, (batch, time, height, width, channels)."""

    rank = 2


class ConvLSTM3D(ConvLSTM):
    """Convolutional LSTM over sequences of volumes, (batch, time, depth, height, width, channels)."""

    rank = 3
