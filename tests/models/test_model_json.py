"""model.to_json() and models.model_from_json: Keras's JSON envelope both ways, Sequential in Keras 3's
config format, custom layers by registration or custom_objects, and JSON that Keras 3.15.1 wrote
(tests/fixtures/keras_json, made by tools/make_keras_json_fixtures.py)."""
import json
import os

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers, saving
from dendrite.models import model_from_json

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_json")
NAMES = ["sequential_mlp", "sequential_convnet", "functional_two_inputs"]
ENVELOPE = ["module", "class_name", "config", "registered_name"]


def _fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        text = f.read()
    arrays = np.load(os.path.join(FIXTURES, name + ".npz"), allow_pickle=False)
    pick = lambda p: [arrays[f"{p}{i}"] for i in range(sum(k.startswith(p) for k in arrays.files))]  # noqa: E731
    return text, pick("w"), pick("x"), pick("y")


def _predict(model, xs):
    return np.asarray(model.predict(xs if len(xs) > 1 else xs[0], verbose=0))


@pytest.mark.parametrize("name", NAMES)
def test_json_written_by_keras_loads_and_predicts_what_keras_predicted(name):
    text, weights, xs, ys = _fixture(name)
    theirs = json.loads(text)
    model = model_from_json(text)
    entries = [e for e in theirs["config"]["layers"] if e["class_name"] != "InputLayer"]
    assert [type(layer).__name__ for layer in model.layers if not isinstance(layer, layers.InputLayer)] == \
        [e["class_name"] for e in entries]
    model.set_weights(weights)
    np.testing.assert_allclose(_predict(model, xs), ys[0], rtol=1e-5, atol=1e-5)
    # dendrite writes the same envelope, and the same entries, layer for layer
    mine = json.loads(model.to_json())
    assert list(mine)[:4] == ENVELOPE and list(theirs)[:4] == ENVELOPE
    assert [mine[k] for k in ENVELOPE if k != "config"] == [theirs[k] for k in ENVELOPE if k != "config"]
    assert sorted(mine["config"]) == sorted(theirs["config"])
    for a, b in zip(mine["config"]["layers"], theirs["config"]["layers"]):
        assert [a[k] for k in ("module", "class_name", "registered_name")] == \
            [b[k] for k in ("module", "class_name", "registered_name")]
        assert a["config"]["name"] == b["config"]["name"]
    if theirs["class_name"] == "Sequential":
        assert mine["config"]["build_input_shape"] == theirs["config"]["build_input_shape"]
        assert mine["build_config"] == theirs["build_config"]


def test_sequential_config_is_keras_3s():
    model = keras.Sequential([keras.Input((3,), name="x"), layers.Dense(2, name="d")], name="seq")
    config = model.get_config()
    assert list(config) == ["name", "trainable", "dtype", "layers", "build_input_shape"]
    assert config["build_input_shape"] == [None, 3]
    assert config["layers"][0] == {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                                   "config": {"batch_shape": [None, 3], "dtype": "float32", "sparse": False,
                                              "name": "x"}}
    dense = config["layers"][1]
    assert list(dense) == ENVELOPE + ["build_config"] and dense["build_config"] == {"input_shape": [None, 3]}
    assert (dense["module"], dense["class_name"]) == ("keras.layers", "Dense")
    unbuilt = keras.Sequential([layers.Dense(2)]).get_config()
    assert "build_input_shape" not in unbuilt and list(unbuilt["layers"][0]) == ENVELOPE


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_dendrite_json_round_trips(kind):
    rng = np.random.default_rng(3)
    if kind == "sequential":
        model = keras.Sequential([keras.Input((6,)), layers.Dense(5, activation="relu", kernel_regularizer="l2"),
                                  layers.BatchNormalization(), layers.Dense(2, activation="softmax")], name="s")
        xs = [rng.standard_normal((3, 6)).astype(np.float32)]
    else:
        a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
        shared = layers.Dense(3, name="shared")
        out = layers.Dense(1, name="out")(layers.concatenate([shared(a), shared(layers.Dense(4)(b))]))
        model = keras.Model([a, b], out, name="f")
        xs = [rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal((3, 2)).astype(np.float32)]
    text = model.to_json(indent=1)
    again = model_from_json(text)
    assert type(again) is type(model) and again.name == model.name
    assert [type(layer) for layer in again.layers] == [type(layer) for layer in model.layers]
    assert json.loads(again.to_json()) == json.loads(text)
    again.set_weights(model.get_weights())
    np.testing.assert_allclose(_predict(again, xs), _predict(model, xs), rtol=1e-6)


