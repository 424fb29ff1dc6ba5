"""Layer wrappers, as Keras 3 defines them: Bidirectional (an RNN run forwards and backwards, outputs
merged), TimeDistributed (a layer applied to every timestep) and Wrapper (the base class of custom wrappers)."""
from ..autodiff import ops
from .base import Layer
from .input_spec import InputSpec
from .recurrent import ListOutputs, SequenceSpec
from .rnn_cells import deserialize_layer, serialize_layer

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy(layer, name, **changes):
    """A new layer from ``layer``'s config (fresh weights), renamed, with ``changes``."""
    config = {**layer.get_config(), "name": name, **changes}
    return type(layer).from_config(config)


def _strip(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(ListOutputs):
    """Runs a copy of ``layer`` forwards and one backwards (``go_backwards``; or ``backward_layer``), both
    made from the layer's config (named forward_<name> and backward_<name>, fresh weights, as Keras), and
    merges their outputs: 'concat' (default), 'sum', 'mul', 'ave', or None for the list [forward, backward].
    With ``return_sequences`` the backward outputs are put back in time order first, and masked timesteps
    give zeros (Keras sets the RNNs' zero_output_for_mask). With ``return_state`` the forward states then
    the backward states follow the output; an ``initial_state`` list is split in halves the same way."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Bidirectional: `layer` must be a layer instance, e.g. LSTM(32); received {layer!r}.")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"Bidirectional: `backward_layer` must be a layer instance or None; received "
                             f"{backward_layer!r}.")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Bidirectional: invalid merge mode. Received: merge_mode={merge_mode!r}. Merge mode "
                             "should be one of {'sum', 'mul', 'ave', 'concat', None}.")
        super().__init__(**kwargs)
        if not hasattr(layer, "go_backwards"):
            raise ValueError(f"{self.who}: `layer` must be a recurrent layer (LSTM, GRU, SimpleRNN or RNN(cell)), "
                             f"which can run backwards; received {layer.who}.")
        self.forward_layer = _copy(layer, "forward_" + _strip(layer.name, "forward_"))
        if backward_layer is None:
            backward_layer = _copy(layer, "backward_" + _strip(layer.name, "backward_"), go_backwards=True)
        self.backward_layer = backward_layer
        if self.forward_layer.go_backwards == self.backward_layer.go_backwards:
            raise ValueError(f"{self.who}: the forward and backward layers must have different `go_backwards` "
                             f"values; received {self.forward_layer.go_backwards} for both.")
        for attr in ("stateful", "return_sequences", "return_state"):
            f, b = getattr(self.forward_layer, attr), getattr(self.backward_layer, attr)
            if f != b:
                raise ValueError(f"{self.who}: the forward and backward layers must have the same `{attr}`; "
                                 f"received {f} for the forward layer and {b} for the backward layer.")
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self._initial_weights = weights
        self.input_spec = SequenceSpec(min_ndim=3)

    def _returns_list(self):
        return self.return_state or self.merge_mode is None

    def build(self, input_shape):
        for sub in (self.forward_layer, self.backward_layer):
            sub._maybe_build(tuple(input_shape))
        if self._initial_weights:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (None if shape[-1] is None else 2 * shape[-1],)
        outputs = [shape, shape] if self.merge_mode is None else [shape]
        if not self.return_state:
            return outputs if self.merge_mode is None else shape
        return outputs + states + states

    def _state_shapes(self):
        return self.forward_layer._state_shapes() + self.backward_layer._state_shapes()

    def _outputs(self, inputs, mask, training, initial_state):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(inputs, training=training, mask=mask, initial_state=forward_state)
        y_rev = self.backward_layer(inputs, training=training, mask=mask, initial_state=backward_state)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = ops.getitem(y_rev, (slice(None), slice(None, None, -1)))
        if self.merge_mode == "concat":
            outputs = [ops.concatenate([y, y_rev], axis=-1)]
        elif self.merge_mode == "sum":
            outputs = [ops.add(y, y_rev)]
        elif self.merge_mode == "ave":
            outputs = [ops.multiply(ops.add(y, y_rev), 0.5)]
        elif self.merge_mode == "mul":
            outputs = [ops.multiply(y, y_rev)]
        else:
            outputs = [y, y_rev]
        return outputs + states

    def reset_state(self):
        if not self.stateful:
            raise AttributeError(f"{self.who}: reset_states() needs a stateful layer (stateful=True).")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    reset_states = reset_state

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states + self.backward_layer.states)
        return None

    def get_config(self):
        return {**super().get_config(), "merge_mode": self.merge_mode, "layer": serialize_layer(self.forward_layer),
                "backward_layer": serialize_layer(self.backward_layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], cls.__name__)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_layer(config["backward_layer"], cls.__name__)
        return cls(**config)


class TimeDistributed(Layer):
    """Applies ``layer`` to every timestep of (batch, timesteps, ...) inputs, with the same weights, by
    folding the time axis into the batch: (batch * timesteps, ...) through the layer, then back."""

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed: `layer` must be a layer instance, e.g. Dense(8); received {layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer
        self.input_spec = InputSpec(min_ndim=3)

    @staticmethod
    def _child_shape(shape):
        return (None if shape[0] is None or shape[1] is None else shape[0] * shape[1],) + tuple(shape[2:])

    def build(self, input_shape):
        self.layer._maybe_build(self._child_shape(input_shape))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape((input_shape[0],) + tuple(input_shape[2:]))
        return (child[0], input_shape[1]) + tuple(child[1:])

    def call(self, inputs, training=None):
        n, t = inputs.shape[:2]
        out = self.layer(ops.reshape(inputs, (n * t,) + tuple(inputs.shape[2:])), training=training)
        return ops.reshape(out, (n, t) + tuple(out.shape[1:]))

    def get_config(self):
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(deserialize_layer(config.pop("layer"), cls.__name__), **config)


class Wrapper(Layer):
    """Keras's base class of layer wrappers: holds ``layer`` (built with the wrapper unless built already) and
    keeps it in the config; a subclass writes ``call``. Alone it runs the wrapped layer; a user's subclass whose
    ``call`` is its own gets its output shapes traced from that call (as a plain Layer's are)."""

    traced_subclasses = True  # (shape_tracing: a subclass's own call decides the shapes)

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"{type(self).__name__}: `layer` must be a layer instance, e.g. Dense(8); received "
                             f"{layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer._maybe_build(input_shape)

    def call(self, inputs, *args, **kwargs):
        return self.layer(inputs, *args, **kwargs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        return cls(deserialize_layer(config.pop("layer"), cls.__name__), **config)
