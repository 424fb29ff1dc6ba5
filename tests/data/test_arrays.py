"""The vectorised array path: shuffle / take / skip / shard / repeat / cache over from_tensor_slices work on
index plans, and batch gathers each batch with one fancy index per array."""
import numpy as np

from dendrite.data import Dataset


class CountingArray(np.ndarray):
    """An array that counts how often it is indexed with an index array (a gather)."""
    gathers = 0

    def __getitem__(self, idx):
        if isinstance(idx, np.ndarray):
            CountingArray.gathers += 1
        return np.asarray(super().__getitem__(idx))


def test_batch_over_arrays_gathers_once_per_batch_per_array():
    x = np.arange(1000 * 4, dtype=np.float32).reshape(1000, 4).view(CountingArray)
    y = np.arange(1000).view(CountingArray)
    CountingArray.gathers = 0
    batches = list(Dataset.from_tensor_slices((x, y)).shuffle(100, seed=1).repeat(2).batch(128))
    assert len(batches) == 16 and CountingArray.gathers == 2 * 16
    xs = np.concatenate([b[0] for b in batches])
    ys = np.concatenate([b[1] for b in batches])
    np.testing.assert_array_equal(xs[:, 0], ys * 4)  # rows stay paired
    assert sorted(ys.tolist()) == sorted(list(range(1000)) * 2)
    assert [len(b[1]) for b in batches][-1] == 2000 - 15 * 128


def test_map_after_batch_runs_once_per_batch():
    calls = []
    ds = Dataset.from_tensor_slices(np.arange(10)).batch(4).map(lambda b: calls.append(len(b)) or b * 2)
    assert [b.tolist() for b in ds] == [[0, 2, 4, 6], [8, 10, 12, 14], [16, 18]]
    assert calls == [4, 4, 2]


def test_plan_stages_give_what_the_element_path_gives():
    x = np.arange(50)
    arrays = Dataset.from_tensor_slices(x)
    elements = Dataset.from_generator(lambda: iter(x), output_types="int64")
    for build in (lambda d: d.skip(3).take(30).shard(4, 1).repeat(2).batch(3),
                  lambda d: d.repeat(3).skip(45).take(20).batch(7, drop_remainder=True),
                  lambda d: d.shard(3, 2).batch(5).unbatch(),
                  lambda d: d.take(-1).skip(0).repeat(0)):
        assert [np.asarray(e).tolist() for e in build(arrays)] == [np.asarray(e).tolist() for e in build(elements)]


def test_batch_crosses_chunk_and_repeat_boundaries():
    ds = Dataset.from_tensor_slices(np.arange(5)).repeat(3).batch(4)
    assert [b.tolist() for b in ds] == [[0, 1, 2, 3], [4, 0, 1, 2], [3, 4, 0, 1], [2, 3, 4]]
    assert ds.cardinality() == 4


def test_cache_over_arrays_keeps_the_first_pass_order():
    ds = Dataset.from_tensor_slices(np.arange(20)).shuffle(20).cache()
    first = [int(v) for v in ds]
    assert sorted(first) == list(range(20)) and [int(v) for v in ds] == first


def test_dict_and_text_arrays_batch():
    ds = Dataset.from_tensor_slices({"t": ["a", "bb", "c"], "n": [1, 2, 3]}).batch(2)
    first = next(iter(ds))
    assert first["t"].dtype == object and first["t"].tolist() == [b"a", b"bb"] and first["n"].tolist() == [1, 2]
