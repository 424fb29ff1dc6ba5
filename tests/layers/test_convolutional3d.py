"""Conv3D and Conv3DTranspose: outputs against Keras's (tests/fixtures/keras/layers3, same weights), gradients,
Keras's shapes, parameter counts, defaults and config keys, .keras files, errors, and a small model that
learns a rule from random volumes."""
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.layers import Conv3D, Conv3DTranspose
from dendrite.testing import check_grads
from keras_layers3 import HERE, arrays, built, case_id, cases, keras_file_round_trip


@pytest.mark.parametrize("i, case", cases("Conv3D", "Conv3DTranspose"), ids=case_id)
def test_outputs_match_keras_and_gradients(i, case):
    x, weights, expected, _ = arrays(i)
    layer = built(case, x, weights)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_: layer(x_), [x[:1]], params=layer.trainable_weights)


@pytest.mark.parametrize("layer, in_shape, out_shape, params", [
    # shapes and counts from Keras 3.15
    (Conv3D(4, 3), (6, 7, 8, 3), (4, 5, 6, 4), 328),
    (Conv3D(4, 3, groups=2, padding="same", strides=2), (6, 7, 8, 4), (3, 4, 4, 4), 220),
    (Conv3D(2, (1, 2, 3), dilation_rate=(1, 2, 1), data_format="channels_first"), (3, 5, 6, 7), (2, 5, 4, 5), 38),
    (Conv3DTranspose(4, 3, strides=2, padding="same"), (3, 4, 5, 3), (6, 8, 10, 4), 328),
    (Conv3DTranspose(4, 3, strides=2), (3, 4, 5, 3), (7, 9, 11, 4), 328),
    (Conv3DTranspose(2, 2, strides=(1, 2, 3), output_padding=(0, 1, 2), use_bias=False), (3, 4, 5, 3),
     (4, 9, 16, 2), 48),
], ids=lambda v: v if isinstance(v, int) else None)
def test_keras_output_shapes_and_parameter_counts(layer, in_shape, out_shape, params):
    symbolic = layer(layers.Input(shape=in_shape))  # the shape a model sees, then the array's
    assert tuple(symbolic.shape) == (None,) + out_shape and layer.count_params() == params
    y = layer(np.zeros((3,) + in_shape, np.float32))
    assert (y.shape, y.dtype) == ((3,) + out_shape, np.float32)


