"""MixUp, CutMix and RandomErasing (image_mixing.py): images and labels mixed by the same draws through Keras 3's
{'images', 'labels'} input, the statistics of the weights and boxes, Keras 3.15's configs (fixtures by
tools/make_keras_augment_fixtures.py), use in a tf.data-style pipeline and in fit, inference, seeds,
gradients, saving and errors."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads
from keras_augment_cases import compare_config, configs, images, keras_file_round_trip


@pytest.mark.parametrize("record", configs("MixUp", "CutMix", "RandomErasing"), ids=lambda r: r["layer"])
def test_configs_match_keras(record):
    compare_config(record)


def _one_hot(n, classes=4):
    return np.eye(classes, dtype=np.float32)[np.arange(n) % classes]




def test_mixup_blends_images_and_labels_by_the_same_weight():
    n = 256
    x = images(n, 3, 3)
    y = np.eye(n, dtype=np.float32)  # one class per image: the mixed label shows the weight and the partner
    out = layers.MixUp(alpha=0.4, seed=3)({"images": x, "labels": y})
    mixed, labels = out["images"].numpy(), out["labels"].numpy()
    weight = np.diag(labels).copy()
    partner = np.where(np.eye(n, dtype=bool), -1, labels).argmax(axis=1)
    same = np.isclose(weight, 1)  # paired with itself
    partner[same] = np.arange(n)[same]
    expected = weight[:, None, None, None] * x + (1 - weight[:, None, None, None]) * x[partner]
    np.testing.assert_allclose(mixed, expected, rtol=1e-4, atol=1e-2)
    np.testing.assert_allclose(labels.sum(axis=1), 1, rtol=1e-5)
    assert sorted(set(partner[~same])) != [] and 0.45 < weight.mean() < 0.55  # Beta(0.4, 0.4): mean 1/2
    assert np.mean((weight < 0.1) | (weight > 0.9)) > 0.3  # and mostly near 0 or 1


def test_cutmix_pastes_a_box_and_mixes_labels_by_its_area():
    n = 64
    x = np.repeat(np.arange(n, dtype=np.float32).reshape(n, 1, 1, 1), 3, axis=-1) * np.ones((1, 16, 16, 3))
    y = np.eye(n, dtype=np.float32)
    out = layers.CutMix(seed=1)({"images": x, "labels": y})
    mixed, labels = out["images"].numpy(), out["labels"].numpy()
    for i in range(n):
        pasted = mixed[i, :, :, 0] != i
        if pasted.any():
            rows, cols = np.nonzero(pasted)
            box = pasted[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
            assert box.all()  # one rectangle, from one partner
            partner = int(mixed[i, rows[0], cols[0], 0])
            assert np.all(mixed[i][pasted] == partner)
            # the label keeps 1 - the box's (continuous) area: within a pixel row and column of the pixel count
            kept = labels[i, i]
            assert abs(kept - (1 - pasted.mean())) < (box.shape[0] + box.shape[1] + 1) / 256
            assert labels[i, partner] == pytest.approx(1 - kept, abs=1e-5)
    single = images(1)[0]
    np.testing.assert_array_equal(layers.CutMix(seed=1)(single).numpy(), single)  # one image: nothing to mix


def test_random_erasing_probability_box_and_fill():
    x = images(400, 10, 10)
    out = layers.RandomErasing(fill_value=0, seed=2)(x + 1).numpy()  # factor 1.0: p ~ U(0, 1), half erased
    erased = np.any(out == 0, axis=(1, 2, 3))
    assert 0.4 < erased.mean() < 0.6
    area = np.mean(out[erased] == 0, axis=(1, 2, 3))
    assert area.min() > 0 and area.max() <= 0.33 + 0.15  # sides sqrt(U(0.02, 0.33)) of each dimension
    rgb = layers.RandomErasing((1, 1), scale=(0.3, 0.3), fill_value=(10, 20, 300), seed=2)(x).numpy()
    box = np.all(rgb == np.array([10, 20, 255], np.float32), axis=-1)  # clipped to value_range
    assert box.any(axis=(1, 2)).all()
    noise = layers.RandomErasing((1, 1), value_range=(0, 1), seed=2)(x / 255).numpy()
    assert noise.min() >= 0 and noise.max() <= 1


def test_data_pipeline_and_fit_with_mixed_labels():
    x = images(32, 8, 8) / 255
    y = _one_hot(32, 4)
    cut, mix = layers.CutMix(seed=0), layers.MixUp(seed=0)

    def augment(images_, labels):
        samples = mix(cut({"images": images_, "labels": labels}, training=True), training=True)
        return samples["images"], samples["labels"]
    # (several threads call the same layers: nothing of one call may leak into another's)
    many = dendrite.data.Dataset.from_tensor_slices((images(512, 24, 24) / 255, _one_hot(512, 4)))
    for xb, yb in many.batch(16).map(augment, num_parallel_calls=8):
        assert tuple(xb.shape) == (16, 24, 24, 3) and tuple(yb.shape) == (16, 4)
        np.testing.assert_allclose(np.asarray(yb).sum(axis=1), 1, rtol=1e-5)
    ds = dendrite.data.Dataset.from_tensor_slices((x, y)).batch(8).map(augment)
    model = dendrite.Sequential([layers.Input((8, 8, 3)), layers.RandomErasing(0.5, value_range=(0, 1)),
                                 layers.MixUp(), layers.Flatten(), layers.Dense(4, activation="softmax")])
    model.compile("adam", "categorical_crossentropy")
    history = model.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.predict(x, verbose=0).shape == (32, 4)


@pytest.mark.parametrize("layer", [layers.MixUp(0.3), layers.CutMix(0.6), layers.RandomErasing(0.7, fill_value=3)],
                         ids=lambda l: type(l).__name__)
def test_inference_identity_seeds_layouts_and_saving(layer, tmp_path):
    x = images(6)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    out = layer({"images": x, "labels": _one_hot(6)}, training=False)
    np.testing.assert_array_equal(out["images"].numpy(), x)
    cls, config = type(layer), layer.get_config()
    runs = [cls.from_config({**config, "seed": 9})(x).numpy() for _ in range(2)]
    np.testing.assert_array_equal(*runs)
    first = cls.from_config({**config, "seed": 9, "data_format": "channels_first"})(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(np.transpose(first.numpy(), (0, 2, 3, 1)), runs[0], atol=1e-3)
    keras_file_round_trip(cls.from_config(config), x, tmp_path)


def test_mixing_is_differentiable_in_the_images():
    x = images(3, 3, 3).astype(np.float64) / 255
    check_grads(lambda v: layers.MixUp(seed=1, dtype="float64")(v), [x])
    check_grads(lambda v: layers.CutMix(seed=1, dtype="float64")(v), [x])


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"MixUp .*`alpha` must be a number > 0. Received: alpha=0"):
        layers.MixUp(alpha=0)
    with pytest.raises(ValueError, match=r"CutMix .*`factor` must be a number in \[0, 1\]"):
        layers.CutMix(2)
    with pytest.raises(ValueError, match=r"RandomErasing .*`fill_value` must be None \(noise\), a number or three"):
        layers.RandomErasing(fill_value=(1, 2))
    with pytest.raises(ValueError, match=r"RandomErasing .*`scale` must be a number in \[0, 1\]"):
        layers.RandomErasing(scale=1.5)
    with pytest.raises(ValueError, match=r"MixUp .*'labels' to mix must be one-hot or soft labels"):
        layers.MixUp()({"images": images(4), "labels": np.arange(4)})
    with pytest.raises(NotImplementedError, match=r"CutMix .*'bounding_boxes'.*not supported.*docs/compat.md"):
        layers.CutMix()({"images": images(4), "bounding_boxes": {"boxes": np.zeros((4, 1, 4))}})
