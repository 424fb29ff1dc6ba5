"""MultiHeadAttention, Attention and AdditiveAttention: Keras's values, weights and configs (fixtures real Keras
3.15.1 wrote), masks (given, implicit from Embedding(mask_zero=True), causal), gradients, functional models
(fit, summary, save / load, Keras's own files), a transformer block that learns, and errors."""
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads

from keras_attention_fixtures import FIXTURES, builders, cases_of, comparable_config, model_arrays, run_case

if not os.environ.get("CI"):  # the saving extra: always there in CI (the dev extra installs it)
    h5py = pytest.importorskip("h5py")
else:
    import h5py

rng = np.random.default_rng(0)


# ----------------------------------------------------------------- Keras's values
@pytest.mark.parametrize("name", cases_of("MultiHeadAttention", "Attention", "AdditiveAttention"))
def test_values_weights_and_config_match_keras(name):
    layer, case, outputs, expected = run_case(name)
    assert [list(w.shape) for w in layer.weights] == [s for _, s in case["weights"]]
    assert len(outputs) == len(expected)
    for out, want in zip(outputs, expected):
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=2e-6)
    assert comparable_config(layer.get_config()) == comparable_config(case["config"])


def test_multi_head_attention_defaults_weights_and_parameter_count_as_keras():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    config = mha.get_config()
    assert config["value_dim"] == 4 and config["dropout"] == 0.0 and config["use_bias"] is True
    assert config["output_shape"] is None and config["attention_axes"] is None
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert config["bias_initializer"]["class_name"] == "Zeros"
    x = rng.standard_normal((2, 5, 8)).astype("float32")
    assert mha(x, x).shape == (2, 5, 8)
    assert mha.get_config()["attention_axes"] == (1,)  # as Keras: resolved once built
    assert [layer.name for layer in mha._sublayers()] == ["query", "key", "value", "attention_output"]
    assert [(w.name, w.shape) for w in mha.weights] == [
        ("kernel", (8, 2, 4)), ("bias", (2, 4)), ("kernel", (8, 2, 4)), ("bias", (2, 4)), ("kernel", (8, 2, 4)),
        ("bias", (2, 4)), ("kernel", (2, 4, 8)), ("bias", (8,))]
    assert mha.count_params() == 288  # what Keras's summary shows for this layer
    assert mha.query_dense.get_config()["equation"] == "abc,cde->abde"
    assert mha.output_dense.get_config()["equation"] == "abcd,cde->abe"
    assert mha.get_build_config() == {"shapes_dict": {"query_shape": [2, 5, 8], "value_shape": [2, 5, 8]}}
    clone = layers.MultiHeadAttention.from_config(mha.get_config())
    assert clone.get_config() == mha.get_config()
    clone(x, x)
    clone.set_weights(mha.get_weights())
    np.testing.assert_array_equal(clone(x, x).value, mha(x, x).value)


def test_attention_and_additive_attention_defaults_as_keras():
    luong, bahdanau = layers.Attention(), layers.AdditiveAttention()
    assert (luong.use_scale, luong.score_mode, luong.dropout) == (False, "dot", 0.0)
    assert (bahdanau.use_scale, bahdanau.dropout) == (True, 0.0)
    assert set(bahdanau.get_config()) - {"name", "trainable", "dtype"} == {"use_scale", "dropout", "seed"}
    q, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4))
    assert luong([q, v]).shape == (2, 3, 4) and luong.weights == []
    bahdanau([q, v])
    assert [(w.name, w.shape) for w in bahdanau.weights] == [("scale", (4,))]
    concat = layers.Attention(use_scale=True, score_mode="concat")
    concat([q, v])
    assert [(w.name, w.shape) for w in concat.weights] == [("scale", ()), ("concat_score_weight", ())]
    np.testing.assert_array_equal(concat.get_weights(), [1.0, 1.0])  # initializer 'ones'
    for layer in (luong, bahdanau, concat):
        assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()


# -------------------------------------------------------------------------- masks
def test_implicit_masks_from_embedding_combine_as_given_masks_and_ride_on_the_output():
    tokens = np.array([[3, 1, 4, 0, 0], [2, 7, 0, 0, 0]])
    embed = layers.Embedding(10, 6, mask_zero=True)
    x = embed(tokens)
    mask = tokens != 0
    mha = layers.MultiHeadAttention(2, 3)
    implicit = mha(x, x)
    np.testing.assert_array_equal(implicit._keras_mask, mask)
    plain = x.value.copy()
    given = mha(plain, plain, query_mask=mask, value_mask=mask)
    np.testing.assert_array_equal(given._keras_mask, mask)
    as_attention_mask = mha(plain, plain, attention_mask=mask[:, :, None] & mask[:, None, :])
    np.testing.assert_allclose(implicit.value, given.value, rtol=1e-6)
    np.testing.assert_allclose(implicit.value, as_attention_mask.value, rtol=1e-6)
    as_key_mask = mha(plain, plain, query_mask=mask, key_mask=mask)  # the key defaults to the value
    np.testing.assert_allclose(implicit.value, as_key_mask.value, rtol=1e-6)
    unmasked = mha(plain, plain)
    assert not np.allclose(unmasked.value[0, :3], implicit.value[0, :3])  # the padding was ignored
    luong = layers.Attention()([x, x])
    np.testing.assert_array_equal(luong._keras_mask, mask)
    np.testing.assert_array_equal(luong.value[~mask], 0)  # Keras zeroes the masked query steps


