"""RandomGaussianBlur and RandomSharpness (image_filters.py): Keras 3.15's outputs for fixed factors and its configs
(fixtures by tools/make_keras_augment_fixtures.py), the blur probability, the sharpness range, inference,
seeds, gradients, saving and errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.testing import check_grads
from keras_augment_cases import case_id, cases, compare_config, configs, images, keras_file_round_trip, replay

NAMES = ("RandomGaussianBlur", "RandomSharpness")


@pytest.mark.parametrize("case", cases(*NAMES), ids=case_id)
def test_outputs_match_keras(case):
    ours, keras = replay(case)
    assert ours.shape == keras.shape and ours.dtype == np.float32
    np.testing.assert_allclose(ours, keras, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("record", configs(*NAMES), ids=lambda r: r["layer"])
def test_configs_match_keras(record):
    compare_config(record)


def test_blur_probability_and_kernel():
    x = images(300, 5, 5)
    out = layers.RandomGaussianBlur(seed=4)(x).numpy()  # p ~ U(0, 1): half the images blurred
    blurred = ~np.all(out == x, axis=(1, 2, 3))
    assert 0.4 < blurred.mean() < 0.6
    impulse = np.zeros((1, 5, 5, 1), np.float32)
    impulse[0, 2, 2, 0] = 100
    out = layers.RandomGaussianBlur((1, 1), kernel_size=3, sigma=(0.6, 0.6))(impulse).numpy()[0, :, :, 0]
    g = np.exp(-0.5 * (np.arange(-1, 2) / (0.6 + 1e-6)) ** 2)
    g /= g.sum()
    np.testing.assert_allclose(out[1:4, 1:4], 100 * np.outer(g, g), rtol=1e-5)
    assert out.sum() == pytest.approx(100, rel=1e-5) and out[0].max() == 0


def test_sharpness_one_leaves_the_image_and_the_range_is_clipped():
    x = images(4)
    same = layers.RandomSharpness((0.5, 0.5))(x).numpy()  # s = 2 * 0.5 = 1: unchanged
    np.testing.assert_allclose(same, x, atol=1e-4)
    sharp = layers.RandomSharpness((1, 1))(x).numpy()
    assert sharp.min() >= 0 and sharp.max() <= 255 and not np.allclose(sharp, x)


@pytest.mark.parametrize("layer", [layers.RandomGaussianBlur(0.8, kernel_size=5), layers.RandomSharpness(0.7)],
                         ids=lambda l: type(l).__name__)
def test_inference_identity_seeds_layouts_and_saving(layer, tmp_path):
    x = images(4)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    cls, config = type(layer), layer.get_config()
    runs = [cls.from_config({**config, "seed": 3})(x).numpy() for _ in range(2)]
    np.testing.assert_array_equal(*runs)
    first = cls.from_config({**config, "seed": 3, "data_format": "channels_first"})(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(np.transpose(first.numpy(), (0, 2, 3, 1)), runs[0], atol=1e-3)
    assert cls.from_config(config)(x[0]).shape == x[0].shape
    keras_file_round_trip(cls.from_config(config), x, tmp_path)


def test_filters_are_differentiable():
    x = images(2, 4, 4).astype(np.float64) / 255 * 0.5 + 0.25  # away from the clipping bounds
    check_grads(lambda v: layers.RandomGaussianBlur((1, 1), sigma=(0.7, 0.7), value_range=(0, 1),
                                                    dtype="float64")(v), [x])
    check_grads(lambda v: layers.RandomSharpness((0.3, 0.3), value_range=(0, 1), dtype="float64")(v), [x])


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"RandomGaussianBlur .*`kernel_size` must be an odd positive integer"):
        layers.RandomGaussianBlur(kernel_size=4)
    with pytest.raises(ValueError, match=r"RandomGaussianBlur .*`sigma` must be a number in \[0, 1\]"):
        layers.RandomGaussianBlur(sigma=2.0)
    with pytest.raises(ValueError, match=r"RandomSharpness .*`factor` must be a number in \[0, 1\]"):
        layers.RandomSharpness(1.5)
    with pytest.raises(ValueError, match=r"RandomSharpness .*`value_range` must be a pair"):
        layers.RandomSharpness(0.5, value_range=None)
