"""The colour augmentation layers (image_color.py): Keras 3.15's outputs for the deterministic settings and its
configs (fixtures by tools/make_keras_augment_fixtures.py), the statistics the factors imply, seeds, inference,
layouts, gradients of the gray blends, saving, and errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.testing import check_grads
from keras_augment_cases import case_id, cases, compare_config, configs, images, keras_file_round_trip, replay

NAMES = ("RandomGrayscale", "RandomColorDegeneration", "RandomSaturation", "RandomHue")


@pytest.mark.parametrize("case", cases(*NAMES), ids=case_id)
def test_outputs_match_keras(case):
    ours, keras = replay(case)
    assert ours.shape == keras.shape and ours.dtype == np.float32
    np.testing.assert_allclose(ours, keras, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("record", configs(*NAMES, "RandomColorJitter"), ids=lambda r: r["layer"])
def test_configs_match_keras(record):
    # Keras 3.15's RandomGrayscale leaves `seed` out of its config (a reloaded layer loses it); dendrite keeps it
    compare_config(record, allow_extra={"seed"} if record["layer"] == "RandomGrayscale" else ())


def test_grayscale_probability_and_gray_channels():
    x = images(400, 3, 3)
    out = layers.RandomGrayscale(0.3, seed=1)(x).numpy()
    gray = np.all(np.ptp(out, axis=-1) < 1e-3, axis=(1, 2))
    assert 0.22 < gray.mean() < 0.38  # ~30% turned gray
    np.testing.assert_allclose(out[~gray], x[~gray])
    np.testing.assert_allclose(out[gray][..., 0], x[gray] @ np.array([0.2989, 0.587, 0.114]), rtol=1e-5)
    one = images(2)[..., :1]
    np.testing.assert_array_equal(layers.RandomGrayscale(1.0)(one).numpy(), one)  # grayscale stays


def test_hue_shifts_by_at_most_half_the_factor_and_keeps_value():
    from dendrite.image.color import rgb_to_hsv_array
    x = images(64, 4, 4) / 255
    out = layers.RandomHue((0.4, 0.4), value_range=(0, 1), seed=3)(x).numpy()
    before, after = rgb_to_hsv_array(x), rgb_to_hsv_array(out)
    coloured = before[..., 1] > 0.2
    shift = ((after[..., 0] - before[..., 0] + 0.5) % 1.0) - 0.5
    np.testing.assert_allclose(np.abs(shift[coloured]), 0.2, atol=2e-3)  # +-0.4 / 2 of a turn
    signs = np.sign(np.median(np.where(coloured, shift, np.nan).reshape(64, -1), axis=1))
    assert (signs > 0).any() and (signs < 0).any()  # both directions
    np.testing.assert_allclose(after[..., 2], before[..., 2], atol=1e-5)  # value kept


def test_saturation_factor_reading():
    x = images(32, 3, 3)
    gray = layers.RandomSaturation((0.0, 0.0))(x).numpy()  # s / (1 - s) = 0: gray
    np.testing.assert_allclose(np.ptp(gray, axis=-1), 0, atol=1e-3)
    same = layers.RandomSaturation((0.5, 0.5))(x).numpy()  # s / (1 - s) = 1: unchanged
    np.testing.assert_allclose(same, x, atol=1e-3)
    assert layers.RandomSaturation(0.5).factor == (-0.5, 0.5)  # as Keras reads a number


def test_color_jitter_runs_its_parts_and_is_seeded():
    x = images(6)
    jitter = dict(brightness_factor=0.2, contrast_factor=0.3, saturation_factor=(0.4, 0.6), hue_factor=0.1)
    a = layers.RandomColorJitter(**jitter, seed=5)(x).numpy()
    b = layers.RandomColorJitter(**jitter, seed=5)(x).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, x) and a.min() >= 0 and a.max() <= 255
    np.testing.assert_array_equal(layers.RandomColorJitter()(x).numpy(), x)  # no factors: nothing to do
    np.testing.assert_array_equal(layers.RandomColorJitter(**jitter)(x, training=False).numpy(), x)


@pytest.mark.parametrize("layer", [layers.RandomGrayscale(0.5), layers.RandomColorDegeneration(0.5),
                                   layers.RandomHue(0.3), layers.RandomSaturation(0.3),
                                   layers.RandomColorJitter(brightness_factor=0.1, hue_factor=0.2)],
                         ids=lambda l: type(l).__name__)
def test_inference_identity_seeds_layouts_and_saving(layer, tmp_path):
    x = images(4)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    cls, config = type(layer), layer.get_config()
    seeded = [cls.from_config({**config, "seed": 7})(x).numpy() for _ in range(2)]
    np.testing.assert_array_equal(*seeded)
    first = cls.from_config({**config, "seed": 7, "data_format": "channels_first"})(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(np.transpose(first.numpy(), (0, 2, 3, 1)), seeded[0], atol=1e-4)
    assert cls.from_config({**config, "seed": 7})(x[0]).shape == x[0].shape  # one image
    keras_file_round_trip(cls.from_config(config), x, tmp_path)


def test_gray_blends_are_differentiable():
    x = images(2, 3, 3).astype(np.float64) / 255
    check_grads(lambda v: layers.RandomColorDegeneration((0.3, 0.3), value_range=(0, 1), dtype="float64")(v), [x])
    check_grads(lambda v: layers.RandomGrayscale(1.0, dtype="float64")(v), [x])


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"RandomGrayscale 'g': `factor` must be a number in \[0, 1\]"):
        layers.RandomGrayscale(1.5, name="g")
    with pytest.raises(ValueError, match=r"RandomHue .*`factor` must be a number in \[0, 1\]"):
        layers.RandomHue(-0.2)
    with pytest.raises(ValueError, match=r"RandomSaturation .*`value_range` must be a pair \(low, high\)"):
        layers.RandomSaturation(0.5, value_range=1)
    with pytest.raises(ValueError, match=r"RandomColorJitter .*`hue_factor` is invalid: .*`factor` must be"):
        layers.RandomColorJitter(hue_factor=3)
    with pytest.raises(ValueError, match=r"RandomHue .*expected images with 3 \(RGB\) channels; received 4"):
        layers.RandomHue(0.2)(np.ones((2, 3, 3, 4)))
    with pytest.raises(ValueError, match=r"RandomGrayscale .*expected a batch of images \(rank 4\) or one image"):
        layers.RandomGrayscale()(np.ones((3, 3)))
