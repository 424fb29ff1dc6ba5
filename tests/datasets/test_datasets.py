import gzip
import hashlib
import os
import urllib.error
import urllib.request

import numpy as np
import pytest

from dendrite.datasets import FetchError, _fetch, fashion_mnist, mnist

from .conftest import FakeWeb

KERAS_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
MNIST_URL = KERAS_BASE + "mnist.npz"
MNIST_SHA = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
# read once (some tests unset it), made absolute: CI sets a relative path and the tests link to it
SHARED_DATA = os.path.abspath(os.environ["DENDRITE_DATA"]) if os.environ.get("DENDRITE_DATA") else None
FASHION_FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]


@pytest.fixture
def shared_data():
    path = SHARED_DATA
    if not path:
        pytest.skip("DENDRITE_DATA is not set: run the tests with DENDRITE_DATA=/work/shared/data "
                    "(the folder holding mnist.npz and fashion-mnist/)")
    return path


@pytest.fixture
def shared_data_file(shared_data):
    return os.path.join(shared_data, "mnist.npz")


def _place(src, dest):
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(src, dest)
    return dest


# ------------------------------------------------------------- real data
def test_mnist_load_data_matches_keras(shared_data, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=AssertionError("network touched")))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.dtype == y_train.dtype == x_test.dtype == y_test.dtype == np.uint8
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert (y_train == 1).sum() == 6742 and (y_test == 1).sum() == 1135
    assert set(np.unique(y_train)) == set(range(10))
    assert x_train.max() == 255 and x_train.min() == 0


def test_fashion_mnist_load_data_matches_keras(shared_data, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=AssertionError("network touched")))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.dtype == y_train.dtype == x_test.dtype == y_test.dtype == np.uint8
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    np.testing.assert_array_equal(np.bincount(y_train), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)
    assert x_train.flags.writeable
    assert x_train.mean() == pytest.approx(72.94, abs=0.01)


# ----------------------------------------------------------- search order
def test_search_order_data_then_caches_then_debian(isolated, monkeypatch):
    order = [isolated["data"] / "thing.bin", isolated["dendrite_home"] / "datasets" / "thing.bin",
             isolated["keras_home"] / "datasets" / "thing.bin", isolated["debian"] / "thing" / "thing.bin"]
    for p in order:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    for expected in order:
        assert _fetch.fetch("thing.bin", "https://example.invalid/thing.bin", debian="thing") == str(expected)
        expected.unlink()


def test_keras_home_defaults_to_home_dot_keras(isolated, shared_data_file, monkeypatch):
    monkeypatch.delenv("KERAS_HOME")
    copy = _place(shared_data_file, isolated["home"] / ".keras" / "datasets" / "mnist.npz")
    assert mnist._locate("mnist.npz") == str(copy)
    (x_train, y_train), _ = mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and (y_train == 1).sum() == 6742


def test_dendrite_data_wins_over_the_caches(isolated, shared_data_file, monkeypatch):
    first = _place(shared_data_file, isolated["data"] / "mnist.npz")
    (isolated["dendrite_home"] / "datasets").mkdir(parents=True)
    (isolated["dendrite_home"] / "datasets" / "mnist.npz").write_bytes(b"not an npz")
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    assert mnist._locate("mnist.npz") == str(first)
    monkeypatch.delenv("DENDRITE_DATA")
    with pytest.raises(ValueError, match=r"mnist.load_data: .*dendrite_home.*mnist.npz is not a readable .npz"):
        mnist.load_data()


def test_fashion_mnist_from_a_debian_layout(isolated, shared_data):
    for name in FASHION_FILES:  # Debian puts the files directly in /usr/share/datasets/fashion-mnist
        _place(os.path.join(shared_data, "fashion-mnist", name), isolated["debian"] / "fashion-mnist" / name)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and y_test.shape == (10000,)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)


def test_mnist_path_with_a_folder_is_used_as_is(isolated, shared_data_file):
    (_, y_train), _ = mnist.load_data(path=shared_data_file)
    assert (y_train == 1).sum() == 6742


# ------------------------------------------------------------ bad copies
def test_mnist_with_wrong_arrays_names_what_it_expected(isolated, monkeypatch):
    isolated["data"].mkdir()
    np.savez(isolated["data"] / "mnist.npz", x_train=np.zeros((5, 28, 28), np.uint8),
             y_train=np.zeros(5, np.uint8))
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    with pytest.raises(ValueError) as info:
        mnist.load_data()
    msg = str(info.value)
    assert "does not hold MNIST" in msg and "x_train uint8 (60000, 28, 28)" in msg
    assert "x_train uint8 (5, 28, 28)" in msg and "'x_test'" in msg and "DENDRITE_DATA" in msg


