"""Running a chain of layers (Sequential's stack, a functional model's path), with one fusion:
a layer that can apply a relu inside its own op (BatchNormalization) absorbs an immediately
following plain relu layer (``Activation('relu')`` or ``ReLU()``), the codelab's
BatchNormalization -> Activation('relu') pattern. The output is the same; the separate pass over
the normalised output, forward and backward, is saved. Both layers stay in the model (summary,
weights, config) as the user wrote them.
"""
from .. import activations
from ..layers.activation import ReLU
from ..layers.core import Activation


def _plain_relu(layer):
    """Whether ``layer`` is max(x, 0) and nothing else, and has run once (so it is built)."""
    if not layer.built or layer.activity_regularizer is not None:
        return False
    if type(layer) is Activation:
        return layer.activation is activations.relu
    return (type(layer) is ReLU and layer.max_value is None and not layer.negative_slope
            and not layer.threshold)


def run_layers(layers, x, training=None):
    """``x`` through ``layers`` in order, a plain relu after a layer with ``fuses_next_relu`` fused into it."""
    i, n = 0, len(layers)
    while i < n:
        layer = layers[i]
        if (i + 1 < n and getattr(layer, "fuses_next_relu", False) and layer.built
                and layer.activity_regularizer is None and _plain_relu(layers[i + 1])):
            x = layer(x, training=training, activation="relu")
            i += 2
        else:
            x = layer(x, training=training)
            i += 1
    return x
