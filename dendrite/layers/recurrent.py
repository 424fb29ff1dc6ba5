"""Recurrent layers, as Keras 3 defines them: RNN(cell), SimpleRNN, LSTM and GRU.

Inputs are (batch, timesteps, features). ``call(inputs, initial_state=None, mask=None, training=None)``
(Keras 3's order) returns the last output (batch, units), or all of them with ``return_sequences`` (in
processing order, so reversed with ``go_backwards``, as Keras), and [output, *final states] with
``return_state``.

The built-in cells (SimpleRNNCell, LSTMCell, GRUCell, with tanh, sigmoid, relu, hard_sigmoid or linear
activations), alone or stacked, run the whole sequence as one op each with its own backward pass
(dendrite.autodiff.ops.recurrent); any other cell steps through its ``call`` with autodiff ops.
Masking, dropout and statefulness follow Keras: see RNN.
"""
import numpy as np

from .. import regularizers
from ..autodiff import Tensor, Variable, array_of, ops
from .base import KerasTensor, Layer, to_tensor
from .input_spec import InputSpec
from .node import is_symbolic
from .rnn_cells import (GRUCell, LSTMCell, SimpleRNNCell, StackedRNNCells, _Cell, call_cell, cell_initial_state,
                        deserialize_layer, serialize_layer)


class SequenceSpec(InputSpec):
    """The input check of a sequence layer: (batch, timesteps, features), errors naming the layer and the fix."""

    def check(self, shape, layer):
        try:
            super().check(shape, layer)
        except ValueError as e:
            shape = tuple(shape)
            if len(shape) == 2:
                hint = (f"{type(layer).__name__} takes sequences of shape (batch, timesteps, features): add the "
                        f"missing axis, e.g. x[..., None] for one feature per timestep (shape {shape + (1,)}) or "
                        f"x[:, None] for a single timestep (shape {shape[:1] + (1,) + shape[1:]}).")
            elif self.axes and len(shape) >= 3:
                size = self.axes[-1]
                hint = (f"{layer.who} was built for {size} features per timestep: give it inputs of shape "
                        f"(batch, timesteps, {size}), or use a new layer for {shape[-1]} features.")
            else:
                hint = "Reshape the input to (batch, timesteps, features)."
            raise ValueError(f"{layer.who}: {e} {hint}") from None


def _flatten(states):
    out = []
    for s in states:
        out.extend(_flatten(s) if isinstance(s, (list, tuple)) else [s])
    return out


def _fits(shape, expected):
    """Whether the sizes of ``shape`` agree with ``expected`` where both are known."""
    return len(shape) == len(expected) and all(a is None or b is None or a == b for a, b in zip(shape, expected))


def _column(m, like):
    """A (batch,) mask shaped to broadcast over ``like`` (batch, ...)."""
    return m.reshape((-1,) + (1,) * (len(like.shape) - 1))


def _pack(structure, flat):
    """``flat`` (an iterator) in the nesting of ``structure``."""
    return [_pack(s, flat) if isinstance(s, (list, tuple)) else next(flat) for s in structure]


