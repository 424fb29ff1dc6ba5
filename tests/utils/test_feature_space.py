"""keras.utils.FeatureSpace against Keras 3.15 (tests/fixtures/feature_space, written by
tools/make_feature_space_fixtures.py): every feature type and crosses, concat and dict output, learned state,
inputs and encoded features; adapt on Datasets and dicts, use inside Dataset.map, a functional model trained on
the encoded features, the inference model that includes the preprocessing, saving, and errors."""
import json
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.data import Dataset
from dendrite.saving.serialization import deserialize_keras_object, serialize_keras_object
from dendrite.utils import FeatureSpace

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "feature_space")
with open(os.path.join(HERE, "spaces.json")) as f:
    SPACES = json.load(f)
TABLE = dict(np.load(os.path.join(HERE, "table.npz")))
OUTPUTS = dict(np.load(os.path.join(HERE, "outputs.npz")))
WORKING = sorted(k for k, v in SPACES.items() if not k.startswith("_") and "error" not in v)


def columns(split, names):
    return {c: TABLE[f"{split}_{c}"] for c in names}


def adapted(fs, batch):
    fs.adapt(Dataset.from_tensor_slices(columns("train", fs.features)).batch(batch))
    return fs


def check_against_keras(fs, name):
    entry = SPACES[name]
    out = fs(columns("test", fs.features))
    one = fs({c: TABLE[f"test_{c}"][0].item() for c in fs.features})
    if isinstance(out, dict):
        assert list(out) == entry["keys"]  # sorted features, then sorted crosses
        for key, value in out.items():
            value = value.numpy()
            assert value.dtype.name == entry["dtypes"][key], key
            assert list(value.shape) == entry["shapes"][key], key
            np.testing.assert_allclose(value, OUTPUTS[f"{name}/{key}"], rtol=1e-5, atol=1e-6, err_msg=key)
            np.testing.assert_allclose(one[key].numpy(), OUTPUTS[f"{name}@one/{key}"], rtol=1e-5, atol=1e-6)
    else:
        value = out.numpy()
        assert value.dtype.name == entry["dtype"] and list(value.shape) == entry["shape"]
        np.testing.assert_allclose(value, OUTPUTS[name], rtol=1e-5, atol=1e-6)
        assert list(one.shape) == entry["one_shape"]
        np.testing.assert_allclose(one.numpy(), OUTPUTS[f"{name}@one"], rtol=1e-5, atol=1e-6)
    for key, state in entry["learned"].items():
        layer = fs.preprocessors[key]
        if "vocabulary" in state:
            assert layer.get_vocabulary() == state["vocabulary"], key
        if "bin_boundaries" in state:
            np.testing.assert_allclose(layer.bin_boundaries, state["bin_boundaries"], rtol=1e-6)
        if "mean" in state:
            mean, variance = (np.asarray(w.value).ravel() for w in layer.weights[:2])
            np.testing.assert_allclose(mean, state["mean"], rtol=1e-6)
            np.testing.assert_allclose(variance, state["variance"], rtol=1e-5)
    assert {k: [list(v.shape), v.dtype] for k, v in fs.get_inputs().items()} == \
        {k: [[None if d is None else d for d in s], t] for k, (s, t) in entry["inputs"].items()}
    encoded = fs.get_encoded_features()
    if isinstance(encoded, dict):
        assert {k: [list(v.shape), v.dtype] for k, v in encoded.items()} == entry["encoded"]
    else:
        assert [list(encoded.shape), encoded.dtype] == entry["encoded"]


@pytest.mark.parametrize("name", WORKING)
def test_keras_config_rebuilt_adapted_and_encoded_as_keras(name):
    fs = deserialize_keras_object(SPACES[name]["config"])
    assert isinstance(fs, FeatureSpace)
    check_against_keras(adapted(fs, SPACES[name]["batch"]), name)


