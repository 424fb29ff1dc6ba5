"""Which neighbouring layers a model runs as one op, decided once when its layer graph is known.

Two patterns of the codelab's Conv2D(use_bias=False) -> BatchNormalization -> Activation('relu'):

- a BatchNormalization followed by a plain relu layer (``Activation('relu')``, ``ReLU()``) runs as
  ``bn.call_relu``: the relu is applied inside the normalisation op, forward and backward, saving a
  pass over the output;
- a Conv2D followed by a BatchNormalization (and perhaps the relu) runs, in inference with no gradient
  recorded (predict, evaluate), as ``conv.call_folded``: the normalisation folded into the kernel and
  bias (and the relu into the convolution). Whether it may fold is asked on every call
  (``bn.fuses_conv(conv, training)``), since training and tapes come and go.

A pair is planned only where the first layer's output goes to the second alone (in a graph: one
consumer, and not a model output). The outputs and gradients are those of the layers run one by one
(the folded inference up to rounding); the layers stay in the model as the user wrote them.
"""
from .. import activations
from ..layers.activation import ReLU
from ..layers.core import Activation


def _plain_relu(layer):
    """Whether ``layer`` is max(x, 0) and nothing else."""
    if layer.activity_regularizer is not None:
        return False
    if type(layer) is Activation:
        return layer.activation is activations.relu
    return (type(layer) is ReLU and layer.max_value is None and not layer.negative_slope
            and not layer.threshold)


def _relu_pair(first, second):
    return (getattr(first, "fuses_next_relu", False) and first.activity_regularizer is None
            and _plain_relu(second))


def _fold_pair(first, second):
    return hasattr(second, "fuses_conv") and hasattr(first, "call_folded")


def plan(layers):
    """The steps that run ``layers`` (in order, each reading the previous one's output, as in a stack):
    ``("one", layer)``, ``("bn_relu", bn, relu)`` or ``("conv_bn", conv, bn, relu or None)``.
    The caller gives a straight run: each layer's output goes to the next alone (functional.py's runs)."""
    steps, i, n = [], 0, len(layers)
    while i < n:
        layer = layers[i]
        if i + 1 < n and _fold_pair(layer, layers[i + 1]):
            relu = i + 2 < n and _relu_pair(layers[i + 1], layers[i + 2])
            steps.append(("conv_bn", layer, layers[i + 1], layers[i + 2] if relu else None))
            i += 3 if relu else 2
        elif i + 1 < n and _relu_pair(layer, layers[i + 1]):
            steps.append(("bn_relu", layer, layers[i + 1]))
            i += 2
        else:
            steps.append(("one", layer))
            i += 1
    return steps


def run_step(step, x, training):
    """One step of a plan on ``x``."""
    kind, layer = step[0], step[1]
    if kind == "one":
        return layer(x, training=training)
    if kind == "bn_relu":
        relu = step[2]
        if layer.built and relu.built:
            return layer.call_relu(x, training=training)
        return relu(layer(x, training=training), training=training)  # the first call builds them
    bn, relu = step[2], step[3]
    if bn.fuses_conv(layer, training):
        return layer.call_folded(x, bn.folded(), relu=relu is not None)
    x = layer(x, training=training)
    return bn(x, training=training) if relu is None else run_step(("bn_relu", bn, relu), x, training)


def run(steps, x, training=None):
    """``x`` through every step of a plan."""
    for step in steps:
        x = run_step(step, x, training)
    return x
