"""Keras 2's image transform functions against Keras 3.15's legacy preprocessing (the same functions, SciPy
and Pillow underneath) on a slice of an MNIST digit (tools/make_tf_data3_fixtures.py wrote
tests/fixtures/tf_data3/preprocessing.json), and the random forms' draws."""
import json
import os

import numpy as np
import pytest

from dendrite import utils
from dendrite.preprocessing import image

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_data3", "preprocessing.json")
with open(FIXTURE) as f:
    FIX = json.load(f)
IMG = np.array(FIX["image"], np.float32)  # 14 x 14 x 2, channels last
RGB = np.array(FIX["rgb"], np.float32)


def _layout(axes):
    return IMG if axes[0] == 2 else np.moveaxis(IMG, -1, 0)


@pytest.mark.parametrize("case", FIX["affine"], ids=[f"{c['kwargs']}-{c['axes']}" for c in FIX["affine"]])
def test_apply_affine_transform_matches_keras(case):
    axes = case["axes"]
    got = image.apply_affine_transform(_layout(axes), channel_axis=axes[0], row_axis=axes[1], col_axis=axes[2],
                                       **case["kwargs"])
    np.testing.assert_allclose(got, np.array(case["result"]), atol=1e-3)


@pytest.mark.parametrize("case", FIX["channel_shift"], ids=lambda c: str(c["intensity"]))
def test_apply_channel_shift_matches_keras(case):
    x = IMG if case["channel_axis"] == 2 else np.moveaxis(IMG, -1, 0)
    np.testing.assert_allclose(image.apply_channel_shift(x, case["intensity"], case["channel_axis"]), case["result"])


@pytest.mark.parametrize("case", FIX["brightness"], ids=lambda c: f"{c['brightness']}-{c['scale']}")
def test_apply_brightness_shift_matches_keras(case):
    np.testing.assert_allclose(image.apply_brightness_shift(RGB, case["brightness"], case["scale"]), case["result"],
                               atol=1e-3)


@pytest.mark.parametrize("case", FIX["smart_resize"], ids=lambda c: str(c["size"]))
def test_smart_resize_matches_keras(case):
    np.testing.assert_allclose(image.smart_resize(RGB, case["size"]), case["result"], atol=1e-3)
    batch = image.smart_resize(RGB[None], case["size"])
    assert batch.shape == (1, *case["size"], 3)


def test_random_transforms_are_the_applied_ones_with_drawn_parameters():
    x = np.moveaxis(IMG, -1, 0)  # channels first, Keras 2's default axes
    utils.set_random_seed(3)
    rotated = image.random_rotation(x, 40)
    utils.set_random_seed(3)
    assert np.array_equal(rotated, image.random_rotation(x, 40))  # the seed repeats the draw
    assert not np.allclose(rotated, x)
    thetas = np.linspace(-40, 40, 801)
    errors = [np.abs(image.apply_affine_transform(x, theta=t) - rotated).max() for t in thetas]
    assert min(errors) < 3 < max(errors)  # an angle in [-rg, rg] (on a 0.1 degree grid) gives it
    assert image.random_shift(x, 0.0, 0.0).shape == x.shape
    np.testing.assert_array_equal(image.random_zoom(x, (1, 1)), x)
    assert not np.allclose(image.random_shear(x, 30), x)
    shifted = image.random_channel_shift(x, 20.0)
    delta = shifted - x
    assert np.all(shifted <= x.max()) and np.all(shifted >= x.min()) and np.abs(delta).max() <= 20.0
    bright = image.random_brightness(RGB, (0.2, 0.4))
    assert bright.mean() < RGB.mean()


def test_bad_arguments_are_refused_clearly():
    with pytest.raises(ValueError, match="rank 3"):
        image.apply_affine_transform(IMG[..., 0], theta=10)
    with pytest.raises(ValueError, match="fill_mode"):
        image.apply_affine_transform(IMG, theta=10, channel_axis=2, row_axis=0, col_axis=1, fill_mode="mirror")
    with pytest.raises(ValueError, match="0, 1 and 2"):
        image.apply_affine_transform(IMG, theta=10, channel_axis=2, row_axis=2, col_axis=1)
    with pytest.raises(NotImplementedError, match="order"):
        image.apply_affine_transform(IMG, theta=10, channel_axis=2, row_axis=0, col_axis=1, order=3)
    with pytest.raises(ValueError, match="zoom_range"):
        image.random_zoom(IMG, 0.2)
    with pytest.raises(ValueError, match="brightness_range"):
        image.random_brightness(RGB, 0.5)
