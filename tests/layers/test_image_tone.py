"""The tone augmentation layers (image_tone.py): Solarization, RandomInvert, RandomPosterization, AutoContrast,
Equalization and ContrastLimitedAdaptiveHistogramEqualization against Keras 3.15's outputs and configs
(fixtures by tools/make_keras_augment_fixtures.py), the probabilities their factors imply, inference, seeds,
gradients, saving and errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.testing import check_grads
from keras_augment_cases import case_id, cases, compare_config, configs, images, keras_file_round_trip, replay

NAMES = ("Solarization", "RandomInvert", "RandomPosterization", "AutoContrast", "Equalization",
         "ContrastLimitedAdaptiveHistogramEqualization")


@pytest.mark.parametrize("case", cases(*NAMES), ids=case_id)
def test_outputs_match_keras(case):
    ours, keras = replay(case)
    assert ours.shape == keras.shape and ours.dtype == np.float32
    np.testing.assert_allclose(ours, keras, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("record", configs(*NAMES), ids=lambda r: r["layer"])
def test_configs_match_keras(record):
    compare_config(record)


def test_invert_probability_is_the_mean_of_the_factor_range():
    x = images(600, 2, 2)
    out = layers.RandomInvert(seed=2)(x).numpy()  # p ~ U(0, 1): half the images
    inverted = np.all(np.isclose(out, 255 - x), axis=(1, 2, 3))
    assert np.all(inverted | np.all(out == x, axis=(1, 2, 3)))
    assert 0.43 < inverted.mean() < 0.57
    out = layers.RandomInvert((0.2, 0.2), seed=2)(x).numpy()
    assert 0.14 < np.all(np.isclose(out, 255 - x), axis=(1, 2, 3)).mean() < 0.26


def test_solarization_adds_then_inverts_above_the_threshold():
    x = images(200, 3, 3)
    out = layers.Solarization(addition_factor=0.0, threshold_factor=(0.5, 0.5), seed=1)(x).numpy()
    # the threshold is drawn from [0.5, 127.5] (Keras scales only the upper bound): pixels above it invert
    kept, flipped = np.isclose(out, x), np.isclose(out, 255 - x)
    assert np.all(kept | flipped)
    assert np.all(x[kept & ~flipped] < 127.5) and np.all(x[flipped & ~kept] >= 0.5)
    added = layers.Solarization(addition_factor=(0.1, 0.1), threshold_factor=(1, 1), seed=1)(x).numpy()
    # each pixel is v or 255 - v, v = clip(x + a, 0, 255), one a per image drawn from [0.1, 25.5]
    for xi, oi in zip(x, added):
        x0, o0 = xi.min(), oi.flat[np.argmin(xi)]  # (the darkest pixel is not clipped)
        fits = [a for a in (o0 - x0, 255 - o0 - x0)
                if np.allclose(np.abs(oi - 127.5), np.abs(np.clip(xi + a, 0, 255) - 127.5), atol=1e-3)]
        assert fits and 0.1 - 1e-3 <= fits[0] <= 25.5 + 1e-3


def test_posterization_keeps_the_top_bits():
    x = images(100, 3, 3)
    out = layers.RandomPosterization(4, seed=0)(x).numpy()  # bits from randint(1, 4): 1, 2 or 3
    masks = {b: x.astype(np.uint8) >> (8 - b) << (8 - b) for b in (1, 2, 3)}
    matched = [next(b for b, m in masks.items() if np.array_equal(o, m[i])) for i, o in enumerate(out)]
    assert set(matched) == {1, 2, 3}
    assert layers.RandomPosterization(4).factor == (1, 4)


def test_auto_contrast_and_equalization_in_training_and_inference():
    x = images(4) * 0.5 + 40  # values in [40, 167.5]
    for training in (True, False):  # AutoContrast works in inference too, as Keras's
        out = layers.AutoContrast()(x, training=training).numpy()
        np.testing.assert_allclose(out.min(axis=(1, 2)), 0, atol=1e-4)
        np.testing.assert_allclose(out.max(axis=(1, 2)), 255, atol=1e-3)
    eq = layers.Equalization()
    assert not np.allclose(eq(x).numpy(), x)
    np.testing.assert_array_equal(eq(x, training=False).numpy(), x)  # Equalization: training only
    flat = np.full((2, 3, 3, 3), 9.0, np.float32)
    np.testing.assert_array_equal(layers.AutoContrast()(flat).numpy(), flat)  # one value: left as it is
    np.testing.assert_array_equal(eq(flat).numpy(), flat)


@pytest.mark.parametrize("layer", [layers.Solarization(0.2, 0.5), layers.RandomInvert(0.5),
                                   layers.RandomPosterization(6), layers.Equalization(bins=64)],
                         ids=lambda l: type(l).__name__)
def test_inference_identity_seeds_and_saving(layer, tmp_path):
    x = images(4)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    cls, config = type(layer), layer.get_config()
    if "seed" in config:
        runs = [cls.from_config({**config, "seed": 11})(x).numpy() for _ in range(2)]
        np.testing.assert_array_equal(*runs)
    first = cls.from_config({**config, "seed": 11, "data_format": "channels_first"})
    assert first(np.transpose(x, (0, 3, 1, 2))).shape == (4, 3, 6, 7)
    assert cls.from_config(config)(x[0]).shape == x[0].shape
    keras_file_round_trip(cls.from_config(config), x, tmp_path)


def test_auto_contrast_saved_model_applies_it(tmp_path):
    x = images(3) * 0.5 + 10
    again = keras_file_round_trip(layers.AutoContrast(), x, tmp_path)
    np.testing.assert_allclose(again(x, training=False).numpy().max(axis=(1, 2)), 255, atol=1e-3)


def test_piecewise_linear_ones_are_differentiable():
    x = images(2, 3, 3).astype(np.float64) / 255 * 0.9 + 0.05
    check_grads(lambda v: layers.RandomInvert((1, 1), value_range=(0, 1), dtype="float64")(v), [x])
    check_grads(lambda v: layers.Solarization(value_range=(0, 1), dtype="float64")(v), [x])


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"Solarization .*`threshold_factor` must be a number in \[0, 1\]"):
        layers.Solarization(threshold_factor=2)
    with pytest.raises(ValueError, match=r"RandomPosterization .*`factor` must be a number in \[1, 8\]"):
        layers.RandomPosterization(9)
    with pytest.raises(ValueError, match=r"RandomInvert .*`factor` must be a number or a pair"):
        layers.RandomInvert((0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match=r"Equalization .*`bins` must be an integer >= 2"):
        layers.Equalization(bins=1.5)
    with pytest.raises(ValueError, match=r"AutoContrast .*`value_range` must be a pair \(low, high\)"):
        layers.AutoContrast(value_range=(0, 1, 2))


def test_clahe_acts_in_inference_spreads_values_and_saves(tmp_path):
    clahe = layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
    x = images(2, 16, 16) * 0.25 + 90  # a narrow band of values
    out = clahe(x, training=False).numpy()
    np.testing.assert_array_equal(out, clahe(x).numpy())  # the same in training and inference
    assert np.ptp(out) > 3 * np.ptp(x) and out.min() >= 0 and out.max() <= 255
    again = keras_file_round_trip(clahe, x, tmp_path)
    np.testing.assert_allclose(again(x, training=False).numpy(), out, atol=1e-4)
    with pytest.raises(ValueError, match=r"ContrastLimitedAdaptiveHistogramEqualization .*`tile_grid_size` must be "
                                         r"a pair of positive integers"):
        layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=8)
