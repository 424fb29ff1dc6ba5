"""Convolution layers: Keras's shapes and parameter counts, outputs against a direct loop, gradients, errors."""
import numpy as np
import pytest

from dendrite.layers.convolutional import (Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, DepthwiseConv1D,
                                           DepthwiseConv2D, SeparableConv1D, SeparableConv2D)
from dendrite.autodiff import ops
from dendrite.layers.core import Input
from dendrite.testing import check_grads
from reference import ref_conv2d

rs = np.random.default_rng(1)




def _build(layer, shape):
    x = rs.standard_normal(shape).astype(np.float32)
    layer(x)
    for w in layer.weights:  # non-zero biases, so that they are checked too
        w.value[...] = rs.standard_normal(w.shape)
    return x


# ------------------------------------------------ Keras's numbers
@pytest.mark.parametrize("layer, in_shape, out_shape, params", [
    (Conv2D(12, 3, padding="same"), (28, 28, 1), (28, 28, 12), 120),
    (Conv2D(24, 6, strides=2, padding="same"), (28, 28, 12), (14, 14, 24), 10_392),
    (Conv2D(32, 6, strides=2, padding="same"), (14, 14, 24), (7, 7, 32), 27_680),
    (Conv2D(24, 6, padding="same", use_bias=False), (28, 28, 1), (28, 28, 24), 864),
    (Conv2D(48, 5, strides=2, padding="same", use_bias=False), (28, 28, 24), (14, 14, 48), 28_800),
    (Conv2D(64, 4, strides=2, padding="same", use_bias=False), (14, 14, 48), (7, 7, 64), 49_152),
    (Conv2D(6, 6, strides=2, padding="same"), (28, 28, 1), (14, 14, 6), 222),
    (Conv2D(8, 5), (28, 28, 1), (24, 24, 8), 208),
    (Conv2D(4, 3, strides=3, padding="same"), (7, 7, 2), (3, 3, 4), 76),
    (Conv2D(4, 2, strides=3), (7, 7, 2), (2, 2, 4), 36),
    (Conv2D(6, 3, padding="same", dilation_rate=2), (9, 9, 2), (9, 9, 6), 114),
    (Conv2D(6, 3, groups=2), (9, 9, 4), (7, 7, 6), 114),
    (Conv2D(5, 3, data_format="channels_first"), (2, 9, 8), (5, 7, 6), 95),
    (Conv1D(4, 3), (10, 3), (8, 4), 40),
    (Conv1D(4, 3, padding="causal", dilation_rate=2), (10, 3), (10, 4), 40),
    (Conv1D(4, 3, strides=2, padding="same"), (9, 3), (5, 4), 40),
    (DepthwiseConv2D(3, depth_multiplier=2), (7, 7, 3), (5, 5, 6), 60),
    (SeparableConv2D(5, 3), (7, 7, 3), (5, 5, 5), 47),
    (Conv2DTranspose(4, 3), (7, 7, 3), (9, 9, 4), 112),
    (Conv2DTranspose(4, 3, strides=2, padding="same"), (7, 7, 3), (14, 14, 4), 112),
    (Conv2DTranspose(4, 3, strides=2), (7, 7, 3), (15, 15, 4), 112),
    (Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=(1, 0)), (7, 7, 3), (14, 13, 4), 112),
    # the 1-D forms (shapes and counts from Keras 3.15)
    (Conv1DTranspose(4, 3, strides=2, padding="same"), (11, 3), (22, 4), 40),
    (Conv1DTranspose(4, 4, strides=3, output_padding=2), (11, 3), (36, 4), 52),
    (DepthwiseConv1D(3, depth_multiplier=2, padding="same"), (11, 3), (11, 6), 24),
    (DepthwiseConv1D(4, strides=2), (11, 3), (4, 3), 15),
    (SeparableConv1D(5, 3, strides=2, depth_multiplier=2), (11, 3), (5, 5), 53),
], ids=lambda v: v if isinstance(v, int) else None)
def test_keras_output_shapes_and_parameter_counts(layer, in_shape, out_shape, params):
    assert layer.compute_output_shape((None,) + in_shape) == (None,) + out_shape
    y = layer(np.zeros((2,) + in_shape, np.float32))
    assert y.shape == (2,) + out_shape and y.dtype == np.float32
    assert layer.count_params() == params


