"""RandomPerspective and RandomElasticTransform (image_warp.py): the corner rule and probabilities of Keras 3.15's
draws, identity for zero scale and in inference, fill modes, seeds, layouts, configs against Keras (fixtures by
tools/make_keras_augment_fixtures.py; the resampling itself is checked against Keras through
keras.ops.image.perspective_transform in tests/compat/keras_ops/test_image.py), gradients, saving and errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.testing import check_grads
from keras_augment_cases import compare_config, configs, images, keras_file_round_trip


@pytest.mark.parametrize("record", configs("RandomPerspective", "RandomElasticTransform"), ids=lambda r: r["layer"])
def test_configs_match_keras(record):
    compare_config(record)


def test_perspective_keeps_the_top_left_corner_and_applies_with_the_drawn_probability():
    x = images(300, 9, 9)
    out = layers.RandomPerspective(seed=1)(x).numpy()  # p ~ U(0, 1): half the images warped
    warped = ~np.all(np.isclose(out, x), axis=(1, 2, 3))
    assert 0.4 < warped.mean() < 0.6
    np.testing.assert_allclose(out[:, 0, 0], x[:, 0, 0], atol=1e-3)  # (0, 0) + (0, 0) * offset stays
    still = layers.RandomPerspective((1, 1), scale=0.0)(x).numpy()
    np.testing.assert_allclose(still, x, atol=1e-3)


def test_perspective_fill_value_and_nearest():
    x = images(64, 8, 8) + 1  # no pixel is 0
    out = layers.RandomPerspective((1, 1), scale=1.0, interpolation="nearest", fill_value=0.0, seed=2)(x).numpy()
    filled = np.all(out == 0, axis=-1)
    assert filled.any()  # corners pulled inwards uncover the fill
    values = set(np.unique(x)) | {0.0}
    assert set(np.unique(out)) <= values  # nearest copies pixels


def test_elastic_moves_pixels_smoothly_within_the_range():
    x = images(6, 32, 32)
    out = layers.RandomElasticTransform((1, 1), scale=(1, 1), seed=3)(x).numpy()
    assert not np.allclose(out, x) and out.min() >= 0 and out.max() <= 255
    ramp = np.broadcast_to(np.arange(32, dtype=np.float32).reshape(1, 1, 32, 1), (2, 32, 32, 3)).copy()
    moved = layers.RandomElasticTransform((1, 1), scale=(1, 1), fill_mode="nearest", value_range=(0, 31),
                                          seed=3)(ramp).numpy()
    shift = moved[..., 0] - ramp[..., 0]  # the horizontal displacement (alpha = 3.2 pixels per unit field)
    assert np.abs(shift).max() > 0.3 and np.abs(np.diff(shift, axis=2)).mean() < np.abs(shift).mean()
    np.testing.assert_array_equal(layers.RandomElasticTransform(scale=0.0)(x).numpy(), x)  # nothing to do


@pytest.mark.parametrize("mode", ["reflect", "mirror", "wrap", "nearest", "constant"])
def test_elastic_fill_modes_keep_values_in_range(mode):
    x = images(3, 16, 16)
    out = layers.RandomElasticTransform((1, 1), scale=(1, 1), fill_mode=mode, fill_value=7.0, seed=5)(x).numpy()
    assert out.shape == x.shape and np.isfinite(out).all() and out.min() >= 0 and out.max() <= 255


@pytest.mark.parametrize("layer", [layers.RandomPerspective(0.7, scale=0.5), layers.RandomElasticTransform(0.8)],
                         ids=lambda l: type(l).__name__)
def test_inference_identity_seeds_layouts_and_saving(layer, tmp_path):
    x = images(4, 12, 10)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    cls, config = type(layer), layer.get_config()
    runs = [cls.from_config({**config, "seed": 4})(x).numpy() for _ in range(2)]
    np.testing.assert_array_equal(*runs)
    first = cls.from_config({**config, "seed": 4, "data_format": "channels_first"})(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(np.transpose(first.numpy(), (0, 2, 3, 1)), runs[0], atol=1e-3)
    assert cls.from_config(config)(x[0]).shape == x[0].shape
    keras_file_round_trip(cls.from_config(config), x, tmp_path)


def test_warps_are_differentiable():
    x = images(2, 5, 5).astype(np.float64) / 255 * 0.5 + 0.25
    check_grads(lambda v: layers.RandomPerspective((1, 1), 0.3, seed=1, dtype="float64")(v), [x])
    check_grads(lambda v: layers.RandomElasticTransform((1, 1), (1, 1), value_range=(0, 1), seed=1,
                                                        dtype="float64")(v), [x])


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"RandomPerspective .*`scale` must be a number in \[0, 1\]"):
        layers.RandomPerspective(scale=2)
    with pytest.raises(ValueError, match=r"RandomPerspective .*`interpolation` must be one of"):
        layers.RandomPerspective(interpolation="bicubic")
    with pytest.raises(ValueError, match=r"RandomElasticTransform .*`fill_mode` must be one of"):
        layers.RandomElasticTransform(fill_mode="edge")
    with pytest.raises(ValueError, match=r"RandomElasticTransform .*`factor` must be a number in \[0, 1\]"):
        layers.RandomElasticTransform(factor=-0.5)
