"""Normalization layers: BatchNormalization, LayerNormalization and UnitNormalization, with Keras's semantics.

BatchNormalization uses the batch mean and biased variance in training and keeps
moving averages of them (moving = moving * momentum + batch * (1 - momentum)),
which inference uses. A BatchNormalization with ``trainable=False`` runs in
inference mode even during training, as in Keras. Given a mask (one axis fewer than
the inputs, e.g. (batch, timesteps) from Embedding(mask_zero=True)), it passes it on
and, in training, takes the batch moments over the unmasked positions only, as Keras 3.
"""
import numbers

import numpy as np

from .. import activations, backend, initializers
from ..autodiff import array_of, ops, tape
from ..autodiff.ops.normalization import (batch_norm, batch_norm_inference, inference_affine, l2_normalize,
                                          layer_norm)
from ..utils.validation import is_int
from .base import Layer
from .input_spec import InputSpec
from .convolutional import Conv2D


def _resolve_axes(layer, axes, input_shape, first_axis=False):
    """Negative axes -> non-negative, each checked against the input rank and known in size; axis 0 (the
    batch axis) only with ``first_axis`` (Normalization, built from a batch's own shape as in Keras)."""
    ndim = len(input_shape)
    out = []
    for a in axes:
        if not -ndim <= a < ndim or (a % ndim == 0 and not first_axis):
            lowest = 0 if first_axis else 1
            raise ValueError(
                f"Layer '{layer.name}' ({type(layer).__name__}): axis={layer.axis!r} is not a valid feature axis for "
                f"inputs of shape {tuple(input_shape)} (rank {ndim}); use an axis in {lowest}..{ndim - 1} or "
                f"-{ndim - lowest}..-1" + ("." if first_axis else ", never the batch axis 0."))
        a %= ndim
        if input_shape[a] is None:
            raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}): axis {a} of the input shape "
                             f"{tuple(input_shape)} must have a known size to create the weights.")
        out.append(a)
    return out


def _scale_shift(layer, shape):
    """gamma (if ``scale``) and beta (if ``center``) of the given shape, from the layer's beta/gamma arguments."""
    layer.gamma = layer._add_weight_for("gamma", shape) if layer.scale else None
    layer.beta = layer._add_weight_for("beta", shape) if layer.center else None


def _synchronized(*args):
    """batch_norm over the batches of every process of the job (dendrite.distribute; batch_norm on one)."""
    from ..distribute.sync_batch_norm import sync_batch_norm
    return sync_batch_norm(*args)


class BatchNormalization(Layer):
    """Normalises each channel of ``axis`` with batch statistics (training) or moving ones (inference)."""

    #: a model running this layer before a plain relu layer calls call_relu instead (models/fusion.py)
    fuses_next_relu = True
    supports_masking = True  # passes the input's mask on (and, training, leaves masked steps out of the moments)

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, synchronized=False, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, **kwargs):
        super().__init__(**kwargs)
        if renorm:
            raise ValueError(f"{self.who}: batch renormalization (renorm=True) is not supported; "
                             f"use renorm=False (the default).")
        self.renorm_clipping, self.renorm_momentum = renorm_clipping, renorm_momentum  # Keras's config keys
        if not is_int(axis):
            raise TypeError(f"BatchNormalization '{self.name}': `axis` must be an int (the channel axis, -1 for "
                            f"channels_last or 1 for channels_first). Received: axis={axis!r}")
        if not isinstance(momentum, numbers.Real) or not 0 <= momentum <= 1:
            raise ValueError(f"BatchNormalization '{self.name}': `momentum` must be a float in [0, 1] (Keras's "
                             f"default is 0.99). Received: momentum={momentum!r}")
        if not isinstance(epsilon, numbers.Real) or epsilon <= 0:
            raise ValueError(f"BatchNormalization '{self.name}': `epsilon` must be a positive float (Keras's default "
                             f"is 1e-3). Received: epsilon={epsilon!r}")
        self.axis, self.momentum, self.epsilon = int(axis), float(momentum), float(epsilon)
        self.center, self.scale, self.synchronized = bool(center), bool(scale), bool(synchronized)
        self._weight_args("beta", beta_initializer, beta_regularizer, beta_constraint)
        self._weight_args("gamma", gamma_initializer, gamma_regularizer, gamma_constraint)
        self.gamma = self.beta = None
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)

    def build(self, input_shape):
        (axis,) = _resolve_axes(self, [self.axis], input_shape)
        shape = (input_shape[axis],)
        _scale_shift(self, shape)
        self.moving_mean = self.add_weight("moving_mean", shape, self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape, self.moving_variance_initializer,
                                               trainable=False)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: shape[0]})

    def call(self, inputs, training=None, mask=None):
        if mask is not None:
            mask = self._checked_mask(mask, inputs)
            if training and self.trainable:
                return self._masked_training(inputs, mask)
        return self._normalize(inputs, training, None)

    def call_relu(self, inputs, training=None):
        """max(this layer's output, 0) in one op: the model calls it for a plain relu layer that follows
        (models/fusion.py). An input carrying a mask runs through the layer's call then relu, the mask kept."""
        inputs = self._checked_input(inputs)
        if inputs._keras_mask is not None:
            out = self(inputs, training=training)
            relu = ops.relu(out)
            relu._keras_mask = out._keras_mask
            return relu
        return self._normalize(inputs, training, "relu")

    def _checked_mask(self, mask, inputs):
        mask = np.asarray(array_of(mask), bool)
        if mask.shape != tuple(inputs.shape[:-1]):
            raise ValueError(f"{self.who}: the mask must have the input's shape without its last axis, "
                             f"{tuple(inputs.shape[:-1])} for inputs of shape {tuple(inputs.shape)} (True at the "
                             f"positions to use); received a mask of shape {mask.shape}.")
        return mask

    def _masked_training(self, inputs, mask):
        """Training on a masked batch, as Keras 3: mean and (biased) variance over the unmasked positions
        only (a count of positions plus backend.epsilon() divides the sums), every position normalised with
        them; the moving averages follow those moments. Built of autodiff ops (not the fused op)."""
        ndim, axis = inputs.ndim, self.axis % inputs.ndim
        axes = tuple(a for a in range(ndim) if a != axis)
        keep = np.broadcast_to(mask[..., None], inputs.shape)
        count = keep.sum(axis=axes, keepdims=True).astype(inputs.dtype) + backend.epsilon()
        mean = ops.divide(ops.sum(ops.where(keep, inputs, 0.0), axis=axes, keepdims=True), count)
        centered = ops.subtract(inputs, mean)
        var = ops.divide(ops.sum(ops.square(ops.where(keep, centered, 0.0)), axis=axes, keepdims=True), count)
        y = ops.divide(centered, ops.sqrt(ops.add(var, self.epsilon)))
        channels = [1] * ndim
        channels[axis] = inputs.shape[axis]
        if self.gamma is not None:
            y = ops.multiply(y, ops.reshape(self.gamma, tuple(channels)))
        if self.beta is not None:
            y = ops.add(y, ops.reshape(self.beta, tuple(channels)))
        for moving, batch in ((self.moving_mean, mean), (self.moving_variance, var)):
            moving.value *= self.momentum
            moving.value += batch.value.reshape(-1) * (1.0 - self.momentum)
        return y

    def _normalize(self, inputs, training, activation):
        if training and self.trainable:
            moments = _synchronized if self.synchronized else batch_norm
            y, mean, var = moments(inputs, self.gamma, self.beta, self.axis, self.epsilon, activation)
            for moving, batch in ((self.moving_mean, mean), (self.moving_variance, var)):
                moving.value *= self.momentum
                moving.value += batch.value * (1.0 - self.momentum)
            return y
        return batch_norm_inference(inputs, self.moving_mean, self.moving_variance, self.gamma, self.beta,
                                    self.axis, self.epsilon, activation)

    def fuses_conv(self, conv, training):
        """Whether the layer before this one, ``conv``, can take this layer in as a per-channel affine map
        folded into its kernel and bias (see folded): inference (moving statistics) with no gradient being
        recorded, after a built channels-last Conv2D without activation (models/fusion.py)."""
        return (not (training and self.trainable) and not tape.recording() and self.built and conv.built
                and type(conv) is Conv2D and conv.activation is activations.linear
                and conv.data_format == "channels_last" and conv.activity_regularizer is None
                and self.activity_regularizer is None and self.axis in (-1, 3))

    def folded(self):
        """This layer in inference as ``(a, shift)``, output = input * a + shift per channel (plain arrays)."""
        _, a, shift = inference_affine(self.moving_mean.value, self.moving_variance.value,
                                       None if self.gamma is None else self.gamma.value,
                                       None if self.beta is None else self.beta.value, self.epsilon)
        return a, shift

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, **self._weight_config("beta", "gamma"),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "synchronized": self.synchronized, "renorm": False, "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum}