def test_codelab_cnn_parameter_counts():
    # The convolutional part of the codelab's CNN (Keras: 120 + 10,392 + 27,680).
    layers = [Conv2D(12, 3, padding="same", activation="relu"),
              Conv2D(24, 6, strides=2, padding="same", activation="relu"),
              Conv2D(32, 6, strides=2, padding="same", activation="relu")]
    x = Input((28, 28, 1))
    for layer in layers:
        x = layer(x)
    assert x.shape == (None, 7, 7, 32)
    assert [layer.count_params() for layer in layers] == [120, 10_392, 27_680]


def test_keras_defaults_and_kernel_layouts():
    layer = Conv2D(8, 3)
    assert (layer.strides, layer.padding, layer.data_format, layer.dilation_rate, layer.groups, layer.use_bias) == \
        ((1, 1), "valid", "channels_last", (1, 1), 1, True)
    layer(np.zeros((1, 5, 5, 2), np.float32))
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert layer.kernel.shape == (3, 3, 2, 8)
    t = Conv2DTranspose(8, (3, 2))
    t(np.zeros((1, 5, 5, 2), np.float32))
    assert t.kernel.shape == (3, 2, 8, 2)
    s = SeparableConv2D(8, 3, depth_multiplier=2)
    s(np.zeros((1, 5, 5, 2), np.float32))
    assert [(w.name, w.shape) for w in s.weights] == [("depthwise_kernel", (3, 3, 2, 2)),
                                                     ("pointwise_kernel", (1, 1, 4, 8)), ("bias", (8,))]


# ------------------------------------------------ outputs and gradients
CASES = [
    (Conv2D, dict(filters=4, kernel_size=3), (2, 7, 7, 3)),
    (Conv2D, dict(filters=4, kernel_size=2, strides=2, padding="same"), (2, 7, 7, 3)),
    (Conv2D, dict(filters=3, kernel_size=(4, 3), strides=3, padding="same", activation="tanh"), (2, 8, 7, 2)),
    (Conv2D, dict(filters=4, kernel_size=3, padding="same", dilation_rate=2), (2, 7, 6, 3)),
    (Conv2D, dict(filters=4, kernel_size=3, groups=2, use_bias=False), (2, 7, 7, 4)),
    (Conv2D, dict(filters=4, kernel_size=3, strides=2, padding="same", data_format="channels_first"), (2, 3, 7, 7)),
    (Conv2D, dict(filters=2, kernel_size=2, data_format="channels_first", dilation_rate=2), (2, 3, 6, 5)),
    # relu fused into the convolution op; strided ones with kernels that are multiples of the stride
    (Conv2D, dict(filters=4, kernel_size=3, padding="same", activation="relu"), (2, 7, 7, 3)),
    (Conv2D, dict(filters=4, kernel_size=4, strides=2, padding="same", activation="relu"), (2, 7, 7, 3)),
    (Conv2D, dict(filters=3, kernel_size=6, strides=2, padding="same", activation="relu",
                  data_format="channels_first"), (2, 2, 8, 8)),
    (Conv2D, dict(filters=4, kernel_size=3, groups=2, activation="relu"), (2, 7, 7, 4)),
]


def _reference(layer, x):
    first = layer.data_format == "channels_first"
    xl = np.moveaxis(x, 1, -1) if first else x
    b = layer.bias.value if layer.use_bias else None
    y = ref_conv2d(xl.astype(np.float64), layer.kernel.value.astype(np.float64), b, layer.strides, layer.padding,
                   layer.dilation_rate, layer.groups)
    activation = layer.get_config()["activation"]
    y = np.tanh(y) if activation == "tanh" else np.maximum(y, 0) if activation == "relu" else y
    return np.moveaxis(y, -1, 1) if first else y