def test_masked_keys_get_no_weight_and_a_causal_mask_looks_only_back():
    q, v = rng.standard_normal((2, 4, 6)), rng.standard_normal((2, 4, 6))
    value_mask = np.array([[True, True, False, True], [True, False, False, False]])
    mha = layers.MultiHeadAttention(3, 2)
    out, scores = mha(q, v, value_mask=value_mask, use_causal_mask=True, return_attention_scores=True)
    scores = scores.value
    assert scores.shape == (2, 3, 4, 4)
    np.testing.assert_allclose(scores.sum(axis=-1), 1, rtol=1e-6)
    causal = np.tril(np.ones((4, 4), bool))
    allowed = value_mask[:, None, None, :] & causal
    np.testing.assert_array_equal(scores[~np.broadcast_to(allowed, scores.shape)], 0)
    changed = v.copy()
    changed[:, 2:] += 5.0  # later value steps change: the outputs of steps 0 and 1 do not
    again = mha(q, changed, value_mask=value_mask, use_causal_mask=True)
    np.testing.assert_allclose(again.value[:, :2], out.value[:, :2], rtol=1e-6)
    assert not np.allclose(again.value[0, 3], out.value[0, 3])
    luong = layers.Attention()
    first = luong([q, v], use_causal_mask=True)
    np.testing.assert_allclose(luong([q, changed], use_causal_mask=True).value[:, :2], first.value[:, :2], rtol=1e-6)


def test_dropout_applies_in_training_only_and_repeats_with_a_seed():
    q = rng.standard_normal((2, 5, 4)).astype("float32")
    mha = layers.MultiHeadAttention(2, 2, dropout=0.5, seed=3)
    inference = mha(q, q).value
    np.testing.assert_array_equal(mha(q, q, training=False).value, inference)
    assert not np.allclose(mha(q, q, training=True).value, inference)
    twins = [layers.MultiHeadAttention(2, 2, dropout=0.5, seed=3) for _ in range(2)]
    for twin in twins:
        twin(q, q)
        twin.set_weights(mha.get_weights())
    np.testing.assert_array_equal(twins[0](q, q, training=True).value, twins[1](q, q, training=True).value)
    luong = layers.Attention(dropout=0.5)
    _, kept = luong([q, q], training=True, return_attention_scores=True)
    _, weights = luong([q, q], return_attention_scores=True)
    dropped = kept.value == 0
    assert dropped.any() and not dropped.all()
    np.testing.assert_allclose(kept.value[~dropped], 2 * weights.value[~dropped], rtol=1e-6)  # 1 / (1 - rate)


# ---------------------------------------------------------------------- gradients
def _masks():
    value_mask = np.array([[True, True, False, True, True], [True, False, True, True, False]])
    attention_mask = np.ones((2, 3, 5), bool)
    attention_mask[0, 1] = False  # a query step with no key left
    attention_mask[1, 2, :2] = False
    return value_mask, attention_mask


@pytest.mark.parametrize("kwargs, call", [
    ({}, {}),
    ({}, {"masks": True, "use_causal_mask": True}),
    ({"value_dim": 3, "output_shape": (2, 2), "use_gate": True}, {"masks": True, "return_attention_scores": True}),
    ({"dropout": 0.3, "sliding_window": 2, "use_bias": False}, {"masks": True, "training": True}),
])
def test_multi_head_attention_gradients(kwargs, call):
    q, v, k = (rng.standard_normal(s) for s in ((2, 3, 4), (2, 5, 3), (2, 5, 4)))
    mha = layers.MultiHeadAttention(2, 2, **kwargs)
    call = dict(call)
    if call.pop("masks", False):
        call["value_mask"], call["attention_mask"] = _masks()
    query_mask = np.array([[True, True, False], [True, True, True]])
    mha(q, v, key=k)

    def f(q, v, k):
        out = mha(q, v, key=k, query_mask=query_mask, **call)
        if not isinstance(out, tuple):
            return out
        ops = dendrite.autodiff.ops  # the output and the scores, weighted, both reach the gradient
        return ops.add(ops.sum(out[0]), ops.sum(ops.multiply(out[1], np.arange(out[1].shape[-1], dtype=float))))
    check_grads(f, [q, v, k], params=mha.trainable_weights)


