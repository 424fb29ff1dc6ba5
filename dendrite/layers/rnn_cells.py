"""Recurrent cells, as Keras 3 defines them: SimpleRNNCell, LSTMCell, GRUCell (one timestep,
``call(inputs, states, training=None) -> (output, new_states)``) and StackedRNNCells.

A cell's ``call`` is written with autodiff ops (what the generic RNN loop and a standalone cell run);
``fused`` hands the RNN layer the one-op whole-sequence version of the same cell
(dendrite.autodiff.ops.recurrent), which the built-in layers use. Weights are in Keras's layout and gate
order (see that module), so weights copied from Keras give the same outputs.

Dropout (Keras's DropoutRNNCell): a mask is drawn once per sequence (the RNN layer resets it after each
call) and applies to every timestep, in training only. The LSTM and GRU cells draw one mask per gate
when recurrent_dropout > 0 (Keras's implementation 1), else one mask shared by all gates.
"""
import inspect

import numpy as np

from .. import activations, backend
from ..autodiff import Tensor, array_of, ops
from ..autodiff.ops import recurrent as fused_ops
from ..random import check_seed
from ..utils.validation import is_int
from .base import KerasTensor, Layer, to_tensor
from .input_spec import InputSpec

#: the activation functions the fused ops compute, by function
_FUSED = {getattr(activations, name): name for name in fused_ops.ACTIVATIONS}


def serialize_layer(layer):
    """A layer (or cell) as Keras's nested configs hold it (dendrite.saving's format)."""
    from ..saving import serialize_keras_object
    return serialize_keras_object(layer)


def deserialize_layer(spec, owner):
    """The layer a nested config describes (Keras's or dendrite's): dendrite's own classes, registered ones and
    those of an active custom_object_scope only; an instance is passed through."""
    if isinstance(spec, Layer):
        return spec
    from ..saving.builtin_objects import layer_classes
    from ..saving.serialization import deserialize_keras_object
    return deserialize_keras_object(spec, module_objects=layer_classes(), printable_module_name="layer",
                                    owner=f"{owner}.from_config")


def _masked_matmul(a, w, masks):
    """``a @ w`` with dropout masks (autodiff ops): one mask for all columns, or the g-th column block of w
    fed ``a * masks[g]`` for a per-gate stack."""
    if masks is None:
        return ops.matmul(a, w)
    if masks.ndim == 2:
        return ops.matmul(ops.multiply(a, masks), w)
    k = w.shape[1] // len(masks)
    return ops.concatenate([ops.matmul(ops.multiply(a, m), ops.getitem(w, (slice(None), slice(g * k, (g + 1) * k))))
                            for g, m in enumerate(masks)], axis=-1)


def _split(z, n):
    """The n equal column blocks of z."""
    k = z.shape[-1] // n
    return [ops.getitem(z, (slice(None), slice(g * k, (g + 1) * k))) for g in range(n)]