@pytest.mark.parametrize("cls, kwargs, shape", CASES)
def test_conv2d_layer_matches_direct_loop_and_gradients(cls, kwargs, shape):
    layer = cls(**kwargs)
    x = _build(layer, shape)
    np.testing.assert_allclose(layer(x).value, _reference(layer, x), rtol=1e-4, atol=1e-4)
    check_grads(lambda x_: layer(x_, training=True), [x], params=layer.trainable_weights)


@pytest.mark.parametrize("layer_cls, kwargs, shape", [
    (Conv2D, dict(kernel_size=6, strides=2, padding="same"), (2, 8, 8, 3)),
    (Conv2D, dict(kernel_size=3, data_format="channels_first"), (2, 3, 7, 7)),
    (Conv1D, dict(kernel_size=3, strides=2, padding="same"), (2, 9, 3)),
])
def test_relu_activation_is_fused_into_the_convolution_op(layer_cls, kwargs, shape):
    from dendrite import activations
    from dendrite.autodiff import GradientTape, Tensor
    fused = layer_cls(4, activation="relu", **kwargs)
    plain = layer_cls(4, activation=lambda t: activations.relu(t), **kwargs)  # not the relu itself: not fused
    x = _build(fused, shape)
    plain(x)
    for a, b in zip(plain.weights, fused.weights):
        a.value[...] = b.value
    results = []
    for layer in (fused, plain):
        xt = Tensor(x)
        with GradientTape() as tape:
            tape.watch(xt)
            y = layer(xt)
        ops = [type(node[0]).__name__ for node in tape._nodes]
        results.append([y.value] + tape.gradient(y, [xt] + layer.trainable_weights,
                                                 output_gradients=np.cos(y.value)))
        if layer is fused:
            assert "Relu" not in ops
            assert (y.value == 0).any()
        else:
            assert "Relu" in ops
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert fused.get_config()["activation"] == "relu"


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv1d_layer_matches_conv2d_reference_and_gradients(data_format):
    layer = Conv1D(3, 3, strides=2, padding="same", data_format=data_format)
    x = _build(layer, (2, 9, 2) if data_format == "channels_last" else (2, 2, 9))
    xl = x if data_format == "channels_last" else np.moveaxis(x, 1, -1)
    expected = ref_conv2d(xl[:, None], layer.kernel.value[None], layer.bias.value, (1, 2), "same")[:, 0]
    expected = expected if data_format == "channels_last" else np.moveaxis(expected, -1, 1)
    np.testing.assert_allclose(layer(x).value, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_: layer(x_, training=True), [x], params=layer.trainable_weights)


def test_conv1d_causal_only_looks_back():
    layer = Conv1D(1, 3, padding="causal", use_bias=False, kernel_initializer="ones")
    y = layer(np.arange(1, 6, dtype=np.float32).reshape(1, 5, 1)).value[0, :, 0]
    np.testing.assert_allclose(y, [1, 3, 6, 9, 12])


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_depthwise_and_separable_layers_match_reference_and_gradients(data_format):
    shape = (2, 7, 6, 3) if data_format == "channels_last" else (2, 3, 7, 6)
    dw = DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, data_format=data_format)
    x = _build(dw, shape)
    xl = x if data_format == "channels_last" else np.moveaxis(x, 1, -1)
    k = dw.kernel.value
    expected = np.concatenate([ref_conv2d(xl[..., c:c + 1], k[:, :, c:c + 1], None, (2, 2), "same")
                               for c in range(3)], axis=-1) + dw.bias.value
    got = dw(x).value if data_format == "channels_last" else np.moveaxis(dw(x).value, 1, -1)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_: dw(x_, training=True), [x], params=dw.trainable_weights)

    sep = SeparableConv2D(4, 3, padding="same", depth_multiplier=2, data_format=data_format)
    _build(sep, shape)
    dk, pk = sep.depthwise_kernel.value, sep.pointwise_kernel.value
    mid = np.concatenate([ref_conv2d(xl[..., c:c + 1], dk[:, :, c:c + 1], None, (1, 1), "same")
                          for c in range(3)], axis=-1)
    expected = mid @ pk[0, 0] + sep.bias.value
    got = sep(x).value if data_format == "channels_last" else np.moveaxis(sep(x).value, 1, -1)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_: sep(x_, training=True), [x], params=sep.trainable_weights)


