"""Pooling layers: Keras's output shapes, outputs against a loop reference in both data formats,
gradients, config round trips and errors."""
import itertools

import numpy as np
import pytest

from dendrite import layers
from dendrite.layers.core import Input
from dendrite.layers.pooling import (AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D,
                                     GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
                                     MaxPool2D, MaxPooling1D, MaxPooling2D)
from dendrite.testing import check_grads


def ref_pool2d(x, pool, strides, padding, mode):
    """NHWC loop reference with TensorFlow's 'same' rule; padded cells are skipped."""
    n, h, w, c = x.shape
    geo = []
    for size, k, s in ((h, pool[0], strides[0]), (w, pool[1], strides[1])):
        out = -(-size // s) if padding == "same" else (size - k) // s + 1
        geo.append((out, max((out - 1) * s + k - size, 0) // 2 if padding == "same" else 0))
    (oh, pt), (ow, pl) = geo
    y = np.zeros((n, oh, ow, c))
    for b, r, q, ch in itertools.product(range(n), range(oh), range(ow), range(c)):
        vals = [x[b, i, j, ch] for i in range(r * strides[0] - pt, r * strides[0] - pt + pool[0])
                for j in range(q * strides[1] - pl, q * strides[1] - pl + pool[1]) if 0 <= i < h and 0 <= j < w]
        y[b, r, q, ch] = max(vals) if mode == "max" else np.mean(vals)
    return y


def distinct(shape, seed=0):
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n).reshape(shape) / 4.0).astype(np.float32)


# ------------------------------------------------ Keras's numbers
@pytest.mark.parametrize("layer, in_shape, out_shape", [
    (MaxPooling2D(), (28, 28, 3), (14, 14, 3)),
    (MaxPooling2D(2), (7, 7, 5), (3, 3, 5)),
    (MaxPooling2D(2, padding="same"), (7, 7, 5), (4, 4, 5)),
    (MaxPooling2D(3, strides=2), (7, 7, 5), (3, 3, 5)),
    (MaxPooling2D(3, strides=2, padding="same"), (7, 7, 5), (4, 4, 5)),
    (MaxPooling2D((2, 3), strides=(1, 2)), (6, 9, 2), (5, 4, 2)),
    (AveragePooling2D(3, strides=3, padding="SAME"), (10, 8, 4), (4, 3, 4)),
    (MaxPooling2D(2, data_format="channels_first"), (5, 7, 9), (5, 3, 4)),
    (AveragePooling2D(2, padding="same", data_format="channels_first"), (5, 7, 9), (5, 4, 5)),
    (MaxPooling1D(), (10, 4), (5, 4)),
    (MaxPooling1D(3, strides=2, padding="same"), (9, 4), (5, 4)),
    (AveragePooling1D(4, strides=1), (9, 4), (6, 4)),
    (AveragePooling1D(2, data_format="channels_first"), (4, 9), (4, 4)),
    (GlobalAveragePooling2D(), (7, 7, 64), (64,)),
    (GlobalMaxPooling2D(keepdims=True), (7, 7, 64), (1, 1, 64)),
    (GlobalMaxPooling2D(data_format="channels_first"), (64, 7, 7), (64,)),
    (GlobalAveragePooling2D(data_format="channels_first", keepdims=True), (64, 7, 7), (64, 1, 1)),
    (GlobalAveragePooling1D(), (10, 8), (8,)),
    (GlobalMaxPooling1D(keepdims=True), (10, 8), (1, 8)),
    (GlobalMaxPooling1D(data_format="channels_first"), (8, 10), (8,)),
])
def test_keras_output_shapes(layer, in_shape, out_shape):
    assert layer(Input(in_shape)).shape == (None,) + out_shape
    x = np.random.default_rng(0).standard_normal((2,) + in_shape).astype(np.float32)
    y = layer(x)
    assert y.shape == (2,) + out_shape
    assert y.dtype == np.float32
    assert layer.count_params() == 0


def test_keras_defaults_and_names():
    layer = MaxPooling2D()
    assert (layer.pool_size, layer.strides, layer.padding, layer.data_format) == ((2, 2), (2, 2), "valid",
                                                                                 "channels_last")
    assert MaxPooling1D().pool_size == (2,)
    assert MaxPool2D is MaxPooling2D


# ------------------------------------------------ values against the reference, both data formats
@pytest.mark.parametrize("cls, mode", [(MaxPooling2D, "max"), (AveragePooling2D, "avg")])
@pytest.mark.parametrize("pool, strides, padding", [(2, None, "valid"), (3, 2, "same"), (2, 1, "same"),
                                                     ((3, 2), (1, 3), "valid")])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_pool2d_layer_matches_reference(cls, mode, pool, strides, padding, data_format):
    x = distinct((2, 7, 5, 3))
    p = (pool, pool) if isinstance(pool, int) else pool
    s = p if strides is None else ((strides, strides) if isinstance(strides, int) else strides)
    expected = ref_pool2d(x.astype(np.float64), p, s, padding, mode)
    layer = cls(pool, strides=strides, padding=padding, data_format=data_format)
    if data_format == "channels_first":
        y = layer(x.transpose(0, 3, 1, 2)).value.transpose(0, 2, 3, 1)
    else:
        y = layer(x).value
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("cls, mode", [(MaxPooling1D, "max"), (AveragePooling1D, "avg")])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_pool1d_layer_matches_reference(cls, mode, data_format):
    x = distinct((2, 9, 3))
    expected = ref_pool2d(x[:, None].astype(np.float64), (1, 3), (1, 2), "same", mode)[:, 0]
    layer = cls(3, strides=2, padding="same", data_format=data_format)
    y = layer(x.transpose(0, 2, 1)).value.transpose(0, 2, 1) if data_format == "channels_first" else layer(x).value
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=1e-6)


