"""MultiHeadAttention (Vaswani et al. 2017), as Keras 3 builds it.

``layer(query, value, key=None, ...)``: query, key and value are projected by EinsumDense sublayers named
``query``, ``key`` and ``value`` (kernels ``(features, num_heads, key_dim)`` / ``value_dim``, biases ``(num_heads,
size)``), the scaled dot products of query and key are softmaxed over the attended axes (attention/equations.py),
the values are averaged with those weights and the heads are projected back by ``attention_output`` (kernel
``(num_heads, value_dim, *output_shape)``; ``output_shape`` defaults to the query's feature size). With
``use_gate`` a sigmoid projection of the query (``gate``) scales the heads before that.

Masks, combined with AND into one (batch, T, S) mask as Keras does: the query's (``query_mask``, else the
query tensor's own mask, as Embedding(mask_zero=True) leaves it), the value's and the key's (likewise), a causal
mask (``use_causal_mask``), a band (``sliding_window``) and ``attention_mask``. Masked scores do not count in
the softmax. A query step that may attend to nothing gets a uniform average where Keras runs its fused kernel
(no dropout, no returned scores, sequences) and zero weights otherwise, as Keras's two paths give. The output
carries the query's mask.
"""
import math

import numpy as np

from ... import regularizers
from ...autodiff import ops
from ...autodiff.ops.einsum import einsum
from ...random import SeedGenerator, check_seed
from ...utils.validation import is_int, number, positive_int
from ..base import Layer
from ..einsum_dense import EinsumDense
from ..node import is_symbolic
from .equations import attention_equations, projection_equation, resolve_attention_axes
from .masks import LARGE_NEGATIVE, as_mask, band_mask, causal_mask, mixed_inputs_error, record_symbolic_call

_TENSOR_ARGS = ("query", "value", "key", "query_mask", "value_mask", "key_mask", "attention_mask")


def _unmasked(x):
    """``x`` without its Keras mask (a view on the tape): the projections consume the masks, the mask-free
    sublayers would otherwise warn that they drop them."""
    return x if x._keras_mask is None else ops.reshape(x, x.shape)