@pytest.mark.parametrize("kwargs, shape", [
    (dict(filters=3, kernel_size=3, strides=2, padding="same"), (2, 4, 5, 2)),
    (dict(filters=3, kernel_size=2, strides=2, output_padding=1), (2, 3, 3, 2)),
    (dict(filters=2, kernel_size=3, dilation_rate=2, padding="same", data_format="channels_first"), (2, 2, 4, 4)),
])
def test_conv2d_transpose_layer_is_the_input_gradient_of_conv2d(kwargs, shape):
    layer = Conv2DTranspose(**kwargs)
    x = _build(layer, shape)
    y = layer(x).value
    # The transpose is the adjoint of the matching Conv2D: <conv(z), x> == <z, convT(x)> (bias aside).
    first = layer.data_format == "channels_first"
    z = rs.standard_normal(y.shape)
    zl, xl = (np.moveaxis(z, 1, -1), np.moveaxis(x, 1, -1)) if first else (z, x)
    yl = np.moveaxis(y, 1, -1) if first else y
    conv = ref_conv2d(zl, layer.kernel.value.astype(np.float64), None, layer.strides, layer.padding,
                      layer.dilation_rate)
    assert conv.shape == xl.shape
    assert np.isclose((conv * xl).sum(), (zl * (yl - layer.bias.value)).sum(), rtol=1e-4)
    check_grads(lambda x_: layer(x_, training=True), [x], params=layer.trainable_weights)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_one_dimensional_depthwise_separable_and_transposed_layers(data_format):
    """DepthwiseConv1D, SeparableConv1D and Conv1DTranspose against the 2-D references on one-row images, with
    Keras 3.15's output lengths, weight shapes and parameter counts (written from Keras), and gradients."""
    first = data_format == "channels_first"
    shape = (2, 3, 11) if first else (2, 11, 3)

    def last(a):
        return np.moveaxis(a, 1, -1) if first else a

    dw = DepthwiseConv1D(3, depth_multiplier=2, padding="same", data_format=data_format)
    x = _build(dw, shape)
    xl = last(x)[:, None]  # (2, 1, 11, 3)
    k = dw.kernel.value[None]
    expected = np.concatenate([ref_conv2d(xl[..., c:c + 1], k[:, :, c:c + 1], None, (1, 1), "same")
                               for c in range(3)], axis=-1)[:, 0] + dw.bias.value
    assert [w.shape for w in dw.weights] == [(3, 3, 2), (6,)] and dw.count_params() == 24
    np.testing.assert_allclose(last(dw(x).value), expected, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_: dw(x_, training=True), [x], params=dw.trainable_weights)

    sep = SeparableConv1D(5, 3, strides=2, depth_multiplier=2, data_format=data_format)
    _build(sep, shape)
    dk, pk = sep.depthwise_kernel.value[None], sep.pointwise_kernel.value
    mid = np.concatenate([ref_conv2d(xl[..., c:c + 1], dk[:, :, c:c + 1], None, (1, 2), "valid")
                          for c in range(3)], axis=-1)[:, 0]
    assert [w.shape for w in sep.weights] == [(3, 3, 2), (1, 6, 5), (5,)] and sep.count_params() == 53
    y = sep(x).value
    assert y.shape == (2, 5, 5)  # 5 steps, 5 filters
    np.testing.assert_allclose(last(y), mid @ pk[0] + sep.bias.value, rtol=1e-4, atol=1e-4)
    check_grads(lambda x_: sep(x_, training=True), [x], params=sep.trainable_weights)

    tr = Conv1DTranspose(4, 4, strides=3, output_padding=2, data_format=data_format)
    _build(tr, shape)
    y = tr(x).value
    assert y.shape == ((2, 4, 36) if first else (2, 36, 4)) and tr.count_params() == 52
    # the adjoint of the matching convolution: <conv(z), x> == <z, convT(x)> (bias aside)
    z = rs.standard_normal(last(y).shape)
    conv = ref_conv2d(z[:, None], tr.kernel.value[None].astype(np.float64), None, (1, 3), "valid")[:, 0]
    assert conv.shape == last(x).shape
    assert np.isclose((conv * last(x)).sum(), (z * (last(y) - tr.bias.value)).sum(), rtol=1e-4)
    check_grads(lambda x_: tr(x_, training=True), [x], params=tr.trainable_weights)


