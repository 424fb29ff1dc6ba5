"""Dataset.counter and Dataset.random."""
import numpy as np
import pytest

from dendrite import data, utils


def test_counter_counts_without_end():
    ds = data.Dataset.counter(5, -2)
    assert int(ds.cardinality()) == data.INFINITE_CARDINALITY
    assert list(ds.take(4).as_numpy_iterator()) == [5, 3, 1, -1]
    assert ds.element_spec == data.TensorSpec((), "int64")
    with pytest.raises(TypeError, match="numeric dtype"):
        data.Dataset.counter(dtype="string")


def test_random_seeded_repeats_and_unseeded_differs():
    a = list(data.Dataset.random(seed=3).take(500).as_numpy_iterator())
    assert a == list(data.Dataset.random(seed=3).take(500).as_numpy_iterator())
    values = np.array(a)
    assert values.dtype == np.int64 and values.min() >= 0 and values.max() < 2 ** 32
    assert 2 ** 31 * 0.9 < values.mean() < 2 ** 31 * 1.1  # uniform over [0, 2**32)
    ds = data.Dataset.random(seed=3, rerandomize_each_iteration=True).take(5)
    assert list(ds.as_numpy_iterator()) != list(ds.as_numpy_iterator())
    utils.set_random_seed(1)
    first = list(data.Dataset.random().take(3).as_numpy_iterator())
    utils.set_random_seed(1)
    assert first == list(data.Dataset.random().take(3).as_numpy_iterator())
