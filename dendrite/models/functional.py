"""The functional Model: ``Model(inputs, outputs)`` over the same layers Sequential holds.

Calling a layer on a KerasTensor records ``(layer, input)`` in the output's
``history``; this class walks those records back from the outputs to the
inputs once, and replays them in that order on real data.

``GraphModel`` holds what the functional Model and a Sequential with a known
input share, as in Keras 3 (where such a Sequential is a functional model):
``input``/``output``, ``get_layer`` and the adjustment of the data's rank to the
model input's.
"""
import numpy as np

from ..autodiff import Tensor, array_of, ops
from ..layers.base import KerasTensor, Layer, is_int
from ..layers.core import InputLayer
from .chain import run_layers
from .training import Model


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


class GraphModel:
    """Mixin for models whose input and output are KerasTensors (``self.inputs``, ``self.outputs``)."""

    @property
    def input(self):
        return self.inputs[0]

    @property
    def output(self):
        return self.outputs[0]

    @property
    def input_shape(self):
        """The model input's batch shape (a batch size given to Input(batch_shape=...) included, as Keras)."""
        return tuple(self.input.shape)

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or the one at position ``index`` of ``model.layers``."""
        if name is not None and index is not None:
            raise ValueError(
                f"Model '{self.name}'.get_layer: give a layer name or a layer index, not both. "
                f"Received: name={name!r}, index={index!r}."
            )
        layers = self.layers
        if index is not None:
            if not is_int(index):
                raise TypeError(f"Model '{self.name}'.get_layer: `index` must be an int; received index={index!r}.")
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Model '{self.name}'.get_layer: was asked for the layer at index {index}, but the model only "
                    f"has {len(layers)} layers (valid indices: {-len(layers)} to {len(layers) - 1})."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}.")
        raise ValueError(f"Model '{self.name}'.get_layer: give either a layer name or a layer index, e.g. "
                         "get_layer('dense') or get_layer(index=0).")

    @staticmethod
    def _layer_from_config(spec, owner):
        """A layer from a ``{'class_name', 'config'}`` entry of a model config: only dendrite's own layer
        and model classes are known by name (nothing else is imported or run)."""
        from .. import layers as layers_mod
        from .sequential import Sequential
        known = {name: getattr(layers_mod, name) for name in layers_mod.__all__}
        known.update(Sequential=Sequential, Functional=Functional, Model=Functional)
        name = spec.get("class_name") if isinstance(spec, dict) else None
        cls = known.get(name)
        if not (isinstance(cls, type) and issubclass(cls, Layer)):
            raise ValueError(f"{owner}.from_config: unknown layer class {name!r}. Known: dendrite's layers and "
                             "models by their class names (custom classes cannot be rebuilt from a config).")
        return cls.from_config(dict(spec.get("config") or {}))

    def __call__(self, inputs, training=None, **kwargs):
        expected = None if isinstance(inputs, KerasTensor) else self._expected_input()
        if expected is not None:
            inputs = self._conform_input(inputs, *expected)
        return super().__call__(inputs, training=training, **kwargs)

    def _expected_input(self):
        """(batch shape of the model input, whether other differences are errors), or None when unknown."""
        return self.inputs[0].shape, True

    def _conform_input(self, inputs, expected, strict=True):
        """``inputs`` (data) made to the rank of the model input of batch shape ``expected``, as Keras 3 does:
        a trailing axis of size 1 is squeezed when the data has one more axis, or added when it has one fewer
        and the input's last size is 1. With ``strict``, any other difference from ``expected`` is an error."""
        data = array_of(inputs)
        given = shape = tuple(np.shape(data))
        expected = tuple(expected)
        target = None
        if len(shape) == len(expected) + 1 and shape and shape[-1] == 1:
            target = shape[:-1]
        elif len(shape) == len(expected) - 1 and expected[-1] == 1:
            target = shape + (1,)
        if target is not None:
            inputs = ops.reshape(inputs, target) if isinstance(inputs, Tensor) else np.reshape(data, target)
            shape = target
        if strict and (len(shape) != len(expected)
                       or any(e is not None and e != s for e, s in zip(expected[1:], shape[1:]))):
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected shape="
                f"{(None,) + expected[1:]}, found shape={given}. "
                f"Reshape the data to (batch,) + {expected[1:]} or change the model's input shape."
            )
        return inputs


