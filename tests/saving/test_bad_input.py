"""What the loaders say about the wrong file: weights of another architecture (the first mismatching layer and
both shapes, in each weights format), a missing file, a directory, a file that is not HDF5, a name load_model
does not read, a .keras written by a newer version, and HDF5 objects that point outside the file."""
import json
import os
import shutil
import warnings
import zipfile

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.saving import WeightsFileError

if not os.environ.get("CI"):  # the saving extra: always there in CI (the dev extra installs it)
    pytest.importorskip("h5py")
import h5py  # noqa: E402


def _model(units):
    return keras.Sequential([keras.Input((8,)), layers.Dense(4, name="first"), layers.Dense(units, name="second"),
                             layers.Dense(2, name="third")])


@pytest.mark.parametrize("suffix, message", [
    (".weights.h5", r"a\.weights\.h5: weight 0 of 'layers/dense_1' \(Dense 'second', kernel\) has shape \(4, 5\); "
                    r"the file holds \(4, 6\)"),
    (".h5", r"a\.h5: layer Dense 'second' has weights of shapes \[\(4, 5\), \(5,\)\]; the file holds "
            r"\[\(4, 6\), \(6,\)\]"),
    ("", r"a: weight 2 \(second/kernel\) has shape \(4, 5\); the checkpoint holds \[4, 6\]")])
def test_weights_of_another_architecture_name_the_first_mismatching_layer_and_both_shapes(suffix, message, tmp_path):
    saved, other = _model(6), _model(5)
    path = str(tmp_path / ("a" + suffix))
    saved.save_weights(path)
    before = other.get_weights()
    with pytest.raises(WeightsFileError, match=message):
        other.load_weights(path)
    for a, b in zip(before, other.get_weights()):  # nothing was set: 'first' matched, but the load is all or nothing
        np.testing.assert_array_equal(a, b)


def test_a_missing_file_is_named_in_each_loader(tmp_path):
    model = _model(3)
    with pytest.raises(FileNotFoundError, match=r"load_model: no file at .*missing\.keras"):
        keras.models.load_model(str(tmp_path / "missing.keras"))
    for name in ("missing.weights.h5", "missing.h5"):
        with pytest.raises(FileNotFoundError, match=rf"No weights file at .*{name}"):
            model.load_weights(str(tmp_path / name))
    with pytest.raises(FileNotFoundError, match=r"No checkpoint at .*ckpt \(no .*ckpt\.index\)"):
        model.load_weights(str(tmp_path / "ckpt"))


def test_a_directory_is_refused_saying_what_is_read_instead(tmp_path):
    model = _model(3)
    with pytest.raises(WeightsFileError, match=r"is a directory without a saved model: expected "
                                               r"dendrite_saved_model\.json .* or a \.keras / \.h5 file path"):
        keras.models.load_model(str(tmp_path))
    with pytest.raises(WeightsFileError, match=r"is a directory; load_weights reads a weights file \(\.weights\.h5 or "
                                               r"\.h5\) or a checkpoint prefix such as .*model"):
        model.load_weights(str(tmp_path))
    (tmp_path / "w.weights.h5").mkdir()
    with pytest.raises(WeightsFileError, match=r"w\.weights\.h5 is a directory; load_weights reads a weights file"):
        model.load_weights(str(tmp_path / "w.weights.h5"))


def test_a_file_that_is_not_hdf5_or_not_a_weights_file_is_named(tmp_path):
    model = _model(3)
    for name in ("text.h5", "text.weights.h5", "text.hdf5"):
        (tmp_path / name).write_text("hello")
        with pytest.raises(WeightsFileError, match=rf"{name.replace('.', '[.]')}: not a readable HDF5 file"):
            model.load_weights(str(tmp_path / name))
    (tmp_path / "w.bin").write_bytes(b"\x00" * 64)
    with pytest.raises(WeightsFileError, match=r"w\.bin is a file, but not one load_weights reads: weights files end "
                                               r"in \.weights\.h5 \(Keras 3\) or \.h5 / \.hdf5"):
        model.load_weights(str(tmp_path / "w.bin"))
    model.save_weights(str(tmp_path / "whole.h5"))
    with pytest.raises(WeightsFileError, match=r"whole\.h5: no 'model_config' attribute: a weights file, not a whole "
                                               r"model \(load it with model\.load_weights\)"):
        keras.models.load_model(str(tmp_path / "whole.h5"))


def test_load_model_reads_keras_and_h5_names_only_as_keras_does(tmp_path):
    model = _model(3)
    model.save(str(tmp_path / "m.keras"))
    shutil.copy(tmp_path / "m.keras", tmp_path / "m.txt")  # a model, under a name Keras refuses too
    (tmp_path / "notes.txt").write_text("not a model")
    for name in ("m.txt", "notes.txt"):
        with pytest.raises(WeightsFileError, match=rf"load_model: .*{name.replace('.', '[.]')} is not a model file "
                                                   r"name: load_model reads \.keras files .* and \.h5 / \.hdf5 files"):
            keras.models.load_model(str(tmp_path / name))
    shutil.copy(tmp_path / "m.keras", tmp_path / "m.h5")  # within the names it reads, the content decides
    assert isinstance(keras.models.load_model(str(tmp_path / "m.h5")), keras.Sequential)


def _with_metadata(source, target, metadata, extra=()):
    with zipfile.ZipFile(source) as z:
        members = {name: z.read(name) for name in z.namelist()}
    members["metadata.json"] = metadata
    with zipfile.ZipFile(target, "w") as z:
        for name, data in list(members.items()) + list(extra):
            z.writestr(name, data)
    return str(target)