def test_one_dimensional_layers_on_sequences_of_unknown_length():
    from dendrite import Model
    # 9 steps in: (9 - 1) * 2 + 3 + 1 = 20 out of the transposed convolution, 7 out of a 'valid' k3, 9 of 'same'
    for layer, out_shape in [(Conv1DTranspose(4, 3, strides=2, output_padding=1), (2, 20, 4)),
                             (DepthwiseConv1D(3), (2, 7, 3)), (SeparableConv1D(5, 3, padding="same"), (2, 9, 5))]:
        inputs = Input((None, 3))
        model = Model(inputs, layer(inputs))
        assert model.output_shape == (None, None, out_shape[-1])
        assert model.predict(np.ones((2, 9, 3), np.float32), verbose=0).shape == out_shape


def test_conv1d_transpose_output_padding_error():
    with pytest.raises(ValueError, match=r"Conv1DTranspose 't': `output_padding` must be an int >= 0 and smaller "
                                         r"than `strides` \(2,\)\. Received: output_padding=2"):
        Conv1DTranspose(2, 3, strides=2, output_padding=2, name="t")


def test_one_dimensional_layers_refuse_causal_padding():
    """Only Conv1D takes padding='causal', as in Keras."""
    for cls in (DepthwiseConv1D, Conv1DTranspose):
        args = (3,) if cls is DepthwiseConv1D else (2, 3)
        with pytest.raises(ValueError, match=r"'c1': `padding` must be one of 'valid', 'same'\. "
                                             r"Received: padding='causal'"):
            cls(*args, padding="causal", name="c1")


def test_config_round_trip_for_every_layer():
    for layer in [Conv2D(4, 3, strides=2, padding="same", activation="relu", groups=2, kernel_regularizer="l2"),
                  Conv1D(4, 3, padding="causal", dilation_rate=2), DepthwiseConv2D((3, 2), depth_multiplier=3),
                  SeparableConv2D(4, 3, data_format="channels_first"),
                  Conv2DTranspose(4, 3, strides=2, output_padding=1, use_bias=False),
                  Conv1DTranspose(4, 3, strides=2, output_padding=1), DepthwiseConv1D(3, depth_multiplier=2),
                  SeparableConv1D(4, 3, padding="same")]:
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
    config = Conv2D(4, 3, strides=2, padding="same", activation="relu").get_config()
    assert {k: config[k] for k in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                                   "groups", "activation", "use_bias")} == dict(
        filters=4, kernel_size=(3, 3), strides=(2, 2), padding="same", data_format="channels_last",
        dilation_rate=(1, 1), groups=1, activation="relu", use_bias=True)


# ------------------------------------------------------------ errors
def test_kernel_larger_than_valid_input_names_layer_and_shapes():
    layer = Conv2D(4, 5, name="c5")
    with pytest.raises(ValueError, match=r"Conv2D 'c5': the kernel \(size \(5, 5\).*larger than the input's "
                                         r"spatial size \(4, 4\) with padding='valid' \(input shape \(2, 4, 4, 1\)\)"
                                         r".*padding='same'"):
        layer(np.zeros((2, 4, 4, 1), np.float32))
    with pytest.raises(ValueError, match=r"\(5, 5\) once dilated"):
        Conv2D(4, 3, dilation_rate=2)(np.zeros((1, 4, 9, 1), np.float32))
    with pytest.raises(ValueError, match="larger than the input's spatial size"):
        Conv2D(4, 5).compute_output_shape((None, 4, 4, 1))


