"""Regularization layers: Dropout, SpatialDropout, GaussianNoise, GaussianDropout and AlphaDropout (active only in
training),
and ActivityRegularization (a penalty on its input, added to the model's loss)."""
from .. import regularizers
from ..autodiff import ops
from ..backend import standardize_data_format
import numpy as np

from ..random import SeedGenerator, check_seed, generator_for
from ..utils.validation import number
from .base import Layer
from .input_spec import ImageSpec


class Dropout(Layer):
    """Sets a fraction ``rate`` of inputs to 0 in training and scales the rest by 1 / (1 - rate).

    With a ``seed`` the layer draws its masks from a SeedGenerator of its own, as Keras 3 does: each
    call gets a different mask, and two layers made with the same seed draw the same sequence."""

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = number(self.who, "rate", rate, low=0, high=1, high_open=True,
                           hint="It is the fraction of the inputs to drop.")
        self.noise_shape = noise_shape
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None

    def _noise_shape(self, shape):
        return self.noise_shape

    def call(self, inputs, training=None):
        if training and self.rate > 0:
            return ops.dropout(inputs, self.rate, self._noise_shape(inputs.shape), self.seed_generator)
        return inputs

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}


class SpatialDropout1D(Dropout):
    """Drops whole channels of (N, steps, C) inputs."""

    def __init__(self, rate, **kwargs):
        super().__init__(rate, **kwargs)
        self.input_spec = ImageSpec(1, "channels_last")

    def _noise_shape(self, shape):
        return (shape[0], 1, shape[2])

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        return config


class SpatialDropout2D(Dropout):
    """Drops whole feature maps of 4-D inputs (channels_last or channels_first)."""

    _rank = 2

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate, **kwargs)
        self.data_format = standardize_data_format(data_format, self.who)
        self.input_spec = ImageSpec(self._rank, self.data_format)

    def _noise_shape(self, shape):
        ones = (1,) * self._rank
        if self.data_format == "channels_first":
            return (shape[0], shape[1]) + ones
        return (shape[0],) + ones + (shape[-1],)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        return {**config, "data_format": self.data_format}


class SpatialDropout3D(SpatialDropout2D):
    """Drops whole feature volumes of 5-D inputs (channels_last or channels_first)."""

    _rank = 3


class _Noise(Layer):
    """Shared by GaussianNoise and GaussianDropout: in training, ``_noise(inputs, <_arg>, seed)``, the seed drawn
    from as Dropout does (a seeded layer has a SeedGenerator of its own, so each call draws anew and two layers
    with one seed draw alike); in inference, the inputs unchanged."""

    supports_masking = True
    _arg = None  # the name of the argument that sets the noise's size

    def __init__(self, value, seed=None, **kwargs):
        super().__init__(**kwargs)
        setattr(self, self._arg, self._check(value))
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None

    def call(self, inputs, training=None):
        if training:
            return self._noise(inputs, getattr(self, self._arg), self.seed_generator)
        return inputs

    def get_config(self):
        return {**super().get_config(), self._arg: getattr(self, self._arg), "seed": self.seed}


class GaussianNoise(_Noise):
    """Adds zero-centred normal noise of standard deviation ``stddev`` in training; passes inputs through in
    inference."""

    _arg, _noise = "stddev", staticmethod(ops.gaussian_noise)

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(stddev, seed, **kwargs)

    def _check(self, stddev):
        return number(self.who, "stddev", stddev, low=0, high=1)  # Keras 3 bounds stddev to [0, 1]


class GaussianDropout(_Noise):
    """Multiplies inputs by normal noise of mean 1 and standard deviation sqrt(rate / (1 - rate)) in training;
    passes them through in inference."""

    _arg, _noise = "rate", staticmethod(ops.gaussian_dropout)

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed, **kwargs)

    def _check(self, rate):
        return number(self.who, "rate", rate, low=0, high=1, high_open=True,
                      hint="rate=1 would make the noise's standard deviation infinite.")


class AlphaDropout(Layer):
    """Dropout for SELU networks: in training, dropped inputs are set to SELU's negative saturation value and the
    result is moved back to the inputs' mean and variance (``a * x + b``), as Keras 3's AlphaDropout; in
    inference, the inputs unchanged."""

    supports_masking = True
    _ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946  # -alpha * scale of SELU

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = number(self.who, "rate", rate, low=0, high=1, high_open=True,
                           hint="rate=1 would drop every input.")
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None

    def call(self, inputs, training=None):
        if not training or self.rate <= 0:
            return inputs
        shape = inputs.shape if self.noise_shape is None else tuple(
            n if s is None else s for n, s in zip(inputs.shape, self.noise_shape))
        kept = (generator_for(self.seed_generator).uniform(size=shape) >= self.rate).astype(inputs.dtype)
        rate, alpha_p = self.rate, self._ALPHA_P
        a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * rate
        shift = (a * alpha_p * (1 - kept) + b).astype(inputs.dtype)
        return ops.add(ops.multiply(inputs, (a * kept).astype(inputs.dtype)), shift)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}


class ActivityRegularization(Layer):
    """Passes its input through and adds ``l1 * sum(|x|) + l2 * sum(x**2)``, divided by the batch size, to the
    model's loss (its activity_regularizer, which Layer applies to every call's output, as Keras 3 does)."""

    supports_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        given = kwargs.pop("activity_regularizer", None)
        if given is not None:
            raise ValueError("ActivityRegularization: the penalty is set by `l1` and `l2`; do not pass "
                             f"`activity_regularizer`. Received: activity_regularizer={given!r}.")
        owner = f"ActivityRegularization '{kwargs['name']}'" if kwargs.get("name") else "ActivityRegularization"
        self.l1, self.l2 = number(owner, "l1", l1, low=0), number(owner, "l2", l2, low=0)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=self.l1, l2=self.l2), **kwargs)

    def call(self, inputs, training=None):
        return inputs

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
