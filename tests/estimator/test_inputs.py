"""numpy_input_fn and pandas_input_fn: batches, epochs, shuffling, bad input."""
import numpy as np
import pandas as pd
import pytest

from dendrite.estimator import numpy_input_fn, pandas_input_fn


def test_numpy_input_fn_batches_one_epoch_in_order_with_a_smaller_last_batch():
    x = {"a": np.arange(10), "b": np.arange(10) * 2}
    batches = list(numpy_input_fn(x, np.arange(10) + 100, batch_size=4, shuffle=False)())
    assert [len(f["a"]) for f, _ in batches] == [4, 4, 2]
    np.testing.assert_array_equal(batches[2][0]["b"], [16, 18])
    np.testing.assert_array_equal(batches[2][1], [108, 109])


def test_numpy_input_fn_shuffles_each_epoch_and_repeats_forever():
    it = numpy_input_fn({"a": np.arange(6)}, batch_size=6, num_epochs=None, shuffle=True)()
    epochs = [next(it)[0]["a"] for _ in range(3)]
    assert all(sorted(e) == list(range(6)) for e in epochs)
    assert any(list(e) != list(range(6)) for e in epochs)


def test_numpy_input_fn_bad_arguments():
    with pytest.raises(ValueError, match="shuffle must be given"):
        numpy_input_fn({"a": np.arange(3)})
    with pytest.raises(ValueError, match="same first dimension.*x\\['b'\\]: 2"):
        numpy_input_fn({"a": np.arange(3), "b": np.arange(2)}, shuffle=False)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        numpy_input_fn({"a": np.arange(3)}, batch_size=0, shuffle=False)


def test_pandas_input_fn_gives_the_columns_as_features():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0]})
    (features, labels), = list(pandas_input_fn(df, pd.Series([0, 1, 0]), batch_size=3, shuffle=False)())
    assert sorted(features) == ["x", "y"]
    np.testing.assert_array_equal(labels, [0, 1, 0])