def test_channel_count_differing_from_built_kernel():
    layer = Conv2D(4, 3, name="conv")
    layer(np.zeros((1, 7, 7, 3), np.float32))
    with pytest.raises(ValueError, match=r"Conv2D 'conv' was built for inputs with 3 channels \(kernel shape "
                                         r"\(3, 3, 3, 4\)\), but received an input of shape \(1, 7, 7, 5\) with 5 "
                                         r"channels"):
        layer(np.zeros((1, 7, 7, 5), np.float32))


def test_three_dimensional_input_to_conv2d_suggests_channel_axis():
    with pytest.raises(ValueError, match=r"Conv2D 'c2' expects inputs of rank 4, \(batch, height, width, channels\); "
                                         r"received an input of shape \(2, 28, 28\) \(rank 3\)\. .*x\[\.\.\., None\] "
                                         r"\(shape \(2, 28, 28, 1\)\)"):
        Conv2D(4, 3, name="c2")(np.zeros((2, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"x\[:, None\]"):
        Conv2D(4, 3, data_format="channels_first")(np.zeros((2, 28, 28), np.float32))


def test_strides_with_dilation_is_rejected():
    with pytest.raises(ValueError, match=r"`strides > 1` is not supported together with `dilation_rate > 1`.*"
                                         r"strides=\(2, 2\) and dilation_rate=\(2, 2\)"):
        Conv2D(4, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="`strides > 1` is not supported"):
        Conv2DTranspose(4, 3, strides=(1, 2), dilation_rate=(2, 1))


def test_group_and_argument_errors():
    with pytest.raises(ValueError, match=r"filters must be divisible by the number of groups.*filters=5, groups=2"):
        Conv2D(5, 3, groups=2)
    with pytest.raises(ValueError, match=r"input channels must be divisible by groups.*groups=2.*3 channels"):
        Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), np.float32))
    with pytest.raises(ValueError, match=r"`filters` must be a positive integer\. Received: filters=0"):
        Conv2D(0, 3)
    with pytest.raises(ValueError, match=r"`padding` must be one of 'valid', 'same'\. Received: padding='causal'"):
        Conv2D(4, 3, padding="causal")
    with pytest.raises(ValueError, match="kernel_size"):
        Conv2D(4, (3, 3, 3))
    with pytest.raises(ValueError, match="`output_padding` must be .* smaller than `strides`"):
        Conv2DTranspose(4, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="`data_format` must be"):
        Conv2D(4, 3, data_format="NHWC")


# ------------------------------------------------ image_data_format
def test_image_data_format_is_channels_last_by_default():
    from dendrite import backend
    assert backend.image_data_format() == "channels_last"
    assert Conv2D(4, 3).data_format == "channels_last"


def test_data_format_none_follows_image_data_format(channels_first):
    """Keras's classic mnist_cnn.py branches on image_data_format(); layers built with data_format=None then
    take NCHW images and compute what channels_last layers compute on the transposed images."""
    from dendrite import Sequential, layers
    x = rs.standard_normal((2, 1, 10, 10)).astype(np.float32)
    model = Sequential([layers.Input((1, 10, 10)), layers.Conv2D(3, 3, activation="relu"), layers.MaxPooling2D(),
                        layers.Flatten()])
    assert [getattr(layer, "data_format", None) for layer in model.layers] == ["channels_first"] * 3
    assert model.output_shape == (None, 3 * 4 * 4)
    conv = Conv2D(3, 3, activation="relu", data_format="channels_last")
    conv(x.transpose(0, 2, 3, 1))
    conv.set_weights(model.layers[0].get_weights())
    ref = conv(x.transpose(0, 2, 3, 1)).numpy()  # (2, 8, 8, 3)
    # Flatten(channels_first) flattens in channels_last order, as Keras's does (weights keep their order)
    ref = ref.reshape(2, 4, 2, 4, 2, 3).max(axis=(2, 4)).reshape(2, -1)
    np.testing.assert_allclose(model.predict(x, verbose=0), ref, rtol=1e-6)