class ListOutputs(Layer):
    """A layer whose eager call may return a list ([output, *states], or two outputs): its ``call`` computes
    the list through ``_outputs``; ``__call__`` runs the Layer machinery on the first entry. On symbolic
    tensors compute_output_shape gives a list of shapes for a list, and the call gives a KerasTensor each;
    ``mask`` and ``initial_state`` are then tensors of the graph too (an encoder's states, a mask input),
    checked here and recorded with the call's node, as Keras 3 records them."""

    supports_masking = True  # consumes the input's mask (masked steps are skipped) and keeps it on sequences

    def _returns_list(self):
        return self.return_state

    def compute_mask(self, inputs, mask=None):
        """The output's mask: the input's for a returned sequence, none for a last step (as Keras 3)."""
        return mask if self.return_sequences else None

    def __call__(self, inputs, initial_state=None, mask=None, training=None, **kwargs):
        # the positional order of Keras 3's RNN.call(sequences, initial_state, mask, training) and tf.keras 2's
        # RNN.__call__(inputs, initial_state, ...): a step-by-step loop writes ``state = rnn(x_t, state)``
        if isinstance(inputs, KerasTensor):
            # a functional model's call: the mask and the states are tensors of the graph, recorded on the node
            if mask is not None:
                kwargs["mask"] = self._symbolic_mask(mask, inputs)
            if initial_state is not None:
                kwargs["initial_state"] = self._symbolic_states(initial_state)
            return super().__call__(inputs, training=training, **kwargs)
        if is_symbolic(mask) or is_symbolic(initial_state):
            raise ValueError(f"{self.who}: `mask` or `initial_state` is a symbolic tensor but the input is data "
                             f"({type(inputs).__name__}); give symbolic tensors for all of them (a functional "
                             "model) or data for all of them.")
        rest = []
        out = super().__call__(inputs, training=training, mask=mask, initial_state=initial_state, _rest=rest,
                               **kwargs)
        return [out] + rest if self._returns_list() else out

    def _state_shapes(self):
        """The shapes of the states ``initial_state`` gives, flat and without the batch axis."""
        raise NotImplementedError

    def _symbolic_mask(self, mask, inputs):
        if not isinstance(mask, KerasTensor):
            raise ValueError(f"{self.who}: on a symbolic input, `mask` must be a symbolic tensor too (from "
                             f"Input(...) or a layer), of shape (batch, timesteps); received {type(mask).__name__}.")
        if len(mask.shape) != 2 or not _fits(mask.shape[1:], inputs.shape[1:2]):
            raise ValueError(f"{self.who}: `mask` must have shape (batch, timesteps) = {(None,) + inputs.shape[1:2]}, "
                             f"True at the timesteps to use; received a tensor of shape {mask.shape}.")
        return mask

    def _symbolic_states(self, initial_state):
        given = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        flat = _flatten(given)
        if not all(isinstance(s, KerasTensor) for s in flat):
            raise ValueError(f"{self.who}: on a symbolic input, `initial_state` must hold symbolic tensors too (from "
                             f"Input(...) or a layer, such as an encoder's return_state outputs); received "
                             f"{[type(s).__name__ for s in flat]}.")
        expected = self._state_shapes()
        if len(flat) != len(expected) or not all(len(s.shape) == 1 + len(e) and _fits(s.shape[1:], e)
                                                 for s, e in zip(flat, expected)):
            raise ValueError(f"{self.who}: `initial_state` must hold {len(expected)} tensor(s) of shapes "
                             f"{[(None,) + e for e in expected]}; received shapes {[s.shape for s in flat]}.")
        return given

    def call(self, inputs, initial_state=None, mask=None, training=None, _rest=None):
        outputs = self._outputs(inputs, mask, training, initial_state)
        if _rest is not None:
            _rest.extend(outputs[1:])
            return outputs[0]
        return outputs if self._returns_list() else outputs[0]


