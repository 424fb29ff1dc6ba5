"""Resizing and CenterCrop: outputs against Keras 3.15.1 (fixtures written by tools/make_keras_image_fixtures.py),
NumPy references, shapes in both layouts and for single images, gradients, configs and errors."""
import json
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads, run_layer_test

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "keras")
with open(os.path.join(FIXTURES, "images.json")) as f:
    CASES = json.load(f)["cases"]
with np.load(os.path.join(FIXTURES, "images.npz"), allow_pickle=False) as data:
    ARRAYS = dict(data)

rs = np.random.default_rng(0)


def _images(x, kwargs):
    return np.transpose(x, (0, 3, 1, 2)) if kwargs.get("data_format") == "channels_first" else x


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['layer']}-{c['height']}x{c['width']}-{c['kwargs']}-"
                                                      f"{c['input']}")
def test_outputs_match_keras(case):
    layer = getattr(layers, case["layer"])(case["height"], case["width"], **case["kwargs"])
    out = layer(_images(ARRAYS[case["input"]], case["kwargs"])).numpy()
    expected = ARRAYS[case["output"]]
    assert out.dtype == expected.dtype  # Keras gives integer images back in their dtype
    np.testing.assert_allclose(out, expected, atol=1e-5 if expected.dtype.kind == "f" else 0, rtol=0)


def _bilinear_reference(x, height, width):
    """Half-pixel-centred bilinear resizing written out pixel by pixel (TensorFlow's formula)."""
    n, h, w, c = x.shape
    out = np.zeros((n, height, width, c))
    for i in range(height):
        for j in range(width):
            y, z = max((i + 0.5) * h / height - 0.5, 0), max((j + 0.5) * w / width - 0.5, 0)
            y0, z0 = int(np.floor(y)), int(np.floor(z))
            y1, z1 = min(y0 + 1, h - 1), min(z0 + 1, w - 1)
            dy, dz = y - y0, z - z0
            out[:, i, j] = ((1 - dy) * (1 - dz) * x[:, y0, z0] + (1 - dy) * dz * x[:, y0, z1]
                            + dy * (1 - dz) * x[:, y1, z0] + dy * dz * x[:, y1, z1])
    return out


@pytest.mark.parametrize("height, width", [(3, 4), (7, 13), (5, 7)])
def test_bilinear_matches_the_pixel_formula_and_nearest_picks_containing_pixels(height, width):
    x = rs.standard_normal((2, 5, 7, 2))
    np.testing.assert_allclose(layers.Resizing(height, width, dtype="float64")(x).numpy(),
                               _bilinear_reference(x, height, width), rtol=1e-12, atol=1e-12)
    rows = np.minimum(((np.arange(height) + 0.5) * 5 / height).astype(int), 4)
    cols = np.minimum(((np.arange(width) + 0.5) * 7 / width).astype(int), 6)
    nearest = layers.Resizing(height, width, interpolation="nearest")(x).numpy()
    np.testing.assert_array_equal(nearest, x[:, rows][:, :, cols].astype(np.float32))


@pytest.mark.parametrize("kwargs", [{}, {"interpolation": "nearest"}, {"crop_to_aspect_ratio": True},
                                    {"pad_to_aspect_ratio": True, "fill_value": 0.5}])
def test_resizing_shapes_gradients_and_config(kwargs):
    layer = run_layer_test(layers.Resizing, {"height": 3, "width": 4, **kwargs}, (2, 5, 6, 2), (2, 3, 4, 2))
    assert layer(dendrite.Input((None, None, 3))).shape == (None, 3, 4, 3)
    assert layer(np.ones((5, 6, 2))).shape == (3, 4, 2)  # one image
    config = layer.get_config()
    # Keras 3.15.1's keys and defaults
    assert set(config) == {"name", "trainable", "dtype", "data_format", "height", "width", "interpolation",
                           "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode", "fill_value", "antialias"}
    assert {k: config[k] for k in ("fill_mode", "antialias", "data_format")} == \
        {"fill_mode": "constant", "antialias": False, "data_format": "channels_last"}
    assert layers.Resizing(2, 2).get_config()["interpolation"] == "bilinear"


def test_layouts_and_symbolic_shapes(channels_first):
    x = rs.standard_normal((2, 3, 5, 7))
    resized = layers.Resizing(4, 9)(x)
    assert resized.shape == (2, 3, 4, 9)
    np.testing.assert_allclose(resized.numpy(), np.transpose(
        layers.Resizing(4, 9, data_format="channels_last")(np.transpose(x, (0, 2, 3, 1))).numpy(), (0, 3, 1, 2)))
    assert layers.CenterCrop(2, 3)(x).shape == (2, 3, 2, 3)
    assert layers.CenterCrop(2, 3)(dendrite.Input((3, None, None))).shape == (None, 3, 2, 3)
    check_grads(lambda t: layers.CenterCrop(2, 3)(t), [x])


def test_center_crop_cuts_the_centre_and_resizes_small_images():
    x = rs.standard_normal((2, 6, 9, 1))
    layer = run_layer_test(layers.CenterCrop, {"height": 3, "width": 4}, x.shape, (2, 3, 4, 1), input_data=x)
    np.testing.assert_array_equal(layer(x).numpy(), x[:, 1:4, 2:6].astype(np.float32))
    check_grads(lambda t: layers.CenterCrop(8, 4)(t), [x[:1]])  # taller than the image: crop then resize
    assert layers.CenterCrop(3, 4)(np.arange(54, dtype=np.uint8).reshape(6, 9, 1)).dtype == np.float32
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "data_format", "height", "width"}  # Keras's keys
    assert layers.CenterCrop.from_config(config).get_config() == config


def test_in_a_model_before_a_convolution():
    model = dendrite.Sequential([dendrite.Input((8, 8, 3)), layers.Resizing(6, 6), layers.Rescaling(1 / 255),
                                 layers.CenterCrop(4, 4), layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(1)])
    assert model.output_shape == (None, 1)
    model.compile("sgd", "mse")
    model.fit(rs.uniform(0, 255, (4, 8, 8, 3)), np.zeros((4, 1)), verbose=0)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Resizing 'r': `height` must be a positive integer\. Received: height=0"):
        layers.Resizing(0, 3, name="r")
    with pytest.raises(ValueError, match=r"Resizing 'b': `interpolation` must be one of \('bilinear', 'nearest'\) "
                                         r"\(Keras's other methods are not in dendrite\); received "
                                         r"interpolation='bicubic'"):
        layers.Resizing(2, 2, interpolation="bicubic", name="b")
    with pytest.raises(ValueError, match=r"only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio`"):
        layers.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match=r"antialias=True is not supported"):
        layers.Resizing(2, 2, antialias=True)
    with pytest.raises(ValueError, match=r"`fill_mode` must be 'constant'"):
        layers.Resizing(2, 2, fill_mode="reflect")
    with pytest.raises(ValueError, match=r"CenterCrop 'c': expected a batch of images \(rank 4\) or one image "
                                         r"\(rank 3\) laid out as \(height, width, channels\) \(channels_last\); "
                                         r"received shape \(2, 28\)"):
        layers.CenterCrop(2, 2, name="c")(np.ones((2, 28)))
    with pytest.raises(ValueError, match=r"`data_format` must be 'channels_last' or 'channels_first'"):
        layers.CenterCrop(2, 2, data_format="NHWC")
