"""keras.layers.serialize / deserialize and the saving functions Keras also exports from keras.utils, as the
tf.keras save-and-serialize guide uses them."""
import numpy as np
import pytest


def test_layers_serialize_round_trips_a_builtin_layer(keras):
    layer = keras.layers.Dense(3, activation="relu", name="scores")
    config = keras.layers.serialize(layer)
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    again = keras.layers.deserialize(config)
    assert isinstance(again, keras.layers.Dense) and again.units == 3 and again.name == "scores"
    assert again is not layer
    with pytest.raises(ValueError, match="expected a layer config"):
        keras.layers.deserialize({"units": 3})


def test_custom_layer_deserializes_inside_custom_object_scope(keras):
    import tensorflow as tf

    class Scale(keras.layers.Layer):
        def __init__(self, factor, **kwargs):
            super().__init__(**kwargs)
            self.factor = tf.Variable(factor, dtype="float32", name="factor")

        def call(self, inputs):
            return inputs * self.factor

        def get_config(self):
            return {"factor": float(self.factor.numpy())}

    config = keras.layers.serialize(Scale(2.5))
    with keras.utils.custom_object_scope({"Scale": Scale}):
        restored = keras.layers.deserialize(config)
    assert isinstance(restored, Scale)
    np.testing.assert_allclose(restored(np.ones((1, 2), "float32")).numpy(), [[2.5, 2.5]])
    assert keras.utils.CustomObjectScope is keras.saving.CustomObjectScope


def test_utils_exports_the_registry(keras):
    @keras.utils.register_keras_serializable(package="corpus2")
    def halve(x):
        return x / 2

    assert keras.utils.get_registered_name(halve) == "corpus2>halve"
    assert keras.utils.get_custom_objects()["corpus2>halve"] is halve
    config = keras.utils.serialize_keras_object(keras.layers.Dropout(0.25))
    assert keras.utils.deserialize_keras_object(config).rate == 0.25
