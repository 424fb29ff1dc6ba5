"""HashedCrossing: bins against Keras 3.15 / TensorFlow 2.21's (tests/fixtures/keras/layers4.json, written by
tools/make_keras_layers4_fixtures.py), shapes, config, a functional model saved to .keras, and errors."""
import json

import numpy as np
import pytest

import dendrite
from dendrite import layers
from keras_layers4 import PATH

with open(PATH + ".json") as f:
    CROSSINGS = json.load(f)["crossings"]


@pytest.mark.parametrize("case", CROSSINGS, ids=lambda c: str(c["kwargs"]))
def test_bins_match_tensorflow(case):
    layer = layers.HashedCrossing(**case["kwargs"])
    got = layer([np.array(f) for f in case["features"]]).numpy()
    np.testing.assert_array_equal(got, np.array(case["output"]))
    assert got.dtype == (np.int64 if layer.output_mode == "int" else np.float32)


def test_symbolic_shapes_config_and_keras_file(tmp_path):
    a = layers.Input((1,), dtype="string")
    b = layers.Input((1,), dtype="int64")
    crossed = layers.HashedCrossing(16, output_mode="one_hot")([a, b])
    assert tuple(crossed.shape) == (None, 16)
    out = layers.Dense(1)(crossed)
    model = dendrite.Model([a, b], out)
    xa, xb = np.array([["u"], ["v"], ["u"]]), np.array([[1], [1], [1]])
    y = model.predict([xa, xb], verbose=0)
    assert y[0] == y[2] and y[0] != y[1]
    path = str(tmp_path / "cross.keras")
    model.save(path)
    loaded = dendrite.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict([xa, xb], verbose=0), y)
    layer = layers.HashedCrossing(5)
    assert layer.get_config() == {"num_bins": 5, "output_mode": "int", "sparse": False, "name": layer.name,
                                  "dtype": "int64"}  # Keras 3.15's keys
    assert tuple(layer.compute_output_shape([(None, 1), (None, 1)])) == (None, 1)


@pytest.mark.parametrize("inputs, match", [
    ([np.array([1, 2])], "at least two"),
    ([np.array([1, 2]), np.array([1, 2, 3])], "same shape"),
    ([np.array([[1, 2]]), np.array([[1, 2]])], r"\(batch, 1\)"),
    ([np.array([1.5, 2.0]), np.array([1, 2])], "integer or string"),
])
def test_errors(inputs, match):
    with pytest.raises(ValueError, match=match):
        layers.HashedCrossing(4)(inputs)


def test_bad_arguments():
    with pytest.raises(ValueError, match="output_mode"):
        layers.HashedCrossing(4, output_mode="multi_hot")
    with pytest.raises(ValueError, match="num_bins"):
        layers.HashedCrossing(0)
