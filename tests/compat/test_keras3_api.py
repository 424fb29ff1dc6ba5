"""Keras 3's keras.config and keras.Variable through the `keras` namespace (dendrite.compat.keras3_api)."""
import numpy as np
import pytest


def test_keras_config_reads_and_sets_the_settings(keras):
    assert keras.config.backend() == "tensorflow" and keras.config.floatx() == "float32"
    assert keras.config.epsilon() == 1e-7 and keras.config.image_data_format() == "channels_last"
    keras.config.disable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is False
    keras.config.enable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is True
    keras.config.set_floatx("float64")
    try:
        assert keras.layers.Dense(2)(np.ones((1, 3))).dtype == np.float64
    finally:
        keras.config.set_floatx("float32")
    keras.config.set_dtype_policy("float64")
    try:
        assert keras.config.floatx() == "float64" and keras.config.dtype_policy().name == "float64"
    finally:
        keras.config.set_dtype_policy("float32")


def test_keras_variable_from_an_initializer_or_a_value(keras):
    v = keras.Variable(initializer="ones", shape=(2, 3), name="w")
    assert v.shape == (2, 3) and v.dtype == np.float32 and v.name == "w" and v.numpy().sum() == 6.0
    u = keras.Variable(keras.initializers.RandomUniform(-0.1, 0.1), shape=(50,))
    assert np.abs(u.numpy()).max() <= 0.1
    x = keras.Variable(np.arange(3.0))
    assert x.dtype == np.float32 and x.numpy().tolist() == [0.0, 1.0, 2.0]
    dense = keras.layers.Dense(2)
    dense.build((None, 4))
    assert isinstance(dense.kernel, keras.Variable) and isinstance(v, keras.Variable)
    with pytest.raises(ValueError, match=r"keras.Variable: an initializer \('zeros'\) needs a `shape`"):
        keras.Variable(initializer="zeros")


def test_keras_backend_variable_is_keras_variable(keras):
    from keras import backend
    w = backend.Variable(np.ones((2, 2)), name="kernel")
    assert isinstance(w, keras.Variable) and w.name == "kernel" and w.dtype == np.float32