class MultiHeadAttention(Layer):
    """Multi-head (scaled dot-product) attention; see the module's docstring."""

    _masks_from_inside = True  # call() puts the query's mask on the output itself
    _positional_call_args = ("value", "key")  # a Keras config's node may give them after the query, in 'args'

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = positive_int(self.who, "num_heads", num_heads)
        self.key_dim = positive_int(self.who, "key_dim", key_dim, hint="It is the size of each head's query and key.")
        self.value_dim = positive_int(self.who, "value_dim", value_dim, allow_none=True) or self.key_dim
        self.dropout = number(self.who, "dropout", dropout, low=0, high=1, high_open=True,
                              hint="It is the fraction of attention weights dropped in training.")
        self.use_bias = bool(use_bias)
        self.use_gate = bool(use_gate)
        if output_shape:
            dims = (output_shape,) if is_int(output_shape) else output_shape
            if not isinstance(dims, (list, tuple)) or not all(is_int(d) and d > 0 for d in dims):
                raise ValueError(f"{self.who}: `output_shape` must be None, a positive int or a tuple of them (the "
                                 f"output's shape after the batch and step axes); received "
                                 f"output_shape={output_shape!r}.")
            output_shape = tuple(int(d) for d in dims)
        self.partial_output_shape = output_shape or None
        if is_int(attention_axes):
            attention_axes = (attention_axes,)
        if attention_axes is not None and (not isinstance(attention_axes, (list, tuple))
                                           or not all(is_int(a) for a in attention_axes)):
            raise ValueError(f"{self.who}: `attention_axes` must be None, an int or a tuple of ints (the query axes "
                             f"to attend over); received attention_axes={attention_axes!r}.")
        self.attention_axes = None if attention_axes is None else tuple(int(a) for a in attention_axes)
        self.sliding_window = positive_int(self.who, "sliding_window", sliding_window, allow_none=True)
        if flash_attention:
            raise ValueError(f"{self.who}: flash_attention=True asks for a fused GPU kernel dendrite does not have; "
                             "leave it None (or False): the layer computes the same attention without it.")
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_args("bias", bias_initializer, bias_regularizer, bias_constraint)
        # as Keras: the penalty goes to the projections' outputs, not to this layer's own output
        self.projection_activity_regularizer = regularizers.get(activity_regularizer)
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None

    # ------------------------------------------------------------------ build
    def _shapes(self, query_shape, value_shape, key_shape):
        """The three input shapes as tuples (key defaults to value), checked to fit one another."""
        if value_shape is None:
            raise ValueError(f"{self.who}: build needs the query's and the value's shapes, build(query_shape, "
                             f"value_shape) or build(query_shape, value_shape, key_shape).")
        q, v = tuple(query_shape), tuple(value_shape)
        k = v if key_shape is None else tuple(key_shape)
        if len(q) < 3:
            raise ValueError(f"{self.who}: the query must have a batch axis, at least one step axis and a feature "
                             f"axis, e.g. (batch, steps, features); received a query of shape {q}. Add a step "
                             "axis (Reshape or expand_dims) to attend over.")
        if len(v) != len(q) or len(k) != len(q):
            raise ValueError(f"{self.who}: query, value and key must have the same rank; received shapes query={q}, "
                             f"value={v}, key={k}.")
        if v[1:-1] != k[1:-1]:
            raise ValueError(f"{self.who}: all axes of `value` and `key` but the last must be equal; received "
                             f"value_shape={v} and key_shape={k}.")
        batches = {n for n in (q[0], v[0], k[0]) if n is not None}
        if len(batches) > 1:
            raise ValueError(f"{self.who}: query, value and key must have the same batch size; received shapes "
                             f"query={q}, value={v}, key={k}.")
        if self.built:
            built = [tuple(s) for s in self._build_shape] + [None]
            for name, shape, was in (("query", q, built[0]), ("value", v, built[1]),
                                     ("key", k, built[2] if len(self._build_shape) == 3 else built[1])):
                if shape[-1] != was[-1]:
                    raise ValueError(f"{self.who}: the layer was built for a {name} with {was[-1]} features (shape "
                                     f"{was}); received a {name} of shape {shape}. Use a new layer for inputs of "
                                     "another size.")
        return q, v, k

    def build(self, query_shape, value_shape=None, key_shape=None):
        """Make the projections for inputs of these shapes (batch axis included; key defaults to value). The
        shapes may come as one list, [query_shape, value_shape(, key_shape)], as a model's build passes them."""
        if value_shape is None and isinstance(query_shape, list) and len(query_shape) in (2, 3):
            query_shape, value_shape, key_shape = (list(query_shape) + [None])[:3]
        q, v, k = self._shapes(query_shape, value_shape, key_shape)
        rank = len(q)
        self._build_shape = [q, v] if key_shape is None else [q, v, k]
        heads = (None,) * (rank - 2)
        equation, bias = projection_equation(rank - 1, 1, 2)
        self.query_dense = self._projection(equation, heads + (self.num_heads, self.key_dim), bias, "query", q)
        self.key_dense = self._projection(equation, heads + (self.num_heads, self.key_dim), bias, "key", k)
        if self.use_gate:
            self.gate_dense = self._projection(equation, heads + (self.num_heads, self.value_dim), bias, "gate", q,
                                               activation="sigmoid")
        self.value_dense = self._projection(equation, heads + (self.num_heads, self.value_dim), bias, "value", v)
        out_dims = self.partial_output_shape or (q[-1],)
        equation, bias = projection_equation(rank - 1, 2, len(out_dims))
        self.output_dense = self._projection(equation, heads + tuple(out_dims), bias, "attention_output",
                                             q[:-1] + (self.num_heads, self.value_dim))
        self.attention_axes = resolve_attention_axes(self.attention_axes, rank, self.who)
        self._scores_equation, self._combine_equation, self._softmax_axes = attention_equations(
            rank + 1, self.attention_axes)
        self.built = True

    build._marks_built = True  # build takes several shapes: it records them itself (see Layer.__init_subclass__)

    def _projection(self, equation, output_shape, bias_axes, name, input_shape, activation=None):
        layer = EinsumDense(equation, output_shape, activation=activation,
                            bias_axes=bias_axes if self.use_bias else None,
                            kernel_initializer=self.kernel_initializer.clone(),
                            bias_initializer=self.bias_initializer.clone(), kernel_regularizer=self.kernel_regularizer,
                            bias_regularizer=self.bias_regularizer, kernel_constraint=self.kernel_constraint,
                            bias_constraint=self.bias_constraint,
                            activity_regularizer=self.projection_activity_regularizer, name=name, dtype=self.dtype)
        layer.build(tuple(input_shape))
        return layer

    def get_build_config(self):
        """Keras 3's build config: the shapes build was given, by argument name."""
        if not self.built:
            return None
        names = ("query_shape", "value_shape", "key_shape")
        return {"shapes_dict": {n: list(s) for n, s in zip(names, self._build_shape)}}

    def _weights_file_children(self):
        """The sublayers as Keras 3's .weights.h5 files name them (saving/weights_h5.py)."""
        if not self.built:
            return []
        out = [("query_dense", self.query_dense), ("key_dense", self.key_dense), ("value_dense", self.value_dense),
               ("output_dense", self.output_dense)]
        return out + ([("_gate_dense", self.gate_dense)] if self.use_gate else [])

    # ------------------------------------------------------------------- call
    def __call__(self, query, value=None, key=None, query_mask=None, value_mask=None, key_mask=None,
                 attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False, **kwargs):
        if kwargs:
            raise TypeError(f"{self.who}: unexpected call argument(s) {sorted(kwargs)}. The call takes query, value, "
                            "key, query_mask, value_mask, key_mask, attention_mask, return_attention_scores, "
                            "training and use_causal_mask.")
        if value is None:
            raise TypeError(f"{self.who}: missing the `value` tensor. Call it as layer(query, value) or layer(query, "
                            "value, key); for self-attention pass the same tensor twice, layer(x, x).")
        given = dict(zip(_TENSOR_ARGS, (query, value, key, query_mask, value_mask, key_mask, attention_mask)))
        given = {name: t for name, t in given.items() if t is not None}
        flags = {"return_attention_scores": bool(return_attention_scores), "use_causal_mask": bool(use_causal_mask)}
        if any(is_symbolic(t) for t in given.values()):
            if not all(is_symbolic(t) for t in given.values()):
                raise mixed_inputs_error(self.who, sorted(given))
            return self._symbolic(given, flags, training)
        query, value = self._as_tensor(query), self._as_tensor(value)
        key = None if key is None else self._as_tensor(key)
        self._shapes(query.shape, value.shape, None if key is None else key.shape)
        if not self.built:
            self.build(query.shape, value.shape, None if key is None else key.shape)
        masks = {"query_mask": (query_mask, query), "value_mask": (value_mask, value),
                 "key_mask": (key_mask, value if key is None else key)}
        masks = {name: as_mask(m, self.who, name, tensor.shape[:-1]) if m is not None else tensor._keras_mask
                 for name, (m, tensor) in masks.items()}
        if key is None and key_mask is None:
            masks["key_mask"] = None  # the value's mask counts once (as Keras, which reads a key's mask from a key)
        return super().__call__(query, training=training, value=value, key=key, attention_mask=attention_mask,
                                **masks, **flags)

    def _symbolic(self, given, flags, training):
        shapes = [given[n].shape if n in given else None for n in ("query", "value", "key")]
        q, v, k = self._shapes(*shapes)
        if not self.built:
            self.build(*shapes)
        out = self.compute_output_shape(q, v, k)
        if flags["return_attention_scores"]:
            out = [out, self._scores_shape(q, k)]
        kwargs = {name: t for name, t in given.items() if name != "query"}
        kwargs.update({name: True for name, on in flags.items() if on})
        if training is not None:
            kwargs["training"] = training
        return record_symbolic_call(self, given["query"], kwargs, out)

    def _scores_shape(self, query_shape, key_shape):
        """The scores' shape (see attention/equations.py) for inputs of these shapes."""
        query_sub, key_sub, out = self._scores_equation.replace("->", ",").split(",")
        sizes = dict(zip(query_sub, tuple(query_shape[:-1]) + (self.num_heads, self.key_dim)))
        sizes.update(zip(key_sub, tuple(key_shape[:-1]) + (self.num_heads, self.key_dim)))
        return tuple(sizes[c] for c in out)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        key = value if key is None else key
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask)
        query_in = _unmasked(query)
        gate = self.gate_dense(query_in) if self.use_gate else None
        q = self.query_dense(query_in)
        k = self.key_dense(_unmasked(key))
        v = self.value_dense(_unmasked(value))
        q = ops.multiply(q, q.dtype.type(1.0 / math.sqrt(self.key_dim)))
        scores = einsum(self._scores_equation, q, k, optimize=True)
        if mask is not None:
            scores = ops.where(mask, scores, LARGE_NEGATIVE)
        weights = ops.softmax(scores, axis=self._softmax_axes)
        if mask is not None and (self.dropout > 0 or return_attention_scores or q.ndim != 4):
            weights = ops.where(mask, weights, 0.0)  # Keras's explicit path: a row with no key left stays zero
        used = ops.dropout(weights, self.dropout, seed=self.seed_generator) if training and self.dropout else weights
        out = einsum(self._combine_equation, used, v, optimize=True)
        if gate is not None:
            out = ops.multiply(out, gate)
        out = self.output_dense(out)
        if query_mask is not None:
            out._keras_mask = query_mask
        return (out, weights) if return_attention_scores else out

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask):
        """The (batch, T, S) mask of the call (None when nothing is masked), with axes added to fit the scores."""
        parts = []
        if query_mask is not None:
            parts.append(query_mask[..., None])
        for m in (value_mask, key_mask):
            if m is not None:
                parts.append(np.expand_dims(m, -2))
        t, s = query.shape[1], value.shape[1]
        if use_causal_mask:
            parts.append(causal_mask(t, s))
        if self.sliding_window is not None:
            parts.append(band_mask(t, s, self.sliding_window))
        if attention_mask is not None:
            parts.insert(0, as_mask(attention_mask, self.who, "attention_mask"))
        if not parts:
            return None
        scores = self._scores_shape(query.shape, value.shape)
        mask = parts[0]
        try:
            for part in parts[1:]:
                mask = mask & part
        except ValueError:
            raise ValueError(f"{self.who}: the masks do not combine: shapes {[p.shape for p in parts]} (attention_mask "
                             f"must be (batch, T, S) = {(query.shape[0], t, s)}).") from None
        where = -2 * len(self.attention_axes) - 1  # the heads axis (and any other axes not attended over)
        while mask.ndim < len(scores):
            mask = np.expand_dims(mask, where)
        if mask.ndim != len(scores) or any(m not in (1, n) for m, n in zip(mask.shape, scores)):
            raise ValueError(f"{self.who}: the attention mask has shape {mask.shape} after adding the heads axis, "
                             f"which does not fit the scores {scores}; give attention_mask of shape (batch, T, S) = "
                             f"{(query.shape[0], t, s)}, True where a query step may attend to a key step.")
        return mask

    # ----------------------------------------------------------------- shapes
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        if value_shape is None and isinstance(query_shape, list):
            query_shape = query_shape[0]
        query_shape = tuple(query_shape)
        return query_shape[:-1] + (self.partial_output_shape or query_shape[-1:])

    def get_config(self):
        return {**super().get_config(), "num_heads": self.num_heads, "key_dim": self.key_dim,
                "value_dim": self.value_dim, "dropout": self.dropout, "use_bias": self.use_bias,
                "use_gate": self.use_gate, "output_shape": self.partial_output_shape,
                "attention_axes": self.attention_axes, "sliding_window": self.sliding_window,
                **self._weight_config("kernel", "bias"),
                "activity_regularizer": regularizers.serialize(self.projection_activity_regularizer),
                "seed": self.seed}
