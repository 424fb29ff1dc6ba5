"""take_while, ignore_errors and choose_from_datasets beyond the TF fixtures: errors and functions that raise."""
import numpy as np
import pytest

from dendrite import data

D = data.Dataset


def parse(x):
    if x % 3 == 0:
        raise ValueError(f"bad record {x}")
    return x * 10


def test_ignore_errors_drops_the_elements_whose_map_raised():
    ds = D.range(10).map(parse).filter(lambda x: x != 40).map(lambda x: x + 1).ignore_errors()
    assert list(ds.as_numpy_iterator()) == [11, 21, 51, 71, 81]
    assert int(ds.cardinality()) == data.UNKNOWN_CARDINALITY
    with pytest.raises(ValueError, match="bad record 0"):
        list(D.range(10).map(parse).as_numpy_iterator())


def test_ignore_errors_logs_when_asked(caplog):
    with caplog.at_level("WARNING", logger="dendrite.data"):
        assert list(D.range(4).map(parse).ignore_errors(log_warning=True).as_numpy_iterator()) == [10, 20]
    assert "bad record 3" in caplog.text


def test_ignore_errors_ends_the_pass_when_the_source_fails():
    def gen():
        yield 1
        yield 2
        raise OSError("disk went away")
    ds = D.from_generator(gen, output_signature=data.TensorSpec((), "int32")).ignore_errors()
    assert list(ds.as_numpy_iterator()) == [1, 2]


def test_take_while_needs_a_scalar_bool():
    with pytest.raises(ValueError, match="scalar bool"):
        list(D.range(3).take_while(lambda x: x).as_numpy_iterator())
    with pytest.raises(TypeError, match="predicate"):
        D.range(3).take_while(5)


def test_choose_from_datasets_refuses_bad_choices():
    with pytest.raises(TypeError, match="int64"):
        D.choose_from_datasets([D.range(2)], D.from_tensor_slices(np.array([0.0])))
    with pytest.raises(TypeError, match="list of Datasets"):
        D.choose_from_datasets([], D.range(1))
    with pytest.raises(ValueError, match="not an index"):
        list(D.choose_from_datasets([D.range(2)], D.from_tensor_slices(np.array([3]))).as_numpy_iterator())
    with pytest.raises(TypeError, match="one structure"):
        D.choose_from_datasets([D.range(2), D.from_tensor_slices(np.array(["a"]))], D.range(1))
