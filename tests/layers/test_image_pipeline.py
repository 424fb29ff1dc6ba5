"""Pipeline and RandAugment (image_pipeline.py): a Pipeline of deterministic layers against Keras 3.15's output,
Keras's configs both ways (fixtures by tools/make_keras_augment_fixtures.py), RandAugment's draws, seeds,
inference, a model using the new layers in fit on an MNIST slice, and saving to .keras."""
import json

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.saving.serialization import deserialize_keras_object
from keras_augment_cases import ARRAYS, META, as_args, compare_config, configs, images, keras_file_round_trip


def _keras_pipeline():
    return layers.Pipeline([getattr(layers, name)(**as_args(kwargs)) for name, kwargs in META["pipeline"]])


def test_pipeline_matches_keras_and_passes_training_on():
    pipeline = _keras_pipeline()
    np.testing.assert_allclose(pipeline(ARRAYS["x255"], training=True).numpy(), ARRAYS["pipeline"], atol=1e-3)
    # in inference only AutoContrast acts (RandomInvert and Equalization are training-only, as in Keras)
    expected = layers.AutoContrast()(ARRAYS["x255"]).numpy()
    np.testing.assert_allclose(pipeline(ARRAYS["x255"], training=False).numpy(), expected, atol=1e-4)
    assert [type(l).__name__ for l in pipeline.layers] == ["AutoContrast", "RandomInvert", "Equalization"]


def test_pipeline_config_loads_keras_and_matches_its_shape():
    keras_config = META["pipeline_config"]
    loaded = deserialize_keras_object(keras_config)
    assert isinstance(loaded, layers.Pipeline)
    np.testing.assert_allclose(loaded(ARRAYS["x255"], training=True).numpy(), ARRAYS["pipeline"], atol=1e-3)
    ours = _keras_pipeline().get_config()
    assert set(ours) == set(keras_config["config"]) == {"layers", "name"}
    assert [c["class_name"] for c in ours["layers"]] == [c["class_name"] for c in keras_config["config"]["layers"]]
    again = layers.Pipeline.from_config(ours)
    assert again.get_config()["layers"] == ours["layers"]


def test_pipeline_takes_dicts_and_refuses_non_layers():
    pipeline = layers.Pipeline([layers.RandomFlip(seed=1), layers.MixUp(seed=1)])
    out = pipeline({"images": images(4), "labels": np.eye(4, dtype=np.float32)})
    assert out["images"].shape == (4, 6, 7, 3) and out["labels"].shape == (4, 4)
    with pytest.raises(ValueError, match=r"Pipeline .*`layers` must be a list of layers"):
        layers.Pipeline(layers.RandomFlip())


@pytest.mark.parametrize("record", configs("RandAugment"), ids=lambda r: r["layer"])
def test_rand_augment_config_matches_keras(record):
    compare_config(record)


def test_rand_augment_draws_seeds_and_inference():
    x = images(8)
    out = layers.RandAugment(seed=3)(x).numpy()
    np.testing.assert_array_equal(out, layers.RandAugment(seed=3)(x).numpy())
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 255
    np.testing.assert_array_equal(layers.RandAugment()(x, training=False).numpy(), x)
    changed = [not np.allclose(layers.RandAugment(num_ops=1, seed=s)(x).numpy(), x) for s in range(12)]
    assert sum(changed) >= 8  # most operations change the batch (AutoContrast may leave a full-range one)
    x01 = x / 255
    out01 = layers.RandAugment(value_range=(0, 1), num_ops=4, factor=0.8, seed=1)(x01).numpy()
    assert out01.min() >= -1e-6 and out01.max() <= 1 + 1e-6
    assert layers.RandAugment(factor=0.3).factor == (0, 0.3)


