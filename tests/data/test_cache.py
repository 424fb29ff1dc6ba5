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
