"""Loss functions given symbolic tensors: ``binary_crossentropy(inputs, outputs)`` on keras.Input and a layer's
output gives a symbolic tensor (a Lambda layer in the graph that runs the loss on the real tensors), as Keras
3's ops do on KerasTensors (layers/symbolic_ops.symbolic_aware). tf.keras 2's functional VAE adds such a tensor
to its model with ``model.add_loss``. A compiled loss calls the plain function (``_values_fn``): the training
step does not look for symbolic tensors."""


def _is_symbolic(value):
    from ..layers.node import KerasTensor
    return isinstance(value, KerasTensor)


def symbolic_aware(fn):
    """``fn`` that becomes a Lambda layer when given a KerasTensor; ``_values_fn`` is ``fn`` itself."""
    from ..layers.symbolic_ops import symbolic_aware as aware
    loss = aware(fn)
    loss._values_fn = fn
    return loss
