"""Dataset: constructors from values, iteration, cardinality, element_spec, options and the helpers on the
base class."""
import numpy as np
import pandas as pd
import pytest

import dendrite
from dendrite import data
from dendrite.data import Dataset, TensorSpec


def test_from_tensor_slices_tuple_dict_nested_and_lists():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    y = np.array([0, 1, 0, 1])
    elements = list(Dataset.from_tensor_slices((x, {"a": y, "b": (y * 2, [1.5, 2.5, 3.5, 4.5])})))
    assert len(elements) == 4
    xe, rest = elements[2]
    np.testing.assert_array_equal(xe, x[2])
    assert rest["a"] == 0 and rest["b"][0] == 0 and rest["b"][1] == np.float32(3.5)
    assert rest["b"][1].dtype == np.float32  # Python floats become float32, as tf.data
    ints = list(Dataset.from_tensor_slices([1, 2, 3]))
    assert ints == [1, 2, 3] and ints[0].dtype == np.int32
    assert list(Dataset.from_tensor_slices(["ab", "c"])) == [b"ab", b"c"]


def test_from_tensor_slices_dataframe_columns():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4, 5, 6]})
    ds = Dataset.from_tensor_slices(dict(frame))
    assert [(e["a"], e["b"]) for e in ds] == [(1.0, 4), (2.0, 5), (3.0, 6)]
    whole = list(Dataset.from_tensor_slices(frame.to_numpy()))
    np.testing.assert_array_equal(whole[1], [2.0, 5.0])


def test_from_tensor_slices_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"same size in their first axis; received shapes \(3,\), \(4,\)"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(ValueError, match="from_tensors"):
        Dataset.from_tensor_slices(np.float32(3))


def test_from_tensors_is_one_element():
    ds = Dataset.from_tensors((np.ones((2, 3)), 5))
    assert ds.cardinality() == 1 and len(ds) == 1
    (a, b), = list(ds)
    assert a.shape == (2, 3) and b == 5


def test_iterating_twice_is_a_fresh_pass():
    ds = Dataset.range(5).map(lambda x: x * 2)
    assert list(ds) == list(ds) == [0, 2, 4, 6, 8]
    it = iter(ds)
    assert next(it) == 0 and list(ds) == [0, 2, 4, 6, 8] and next(it) == 2


def test_cardinality_constants_and_len():
    assert data.AUTOTUNE == -1 and data.experimental.AUTOTUNE == -1
    assert data.INFINITE_CARDINALITY == -1 and data.UNKNOWN_CARDINALITY == -2
    ds = Dataset.range(10)
    assert ds.cardinality() == 10 and ds.cardinality().numpy() == np.int64(10) and len(ds) == 10
    assert data.experimental.cardinality(ds.repeat()) == data.INFINITE_CARDINALITY
    assert ds.filter(lambda x: x > 2).cardinality() == data.UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="infinite"):
        len(ds.repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(ds.filter(lambda x: x > 2))
    assert len(ds.filter(lambda x: x > 2).apply(data.experimental.assert_cardinality(7))) == 7


def test_element_spec():
    x = np.zeros((5, 28, 28), np.uint8)
    ds = Dataset.from_tensor_slices((x, np.arange(5)))
    assert ds.element_spec == (TensorSpec((28, 28), "uint8"), TensorSpec((), "int64"))
    assert ds.batch(4).element_spec[0] == TensorSpec((None, 28, 28), np.uint8)
    assert ds.batch(4, drop_remainder=True).element_spec[1].shape == (4,)
    assert ds.map(lambda a, b: {"img": a.astype(np.float32) / 255}).element_spec == {
        "img": TensorSpec((28, 28), "float32")}
    assert Dataset.from_tensor_slices(["a"]).element_spec == TensorSpec((), "string")
    assert repr(TensorSpec((None, 3), "float32")) == "TensorSpec(shape=(None, 3), dtype=float32, name=None)"
    assert TensorSpec((None, 3)).is_compatible_with(np.zeros((7, 3), np.float32))
    assert not TensorSpec((None, 3)).is_compatible_with(np.zeros((7, 4), np.float32))


def test_map_unpacks_tuples_and_passes_dicts_whole():
    pairs = Dataset.from_tensor_slices((np.arange(3), np.arange(3) * 10))
    assert list(pairs.map(lambda a, b: a + b)) == [0, 11, 22]
    dicts = Dataset.from_tensor_slices({"a": np.arange(3), "b": np.arange(3)})
    assert list(dicts.map(lambda d: d["a"] * d["b"])) == [0, 1, 4]


def test_map_converts_dendrite_tensors_to_numpy():
    ds = Dataset.from_tensor_slices(np.arange(4, dtype=np.int64)).map(
        lambda x: dendrite.ops.cast(x, "float32"))
    out = list(ds)
    assert all(isinstance(v, (np.ndarray, np.generic)) for v in out)
    assert out[3] == 3.0 and out[3].dtype == np.float32


def test_map_error_shows_the_users_line():
    def broken(x):
        raise RuntimeError(f"bad element {x}")  # the user's own line

    with pytest.raises(RuntimeError, match="bad element 0") as info:
        list(Dataset.range(3).map(broken))
    assert any(entry.name == "broken" for entry in info.traceback)
    with pytest.raises(ValueError, match="returned None"):
        list(Dataset.range(3).map(lambda x: None))


def test_reduce_get_single_element_apply_options():
    assert Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x) == 10
    assert Dataset.from_tensors(7).get_single_element() == 7
    with pytest.raises(ValueError, match="more than one element"):
        Dataset.range(2).get_single_element()
    assert list(Dataset.range(4).apply(lambda d: d.skip(2))) == [2, 3]
    with pytest.raises(TypeError, match="must return a Dataset"):
        Dataset.range(4).apply(lambda d: 3)
    options = data.Options()
    options.deterministic = False
    options.experimental_optimization.map_parallelization = True
    ds = Dataset.range(3).with_options(options)
    assert ds.options().deterministic is False and list(ds) == [0, 1, 2]
    assert ds.map(lambda x: x).options().experimental_optimization.map_parallelization is True


def test_zip_static_and_method_and_structure_errors():
    a, b = Dataset.range(3), Dataset.range(10, 15)
    assert list(Dataset.zip(a, b)) == list(Dataset.zip((a, b))) == list(a.zip(b)) == [(0, 10), (1, 11), (2, 12)]
    assert list(Dataset.zip({"x": a, "y": b}))[1] == {"x": 1, "y": 11}
    # given one structure, the method is TensorFlow's static zip, which leaves the dataset it is called on out
    assert list(a.zip((b, a))) == [(10, 0), (11, 1), (12, 2)] and list(b.zip({"y": b}))[0] == {"y": 10}
    assert Dataset.zip(a, b.repeat()).cardinality() == 3
    with pytest.raises(TypeError, match=r"component 1 of the structure \(\., \.\) is a list"):
        Dataset.zip((a, [1, 2, 3]))


def test_concatenate_needs_the_same_structure():
    with pytest.raises(TypeError, match="same structure and dtypes"):
        Dataset.range(3).concatenate(Dataset.from_tensor_slices((np.arange(3), np.arange(3))))
    mixed = Dataset.from_tensor_slices(np.zeros((2, 3))).concatenate(Dataset.from_tensor_slices(np.zeros((2, 4))))
    assert mixed.element_spec == TensorSpec((None,), "float64") and len(list(mixed)) == 4