def test_string_shortcuts_and_constructors_give_keras_outputs():
    shortcuts = FeatureSpace(
        features={"f_plain": "float", "f_rescaled": "float_rescaled", "f_norm": "float_normalized",
                  "f_disc": "float_discretized", "i_cat": "integer_categorical", "s_cat": "string_categorical",
                  "s_hash": "string_hashed", "i_hash": "integer_hashed"},
        crosses=[("s_cat", "i_cat"), ("f_disc", "s_hash")], output_mode="concat")
    check_against_keras(adapted(shortcuts, 16), "shortcuts")
    constructors = FeatureSpace(
        features={
            "f_plain": FeatureSpace.float(),
            "f_rescaled": FeatureSpace.float_rescaled(scale=1 / 255.0, offset=-0.5),
            "f_norm": FeatureSpace.float_normalized(),
            "f_disc": FeatureSpace.float_discretized(num_bins=5),
            "i_cat": FeatureSpace.integer_categorical(max_tokens=4, num_oov_indices=2),
            "s_cat": FeatureSpace.string_categorical(max_tokens=5),
            "s_hash": FeatureSpace.string_hashed(num_bins=7),
            "i_hash": FeatureSpace.integer_hashed(num_bins=5),
        },
        crosses=[FeatureSpace.cross(("i_cat", "s_hash"), crossing_dim=8),
                 FeatureSpace.cross(("f_disc", "s_cat"), crossing_dim=16)])
    check_against_keras(adapted(constructors, 32), "constructors")
    assert sorted(constructors.crossers) == ["f_disc_X_s_cat", "i_cat_X_s_hash"]
    assert isinstance(constructors.preprocessors["s_cat"], layers.StringLookup)
    assert isinstance(constructors.crossers["i_cat_X_s_hash"], layers.HashedCrossing)


def test_custom_preprocessor_and_dict_output():
    custom = FeatureSpace(features={
        "i_cat": FeatureSpace.feature(dtype="int32", preprocessor=layers.CategoryEncoding(num_tokens=12,
                                                                                         output_mode="count"),
                                      output_mode="float"),
        "f_plain": "float"})
    check_against_keras(custom, "custom")  # nothing to adapt: usable at once, as Keras
    dict_int = FeatureSpace(
        features={"s_cat": FeatureSpace.string_categorical(output_mode="int"),
                  "i_cat": FeatureSpace.integer_categorical(output_mode="int"),
                  "f_disc": FeatureSpace.float_discretized(num_bins=3, output_mode="int"),
                  "s_hash": FeatureSpace.string_hashed(num_bins=6, output_mode="int"),
                  "f_norm": "float_normalized", "i_hash": FeatureSpace.integer_hashed(num_bins=4)},
        crosses=[FeatureSpace.cross(("s_cat", "i_cat"), crossing_dim=10, output_mode="int"),
                 FeatureSpace.cross(("f_disc", "s_hash"), crossing_dim=6)],
        output_mode="dict")
    check_against_keras(adapted(dict_int, 10), "dict_int")


def test_where_keras_raises_dendrite_encodes():
    # bin_boundaries given: Keras tries to adapt the Discretization and fails; dendrite leaves it as given
    assert "bin_boundaries" in SPACES["boundaries"]["error"][1]
    fs = FeatureSpace(features={"f_disc": FeatureSpace.float_discretized(num_bins=None,
                                                                         bin_boundaries=[30.0, 50.0, 70.0]),
                                "f_plain": "float"})
    x = columns("test", fs.features)
    out = fs(x).numpy()  # no adapt needed
    expected = np.concatenate([np.eye(4)[np.digitize(x["f_disc"], [30.0, 50.0, 70.0])], x["f_plain"][:, None]], 1)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    # a cross of three features: Keras's HashedCrossing takes two; dendrite's crosses them all
    assert "2 tensors" in SPACES["three_way"]["error"][1]
    fs = FeatureSpace(features={"s_cat": "string_categorical", "i_cat": "integer_categorical",
                                "s_hash": "string_hashed"}, crosses=[("s_cat", "i_cat", "s_hash")])
    adapted(fs, 16)
    assert fs(columns("test", fs.features)).shape == (12, 7 + 6 + 32 + 32)


def test_adapt_on_dicts_and_unbatched_datasets_equals_batches_of_32():
    def space():
        return FeatureSpace(features={"f_norm": "float_normalized", "f_disc": "float_discretized",
                                      "s_cat": "string_categorical", "i_cat": "integer_categorical"},
                            crosses=[("s_cat", "i_cat")])
    train = columns("train", ["f_norm", "f_disc", "s_cat", "i_cat"])
    test = columns("test", ["f_norm", "f_disc", "s_cat", "i_cat"])
    reference = space()
    reference.adapt(Dataset.from_tensor_slices(train).batch(32))
    for data in (train, Dataset.from_tensor_slices(train)):  # scalars are batched by 32, as Keras
        fs = space()
        fs.adapt(data)
        np.testing.assert_allclose(fs(test).numpy(), reference(test).numpy(), rtol=1e-6)
    labelled = Dataset.from_tensor_slices((train, np.zeros(96))).batch(8)
    fs = space()
    fs.adapt(labelled.map(lambda x, _: x))  # the tutorial's train_ds_with_no_labels
    assert fs(test).shape == (12, 1 + 32 + 7 + 6 + 32)


