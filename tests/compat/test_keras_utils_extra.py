"""Keras 3's keras.utils / keras.backend / keras.layers exports that dendrite implements elsewhere."""
import numpy as np
import pytest


def test_utils_exports(keras):
    u = keras.utils

    @u.register_keras_serializable(package="breadth")
    class Twice(keras.layers.Layer):
        def call(self, x):
            return x * 2

    assert u.get_registered_name(Twice) == "breadth>Twice" and u.get_registered_object("breadth>Twice") is Twice
    assert "breadth>Twice" in u.get_custom_objects()
    with u.custom_object_scope({"Special": Twice}):
        assert u.get_registered_object("Special") is Twice
    config = u.serialize_keras_object(keras.layers.Dense(3, name="d"))
    layer = u.deserialize_keras_object(config)
    assert type(layer).__name__ == "Dense" and layer.units == 3 and layer.name == "d"
    assert keras.layers.deserialize(keras.layers.serialize(keras.layers.Dropout(0.3))).rate == 0.3
    inputs = keras.Input((3,))
    mid = keras.layers.Dense(2)(inputs)
    assert u.is_keras_tensor(mid) and not u.is_keras_tensor(np.zeros(3))
    assert u.get_source_inputs(keras.layers.Dense(1)(mid)) == [inputs]
    bar = u.Progbar(4, verbose=0)
    bar.update(2)
    u.clear_session()
    assert u.standardize_dtype("float") == "float32" and u.standardize_dtype(np.int64) == "int64"


def test_backend_dtype_helpers(keras):
    b = keras.backend
    assert b.is_float_dtype("float16") and not b.is_float_dtype("int32") and b.is_int_dtype("uint8")
    assert b.result_type("int32", "float16") == "float16" and b.result_type("int8", "int32") == "int32"
    assert b.result_type() == "float32" and b.standardize_dtype(None) == "float32"
    first, second = b.get_uid("breadth_prefix"), b.get_uid("breadth_prefix")
    assert second == first + 1 and b.is_keras_tensor(keras.Input((2,)))
    with pytest.raises(ValueError, match="not a dtype"):
        b.standardize_dtype("no-such-type")
