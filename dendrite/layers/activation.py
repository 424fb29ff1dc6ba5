"""Activation layers with parameters: ReLU, LeakyReLU, PReLU, ELU, Softmax, ThresholdedReLU (Keras 2)."""
from .. import activations
from ..autodiff import ops
from .base import Layer


class ReLU(Layer):
    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"ReLU '{self.name}': max_value must be >= 0; received max_value={max_value!r}.")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs, training=None):
        return activations.relu(inputs, self.negative_slope, self.max_value, self.threshold)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}


class LeakyReLU(Layer):
    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, negative_slope=0.3, alpha=None, **kwargs):
        super().__init__(**kwargs)
        self.negative_slope = float(alpha if alpha is not None else negative_slope)

    def call(self, inputs, training=None):
        return ops.leaky_relu(inputs, self.negative_slope)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class PReLU(Layer):
    """Leaky ReLU whose negative slope is learned: ``max(x, 0) + alpha * min(x, 0)``, ``alpha`` one weight per
    input entry (batch axis excluded), shared along ``shared_axes`` (1-based, as Keras counts them)."""
    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._weight_args("alpha", alpha_initializer, alpha_regularizer, alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = [shared_axes] if isinstance(shared_axes, int) else list(shared_axes)
            if any(not isinstance(a, int) or a < 1 for a in axes):
                raise ValueError(f"{self.who}: shared_axes are input axes counted from 1 (the batch axis, 0, "
                                 f"cannot be shared); received shared_axes={shared_axes!r}.")
            self.shared_axes = axes

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if axis > len(shape):
                raise ValueError(f"{self.who}: shared_axes={self.shared_axes} names axis {axis}, but the input "
                                 f"of shape {tuple(input_shape)} has axes 1..{len(shape)} besides the batch.")
            shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(f"{self.who}: the input shape {tuple(input_shape)} has an unknown size outside the "
                             "batch axis; share alpha along it with shared_axes=[axis].")
        self.alpha = self._add_weight_for("alpha", tuple(shape))
        self.built = True

    def call(self, inputs, training=None):
        return ops.subtract(ops.relu(inputs), ops.multiply(self.alpha, ops.relu(ops.negative(inputs))))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), **self._weight_config("alpha"), "shared_axes": self.shared_axes}


class ELU(Layer):
    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs, training=None):
        return ops.elu(inputs, self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(Layer):
    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, training=None):
        return ops.softmax(inputs, axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class ThresholdedReLU(Layer):
    """Keras 2's thresholded ReLU (keras.layers.advanced_activations): ``x`` where ``x > theta``, else 0."""

    supports_masking = True

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None or isinstance(theta, bool) or not isinstance(theta, (int, float)) or theta < 0:
            raise ValueError(f"{self.who}: `theta` must be a number >= 0 (the threshold); received theta={theta!r}.")
        self.theta = float(theta)

    def call(self, inputs, training=None):
        return ops.multiply(inputs, (inputs.value > self.theta).astype(inputs.dtype))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "theta": self.theta}