def test_global_pooling_values():
    x = np.random.default_rng(1).standard_normal((2, 4, 5, 3)).astype(np.float32)
    np.testing.assert_allclose(GlobalAveragePooling2D()(x).value, x.mean(axis=(1, 2)), rtol=1e-6)
    np.testing.assert_array_equal(GlobalMaxPooling2D()(x).value, x.max(axis=(1, 2)))
    np.testing.assert_allclose(GlobalAveragePooling2D(data_format="channels_first")(x).value, x.mean(axis=(2, 3)),
                               rtol=1e-6)
    np.testing.assert_array_equal(GlobalMaxPooling1D()(x[:, 0]).value, x[:, 0].max(axis=1))
    np.testing.assert_allclose(GlobalAveragePooling1D(keepdims=True)(x[:, 0]).value,
                               x[:, 0].mean(axis=1, keepdims=True), rtol=1e-6)


# ------------------------------------------------ gradients
@pytest.mark.parametrize("layer, shape", [
    (MaxPooling2D(2), (2, 5, 4, 2)),
    (MaxPooling2D(3, strides=2, padding="same"), (1, 5, 5, 2)),
    (AveragePooling2D(2, strides=1, padding="same"), (1, 4, 5, 2)),
    (MaxPooling2D(2, padding="same", data_format="channels_first"), (1, 2, 5, 3)),
    (AveragePooling2D(3, strides=2, data_format="channels_first"), (1, 2, 5, 5)),
    (MaxPooling1D(3, strides=2, padding="same"), (2, 7, 2)),
    (AveragePooling1D(2, data_format="channels_first"), (2, 3, 6)),
    (GlobalAveragePooling2D(), (2, 3, 3, 2)),
    (GlobalMaxPooling2D(data_format="channels_first"), (2, 2, 3, 3)),
    (GlobalAveragePooling1D(), (2, 5, 3)),
    (GlobalMaxPooling1D(keepdims=True), (2, 5, 3)),
])
def test_gradients(layer, shape):
    x = distinct(shape, seed=2)
    check_grads(lambda t: layer(t, training=True), [x])


# ------------------------------------------------ config and errors
@pytest.mark.parametrize("layer", [MaxPooling2D(3, strides=(1, 2), padding="same", data_format="channels_first"),
                                   AveragePooling1D(4, padding="same"), GlobalMaxPooling2D(keepdims=True)])
def test_config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


def test_pool_larger_than_valid_input_names_layer_and_shapes():
    layer = MaxPooling2D(3, name="pool")
    with pytest.raises(ValueError, match=r"'pool'.*pool_size=\(3, 3\).*\(1, 2, 2, 1\).*\(2, 2\).*padding='same'"):
        layer(np.zeros((1, 2, 2, 1), np.float32))
    with pytest.raises(ValueError, match=r"'pool'.*\(None, 2, 5, 1\)"):
        layer(Input((2, 5, 1)))
    assert MaxPooling2D(3, padding="same")(np.zeros((1, 2, 2, 1), np.float32)).shape == (1, 1, 1, 1)
    with pytest.raises(ValueError, match=r"'pool1d'.*pool_size=\(4,\)"):
        MaxPooling1D(4, name="pool1d")(np.zeros((1, 3, 1), np.float32))


def test_wrong_rank_names_layer_and_shape():
    with pytest.raises(ValueError, match=r"'mp'.*expected ndim=4.*ndim=3.*\(2, 8, 8\)"):
        MaxPooling2D(name="mp")(np.zeros((2, 8, 8), np.float32))
    with pytest.raises(ValueError, match=r"'gap'.*expected ndim=3.*\(2, 8, 8, 1\)"):
        GlobalAveragePooling1D(name="gap")(np.zeros((2, 8, 8, 1), np.float32))


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"'p'.*padding must be 'valid' or 'same'.*'full'"):
        MaxPooling2D(padding="full", name="p")
    with pytest.raises(ValueError, match=r"'p'.*data_format.*'NHWC'"):
        AveragePooling2D(data_format="NHWC", name="p")
    with pytest.raises(ValueError, match="pool_size"):
        MaxPooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match="strides"):
        MaxPooling1D(strides=0)


@pytest.mark.parametrize("layer, shape, fix", [
    (layers.MaxPooling2D(name="pool"), (2, 28, 28), r"x\[\.\.\., None\] \(shape \(2, 28, 28, 1\)\)"),
    (layers.GlobalAveragePooling2D(data_format="channels_first", name="pool"), (2, 28, 28),
     r"x\[:, None\] \(shape \(2, 1, 28, 28\)\)"),
    (layers.MaxPooling1D(name="pool"), (2, 28), r"x\[\.\.\., None\] \(shape \(2, 28, 1\)\)"),
    (layers.ZeroPadding2D(name="pool"), (2, 28, 28), r"x\[\.\.\., None\] \(shape \(2, 28, 28, 1\)\)"),
    (layers.SpatialDropout2D(0.5, name="pool"), (2, 28, 28), r"x\[\.\.\., None\] \(shape \(2, 28, 28, 1\)\)"),
    (layers.SpatialDropout1D(0.5, name="pool"), (2, 28), r"x\[\.\.\., None\] \(shape \(2, 28, 1\)\)"),
])
def test_image_layers_suggest_the_missing_channel_axis(layer, shape, fix):
    """MNIST's (N, 28, 28) images fed straight to an image layer: the error names the layer, the ranks and
    the shape, and says how to add the channel axis."""
    with pytest.raises(ValueError, match=r"layer 'pool'.*expected ndim=\d, found ndim=\d\. Full shape received: "
                                         r".*lack the channel axis: add it, e\.g\. " + fix):
        layer(np.zeros(shape, np.float32))
