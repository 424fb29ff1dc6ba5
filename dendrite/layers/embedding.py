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


class ReversibleEmbedding(Embedding):
    """Keras 3's Embedding that also maps back: ``call(x, reverse=True)`` gives logits ``x @ embeddings.T``
    (or ``x @ reverse_embeddings``, an (output_dim, input_dim) weight of its own, when ``tie_weights=False``),
    capped to ``logit_soft_cap * tanh(logits / logit_soft_cap)`` when that is set; ``reverse_dtype`` casts
    both operands first."""

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer, embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        if logit_soft_cap is not None and not (isinstance(logit_soft_cap, (int, float)) and logit_soft_cap > 0):
            raise ValueError(f"{self.who}: `logit_soft_cap` must be None or a positive number; received "
                             f"logit_soft_cap={logit_soft_cap!r}.")
        self.logit_soft_cap = logit_soft_cap
        self._reverse_call = False

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight("reverse_embeddings", (self.output_dim, self.input_dim),
                                                      self.embeddings_initializer)

    def __call__(self, inputs, *args, reverse=False, **kwargs):
        held, self._reverse_call = self._reverse_call, bool(reverse)
        try:
            return super().__call__(inputs, *args, reverse=reverse, **kwargs)
        finally:
            self._reverse_call = held

    def call(self, inputs, reverse=False, training=None):
        if not reverse:
            return super().call(inputs)
        kernel = ops.transpose(self.embeddings, (1, 0)) if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            inputs, kernel = ops.cast(inputs, self.reverse_dtype), ops.cast(kernel, self.reverse_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = float(self.logit_soft_cap)
            logits = ops.multiply(ops.tanh(ops.multiply(logits, 1.0 / cap)), cap)
        return logits

    def compute_output_shape(self, input_shape, reverse=None):
        reverse = self._reverse_call if reverse is None else reverse
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return super().compute_output_shape(input_shape)

    def compute_mask(self, inputs, mask=None):
        return None if self._reverse_call else super().compute_mask(inputs, mask)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap}