def test_inside_dataset_map_with_parallel_calls():
    fs = adapted(FeatureSpace(features={"f_norm": "float_normalized", "s_cat": "string_categorical",
                                        "i_hash": "integer_hashed"}, crosses=[("s_cat", "i_hash")]), 16)
    data = columns("train", fs.features)
    labels = np.arange(96) % 2
    ds = Dataset.from_tensor_slices((data, labels)).batch(20)
    mapped = ds.map(lambda x, y: (fs(x), y), num_parallel_calls=dendrite.data.AUTOTUNE).prefetch(2)
    xs, ys = zip(*[(np.asarray(x), np.asarray(y)) for x, y in mapped])
    np.testing.assert_allclose(np.concatenate(xs), fs(data).numpy(), rtol=1e-6)
    np.testing.assert_array_equal(np.concatenate(ys), labels)


def heart_table(n, seed):
    """Heart-disease columns (as the keras.io tutorial's CSV) with a target that depends on them."""
    rng = np.random.default_rng(seed)
    t = {"age": rng.integers(29, 78, n), "sex": rng.integers(0, 2, n), "cp": rng.integers(0, 5, n),
         "trestbps": rng.integers(94, 201, n), "chol": rng.integers(126, 565, n),
         "fbs": (rng.random(n) < 0.15).astype("int64"), "restecg": rng.integers(0, 3, n),
         "thalach": rng.integers(71, 203, n), "exang": (rng.random(n) < 0.33).astype("int64"),
         "oldpeak": np.round(rng.gamma(1.0, 1.0, n), 1), "slope": rng.integers(1, 4, n), "ca": rng.integers(0, 4, n),
         "thal": rng.choice(["fixed", "normal", "reversible"], n, p=[0.1, 0.55, 0.35])}
    score = (0.8 * t["sex"] - 0.04 * (t["thalach"] - 150) + 1.2 * t["exang"] + 0.9 * t["oldpeak"] + 0.9 * t["ca"]
             + 1.8 * (t["thal"] == "reversible") - 2.8)
    return t, (score > 0).astype("int64")


def heart_space():
    return FeatureSpace(
        features={"sex": "integer_categorical", "cp": "integer_categorical", "fbs": "integer_categorical",
                  "restecg": "integer_categorical", "exang": "integer_categorical", "ca": "integer_categorical",
                  "thal": "string_categorical", "age": FeatureSpace.float_discretized(num_bins=10),
                  "trestbps": "float_normalized", "chol": "float_normalized", "thalach": "float_normalized",
                  "oldpeak": "float_normalized", "slope": "float_normalized"},
        crosses=[FeatureSpace.cross(("sex", "age"), crossing_dim=16), FeatureSpace.cross(("thal", "ca"), 8)])


def test_functional_models_train_and_infer_from_raw_values(tmp_path):
    (x_train, y_train), (x_val, y_val) = heart_table(400, 0), heart_table(200, 1)
    train_ds = Dataset.from_tensor_slices((x_train, y_train)).batch(32)
    val_ds = Dataset.from_tensor_slices((x_val, y_val)).batch(32)
    fs = heart_space()
    fs.adapt(train_ds.map(lambda x, _: x))
    dict_inputs, encoded = fs.get_inputs(), fs.get_encoded_features()
    hidden = layers.Dense(16, activation="relu")(encoded)
    predictions = layers.Dense(1, activation="sigmoid")(hidden)
    training_model = dendrite.Model(inputs=encoded, outputs=predictions)
    training_model.compile(optimizer=dendrite.optimizers.Adam(0.01), loss="binary_crossentropy",
                           metrics=["accuracy"])
    inference_model = dendrite.Model(inputs=dict_inputs, outputs=predictions)
    history = training_model.fit(train_ds.map(lambda x, y: (fs(x), y)), epochs=15, verbose=0,
                                 validation_data=val_ds.map(lambda x, y: (fs(x), y)))
    majority = max(y_val.mean(), 1 - y_val.mean())
    assert history.history["val_accuracy"][-1] > majority + 0.1
    sample = {"age": 60, "sex": 1, "cp": 1, "trestbps": 145, "chol": 233, "fbs": 1, "restecg": 2, "thalach": 150,
              "exang": 0, "oldpeak": 2.3, "slope": 3, "ca": 0, "thal": "fixed"}
    expected = training_model.predict(fs(sample).numpy()[None], verbose=0)
    for as_batch in (lambda v: [v], lambda v: np.array([v])):
        got = inference_model.predict({k: as_batch(v) for k, v in sample.items()}, verbose=0)
        np.testing.assert_allclose(got, expected, rtol=1e-5)
    inference_model.save(tmp_path / "inference.keras")
    reloaded = dendrite.models.load_model(tmp_path / "inference.keras")
    np.testing.assert_allclose(reloaded.predict({k: [v] for k, v in sample.items()}, verbose=0), expected,
                               rtol=1e-5)