class RNN(ListOutputs):
    """Runs ``cell`` (or StackedRNNCells(list of cells)) over the timesteps.

    Masking (a boolean ``mask`` of shape (batch, timesteps)): at a False step a sample keeps its states and
    its output is its previous output (zeros before the first), or zeros with ``zero_output_for_mask``
    (which Bidirectional sets when it returns sequences). Dropout masks are drawn once per call, in training
    only. ``stateful``: the final states of a call are the initial states of the next (for a fixed batch
    size) until ``reset_states()``. ``unroll`` is accepted and changes nothing.
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        super().__init__(**kwargs)
        if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size", None) is None:
            raise ValueError(f"{self.who}: `cell` must have a `call(inputs, states)` method and a `state_size` "
                             f"attribute (an int, or a list of ints, one per state); received cell={cell!r}.")
        self.cell = cell
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), bool(stateful)
        self.unroll, self.zero_output_for_mask = bool(unroll), bool(zero_output_for_mask)
        self.states = None
        self.input_spec = SequenceSpec(min_ndim=3)

    @property
    def state_size(self):
        size = self.cell.state_size
        return list(size) if isinstance(size, (list, tuple)) else [size]

    def build(self, input_shape):
        step = (input_shape[0],) + tuple(input_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._maybe_build(step)
        self.input_spec = SequenceSpec(ndim=3 if isinstance(self.cell, _Cell) else None,
                                       min_ndim=None if isinstance(self.cell, _Cell) else 3,
                                       axes={-1: input_shape[-1]})
        if self.stateful:
            if input_shape[0] is None:
                raise ValueError(
                    f"{self.who}: when using `stateful=True` in a RNN, the batch size must be static. Found dynamic "
                    f"batch size: sequence.shape={tuple(input_shape)}. Give the model a fixed batch size, e.g. "
                    "Input(batch_shape=(batch, timesteps, features)).")
            self.states = [Variable(np.asarray(array_of(s), self.dtype), trainable=False, name="rnn_state")
                           for s in _flatten(self.get_initial_state(input_shape[0]))]

    def _state_shapes(self):
        return [tuple(np.shape(array_of(s)))[1:] for s in _flatten(self.get_initial_state(1))]

    def get_initial_state(self, batch_size):
        """The cell's initial states for ``batch_size`` samples (zeros for the built-in cells)."""
        return cell_initial_state(self.cell, batch_size, self.dtype)

    def reset_state(self):
        """Zero the states of a stateful layer."""
        for v in self.states or ():
            v.value[...] = 0

    reset_states = reset_state  # the Keras 2 spelling Keras 3 keeps

    def compute_output_shape(self, input_shape):
        batch = input_shape[0]
        size = getattr(self.cell, "output_size", None) or self.state_size[0]
        out = (batch, input_shape[1], size) if self.return_sequences else (batch, size)
        if not self.return_state:
            return out
        # the states as the call returns them after the output: a list for a cell with several (stacked cells)
        return [out] + [[(batch, t) for t in s] if isinstance(s, (list, tuple)) else (batch, s)
                        for s in self.state_size]

    # ------------------------------------------------------------ the call
    def _initial(self, initial_state, x):
        n = x.shape[0]
        if initial_state is None and self.stateful:
            if n != self.states[0].shape[0]:
                size = self.states[0].shape[0]
                raise ValueError(f"{self.who}: this stateful layer keeps states for batches of {size} samples; "
                                 f"received a batch of {n}. Feed batches of that size (e.g. fit(..., "
                                 f"batch_size={size}, shuffle=False)), or use a new layer for another batch size.")
            flat = [Tensor(v.value.astype(x.dtype)) for v in self.states]  # a copy: the variables change later
        else:
            structure = self.get_initial_state(n)
            if initial_state is None:
                flat = _flatten(structure)
            else:
                given = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
                flat = _flatten(given)
                shapes = [tuple(array_of(s).shape) for s in _flatten(structure)]
                if [tuple(np.shape(array_of(s))) for s in flat] != shapes:
                    raise ValueError(f"{self.who}: `initial_state` must hold {len(shapes)} array(s) of shapes "
                                     f"{shapes} for this batch; received shapes "
                                     f"{[tuple(np.shape(array_of(s))) for s in flat]}.")
            flat = [s if isinstance(s, Tensor) and s.dtype == x.dtype else to_tensor(array_of(s), x.dtype)
                    for s in flat]
        return flat

    def _check_mask(self, mask, x):
        if mask is None:
            return None
        mask = np.asarray(array_of(mask))
        if mask.shape != tuple(x.shape[:2]):
            raise ValueError(f"{self.who}: `mask` must have shape (batch, timesteps) = {tuple(x.shape[:2])}, True at "
                             f"the timesteps to use; received shape {mask.shape}.")
        return mask.astype(bool)

    def _outputs(self, inputs, mask, training, initial_state):
        mask = self._check_mask(mask, inputs)
        flat = self._initial(initial_state, inputs)
        cells = self.cell.cells if isinstance(self.cell, StackedRNNCells) else [self.cell]
        if all(isinstance(c, _Cell) and c.fusable() for c in cells):
            output, states = self._fused(cells, inputs, flat, mask, training)
        else:
            output, states = self._loop(inputs, flat, mask, training)
        self._reset_dropout(self.cell)
        if self.stateful:
            for v, s in zip(self.states, _flatten(states)):
                v.value[...] = s.value
        return [output] + (list(states) if self.return_state else [])

    def _fused(self, cells, x, flat, mask, training):
        """The built-in cells' fused ops: (output, final states). Stacked cells run one after the other over
        the whole sequence (the same result as stepping them together: a masked step keeps every cell's
        states and output); after a go_backwards first cell the sequence is already in processing order."""
        want_states = self.return_state or self.stateful
        entries = _pack(self.get_initial_state(x.shape[0]), iter(flat))
        stacked = isinstance(self.cell, StackedRNNCells)
        per_cell = entries if stacked else [entries]
        backwards, finals = self.go_backwards, []
        for k, (cell, states) in enumerate(zip(cells, per_cell)):
            last = k == len(cells) - 1
            out = cell.fused(x, states, mask, training, go_backwards=backwards,
                             return_sequences=self.return_sequences or not last, return_state=want_states,
                             zero_output_for_mask=self.zero_output_for_mask)
            x, final = (out[0], out[1:]) if want_states else (out, None)
            finals.append(final)
            if backwards:
                mask, backwards = (None if mask is None else mask[:, ::-1]), False
        return x, (finals if stacked else finals[0])

    def _loop(self, x, flat, mask, training):
        """The sequence through the cell's ``call``, one timestep at a time: (output, final states)."""
        n, t = x.shape[:2]
        states = _pack(self.get_initial_state(n), iter(flat))  # the cell's nesting: [h, c], [[h1], [h2, c2]]
        outs = []
        for s in (range(t - 1, -1, -1) if self.go_backwards else range(t)):
            out, new = call_cell(self.cell, ops.getitem(x, (slice(None), s)), states, training)
            if mask is not None:  # (batch,) as a column that broadcasts over each tensor (images for ConvLSTM)
                m = mask[:, s]
                new = _pack(new, iter([ops.where(_column(m, a), a, b) for a, b in zip(_flatten(new), _flatten(states))]))
                prev = outs[-1] if outs and not self.zero_output_for_mask else np.zeros(out.shape, out.dtype)
                out = ops.where(_column(m, out), out, prev)
            states = new
            outs.append(out)
        return (ops.stack(outs, axis=1) if self.return_sequences else outs[-1]), states

    @staticmethod
    def _reset_dropout(cell):
        for c in getattr(cell, "cells", [cell]):
            if isinstance(c, _Cell):
                c.reset_dropout_mask()
                c.reset_recurrent_dropout_mask()

    # ------------------------------------------------------------- config
    def get_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask, "cell": serialize_layer(self.cell)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(deserialize_layer(config.pop("cell"), cls.__name__), **config)