def test_multi_head_attention_gradients_over_two_attention_axes():
    x = rng.standard_normal((2, 3, 2, 4))
    mha = layers.MultiHeadAttention(2, 2, attention_axes=(1, 2))
    mha(x, x)
    mask = np.ones((2, 3, 2, 3, 2), bool)
    mask[1, 0, 1, 2] = False
    check_grads(lambda t: mha(t, t, attention_mask=mask), [x], params=mha.trainable_weights)


@pytest.mark.parametrize("cls, kwargs", [
    (layers.Attention, {}), (layers.Attention, {"use_scale": True}),
    (layers.Attention, {"use_scale": True, "score_mode": "concat"}), (layers.AdditiveAttention, {}),
    (layers.AdditiveAttention, {"use_scale": False, "dropout": 0.4}),
])
@pytest.mark.parametrize("three", [False, True])
def test_attention_and_additive_attention_gradients_with_masks(cls, kwargs, three):
    q, v, k = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 2)), rng.standard_normal((2, 5, 4))
    if not three:
        v = k
    layer = cls(**kwargs)
    mask = [np.array([[True, False, True], [True, True, True]]), _masks()[0]]
    inputs = [q, v, k] if three else [q, v]
    layer(inputs)
    check_grads(lambda *ts: layer(list(ts), mask=mask, use_causal_mask=three, training=True), inputs,
                params=layer.trainable_weights)


# ---------------------------------------------------------------- in models
def _seq_model():
    query, value = layers.Input((4, 6)), layers.Input((5, 3))
    mha = layers.MultiHeadAttention(2, 3, name="mha")
    out, scores = mha(query, value, key=layers.Dense(6)(value), return_attention_scores=True)
    luong = layers.Attention(use_scale=True)([query, layers.Dense(6)(value)])
    joined = layers.Concatenate()([out, luong])
    return dendrite.Model([query, value], [layers.Dense(1)(layers.GlobalAveragePooling1D()(joined)), scores]), mha


def test_symbolic_calls_record_every_tensor_and_run_fit_evaluate_predict(tmp_path):
    model, mha = _seq_model()
    assert [tuple(t.shape) for t in model.outputs] == [(None, 1), (None, 2, 4, 5)]
    node = mha._inbound_nodes[0]
    assert set(node.kwargs) == {"value", "key", "return_attention_scores"} and len(node.inputs) == 3
    q = rng.standard_normal((32, 4, 6)).astype("float32")
    v = rng.standard_normal((32, 5, 3)).astype("float32")
    y = q.mean(axis=(1, 2))[:, None]
    prediction, scores = model.predict([q, v], verbose=0)
    assert prediction.shape == (32, 1) and scores.shape == (32, 2, 4, 5)
    np.testing.assert_allclose(scores.sum(axis=-1), 1, rtol=1e-5)
    trained = dendrite.Model(model.inputs, model.outputs[0])  # the same layers, without the scores output
    trained.compile(optimizer=dendrite.optimizers.Adam(0.01), loss="mse")
    history = trained.fit([q, v], y, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert np.isclose(trained.evaluate([q, v], y, verbose=0), np.mean((trained.predict([q, v], verbose=0) - y) ** 2),
                      rtol=1e-4)
    assert not np.allclose(model.predict([q, v], verbose=0)[0], prediction)  # fit moved the shared layers
    model.save(tmp_path / "m.keras")
    loaded = dendrite.models.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded.predict([q, v], verbose=0), model.predict([q, v], verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    rebuilt = dendrite.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict([q, v], verbose=0)[0], model.predict([q, v], verbose=0)[0],
                               rtol=1e-5)


def test_summary_counts_parameters_as_keras(capsys):
    x, _, params = model_arrays("text_transformer")
    model = builders.text_transformer(dendrite)
    assert model.count_params() == params == 1147
    model.summary()
    text = capsys.readouterr().out
    assert "Total params: 1,147" in text
    line = next(row for row in text.splitlines() if row.startswith("multi_head_attention (MultiHea"))
    assert "568" in line.split()
    # 568 = query, key, value kernels 8 x 2 x 8 and biases 2 x 8, then the output's 2 x 8 x 8 and 8


@pytest.mark.parametrize("name", sorted(builders.MODELS))
def test_files_keras_wrote_load_and_predict_what_keras_predicted(name):
    x, y, params = model_arrays(name)
    model = builders.MODELS[name](dendrite)
    assert model.count_params() == params
    before = [w.copy() for w in model.get_weights()]
    model.load_weights(os.path.join(FIXTURES, name + ".weights.h5"))
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()) if a.size > 1)
    np.testing.assert_allclose(model.predict(x, verbose=0), y, rtol=1e-5, atol=1e-6)
    loaded = dendrite.models.load_model(os.path.join(FIXTURES, name + ".keras"))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), y, rtol=1e-5, atol=1e-6)