class Functional(GraphModel, Model):
    def __init__(self, inputs, outputs, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable)
        self.inputs, self.outputs = _as_list(inputs), _as_list(outputs)
        if len(self.inputs) != 1 or len(self.outputs) != 1:
            raise ValueError(
                f"Model '{self.name}': this version supports one input and one output; received "
                f"{len(self.inputs)} inputs and {len(self.outputs)} outputs."
            )
        for t in self.inputs + self.outputs:
            if not isinstance(t, KerasTensor):
                raise TypeError(f"Model '{self.name}': inputs and outputs must come from Input() and layer calls; "
                                f"received {type(t).__name__}.")
        self._nodes = self._trace(self.inputs[0], self.outputs[0])
        origin = self.inputs[0].history
        if origin is not None and isinstance(origin[0], InputLayer) and origin[1] is None:
            self._layers.append(origin[0])  # model.layers starts with the InputLayer, as in Keras
        for layer, _, _ in self._nodes:
            if layer not in self._layers:
                self._layers.append(layer)
        self._build_shape = self.inputs[0].shape
        self._batch_input_shape = self.inputs[0].shape
        self.built = True

    def _trace(self, source, target):
        chain, t = [], target
        while t is not source:
            if t.history is None or t.history[1] is None:
                raise ValueError(
                    f"Model '{self.name}': the output is not connected to the given input. Build the outputs by "
                    "calling layers on the tensor returned by Input()."
                )
            layer, parent = t.history
            chain.append((layer, parent, t))
            t = parent
        return chain[::-1]

    @property
    def layers(self):
        return list(self._layers)

    def call(self, inputs, training=None):
        return run_layers([layer for layer, _, _ in self._nodes], inputs, training)

    def compute_output_shape(self, input_shape):
        return self.outputs[0].shape

    def get_config(self):
        """The model as its layers' configs and the order they run in (``chain``, indices into ``layers``;
        a layer used twice shares its weights): Functional.from_config rebuilds it."""
        layers = [layer for layer in self._layers if not isinstance(layer, InputLayer)]
        config = {"name": self.name, "trainable": self.trainable,
                  "batch_input_shape": tuple(self.inputs[0].shape),
                  "layers": [{"class_name": type(layer).__name__, "config": layer.get_config()} for layer in layers],
                  "chain": [layers.index(layer) for layer, _, _ in self._nodes]}
        if isinstance(self._layers[0], InputLayer):
            config["input_layer"] = self._layers[0].get_config()
        return config

    @classmethod
    def from_config(cls, config):
        if not isinstance(config, dict) or "layers" not in config or "chain" not in config:
            raise ValueError(f"Model.from_config: expected the dict that Model.get_config() returns (with "
                             f"'layers' and 'chain'); received {config!r}.")
        owner = f"Model '{config.get('name')}'"
        if "input_layer" in config:
            entry = InputLayer.from_config(dict(config["input_layer"]))
        else:
            entry = InputLayer(batch_shape=config["batch_input_shape"])
        layers = [cls._layer_from_config(spec, owner) for spec in config["layers"]]
        x = entry.output
        for k in config["chain"]:
            if not is_int(k) or not 0 <= k < len(layers):
                raise ValueError(f"{owner}.from_config: 'chain' must list indices into 'layers' (0 to "
                                 f"{len(layers) - 1}); received {k!r}.")
            x = layers[k](x)
        return cls(entry.output, x, name=config.get("name"), trainable=config.get("trainable", True))
