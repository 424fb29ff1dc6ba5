"""ZeroPadding2D, Cropping2D, UpSampling2D and their 1-D forms, Permute and RepeatVector: Keras's argument forms and
output shapes, values against NumPy, both data formats, gradients, errors."""
import numpy as np
import pytest

from dendrite.layers.core import Input
from dendrite.layers.reshaping import Cropping2D, Permute, RepeatVector, UpSampling2D, ZeroPadding2D
from dendrite.testing import check_grads, run_layer_test

rs = np.random.default_rng(0)
X = rs.standard_normal((2, 5, 6, 3)).astype(np.float32)


def _cf(x):
    return x.transpose(0, 3, 1, 2)


# ------------------------------------------------ ZeroPadding2D
@pytest.mark.parametrize("padding, sides", [
    (1, ((1, 1), (1, 1))),
    ((2, 1), ((2, 2), (1, 1))),
    (((1, 2), (0, 3)), ((1, 2), (0, 3))),
    ([[0, 1], [2, 0]], ((0, 1), (2, 0))),
])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_zero_padding_forms(padding, sides, data_format):
    layer = ZeroPadding2D(padding, data_format=data_format)
    assert layer.padding == sides
    (t, b), (lf, r) = sides
    expected = np.pad(X, ((0, 0), (t, b), (lf, r), (0, 0)))
    if data_format == "channels_first":
        np.testing.assert_array_equal(layer(_cf(X)).value, _cf(expected))
        assert layer(Input((3, 5, 6))).shape == (None, 3, 5 + t + b, 6 + lf + r)
    else:
        np.testing.assert_array_equal(layer(X).value, expected)
        assert layer(Input((5, 6, 3))).shape == (None, 5 + t + b, 6 + lf + r, 3)


def test_zero_padding_keras_numbers():
    assert ZeroPadding2D()(Input((28, 28, 1))).shape == (None, 30, 30, 1)
    assert ZeroPadding2D(((1, 0), (2, 3)))(Input((None, 10, 4))).shape == (None, None, 15, 4)
    assert ZeroPadding2D(3, data_format="channels_first")(Input((3, 32, 32))).shape == (None, 3, 38, 38)


# ------------------------------------------------ Cropping2D
@pytest.mark.parametrize("cropping, sides", [
    (1, ((1, 1), (1, 1))),
    ((1, 2), ((1, 1), (2, 2))),
    (((0, 2), (1, 3)), ((0, 2), (1, 3))),
])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cropping_forms(cropping, sides, data_format):
    layer = Cropping2D(cropping, data_format=data_format)
    assert layer.cropping == sides
    (t, b), (lf, r) = sides
    expected = X[:, t:5 - b, lf:6 - r]
    if data_format == "channels_first":
        np.testing.assert_array_equal(layer(_cf(X)).value, _cf(expected))
        assert layer(Input((3, 5, 6))).shape == (None, 3, 5 - t - b, 6 - lf - r)
    else:
        np.testing.assert_array_equal(layer(X).value, expected)
        assert layer(Input((5, 6, 3))).shape == (None, 5 - t - b, 6 - lf - r, 3)


def test_cropping_keras_numbers():
    assert Cropping2D()(Input((28, 28, 1))).shape == (None, 28, 28, 1)
    assert Cropping2D(((2, 2), (4, 4)))(Input((28, 28, 3))).shape == (None, 24, 20, 3)


def test_cropping_too_much_names_layer_and_shape():
    with pytest.raises(ValueError, match=r"'crop'.*removes 5 of the 5 cells.*\(2, 5, 6, 3\)"):
        Cropping2D(((2, 3), (0, 0)), name="crop")(X)
    with pytest.raises(ValueError, match=r"'crop'.*\(None, 4, 4, 1\)"):
        Cropping2D(2, name="crop")(Input((4, 4, 1)))


