"""Hashing: Keras's documented bins, TensorFlow's hash values (fixture), masks, output modes, config, errors."""
import json
import os

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.layers.hashing import fingerprint64, siphash64

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_text", "hashes.json")
LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]


@pytest.fixture(scope="module")
def tf_hashes():
    with open(FIXTURE, encoding="utf-8") as f:
        return json.load(f)


def test_fingerprint64_and_siphash_are_tensorflows(tf_hashes):
    buckets = tf_hashes["buckets"]
    data = [s.encode("utf-8") for s in tf_hashes["strings"]]
    assert [fingerprint64(d) % buckets for d in data] == tf_hashes["fast"]
    assert [siphash64(d, tf_hashes["strong_key"]) % buckets for d in data] == tf_hashes["strong"]


def test_hashing_layer_bins_match_keras_on_strings_and_integers(tf_hashes):
    layer = layers.Hashing(num_bins=7)
    out = layer(np.array(tf_hashes["strings"])[:, None])
    assert out.dtype == np.int64 and out.shape == (len(tf_hashes["strings"]), 1)
    assert out.numpy().ravel().tolist() == tf_hashes["hashing7_strings"]
    ints = layer(np.array(tf_hashes["integers"], np.int64)[:, None]).numpy().ravel().tolist()
    assert ints == tf_hashes["hashing7_integers"]


def test_keras_docstring_examples():
    assert layers.Hashing(num_bins=3)(LETTERS).numpy().tolist() == [[1], [0], [1], [1], [2]]
    masked = layers.Hashing(num_bins=3, mask_value="")([["A"], ["B"], [""], ["C"], ["D"]])
    assert masked.numpy().tolist() == [[1], [1], [0], [2], [2]]
    assert layers.Hashing(num_bins=3, salt=[133, 137])(LETTERS).numpy().tolist() == [[1], [2], [1], [0], [2]]
    assert layers.Hashing(num_bins=3, salt=133)(LETTERS).numpy().tolist() == [[0], [0], [2], [1], [0]]


def test_bytes_object_and_float_inputs_hash_like_their_text():
    layer = layers.Hashing(num_bins=3)
    assert layer(np.array([[b"A"], [b"B"]])).numpy().tolist() == [[1], [0]]
    assert layer(np.array([["A"], [b"B"]], dtype=object)).numpy().tolist() == [[1], [0]]
    # floats are truncated to integers first, as Keras does: 1.7 hashes as "1"
    assert np.array_equal(layer(np.array([[1.7]])).numpy(), layer(np.array([[1]])).numpy())


def test_output_modes():
    ids = layers.Hashing(num_bins=4)([["A", "B"], ["C", "C"]]).numpy()
    multi = layers.Hashing(num_bins=4, output_mode="multi_hot")([["A", "B"], ["C", "C"]])
    count = layers.Hashing(num_bins=4, output_mode="count")([["A", "B"], ["C", "C"]])
    one = layers.Hashing(num_bins=4, output_mode="one_hot")(LETTERS)
    assert multi.dtype == np.float32 and multi.shape == (2, 4)
    expected_multi, expected_count = np.zeros((2, 4)), np.zeros((2, 4))
    for row in range(2):
        for j in ids[row]:
            expected_multi[row, j] = 1
            expected_count[row, j] += 1
    assert np.array_equal(multi.numpy(), expected_multi) and np.array_equal(count.numpy(), expected_count)
    single = layers.Hashing(num_bins=4)(LETTERS).numpy().ravel()
    assert one.shape == (5, 4) and np.array_equal(one.numpy(), np.eye(4)[single])


def test_same_bins_in_a_fresh_process():
    import subprocess
    import sys
    code = ("import numpy as np, dendrite; print(dendrite.layers.Hashing(num_bins=1000)(np.array([['spam'], "
            "['eggs']])).numpy().ravel().tolist())")
    env = dict(os.environ, PYTHONHASHSEED="123")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    here = layers.Hashing(num_bins=1000)(np.array([["spam"], ["eggs"]])).numpy().ravel().tolist()
    assert run.stdout.strip() == str(here)


def test_config_round_trip_and_symbolic_shape():
    layer = layers.Hashing(num_bins=5, mask_value="", salt=7, output_mode="multi_hot", name="h")
    config = layer.get_config()
    assert {k: config[k] for k in ("num_bins", "salt", "mask_value", "output_mode", "sparse")} == \
        {"num_bins": 5, "salt": [7, 7], "mask_value": "", "output_mode": "multi_hot", "sparse": False}
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(again) is layers.Hashing and again.get_config() == config
    assert layers.Hashing(num_bins=3).get_config()["dtype"] == "int64"
    inp = keras.Input(shape=(1,), dtype="string")
    assert layers.Hashing(num_bins=6, output_mode="one_hot")(inp).shape == (None, 6)


def test_errors():
    with pytest.raises(ValueError, match="num_bins"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="salt"):
        layers.Hashing(num_bins=3, salt="x")
    with pytest.raises(ValueError, match="output_mode"):
        layers.Hashing(num_bins=3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="sparse=True is not supported"):
        layers.Hashing(num_bins=3, output_mode="count", sparse=True)