class LayerNormalization(Layer):
    """Normalises each sample over ``axis`` (an int or a list of ints), then scales by gamma and shifts by beta."""

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, rms_scaling=False, **kwargs):
        super().__init__(**kwargs)
        if rms_scaling:
            raise ValueError(f"{self.who}: rms_scaling=True (deprecated in Keras) is not "
                             f"supported; use rms_scaling=False (the default).")
        if not (is_int(axis) or (isinstance(axis, (list, tuple)) and axis and all(is_int(a) for a in axis))):
            raise TypeError(f"LayerNormalization '{self.name}': `axis` must be an int or a non-empty list of ints. "
                            f"Received: axis={axis!r}")
        if not isinstance(epsilon, numbers.Real) or epsilon <= 0:
            raise ValueError(f"LayerNormalization '{self.name}': `epsilon` must be a positive float. "
                             f"Received: epsilon={epsilon!r}")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon, self.center, self.scale = float(epsilon), bool(center), bool(scale)
        self._weight_args("beta", beta_initializer, beta_regularizer, beta_constraint)
        self._weight_args("gamma", gamma_initializer, gamma_regularizer, gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        self._axes = sorted(set(_resolve_axes(self, axes, input_shape)))
        shape = tuple(input_shape[a] for a in self._axes)
        _scale_shift(self, shape)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={a: input_shape[a] for a in self._axes})

    def call(self, inputs, training=None):
        return layer_norm(inputs, self.gamma, self.beta, self._axes, self.epsilon)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
                "scale": self.scale, "rms_scaling": False, **self._weight_config("beta", "gamma")}


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm over ``axis`` (an int or a list of ints): x / max(||x||, 1e-12), as
    Keras 3 computes it."""

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if not (is_int(axis) or (isinstance(axis, (list, tuple)) and axis and all(is_int(a) for a in axis))):
            raise TypeError(f"UnitNormalization '{self.name}': `axis` must be an int or a non-empty list of ints. "
                            f"Received: axis={axis!r}")
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)

    def _check(self, shape):
        ndim = len(shape)
        if any(not -ndim <= a < ndim for a in (self.axis if isinstance(self.axis, list) else [self.axis])):
            raise ValueError(f"{self.who}: axis={self.axis!r} is out of range for inputs of shape {tuple(shape)} "
                             f"(rank {ndim}); use axes in 0..{ndim - 1} or -{ndim}..-1.")

    def call(self, inputs, training=None):
        self._check(inputs.shape)
        return l2_normalize(inputs, self.axis, 1e-12)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
