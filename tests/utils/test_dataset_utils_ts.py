"""utils.timeseries_dataset_from_array and utils.split_dataset, with Keras's documented examples."""
import numpy as np
import pytest

from dendrite import data, utils


def test_timeseries_keras_example_sampling_and_stride():
    # Keras docs: data [0..99], sequence_length=10, sampling_rate=2, sequence_stride=3: the first sequence is
    # [0, 2, 4, ..., 18], the second [3, 5, ..., 21]. (Its docstring says the last is [78, ..., 96]; Keras 3's
    # code gives 28 windows ending with [81, ..., 99], as checked with keras 3 in TF 2.21, and so does this.)
    ds = utils.timeseries_dataset_from_array(np.arange(100), None, sequence_length=10, sampling_rate=2,
                                             sequence_stride=3, batch_size=None)
    seqs = [s.tolist() for s in ds]
    assert seqs[0] == list(range(0, 20, 2)) and seqs[1] == list(range(3, 23, 2))
    assert seqs[-1] == list(range(81, 100, 2)) and len(seqs) == 28


def test_timeseries_keras_example_targets_offset():
    # Keras docs: inputs data[:-10], targets data[10:], sequence_length=10: a window's target is the next value
    values = np.arange(100)
    ds = utils.timeseries_dataset_from_array(values[:-10], values[10:], sequence_length=10, batch_size=16)
    batches = list(ds)
    inputs, targets = batches[0]
    assert inputs.shape == (16, 10) and inputs[0].tolist() == list(range(10)) and targets[0] == 10
    assert sum(len(t) for _, t in batches) == 81 and batches[-1][1][-1] == 90
    np.testing.assert_array_equal(np.concatenate([t for _, t in batches]), np.arange(10, 91))


def test_timeseries_shuffle_start_end_and_errors():
    x = np.arange(50)[:, None] * np.ones((1, 2))
    ds = utils.timeseries_dataset_from_array(x, np.arange(50), 5, shuffle=True, seed=3, batch_size=8,
                                             start_index=10, end_index=40)
    pairs = [(w, t) for xb, tb in ds for w, t in zip(xb, tb)]
    assert len(pairs) == 26 and all(w[0, 0] == t and w[-1, 0] == t + 4 for w, t in pairs)
    assert sorted(int(t) for _, t in pairs) == list(range(10, 36)) and [int(t) for _, t in pairs] != list(range(10, 36))
    with pytest.raises(ValueError, match="sequence_length"):
        utils.timeseries_dataset_from_array(x, None, 0)


def test_split_dataset_sizes_and_kinds():
    x, y = np.arange(10), np.arange(10) * 2
    left, right = utils.split_dataset((x, y), left_size=0.8)
    assert isinstance(left, data.Dataset) and len(left) == 8 and len(right) == 2
    assert [int(a) for a, _ in right] == [8, 9]
    left, right = utils.split_dataset(x, right_size=3)
    assert [int(v) for v in left] == list(range(7)) and [int(v) for v in right] == [7, 8, 9]
    left, right = utils.split_dataset(data.Dataset.range(6).map(lambda v: {"v": v}), left_size=2, right_size=2,
                                      shuffle=True, seed=1)
    assert len(left) == 2 and len(right) == 2
    assert len({int(e["v"]) for e in left} | {int(e["v"]) for e in right}) == 4
    assert [len(h) for h in utils.split_dataset(x, left_size=0.75)] == [8, 2]  # as Keras rounds
    with pytest.raises(ValueError, match="give `left_size` or `right_size`"):
        utils.split_dataset(x)
    with pytest.raises(ValueError, match="between 1 and the dataset's 10 elements"):
        utils.split_dataset(x, left_size=7, right_size=7)
