"""CIFAR-10 and CIFAR-100 from small files in the Toronto binary format, checked against what Keras 3.15
returned for the same records in its pickled python format (tools/make_keras_datasets_fixtures.py)."""
import hashlib
import io
import os
import tarfile
import urllib.error
import urllib.request

import numpy as np
import pytest

import dendrite
import dendrite.compat
from dendrite.datasets import FetchError, _cifar, cifar10, cifar100

from .conftest import FakeWeb

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_datasets", "cifar.npz")
C10_TRAIN = [f"data_batch_{i}.bin" for i in range(1, 6)]
C10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
C10_SHA = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"


@pytest.fixture(scope="module")
def keras_out():
    with np.load(FIXTURE, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


@pytest.fixture
def c10_members(keras_out, monkeypatch):
    """{member: records} of the fixture's CIFAR-10 files; the loader is told to expect their sizes."""
    members = {name: keras_out[f"cifar10_{name[:-4]}"].copy() for name in C10_TRAIN + ["test_batch.bin"]}
    monkeypatch.setattr(cifar10._BINARY, "members", {name: len(r) for name, r in members.items()})
    return members


@pytest.fixture
def c100_members(keras_out, monkeypatch):
    members = {"train.bin": keras_out["cifar100_train"].copy(), "test.bin": keras_out["cifar100_test"].copy()}
    monkeypatch.setattr(cifar100._BINARY, "members", {name: len(r) for name, r in members.items()})
    return members


def write_tar(path, folder, members):
    """A tar.gz holding folder/<member> for each {member: bytes, array, or None for a symbolic link} (and a
    readme, as Toronto's has)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {"readme.html": b"<html>CIFAR</html>", **members}
    with tarfile.open(path, "w:gz") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(f"{folder}/{name}")
            if data is None:
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                archive.addfile(info)
                continue
            data = data.tobytes() if isinstance(data, np.ndarray) else data
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def write_folder(folder, members):
    folder.mkdir(parents=True)
    for name, records in members.items():
        (folder / name).write_bytes(records.tobytes())
    return folder


def assert_same(got, keras_out, prefix):
    (x_train, y_train), (x_test, y_test) = got
    for key, value in (("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)):
        want = keras_out[f"{prefix}_{key}"]
        assert value.dtype == want.dtype and value.shape == want.shape, key
        np.testing.assert_array_equal(value, want, err_msg=key)


# ------------------------------------------------------------------ CIFAR-10
def test_cifar10_sizes_and_layout_are_keras(keras_out):
    sizes = cifar10._BINARY.members  # Keras: 50,000 training images in five batches, 10,000 test images
    assert [sizes[n] for n in C10_TRAIN] == [10000] * 5 and sizes["test_batch.bin"] == 10000
    assert cifar10._BINARY.size("test_batch.bin") == 10000 * (1 + 3072)
    assert tuple(keras_out["cifar10_channels_last_shapes"][0]) == (50000, 32, 32, 3)
    assert tuple(keras_out["cifar10_channels_first_shapes"][0]) == (50000, 3, 32, 32)
    assert _cifar.image_shape(50000) == (50000, 32, 32, 3)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cifar10_from_the_archive_matches_keras(isolated, c10_members, keras_out, monkeypatch, data_format):
    write_tar(isolated["data"] / "cifar-10-binary.tar.gz", "cifar-10-batches-bin",
              {n: c10_members[n] for n in ["test_batch.bin"] + C10_TRAIN[::-1]})  # any member order
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    dendrite.backend.set_image_data_format(data_format)
    try:
        got = cifar10.load_data()
    finally:
        dendrite.backend.set_image_data_format("channels_last")
    assert_same(got, keras_out, f"cifar10_{data_format}")
    (x_train, y_train), _ = got
    assert y_train.shape == (10, 1) and x_train.flags.writeable
    # record 3 is the second of data_batch_2: its red plane, row 0, column 1 is (3*37 + 0 + 0 + 3) % 256
    red = x_train[3, 0, 1, 0] if data_format == "channels_last" else x_train[3, 0, 0, 1]
    assert red == (3 * 37 + 3) % 256


def test_cifar10_from_an_extracted_folder_in_keras_cache(isolated, c10_members, keras_out):
    write_folder(isolated["keras_home"] / "datasets" / "cifar-10-batches-bin", c10_members)
    assert_same(cifar10.load_data(), keras_out, "cifar10_channels_last")


def test_in_each_place_the_folder_wins_and_earlier_places_win(isolated, c10_members, keras_out, monkeypatch):
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    write_folder(isolated["data"] / "cifar-10-batches-bin", c10_members)
    (isolated["data"] / "cifar-10-binary.tar.gz").write_bytes(b"not an archive")  # same place: not read
    cache = isolated["dendrite_home"] / "datasets"
    write_tar(cache / "cifar-10-binary.tar.gz", "cifar-10-batches-bin", {})  # later place: not read
    assert_same(cifar10.load_data(), keras_out, "cifar10_channels_last")


def test_cifar10_refuses_labels_past_its_ten_classes(isolated, c10_members):
    c10_members["data_batch_3.bin"][1, 0] = 12
    write_folder(isolated["keras_home"] / "datasets" / "cifar-10-batches-bin", c10_members)
    with pytest.raises(ValueError, match=r"cifar10.load_data: data_batch_3.bin holds a labels value of 12, "
                                         r"but the dataset has 10 classes"):
        cifar10.load_data()


# ----------------------------------------------------------------- CIFAR-100
@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cifar100_matches_keras(isolated, c100_members, keras_out, monkeypatch, label_mode, data_format):
    write_tar(isolated["data"] / "cifar-100-binary.tar.gz", "cifar-100-binary", c100_members)
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    dendrite.backend.set_image_data_format(data_format)
    try:
        got = cifar100.load_data(label_mode=label_mode)
    finally:
        dendrite.backend.set_image_data_format("channels_last")
    assert_same(got, keras_out, f"cifar100_{data_format}_{label_mode}")
    (_, y_train), (_, y_test) = got
    assert y_train.dtype == np.int64 and y_test.shape == (3, 1)  # Keras's labels come from Python lists
    column = 1 if label_mode == "fine" else 0
    np.testing.assert_array_equal(y_train[:, 0], c100_members["train.bin"][:, column])


def test_cifar100_default_is_fine_labels_from_a_folder(isolated, c100_members, keras_out):
    write_folder(isolated["dendrite_home"] / "datasets" / "cifar-100-binary", c100_members)
    assert_same(cifar100.load_data(), keras_out, "cifar100_channels_last_fine")


@pytest.mark.parametrize("label_mode", ["Fine", "superclass", None, 1])
def test_cifar100_bad_label_mode_is_refused_before_any_file(isolated, label_mode):
    with pytest.raises(ValueError, match=r"cifar100.load_data: expected `label_mode` to be 'fine' or "
                                         r"'coarse'; received label_mode=" + repr(label_mode)):
        cifar100.load_data(label_mode=label_mode)


def test_cifar100_refuses_a_coarse_label_past_twenty(isolated, c100_members):
    c100_members["test.bin"][2, 0] = 20
    write_folder(isolated["keras_home"] / "datasets" / "cifar-100-binary", c100_members)
    with pytest.raises(ValueError, match=r"test.bin holds a coarse label value of 20, but the dataset has 20 "
                                         r"classes \(0-19\)"):
        cifar100.load_data(label_mode="fine")


# --------------------------------------------------------------- bad files
def _c10_error(isolated, monkeypatch):
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    with pytest.raises(ValueError) as info:
        cifar10.load_data()
    msg = str(info.value)
    assert msg.startswith("cifar10.load_data: ") and "DENDRITE_DATA" in msg and C10_URL in msg
    return msg


def test_a_truncated_member_is_refused_naming_it(isolated, c10_members, monkeypatch):
    c10_members["data_batch_4.bin"] = c10_members["data_batch_4.bin"].tobytes()[:-100]
    archive = write_tar(isolated["data"] / "cifar-10-binary.tar.gz", "cifar-10-batches-bin", c10_members)
    msg = _c10_error(isolated, monkeypatch)
    assert f"{archive} is not a good copy of cifar-10-binary.tar.gz" in msg
    assert "cifar-10-batches-bin/data_batch_4.bin has 6046 bytes, expected 6146 (2 records of 3073 bytes)" in msg


def test_a_truncated_archive_is_refused(isolated, c10_members, monkeypatch):
    archive = write_tar(isolated["data"] / "cifar-10-binary.tar.gz", "cifar-10-batches-bin", c10_members)
    archive.write_bytes(archive.read_bytes()[:-2000])
    msg = _c10_error(isolated, monkeypatch)
    assert f"{archive} is not a good copy" in msg and "cannot be read as a tar.gz archive" in msg


def test_a_member_that_is_a_link_is_refused(isolated, c10_members, monkeypatch):
    c10_members["test_batch.bin"] = None
    write_tar(isolated["data"] / "cifar-10-binary.tar.gz", "cifar-10-batches-bin", c10_members)
    assert "cifar-10-batches-bin/test_batch.bin is not a regular file" in _c10_error(isolated, monkeypatch)


def test_a_missing_member_is_named(isolated, c10_members, monkeypatch):
    del c10_members["data_batch_2.bin"]
    write_tar(isolated["data"] / "cifar-10-binary.tar.gz", "cifar-10-batches-bin", c10_members)
    assert "it lacks cifar-10-batches-bin/data_batch_2.bin" in _c10_error(isolated, monkeypatch)


def test_a_short_file_in_a_folder_is_refused(isolated, c10_members, monkeypatch):
    folder = write_folder(isolated["data"] / "cifar-10-batches-bin", c10_members)
    (folder / "test_batch.bin").write_bytes(b"\x00" * 3073)
    msg = _c10_error(isolated, monkeypatch)
    assert f"{folder / 'test_batch.bin'} has 3073 bytes, expected 6146 (2 records of 3073 bytes)" in msg
    (folder / "test_batch.bin").unlink()
    assert f"the folder {folder} has no file test_batch.bin" in _c10_error(isolated, monkeypatch)


# ---------------------------------------------------------------- download
def test_download_checks_the_hash_then_reads_the_archive(isolated, c10_members, keras_out, tmp_path,
                                                         monkeypatch):
    served = write_tar(tmp_path / "served" / "cifar-10-binary.tar.gz", "cifar-10-batches-bin", c10_members)
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb({C10_URL: served}))
    with pytest.raises(ValueError) as info:  # the real hash: our small archive is refused
        cifar10.load_data()
    assert C10_SHA in str(info.value) and hashlib.sha256(served.read_bytes()).hexdigest() in str(info.value)
    cache = isolated["dendrite_home"] / "datasets"
    assert os.listdir(cache) == []
    monkeypatch.setattr(cifar10._BINARY, "sha256", hashlib.sha256(served.read_bytes()).hexdigest())
    assert_same(cifar10.load_data(), keras_out, "cifar10_channels_last")
    assert os.listdir(cache) == ["cifar-10-binary.tar.gz"]


def test_offline_with_only_keras_python_version_says_why_it_is_not_read(isolated, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=urllib.error.URLError("no network")))
    with pytest.raises(FetchError) as info:
        cifar100.load_data()
    assert "python version" not in str(info.value)
    python = isolated["keras_home"] / "datasets" / "cifar-100-python-target"
    (python / "cifar-100-python").mkdir(parents=True)
    with pytest.raises(FetchError) as info:
        cifar100.load_data()
    msg = str(info.value)
    assert "cifar100.load_data: could not find 'cifar-100-binary.tar.gz' locally" in msg and "no network" in msg
    assert f"Found Keras's python version of this dataset at {python}: dendrite does not read it" in msg
    assert "pickles" in msg and "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz" in msg
    assert "DENDRITE_DATA" in msg.splitlines()[-1]
    assert isinstance(info.value.__cause__, urllib.error.URLError)


# -------------------------------------------------------------- compat
def test_keras_names_resolve_to_the_loaders():
    dendrite.compat.install()
    try:
        import keras
        from tensorflow.keras.datasets import cifar10 as tf_cifar10
        from keras.datasets import cifar100 as k_cifar100
        assert keras.datasets.cifar10.load_data is cifar10.load_data
        assert tf_cifar10.load_data is cifar10.load_data and k_cifar100.load_data is cifar100.load_data
    finally:
        dendrite.compat.uninstall()
