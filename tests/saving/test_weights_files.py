"""save_weights / load_weights: Keras 3's .weights.h5, tf.keras 2's .h5 layout, checkpoint prefixes; files
real Keras 3.15.1 wrote (tools/make_keras_weights_fixtures.py) load and predict Keras's values, and files
dendrite writes load in Keras (a test skipped without Keras)."""
import os

import numpy as np
import pytest

import dendrite as keras
from dendrite.saving import WeightsFileError, latest_checkpoint

if not os.environ.get("CI"):  # the saving extra: always there in CI (the dev extra installs it)
    pytest.importorskip("h5py")

from keras_weight_builders import FIXTURES, builders


def _arrays(name):
    data = np.load(os.path.join(FIXTURES, name + ".npz"), allow_pickle=False)
    return ([data[k] for k in sorted(k for k in data.files if k[0] == "x")],
            [data[k] for k in sorted(k for k in data.files if k[0] == "y")])


@pytest.mark.parametrize("name", sorted(builders.MODELS))
@pytest.mark.parametrize("suffix", [".weights.h5", ".h5"])
def test_weights_keras_wrote_load_and_predict_what_keras_predicted(name, suffix):
    model = builders.MODELS[name](keras)
    before = [w.copy() for w in model.get_weights()]
    model.load_weights(os.path.join(FIXTURES, name + suffix))
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    (x,), (y,) = _arrays(name)
    np.testing.assert_allclose(model.predict(x, verbose=0), y, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("suffix", [".weights.h5", ".h5", ""])
def test_weights_round_trip_through_each_format(suffix, tmp_path):
    keras.utils.set_random_seed(3)
    model = builders.recurrent_graph(keras)
    x = np.random.default_rng(1).integers(0, 20, size=(3, 5))
    path = str(tmp_path / ("ckpt/model" + suffix if not suffix else "m" + suffix))
    model.save_weights(path)
    expected = model.predict(x, verbose=0)
    keras.utils.set_random_seed(4)
    again = builders.recurrent_graph(keras)
    assert not np.allclose(again.predict(x, verbose=0), expected)
    again.load_weights(path)
    np.testing.assert_array_equal(again.predict(x, verbose=0), expected)
    if not suffix:
        assert latest_checkpoint(str(tmp_path / "ckpt")) == path
        assert sorted(os.listdir(tmp_path / "ckpt")) == ["checkpoint", "model.data-00000-of-00001", "model.index"]


def test_loading_refuses_other_models_and_damaged_files_naming_them(tmp_path):
    small = keras.Sequential([keras.Input((8,)), keras.layers.Dense(6), keras.layers.Dense(3)])
    with pytest.raises(WeightsFileError, match=r"dense_stack\.weights\.h5: .*has 0 weight\(s\)|dense_stack.weights.h5"):
        small.load_weights(os.path.join(FIXTURES, "dense_stack.weights.h5"))
    with pytest.raises(WeightsFileError, match=r"holds weights for 3 layer\(s\).*the model has 2.*by_name=True"):
        small.load_weights(os.path.join(FIXTURES, "dense_stack.h5"))
    named = keras.Sequential([keras.Input((8,)), keras.layers.Dense(6, name="a"), keras.layers.Dense(3, name="dense_1")])
    before = named.get_weights()
    named.load_weights(os.path.join(FIXTURES, "dense_stack.h5"), by_name=True)  # only 'dense_1' is in the file
    np.testing.assert_array_equal(named.get_weights()[0], before[0])
    assert not np.array_equal(named.get_weights()[2], before[2])
    stack = builders.dense_stack(keras)
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not an hdf5 file")
    with pytest.raises(WeightsFileError, match=r"bad\.weights\.h5: not a readable HDF5 file"):
        stack.load_weights(str(bad))
    prefix = str(tmp_path / "c")
    stack.save_weights(prefix)
    with open(prefix + ".data-00000-of-00001", "r+b") as f:
        f.truncate(100)
    with pytest.raises(WeightsFileError, match=r"c\.data-00000-of-00001: not readable"):
        stack.load_weights(prefix)
    with pytest.raises(FileNotFoundError, match="No weights file"):
        stack.load_weights(str(tmp_path / "missing.weights.h5"))
    with pytest.raises(ValueError, match=r"whole-model \.keras file"):
        stack.save_weights(str(tmp_path / "m.keras"))


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    model = builders.dense_stack(keras)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    good = (tmp_path / "m.weights.h5").read_bytes()
    import h5py

    def broken(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(h5py.Group, "create_dataset", broken)
    with pytest.raises(OSError, match="disk full"):
        model.save_weights(path)
    assert (tmp_path / "m.weights.h5").read_bytes() == good and os.listdir(tmp_path) == ["m.weights.h5"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Keras's numpy backend against NumPy 2's copy keyword
@pytest.mark.parametrize("suffix", [".weights.h5", ".h5"])
def test_weights_dendrite_writes_load_in_real_keras(suffix, tmp_path, real_keras):
    """Skipped without Keras (never installed in CI)."""
    real = real_keras
    ours = builders.recurrent_graph(keras)
    rng = np.random.default_rng(5)
    ours.set_weights([rng.standard_normal(w.shape).astype(w.dtype) * 0.3 for w in ours.get_weights()])
    path = str(tmp_path / ("m" + suffix))
    ours.save_weights(path)
    theirs = builders.recurrent_graph(real)
    if suffix == ".h5":
        from keras.src.legacy.saving import legacy_h5_format
        import h5py
        with h5py.File(path, "r") as f:
            legacy_h5_format.load_weights_from_hdf5_group(f, theirs)
    else:
        theirs.load_weights(path)
    x = rng.integers(0, 20, size=(3, 5)).astype("int32")
    np.testing.assert_allclose(theirs.predict(x, verbose=0), ours.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