def test_fashion_mnist_rejects_a_bad_magic_number(isolated, monkeypatch, shared_data):
    folder = isolated["data"] / "fashion-mnist"
    for name in FASHION_FILES:
        _place(os.path.join(shared_data, "fashion-mnist", name), folder / name)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with gzip.open(folder / "t10k-labels-idx1-ubyte.gz", "wb") as f:  # image magic on a label file
        f.write(bytes([0, 0, 8, 3]) + (10000).to_bytes(4, "big") + bytes(10000))
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte.gz is not a valid IDX file: magic number "
                                         r"00000803, expected 00000801"):
        fashion_mnist.load_data()


# -------------------------------------------------------------- download
def test_download_verifies_and_caches_fashion_mnist(isolated, shared_data, monkeypatch):
    web = FakeWeb({KERAS_BASE + n: os.path.join(shared_data, "fashion-mnist", n) for n in FASHION_FILES})
    monkeypatch.setattr(urllib.request, "urlopen", web)
    (x_train, y_train), _ = fashion_mnist.load_data()
    assert sorted(web.requested) == sorted(KERAS_BASE + n for n in FASHION_FILES)
    cache = isolated["dendrite_home"] / "datasets" / "fashion-mnist"
    assert sorted(os.listdir(cache)) == sorted(FASHION_FILES)  # no temporary files left
    np.testing.assert_array_equal(np.bincount(y_train), [6000] * 10)
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=AssertionError("network touched")))
    (x_again, _), _ = fashion_mnist.load_data()  # now found in the cache
    np.testing.assert_array_equal(x_again, x_train)


def test_download_with_a_wrong_hash_keeps_nothing(isolated, shared_data_file, monkeypatch):
    # Our shared mnist.npz is compressed differently from Keras's, so its hash differs.
    with open(shared_data_file, "rb") as f:
        received = hashlib.sha256(f.read()).hexdigest()
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb({MNIST_URL: shared_data_file}))
    with pytest.raises(ValueError) as info:
        mnist.load_data()
    msg = str(info.value)
    assert MNIST_SHA in msg and received in msg and MNIST_URL in msg
    assert os.listdir(isolated["dendrite_home"] / "datasets") == []


def test_offline_error_lists_every_place_searched(isolated, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=urllib.error.URLError("no network")))
    with pytest.raises(FetchError) as info:
        mnist.load_data()
    assert isinstance(info.value, OSError)
    msg = str(info.value)
    cache = os.path.join(str(isolated["dendrite_home"]), "datasets", "mnist.npz")
    for line in ["mnist.load_data: could not find 'mnist.npz' locally",
                 "1. $DENDRITE_DATA: not set",
                 f"2. dendrite cache: {cache}",
                 f"3. Keras cache: {os.path.join(str(isolated['keras_home']), 'datasets', 'mnist.npz')}",
                 f"4. Debian dataset package: {os.path.join(str(isolated['debian']), 'mnist', 'mnist.npz')}",
                 f"Download from {MNIST_URL} failed", "no network",
                 "set DENDRITE_DATA to a directory holding mnist.npz", f"copy the file to {cache}"]:
        assert line in msg


def test_offline_error_for_fashion_mnist_names_the_subfolder(isolated, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=urllib.error.URLError("no network")))
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    with pytest.raises(FetchError) as info:
        fashion_mnist.load_data()
    msg = str(info.value)
    want = os.path.join(str(isolated["data"]), "fashion-mnist", "train-labels-idx1-ubyte.gz")
    assert f"1. $DENDRITE_DATA: {want}" in msg
    assert os.path.join("fashion-mnist", "train-labels-idx1-ubyte.gz") in msg.splitlines()[-1]


def test_shared_copy_found_without_network(shared_data, tmp_path, monkeypatch):
    # Everything else empty: the copy in DENDRITE_DATA alone is enough.
    monkeypatch.setenv("DENDRITE_HOME", str(tmp_path / "dh"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=AssertionError("network touched")))
    assert _fetch.fetch("mnist.npz", MNIST_URL, MNIST_SHA) == os.path.join(shared_data, "mnist.npz")
    assert not (tmp_path / "dh").exists()


def test_a_relative_dendrite_data_is_found_from_the_working_directory(isolated, shared_data_file, monkeypatch):
    # .ci/run sets DENDRITE_DATA=../shared/data: a path relative to where the command started
    copy = _place(shared_data_file, isolated["data"] / "mnist.npz")
    monkeypatch.chdir(isolated["home"].parent)
    monkeypatch.setenv("DENDRITE_DATA", "data")
    found = mnist._locate("mnist.npz")
    assert found == str(copy) and os.path.isabs(found)
    monkeypatch.chdir(isolated["home"].parent.parent)  # the returned path stays valid after a chdir
    with np.load(found, allow_pickle=False) as f:
        assert f["x_train"].shape == (60000, 28, 28)