def test_earlier_and_tf_keras_2_sequential_configs_still_load():
    earlier = {"name": "old", "layers": [{"class_name": "Dense", "config": {"units": 2, "name": "d"}}],
               "batch_input_shape": [None, 3]}  # what dendrite's Sequential.get_config wrote before
    model = keras.Sequential.from_config(earlier)
    assert model.input.shape == (None, 3) and model.layers[0].units == 2
    tf_keras_2 = json.dumps({"class_name": "Sequential", "keras_version": "2.13.1", "backend": "tensorflow",
                             "config": {"name": "sequential", "layers": [
                                 {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4],
                                                                         "dtype": "float32", "name": "dense_input"}},
                                 {"class_name": "Dense", "config": {
                                     "name": "dense", "trainable": True, "dtype": "float32", "units": 2,
                                     "activation": "relu", "use_bias": True,
                                     "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                                     "bias_initializer": {"class_name": "Zeros", "config": {}},
                                     "kernel_regularizer": None, "bias_regularizer": None,
                                     "activity_regularizer": None, "kernel_constraint": None,
                                     "bias_constraint": None}}]}})
    model = model_from_json(tf_keras_2)
    assert model.input.shape == (None, 4) and model.layers[0].activation is keras.activations.relu
    built_later = {"name": "b", "layers": [{"class_name": "Dense", "config": {"units": 3}}],
                   "build_input_shape": [None, 5]}
    assert keras.Sequential.from_config(built_later).layers[0].kernel.shape == (5, 3)


@saving.register_keras_serializable(package="JsonTest")
class ScaledDense(layers.Dense):
    def __init__(self, units, scale=2.0, **kwargs):
        super().__init__(units, **kwargs)
        self.scale = scale

    def call(self, inputs, training=None):
        return keras.ops.multiply(super().call(inputs, training=training), self.scale)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


class Unlisted(layers.Dense):
    pass


def test_custom_layers_by_registration_custom_objects_or_scope():
    model = keras.Sequential([keras.Input((3,)), ScaledDense(2, scale=3.0, name="scaled")])
    text = model.to_json()
    entry = json.loads(text)["config"]["layers"][1]
    assert (entry["module"], entry["class_name"], entry["registered_name"]) == (__name__, "ScaledDense",
                                                                                "JsonTest>ScaledDense")
    again = model_from_json(text)
    assert type(again.layers[0]) is ScaledDense and again.layers[0].scale == 3.0
    again.set_weights(model.get_weights())
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)

    a = keras.Input((3,))
    text = keras.Model(a, Unlisted(2, name="u")(a)).to_json()
    with pytest.raises(ValueError) as info:
        model_from_json(text)
    message = str(info.value)
    for part in ("from_config: unknown layer class 'Unlisted'", f"module '{__name__}'",
                 "register_keras_serializable", "custom_objects={'Unlisted': Unlisted}"):
        assert part in message
    assert type(model_from_json(text, custom_objects={"Unlisted": Unlisted}).layers[1]) is Unlisted
    with saving.custom_object_scope({"Unlisted": Unlisted}):
        assert type(model_from_json(text).layers[1]) is Unlisted


def test_bad_json_and_code_are_refused():
    with pytest.raises(ValueError, match=r"model_from_json: the string is not valid JSON"):
        model_from_json("{not json")
    with pytest.raises(ValueError, match=r"expected a JSON object with 'class_name' and a 'config' object"):
        model_from_json("[1, 2]")
    with pytest.raises(TypeError, match=r"expected the JSON string that model.to_json\(\) returns; received dict"):
        model_from_json({"class_name": "Sequential"})
    with pytest.raises(ValueError, match=r"describes a Dense, not a model"):
        model_from_json(json.dumps(saving.serialize_keras_object(layers.Dense(2))))
    lambda_layer = {"module": "keras.layers", "class_name": "Lambda", "registered_name": None, "config": {
        "name": "twice", "function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAA", "defaults": None,
                                                                             "closure": None}}}}
    text = json.dumps({"module": "keras", "class_name": "Sequential", "registered_name": None, "config": {
        "name": "s", "layers": [{"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                                 "config": {"batch_shape": [None, 2], "name": "in"}}, lambda_layer]}})
    with pytest.raises(ValueError, match=r"Lambda layer 'twice' whose function, stored as Python bytecode.*"
                                         r"safe_mode=True refuses it"):
        model_from_json(text)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras 3.15.1's own numpy-backend Conv2D warns
@pytest.mark.parametrize("name", NAMES)
def test_json_dendrite_writes_loads_in_real_keras(name, real_keras):
    """Skipped without Keras (never installed in CI): see tools/make_keras_json_fixtures.py."""
    real = real_keras
    text, weights, xs, ys = _fixture(name)
    theirs = real.models.model_from_json(model_from_json(text).to_json())
    theirs.set_weights(weights)
    np.testing.assert_allclose(_predict(theirs, xs), ys[0], rtol=1e-5, atol=1e-5)