def test_new_layers_in_a_model_fit_on_mnist_and_saved(mnist_small, tmp_path):
    xtr, ytr = mnist_small[0][:256].reshape(-1, 28, 28, 1), mnist_small[1][:256]
    rgb = np.repeat(xtr, 3, axis=-1)
    augment = [layers.RandAugment(value_range=(0, 1), seed=1), layers.RandomGrayscale(0.2),
               layers.RandomColorJitter(value_range=(0, 1), brightness_factor=0.1, hue_factor=0.1),
               layers.RandomGaussianBlur(0.5, value_range=(0, 1)), layers.RandomErasing(0.3, value_range=(0, 1)),
               layers.Pipeline([layers.RandomSharpness(0.2, value_range=(0, 1)), layers.RandomInvert(0.1, (0, 1))])]
    model = dendrite.Sequential([layers.Input((28, 28, 3)), *augment, layers.Conv2D(4, 3, activation="relu"),
                                 layers.MaxPooling2D(4), layers.Flatten(), layers.Dense(10, activation="softmax")])
    labels = ytr if ytr.ndim == 1 else ytr.argmax(axis=1)
    model.compile(dendrite.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(rgb, labels, epochs=4, batch_size=32, verbose=0)
    loss = history.history["loss"]
    assert np.isfinite(loss).all() and loss[-1] < loss[0] - 0.2  # it learns through the augmentation
    assert model.evaluate(rgb, labels, verbose=0)[1] > 0.4  # (evaluate: the layers stand aside, but AutoContrast)
    path = str(tmp_path / "augmented.keras")
    model.save(path)
    loaded = dendrite.saving.load_model(path)
    assert [type(l).__name__ for l in loaded.layers] == [type(l).__name__ for l in model.layers]
    assert json.loads(json.dumps(loaded.layers[0].get_config())) == json.loads(json.dumps(model.layers[0].get_config()))
    np.testing.assert_allclose(loaded.predict(rgb[:16], verbose=0), model.predict(rgb[:16], verbose=0), rtol=1e-5,
                               atol=1e-6)


def test_rand_augment_saved_alone(tmp_path):
    keras_file_round_trip(layers.RandAugment(num_ops=3, factor=0.2, seed=5), images(3), tmp_path)


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"RandAugment .*`num_ops` must be a positive integer|RandAugment .*num_ops"):
        layers.RandAugment(num_ops=0)
    with pytest.raises(ValueError, match=r"RandAugment .*`factor` must be a number in \[0, 1\]"):
        layers.RandAugment(factor=1.5)
    with pytest.raises(ValueError, match=r"RandAugment .*`interpolation` must be one of"):
        layers.RandAugment(interpolation="bicubic")


@pytest.mark.parametrize("record", configs("AugMix"), ids=lambda r: r["layer"])
def test_aug_mix_config_matches_keras(record):
    compare_config(record)


def test_aug_mix_blends_chains_within_the_range(tmp_path):
    x = images(6)
    out = layers.AugMix(seed=2)(x).numpy()
    np.testing.assert_array_equal(out, layers.AugMix(seed=2)(x).numpy())
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 255
    np.testing.assert_array_equal(layers.AugMix()(x, training=False).numpy(), x)
    changed = [not np.allclose(layers.AugMix(seed=s)(x).numpy(), x, atol=1e-3) for s in range(8)]
    assert sum(changed) >= 6
    basic = layers.AugMix(all_ops=False, value_range=(0, 1), chain_depth=1, seed=1)
    assert len(basic._ops) == 7 and 0 <= basic(x / 255).numpy().min() and basic(x / 255).numpy().max() <= 1
    keras_file_round_trip(layers.AugMix(num_chains=2, seed=5), images(3), tmp_path)
    with pytest.raises(ValueError, match=r"AugMix .*`alpha` must be a number > 0"):
        layers.AugMix(alpha=0)
    with pytest.raises(ValueError, match=r"AugMix .*`factor` must be a number in \[0, 1\]"):
        layers.AugMix(factor=2)


def test_pipeline_weights_are_tracked_saved_and_read_from_keras_files(tmp_path):
    import os
    dense = layers.Dense(3)
    pipeline = layers.Pipeline([layers.RandomFlip(), dense])
    model = dendrite.Sequential([layers.Input((4, 4, 2)), pipeline, layers.Flatten(), layers.Dense(2)])
    assert len(model.trainable_weights) == 4 and pipeline.count_params() == 9
    model.compile("adam", "mse")
    model.fit(np.ones((8, 4, 4, 2)), np.zeros((8, 2)), epochs=1, verbose=0)
    keras_file_round_trip(pipeline, np.ones((2, 4, 4, 2), np.float32), tmp_path)
    # a model written by Keras 3.15: the Pipeline's Dense weights load where Keras wrote them
    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras", "augment_pipeline_model.keras")
    loaded = dendrite.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(ARRAYS["pipeline_model_x"], verbose=0), ARRAYS["pipeline_model_y"],
                               rtol=1e-5, atol=1e-6)
