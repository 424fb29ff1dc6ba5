"""Loss functions given symbolic tensors: ``binary_crossentropy(inputs, outputs)`` on keras.Input and a layer's
output gives a symbolic tensor (a Lambda layer in the graph that runs the loss on the real tensors), as Keras
3's ops do on KerasTensors. tf.keras 2's functional VAE adds such a tensor to its model with
``model.add_loss``."""
import functools

from ..autodiff import Tensor


def _is_symbolic(value):
    from ..layers.node import KerasTensor
    return isinstance(value, KerasTensor)


def symbolic_aware(fn):
    """``fn(y_true, y_pred, ...)`` that becomes a Lambda layer on the KerasTensors among its two tensors; on
    Tensors and arrays it is ``fn`` itself (one type check)."""
    @functools.wraps(fn)
    def loss(y_true, y_pred, *args, **kwargs):
        if type(y_pred) is not Tensor and (_is_symbolic(y_pred) or _is_symbolic(y_true)):
            from ..layers.symbolic_ops import symbolic_call
            return symbolic_call(fn, (y_true, y_pred, *args), kwargs)
        return fn(y_true, y_pred, *args, **kwargs)
    loss._values_fn = fn  # what a Loss object calls on values (it takes symbolic tensors itself)
    return loss
