"""Running a chain of layers (Sequential's stack, a functional model's path), with two fusions for the
codelab's Conv2D(use_bias=False) -> BatchNormalization -> Activation('relu') pattern:

- a layer that can apply a relu inside its own op (BatchNormalization) absorbs an immediately
  following plain relu layer (``Activation('relu')`` or ``ReLU()``): the separate pass over the
  normalised output, forward and backward, is saved;
- in inference with no gradient recorded (predict, evaluate), a BatchNormalization right after a
  Conv2D is folded into the convolution's kernel and bias (and the relu after it into the
  convolution), so the normalisation costs no pass of its own.

The outputs and gradients are those of the layers run one by one (the folded inference up to
rounding). The layers stay in the model (summary, weights, config) as the user wrote them.
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
    """``x`` through ``layers`` in order: a plain relu after a layer with ``fuses_next_relu`` fused into it,
    and a layer whose ``fuses_conv`` accepts the convolution before it folded into that convolution."""
    i, n = 0, len(layers)

    def relu_after(j):
        """Whether layers[j] can absorb the plain relu layer right after it."""
        return (j + 1 < n and getattr(layers[j], "fuses_next_relu", False) and layers[j].built
                and layers[j].activity_regularizer is None and _plain_relu(layers[j + 1]))
    while i < n:
        layer = layers[i]
        if i + 1 < n and getattr(layers[i + 1], "fuses_conv", None) and layers[i + 1].fuses_conv(layer, training):
            relu = relu_after(i + 1)
            x = layer(x, training=training, affine=layers[i + 1].folded(), activation="relu" if relu else None)
            i += 3 if relu else 2
        elif relu_after(i):
            x = layer(x, training=training, activation="relu")
            i += 2
        else:
            x = layer(x, training=training)
            i += 1
    return x
