"""Keras 3's layers that chain augmentation layers: Pipeline (a fixed sequence), RandAugment (``num_ops``
operations drawn from a fixed list for each batch) and AugMix (blended chains of such operations).

Pipeline(layers) calls its layers in turn, passing ``training`` on to those whose call takes it, and works
on anything its layers take (a dict {'images', 'labels'} included), unlike Sequential, which builds a model.
Its config holds the serialized layers, as Keras writes them.

RandAugment(value_range, num_ops, factor, interpolation) draws, for each batch, ``num_ops`` operations from
Keras's list (shear, translation, rotation, brightness, color degeneration, contrast, sharpness,
posterization, solarization, auto contrast, equalization), each repeatable, and applies them in turn; every
one of them is built with ``factor`` read as Keras reads it (a number f gives (0, f): translations and
rotations then go one way only, as in Keras) and draws its own parameters per image. Identity in inference.

AugMix(value_range, num_chains, chain_depth, factor, alpha, all_ops): for each batch, ``num_chains`` chains
each apply ``chain_depth`` steps, a step being one of the operations above (all eleven with ``all_ops``, else
shear, translation, rotation, posterization, solarization, auto contrast and equalization) or, with equal
chance, nothing; the chains are averaged with Dirichlet(alpha) weights and blended with the original image by
a Beta(alpha, alpha) weight m (m x + (1 - m) chains), then clipped to ``value_range``, as Keras 3.15 does.
"""

from ..autodiff import ops
from ..utils.validation import number, positive_int
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
        for layer in self._pipeline_layers:  # (their weights are the Pipeline's, saved and trained with it)
            self._track_layer(layer, "layers")

    @property
    def layers(self):
        return self._pipeline_layers

    def _weights_file_children(self):
        return [("layers", self._pipeline_layers)]  # where Keras 3 writes their weights: pipeline/layers/<name>

    def build(self, input_shape):
        shape = input_shape
        for layer in self._pipeline_layers:
            if isinstance(shape, tuple):
                layer._maybe_build(shape)
                shape = tuple(layer.compute_output_shape(shape))
        super().build(input_shape)

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


def _operations(factor, value_range, interpolation, names=None):
    """Keras's augmentation operations for RandAugment and AugMix, each built from ``factor`` as Keras builds
    them, by name (all, or those in ``names``)."""
    f, vr = factor, value_range
    made = {
        "random_shear": lambda: RandomShear(f, f, interpolation=interpolation),
        "random_translation": lambda: RandomTranslation(f, f, interpolation=interpolation),
        "random_rotation": lambda: RandomRotation(f, interpolation=interpolation),
        "random_brightness": lambda: RandomBrightness(f, value_range=vr),
        "random_color_degeneration": lambda: RandomColorDegeneration(f, value_range=vr),
        "random_contrast": lambda: RandomContrast(f, value_range=vr),
        "random_sharpness": lambda: RandomSharpness(f, value_range=vr),
        "random_posterization": lambda: RandomPosterization(max(1, int(8 * f[1])), value_range=vr),
        "solarization": lambda: Solarization(f, f, value_range=vr),
        "auto_contrast": lambda: AutoContrast(value_range=vr),
        "equalization": lambda: Equalization(value_range=vr),
    }
    return {name: make() for name, make in made.items() if names is None or name in names}


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
        self._ops = list(_operations(self.factor, value_range, interpolation).values())

    def _augment(self, x, rng):
        for index in rng.integers(0, len(self._ops), self.num_ops):
            x = self._ops[int(index)]._augment(x, rng)
        return x

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "num_ops": self.num_ops,
                "factor": self.factor, "interpolation": self.interpolation}


class AugMix(_Augmentation):
    """AugMix (see the module): ``num_chains`` chains of up to ``chain_depth`` random operations, blended."""

    _BASIC = ("random_shear", "random_translation", "random_rotation", "random_posterization", "solarization",
              "auto_contrast", "equalization")

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True,
                 interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self._range = value_range_of(self.who, value_range)
        self.value_range = value_range
        self.num_chains = positive_int(self.who, "num_chains", num_chains)
        self.chain_depth = positive_int(self.who, "chain_depth", chain_depth)
        self.factor = keras_factor(self.who, "factor", factor, 0, 1)
        self.alpha = number(self.who, "alpha", alpha, 0, None, low_open=True)
        self.all_ops = bool(all_ops)
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"{self.who}: `interpolation` must be one of {INTERPOLATIONS}; received "
                             f"interpolation={interpolation!r}.")
        self.interpolation = interpolation
        self._ops = list(_operations(self.factor, value_range, interpolation,
                                     None if self.all_ops else self._BASIC).values())

    def _augment(self, x, rng):
        weights = rng.gamma(self.alpha, size=self.num_chains)
        weights = weights / weights.sum()
        keep = float(rng.beta(self.alpha, self.alpha))
        mixed = None
        for weight in weights:
            chain = x
            for choice in rng.integers(0, len(self._ops) + 1, self.chain_depth):  # the last choice: nothing
                if choice < len(self._ops):
                    chain = self._ops[int(choice)]._augment(chain, rng)
            term = ops.multiply(chain, float(weight))
            mixed = term if mixed is None else ops.add(mixed, term)
        out = ops.add(ops.multiply(x, keep), ops.multiply(mixed, 1.0 - keep))
        return ops.clip(out, *self._range)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range, "num_chains": self.num_chains,
                "chain_depth": self.chain_depth, "factor": self.factor, "alpha": self.alpha, "all_ops": self.all_ops,
                "interpolation": self.interpolation}
