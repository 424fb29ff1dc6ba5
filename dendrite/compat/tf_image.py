"""``tf.image`` under the compatibility hooks: dendrite.image's functions (NumPy), giving a Tensor for an image
result whether given Tensors or NumPy arrays, as TensorFlow's ops do (``.numpy()`` works on it), and answering a GradientTape as TensorFlow does for ops without a gradient.

When a watched value (a trainable Variable, or a tensor given to ``tape.watch``) flows into a ``tf.image``
function, the tape records the call as an op without a gradient: ``tape.gradient`` of a target computed from
it raises, as TensorFlow's does, ``LookupError: No gradient defined for operation 'AdjustContrastv2' ...`` for
the functions whose TensorFlow op has no gradient (``adjust_contrast``, ``random_contrast``), and a
NotImplementedError naming the function for the others (TensorFlow differentiates them; dendrite's tf.image
computes in NumPy). Values that were not watched pass through as before, and a target that is not a tensor
at all keeps the tape's own TypeError."""
import functools
import inspect

import numpy as np

from .. import image as _image
from ..autodiff import Tensor
from ..autodiff.tape import Op
from . import tf_image_stateless
from ._namespace import Namespace
from ._notes import unsupported

# the tf.image functions whose TensorFlow op has no registered gradient, and that op's type
NO_GRADIENT = {"adjust_contrast": "AdjustContrastv2", "random_contrast": "AdjustContrastv2"}


class NoGradientOp(Op):
    """A tf.image call on the tape: its result, and the error its gradient raises."""

    def __init__(self, name, result):
        self.name, self.result = name, result

    def forward(self, *arrays):
        return self.result

    def vjp(self, grad, needed):
        op_type = NO_GRADIENT.get(self.name)
        if op_type is not None:
            raise LookupError(
                f"No gradient defined for operation '{op_type}' (op type: {op_type}), which tf.image.{self.name} "
                "runs. In general every operation must have a gradient for automatic differentiation, which this "
                "one lacks (in TensorFlow too). To treat its result as a constant, wrap it in tf.stop_gradient(...).")
        raise unsupported(f"The gradient of tf.image.{self.name}",
                          "dendrite's tf.image functions compute in NumPy, without gradients (TensorFlow "
                          "differentiates this one). Apply it outside the GradientTape or to values that are not "
                          "watched, or wrap its result in tf.stop_gradient(...).")


def _plain(value):
    return np.asarray(value.value) if isinstance(value, Tensor) else value


def _wrap(name, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        tensors = [a for a in list(args) + list(kwargs.values()) if isinstance(a, Tensor)]
        result = fn(*[_plain(a) for a in args], **{k: _plain(v) for k, v in kwargs.items()})
        if isinstance(result, bytes):  # an encoded image: a scalar string Tensor, as tf.io's encoders give
            return Tensor(np.array(result, dtype=object))
        if not isinstance(result, np.ndarray):
            return result
        if not tensors:
            return Tensor(result)  # (TensorFlow gives an EagerTensor for NumPy input too)
        return NoGradientOp(name, result)(*tensors)  # recorded when a tape watches one of the tensors
    return run


def namespace(extra=None):
    """The ``tf.image`` namespace: dendrite.image's functions wrapped as above, and the ``extra`` members
    (functions computed with dendrite's ops, which carry their own gradients) as they are."""
    members = {name: _wrap(name, getattr(_image, name)) for name in _image.__all__
               if inspect.isfunction(getattr(_image, name))}
    members.update(extra or {})
    members.update(tf_image_stateless.members(members))  # stateless_random_*: the draws keyed by a seed pair
    return Namespace("tensorflow.image", __doc__, members=members, sources=(_image,))
