"""SavedModel directories of Keras models in dendrite's format (dendrite.compat.tf_saved_model,
dendrite.saving.saved_model_dir): tf.keras 2's `model.save(dir)` / `save_format='tf'`, `tf.saved_model.save /
load`, Keras 3's `model.export`, and the errors for TensorFlow's own directories and for non-Keras objects."""
import json
import os

import numpy as np
import pytest

import dendrite
from .test_run import run


def _trained(keras):
    rng = np.random.default_rng(1)
    x = rng.random((40, 3)).astype("float32")
    y = (x.sum(axis=1) > 1.5).astype("float32")
    inputs = keras.Input(shape=(3,), name="features")
    outputs = keras.layers.Dense(1, activation="sigmoid", name="score")(keras.layers.Dense(4, name="hidden")(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    return model, x, y


def test_tf_keras2_program_saves_and_loads_the_savedmodel_layout(tmp_path):
    code, out, err = run("tf2_saved_model.py", str(tmp_path))
    assert code == 0, err
    assert "files ['dendrite_saved_model.json', 'model.keras']" in out
    for name in ("plain", "tf_format"):
        assert f"{name} same predictions True same evaluation True" in out
        assert f"{name} optimizer steps 9" in out  # 2 epochs x 3 batches restored, then 3 more
    assert "call same True" in out
    assert "signature ['dense_1'] True" in out  # outputs keyed by the output layer's name, as TensorFlow
    marker = json.loads((tmp_path / "nested" / "exported" / "dendrite_saved_model.json").read_text())
    assert marker["format"] == "dendrite-saved-model" and marker["archive"] == "model.keras"
    assert marker["inputs"] == ["dense_input"] and marker["outputs"] == ["dense_1"]


def test_functional_model_round_trip_and_serving_signature(tf, tmp_path):
    model, x, y = _trained(tf.keras)
    path = tmp_path / "fn"
    model.save(str(path))
    restored = tf.keras.models.load_model(path)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert restored.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))
    tf.saved_model.save(model, str(tmp_path / "sm"))
    loaded = tf.saved_model.load(str(tmp_path / "sm"))
    result = loaded.signatures["serving_default"](features=x)
    assert list(result) == ["score"] and isinstance(result["score"], tf.Tensor)
    np.testing.assert_allclose(result["score"].numpy(), model.predict(x, verbose=0), rtol=1e-6)
    assert len(loaded.trainable_variables) == 4 and loaded.keras_api.name == model.name
    with pytest.raises(TypeError, match=r"expected the inputs \['features'\]"):
        loaded.signatures["serving_default"](features=x, other=x)
    assert tf.saved_model.contains_saved_model(str(tmp_path / "sm"))
    assert not tf.saved_model.contains_saved_model(str(tmp_path))


def test_keras3_export_serves_inference(keras, tmp_path):
    model, x, _ = _trained(keras)
    model.export(str(tmp_path / "exported"), verbose=False)
    import tensorflow as tf
    loaded = tf.saved_model.load(str(tmp_path / "exported"))
    np.testing.assert_allclose(loaded(x).numpy(), model.predict(x, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(loaded.serve(x).numpy(), model.predict(x, verbose=0), rtol=1e-6)  # Keras 3's endpoint


def test_keras_files_keep_their_formats_under_the_hooks(tf, tmp_path):
    model, x, _ = _trained(tf.keras)
    model.save(str(tmp_path / "m.keras"))
    model.save(str(tmp_path / "m.h5"))
    assert os.path.isfile(tmp_path / "m.keras") and os.path.isfile(tmp_path / "m.h5")
    for name in ("m.keras", "m.h5"):
        np.testing.assert_allclose(tf.keras.models.load_model(str(tmp_path / name)).predict(x, verbose=0),
                                   model.predict(x, verbose=0), rtol=1e-6)


def test_tensorflow_savedmodel_directory_is_refused_naming_the_alternatives(tf, tmp_path):
    (tmp_path / "tfsm" / "variables").mkdir(parents=True)
    (tmp_path / "tfsm" / "saved_model.pb").write_bytes(b"\x08\x01")
    for load in (tf.keras.models.load_model, tf.saved_model.load):
        with pytest.raises(ValueError, match="TensorFlow SavedModel") as info:
            load(str(tmp_path / "tfsm"))
        assert "cannot read" in str(info.value) and ".keras" in str(info.value) and ".h5" in str(info.value)
        assert "weights" in str(info.value)
    with pytest.raises(ValueError, match="directory without a saved model"):
        tf.keras.models.load_model(str(tmp_path / "tfsm" / "variables"))


def test_saving_an_object_that_is_not_a_module_stays_unsupported(tf, tmp_path):
    class Adder:  # (a tf.Module is saved: tests/compat/test_tf_saved_module.py)
        @tf.function
        def __call__(self, x):
            return x + 1
    with pytest.raises(NotImplementedError, match="tf.saved_model.save of a Adder.*TensorFlow's graphs"):
        tf.saved_model.save(Adder(), str(tmp_path / "adder"))
    assert not os.path.exists(tmp_path / "adder")


def test_keras3_save_outside_compatibility_mode_still_needs_an_extension(tmp_path):
    model = dendrite.Sequential([dendrite.Input((2,)), dendrite.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"\.keras file"):
        model.save(str(tmp_path / "no_extension"))
    assert not hasattr(model, "export")
    # a directory the compatibility mode wrote is read by dendrite's own load_model too
    dendrite.compat.install()
    try:
        model.save(str(tmp_path / "dir"))
    finally:
        dendrite.compat.uninstall()
    x = np.ones((2, 2), "float32")
    np.testing.assert_allclose(dendrite.models.load_model(str(tmp_path / "dir")).predict(x, verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)
