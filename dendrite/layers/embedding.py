"""Embedding: integer indices to rows of a learned (input_dim, output_dim) matrix, as Keras 3 has it.

The lookup is ops.take, whose gradient adds each looked-up row's gradient back onto its row of
``embeddings`` (rows looked up several times add up). Indices arrive as integers (see integer_inputs), or as
floats holding whole numbers (fit hands models float arrays); anything outside [0, input_dim) is refused,
naming the layer. ``mask_zero=True`` makes index 0 padding: compute_mask gives ``inputs != 0``.
"""
import warnings

import numpy as np

from .. import regularizers
from ..autodiff import ops
from ..autodiff.tensor import array_of
from ..utils.validation import positive_int
from .base import Layer
from .core import refuse_lora_and_quantization
from .integer_inputs import IntegerInputs, indices


class Embedding(IntegerInputs, Layer):
    """Maps each index in [0, input_dim) to a vector of ``output_dim`` values: (batch, ...) -> (batch, ...,
    output_dim)."""

    supports_masking = False  # True for an instance with mask_zero=True, as Keras sets it

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, input_length=None, **kwargs):
        if input_length is not None:
            # Keras 2 gave such a layer the input shape (input_length,); Keras 3 ignores it and warns
            warnings.warn("Embedding: argument `input_length` is deprecated (Keras 3 ignores it; just remove it). "
                          "dendrite uses it, as Keras 2 did, as the input shape (input_length,) when no "
                          "input_shape is given.", UserWarning, stacklevel=2)
            positive_int("Embedding", "input_length", input_length)
            if kwargs.get("input_shape") is None and kwargs.get("batch_input_shape") is None:
                kwargs["input_shape"] = (int(input_length),)
        super().__init__(**kwargs)
        refuse_lora_and_quantization(self.who, lora_rank=lora_rank, lora_alpha=lora_alpha,
                                     quantization_config=quantization_config)
        self.input_dim = positive_int(self.who, "input_dim", input_dim, hint="It is the vocabulary size: the "
                                      "largest index + 1.")
        self.output_dim = positive_int(self.who, "output_dim", output_dim)
        self._weight_args("embeddings", embeddings_initializer, embeddings_regularizer, embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if weights is not None:  # as Keras 3: build now and start from these values
            self.build()
            weights = weights if isinstance(weights, (list, tuple)) and len(weights) == 1 else [weights]
            self.set_weights([np.asarray(w) for w in weights])

    def build(self, input_shape=None):
        if not self.built:  # the matrix does not depend on the input shape
            self.embeddings = self._add_weight_for("embeddings", (self.input_dim, self.output_dim))

    def call(self, inputs, training=None):
        hint = "input_dim must be the vocabulary size: the largest index + 1."
        return ops.take(self.embeddings, indices(inputs, self.input_dim, self.who, "input_dim", hint), axis=0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def compute_mask(self, inputs, mask=None):
        """With mask_zero: a boolean array shaped like ``inputs``, False where the index is 0; else None."""
        if not self.mask_zero:
            return None
        return np.asarray(array_of(inputs)) != 0

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim, "output_dim": self.output_dim,
                **self._weight_config("embeddings"),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "mask_zero": self.mask_zero, "quantization_config": None}
