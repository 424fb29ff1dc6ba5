"""Keras 3's layers that chain augmentation layers: Pipeline (a fixed sequence) and RandAugment (``num_ops``
operations drawn from a fixed list for each batch).

Pipeline(layers) calls its layers in turn, passing ``training`` on to those whose call takes it, and works
on anything its layers take (a dict {'images', 'labels'} included), unlike Sequential, which builds a model.
Its config holds the serialized layers, as Keras writes them.

RandAugment(value_range, num_ops, factor, interpolation) draws, for each batch, ``num_ops`` operations from
Keras's list (shear, translation, rotation, brightness, color degeneration, contrast, sharpness,
posterization, solarization, auto contrast, equalization), each repeatable, and applies them in turn; every
one of them is built with ``factor`` read as Keras reads it (a number f gives (0, f): translations and
rotations then go one way only, as in Keras) and draws its own parameters per image. Identity in inference.
"""

from ..utils.validation import positive_int
from .base import Layer
from .image_augmentation import RandomBrightness, RandomContrast, _Augmentation
from .image_augmentation_geometric import INTERPOLATIONS, RandomRotation, RandomShear, RandomTranslation
from .image_color import RandomColorDegeneration, keras_factor, value_range_of
from .image_filters import RandomSharpness
from .image_tone import AutoContrast, Equalization, RandomPosterization, Solarization


class Pipeline(Layer):
    """Calls ``layers`` in turn (see the module)."""

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"{self.who}: `layers` must be a list of layers, e.g. [keras.layers.RandomFlip(), "
                             f"keras.layers.RandomRotation(0.1)]; received layers={layers!r}.")
        self._pipeline_layers = list(layers)

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=None):
        for layer in self._pipeline_layers:  # (a layer whose call takes no `training` is not given it)
            inputs = layer(inputs) if training is None else layer(inputs, training=training)
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        from ..saving.serialization import serialize_keras_object
        return {"layers": [serialize_keras_object(layer) for layer in self._pipeline_layers], "name": self.name}

    @classmethod
    def from_config(cls, config):
        from ..saving.serialization import deserialize_keras_object
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("Pipeline.from_config: the config must hold 'layers', a list of serialized layers; "
                             f"received layers={layers!r}.")
        return cls(**{**config, "layers": [deserialize_keras_object(layer) for layer in layers]})


class RandAugment(_Augmentation):
    """``num_ops`` operations drawn from Keras's list, applied in turn (see the module)."""

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        value_range_of(self.who, value_range)
        self.value_range = value_range
        self.num_ops = positive_int(self.who, "num_ops", num_ops)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"{self.who}: `interpolation` must be one of {INTERPOLATIONS}; received "
                             f"interpolation={interpolation!r}.")
        self.interpolation = interpolation
        f, vr = self.factor, value_range
        self._ops = [
            RandomShear(f, f, interpolation=interpolation),
            RandomTranslation(f, f, interpolation=interpolation),
            RandomRotation(f, interpolation=interpolation),
            RandomBrightness(f, value_range=vr),
            RandomColorDegeneration(f, value_range=vr),
            RandomContrast(f, value_range=vr),
            RandomSharpness(f, value_range=vr),
            RandomPosterization(max(1, int(8 * f[1])), value_range=vr),
            Solarization(f, f, value_range=vr),
            AutoContrast(value_range=vr),
            Equalization(value_range=vr),
        ]

    def _augment(self, x, rng):
        for index in rng.integers(0, len(self._ops), self.num_ops):
            x = self._ops[int(index)]._augment(x, rng)
        return x

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "num_ops": self.num_ops,
                "factor": self.factor, "interpolation": self.interpolation}