_LAYER_ARGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask",
               "name", "trainable", "dtype", "input_shape", "input_dim", "batch_input_shape", "batch_size")


class _BuiltinRNN(RNN):
    """SimpleRNN, LSTM and GRU: an RNN over their own cell (named like Keras's, e.g. 'lstm_cell'), whose
    arguments they take and show as attributes; their config is the cell's arguments with the RNN's."""

    cell_class = cell_name = None

    def __init__(self, units, activity_regularizer=None, use_cudnn="auto", **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"{type(self).__name__}: `use_cudnn` must be one of 'auto', True, False; received "
                             f"use_cudnn={use_cudnn!r}.")
        layer_args = {k: kwargs.pop(k) for k in _LAYER_ARGS if k in kwargs}
        try:
            cell = self.cell_class(units, dtype=layer_args.get("dtype"), trainable=layer_args.get("trainable", True),
                                   name=self.cell_name, **kwargs)
        except TypeError as e:  # an unknown argument: named for this layer, not its cell
            raise TypeError(str(e).replace(self.cell_class.__name__, type(self).__name__, 1)) from None
        super().__init__(cell, activity_regularizer=activity_regularizer, **layer_args)
        self.use_cudnn = use_cudnn
        self.input_spec = SequenceSpec(ndim=3)

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell.pop(key)
        return {**config, **cell, "activity_regularizer": regularizers.serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# the cell's arguments read through the layer, as Keras's layers show them
for _arg in ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
             "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
             "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
             "reset_after", "implementation"):
    setattr(_BuiltinRNN, _arg, property(lambda self, _arg=_arg: getattr(self.cell, _arg)))


class SimpleRNN(_BuiltinRNN):
    """A fully connected RNN: ``h = activation(x @ kernel + h_prev @ recurrent_kernel + bias)``."""

    cell_class, cell_name = SimpleRNNCell, "simple_rnn_cell"

    def get_config(self):
        config = super().get_config()
        del config["seed"]  # Keras 3's SimpleRNN config has no seed (its LSTM and GRU configs have)
        return config


class LSTM(_BuiltinRNN):
    """Long Short-Term Memory (Hochreiter & Schmidhuber, 1997); gates i, f, c, o; states [h, c]."""

    cell_class, cell_name = LSTMCell, "lstm_cell"


class GRU(_BuiltinRNN):
    """Gated Recurrent Unit (Cho et al., 2014); gates z, r, h; ``reset_after=True`` by default (Keras 3)."""

    cell_class, cell_name = GRUCell, "gru_cell"
