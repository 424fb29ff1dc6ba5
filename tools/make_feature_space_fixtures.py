"""Writes what Keras 3's FeatureSpace gives on a small generated table, for tests/utils/test_feature_space.py
(not run in CI; needs TensorFlow and Keras 3: /work/bvenv/bin/python tools/make_feature_space_fixtures.py).

tests/fixtures/feature_space/ gets:
- table.npz: the table (``train_<column>`` rows to adapt on, ``test_<column>`` rows to encode, with values not
  seen in training), plain arrays (no pickles);
- spaces.json: per space, Keras's ``serialize_keras_object`` of the FeatureSpace before adapt (the test rebuilds it
  in dendrite from this config), how it is adapted (``batch``: the Dataset's batch size), and what Keras answered:
  for "concat" the output's dtype and shape, for "dict" each key's dtype and shape in Keras's order, the
  preprocessors' learned state (vocabularies, bin boundaries, means / variances), and the error class and message
  for spaces Keras refuses;
- saved.keras: a small adapted FeatureSpace as Keras's ``save`` writes it (vocabularies under assets/), and
  saved_outputs.npz: what it gives on ``SAVED_DATA``;
- outputs.npz: ``<space>`` (concat) or ``<space>/<key>`` (dict) on the test rows, and ``<space>@one`` for the first
  test row given as Python scalars (an unbatched call).
"""
import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402
from keras.utils import FeatureSpace  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "feature_space")


def make_table(n, seed, unseen=False):
    rng = np.random.default_rng(seed)
    cities = np.array(["paris", "lima", "oslo", "rome", "kyiv", "quito"])
    table = {
        "f_plain": rng.normal(3.0, 2.0, n).astype("float32"),
        "f_rescaled": rng.uniform(0, 255, n).astype("float32"),
        "f_norm": rng.normal(50.0, 10.0, n),  # float64, as pandas gives
        "f_disc": rng.uniform(20, 80, n).round(1),
        "i_cat": rng.choice([0, 1, 2, 3, 7], n, p=[0.4, 0.25, 0.15, 0.15, 0.05]).astype("int64"),
        "s_cat": rng.choice(cities, n, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05]),
        "s_hash": rng.choice(cities, n),
        "i_hash": rng.integers(0, 1000, n).astype("int64"),
    }
    if unseen:  # values adapt never saw
        table["i_cat"][:3] = [9, 11, 2]
        table["s_cat"][:3] = ["tokyo", "paris", "cairo"]
        table["f_disc"][:3] = [5.0, 95.0, 50.0]
    return table


def spaces():
    """name -> (FeatureSpace, batch size for adapt). Built fresh each time (constructors number their names)."""
    shortcuts = FeatureSpace(
        features={"f_plain": "float", "f_rescaled": "float_rescaled", "f_norm": "float_normalized",
                  "f_disc": "float_discretized", "i_cat": "integer_categorical", "s_cat": "string_categorical",
                  "s_hash": "string_hashed", "i_hash": "integer_hashed"},
        crosses=[("s_cat", "i_cat"), ("f_disc", "s_hash")], output_mode="concat")
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
                 FeatureSpace.cross(("f_disc", "s_cat"), crossing_dim=16)],
        output_mode="concat")
    three_way = FeatureSpace(  # Keras's HashedCrossing takes two features: recorded as the error Keras gives
        features={"s_cat": "string_categorical", "i_cat": "integer_categorical", "s_hash": "string_hashed"},
        crosses=[("s_cat", "i_cat", "s_hash")], output_mode="concat")
    dict_int = FeatureSpace(
        features={
            "s_cat": FeatureSpace.string_categorical(output_mode="int"),
            "i_cat": FeatureSpace.integer_categorical(output_mode="int"),
            "f_disc": FeatureSpace.float_discretized(num_bins=3, output_mode="int"),
            "s_hash": FeatureSpace.string_hashed(num_bins=6, output_mode="int"),
            "f_norm": "float_normalized",
            "i_hash": FeatureSpace.integer_hashed(num_bins=4),
        },
        crosses=[FeatureSpace.cross(("s_cat", "i_cat"), crossing_dim=10, output_mode="int"),
                 FeatureSpace.cross(("f_disc", "s_hash"), crossing_dim=6)],
        output_mode="dict")
    boundaries = FeatureSpace(  # Keras refuses to adapt it (recorded); dendrite skips it in adapt
        features={"f_disc": FeatureSpace.float_discretized(num_bins=None, bin_boundaries=[30.0, 50.0, 70.0]),
                  "f_plain": "float"},
        output_mode="concat")
    custom = FeatureSpace(
        features={"i_cat": FeatureSpace.feature(dtype="int32",
                                                preprocessor=layers.CategoryEncoding(num_tokens=12,
                                                                                     output_mode="count"),
                                                output_mode="float"),
                  "f_plain": "float"},
        output_mode="concat")
    small_defaults = FeatureSpace(
        features={"f_disc": "float_discretized", "s_hash": "string_hashed", "i_cat": "integer_categorical"},
        crosses=[("s_hash", "i_cat")], crossing_dim=4, hashing_dim=3, num_discretization_bins=6,
        output_mode="concat")
    return {"shortcuts": (shortcuts, 16), "constructors": (constructors, 32), "dict_int": (dict_int, 10),
            "boundaries": (boundaries, 16), "three_way": (three_way, 16), "custom": (custom, 16),
            "small_defaults": (small_defaults, 7)}


