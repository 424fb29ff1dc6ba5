"""cache(): the source is read once; a file cache is read by a later Dataset without the source; a pass that
is not finished leaves no cache."""
import os

import numpy as np
import pytest

from dendrite.data import Dataset


class Source:
    """A generator function that counts how often it is started and how many elements it gave."""

    def __init__(self, n=5):
        self.n, self.calls, self.given = n, 0, 0

    def __call__(self):
        self.calls += 1
        for i in range(self.n):
            self.given += 1
            yield (np.full(2, i, np.float32), f"item {i}")

    def dataset(self):
        return Dataset.from_generator(self, output_types=("float32", "string"), output_shapes=((2,), ()))


def as_lists(ds):
    return [(a.tolist(), b) for a, b in ds]


def test_memory_cache_reads_the_source_once():
    source = Source()
    ds = source.dataset().cache().repeat(3)
    out = as_lists(ds)
    assert len(out) == 15 and out[5:10] == out[:5] and source.calls == 1
    assert as_lists(ds) == out and source.calls == 1


def test_memory_cache_ignores_an_unfinished_pass():
    source = Source()
    ds = source.dataset().cache()
    assert len(as_lists(ds.take(2))) == 2
    assert len(as_lists(ds)) == 5 and source.calls == 2
    assert len(as_lists(ds)) == 5 and source.calls == 2


def test_file_cache_is_read_by_a_second_dataset(tmp_path):
    path = str(tmp_path / "cache")
    source = Source()
    first = as_lists(source.dataset().map(lambda a, b: (a * 2, b)).cache(path))
    assert os.path.exists(path + ".index") and source.calls == 1
    other = Source()
    again = as_lists(other.dataset().map(lambda a, b: (a * 2, b)).cache(path))
    assert again == first and first[3] == ([6.0, 6.0], b"item 3") and other.calls == 0


def test_unfinished_file_cache_is_not_used(tmp_path):
    path = str(tmp_path / "cache")
    source = Source()
    ds = source.dataset().cache(path)
    assert len(as_lists(ds.take(2))) == 2
    assert not os.path.exists(path + ".index") and os.listdir(tmp_path) == []
    assert len(as_lists(ds)) == 5 and source.calls == 2 and os.path.exists(path + ".index")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        Source().dataset().cache(str(tmp_path / "missing" / "cache"))


def test_file_cache_keeps_every_kind_of_component_and_never_unpickles(tmp_path):
    """Arrays, NumPy scalars, bytes (trailing zero bytes kept), arrays of byte strings and dicts come back as
    they went in, read with allow_pickle=False; a damaged data file is refused with a clear error."""
    texts = np.array([b"a\x00", b"bc", b""], dtype=object)
    source = Dataset.from_tensor_slices({"x": np.arange(6, dtype=np.float32).reshape(3, 2), "t": texts})
    pipeline = source.map(lambda e: {"pair": (e["x"], e["t"]), "raw": b"raw\x00", "n": np.int64(7),
                                     "words": np.array([[b"x", b"yz"]], dtype=object)})
    first = list(pipeline.cache(str(tmp_path / "c")))
    other = Dataset.from_tensor_slices(np.arange(3)).map(lambda i: {"pair": (np.zeros(2, np.float32), b""),
                                                                          "raw": b"", "n": np.int64(0),
                                                                          "words": np.array([[b""]], object)})
    again = list(other.cache(str(tmp_path / "c")))  # another pipeline, same file: the cache is read
    assert len(again) == 3
    for a, b in zip(first, again):
        assert list(a) == list(b) == ["pair", "raw", "n", "words"]
        np.testing.assert_array_equal(a["pair"][0], b["pair"][0])
        assert a["pair"][1] == b["pair"][1] and b["raw"] == b"raw\x00" and b["n"] == 7
        assert isinstance(b["n"], np.int64) and b["words"].dtype == object
        assert b["words"].tolist() == [[b"x", b"yz"]]
    assert again[0]["pair"][1] == b"a\x00"
    data_file = tmp_path / "c.data-00000-of-00001"
    data_file.write_bytes(data_file.read_bytes()[:-7])
    with pytest.raises(ValueError, match="cache file .* is damaged"):
        list(other.cache(str(tmp_path / "c")))