class _Cell(Layer):
    """What the built-in cells share: units, activation, the three weights' arguments, dropout masks,
    state and output sizes, initial states and a standalone ``__call__(inputs, states, training)``."""

    gates = 1

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 implementation=2, **kwargs):
        super().__init__(**kwargs)
        if not is_int(units) or units <= 0:
            raise ValueError(f"{self.who}: expected a positive integer for `units`. Received: units={units!r}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_args("recurrent", recurrent_initializer, recurrent_regularizer, recurrent_constraint)
        self._weight_args("bias", bias_initializer, bias_regularizer, bias_constraint)
        for arg, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)):
                raise ValueError(f"{self.who}: `{arg}` must be a float in [0, 1]; received {arg}={rate!r}.")
        self.dropout = min(1.0, max(0.0, float(dropout)))  # clipped to [0, 1], as Keras
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = check_seed(seed, self.who)
        self._rng = None if seed is None else np.random.default_rng(seed)  # Keras's SeedGenerator(seed)
        self.implementation = 1 if self.recurrent_dropout else implementation
        self._dropout_mask = self._recurrent_dropout_mask = None
        self.input_spec = InputSpec(min_ndim=2)

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        g = self.gates
        self.kernel = self._add_weight_for("kernel", (input_shape[-1], g * self.units))
        self.recurrent_kernel = self._add_weight_for("recurrent", (self.units, g * self.units), "recurrent_kernel")
        self.bias = self._build_bias() if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

    def _build_bias(self):
        return self._add_weight_for("bias", (self.gates * self.units,))

    # --------------------------------------------------------------- dropout
    def _new_mask(self, step_input, rate):
        value = step_input.value if isinstance(step_input, Tensor) else np.asarray(step_input)
        count = self.gates if self.implementation == 1 and self.gates > 1 else None
        shape = value.shape if count is None else (count,) + value.shape
        gen = self._rng or backend.rng()
        keep = gen.random(shape, dtype=value.dtype) >= value.dtype.type(rate)
        return keep * value.dtype.type(1.0 / (1.0 - rate))

    def get_dropout_mask(self, step_input):
        """The input dropout mask of the current sequence (drawn on first use), or None."""
        if self._dropout_mask is None and 0 < self.dropout < 1:
            self._dropout_mask = self._new_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input):
        """The recurrent dropout mask of the current sequence (drawn on first use), or None."""
        if self._recurrent_dropout_mask is None and 0 < self.recurrent_dropout < 1:
            self._recurrent_dropout_mask = self._new_mask(step_input, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    def _masks(self, inputs, h, training):
        """(input mask, recurrent mask) that apply in this call: None unless training."""
        if not training:
            return None, None
        return self.get_dropout_mask(inputs), self.get_recurrent_dropout_mask(h)

    # ------------------------------------------------------------ the call
    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [Tensor(np.zeros((batch_size, s), self.dtype)) for s in sizes]

    def __call__(self, inputs, states, training=None):
        if isinstance(inputs, KerasTensor):
            raise NotImplementedError(f"{self.who}: a cell runs one timestep on data; wrap it in RNN(cell) to use "
                                      "it on a symbolic input.")
        if not isinstance(inputs, Tensor):
            inputs = to_tensor(inputs, self.dtype)
        self._maybe_build(inputs.shape)
        self.input_spec.check(inputs.shape, self)
        as_list = isinstance(states, (list, tuple))
        states = [s if isinstance(s, Tensor) else to_tensor(s, inputs.dtype) for s in (states if as_list else [states])]
        return self.call(inputs, states if as_list else states[0], training=training)

    def _activation_names(self):
        return _FUSED.get(self.activation), _FUSED.get(getattr(self, "recurrent_activation", activations.sigmoid))

    def fusable(self):
        """Whether the fused op computes this cell's activations (see ``fused``)."""
        return None not in self._activation_names()

    def fused(self, x, states, mask, training, **options):
        """The whole sequence through the fused op (dendrite.autodiff.ops.recurrent): what RNN(cell)
        computes with this cell stepping through ``call``; ``options`` are the op's."""
        dmask, rmask = self._masks(array_of(x)[:, 0], array_of(states[0]), training)
        return self._fused(x, states, mask, self._activation_names(), dmask, rmask, **options)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, **self._weight_config("kernel", "recurrent", "bias"),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


class SimpleRNNCell(_Cell):
    """``h = activation(x @ kernel + h_prev @ recurrent_kernel + bias)``; state [h]."""

    def call(self, inputs, states, training=None):
        h = states[0] if isinstance(states, (list, tuple)) else states
        dmask, rmask = self._masks(inputs, h, training)
        y = ops.add(_masked_matmul(inputs, self.kernel, dmask), _masked_matmul(h, self.recurrent_kernel, rmask))
        y = self.activation(y if self.bias is None else ops.add(y, self.bias))
        return y, ([y] if isinstance(states, (list, tuple)) else y)

    def _fused(self, x, states, mask, names, dmask, rmask, **options):
        return fused_ops.simple_rnn(x, self.kernel, self.recurrent_kernel, self.bias, states, mask, names[0],
                                    dropout_mask=dmask, recurrent_dropout_mask=rmask, **options)


class _GatedCell(_Cell):
    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", **kwargs):
        super().__init__(units, activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)

    def get_config(self):
        config = super().get_config()
        return {**config, "recurrent_activation": activations.serialize(self.recurrent_activation)}


class LSTMCell(_GatedCell):
    """Gates i, f, c, o in the kernels' column blocks; states [h, c]:
    ``c = f * c_prev + i * activation(z_c)``, ``h = o * activation(c)``."""

    gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, **kwargs):
        super().__init__(units, activation, recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self):
        return [self.units, self.units]

    def _build_bias(self):
        if not self.unit_forget_bias:
            return super()._build_bias()
        u, init = self.units, self.bias_initializer

        def forget_ones(shape, dtype=None):  # Keras: bias_initializer for i, c, o and ones for f
            return np.concatenate([init((u,), dtype=dtype), np.ones(u, dtype), init((2 * u,), dtype=dtype)])
        return self.add_weight("bias", (4 * u,), forget_ones, regularizer=self.bias_regularizer,
                               constraint=self.bias_constraint)

    def call(self, inputs, states, training=None):
        h, c = states
        dmask, rmask = self._masks(inputs, h, training)
        z = ops.add(_masked_matmul(inputs, self.kernel, dmask), _masked_matmul(h, self.recurrent_kernel, rmask))
        if self.bias is not None:
            z = ops.add(z, self.bias)
        zi, zf, zc, zo = _split(z, 4)
        ract = self.recurrent_activation
        c = ops.add(ops.multiply(ract(zf), c), ops.multiply(ract(zi), self.activation(zc)))
        h = ops.multiply(ract(zo), self.activation(c))
        return h, [h, c]

    def _fused(self, x, states, mask, names, dmask, rmask, **options):
        return fused_ops.lstm(x, self.kernel, self.recurrent_kernel, self.bias, states, mask, *names,
                              dropout_mask=dmask, recurrent_dropout_mask=rmask, **options)

    def get_config(self):
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class GRUCell(_GatedCell):
    """Gates z, r, h in the kernels' column blocks; state [h]; ``h = z * h_prev + (1 - z) * hh``. With
    ``reset_after`` (Keras 3's default) the bias is (2, 3u), inputs' row then recurrent row, and
    ``hh = activation(x_h + r * (h_prev @ U_h + b_rh))``; else bias (3u,) and
    ``hh = activation(x_h + (r * h_prev) @ U_h)``."""

    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        super().__init__(units, activation, recurrent_activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                         kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                         seed=seed, **kwargs)
        self.reset_after = bool(reset_after)

    def _build_bias(self):
        shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        return self._add_weight_for("bias", shape)

    def call(self, inputs, states, training=None):
        h = states[0] if isinstance(states, (list, tuple)) else states
        dmask, rmask = self._masks(inputs, h, training)
        u, b = self.units, self.bias
        xz = _masked_matmul(inputs, self.kernel, dmask)
        if b is not None:
            xz = ops.add(xz, ops.getitem(b, 0) if self.reset_after else b)
        x_z, x_r, x_h = _split(xz, 3)
        ract, rk = self.recurrent_activation, self.recurrent_kernel
        if self.reset_after:
            rec = _masked_matmul(h, rk, rmask)
            if b is not None:
                rec = ops.add(rec, ops.getitem(b, 1))
            r_z, r_r, r_h = _split(rec, 3)
            z, r = ract(ops.add(x_z, r_z)), ract(ops.add(x_r, r_r))
            hh = self.activation(ops.add(x_h, ops.multiply(r, r_h)))
        else:
            rk_zr, rk_h = (ops.getitem(rk, (slice(None), cols)) for cols in (slice(0, 2 * u), slice(2 * u, 3 * u)))
            r_z, r_r = _split(_masked_matmul(h, rk_zr, fused_ops.gate_blocks(rmask, 0, 2)), 2)
            z, r = ract(ops.add(x_z, r_z)), ract(ops.add(x_r, r_r))
            r_h = _masked_matmul(ops.multiply(r, h), rk_h, fused_ops.gate_blocks(rmask, 2, 3))
            hh = self.activation(ops.add(x_h, r_h))
        h_new = ops.add(hh, ops.multiply(z, ops.subtract(h, hh)))
        return h_new, ([h_new] if isinstance(states, (list, tuple)) else h_new)

    def _fused(self, x, states, mask, names, dmask, rmask, **options):
        return fused_ops.gru(x, self.kernel, self.recurrent_kernel, self.bias, states, mask, *names, self.reset_after,
                             dropout_mask=dmask, recurrent_dropout_mask=rmask, **options)

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


