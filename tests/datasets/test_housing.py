"""boston_housing and california_housing on small npz files, checked against the rows Keras 3.15 returned for
the same files (tools/make_keras_datasets_fixtures.py): its RandomState(seed) shuffle and its cut."""
import hashlib
import json
import os
import urllib.request

import numpy as np
import pytest

import dendrite.compat
from dendrite.datasets import boston_housing, california_housing

from .conftest import FakeWeb

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_datasets", "housing.npz")
BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
LOADERS = {"boston": boston_housing, "california": california_housing}
with np.load(FIXTURE, allow_pickle=False) as _f:
    CASES = json.loads(str(_f["cases"]))  # case -> [loader, keyword arguments], as the tool ran Keras


@pytest.fixture(scope="module")
def keras_out():
    with np.load(FIXTURE, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


@pytest.fixture
def data(isolated, keras_out, monkeypatch):
    """The fixture's inputs as boston_housing.npz and california_housing.npz in DENDRITE_DATA."""
    isolated["data"].mkdir()
    for name in LOADERS:
        np.savez(isolated["data"] / f"{name}_housing.npz", x=keras_out[f"{name}_x"], y=keras_out[f"{name}_y"])
    monkeypatch.setenv("DENDRITE_DATA", str(isolated["data"]))
    return isolated["data"]


@pytest.mark.parametrize("case", list(CASES))
def test_split_matches_keras(data, keras_out, case):
    name, kwargs = CASES[case]
    (x_train, y_train), (x_test, y_test) = LOADERS[name].load_data(**kwargs)
    x, y = keras_out[f"{name}_x"], keras_out[f"{name}_y"]
    for part, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
        rows = keras_out[f"{case}_{part}_rows"]
        assert [xs.dtype.name, ys.dtype.name] == list(keras_out[f"{case}_{part}_dtypes"])
        np.testing.assert_array_equal(xs, x[rows])
        np.testing.assert_array_equal(ys, y[rows])


def test_defaults_are_keras():
    # Keras: path='boston_housing.npz', test_split=0.2, seed=113; california: version='large' first
    assert boston_housing.load_data.__defaults__ == ("boston_housing.npz", 0.2, 113)
    assert california_housing.load_data.__defaults__ == ("large", "california_housing.npz", 0.2, 113)
    assert boston_housing.FEATURES == 13 and california_housing.FEATURES == 8 and california_housing.SMALL == 600


def test_the_cut_is_keras_formula_and_the_shuffle_is_randomstate(data, keras_out):
    (x_train, y_train), (x_test, _) = boston_housing.load_data(test_split=0.5, seed=3)
    n = len(keras_out["boston_x"])
    order = np.arange(n)
    np.random.RandomState(3).shuffle(order)
    assert len(x_train) == int(n * 0.5) == 18 and len(x_test) == 19
    np.testing.assert_array_equal(y_train, keras_out["boston_y"][order[:18]])
    assert x_train.shape == (18, 13) and x_train.flags.writeable and not np.shares_memory(x_train, x_test)


def test_seed_none_shuffles_without_a_fixed_order(data):
    (x_train, y_train), (x_test, y_test) = california_housing.load_data(version="small", seed=None)
    assert len(x_train) == 480 and len(x_test) == 120
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])),
                                  np.sort(np.load(data / "california_housing.npz")["y"][:600]))


def test_a_path_with_a_folder_is_used_as_it_is(data, tmp_path, keras_out):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.replace(data / "boston_housing.npz", elsewhere / "mine.npz")
    (_, y_train), _ = boston_housing.load_data(path=str(elsewhere / "mine.npz"))
    np.testing.assert_array_equal(y_train, keras_out["boston_y"][keras_out["boston_default_train_rows"]])


# ---------------------------------------------------------------- arguments
@pytest.mark.parametrize("test_split", [1, 1.0, -0.1, float("nan"), 2])
def test_test_split_outside_zero_one_is_refused(isolated, test_split):
    with pytest.raises(ValueError, match=r"boston_housing.load_data: expected `test_split` to be in \[0, 1\)"):
        boston_housing.load_data(test_split=test_split)


def test_test_split_that_is_not_a_number_is_refused(isolated):
    with pytest.raises(TypeError, match=r"california_housing.load_data: expected `test_split` to be a number "
                                        r"in \[0, 1\).*received test_split='0.2' of type str"):
        california_housing.load_data(test_split="0.2")


@pytest.mark.parametrize("seed", [-1, 2 ** 32, "113", 1.5])
def test_a_bad_seed_is_refused_before_any_file(isolated, seed):
    with pytest.raises((TypeError, ValueError), match=r"boston_housing.load_data: expected `seed` to be an "
                                                      r"integer in \[0, 2\*\*32\) or None"):
        boston_housing.load_data(seed=seed)


@pytest.mark.parametrize("version", ["medium", "Small", None])
def test_a_bad_version_is_refused_before_any_file(isolated, version):
    with pytest.raises(ValueError, match=r"california_housing.load_data: expected `version` to be 'small' "
                                         r"\(600 samples\) or 'large'.*received version=" + repr(version)):
        california_housing.load_data(version=version)


# ---------------------------------------------------------------- bad files
def test_a_file_with_the_wrong_columns_is_refused(data):
    np.savez(data / "boston_housing.npz", x=np.zeros((5, 8)), y=np.zeros(5))
    with pytest.raises(ValueError) as info:
        boston_housing.load_data()
    msg = str(info.value)
    assert "does not hold the data as expected: x of shape (samples, 13)" in msg
    assert "received x float64 (5, 8), y float64 (5,)" in msg and "DENDRITE_DATA" in msg


def test_a_pickled_object_array_is_never_loaded(data):
    np.savez(data / "california_housing.npz", x=np.array([[1, 2]] * 3, dtype=object), y=np.zeros(3))
    with pytest.raises(ValueError, match=r"california_housing.npz is not a readable .npz file of numbers "
                                         r"\(.*allow_pickle=False"):
        california_housing.load_data()


def test_a_file_that_is_not_an_npz_is_refused(data):
    (data / "boston_housing.npz").write_bytes(b"PK\x03\x04 but not really")
    with pytest.raises(ValueError, match=r"boston_housing.npz is not a readable .npz file"):
        boston_housing.load_data()
    np.save(data / "one.npy", np.zeros((3, 13)))
    os.replace(data / "one.npy", data / "boston_housing.npz")
    with pytest.raises(ValueError, match=r"boston_housing.npz is not a readable .npz file of numbers \(it holds "
                                         r"a single .npy array, not an .npz archive\)"):
        boston_housing.load_data()


def test_download_refuses_a_wrong_hash_and_keeps_nothing(isolated, keras_out, tmp_path, monkeypatch):
    served = tmp_path / "served.npz"
    np.savez(served, x=keras_out["california_x"], y=keras_out["california_y"])
    url = BASE + "california_housing.npz"
    web = FakeWeb({url: served})
    monkeypatch.setattr(urllib.request, "urlopen", web)
    with pytest.raises(ValueError) as info:
        california_housing.load_data()
    msg = str(info.value)
    assert "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f" in msg and url in msg
    assert hashlib.sha256(served.read_bytes()).hexdigest() in msg
    assert web.requested == [url] and os.listdir(isolated["dendrite_home"] / "datasets") == []


def test_keras_names_resolve_to_the_loaders():
    dendrite.compat.install()
    try:
        import keras
        from tensorflow.keras.datasets import boston_housing as tf_boston
        assert keras.datasets.california_housing.load_data is california_housing.load_data
        assert tf_boston.load_data is boston_housing.load_data
    finally:
        dendrite.compat.uninstall()
