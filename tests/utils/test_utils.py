import gzip
import hashlib
import io
import os
import random
import tarfile
import urllib.error
import urllib.request

import numpy as np
import pytest

from dendrite import backend, initializers, utils
from dendrite.datasets import FetchError
from dendrite.utils import get_file, normalize, np_utils, set_random_seed, to_categorical
from fake_web import FakeWeb


# -------------------------------------------------------- to_categorical
def test_to_categorical_values():
    out = to_categorical([0, 2, 1, 2])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(to_categorical(np.array([1, 0]), num_classes=4), [[0, 1, 0, 0], [1, 0, 0, 0]])


@pytest.mark.parametrize("shape, expected", [((6,), (6, 10)), ((6, 1), (6, 10)), ((2, 3), (2, 3, 10)),
                                             ((2, 3, 1), (2, 3, 10)), ((), (10,))])
def test_to_categorical_shapes_follow_keras(shape, expected):
    y = np.arange(int(np.prod(shape))).reshape(shape) % 10
    out = to_categorical(y, 10)
    assert out.shape == expected
    np.testing.assert_array_equal(out.argmax(-1), y.reshape(expected[:-1]))
    assert (out.sum(-1) == 1).all()


def test_to_categorical_dtype_and_float_labels():
    out = to_categorical(np.array([1.0, 0.0, 2.0]), 3, dtype="int32")
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert to_categorical(np.array([3], dtype=np.uint8)).shape == (1, 4)


def test_to_categorical_errors_name_label_and_num_classes():
    with pytest.raises(ValueError, match=r"to_categorical: .*received label 5 with num_classes=3"):
        to_categorical([0, 5, 1], num_classes=3)
    with pytest.raises(ValueError, match=r"to_categorical: .*negative label -1 \(num_classes=3\)"):
        to_categorical([0, -1, 1], num_classes=3)
    with pytest.raises(ValueError, match=r"non-integer values such as 1.5"):
        to_categorical([0.0, 1.5])
    with pytest.raises(TypeError, match=r"to_categorical: expected integer class labels.*<U3"):
        to_categorical(["cat", "dog"])
    with pytest.raises(ValueError, match=r"to_categorical: `num_classes` must be a positive integer\. Received: num_classes=0"):
        to_categorical([0], num_classes=0)


def test_np_utils_is_the_keras2_spelling():
    assert np_utils.to_categorical is to_categorical and np_utils.normalize is normalize
    assert utils.to_categorical is to_categorical


# -------------------------------------------------------------- normalize
def test_normalize_l2_l1_axis_and_zero_rows():
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(normalize(x), [[0.6, 0.8], [0, 0], [1, 0]])
    np.testing.assert_allclose(normalize(x, order=1), [[3 / 7, 4 / 7], [0, 0], [1, 0]])
    np.testing.assert_allclose(normalize(x, axis=0), x / np.sqrt([[10.0, 16.0]]))
    ints = normalize([[3, 4]])
    assert ints.dtype == np.float32
    np.testing.assert_allclose(ints, [[0.6, 0.8]])


# ---------------------------------------------------------- random seeds
def _draws():
    return (backend.rng().standard_normal(5), np.random.rand(5), [random.random() for _ in range(5)],
            initializers.GlorotUniform()((4, 3)), initializers.get("orthogonal")((3, 3)))


def test_set_random_seed_repeats_every_generator(monkeypatch):
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)  # restored after the test
    set_random_seed(42)
    first = _draws()
    set_random_seed(42)
    second = _draws()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    set_random_seed(43)
    third = _draws()
    for a, b in zip(first, third):
        assert not np.array_equal(a, b)
    assert os.environ["PYTHONHASHSEED"] == "43"


@pytest.mark.parametrize("seed", [1.5, "1", -1, 2**32, True])
def test_set_random_seed_rejects_non_integers(seed):
    with pytest.raises(ValueError, match=r"set_random_seed: expected `seed` to be an integer in \[0, 2\*\*32\)"):
        set_random_seed(seed)


# --------------------------------------------------------------- get_file
@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.delenv("DENDRITE_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DENDRITE_HOME", str(tmp_path / "dendrite"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path


URL = "https://example.com/files/table.csv.gz"
CSV = gzip.compress(b"a,b\n1,2\n")


def test_get_file_downloads_verifies_and_reuses(home, monkeypatch):
    web = FakeWeb({URL: CSV})
    monkeypatch.setattr(urllib.request, "urlopen", web)
    sha = hashlib.sha256(CSV).hexdigest()
    path = get_file("table.csv.gz", URL, file_hash=sha)
    assert path == str(home / "dendrite" / "datasets" / "table.csv.gz")
    with gzip.open(path) as f:
        assert f.read() == b"a,b\n1,2\n"
    assert get_file("table.csv.gz", URL, file_hash=sha) == path
    assert web.requested == [URL]  # the second call used the cache
    assert get_file(origin=URL) == path  # the name defaults to the URL's last part
    assert get_file("t.csv.gz", URL, md5_hash=hashlib.md5(CSV).hexdigest(), cache_subdir="other",
                    cache_dir=home / "mine") == str(home / "mine" / "other" / "t.csv.gz")


def test_get_file_redownloads_a_cached_copy_with_the_wrong_hash(home, monkeypatch, capsys):
    cached = home / "dendrite" / "datasets" / "table.csv.gz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"stale")
    web = FakeWeb({URL: CSV})
    monkeypatch.setattr(urllib.request, "urlopen", web)
    get_file("table.csv.gz", URL, file_hash=hashlib.sha256(CSV).hexdigest())
    assert web.requested == [URL] and cached.read_bytes() == CSV
    assert "ignoring" in capsys.readouterr().err


def test_get_file_finds_a_keras_copy_first(home, monkeypatch):
    copy = home / "keras" / "datasets" / "table.csv.gz"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(CSV)
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=AssertionError("network touched")))
    assert get_file("table.csv.gz", URL) == str(copy)


def test_get_file_hash_mismatch_names_both_hashes(home, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb({URL: CSV}))
    wrong = "0" * 64
    with pytest.raises(ValueError) as info:
        get_file("table.csv.gz", URL, file_hash=wrong)
    assert wrong in str(info.value) and hashlib.sha256(CSV).hexdigest() in str(info.value)
    assert os.listdir(home / "dendrite" / "datasets") == []


def test_get_file_extracts_a_tar_archive(home, monkeypatch):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("photos/a.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    url = "https://example.com/photos.tgz"
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb({url: buf.getvalue()}))
    out = get_file("photos.tgz", url, extract=True)
    assert out == str(home / "dendrite" / "datasets" / "photos_extracted")
    with open(os.path.join(out, "photos", "a.txt"), "rb") as f:
        assert f.read() == b"hello"


def test_get_file_offline_and_missing_origin(home, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb(error=urllib.error.URLError("offline")))
    with pytest.raises(FetchError, match=r"(?s)get_file: could not find 'table.csv.gz'.*Keras cache.*offline"):
        get_file("table.csv.gz", URL)
    with pytest.raises(ValueError, match=r"get_file: expected `origin`"):
        get_file("table.csv.gz")
