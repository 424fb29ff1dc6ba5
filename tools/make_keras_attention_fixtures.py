"""Writes attention fixtures with real Keras 3 for the tests (not run in CI; needs Keras 3 and h5py).

    KERAS_BACKEND=numpy python tools/make_keras_attention_fixtures.py   # writes tests/fixtures/keras_attention/

- ``layers.json`` / ``layers.npz``: one entry per case of CASES (EinsumDense, MultiHeadAttention, Attention,
  AdditiveAttention): the layer's constructor and call arguments, its inputs (``<case>/in<i>``, with masks as
  ``<case>/<name>``), the weights Keras built, set to random values (``<case>/w<i>``, in Keras's order) and
  Keras's outputs (``<case>/out<i>``).
- For each model of MODELS (built by the functions below, which take the Keras module so that the tests build
  the same architecture with dendrite): ``<name>.weights.h5``, ``<name>.keras`` and ``<name>.npz``, written
  as tools/make_keras_weights_fixtures.py writes its models' (without the legacy .h5).
The versions go into versions.json.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_keras_weights_fixtures as weights_fixtures  # noqa: E402  (its writer of model files, shared)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_attention")

B = 2  # batch size of every case

# case name -> (layer class, constructor kwargs, input shapes (batch first), call kwargs, masks {name: shape})
CASES = {
    "einsum_plain": ("EinsumDense", {"equation": "abc,cd->abd", "output_shape": [None, 5], "bias_axes": "d"},
                     [(B, 3, 4)], {}, {}),
    "einsum_heads": ("EinsumDense", {"equation": "abc,cde->abde", "output_shape": [None, 2, 3], "bias_axes": "de",
                                     "activation": "tanh"}, [(B, 3, 4)], {}, {}),
    "einsum_left_ellipsis": ("EinsumDense", {"equation": "...x,xy->...y", "output_shape": 3, "bias_axes": "y"},
                             [(B, 2, 3, 4)], {}, {}),
    "einsum_right_ellipsis": ("EinsumDense", {"equation": "ab...,bc->ac...", "output_shape": [5],
                                              "bias_axes": "c"}, [(B, 3, 4, 2)], {}, {}),
    "einsum_no_bias": ("EinsumDense", {"equation": "abcd,cde->abe", "output_shape": [None, 6]},
                       [(B, 3, 2, 4)], {}, {}),
    "mha_self": ("MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [(B, 4, 6), (B, 4, 6)],
                 {"return_attention_scores": True}, {}),
    "mha_cross_key": ("MultiHeadAttention", {"num_heads": 3, "key_dim": 2, "value_dim": 4, "output_shape": [2, 3]},
                      [(B, 4, 5), (B, 6, 3), (B, 6, 7)], {}, {}),
    "mha_masks_fused": ("MultiHeadAttention", {"num_heads": 2, "key_dim": 3},
                        [(B, 4, 5), (B, 6, 5)], {"use_causal_mask": True},
                        {"attention_mask": (B, 4, 6), "value_mask": (B, 6)}),
    "mha_masks_scores": ("MultiHeadAttention", {"num_heads": 2, "key_dim": 3},
                         [(B, 4, 5), (B, 6, 5)], {"use_causal_mask": True, "return_attention_scores": True},
                         {"attention_mask": (B, 4, 6), "value_mask": (B, 6)}),
    "mha_axes": ("MultiHeadAttention", {"num_heads": 2, "key_dim": 2, "attention_axes": [1, 2]},
                 [(B, 3, 2, 4), (B, 3, 2, 4)], {"return_attention_scores": True}, {}),
    "mha_axes_last_step": ("MultiHeadAttention", {"num_heads": 2, "key_dim": 2, "attention_axes": [-2]},
                           [(B, 3, 2, 4), (B, 3, 2, 4)], {}, {}),
    "mha_gate_window_no_bias": ("MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "use_gate": True,
                                                       "sliding_window": 2, "use_bias": False},
                                [(B, 5, 4), (B, 5, 4)], {}, {}),
    "attention_dot": ("Attention", {}, [(B, 4, 3), (B, 5, 3)], {"return_attention_scores": True}, {}),
    "attention_scale_key_masks": ("Attention", {"use_scale": True}, [(B, 4, 3), (B, 5, 2), (B, 5, 3)],
                                  {"return_attention_scores": True}, {"mask": [(B, 4), (B, 5)]}),
    "attention_concat_causal": ("Attention", {"score_mode": "concat", "use_scale": True}, [(B, 4, 3), (B, 4, 3)],
                                {"use_causal_mask": True}, {}),
    "additive": ("AdditiveAttention", {}, [(B, 4, 3), (B, 5, 3)], {"return_attention_scores": True},
                 {"mask": [(B, 4), (B, 5)]}),
    "additive_no_scale_causal": ("AdditiveAttention", {"use_scale": False}, [(B, 4, 3), (B, 4, 3)],
                                 {"use_causal_mask": True}, {}),
}


def _mask(rng, shape):
    mask = rng.random(shape) > 0.3
    if len(shape) == 3:
        mask[0, 1] = False  # a query step that may attend to nothing
    else:
        mask[..., 0] = True  # each sequence keeps its first step
    return mask


def run_case(keras, name, rng):
    cls, init, shapes, call, masks = CASES[name]
    layer = getattr(keras.layers, cls)(**init)
    inputs = [rng.standard_normal(s).astype("float32") for s in shapes]
    mask_values = {}
    for key, shape in masks.items():
        mask_values[key] = [_mask(rng, s) for s in shape] if isinstance(shape, list) else _mask(rng, shape)
    kwargs = dict(call, **mask_values)

    def run():
        if cls == "EinsumDense":
            return layer(inputs[0])
        return layer(*inputs, **kwargs) if cls == "MultiHeadAttention" else layer(inputs, **kwargs)
    run()  # builds the layer
    weights = []
    for w in layer.weights:  # random values (a scale stays positive), then the outputs again
        value = rng.standard_normal(w.shape).astype("float32") * 0.7
        weights.append(np.abs(value) + 0.3 if "scale" in w.path and not w.shape else value)
        w.assign(weights[-1])
    outputs = run()
    outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    arrays = {f"{name}/in{i}": x for i, x in enumerate(inputs)}
    arrays.update({f"{name}/w{i}": w for i, w in enumerate(weights)})
    arrays.update({f"{name}/out{i}": np.asarray(y) for i, y in enumerate(outputs)})
    for key, value in mask_values.items():
        if isinstance(value, list):
            arrays.update({f"{name}/{key}{i}": m for i, m in enumerate(value)})
        else:
            arrays[f"{name}/{key}"] = value
    entry = {"layer": cls, "init": init, "call": call, "masks": sorted(masks),
             "weights": [[w.path.split("/", 1)[-1], list(w.shape)] for w in layer.weights],
             "config": json.loads(json.dumps(layer.get_config(), default=list))}
    return entry, arrays


def text_transformer(keras):
    """The transformer block of keras.io's text classification example, on masked tokens."""
    layers = keras.layers
    tokens = keras.Input((6,), dtype="int32")
    x = layers.Embedding(30, 8, mask_zero=True)(tokens)
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, attended]))
    ffn = layers.Dense(8)(layers.Dense(16, activation="relu")(x))
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, ffn]))
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(tokens, layers.Dense(3, activation="softmax")(x), name="text_transformer")