def learned(fs):
    state = {}
    for name, layer in fs.preprocessors.items():
        if isinstance(layer, (layers.StringLookup, layers.IntegerLookup)):
            state[name] = {"vocabulary": [v if isinstance(v, str) else int(v) for v in layer.get_vocabulary()]}
        elif isinstance(layer, layers.Discretization):
            state[name] = {"bin_boundaries": [float(b) for b in layer.bin_boundaries]}
        elif isinstance(layer, layers.Normalization):
            state[name] = {"mean": np.asarray(layer.mean).ravel().tolist(),
                           "variance": np.asarray(layer.variance).ravel().tolist()}
    return state


SAVED_DATA = {"a": np.array([1.0, 2.0, 4.0, 5.0]), "s": np.array(["x", "y", "x", "z"]),
              "i": np.array([1, 2, 2, 3]), "d": np.array([1.0, 2.0, 3.0, 4.0])}


def write_saved():
    fs = FeatureSpace(features={"a": "float_normalized", "s": "string_categorical", "i": "integer_categorical",
                                "d": FeatureSpace.float_discretized(num_bins=3)},
                      crosses=[("s", "i")], crossing_dim=4)
    fs.adapt(tf.data.Dataset.from_tensor_slices(SAVED_DATA).batch(2))
    fs.save(os.path.join(OUT, "saved.keras"))
    np.savez(os.path.join(OUT, "saved_outputs.npz"), concat=np.asarray(fs(SAVED_DATA)), **SAVED_DATA)


def main():
    os.makedirs(OUT, exist_ok=True)
    train, test = make_table(96, 0), make_table(12, 1, unseen=True)
    np.savez(os.path.join(OUT, "table.npz"), **{f"train_{k}": v for k, v in train.items()},
             **{f"test_{k}": v for k, v in test.items()})
    meta, outputs = {}, {}
    for name, (fs, batch) in spaces().items():
        entry = {"config": keras.saving.serialize_keras_object(fs), "batch": batch}
        meta[name] = entry
        columns = list(fs.features)
        try:
            ds = tf.data.Dataset.from_tensor_slices({c: train[c] for c in columns}).batch(batch)
            fs.adapt(ds)
            out = fs({c: test[c] for c in columns})
            one = fs({c: test[c][0].item() for c in columns})
        except Exception as e:  # noqa: BLE001 - recorded for the test to compare
            entry["error"] = [type(e).__name__, str(e)]
            continue
        entry["learned"] = learned(fs)
        if isinstance(out, dict):
            entry["keys"] = list(out)
            entry["dtypes"] = {k: np.asarray(v).dtype.name for k, v in out.items()}
            entry["shapes"] = {k: list(np.asarray(v).shape) for k, v in out.items()}
            entry["one_shapes"] = {k: list(np.asarray(v).shape) for k, v in one.items()}
            for k, v in out.items():
                outputs[f"{name}/{k}"] = np.asarray(v)
                outputs[f"{name}@one/{k}"] = np.asarray(one[k])
        else:
            entry["dtype"], entry["shape"] = np.asarray(out).dtype.name, list(np.asarray(out).shape)
            entry["one_shape"] = list(np.asarray(one).shape)
            outputs[name], outputs[f"{name}@one"] = np.asarray(out), np.asarray(one)
        entry["inputs"] = {k: [list(v.shape), v.dtype] for k, v in fs.get_inputs().items()}
        encoded = fs.get_encoded_features()
        entry["encoded"] = ({k: [list(v.shape), v.dtype] for k, v in encoded.items()} if isinstance(encoded, dict)
                            else [list(encoded.shape), encoded.dtype])
    # a bad feature type and a call before adapt: the messages Keras gives
    errors = {}
    try:
        FeatureSpace(features={"a": "float_normalised"})
    except Exception as e:  # noqa: BLE001
        errors["bad_type"] = [type(e).__name__, str(e)]
    try:
        FeatureSpace(features={"a": "float_normalized"})({"a": np.ones(3)})
    except Exception as e:  # noqa: BLE001
        errors["not_adapted"] = [type(e).__name__, str(e)]
    meta["_errors"] = errors
    with open(os.path.join(OUT, "spaces.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True, default=str)
    np.savez(os.path.join(OUT, "outputs.npz"), **outputs)
    write_saved()
    print("wrote", OUT, sorted(outputs))


if __name__ == "__main__":
    main()
