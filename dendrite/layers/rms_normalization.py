"""RMSNormalization, as Keras 3 defines it: each sample divided by the root mean square of its values over
``axis`` (epsilon added under the root), times a learned ``scale`` (ones to start) over those axes:
y = x / sqrt(mean(x**2, axis) + epsilon) * scale. There is no centring and no shift (LayerNormalization
without the mean)."""
from ..autodiff import ops
from ..utils.validation import is_int, number
from .base import Layer
from .normalization import _resolve_axes


class RMSNormalization(Layer):
    """Scales each sample by the inverse root mean square of its values over ``axis`` (see the module)."""

    supports_masking = True

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        if not axes or not all(is_int(a) for a in axes):
            raise TypeError(f"{self.who}: `axis` must be an int or a list of ints (the feature axes). "
                            f"Received: axis={axis!r}")
        self.axis = sorted(int(a) for a in axes) if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon = number(self.who, "epsilon", epsilon, low=0, hint="Keras's default is 1e-6.")
        self.scale = None

    def build(self, input_shape):
        axes = _resolve_axes(self, self.axis if isinstance(self.axis, list) else [self.axis], input_shape)
        self._axes = tuple(sorted(axes))
        if not isinstance(self.axis, list):
            self.axis = [self.axis]  # as Keras keeps it once built (its config then lists the axes)
        self.scale = self.add_weight(name="scale", shape=tuple(input_shape[a] for a in self._axes),
                                     initializer="ones")

    def call(self, inputs):
        ndim = len(inputs.shape)
        rms = ops.sqrt(ops.add(ops.mean(ops.square(inputs), axis=self._axes, keepdims=True), self.epsilon))
        # the scale laid over its axes (Keras multiplies it from the right, which is the same for trailing axes)
        shape = tuple(inputs.shape[a] if a in self._axes else 1 for a in range(ndim))
        return ops.multiply(ops.divide(inputs, rms), ops.reshape(self.scale, shape))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}


__all__ = ["RMSNormalization"]
