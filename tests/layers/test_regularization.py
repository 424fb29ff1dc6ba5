"""Seeded dropout layers: a new mask on every call, the same sequence for the same seed (Keras 3); GaussianNoise
and GaussianDropout (training only, seeded alike); ActivityRegularization's penalty in the model's loss."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads, run_layer_test


def _masks(layer, x, calls):
    return [layer(x, training=True).numpy() != 0 for _ in range(calls)]


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.Dropout(0.5, seed=7), (8, 50)),
    (lambda: layers.SpatialDropout1D(0.5, seed=7), (8, 6, 20)),
    (lambda: layers.SpatialDropout2D(0.5, seed=7), (8, 3, 3, 20)),
    (lambda: layers.SpatialDropout3D(0.5, seed=7), (8, 2, 3, 3, 20)),
])
def test_a_seeded_dropout_layer_draws_a_new_mask_each_call_and_the_same_sequence_for_the_same_seed(make, shape):
    x = np.ones(shape, np.float32)
    first, again = _masks(make(), x, 3), _masks(make(), x, 3)
    assert not np.array_equal(first[0], first[1]) and not np.array_equal(first[1], first[2])
    for a, b in zip(first, again):  # two fresh layers with one seed: the same masks, call for call
        np.testing.assert_array_equal(a, b)
    dendrite.utils.set_random_seed(99)  # the global seed does not move a layer's own stream
    np.testing.assert_array_equal(_masks(make(), x, 1)[0], first[0])


def test_seeded_dropout_in_fit_drops_different_units_on_each_batch():
    drop = layers.Dropout(0.5, seed=3)
    seen = []

    class Spy(dendrite.layers.Layer):
        def call(self, inputs, training=None):
            seen.append(inputs.numpy() == 0)
            return inputs

    model = dendrite.Sequential([dendrite.Input((40,)), drop, Spy(), layers.Dense(1)])
    seen.clear()  # (building ran Spy's call on zeros to learn its output shape, as Keras 3 traces it)
    model.compile("sgd", "mse")
    x = np.ones((16, 40), np.float32)
    model.fit(x, np.zeros((16, 1)), batch_size=16, epochs=3, verbose=0, shuffle=False)
    assert len(seen) == 3 and not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[1], seen[2])


def test_dropout_seed_is_checked_and_kept_in_the_config():
    assert layers.Dropout(0.2, seed=5).get_config()["seed"] == 5
    with pytest.raises(ValueError, match=r"Dropout 'd': `seed` must be an integer >= 0 or None\. Received: seed=-1"):
        layers.Dropout(0.2, seed=-1, name="d")
    with pytest.raises(ValueError, match=r"seed='a'"):
        layers.SpatialDropout1D(0.2, seed="a")


NOISE = [(layers.GaussianNoise, "stddev", 0.3), (layers.GaussianDropout, "rate", 0.2)]


@pytest.mark.parametrize("cls, arg, value", NOISE)
def test_gaussian_layers_pass_inputs_through_outside_training(cls, arg, value):
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    layer = run_layer_test(cls, {arg: value}, x.shape, x.shape, training=False, input_data=x)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    assert cls.supports_masking and layer(dendrite.Input((None, 5))).shape == (None, None, 5)
    assert set(layer.get_config()) == {"name", "trainable", "dtype", arg, "seed"}  # Keras's keys


def test_gaussian_noise_and_dropout_draw_as_keras_documents_in_training():
    x = np.full((500, 40), 2.0, np.float32)
    noisy = layers.GaussianNoise(0.3)(x, training=True).numpy()
    assert noisy.dtype == np.float32 and abs((noisy - x).mean()) < 0.01 and abs((noisy - x).std() - 0.3) < 0.01
    scaled = layers.GaussianDropout(0.2)(x, training=True).numpy() / x  # noise of mean 1, sd sqrt(0.2 / 0.8)
    assert abs(scaled.mean() - 1) < 0.01 and abs(scaled.std() - 0.5) < 0.01
    np.testing.assert_array_equal(layers.GaussianNoise(0.0)(x, training=True).numpy(), x)


@pytest.mark.parametrize("cls, arg, value", NOISE)
def test_seeded_gaussian_layers_draw_anew_each_call_and_alike_for_one_seed(cls, arg, value):
    x = np.ones((3, 6), np.float32)
    first = cls(value, seed=11)(x, training=True).numpy()
    layer, again = cls(value, seed=11), cls(value, seed=11)
    draws = [layer(x, training=True).numpy() for _ in range(3)]
    assert not np.array_equal(draws[0], draws[1]) and not np.array_equal(draws[1], draws[2])
    for a in draws:
        np.testing.assert_array_equal(a, again(x, training=True).numpy())
    dendrite.utils.set_random_seed(99)  # the global seed does not move a layer's own stream
    np.testing.assert_array_equal(cls(value, seed=11)(x, training=True).numpy(), first)
    np.testing.assert_array_equal(first, draws[0])
    assert layer.get_config()["seed"] == 11


@pytest.mark.parametrize("cls, arg, value", NOISE)
def test_gaussian_layers_gradients_in_training(cls, arg, value):
    layer = cls(value)  # unseeded: check_grads reseeds the global generator, so every run draws the same noise
    check_grads(lambda t: layer(t, training=True), [np.random.default_rng(1).standard_normal((3, 4))])


def test_gaussian_layers_are_active_in_fit():
    seen = []

    class Spy(layers.Layer):
        def call(self, inputs, training=None):
            seen.append(inputs.numpy().copy())
            return inputs

    model = dendrite.Sequential([dendrite.Input((6,)), layers.GaussianNoise(0.5, seed=1), Spy(), layers.Dense(1)])
    seen.clear()  # (building ran Spy's call on zeros to learn its output shape, as Keras 3 traces it)
    model.compile("sgd", "mse")
    x = np.ones((4, 6), np.float32)
    model.fit(x, np.zeros((4, 1)), epochs=1, batch_size=4, verbose=0)
    model.predict(x, verbose=0)
    assert not np.allclose(seen[0], x) and np.array_equal(seen[1], x)


def test_gaussian_layer_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"GaussianNoise 'g': `stddev` must be a number in \[0, 1\]\. "
                                         r"Received: stddev=2\.0"):
        layers.GaussianNoise(2.0, name="g")
    with pytest.raises(ValueError, match=r"GaussianDropout 'd': `rate` must be a number in \[0, 1\)\. "
                                         r"Received: rate=1\.0\. rate=1 would make"):
        layers.GaussianDropout(1.0, name="d")
    with pytest.raises(ValueError, match=r"GaussianDropout 'e': `seed` must be an integer >= 0 or None"):
        layers.GaussianDropout(0.1, seed=-3, name="e")


def test_activity_regularization_adds_keras_penalty_to_the_loss():
    x = np.array([[1.0, -2.0, 3.0], [0.0, 1.0, 0.0]], np.float32)
    model = dendrite.Sequential([dendrite.Input((3,)), layers.ActivityRegularization(l1=0.1, l2=0.2)])
    np.testing.assert_array_equal(model(x).numpy(), x)
    assert model.output_shape == (None, 3)
    # Keras 3.15.1 gives model.losses == [1.85]: (0.1 * 7 + 0.2 * 15) / batch size 2
    np.testing.assert_allclose([float(v.numpy()) for v in model.losses], [1.85], rtol=1e-6)
    model.compile("sgd", "mse")
    np.testing.assert_allclose(model.evaluate(x, x, verbose=0), 1.85, rtol=1e-6)  # mse 0 + the penalty
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    assert layers.ActivityRegularization.supports_masking

    def penalty(t):
        layer(t)
        return layer.losses[0]
    check_grads(penalty, [np.random.default_rng(2).uniform(0.2, 1.0, (2, 3))])


def test_activity_regularization_config_and_errors():
    layer = layers.ActivityRegularization(l2=0.5, name="act")
    config = layer.get_config()
    assert config == {"name": "act", "trainable": True, "dtype": "float32", "l1": 0.0, "l2": 0.5}  # Keras's keys
    again = layers.ActivityRegularization.from_config(config)
    assert again.get_config() == config and again.activity_regularizer.l2 == 0.5
    with pytest.raises(ValueError, match=r"ActivityRegularization 'r': `l1` must be a number >= 0\. "
                                         r"Received: l1=-1"):
        layers.ActivityRegularization(l1=-1, name="r")
    with pytest.raises(ValueError, match=r"ActivityRegularization: the penalty is set by `l1` and `l2`"):
        layers.ActivityRegularization(activity_regularizer="l2")


def test_alpha_dropout_keeps_selu_statistics_and_passes_inputs_through_in_inference():
    x = np.random.default_rng(0).standard_normal((200, 500)).astype("float32")  # mean 0, variance 1
    layer = layers.AlphaDropout(0.2, seed=3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    out = layer(x, training=True).numpy()
    saturated = 1.0507009873554804934193349852946 * -1.6732632423543772848170429916717
    a = ((1 - 0.2) * (1 + 0.2 * saturated ** 2)) ** -0.5
    dropped = np.isclose(out, a * saturated + -a * saturated * 0.2)
    assert abs(dropped.mean() - 0.2) < 0.01  # the rate of dropped entries
    assert abs(out.mean()) < 0.02 and abs(out.var() - 1.0) < 0.03  # a and b restore mean 0, variance 1
    assert layer.get_config()["rate"] == 0.2 and layer.get_config()["noise_shape"] is None
    run_layer_test(layers.AlphaDropout, {"rate": 0.3}, (3, 4), (3, 4), check_gradients=False)
    unseeded = layers.AlphaDropout(0.3)  # check_grads reseeds the global generator: the same mask every run
    check_grads(lambda t: unseeded(t, training=True), [np.random.default_rng(1).standard_normal((3, 4))])
    with pytest.raises(ValueError, match=r"AlphaDropout 'ad'.*rate"):
        layers.AlphaDropout(1.0, name="ad")


@pytest.mark.parametrize("data_format, channel_axis", [("channels_last", -1), ("channels_first", 1)])
def test_spatial_dropout_3d_drops_whole_volumes(data_format, channel_axis):
    """Keras 3's SpatialDropout3D: each (sample, channel) volume kept whole (scaled by 1 / (1 - rate)) or zeroed;
    config keys as Keras 3.15's (rate, seed, data_format; no noise_shape)."""
    layer = layers.SpatialDropout3D(0.4, data_format=data_format, seed=1)
    x = np.ones((16, 8, 2, 3, 4) if channel_axis == 1 else (16, 2, 3, 4, 8), np.float32)
    out = layer(x, training=True).numpy()
    volumes = np.moveaxis(out, channel_axis, 1).reshape(16, 8, -1)
    np.testing.assert_allclose(np.unique(volumes), [0.0, 1 / 0.6], rtol=1e-6)
    assert (volumes.min(axis=2) == volumes.max(axis=2)).all()  # one decision per volume
    assert 0 < (volumes[:, :, 0] == 0).mean() < 1
    np.testing.assert_array_equal(layer(x).numpy(), x)  # inference: unchanged
    config = layer.get_config()
    assert {"rate", "seed", "data_format"} <= set(config) and "noise_shape" not in config
    with pytest.raises(ValueError):
        layers.SpatialDropout3D(0.5)(np.ones((2, 3, 4, 5), np.float32), training=True)
