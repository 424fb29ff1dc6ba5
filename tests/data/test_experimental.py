"""data.experimental's functions beyond the TF fixtures: at, get_structure, from_list, pad_to_cardinality, the
deprecated helpers."""
import numpy as np
import pytest

from dendrite import data

E = data.experimental


def test_at_get_structure_and_get_single_element():
    ds = data.Dataset.range(10).map(lambda v: v * v)
    assert E.at(ds, 4) == 16
    with pytest.raises(ValueError, match="out of range"):
        E.at(ds, 10)
    assert E.get_structure(ds) == data.TensorSpec((), "int64") == E.get_structure(ds.as_numpy_iterator())
    with pytest.raises(TypeError, match="Dataset or an iterator"):
        E.get_structure(3)
    assert E.get_single_element(data.Dataset.from_tensors(np.int64(5))) == 5


def test_from_list_and_pad_to_cardinality_errors():
    with pytest.raises(ValueError, match="not be empty"):
        E.from_list([])
    with pytest.raises(ValueError, match="one structure"):
        E.from_list([(1, 2), 3])
    assert list(E.from_list([{"a": 1.5}, {"a": 2.5}]).as_numpy_iterator()) == [{"a": 1.5}, {"a": 2.5}]
    with pytest.raises(TypeError, match="dicts"):
        data.Dataset.range(2).apply(E.pad_to_cardinality(3))
    with pytest.raises(ValueError, match="more than"):
        data.Dataset.from_tensor_slices({"a": [1, 2]}).apply(E.pad_to_cardinality(1))
    with pytest.raises(ValueError, match="must be known"):
        data.Dataset.from_tensor_slices({"a": [1, 2]}).filter(lambda d: True).apply(E.pad_to_cardinality(3))


def test_parallel_and_shuffle_helpers_keep_the_elements():
    out = sorted(data.Dataset.range(4).apply(E.parallel_interleave(lambda x: data.Dataset.range(x), 2,
                                                                   sloppy=True)).as_numpy_iterator())
    assert out == [0, 0, 0, 1, 1, 2]
    got = list(data.Dataset.range(6).apply(E.shuffle_and_repeat(6, count=2, seed=1)).as_numpy_iterator())
    assert sorted(got) == sorted(list(range(6)) * 2) and got != list(range(6)) * 2
    batches = list(data.Dataset.range(5).apply(E.map_and_batch(lambda x: x + 1, 2, num_parallel_calls=2))
                   .as_numpy_iterator())
    assert [b.tolist() for b in batches] == [[1, 2], [3, 4], [5]]
    with pytest.raises(ValueError, match="not both"):
        E.map_and_batch(lambda x: x, 2, num_parallel_batches=1, num_parallel_calls=2)
    assert list(E.RandomDataset(seed=2).take(2).as_numpy_iterator()) == \
        list(data.Dataset.random(seed=2).take(2).as_numpy_iterator())
