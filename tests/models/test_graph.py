"""Functional models as graphs: several inputs and outputs, shared layers, nested models, Keras 3's
config format both ways (fixtures written by real Keras, see tools/make_keras_fixtures.py)."""
import json
import os
import re

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "keras")
rng = np.random.default_rng(3)


def two_heads():
    a, b = keras.Input((4,), name="left"), keras.Input((3,), name="right")
    h = layers.concatenate([layers.Dense(8, activation="relu", name="da")(a),
                            layers.Dense(8, activation="tanh", name="db")(b)], name="joined")
    h = layers.Add(name="shortcut")([h, layers.Dense(16, name="mix")(h)])
    cls = layers.Dense(3, activation="softmax", name="cls")(h)
    reg = layers.Dense(1, name="reg")(h)
    return keras.Model([a, b], [cls, reg], name="two_heads")


def test_a_two_input_two_output_model_runs_its_graph_and_counts_keras_parameters(capsys):
    model = two_heads()
    assert model.input_names == ["left", "right"] and model.output_names == ["cls", "reg"]
    assert [layer.name for layer in model.layers] == ["left", "right", "da", "db", "joined", "mix", "shortcut",
                                                     "cls", "reg"]
    # da 4*8+8, db 3*8+8, mix 16*16+16, cls 16*3+3, reg 16+1: what Keras's summary gives for this model
    assert model.count_params() == 40 + 32 + 272 + 51 + 17 == 412
    x1, x2 = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    cls, reg = model([x1, x2])
    w = {layer.name: [v.numpy() for v in layer.weights] for layer in model.layers}
    h = np.concatenate([np.maximum(x1 @ w["da"][0] + w["da"][1], 0), np.tanh(x2 @ w["db"][0] + w["db"][1])], 1)
    h = h + h @ w["mix"][0] + w["mix"][1]
    logits = h @ w["cls"][0] + w["cls"][1]
    expected = np.exp(logits - logits.max(1, keepdims=True))
    np.testing.assert_allclose(cls.numpy(), expected / expected.sum(1, keepdims=True), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(reg.numpy(), h @ w["reg"][0] + w["reg"][1], rtol=1e-5, atol=1e-5)
    by_name = model({"right": x2, "left": x1})
    np.testing.assert_array_equal(by_name[0].numpy(), cls.numpy())
    model.summary()
    text = capsys.readouterr().out
    assert "Connected to" in text
    assert re.search(r"\njoined \(Concatenate\) +\(None, 16\) +0 +da\[0\]\[0\] *\n +db\[0\]\[0\]", text)
    assert "Total params: 412" in text


def test_a_shared_layer_keeps_one_set_of_weights_and_a_nested_model_runs_as_a_layer():
    encoder_in = keras.Input((6,))
    encoder = keras.Model(encoder_in, layers.Dense(4, activation="relu")(encoder_in), name="encoder")
    x1, x2 = keras.Input((6,)), keras.Input((6,))
    shared = layers.Dense(2, name="shared")
    out = layers.Subtract()([shared(encoder(x1)), shared(encoder(x2))])
    model = keras.Model([x1, x2], out)
    assert len(model.weights) == 4  # the encoder's kernel and bias once, the shared layer's once
    a = rng.standard_normal((3, 6))
    np.testing.assert_allclose(model([a, a]).numpy(), np.zeros((3, 2)), atol=1e-7)
    b = rng.standard_normal((3, 6))
    np.testing.assert_allclose(model([a, b]).numpy(), (shared(encoder(a)) - shared(encoder(b))).numpy(), atol=1e-6)
    assert len(shared._inbound_nodes) >= 2 and model.layers[2] is encoder


def test_a_residual_model_trains_and_its_gradients_reach_both_branches():
    x = keras.Input((5,))
    h = layers.Dense(5, activation="relu")(x)
    out = layers.Dense(1)(layers.Add()([x, h]))
    model = keras.Model(x, out)
    data = rng.standard_normal((64, 5)).astype("float32")
    y = data.sum(1, keepdims=True) + 0.5 * np.maximum(data[:, :1], 0)
    model.compile(keras.optimizers.Adam(0.02), "mse")
    before = [w.numpy().copy() for w in model.weights]
    history = model.fit(data, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    assert all(not np.array_equal(b, w.numpy()) for b, w in zip(before, model.weights))


def test_graph_mistakes_are_named_when_the_model_is_defined():
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    out = layers.Dense(2, name="head")(b)
    with pytest.raises(ValueError, match=r"not connected to the inputs.*depend on 'b'.*\['a'\]"):
        keras.Model(a, out)
    with pytest.raises(ValueError, match=r"input\(s\) \['a'\] are not used"):
        keras.Model([a, b], out)
    dense = layers.Dense(3, name="d")
    dense(a)
    with pytest.raises(ValueError, match=r"layer 'd'.*value 4.*\(None, 5\).*comes from layer 'five'"):
        dense(layers.Dense(5, name="five")(a))
    with pytest.raises(ValueError, match=r"has 2 inputs \['a', 'b'\]: pass a list of 2 arrays"):
        keras.Model([a, b], layers.add([a, b]))(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"the input dict lacks \['b'\]"):
        keras.Model([a, b], layers.add([a, b]))({"a": np.ones((2, 4))})


def test_an_intermediate_output_model_shares_the_weights():
    x = keras.Input((3,))
    hidden = layers.Dense(4, name="hidden")(x)
    model = keras.Model(x, [layers.Dense(1)(hidden), hidden])
    features = keras.Model(model.input, model.get_layer("hidden").output)
    data = rng.standard_normal((2, 3))
    np.testing.assert_allclose(features(data).numpy(), model(data)[1].numpy())


# the last three: recurrent layers given tensors as keyword arguments (initial_state=, mask=), written by
# tools/make_keras_seq2seq_fixtures.py
KERAS_FIXTURES = ["two_inputs_two_outputs", "shared_and_nested", "dot_sequences", "seq2seq", "masked_gru",
                  "bidirectional_states"]


def _fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        config = json.load(f)
    arrays = np.load(os.path.join(FIXTURES, name + ".npz"), allow_pickle=False)
    pick = lambda p: [arrays[f"{p}{i}"] for i in range(sum(k.startswith(p) for k in arrays.files))]  # noqa: E731
    return config, pick("w"), pick("x"), pick("y")


@pytest.mark.parametrize("name", KERAS_FIXTURES)
def test_configs_written_by_keras_load_and_predict_what_keras_predicted(name):
    config, weights, xs, ys = _fixture(name)
    model = keras.Model.from_config(config)
    assert [layer.name for layer in model.layers] == [entry["name"] for entry in config["layers"]]
    model.set_weights(weights)
    feed = dict(zip(config["input_layers"], xs)) if isinstance(config["input_layers"], dict) else xs
    out = model(feed)
    for got, want in zip(out if isinstance(out, list) else [out], ys):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    again = model.get_config()  # and dendrite writes what Keras wrote, structure for structure
    assert again["input_layers"] == config["input_layers"] and again["output_layers"] == config["output_layers"]
    for mine, theirs in zip(again["layers"], config["layers"]):
        assert (mine["class_name"], mine["name"]) == (theirs["class_name"], theirs["name"])
        assert [_refs(n) for n in mine["inbound_nodes"]] == [_refs(n) for n in theirs["inbound_nodes"]]


def test_masks_keras_records_as_op_calls_are_computed_by_dendrites_layers():
    """Keras 3 writes the masks of Embedding(mask_zero=True) and Masking as op calls (not_equal, any) read by
    later calls as mask=; dendrite carries masks on the data, so it loads the model without them."""
    config, weights, xs, ys = _fixture("masked_text")
    ops = {"not_equal", "not_equal_1", "any"}
    assert ops <= {entry["name"] for entry in config["layers"]}
    model = keras.Model.from_config(config)
    # (the same layers; Keras's op calls change its depth-based order a little: frames_padded comes before lstm there)
    assert sorted(layer.name for layer in model.layers) == sorted(e["name"] for e in config["layers"]
                                                                  if e["name"] not in ops)
    model.set_weights(weights)
    assert (xs[0] == 0).any() and (xs[1] == 0).all(axis=-1).any()  # padded tokens and padded frames
    for got, want in zip(model(xs), ys):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    unmasked = model.get_layer("gru")(xs[1]).numpy()
    assert not np.allclose(unmasked, ys[1], atol=1e-4)  # the masks mattered
    gru = next(e for e in model.get_config()["layers"] if e["name"] == "gru")
    assert "mask" not in gru["inbound_nodes"][0]["kwargs"]
    used = dict(config, layers=[dict(e) for e in config["layers"]])
    used["layers"].append({"module": "keras.layers", "class_name": "Dense", "name": "reads_the_mask",
                           "config": {"name": "reads_the_mask", "units": 1},
                           "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
                               "shape": [None, 6], "dtype": "bool", "keras_history": ["any", 0, 0]}}],
                               "kwargs": {}}]})
    # an op whose output is used as data is not left out, nor the ops it reads: refused as unknown classes
    with pytest.raises(ValueError, match=r"unknown layer class 'NotEqual' in \{.*'name': 'not_equal_1'"):
        keras.Model.from_config(used)


