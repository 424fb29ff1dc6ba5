"""Regularization layers: Dropout and SpatialDropout (active only in training)."""
from ..autodiff import ops
from ..backend import standardize_data_format
from ..random import SeedGenerator, check_seed
from .base import ImageSpec, Layer


class Dropout(Layer):
    """Sets a fraction ``rate`` of inputs to 0 in training and scales the rest by 1 / (1 - rate).

    With a ``seed`` the layer draws its masks from a SeedGenerator of its own, as Keras 3 does: each
    call gets a different mask, and two layers made with the same seed draw the same sequence."""

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout '{self.name}': `rate` must be a float in [0, 1); received rate={rate!r}.")
        self.rate, self.noise_shape = float(rate), noise_shape
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

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate, **kwargs)
        self.data_format = standardize_data_format(data_format, self.who)
        self.input_spec = ImageSpec(2, self.data_format)

    def _noise_shape(self, shape):
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1)
        return (shape[0], 1, 1, shape[3])

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        return {**config, "data_format": self.data_format}
