"""Keras 2's RandomHeight and RandomWidth (tf.keras 2.x; Keras 3 dropped them): in training, each call
resizes the whole batch to a random height (or width): ``int(size * u)`` with u drawn uniformly from
[1 + lower, 1 + upper] (a number ``factor`` f gives lower = -f, upper = f), as Keras 2 did; in inference
the images pass unchanged. Images are channels_last, (batch, height, width, channels) or one image; the
resize is Resizing's (TensorFlow's half-pixel rule, 'bilinear' or 'nearest'), differentiable.
The drawn axis is unknown in a model's shapes (None), as in Keras 2.
"""
from ..autodiff import ops
from ..random import SeedGenerator, check_seed, generator_for
from .base import Layer
from .image_preprocessing import INTERPOLATIONS
from .reshaping import resize_nhwc


def _bounds(who, factor):
    pair = factor if isinstance(factor, (tuple, list)) else (factor, factor)
    if len(pair) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair):
        raise ValueError(f"{who}: `factor` must be a number or a pair (lower, upper) of numbers; received "
                         f"factor={factor!r}.")
    lower, upper = float(pair[0]), float(pair[1])
    if not isinstance(factor, (tuple, list)):
        lower = -lower
    if upper < lower:
        raise ValueError(f"{who}: `factor` cannot have upper bound less than lower bound; received factor={factor!r}.")
    if lower < -1.0 or upper < -1.0:
        raise ValueError(f"{who}: `factor` must have values larger than -1 (a size cannot shrink below zero); "
                         f"received factor={factor!r}.")
    return lower, upper


class _RandomSize(Layer):
    axis = 1  # of (N, H, W, C): 1 for the height, 2 for the width

    def __init__(self, factor, interpolation="bilinear", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.lower, self.upper = _bounds(self.who, factor)
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(f"{self.who}: interpolation={interpolation!r} is not supported by dendrite; use "
                                      f"one of {INTERPOLATIONS} (see docs/compat.md).")
        self.interpolation = interpolation
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None

    def _check(self, shape):
        if len(shape) not in (3, 4):
            raise ValueError(f"{self.who}: expected a batch of images (batch, height, width, channels) or one image "
                             f"(height, width, channels); received shape {tuple(shape)}.")

    def call(self, inputs, training=None):
        self._check(inputs.shape)
        if training is not None and not training:
            return inputs
        x = inputs if inputs.ndim == 4 else ops.expand_dims(inputs, 0)
        if x.dtype.kind != "f":
            x = ops.cast(x, self.dtype)
        u = generator_for(self.seed_generator).uniform(1.0 + self.lower, 1.0 + self.upper)
        size = max(1, int(u * x.shape[self.axis]))
        h, w = (size, x.shape[2]) if self.axis == 1 else (x.shape[1], size)
        x = resize_nhwc(x, h, w, self.interpolation)
        return x if inputs.ndim == 4 else ops.squeeze(x, 0)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shape = list(input_shape)
        shape[self.axis - (4 - len(shape))] = None
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "interpolation": self.interpolation,
                "seed": self.seed}


class RandomHeight(_RandomSize):
    """Resizes the batch to a random height in training (Keras 2)."""
    axis = 1


class RandomWidth(_RandomSize):
    """Resizes the batch to a random width in training (Keras 2)."""
    axis = 2
