"""filter, flat_map, scan, enumerate, unique, window, take / skip / shard / repeat over elements."""
import numpy as np
import pytest

from dendrite.data import Dataset, TensorSpec


def gen_range(n):
    return Dataset.from_generator(lambda: iter(range(n)), output_types="int64")


def test_filter_flat_map_scan_enumerate_unique():
    assert [int(v) for v in gen_range(10).filter(lambda x: x % 4 == 1)] == [1, 5, 9]
    with pytest.raises(ValueError, match="must return a scalar bool"):
        list(gen_range(3).filter(lambda x: x + 1))
    pairs = Dataset.from_tensor_slices((np.arange(4), np.arange(4) * 10))
    assert [(int(a), int(b)) for a, b in pairs.filter(lambda a, b: b > 15)] == [(2, 20), (3, 30)]
    assert [int(v) for v in Dataset.range(1, 4).flat_map(lambda x: Dataset.range(x))] == [0, 0, 1, 0, 1, 2]
    sums = Dataset.range(5).scan(np.int64(0), lambda s, x: (s + x, s))
    assert [int(v) for v in sums] == [0, 0, 1, 3, 6]
    with pytest.raises(ValueError, match="pair"):
        list(Dataset.range(2).scan(0, lambda s, x: s))
    enum = list(Dataset.from_tensor_slices(["a", "b"]).enumerate(start=5))
    assert enum == [(5, b"a"), (6, b"b")]
    assert Dataset.range(2).enumerate().element_spec == (TensorSpec((), "int64"), TensorSpec((), "int64"))
    assert list(Dataset.from_tensor_slices(["a", "b", "a"]).unique()) == [b"a", b"b"]


def test_take_skip_shard_repeat_on_elements():
    ds = gen_range(10)
    assert [int(v) for v in ds.take(3)] == [0, 1, 2] and [int(v) for v in ds.skip(8)] == [8, 9]
    assert [int(v) for v in ds.shard(3, 2)] == [2, 5, 8]
    assert [int(v) for v in ds.take(2).repeat(3)] == [0, 1] * 3
    assert [int(v) for v in ds.repeat().take(12)][-2:] == [0, 1]
    assert ds.repeat().cardinality() == -1 and ds.take(3).cardinality() == -2
    with pytest.raises(ValueError, match=r"`index` must be in \[0, num_shards\)"):
        ds.shard(2, 2)
    assert list(gen_range(0).repeat()) == []  # an empty dataset repeated forever is empty, not a hang


def test_window_elements_are_datasets():
    windows = list(Dataset.range(7).window(3, shift=2))
    assert all(isinstance(w, Dataset) for w in windows)
    assert [[int(v) for v in w] for w in windows] == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]
    batched = Dataset.range(6).window(3, 1, drop_remainder=True).flat_map(lambda w: w.batch(3))
    assert [b.tolist() for b in batched] == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]
    pairs = list(Dataset.from_tensor_slices({"a": np.arange(4), "b": np.arange(4) * 2}).window(2))
    assert [int(v) for v in pairs[1]["b"]] == [4, 6] and pairs[1]["a"].cardinality() == 2
    assert [[int(v) for v in w] for w in Dataset.range(10).window(2, 4, 3)] == [[0, 3], [4, 7], [8]]


def test_a_list_returned_by_a_map_function_is_a_tuple_of_components():
    ds = Dataset.range(3).map(lambda x: [x, x * 2])
    assert list(ds) == [(0, 0), (1, 2), (2, 4)]  # TF: tuples of two scalars, not a (2,) tensor
    pairs = Dataset.from_tensor_slices((np.zeros((2, 3)), np.ones((2,)))).map(lambda a, b: [a, b]).batch(2)
    a, b = next(iter(pairs))
    assert a.shape == (2, 3) and b.shape == (2,)