class StackedRNNCells(Layer):
    """A list of cells run as one: each timestep goes through the cells in order, each cell's output the
    next one's input. ``state_size`` lists the cells' state sizes."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        cells = list(cells)
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
                raise ValueError(f"{self.who}: every cell must have a `call` method and a `state_size` attribute; "
                                 f"received {cell!r}.")
        if not cells:
            raise ValueError(f"{self.who}: `cells` must hold at least one cell.")
        self.cells = cells  # a list of layers: tracked as sublayers (Layer.__setattr__)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        return [cell_initial_state(cell, batch_size, self.dtype) for cell in self.cells]

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._maybe_build(tuple(input_shape))
            input_shape = (input_shape[0], _output_size(cell))

    def call(self, inputs, states, training=None):
        new_states = []
        for cell, state in zip(self.cells, states):
            nested = isinstance(state, (list, tuple))
            inputs, state = call_cell(cell, inputs, list(state) if nested else [state], training)
            new_states.append(state if nested or len(state) != 1 else state[0])
        return inputs, new_states

    def get_config(self):
        return {**super().get_config(), "cells": [serialize_layer(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        cells = [deserialize_layer(c, cls.__name__) for c in config.pop("cells")]
        return cls(cells, **config)


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) else cell.state_size


def cell_initial_state(cell, batch_size, dtype):
    """A cell's initial states: its get_initial_state, else zeros of its state sizes (as Keras)."""
    get = getattr(cell, "get_initial_state", None)
    if get is not None:
        states = get(batch_size=batch_size)
        return list(states) if isinstance(states, (list, tuple)) else [states]
    sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
    return [Tensor(np.zeros((batch_size, s), dtype)) for s in sizes]


def call_cell(cell, inputs, states, training):
    """One timestep of any cell: (output, new states as a list). A cell's ``call`` takes ``training`` only
    if its signature has it (custom cells often do not)."""
    try:
        takes_training = "training" in inspect.signature(cell.call).parameters
    except (TypeError, ValueError):
        takes_training = False
    out, new = cell.call(inputs, states, training=training) if takes_training else cell.call(inputs, states)
    return out, (list(new) if isinstance(new, (list, tuple)) else [new])
