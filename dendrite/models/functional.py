"""The functional Model: ``Model(inputs, outputs)`` over the same layers Sequential holds.

Calling a layer on a KerasTensor records ``(layer, input)`` in the output's
``history``; this class walks those records back from the outputs to the
inputs once, and replays them in that order on real data.
"""
from ..layers.base import KerasTensor
from .chain import run_layers
from .training import Model


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


class Functional(Model):
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