@pytest.mark.parametrize("version, writer, known", [
    ("4.0.0", "Keras 4.0.0", r"dendrite reads the format of Keras 3\.x"),
    ("dendrite-99.0.0", "dendrite-99.0.0", r"this dendrite is [\d.]+")])
def test_a_keras_file_from_a_newer_version_loads_with_a_warning_saying_so(version, writer, known, tmp_path):
    """Keras 3 does not look at metadata.json when loading; dendrite warns, then loads it as Keras 3's format."""
    model = _model(3)
    model.save(str(tmp_path / "m.keras"))
    path = _with_metadata(tmp_path / "m.keras", tmp_path / "new.keras",
                          json.dumps({"keras_version": version, "date_saved": "2031-01-01@00:00:00"}).encode())
    with pytest.warns(UserWarning, match=rf"new\.keras was saved by {writer}, a newer version than dendrite knows "
                                         rf"\({known}\); it is loaded as Keras 3's \.keras format"):
        again = keras.models.load_model(path)
    x = np.random.default_rng(0).standard_normal((3, 8)).astype("float32")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_keras_file_of_known_versions_loads_silently_and_unknown_members_are_named(tmp_path):
    model = _model(3)
    model.save(str(tmp_path / "m.keras"))
    for version in ("3.15.1", "2.15.0", "dendrite-0.0.1"):
        path = _with_metadata(tmp_path / "m.keras", tmp_path / "old.keras",
                              json.dumps({"keras_version": version}).encode())
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            keras.models.load_model(path)
    path = _with_metadata(tmp_path / "m.keras", tmp_path / "assets.keras", b"{}",
                          [("assets/layers/string_lookup/vocabulary.txt", b"a\nb\n")])
    with pytest.warns(UserWarning, match=r"assets\.keras: .* its other members "
                                         r"\['assets/layers/string_lookup/vocabulary\.txt'\] are ignored"):
        keras.models.load_model(path)
    with zipfile.ZipFile(tmp_path / "m.keras") as z:
        members = {name: z.read(name) for name in z.namelist()}
    with zipfile.ZipFile(tmp_path / "npz.keras", "w") as z:
        z.writestr("metadata.json", members["metadata.json"])
        z.writestr("config.json", members["config.json"])
        z.writestr("model.weights.npz", b"")
    with pytest.raises(WeightsFileError, match=r"npz\.keras: the weights are in model\.weights\.npz .*weights_format"):
        keras.models.load_model(str(tmp_path / "npz.keras"))


def _edit_weights(path, edit):
    with h5py.File(path, "r+") as f:
        edit(f)


def test_arrays_stored_outside_the_file_or_not_as_numbers_are_refused(tmp_path):
    """A weights file could point a dataset at another file (an external link, external storage: reading it
    would read that file, or block on a FIFO) or store text; each is refused before any number is read."""
    model = _model(3)
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.arange(32, dtype="float32").tobytes())

    def external_storage(f):
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(8, 4), dtype="float32", external=[(str(secret), 0, 128)])

    def external_link(f):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(str(secret), "/data")

    def text(f):
        del f["layers/dense/vars/1"]
        f.create_dataset("layers/dense/vars/1", shape=(4,), dtype=h5py.string_dtype())

    for edit, message in ((external_storage, r"'layers/dense/vars/0' keeps its numbers in other files"),
                          (external_link, r"'layers/dense/vars/0' is a link to another file \(ExternalLink\)"),
                          (text, r"'layers/dense/vars/1' holds object values; a weight is an array of numbers")):
        path = str(tmp_path / "w.weights.h5")
        model.save_weights(path)
        _edit_weights(path, edit)
        before = model.get_weights()
        with pytest.raises(WeightsFileError, match=rf"w\.weights\.h5: {message}"):
            model.load_weights(path)
        for a, b in zip(before, model.get_weights()):
            np.testing.assert_array_equal(a, b)


def test_a_damaged_keras_archive_says_which_stage_failed(tmp_path):
    model = _model(3)
    model.save(str(tmp_path / "m.keras"))
    with zipfile.ZipFile(tmp_path / "m.keras") as z:
        members = {name: z.read(name) for name in z.namelist()}
    config = json.loads(members["config.json"])
    config["config"]["layers"][2]["config"]["units"] = -5
    with zipfile.ZipFile(tmp_path / "neg.keras", "w") as z:
        for name, data in {**members, "config.json": json.dumps(config).encode()}.items():
            z.writestr(name, data)
    with pytest.raises(WeightsFileError, match=r"neg\.keras: building the model from its config: Dense 'second': "
                                               r"`units` must be a positive integer\. Received: units=-5"):
        keras.models.load_model(str(tmp_path / "neg.keras"))
    with zipfile.ZipFile(tmp_path / "deep.keras", "w") as z:
        for name, data in {**members, "config.json": b"[" * 100000 + b"]" * 100000}.items():
            z.writestr(name, data)
    with pytest.raises(WeightsFileError, match=r"deep\.keras: parsing config\.json as JSON: the data is nested deeper "
                                               r"than any saved model is; refused"):
        keras.models.load_model(str(tmp_path / "deep.keras"))


def test_load_weights_of_none_says_no_checkpoint_was_found(tmp_path):
    # TF 2 tutorials load tf.train.latest_checkpoint(folder), which is None when nothing was saved there yet
    import dendrite.train
    assert dendrite.train.latest_checkpoint(str(tmp_path)) is None
    with pytest.raises(TypeError, match=r"load_weights: expected a file path .* received None.*latest_checkpoint"):
        _model(5).load_weights(dendrite.train.latest_checkpoint(str(tmp_path)))