@pytest.mark.parametrize("value", ["channels_middle", 3])
def test_bad_image_data_format_is_refused(value):
    from dendrite import backend
    with pytest.raises(ValueError, match="set_image_data_format: `data_format` must be 'channels_last' or "
                                         "'channels_first'"):
        backend.set_image_data_format(value)
    with pytest.raises(ValueError, match="Conv2D 'bad'.*data_format"):
        Conv2D(4, 3, data_format=value, name="bad")
    assert backend.image_data_format() == "channels_last"


def test_set_image_data_format_refuses_none():
    from dendrite import backend
    with pytest.raises(ValueError, match=r"set_image_data_format: `data_format` must be 'channels_last' or "
                                         r"'channels_first'; received data_format=None\."):
        backend.set_image_data_format(None)


def test_data_format_names_are_taken_in_any_case():
    from dendrite import layers
    assert Conv2D(4, 3, data_format="Channels_First").data_format == "channels_first"
    assert layers.MaxPooling2D(data_format="CHANNELS_FIRST").data_format == "channels_first"


def test_keras_aliases_of_the_convolution_layers():
    from dendrite import layers
    assert layers.Convolution1D is Conv1D and layers.Convolution2D is Conv2D
    assert layers.Convolution2DTranspose is Conv2DTranspose and layers.Convolution1DTranspose is Conv1DTranspose
    assert layers.SeparableConvolution2D is SeparableConv2D and layers.SeparableConvolution1D is SeparableConv1D



class _Standardized(Conv2D):  # keras.io's StandardizedConv2D: the kernel standardised before each convolution
    def convolution_op(self, inputs, kernel):
        mean = ops.mean(kernel, axis=(0, 1, 2), keepdims=True)
        centred = ops.subtract(kernel, mean)
        std = ops.sqrt(ops.add(ops.mean(ops.square(centred), axis=(0, 1, 2), keepdims=True), 1e-10))
        return super().convolution_op(inputs, ops.divide(centred, std))


def test_convolution_op_and_a_subclass_overriding_it_as_keras():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 6, 6, 3)).astype("float32")
    conv = Conv2D(4, 3, padding="same", activation="relu", bias_initializer="ones")
    full = conv(x).numpy()
    plain = conv.convolution_op(x, conv.kernel).numpy()  # no bias, no activation
    np.testing.assert_allclose(np.maximum(plain + 1.0, 0.0), full, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(conv.convolution_op(x, conv.kernel * 2.0).numpy(), 2 * plain, rtol=1e-5, atol=1e-6)
    for data_format, inputs in (("channels_last", x), ("channels_first", np.moveaxis(x, -1, 1))):
        layer = _Standardized(4, 3, padding="same", data_format=data_format, bias_initializer="ones")
        out = layer(inputs).numpy()
        k = layer.kernel.numpy()
        reference = Conv2D(4, 3, padding="same", use_bias=False, data_format=data_format)
        reference.build(inputs.shape)
        reference.kernel.assign((k - k.mean((0, 1, 2), keepdims=True)) / np.sqrt(k.var((0, 1, 2), keepdims=True) + 1e-10))
        np.testing.assert_allclose(out, reference(inputs).numpy() + 1.0, rtol=1e-4, atol=1e-5)


def test_an_overridden_convolution_op_is_differentiated():
    layer = _Standardized(2, 2, activation="tanh", dtype="float64")
    x = np.random.default_rng(4).standard_normal((2, 4, 4, 3))
    layer.build(x.shape)
    check_grads(lambda x_: layer(x_), [x], params=layer.trainable_weights)