def two_sequences(keras):
    """Luong, Bahdanau and multi-head cross attention (a key by keyword, a causal mask) and an EinsumDense."""
    layers = keras.layers
    query, value = keras.Input((4, 6)), keras.Input((5, 6))
    key = layers.Dense(6)(value)
    luong = layers.Attention(use_scale=True)([query, value])
    bahdanau = layers.AdditiveAttention()([query, value, key])
    heads = layers.MultiHeadAttention(2, 3, value_dim=2, output_shape=(5,), use_gate=True)(query, value, key=key)
    causal = layers.MultiHeadAttention(3, 2, dropout=0.1)(query, query, use_causal_mask=True)
    projected = layers.EinsumDense("abc,cd->abd", (None, 4), bias_axes="d", activation="tanh")(query)
    out = layers.Concatenate()([luong, bahdanau, heads, causal, projected])
    return keras.Model([query, value], layers.Flatten()(out), name="two_sequences")


def einsum_stack(keras):
    """EinsumDense layers in a Sequential model."""
    layers = keras.layers
    return keras.Sequential([keras.Input((3, 4)), layers.EinsumDense("abc,cde->abde", (3, 2, 5), bias_axes="e"),
                             layers.Reshape((3, 10)),
                             layers.EinsumDense("...x,xy->...y", 2, bias_axes="y", activation="relu")],
                            name="einsum_stack")


def inputs(name, rng):
    if name == "text_transformer":
        tokens = rng.integers(1, 30, size=(4, 6)).astype("int32")
        tokens[0, 4:] = 0
        tokens[1, 2:] = 0
        return [tokens]
    if name == "two_sequences":
        return [rng.standard_normal((3, 4, 6)).astype("float32"), rng.standard_normal((3, 5, 6)).astype("float32")]
    return [rng.standard_normal((4, 3, 4)).astype("float32")]


MODELS = {"text_transformer": text_transformer, "two_sequences": two_sequences, "einsum_stack": einsum_stack}


def main():
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    import keras
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    entries, arrays = {}, {}
    for name in CASES:
        entries[name], more = run_case(keras, name, rng)
        arrays.update(more)
    np.savez(os.path.join(OUT, "layers.npz"), **arrays)
    with open(os.path.join(OUT, "layers.json"), "w") as f:
        json.dump(entries, f, indent=1)
    for name, build in MODELS.items():
        model = build(keras)
        for w in model.weights:  # away from the initial values, so that a load that did nothing would show
            w.assign(rng.standard_normal(w.shape).astype(w.dtype) * 0.5 + (1.0 if "gamma" in w.path else 0.0))
        weights_fixtures.write_model_files(keras, model, inputs(name, rng), OUT, name, legacy_h5=False)
    weights_fixtures.write_versions(keras, OUT)

if __name__ == "__main__":
    main()