def _refs(node):
    """The keras_history entries of one recorded call, those of its keyword arguments after its inputs'."""
    out = []

    def walk(v):
        if isinstance(v, dict) and v.get("class_name") == "__keras_tensor__":
            out.append(v["config"]["keras_history"])
        elif isinstance(v, dict):
            for item in v.values():
                walk(item)
        elif isinstance(v, list):
            for item in v:
                walk(item)
    walk(node["args"])
    walk(node["kwargs"])
    return out


@pytest.mark.parametrize("name", KERAS_FIXTURES + ["masked_text"])
def test_configs_dendrite_writes_load_in_real_keras(name, tmp_path, real_keras):
    """Skipped without Keras (never installed in CI): see tools/make_keras_fixtures.py."""
    real = real_keras
    config, weights, xs, ys = _fixture(name)
    model = keras.Model.from_config(config)
    theirs = real.Model.from_config(json.loads(json.dumps(model.get_config())))
    theirs.set_weights(weights)
    feed = dict(zip(config["input_layers"], xs)) if isinstance(config["input_layers"], dict) else xs
    out = theirs.predict(feed, verbose=0)
    for got, want in zip(out if isinstance(out, (list, tuple)) else [out], ys):
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6)


def test_tf_keras_2_functional_configs_load():
    """tf.keras 2 wrote inbound nodes as lists of [layer, node, tensor, kwargs]."""
    config = {"name": "model", "layers": [
        {"class_name": "InputLayer", "name": "input_1",
         "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "input_1"}, "inbound_nodes": []},
        {"class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 2, "activation": "relu"},
         "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"class_name": "Dense", "name": "dense_1", "config": {"name": "dense_1", "units": 2},
         "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"class_name": "Add", "name": "add", "config": {"name": "add"},
         "inbound_nodes": [[["dense", 0, 0, {}], ["dense_1", 0, 0, {}]]]}],
        "input_layers": [["input_1", 0, 0]], "output_layers": [["add", 0, 0]]}
    model = keras.Model.from_config(config)
    assert [layer.name for layer in model.layers] == ["input_1", "dense", "dense_1", "add"]
    x = rng.standard_normal((2, 3))
    d, d1 = model.get_layer("dense"), model.get_layer("dense_1")
    np.testing.assert_allclose(model(x).numpy(), (d(x) + d1(x)).numpy(), rtol=1e-6)


def test_malformed_configs_fail_with_dendrites_message():
    with pytest.raises(ValueError, match="expected a functional model's config"):
        keras.Model.from_config({"layers": []})
    bad = {"name": "m", "layers": [{"class_name": "Dense", "name": "d", "config": {"units": 2},
                                    "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
                                                                 "config": {"keras_history": ["nowhere", 0, 0]}}],
                                                       "kwargs": {}}]}],
           "input_layers": [["nowhere", 0, 0]], "output_layers": [["d", 0, 0]]}
    with pytest.raises(ValueError, match=r"layer\(s\) \['d'\] read tensors that no layer of the config makes"):
        keras.Model.from_config(bad)
    with pytest.raises(ValueError, match="unknown layer class 'MyCustomLayer'"):
        keras.Model.from_config({"name": "m", "layers": [{"class_name": "MyCustomLayer", "config": {}}],
                                 "input_layers": [], "output_layers": []})