def test_save_load_and_config_round_trip(tmp_path):
    x, _ = heart_table(120, 2)
    fs = heart_space()
    fs.adapt(Dataset.from_tensor_slices(x).batch(16))
    expected = fs(x).numpy()
    fs.save(tmp_path / "fs.keras")
    reloaded = dendrite.models.load_model(tmp_path / "fs.keras")
    assert isinstance(reloaded, FeatureSpace) and reloaded.output_mode == "concat"
    np.testing.assert_array_equal(reloaded(x).numpy(), expected)
    again = FeatureSpace.from_config(json.loads(json.dumps(fs.get_config())))
    assert serialize_keras_object(again)["config"]["features"].keys() == fs.features.keys()
    with pytest.raises(ValueError, match="adapt"):  # a config is not adapted state (as Keras): the file is
        again(x)
    with pytest.raises(ValueError, match="save"):
        fs.save(tmp_path / "fs.h5")


def test_file_written_by_keras_loads():
    data = dict(np.load(os.path.join(HERE, "saved_outputs.npz")))
    expected = data.pop("concat")
    fs = dendrite.models.load_model(os.path.join(HERE, "saved.keras"))
    np.testing.assert_allclose(fs(data).numpy(), expected, rtol=1e-6)
    assert fs.preprocessors["s"].get_vocabulary() == ["[UNK]", "x", "z", "y"]  # from assets/, Keras's order
    assert fs.preprocessors["i"].get_vocabulary() == [-1, 2, 3, 1]


def test_errors_name_what_was_expected_given_and_the_fix():
    assert SPACES["_errors"]["bad_type"][0] == "ValueError" == SPACES["_errors"]["not_adapted"][0]
    with pytest.raises(ValueError, match=r"invalid feature type 'float_normalised' for feature 'a'.*"
                                         r"'float_normalized'"):
        FeatureSpace(features={"a": "float_normalised"})
    fs = FeatureSpace(features={"a": "float_normalized", "b": "string_categorical"})
    with pytest.raises(ValueError, match=r"call `feature_space.adapt\(dataset\)`.*\['a', 'b'\]"):
        fs({"a": [1.0], "b": ["x"]})
    with pytest.raises(ValueError, match="call `feature_space.adapt"):
        fs.get_inputs()
    fs.adapt({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "x"]})
    with pytest.raises(ValueError, match=r"Missing: \['b'\].*Expected exactly \['a', 'b'\]; received \['a'\]"):
        fs({"a": [1.0]})
    with pytest.raises(ValueError, match=r"not declared: \['c'\]"):
        fs({"a": [1.0], "b": ["x"], "c": [2]})
    with pytest.raises(ValueError, match="call it on a dict"):
        fs([1.0, 2.0])
    with pytest.raises(ValueError, match=r"map\(lambda x, y: x\)"):
        FeatureSpace(features={"a": "float_normalized"}).adapt(
            Dataset.from_tensor_slices(({"a": [1.0, 2.0]}, [0, 1])))
    with pytest.raises(ValueError, match=r"adapt: the dataset's elements have no \['b'\]"):
        FeatureSpace(features={"a": "float_normalized", "b": "float_normalized"}).adapt({"a": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"not in `features`"):
        FeatureSpace(features={"a": "string_categorical"}, crosses=[("a", "z")])
    with pytest.raises(ValueError, match="'concat' or 'dict'"):
        FeatureSpace(features={"a": "float"}, output_mode="stack")
    with pytest.raises(ValueError, match="one_hot.*Use output_mode='float'"):
        FeatureSpace(features={"a": FeatureSpace.feature("float32", layers.Rescaling(2.0), "one_hot")})({"a": [1.0]})
    with pytest.raises(ValueError, match="cannot concatenate feature 'a'.*output_mode='dict'"):
        FeatureSpace(features={"a": FeatureSpace.string_hashed(4, output_mode="int")})({"a": ["x"]})