def test_weights_file_lays_out_the_projections_where_keras_puts_them(tmp_path):
    model = builders.two_sequences(dendrite)
    model.save_weights(tmp_path / "m.weights.h5")

    def datasets(path):
        found = {}
        with h5py.File(path, "r") as f:
            f.visititems(lambda key, obj: found.update({key: obj.shape}) if hasattr(obj, "shape") else None)
        return found
    ours = datasets(tmp_path / "m.weights.h5")
    assert ours == datasets(os.path.join(FIXTURES, "two_sequences.weights.h5"))
    assert "layers/multi_head_attention/query_dense/vars/0" in ours
    assert "layers/multi_head_attention/_gate_dense/vars/1" in ours


def test_a_transformer_block_learns_in_fit():
    # keras.io's text classification block (token and position embeddings, MultiHeadAttention, LayerNormalization,
    # a feed-forward net) on random tokens; the label: whether token 1 occurs
    data = np.random.default_rng(5)
    tokens = data.integers(2, 20, size=(256, 10))
    labels = data.integers(0, 2, size=256)
    tokens[np.flatnonzero(labels), data.integers(0, 10, size=int(labels.sum()))] = 1
    positions = np.broadcast_to(np.arange(10), tokens.shape)
    token_in, position_in = layers.Input((10,), dtype="int32"), layers.Input((10,), dtype="int32")
    x = layers.Add()([layers.Embedding(20, 16)(token_in), layers.Embedding(10, 16)(position_in)])
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=16)(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, layers.Dropout(0.1)(attended)]))
    ffn = layers.Dense(16)(layers.Dense(32, activation="relu")(x))
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, layers.Dropout(0.1)(ffn)]))
    outputs = layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling1D()(x))
    model = dendrite.Model([token_in, position_in], outputs)
    model.compile(optimizer=dendrite.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit([tokens, positions], labels, epochs=8, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0] and history.history["accuracy"][-1] > 0.9


# -------------------------------------------------------------------------- errors
def test_errors_name_the_layer_and_the_fix():
    mha = layers.MultiHeadAttention(2, 3, name="m")
    x = np.ones((2, 4, 5), "float32")
    with pytest.raises(TypeError, match=r"MultiHeadAttention 'm': missing the `value` tensor.*layer\(x, x\)"):
        mha(x)
    with pytest.raises(ValueError, match=r"same rank.*query=\(2, 4, 5\), value=\(2, 5\)"):
        mha(x, np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"all axes of `value` and `key` but the last must be equal"):
        mha(x, x, key=np.ones((2, 3, 5)))
    with pytest.raises(ValueError, match=r"attention mask has shape \(2, 1, 3, 4\).*\(batch, T, S\) = \(2, 4, 4\)"):
        mha(x, x, attention_mask=np.ones((2, 3, 4), bool))
    mha(x, x)
    with pytest.raises(ValueError, match=r"built for a query with 5 features.*shape \(2, 4, 7\).*new layer"):
        mha(np.ones((2, 4, 7)), x)
    with pytest.raises(ValueError, match=r"`value_mask` must have shape \(2, 4\).*received a mask of shape \(2, 3\)"):
        mha(x, x, value_mask=np.ones((2, 3), bool))
    with pytest.raises(ValueError, match=r"`num_heads` must be a positive integer. Received: num_heads=0"):
        layers.MultiHeadAttention(0, 3)
    with pytest.raises(ValueError, match=r"flash_attention=True.*leave it None"):
        layers.MultiHeadAttention(2, 3, flash_attention=True)
    with pytest.raises(ValueError, match=r"`attention_axes` must name distinct step axes.*1\.\.1.*\(2,\)"):
        layers.MultiHeadAttention(2, 3, attention_axes=2)(x, x)
    with pytest.raises(ValueError, match=r"some of .*'query'.*'value'.* are symbolic tensors"):
        mha(layers.Input((4, 5)), x)
    luong = layers.Attention(name="a")
    with pytest.raises(ValueError, match=r"Attention 'a': call it on a list \[query, value\]"):
        luong(x)
    with pytest.raises(ValueError, match=r"key and value must have the same number of steps"):
        luong([x, x, np.ones((2, 3, 5))])
    with pytest.raises(ValueError, match=r"`mask` must be a list \[query_mask, value_mask\]"):
        luong([x, x], mask=np.ones((2, 4), bool))
    with pytest.raises(ValueError, match=r"`score_mode` must be 'dot'.*score_mode='add'"):
        layers.Attention(score_mode="add")
