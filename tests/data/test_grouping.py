"""group_by_window and group_by_reducer beyond the TF fixtures: padded windows of sequences, errors."""
import numpy as np
import pytest

from dendrite import data


def test_windows_of_one_length_bucket_are_padded_batches():
    seqs = [np.arange(n) for n in (3, 7, 4, 8, 2, 6)]
    ds = data.Dataset.from_generator(lambda: iter(seqs), output_signature=data.TensorSpec((None,), "int64"))
    out = list(ds.group_by_window(lambda s: np.int64(len(s) > 5), lambda k, w: w.padded_batch(2),
                                  window_size=2).as_numpy_iterator())
    assert [b.shape for b in out] == [(2, 4), (2, 8), (1, 2), (1, 6)]  # full windows, then the rest by key


def test_group_by_window_and_reducer_errors():
    ds = data.Dataset.range(4)
    with pytest.raises(ValueError, match="exactly one"):
        ds.group_by_window(lambda x: x, lambda k, w: w)
    with pytest.raises(ValueError, match="int64 scalar"):
        list(ds.group_by_window(lambda x: 0.5, lambda k, w: w, window_size=2).as_numpy_iterator())
    with pytest.raises(TypeError, match="must return a Dataset"):
        list(ds.group_by_window(lambda x: x % 2, lambda k, w: 3, window_size=2).as_numpy_iterator())
    with pytest.raises(TypeError, match="Reducer"):
        data.experimental.group_by_reducer(lambda x: x, reducer=None)(ds)
    with pytest.raises(TypeError, match="finalize_func"):
        data.experimental.Reducer(lambda k: 0, lambda s, x: s, None)


def test_reducer_of_tuple_elements_takes_them_spread():
    ds = data.Dataset.from_tensor_slices((np.arange(6), np.arange(6) * 10))
    red = data.experimental.Reducer(lambda k: np.int64(0), lambda s, a, b: s + a + b, lambda s: s)
    assert list(ds.apply(data.experimental.group_by_reducer(lambda a, b: a % 2, red)).as_numpy_iterator()) == \
        [66, 99]
