"""Single-head attention on [query, value] or [query, value, key], as Keras 3's Attention (Luong) and
AdditiveAttention (Bahdanau) compute it.

Scores ``(batch, Tq, Tv)`` of each query step against each key step: Attention's dot products (``score_mode=
'dot'``, times a learned scalar ``scale`` with ``use_scale``) or ``concat_score_weight * sum(tanh(q + k))``
(``'concat'``); AdditiveAttention's ``sum(scale * tanh(q + k))`` with a learned ``scale`` per feature. The
softmax of the scores over the key steps weights the values: output ``(batch, Tq, value features)``.

``mask=[query_mask, value_mask]`` (by default the inputs' own masks): value steps masked out get 1e9 less score
(they drop out of the softmax unless a whole row is masked); query steps masked out get a zero output, and the
output carries the query's mask. ``use_causal_mask``: step i attends to steps j <= i only. Dropout (in training)
applies to the weights, and ``return_attention_scores`` returns them, after it, as Keras does.
"""
from ... import initializers
from ...autodiff import ops
from ...random import SeedGenerator, check_seed
from ...utils.validation import number
from ..base import Layer
from ..node import is_symbolic
from .masks import as_mask, causal_mask, mixed_inputs_error, record_symbolic_call

_PADDING_PENALTY = 1e9  # subtracted from the scores of masked value steps (Keras's amount)


class Attention(Layer):
    """Dot-product (Luong-style) attention; see the module's docstring."""

    _several_inputs = True
    supports_masking = True

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"{self.who}: `score_mode` must be 'dot' (query-key dot products) or 'concat' (tanh of "
                             f"their sum); received score_mode={score_mode!r}.")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = number(self.who, "dropout", dropout, low=0, high=1, high_open=True,
                              hint="It is the fraction of attention weights dropped in training.")
        self.seed = check_seed(seed, self.who)
        self.seed_generator = SeedGenerator(self.seed) if self.seed is not None else None

    def _shapes(self, input_shape):
        """``(query, value, key)`` shapes from the list the layer is called on, checked to fit."""
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) not in (2, 3) or not all(
                isinstance(s, (list, tuple)) for s in input_shape):
            given = f"one tensor of shape {input_shape}" if isinstance(input_shape, tuple) else repr(input_shape)
            raise ValueError(f"{self.who}: call it on a list [query, value] or [query, value, key]; received "
                             f"{given}.")
        q, v = tuple(input_shape[0]), tuple(input_shape[1])
        k = tuple(input_shape[2]) if len(input_shape) == 3 else v
        if len(q) < 3 or len(v) != len(q) or len(k) != len(q):
            raise ValueError(f"{self.who}: query, value and key must be (batch, steps, features) tensors of one rank; "
                             f"received shapes query={q}, value={v}, key={k}.")
        if None not in (k[-2], v[-2]) and k[-2] != v[-2]:
            raise ValueError(f"{self.who}: key and value must have the same number of steps; received key {k} and "
                             f"value {v}.")
        if None not in (q[-1], k[-1]) and q[-1] != k[-1]:
            raise ValueError(f"{self.who}: query and key must have the same feature size (their scores compare them "
                             f"feature by feature); received query {q} and key {k}.")
        return q, v, k

    def build(self, input_shape):
        self._shapes(input_shape)
        self.scale = self.add_weight("scale", (), "ones") if self.use_scale else None
        self.concat_score_weight = self.add_weight("concat_score_weight", (), "ones") \
            if self.score_mode == "concat" else None

    def _scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.transpose(key, tuple(range(key.ndim - 2)) + (key.ndim - 1, key.ndim - 2)))
            return scores if self.scale is None else ops.multiply(scores, self.scale)
        pairs = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))  # (batch, Tq, Tv, features)
        if self.scale is not None:
            pairs = ops.multiply(self.scale, pairs)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(pairs), axis=-1))

    def __call__(self, inputs, training=None, mask=None, return_attention_scores=False, use_causal_mask=False,
                 **kwargs):
        flags = {name: True for name, on in (("return_attention_scores", return_attention_scores),
                                             ("use_causal_mask", use_causal_mask)) if on}
        if is_symbolic(inputs) or is_symbolic(mask):
            if not isinstance(inputs, (list, tuple)) or not is_symbolic(inputs) or not all(
                    is_symbolic(x) for x in inputs) or (mask is not None and not is_symbolic(mask)):
                raise mixed_inputs_error(self.who, ["inputs", "mask"])
            shapes = [tuple(t.shape) for t in inputs]
            q, v, k = self._shapes(shapes)
            self._maybe_build(shapes)
            out = self.compute_output_shape(shapes)
            if return_attention_scores:
                out = [out, q[:-1] + k[-2:-1]]
            return record_symbolic_call(self, list(inputs), {"mask": mask, "training": training, **flags, **kwargs},
                                        out)
        if not isinstance(inputs, (list, tuple)):
            self._shapes(getattr(inputs, "shape", inputs))
        return super().__call__(list(inputs), training=training, mask=mask, **flags, **kwargs)

    def call(self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False):
        q, v, k = self._shapes([x.shape for x in inputs])
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) == 3 else value
        query_mask, value_mask = self._masks(mask, q, v)
        scores = self._scores(query, key)
        keep = None if value_mask is None else value_mask[..., None, :]
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1])
            keep = causal if keep is None else keep & causal
        if keep is not None:
            scores = ops.where(keep, scores, ops.subtract(scores, _PADDING_PENALTY))
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = ops.dropout(weights, self.dropout, seed=self.seed_generator)
        out = ops.matmul(weights, value)
        if query_mask is not None:
            out = ops.where(query_mask[..., None], out, 0.0)
        if return_attention_scores:
            out._keras_mask = query_mask  # (the mask machinery sets it on a lone output)
            return out, weights
        return out

    def _masks(self, mask, q, v):
        """``(query_mask, value_mask)`` as bool arrays (or None) from ``mask=[query_mask, value_mask(, key)]``."""
        if mask is None:
            return None, None
        if not isinstance(mask, (list, tuple)) or len(mask) not in (2, 3):
            raise ValueError(f"{self.who}: `mask` must be a list [query_mask, value_mask] (either may be None); "
                             f"received {type(mask).__name__}.")
        return (as_mask(mask[0], self.who, "query_mask", (q[0],) + q[1:-1]),
                as_mask(mask[1], self.who, "value_mask", (v[0],) + v[1:-1]))

    def compute_mask(self, inputs, mask=None):
        """The query's mask (the output has the query's steps)."""
        if mask is None or mask[0] is None:
            return None
        return as_mask(mask[0], self.who, "query_mask")

    def compute_output_shape(self, input_shape):
        q, v, _ = self._shapes(input_shape)
        return q[:-1] + v[-1:]

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}


class AdditiveAttention(Attention):
    """Additive (Bahdanau-style) attention: scores ``sum(scale * tanh(query + key))`` over the features, with a
    learned ``scale`` of shape (features,) (glorot_uniform) when ``use_scale`` (the default)."""

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        q, _, _ = self._shapes(input_shape)
        self.scale = self.add_weight("scale", (q[-1],), initializers.get("glorot_uniform")) if self.use_scale \
            else None

    def _scores(self, query, key):
        pairs = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))  # (batch, Tq, Tv, features)
        return ops.sum(pairs if self.scale is None else ops.multiply(self.scale, pairs), axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