# ------------------------------------------------ UpSampling2D
@pytest.mark.parametrize("size", [2, (2, 3), (1, 2)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_upsampling_nearest_repeats(size, data_format):
    sh, sw = (size, size) if isinstance(size, int) else size
    expected = X.repeat(sh, axis=1).repeat(sw, axis=2)
    layer = UpSampling2D(size, data_format=data_format)
    if data_format == "channels_first":
        np.testing.assert_array_equal(layer(_cf(X)).value, _cf(expected))
        assert layer(Input((3, 5, 6))).shape == (None, 3, 5 * sh, 6 * sw)
    else:
        np.testing.assert_array_equal(layer(X).value, expected)
        assert layer(Input((5, 6, 3))).shape == (None, 5 * sh, 6 * sw, 3)


def _bilinear_reference(x, sh, sw):
    """Half-pixel-centred linear interpolation, edge values clamped (TensorFlow's resize), by loops."""
    n, h, w, c = x.shape
    out = np.zeros((n, h * sh, w * sw, c))

    def taps(o, scale, size):
        src = (o + 0.5) / scale - 0.5
        lo = int(np.floor(src))
        f = src - lo
        return min(max(lo, 0), size - 1), min(max(lo + 1, 0), size - 1), f

    for i in range(h * sh):
        i0, i1, fi = taps(i, sh, h)
        for j in range(w * sw):
            j0, j1, fj = taps(j, sw, w)
            top = x[:, i0, j0] * (1 - fj) + x[:, i0, j1] * fj
            bottom = x[:, i1, j0] * (1 - fj) + x[:, i1, j1] * fj
            out[:, i, j] = top * (1 - fi) + bottom * fi
    return out


@pytest.mark.parametrize("size", [2, (3, 2)])
def test_upsampling_bilinear_matches_reference(size):
    sh, sw = (size, size) if isinstance(size, int) else size
    layer = UpSampling2D(size, interpolation="bilinear")
    np.testing.assert_allclose(layer(X).value, _bilinear_reference(X.astype(np.float64), sh, sw), rtol=1e-5,
                               atol=1e-6)
    cf = UpSampling2D(size, interpolation="bilinear", data_format="channels_first")
    np.testing.assert_allclose(cf(_cf(X)).value, _cf(layer(X).value), rtol=1e-6, atol=1e-6)


def test_upsampling_keras_example():
    # the example in Keras's UpSampling2D docstring
    x = np.arange(12).reshape(2, 2, 1, 3).astype(np.float32)
    y = UpSampling2D(size=(1, 2))(x).value
    np.testing.assert_array_equal(y[0, :, :, 0], [[0, 0], [3, 3]])
    assert y.shape == (2, 2, 2, 3)


# ------------------------------------------------ gradients, config, errors
@pytest.mark.parametrize("layer", [
    ZeroPadding2D(((1, 2), (0, 1))),
    ZeroPadding2D(1, data_format="channels_first"),
    Cropping2D(((1, 0), (1, 2))),
    Cropping2D(1, data_format="channels_first"),
    UpSampling2D((2, 3)),
    UpSampling2D(2, data_format="channels_first"),
    UpSampling2D(2, interpolation="bilinear"),
])
def test_gradients(layer):
    x = rs.standard_normal((1, 3, 4, 3))
    check_grads(lambda t: layer(t, training=True), [x])


@pytest.mark.parametrize("layer", [ZeroPadding2D(((1, 2), (0, 1)), data_format="channels_first"), Cropping2D(2),
                                   UpSampling2D((2, 3), interpolation="bilinear")])
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_bad_arguments_name_layer():
    with pytest.raises(ValueError, match=r"'zp'.*`padding`.*received padding=\(1, 2, 3\)"):
        ZeroPadding2D((1, 2, 3), name="zp")
    with pytest.raises(ValueError, match=r"`padding`.*received padding=-1"):
        ZeroPadding2D(-1)
    with pytest.raises(ValueError, match=r"`cropping`.*received cropping=\(\(1, 2\), 3\)"):
        Cropping2D(((1, 2), 3))
    with pytest.raises(ValueError, match=r"'up'.*interpolation.*'bicubic'"):
        UpSampling2D(interpolation="bicubic", name="up")
    with pytest.raises(ValueError, match="size"):
        UpSampling2D(size=0)
    with pytest.raises(ValueError, match=r"expected ndim=4.*\(5, 6, 3\)"):
        ZeroPadding2D()(X[0])


# ------------------------------------------------ the 1-D forms
S = rs.standard_normal((2, 7, 3)).astype(np.float32)  # (batch, steps, channels)


@pytest.mark.parametrize("padding, ends", [(2, (2, 2)), ((1, 3), (1, 3)), ((0, 2), (0, 2))])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_zero_padding_1d(padding, ends, data_format):
    from dendrite.layers import ZeroPadding1D
    layer = ZeroPadding1D(padding, data_format=data_format)
    x = S if data_format == "channels_last" else S.transpose(0, 2, 1)
    axis = 1 if data_format == "channels_last" else 2
    width = [(0, 0)] * 3
    width[axis] = ends
    np.testing.assert_array_equal(layer(x).value, np.pad(x, width))
    assert layer.compute_output_shape((None,) + x.shape[1:])[axis] == x.shape[axis] + sum(ends)
    assert layer.get_config()["padding"] == ends  # Keras's config: the (before, after) pair
    check_grads(lambda x_: layer(x_), [x])


def test_cropping_and_upsampling_1d():
    from dendrite.layers import Cropping1D, UpSampling1D
    crop = Cropping1D((1, 2))
    np.testing.assert_array_equal(crop(S).value, S[:, 1:-2])
    assert Cropping1D().cropping == ((1, 1),) and crop.compute_output_shape((None, 7, 3)) == (None, 4, 3)
    check_grads(lambda x_: crop(x_), [S])
    up = UpSampling1D(3)
    np.testing.assert_array_equal(up(S).value, np.repeat(S, 3, axis=1))
    assert UpSampling1D().size == 2 and up.compute_output_shape((None, 7, 3)) == (None, 21, 3)
    check_grads(lambda x_: up(x_), [S])
    # Keras 3.15's configs: no data_format (these two take channels-last sequences only)
    assert {k: v for k, v in crop.get_config().items() if k not in ("name", "dtype", "trainable")} == \
        {"cropping": (1, 2)}
    assert {k: v for k, v in up.get_config().items() if k not in ("name", "dtype", "trainable")} == {"size": 3}
    assert crop.compute_output_shape((None, None, 3)) == (None, None, 3)  # a sequence of unknown length
    assert up.compute_output_shape((None, None, 3)) == (None, None, 3)
    from dendrite.layers import ZeroPadding1D
    for layer in (crop, up, ZeroPadding1D((1, 2), data_format="channels_first")):
        assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()


def test_1d_errors_name_layer():
    from dendrite.layers import Cropping1D, UpSampling1D, ZeroPadding1D
    with pytest.raises(ValueError, match=r"'zp': `padding` must be a non-negative int or a tuple of 2 "
                                         r"non-negative ints \(before, after\); received padding=\(1, 2, 3\)"):
        ZeroPadding1D((1, 2, 3), name="zp")
    with pytest.raises(ValueError, match=r"'cr' \(Cropping1D\): cropping=\(4, 4\) removes 8 of the 7 cells"):
        Cropping1D(4, name="cr")(S)
    with pytest.raises(ValueError, match=r"UpSampling1D 'up': `size` must be a positive integer\. Received: size=\(2,\) "
                                         r"\(type tuple\)\. UpSampling1D takes one int"):
        UpSampling1D((2,), name="up")


@pytest.mark.parametrize("dims", [(2, 1), (3, 1, 2), (1, 2, 3)])
def test_permute_reorders_the_sample_axes(dims):
    x = X if len(dims) == 3 else X[:, 0]
    layer = run_layer_test(Permute, {"dims": dims}, x.shape, (x.shape[0],) + tuple(x.shape[d] for d in dims),
                           input_data=x.astype(np.float64))
    np.testing.assert_array_equal(layer(x).numpy(), np.transpose(x, (0,) + dims))
    assert layer.get_config()["dims"] == dims
    assert set(layer.get_config()) == {"name", "trainable", "dtype", "dims"}  # Keras's keys
    symbolic = Permute(dims)(Input((None,) + x.shape[2:])).shape  # the unknown first axis moves too
    assert symbolic == (None,) + tuple(((None,) + x.shape[2:])[d - 1] for d in dims)
    assert Permute((2, 1))(Input((None, 4))).shape == (None, 4, None)


def test_permute_errors_name_the_layer():
    for dims in [(1, 3), (0, 1), (2, 2), (1.5, 2), 2]:
        with pytest.raises(ValueError, match=r"Permute 'p': `dims` must be a permutation of the sample axes 1\.\.n"):
            Permute(dims, name="p")
    with pytest.raises(ValueError, match=r"layer 'q'.*expected ndim=3, found ndim=4"):
        Permute((2, 1), name="q")(X)


def test_repeat_vector_repeats_each_sample():
    v = rs.standard_normal((2, 4))
    layer = run_layer_test(RepeatVector, {"n": 3}, (2, 4), (2, 3, 4), input_data=v)
    np.testing.assert_allclose(layer(v).numpy(), np.repeat(v[:, None, :], 3, axis=1).astype(np.float32))
    assert layer(Input((4,))).shape == (None, 3, 4)
    assert layer.get_config()["n"] == 3 and set(layer.get_config()) == {"name", "trainable", "dtype", "n"}
    out = layer(v).numpy()
    out[0, 0, 0] = 7.0  # a fresh array, not a read-only broadcast view
    assert out[0, 1, 0] != 7.0


def test_repeat_vector_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Input 0 of layer 'r' is incompatible.*expected ndim=2, found ndim=3\. "
                                         r"Full shape received: \(2, 4, 1\)"):
        RepeatVector(2, name="r")(np.ones((2, 4, 1)))
    with pytest.raises(ValueError, match=r"RepeatVector 'n0': `n` must be a positive integer\. Received: n=0"):
        RepeatVector(0, name="n0")
    with pytest.raises(ValueError, match=r"Received: n=2\.0"):
        RepeatVector(2.0)