def test_keras_defaults_config_keys_and_kernel_layouts():
    conv = Conv3D(8, 3)
    conv(np.zeros((1, 4, 4, 4, 2), np.float32))
    config = conv.get_config()
    assert set(config) == {"name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding",
                           "data_format", "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer",
                           "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                           "kernel_constraint", "bias_constraint"}
    assert {k: config[k] for k in ("kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
                                   "activation", "use_bias")} == dict(
        kernel_size=(3, 3, 3), strides=(1, 1, 1), padding="valid", data_format="channels_last",
        dilation_rate=(1, 1, 1), groups=1, activation="linear", use_bias=True)
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert [(w.name, w.shape) for w in conv.weights] == [("kernel", (3, 3, 3, 2, 8)), ("bias", (8,))]
    transpose = Conv3DTranspose(8, (3, 2, 1))
    transpose(np.zeros((1, 4, 4, 4, 2), np.float32))
    assert [(w.name, w.shape) for w in transpose.weights] == [("kernel", (3, 2, 1, 8, 2)), ("bias", (8,))]
    config = transpose.get_config()
    assert "groups" not in config and config["output_padding"] is None
    # Keras's positional order for Conv3DTranspose: data_format comes before output_padding
    assert Conv3DTranspose(4, 3, 1, "valid", "channels_first").data_format == "channels_first"
    assert layers.Convolution3D is Conv3D and layers.Convolution3DTranspose is Conv3DTranspose


@pytest.mark.parametrize("layer, shape", [
    (Conv3D(4, 3, strides=2, padding="same", activation="relu", groups=2, kernel_regularizer="l2"), (2, 5, 6, 5, 4)),
    (Conv3DTranspose(3, 2, strides=2, output_padding=1, data_format="channels_first"), (2, 2, 3, 3, 4)),
])
def test_config_and_keras_file_round_trip(layer, shape, tmp_path):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    keras_file_round_trip(layer, x, tmp_path)


# ------------------------------------------------------------ errors
def test_wrong_rank_names_the_layer_the_layout_and_the_shape():
    with pytest.raises(ValueError, match=r"Conv3D 'c3' expects inputs of rank 5, \(batch, depth, height, width, "
                                         r"channels\); received an input of shape \(2, 5, 5, 5\) \(rank 4\)\. The "
                                         r"input seems to lack the channel axis: add it, e\.g\. x\[\.\.\., None\] "
                                         r"\(shape \(2, 5, 5, 5, 1\)\)"):
        Conv3D(2, 3, name="c3")(np.zeros((2, 5, 5, 5), np.float32))
    with pytest.raises(ValueError, match=r"Conv3DTranspose 't3' expects inputs of rank 5, \(batch, channels, depth, "
                                         r"height, width\); received an input of shape \(2, 5, 5\)"):
        Conv3DTranspose(2, 3, data_format="channels_first", name="t3")(np.zeros((2, 5, 5), np.float32))


def test_kernel_channels_and_argument_errors():
    with pytest.raises(ValueError, match=r"Conv3D 'big': the kernel \(size \(3, 3, 3\).*larger than the input's "
                                         r"spatial size \(2, 4, 4\) with padding='valid'.*padding='same'"):
        Conv3D(2, 3, name="big")(np.zeros((1, 2, 4, 4, 1), np.float32))
    layer = Conv3D(4, 2, name="c")
    layer(np.zeros((1, 3, 3, 3, 3), np.float32))
    with pytest.raises(ValueError, match=r"Conv3D 'c' was built for inputs with 3 channels \(kernel shape "
                                         r"\(2, 2, 2, 3, 4\)\), but received an input of shape \(1, 3, 3, 3, 5\)"):
        layer(np.zeros((1, 3, 3, 3, 5), np.float32))
    with pytest.raises(ValueError, match=r"input channels must be divisible by groups. Received groups=2, but the "
                                         r"input has 3 channels"):
        Conv3D(4, 2, groups=2)(np.zeros((1, 3, 3, 3, 3), np.float32))
    with pytest.raises(ValueError, match="`kernel_size`"):
        Conv3D(4, (2, 2))
    with pytest.raises(ValueError, match=r"`output_padding` must be an int or 3 ints, each >= 0 and smaller than "
                                         r"`strides` \(2, 2, 2\)"):
        Conv3DTranspose(4, 3, strides=2, output_padding=2)
    with pytest.raises(TypeError, match="has no groups"):
        Conv3DTranspose(4, 3, groups=2)


def test_conv3d_model_learns_a_rule_from_random_volumes():
    """Which half of a volume (along its depth) is brighter: learnable by a convolution and pooling."""
    rng = np.random.default_rng(0)
    x = rng.random((96, 6, 6, 6, 1)).astype(np.float32)
    bright = rng.random(96) < 0.5
    x[bright, :3] += 0.3
    x[~bright, 3:] += 0.3
    y = bright.astype(np.float32)[:, None]
    model = dendrite.Sequential([layers.Input(shape=(6, 6, 6, 1)), Conv3D(4, 3, padding="same", activation="relu"),
                                 layers.MaxPooling3D(), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=dendrite.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    kernel = model.layers[0].kernel.numpy().copy()
    history = model.fit(x, y, batch_size=16, epochs=8, verbose=0).history
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["accuracy"][-1] > 0.9
    assert not np.allclose(model.layers[0].kernel.numpy(), kernel)  # the convolution trained


def test_a_keras_written_model_of_these_layers_loads_and_predicts_as_keras(tmp_path):
    """tests/fixtures/keras/layers3_model.keras: Conv3D, GroupNormalization, the 3-D pooling and reshaping layers,
    Conv3DTranspose, SpectralNormalization and Discretization in one model, saved by Keras 3.15."""
    with np.load(os.path.join(HERE, "fixtures", "keras", "layers3.npz"), allow_pickle=False) as data:
        x, expected = data["model_x"], [data["model_y0"], data["model_y1"]]
    model = dendrite.saving.load_model(os.path.join(HERE, "fixtures", "keras", "layers3_model.keras"))
    assert [type(layer).__name__ for layer in model.layers[1:]] == [
        "Conv3D", "GroupNormalization", "MaxPooling3D", "Conv3DTranspose", "AveragePooling3D", "ZeroPadding3D",
        "Cropping3D", "UpSampling3D", "GlobalAveragePooling3D", "SpectralNormalization", "Discretization"]
    for got, want in zip(model(x), expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    path = str(tmp_path / "again.keras")
    model.save(path)
    for got, want in zip(dendrite.saving.load_model(path)(x), expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
