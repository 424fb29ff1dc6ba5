"""model.save / models.load_model: Keras 3's .keras archive and tf.keras 2's .h5, both ways with real Keras
(files it wrote are fixtures; a test skipped without Keras loads dendrite's), training resuming exactly,
and files that must be refused."""
import json
import os
import zipfile

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.saving import WeightsFileError

from keras_weight_builders import FIXTURES, builders

rng = np.random.default_rng(0)
X = rng.standard_normal((64, 8)).astype("float32")
Y = rng.integers(0, 3, 64)


def _trained():
    keras.utils.set_random_seed(1)
    model = builders.dense_stack(keras)
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, Y, epochs=2, batch_size=16, verbose=0)
    return model


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_saved_model_resumes_training_exactly_where_it_stopped(suffix, tmp_path):
    model = _trained()
    path = str(tmp_path / ("model" + suffix))
    model.save(path)
    again = keras.models.load_model(path)
    assert type(again) is type(model) and [l.name for l in again.layers] == [l.name for l in model.layers]
    np.testing.assert_array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))
    assert int(again.optimizer.iterations) == int(model.optimizer.iterations) == 8
    assert again.evaluate(X, Y, verbose=0, return_dict=True) == model.evaluate(X, Y, verbose=0, return_dict=True)
    for step in range(3):  # the next steps equal those the unsaved model takes: same moments, same step count
        keras.utils.set_random_seed(step)  # the same dropout masks for both
        model.train_on_batch(X[:16], Y[:16])
        keras.utils.set_random_seed(step)
        again.train_on_batch(X[:16], Y[:16])
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
    bare = keras.models.load_model(path, compile=False)
    assert bare.optimizer is None


def test_a_multi_output_graph_round_trips_with_its_compile_settings(tmp_path):
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    h = layers.concatenate([layers.Dense(8, activation="relu")(a), b])
    model = keras.Model([a, b], [layers.Dense(2, activation="softmax", name="cls")(h), layers.Dense(1, name="reg")(h)])
    model.compile("adam", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"}, loss_weights=[1.0, 0.5],
                  metrics={"cls": ["accuracy"]})
    xs = [rng.standard_normal((16, 4)), rng.standard_normal((16, 3))]
    ys = [rng.integers(0, 2, 16), rng.standard_normal((16, 1))]
    model.fit(xs, ys, epochs=1, verbose=0)
    model.save(str(tmp_path / "m.keras"))
    again = keras.models.load_model(str(tmp_path / "m.keras"))
    assert again.evaluate(xs, ys, verbose=0, return_dict=True) == model.evaluate(xs, ys, verbose=0, return_dict=True)
    assert list(again.evaluate(xs, ys, verbose=0, return_dict=True)) == ["loss", "cls_loss", "reg_loss",
                                                                          "cls_accuracy"]


@pytest.mark.parametrize("name", sorted(builders.MODELS))
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_models_keras_saved_load_and_predict_what_keras_predicted(name, suffix):
    model = keras.models.load_model(os.path.join(FIXTURES, name + suffix))
    data = np.load(os.path.join(FIXTURES, name + ".npz"), allow_pickle=False)
    np.testing.assert_allclose(model.predict(data["x0"], verbose=0), data["y0"], rtol=1e-5, atol=1e-6)
    if suffix == ".keras":  # compiled by Keras with Adam(0.002), its state built
        assert type(model.optimizer).__name__ == "Adam" and model.optimizer.learning_rate == pytest.approx(0.002)


def _archive(tmp_path, config, weights=b""):
    path = tmp_path / "x.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", "{}")
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", weights)
    return str(path)


def test_hostile_and_damaged_files_are_refused_naming_the_file(tmp_path):
    model = _trained()
    good = tmp_path / "good.keras"
    model.save(str(good))
    with zipfile.ZipFile(good) as z:
        config = json.loads(z.read("config.json"))
    huge = json.loads(json.dumps(config))
    huge["config"]["layers"][1]["config"]["units"] = 10 ** 12  # a Dense of 10^12 outputs
    with pytest.raises(ValueError, match=r"x\.keras: Dense .* would make weight 'kernel' of shape \(8, 1000000000000\)"
                                         r".*refused before anything is allocated"):
        keras.models.load_model(_archive(tmp_path, huge))
    code = json.loads(json.dumps(config))
    code["config"]["layers"].append({"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                                     "config": {"name": "f", "function": {"class_name": "__lambda__",
                                                                          "config": {"code": "4wEAAAAA"}}}})
    with pytest.raises(ValueError, match=r"bytecode.*safe_mode=True refuses it"):
        keras.models.load_model(_archive(tmp_path, code))
    with zipfile.ZipFile(tmp_path / "empty.keras", "w") as z:
        z.writestr("../../evil.txt", "x")
    with pytest.raises(WeightsFileError, match=r"empty\.keras: the archive has no config\.json"):
        keras.models.load_model(str(tmp_path / "empty.keras"))
    assert not os.path.exists(tmp_path.parent.parent / "evil.txt")
    data = good.read_bytes()
    (tmp_path / "cut.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(WeightsFileError, match=r"cut\.keras"):
        keras.models.load_model(str(tmp_path / "cut.keras"))
    (tmp_path / "text.keras").write_text("hello")
    with pytest.raises(WeightsFileError, match=r"text\.keras: neither a \.keras archive nor an HDF5 file"):
        keras.models.load_model(str(tmp_path / "text.keras"))
    with pytest.raises(ValueError, match=r"saved to a \.keras file"):
        model.save(str(tmp_path / "m.pkl"))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras's numpy backend against NumPy 2's copy keyword
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_models_dendrite_saves_load_in_real_keras(suffix, tmp_path, real_keras):
    """Skipped without Keras (never installed in CI)."""
    real = real_keras
    ours = builders.recurrent_graph(keras)
    ours.set_weights([w * 0.5 + 0.1 for w in ours.get_weights()])
    ours.compile("adam", "mse")
    path = str(tmp_path / ("m" + suffix))
    ours.save(path)
    # Keras 3.15.1's legacy .h5 loader cannot compile from a string loss even in files Keras itself wrote
    # ("Could not deserialize 'keras.metrics.mse'"), so the .h5 file is loaded there without compiling
    theirs = real.models.load_model(path, compile=suffix == ".keras")
    x = rng.integers(0, 20, size=(3, 5)).astype("int32")
    np.testing.assert_allclose(theirs.predict(x, verbose=0), ours.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
