"""The augmentation layers (image_augmentation.py and image_augmentation_geometric.py): pinned transforms against
their documented results (np.rot90, shifted columns, fill modes), inference as identity, seeds repeating,
gradients, Keras 3.15.1's config keys, models and errors."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads, run_layer_test

rs = np.random.default_rng(0)
GRID = np.arange(16.0).reshape(1, 4, 4, 1)


def _run(layer, x=GRID, **kwargs):
    return layer(x, training=True, **kwargs).numpy()


def test_horizontal_flip_reverses_columns_and_vertical_rows():
    x = rs.standard_normal((8, 3, 5, 2))
    out = _run(layers.RandomFlip("horizontal", seed=3), x)
    flipped = np.array([np.array_equal(o, xi[:, ::-1].astype(np.float32)) for o, xi in zip(out, x)])
    kept = np.array([np.array_equal(o, xi.astype(np.float32)) for o, xi in zip(out, x)])
    assert np.all(flipped ^ kept) and flipped.any() and kept.any()  # each image flipped or not, both happen
    out = _run(layers.RandomFlip("vertical", seed=3), x)
    assert all(np.array_equal(o, xi[::-1].astype(np.float32)) or np.array_equal(o, xi.astype(np.float32))
               for o, xi in zip(out, x))
    both = _run(layers.RandomFlip(seed=5), np.repeat(GRID, 64, axis=0))
    seen = {tuple(o.ravel()) for o in both}  # the four flips, drawn independently per axis
    assert seen == {tuple(g.ravel()) for g in (GRID[0], GRID[0, ::-1], GRID[0, :, ::-1], GRID[0, ::-1, ::-1])}


def test_rotation_by_a_quarter_turn_is_rot90():
    x = rs.standard_normal((3, 5, 5, 2))
    for interpolation in ("bilinear", "nearest"):
        out = _run(layers.RandomRotation((0.25, 0.25), interpolation=interpolation, dtype="float64"), x)
        np.testing.assert_allclose(out, np.rot90(x, axes=(1, 2)), atol=1e-12)
    out = _run(layers.RandomRotation((-0.5, -0.5), dtype="float64"), x)
    np.testing.assert_allclose(out, np.rot90(x, 2, axes=(1, 2)), atol=1e-12)


def test_translation_shifts_and_fills_as_each_mode_defines():
    row = np.arange(1.0, 5.0).reshape(1, 1, 4, 1)  # a b c d = 1 2 3 4
    expected = {"reflect": [2, 1, 1, 2], "wrap": [3, 4, 1, 2], "nearest": [1, 1, 1, 2], "constant": [9, 9, 1, 2]}
    for mode, values in expected.items():  # moved right by half the width (2 pixels)
        out = _run(layers.RandomTranslation(0, (0.5, 0.5), fill_mode=mode, fill_value=9), row)
        np.testing.assert_array_equal(out.ravel(), values, err_msg=mode)
    out = _run(layers.RandomTranslation((0.25, 0.25), 0, fill_mode="constant"), GRID)  # down by one row
    np.testing.assert_array_equal(out[0, :, :, 0], np.vstack([np.zeros(4), GRID[0, :3, :, 0]]))
    # a fractional shift interpolates between neighbours, the fill value entering as a pixel (Keras 3.15.1
    # gives [40, 0.6, 1.6, 2.6] for this row of 0 1 2 3)
    out = _run(layers.RandomTranslation(0, (0.1, 0.1), fill_mode="constant", fill_value=100), GRID)
    np.testing.assert_allclose(out[0, 0, :, 0], [40, 0.6, 1.6, 2.6], rtol=1e-6)


def test_zoom_scales_about_the_centre():
    x = rs.standard_normal((2, 5, 5, 1))
    out = _run(layers.RandomZoom((-0.5, -0.5), fill_mode="constant", interpolation="nearest", dtype="float64"), x)
    # zooming in by half shows the centre: output pixel i reads input 2 + (i - 2) / 2
    idx = np.floor(2 + (np.arange(5) - 2) / 2 + 0.5).astype(int)
    np.testing.assert_array_equal(out, x[:, idx][:, :, idx])
    out = _run(layers.RandomZoom((1, 1), (0, 0), fill_mode="constant", dtype="float64"), x)  # zoomed out x2 in height
    np.testing.assert_allclose(out[:, 2], x[:, 2])  # the centre row stays
    np.testing.assert_allclose(out[:, 0], 0)  # row 0 reads row -2: outside
    np.testing.assert_allclose(out[:, 1], x[:, 0])


def test_contrast_and_brightness_formulas():
    x = rs.uniform(0, 255, (4, 3, 3, 2))
    out = _run(layers.RandomContrast((0.5, 0.5), dtype="float64"), x)  # factors drawn from [0.5, 1.5]
    mean = x.mean(axis=(1, 2), keepdims=True)
    scale = (out - mean) / (x - mean)
    unclipped = (out > 0) & (out < 255)
    for s, u in zip(scale, unclipped):
        assert np.ptp(s[u]) < 1e-9 and 0.5 <= s[u][0] <= 1.5  # one factor per image, all channels
    assert np.all(out >= 0) and np.all(out <= 255)
    out = _run(layers.RandomBrightness((0.1, 0.1), value_range=(0, 1), dtype="float64"), x / 255)
    np.testing.assert_allclose(out, np.minimum(x / 255 + 0.1, 1))
    out = _run(layers.RandomBrightness((-1, -1)), x)
    np.testing.assert_array_equal(out, 0)  # -1 makes it black


def test_random_crop_window_in_training_and_smart_resize_in_inference():
    x = rs.standard_normal((3, 6, 8, 1))
    out = _run(layers.RandomCrop(3, 4, seed=2, dtype="float64"), x)
    hits = [(t, l) for t in range(4) for l in range(5) if np.array_equal(out, x[:, t:t + 3, l:l + 4])]
    assert len(hits) == 1  # one window, shared by the batch
    inference = layers.RandomCrop(3, 4, dtype="float64")(x, training=False).numpy()
    expected = layers.Resizing(3, 4, crop_to_aspect_ratio=True, dtype="float64")(x).numpy()
    np.testing.assert_allclose(inference, expected)
    small = rs.standard_normal((2, 2, 3, 1))  # smaller than the target: resized even in training
    assert _run(layers.RandomCrop(4, 6), small).shape == (2, 4, 6, 1)


LAYERS = [(layers.RandomFlip, {}), (layers.RandomRotation, {"factor": 0.2}),
          (layers.RandomZoom, {"height_factor": 0.3}),
          (layers.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.3}),
          (layers.RandomContrast, {"factor": 0.3}), (layers.RandomBrightness, {"factor": 0.3})]


@pytest.mark.parametrize("cls, kwargs", LAYERS, ids=lambda v: getattr(v, "__name__", ""))
def test_inference_is_identity_training_changes_and_seeds_repeat(cls, kwargs):
    x = rs.uniform(0, 255, (4, 6, 7, 3))
    layer = cls(**kwargs, seed=11)
    assert np.array_equal(layer(x, training=False).numpy(), x.astype(np.float32))
    first = layer(x, training=True).numpy()
    assert first.shape == x.shape and first.dtype == np.float32 and not np.allclose(first, x)
    assert not np.array_equal(layer(x, training=True).numpy(), first)  # each call draws anew
    np.testing.assert_array_equal(cls(**kwargs, seed=11)(x, training=True).numpy(), first)  # a seed repeats
    assert not np.allclose(layer(x).numpy(), x)  # a direct call augments, as Keras 3's
    dendrite.utils.set_random_seed(5)
    unseeded = cls(**kwargs)(x, training=True).numpy()
    dendrite.utils.set_random_seed(5)
    np.testing.assert_array_equal(cls(**kwargs)(x, training=True).numpy(), unseeded)
    assert cls(**kwargs)(x[0], training=True).shape == x.shape[1:]  # one image
    assert layer.compute_output_shape((None, 6, 7, 3)) == (None, 6, 7, 3)


@pytest.mark.parametrize("cls, kwargs", [
    (layers.RandomFlip, {}), (layers.RandomRotation, {"factor": (0.1, 0.1)}),
    (layers.RandomRotation, {"factor": (0.1, 0.1), "fill_mode": "constant", "fill_value": 0.5}),
    (layers.RandomZoom, {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3), "fill_mode": "wrap"}),
    (layers.RandomTranslation, {"height_factor": (0.15, 0.15), "width_factor": (-0.2, -0.2), "fill_mode": "nearest"}),
    (layers.RandomContrast, {"factor": 0.4, "value_range": (-100, 100)}),
    (layers.RandomBrightness, {"factor": 0.4, "value_range": (-100, 100)})], ids=lambda v: getattr(v, "__name__", ""))
def test_gradients_and_config_round_trip(cls, kwargs):
    run_layer_test(cls, kwargs, (2, 5, 4, 2), (2, 5, 4, 2))


def test_random_crop_gradients_shapes_and_layouts(channels_first):
    x = rs.standard_normal((2, 3, 6, 7))
    layer = run_layer_test(layers.RandomCrop, {"height": 4, "width": 5}, x.shape, (2, 3, 4, 5))
    check_grads(lambda t: layer(t, training=False), [x])
    assert layer(dendrite.Input((3, 9, 9))).shape == (None, 3, 4, 5)
    out = layers.RandomRotation((0.25, 0.25), dtype="float64")(x[:, :, :5, :5], training=True).numpy()
    np.testing.assert_allclose(out, np.rot90(x[:, :, :5, :5], axes=(2, 3)), atol=1e-12)
    out = layers.RandomFlip("horizontal", seed=1)(x, training=True).numpy()
    assert all(np.array_equal(o, xi[:, :, ::-1].astype(np.float32)) or np.array_equal(o, xi.astype(np.float32))
               for o, xi in zip(out, x))


def test_configs_have_keras_keys_and_defaults():
    def config(layer):
        c = layer.get_config()
        assert type(layer).from_config(c).get_config() == c
        return {k: v for k, v in c.items() if k not in ("name", "trainable", "dtype")}
    assert config(layers.RandomFlip()) == {"mode": "horizontal_and_vertical", "seed": None,
                                           "data_format": "channels_last"}
    assert config(layers.RandomRotation(0.2)) == {"factor": (-0.2, 0.2), "fill_mode": "reflect",
                                                  "interpolation": "bilinear", "seed": None, "fill_value": 0.0,
                                                  "data_format": "channels_last"}
    geometric = {"fill_mode": "reflect", "interpolation": "bilinear", "seed": None, "fill_value": 0.0,
                 "data_format": "channels_last"}
    assert config(layers.RandomZoom(0.2)) == {"height_factor": 0.2, "width_factor": None, **geometric}
    assert config(layers.RandomTranslation(0.2, 0.1)) == {"height_factor": 0.2, "width_factor": 0.1, **geometric}
    # (Keras 3.15 reads a number f as (0, f): RandomContrast(0.2).factor == (0, 0.2) there)
    assert config(layers.RandomContrast(0.2)) == {"factor": (0, 0.2), "value_range": (0, 255), "seed": None,
                                                  "data_format": "channels_last"}
    assert config(layers.RandomBrightness(0.2)) == {"factor": (-0.2, 0.2), "value_range": [0, 255], "seed": None,
                                                    "data_format": "channels_last"}
    assert config(layers.RandomCrop(2, 3, seed=1)) == {"height": 2, "width": 3, "seed": 1,
                                                       "data_format": "channels_last"}


def test_in_a_sequential_model_fit_augments_and_predict_does_not(mnist_small):
    xtr, ytr = mnist_small[0][:256].reshape(-1, 28, 28, 1), mnist_small[1][:256]
    augment = [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomZoom(0.1),
               layers.RandomTranslation(0.1, 0.1), layers.RandomContrast(0.1, value_range=(0, 1)),
               layers.RandomBrightness(0.1, value_range=(0, 1)), layers.RandomCrop(24, 24)]
    model = dendrite.Sequential([dendrite.Input((28, 28, 1)), *augment, layers.Flatten(), layers.Dense(10)])
    model.compile("adam", dendrite.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.summary(print_fn=lambda *a, **k: None)
    head = dendrite.Sequential([dendrite.Input((28, 28, 1)), augment[-1], *model.layers[-2:]])
    np.testing.assert_allclose(model.predict(xtr, verbose=0), head.predict(xtr, verbose=0), rtol=1e-5, atol=1e-5)
    history = model.fit(xtr, ytr, epochs=2, batch_size=64, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    clone = dendrite.Sequential.from_config(model.get_config())
    assert [type(l).__name__ for l in clone.layers] == [type(l).__name__ for l in model.layers]


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"RandomFlip 'f': `mode` must be one of \('horizontal', 'vertical', "
                                         r"'horizontal_and_vertical'\); received mode='diagonal'"):
        layers.RandomFlip("diagonal", name="f")
    with pytest.raises(ValueError, match=r"RandomRotation 'r': `factor` must be a number in \[-1, 1\]\. "
                                         r"Received: factor=2"):
        layers.RandomRotation(2, name="r")
    with pytest.raises(ValueError, match=r"`factor` must be a number or a pair \(lower, upper\)"):
        layers.RandomRotation((0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match=r"`height_factor` must be a number in \(-1, 1\]"):
        layers.RandomZoom(-1)
    with pytest.raises(ValueError, match=r"`fill_mode` must be one of \('reflect', 'wrap', 'constant', 'nearest'\)"):
        layers.RandomTranslation(0.1, 0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match=r"`interpolation` must be one of \('nearest', 'bilinear'\)"):
        layers.RandomZoom(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match=r"`value_range` must be a pair \(low, high\)"):
        layers.RandomBrightness(0.1, value_range=255)
    with pytest.raises(ValueError, match=r"`seed` must be a non-negative integer|`seed` must be an integer >= 0"):
        layers.RandomContrast(0.1, seed=-1)
    with pytest.raises(ValueError, match=r"RandomFlip 'g': expected a batch of images \(rank 4\) or one image"):
        layers.RandomFlip(name="g")(np.ones((2, 3)))


def test_fit_runs_the_layers_in_training_and_evaluate_in_inference():
    # brightness pinned at +1 turns every pixel white (1) in training; the Dense sums the four pixels
    model = dendrite.Sequential([dendrite.Input((2, 2, 1)), layers.RandomBrightness((1, 1), value_range=(0, 1)),
                                 layers.Flatten(), layers.Dense(1, kernel_initializer="ones", use_bias=False)])
    model.compile(dendrite.optimizers.SGD(learning_rate=0.0), "mse")
    x, y = np.zeros((8, 2, 2, 1)), np.full((8, 1), 4.0)
    assert model.fit(x, y, epochs=1, batch_size=4, verbose=0).history["loss"] == [0.0]
    assert model.evaluate(x, y, verbose=0) == 16.0


def test_shear_reads_along_the_drawn_slope_with_a_shared_sign():
    from keras_augment_cases import compare_config, configs
    x = rs.standard_normal((16, 6, 6, 1))
    out = _run(layers.RandomShear((0.5, 0.5), 0, fill_mode="constant", interpolation="nearest", dtype="float64",
                                  seed=2), x)
    # output (x, y) reads (x + s y, y), s = +-0.5 per image; row 2 shifted by exactly +-1 pixel
    signs = set()
    for o, xi in zip(out, x):
        if np.array_equal(o[2, :5], xi[2, 1:]):
            signs.add(1)
        else:
            np.testing.assert_array_equal(o[2, 1:], xi[2, :5])
            signs.add(-1)
        np.testing.assert_array_equal(o[0], xi[0])  # the top row stays (the shear is about the corner)
    assert signs == {1, -1}
    for record in configs("RandomShear"):
        compare_config(record)


def test_augmentation_layers_take_keras_dict_inputs():
    x, y = rs.standard_normal((4, 3, 3, 2)).astype(np.float32), np.arange(4)
    out = layers.RandomFlip(seed=1)({"images": x, "labels": y})
    assert set(out) == {"images", "labels"} and out["images"].shape == x.shape
    np.testing.assert_array_equal(np.asarray(out["labels"]), y)  # labels pass through
    kept = layers.RandomRotation(0.2)({"images": x, "labels": y}, training=False)
    np.testing.assert_array_equal(np.asarray(kept["images"]), x)
    with pytest.raises(NotImplementedError, match=r"RandomFlip .*'segmentation_masks'.*docs/compat.md"):
        layers.RandomFlip()({"images": x, "segmentation_masks": x})


def test_contrast_reads_a_number_as_keras_3_15():
    from keras_augment_cases import compare_config, configs
    for record in configs("RandomContrast", "RandomBrightness"):
        compare_config(record)
    x = rs.uniform(0, 255, (64, 3, 3, 1))
    out = _run(layers.RandomContrast(0.5, dtype="float64", seed=1), x)
    mean = x.mean(axis=(1, 2), keepdims=True)
    inside = (out > 0) & (out < 255)
    scale = ((out - mean) / (x - mean))[inside]
    assert scale.min() >= 1 - 1e-9 and scale.max() <= 1.5 + 1e-9 and scale.max() > 1.3  # drawn from [1, 1.5]
