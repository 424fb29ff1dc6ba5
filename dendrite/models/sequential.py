"""Sequential: a linear stack of layers, each feeding the next."""
import numpy as np

from ..layers.base import KerasTensor, Layer
from ..layers.core import InputLayer
from .chain import run_layers
from .training import Model


class Sequential(Model):
    def __init__(self, layers=None, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable)
        self._input_batch_shape = None
        for layer in layers or ():
            self.add(layer)

    @property
    def layers(self):
        return list(self._layers)

    def add(self, layer):
        """Append a layer (or an ``Input``) to the stack."""
        if isinstance(layer, KerasTensor):
            origin = layer.history[0] if layer.history else None
            if not isinstance(origin, InputLayer):
                raise TypeError(
                    f"Sequential '{self.name}'.add: a symbolic tensor can only be added when it comes from Input(); "
                    "use the functional Model(inputs, outputs) for other graphs."
                )
            layer = origin
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError(f"Sequential '{self.name}': an Input can only be the first item of the model.")
            self._set_input(layer._batch_input_shape)
            return
        if not isinstance(layer, Layer):
            raise TypeError(
                f"Sequential '{self.name}'.add expects a Layer instance; received {layer!r} "
                f"of type {type(layer).__name__}. Did you forget to call the layer class, e.g. Dense(10)?"
            )
        if not self._layers and self._input_batch_shape is None and layer._batch_input_shape is not None:
            self._set_input(layer._batch_input_shape)
        self._layers.append(layer)
        if self._input_batch_shape is not None:
            self.built = False
            self._maybe_build(self._input_batch_shape)

    def pop(self):
        if not self._layers:
            raise TypeError(f"Sequential '{self.name}' has no layers to pop.")
        layer = self._layers.pop()
        return layer

    def _set_input(self, batch_shape):
        self._input_batch_shape = tuple(batch_shape)
        self._batch_input_shape = self._input_batch_shape

    def build(self, input_shape=None):
        if input_shape is None:
            input_shape = self._input_batch_shape
        if input_shape is None:
            raise ValueError(
                f"Sequential '{self.name}' cannot be built without an input shape: add an Input(shape=...) first, "
                "pass input_shape=... to the first layer, or call the model on data."
            )
        x = KerasTensor((None,) + tuple(input_shape[1:]))
        for layer in self._layers:
            x = layer(x)
        self._build_shape = (None,) + tuple(input_shape[1:])
        self.built = True

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def __call__(self, inputs, training=None, **kwargs):
        expected = self._input_batch_shape
        if expected is not None and not isinstance(inputs, KerasTensor):
            shape = np.shape(inputs.value if hasattr(inputs, "value") else inputs)
            if len(shape) != len(expected) or any(e is not None and e != s for e, s in zip(expected[1:], shape[1:])):
                raise ValueError(
                    f"Input 0 of layer '{self.name}' is incompatible with the layer: expected shape="
                    f"{(None,) + tuple(expected[1:])}, found shape={tuple(shape)}. "
                    f"Reshape the data to (batch,) + {tuple(expected[1:])} or change the model's input shape."
                )
        return super().__call__(inputs, training=training, **kwargs)

    def call(self, inputs, training=None):
        return run_layers(self._layers, inputs, training)

    def get_config(self):
        config = {"name": self.name,
                  "layers": [{"class_name": type(layer).__name__, "config": layer.get_config()}
                             for layer in self._layers]}
        if self._input_batch_shape is not None:
            config["batch_input_shape"] = self._input_batch_shape
        return config
