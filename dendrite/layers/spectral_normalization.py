"""SpectralNormalization, as Keras 3 defines it: a wrapper that keeps the spectral norm (largest singular
value) of a layer's kernel (or an Embedding's embeddings) near 1, which bounds its Lipschitz constant (as
GAN discriminators use it).

On each call in training, power iteration estimates the kernel's largest singular value sigma, the kernel
reshaped to a (-1, filters) matrix W and ``vector_u`` (1, filters) a non-trainable weight carried over
from call to call: ``power_iterations`` times v = normalize(u W^T), u = normalize(v W); then
sigma = v W u^T. The kernel is then replaced by kernel / sigma (an assignment, as Keras does, so the
gradient reaches the kernel as the wrapped layer's plain gradient) and u is kept; an all-zero kernel is
left alone. The wrapped layer then runs as usual. In inference the layer runs with its kernel as it is.
``normalize(x) = x * min(1 / ||x||, 1 / backend.epsilon())``, Keras's L2 normalisation.
"""
import numpy as np

from .. import backend, initializers
from ..utils.validation import positive_int
from .base import Layer
from .input_spec import InputSpec
from .rnn_cells import deserialize_layer, serialize_layer


def _normalize(x):
    return x * min(1 / np.sqrt(np.square(x).sum()), 1 / backend.epsilon())


class SpectralNormalization(Layer):
    """Wraps ``layer`` (one with a ``kernel``, e.g. Dense or Conv2D, or an Embedding) and normalises its kernel by
    its spectral norm in training (see the module's docstring)."""

    def __init__(self, layer, power_iterations=1, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"SpectralNormalization: `layer` must be a layer instance with a kernel, e.g. "
                             f"Dense(8) or Conv2D(8, 3); received {layer!r}.")
        super().__init__(**kwargs)
        self.power_iterations = positive_int(self.who, "power_iterations", power_iterations)
        self.layer = layer

    def build(self, input_shape):
        self.layer._maybe_build(tuple(input_shape))
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(f"{self.who}: the wrapped layer {self.layer.who} has no `kernel` nor `embeddings` "
                             "weight to normalise. Wrap a layer that has one (Dense, Conv1D/2D/3D, Embedding, "
                             "...).")
        self.kernel = kernel  # listed first among this layer's weights, as Keras lists it
        self.vector_u = self.add_weight("vector_u", (1, kernel.shape[-1]), initializers.TruncatedNormal(stddev=0.02),
                                        trainable=False, dtype=kernel.dtype)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})

    def normalized_weights(self):
        """(new vector_u, kernel / sigma) as arrays, from the current kernel and vector_u."""
        kernel = self.kernel.value
        w = kernel.reshape(-1, kernel.shape[-1])
        u = self.vector_u.value
        for _ in range(self.power_iterations):
            v = _normalize(u @ w.T)
            u = _normalize(v @ w)
        sigma = (v @ w) @ u.T
        return u.astype(self.vector_u.dtype), (kernel / sigma).astype(kernel.dtype)

    def call(self, inputs, training=None):
        if training and np.any(self.kernel.value != 0):
            u, kernel = self.normalized_weights()
            self.vector_u.assign(u)
            self.kernel.assign(kernel)
        return self.layer(inputs, training=training)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "layer": serialize_layer(self.layer), "power_iterations": self.power_iterations}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(deserialize_layer(config.pop("layer"), cls.__name__), **config)


__all__ = ["SpectralNormalization"]
