"""3-D pooling layers: outputs against Keras's (tests/fixtures/keras/layers3), gradients, Keras's shapes,
defaults and config keys, .keras files, errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.layers import AveragePooling3D, GlobalAveragePooling3D, GlobalMaxPooling3D, MaxPooling3D
from dendrite.testing import check_grads
from keras_layers3 import arrays, built, case_id, cases, keras_file_round_trip


@pytest.mark.parametrize("i, case", cases("MaxPooling3D", "AveragePooling3D", "GlobalMaxPooling3D",
                                          "GlobalAveragePooling3D"), ids=case_id)
def test_outputs_match_keras_and_gradients(i, case):
    x, _, expected, _ = arrays(i)
    layer = built(case, x, [])
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6, atol=1e-6)
    # distinct values, so that no window's maximum ties
    distinct = np.random.default_rng(0).permutation(x[:1].size).reshape(x[:1].shape) / 10.0
    check_grads(lambda x_: layer(x_), [distinct])


@pytest.mark.parametrize("layer, in_shape, out_shape", [
    # from Keras 3.15
    (MaxPooling3D(), (6, 7, 8, 3), (3, 3, 4, 3)),
    (AveragePooling3D(3, strides=2, padding="same"), (6, 7, 8, 3), (3, 4, 4, 3)),
    (MaxPooling3D((1, 2, 3), data_format="channels_first"), (3, 6, 7, 8), (3, 6, 3, 2)),
    (GlobalMaxPooling3D(), (6, 7, 8, 3), (3,)),
    (GlobalAveragePooling3D(keepdims=True), (6, 7, 8, 3), (1, 1, 1, 3)),
    (GlobalAveragePooling3D(data_format="channels_first"), (3, 6, 7, 8), (3,)),
])
def test_keras_output_shapes(layer, in_shape, out_shape):
    assert layer.compute_output_shape((None,) + in_shape) == (None,) + out_shape
    assert layer(np.zeros((2,) + in_shape, np.float32)).shape == (2,) + out_shape


def test_keras_defaults_aliases_and_config_keys():
    config = MaxPooling3D().get_config()
    assert {k: config[k] for k in ("pool_size", "strides", "padding", "data_format")} == dict(
        pool_size=(2, 2, 2), strides=(2, 2, 2), padding="valid", data_format="channels_last")
    assert set(config) == {"name", "trainable", "dtype", "pool_size", "strides", "padding", "data_format"}
    assert AveragePooling3D(3).get_config()["strides"] == (3, 3, 3)
    assert set(GlobalMaxPooling3D().get_config()) == {"name", "trainable", "dtype", "data_format", "keepdims"}
    assert (layers.MaxPool3D, layers.AvgPool3D, layers.GlobalMaxPool3D, layers.GlobalAvgPool3D) == \
        (MaxPooling3D, AveragePooling3D, GlobalMaxPooling3D, GlobalAveragePooling3D)
    with pytest.raises(TypeError, match="pool_size"):  # as in Keras, AveragePooling3D has no default pool_size
        AveragePooling3D()


@pytest.mark.parametrize("layer", [MaxPooling3D((2, 1, 2), strides=1, padding="same"),
                                   AveragePooling3D(2, data_format="channels_first"),
                                   GlobalMaxPooling3D(keepdims=True), GlobalAveragePooling3D()])
def test_config_and_keras_file_round_trip(layer, tmp_path):
    keras_file_round_trip(layer, (2, 3, 4, 5, 3), tmp_path)


def test_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r"layer 'p3' is incompatible with the layer: expected ndim=5, found "
                                         r"ndim=4\. Full shape received: \(2, 4, 4, 4\).*lack the channel axis"):
        MaxPooling3D(name="p3")(np.zeros((2, 4, 4, 4), np.float32))
    with pytest.raises(ValueError, match=r"'a3' \(AveragePooling3D\): pool_size=\(3, 3, 3\) with strides=\(3, 3, 3\) "
                                         r"and padding='valid' needs a spatial size of at least \(3, 3, 3\), but "
                                         r"received an input of shape \(1, 2, 4, 4, 1\)"):
        AveragePooling3D(3, name="a3")(np.zeros((1, 2, 4, 4, 1), np.float32))
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=3"):
        GlobalAveragePooling3D()(np.zeros((2, 4, 4), np.float32))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        MaxPooling3D(padding="full")
    with pytest.raises(ValueError, match="`pool_size`"):
        MaxPooling3D((2, 2))