def test_the_calls_training_wins_over_one_a_keras_config_recorded():
    config = {"name": "m", "trainable": True, "layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"batch_shape": [None, 400], "name": "x"},
         "inbound_nodes": []},
        {"class_name": "Dropout", "name": "drop", "config": {"name": "drop", "rate": 0.5},
         "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
                                      "config": {"shape": [None, 400], "keras_history": ["x", 0, 0]}}],
                            "kwargs": {"training": False}}]}],  # as Keras 3 records Dropout's node
        "input_layers": [["x", 0, 0]], "output_layers": [["drop", 0, 0]]}
    model = keras.Model.from_config(config)
    assert (model(np.ones((2, 400)), training=True).numpy() == 0).mean() > 0.3  # dropout is on in training
    np.testing.assert_array_equal(model(np.ones((2, 400))).numpy(), np.ones((2, 400)))


def test_merging_inputs_of_different_rank_keeps_the_samples_apart():
    a, b = keras.Input((2, 4)), keras.Input((4,))
    model = keras.Model([a, b], layers.Add()([a, b]))
    out = model([np.zeros((2, 2, 4)), np.array([[1.0] * 4, [5.0] * 4])]).numpy()
    np.testing.assert_array_equal(out[:, :, 0], [[1, 1], [5, 5]])  # as Keras: each sample its own row


def test_a_single_output_given_by_name_and_flat_metric_lists_as_keras_3():
    i = keras.Input((3,))
    out = layers.Dense(1, name="out")(i)
    model = keras.Model(i, {"out": out})
    model.compile("sgd", loss={"out": "mse"}, metrics={"out": ["mae"]})
    history = model.fit(np.ones((8, 3)), {"out": np.zeros((8, 1))}, epochs=1, verbose=0)
    assert list(history.history) == ["loss", "mae"]
    two = two_heads()  # a flat list of another length scores every output, as tf.keras 2 (Keras 3 refuses it)
    two.compile("adam", "mse", metrics=["mae"])
    history = two.fit([np.ones((8, 4)), np.ones((8, 3))], [np.zeros((8, 3)), np.zeros((8, 1))], epochs=1, verbose=0)
    assert sorted(history.history) == ["cls_loss", "cls_mae", "loss", "reg_loss", "reg_mae"]  # tf_keras 2.21's keys
    with pytest.raises(ValueError, match=r"2 outputs \['cls', 'reg'\].*`metrics` needs 2 entries.*received 3"):
        two.compile("adam", "mse", metrics=[["mae"], "mse", "mae"])
