"""tf's DTypes: TensorFlow's properties and printing (values as TF 2.21 gives them), and NumPy taking them as
dtypes wherever it takes one."""
import copy

import numpy as np
import pytest


def test_tensorflows_properties(tf):
    assert tf.float32.is_floating and not tf.float32.is_integer and tf.float16.is_floating
    assert tf.int32.is_integer and not tf.int32.is_unsigned and tf.uint8.is_unsigned and tf.uint8.is_integer
    assert tf.bool.is_bool and tf.complex64.is_complex and not tf.float64.is_complex
    assert tf.float32.max == np.float32(3.4028235e38) and tf.float32.min == -np.float32(3.4028235e38)
    assert tf.int32.min == -2147483648 and tf.uint8.max == 255 and tf.int8.limits == (0, 127)
    assert tf.float32.limits == (0, 1) and tf.uint8.limits == (0, 255)
    assert tf.float32.as_numpy_dtype is np.float32 and tf.int64.as_numpy_dtype is np.int64
    assert tf.float32.size == 4 and tf.float64.size == 8 and tf.uint8.size == 1
    assert tf.float32.base_dtype == tf.float32 and tf.complex64.real_dtype == tf.float32
    assert tf.float32.as_datatype_enum == 1 and tf.int64.as_datatype_enum == 9 and tf.string.as_datatype_enum == 7
    assert tf.float32.is_compatible_with(tf.float32) and not tf.float32.is_compatible_with("float64")
    assert tf.string.name == "string" and tf.float32.name == "float32" and tf.half == tf.float16


def test_printing_as_tensorflow(tf):
    assert repr(tf.float32) == "tf.float32" and str(tf.float32) == "<dtype: 'float32'>"
    x = tf.constant([1.0, 2.0])
    assert repr(x.dtype) == "tf.float32" and str(tf.cast(x, tf.int32).dtype) == "<dtype: 'int32'>"
    assert repr(tf.constant(["a"]).dtype) == "tf.string"
    assert "dtype=float32" in repr(x)  # the tensor's own printing names the dtype bare, as TensorFlow's does


def test_a_tensors_dtype_is_a_dtype_with_tensorflows_properties(tf):
    x = tf.constant([[1, 2]])
    assert x.dtype.is_integer and x.dtype == tf.int32 and x.dtype == np.int32 and x.dtype == "int32"
    assert tf.Variable(1.0).dtype.is_floating and tf.constant([True]).dtype.is_bool
    image = tf.constant(np.full((2, 2), 200, np.uint8))
    assert float(tf.reduce_max(tf.cast(image, tf.float32) / image.dtype.max)) == pytest.approx(200 / 255)


def test_numpy_takes_dtypes(tf):
    assert np.zeros(2, dtype=tf.float32).dtype == np.float32
    assert np.array([1.7]).astype(tf.int64).dtype == np.int64 and np.dtype(tf.uint8) == np.uint8
    assert np.issubdtype(tf.float16, np.floating) and not np.issubdtype(tf.int8, np.floating)
    assert {np.dtype("float32"): "found"}[tf.float32] == "found" and {tf.int32: 1}[tf.constant([1]).dtype] == 1
    assert tf.float32 in (np.float64, np.float32) and tf.float32 != tf.float64 and tf.float32 != "float64"
    assert np.dtype(object) == tf.string and tf.as_dtype(np.float64) is tf.float64
    assert copy.deepcopy({"dtype": tf.int8})["dtype"] is tf.int8


def test_as_dtype_reads_names_numpy_types_and_numbers(tf):
    assert tf.as_dtype("float32") is tf.float32 and tf.as_dtype("double") is tf.float64
    assert tf.as_dtype(np.int16) is tf.int16 and tf.as_dtype(tf.bool) is tf.bool and tf.as_dtype(19) is tf.float16
    assert tf.dtypes.as_dtype("string") is tf.string and isinstance(tf.float32, tf.DType)
    with pytest.raises(TypeError, match="cannot read 'floaty' as a dtype"):
        tf.as_dtype("floaty")
    with pytest.raises(AttributeError, match="tf.float32 .a DType. has no attribute 'is_fancy'"):
        tf.float32.is_fancy


def test_layers_and_models_take_tensorflow_dtypes(tf):
    layer = tf.keras.layers.Dense(2, dtype=tf.float64)
    out = layer(np.ones((1, 3)))
    assert out.dtype == tf.float64 and layer.dtype == "float64" and layer.get_config()["dtype"] == "float64"
    inputs = tf.keras.Input((3,), dtype=tf.float32)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    assert model.predict(np.ones((2, 3), np.float32), verbose=0).shape == (2, 1)
