"""SpectralNormalization: the training call's output, kernel and vector_u against Keras's
(tests/fixtures/keras/layers3, same weights), gradients, the kernel's spectral norm brought to 1, Keras's
weights and config keys, .keras files, training in fit, errors."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.layers import SpectralNormalization
from dendrite.testing import check_grads
from keras_layers3 import arrays, built, case_id, cases, keras_file_round_trip


@pytest.mark.parametrize("i, case", cases("SpectralNormalization"), ids=case_id)
def test_call_output_kernel_and_vector_match_keras_and_gradients(i, case):
    x, weights, expected, extras = arrays(i)
    layer = built(case, x, weights)
    training = case["call"]["training"]
    np.testing.assert_allclose(layer(x, training=training).numpy(), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer.kernel.numpy(), extras["k"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.vector_u.numpy(), extras["u"], rtol=1e-5, atol=1e-6)
    if not training:
        np.testing.assert_array_equal(layer.kernel.numpy(), weights[0])  # inference leaves the kernel alone
    # the forward is the wrapped layer's with the kernel as it stands (training assigns a new one first)
    check_grads(lambda x_: layer(x_, training=False), [x], params=layer.trainable_weights)


def test_training_calls_bring_the_spectral_norm_to_one():
    layer = SpectralNormalization(layers.Conv2D(4, 3), power_iterations=3)
    x = np.random.default_rng(0).standard_normal((2, 6, 6, 3)).astype(np.float32)
    layer(x)
    layer.kernel.assign(layer.kernel.numpy() * 7)
    for _ in range(5):
        layer(x, training=True)
    matrix = layer.kernel.numpy().reshape(-1, 4)
    np.testing.assert_allclose(np.linalg.norm(matrix, 2), 1.0, rtol=1e-3)
    zero = SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    zero(x[:, 0, 0], training=True)  # an all-zero kernel is left as it is (no division by zero)
    assert np.all(zero.kernel.numpy() == 0) and np.all(np.isfinite(zero.vector_u.numpy()))


def test_keras_weights_and_config_keys():
    layer = SpectralNormalization(layers.Dense(3))
    layer(np.zeros((2, 5), np.float32))
    assert [(w.name, w.shape, w.trainable) for w in layer.weights] == [
        ("kernel", (5, 3), True), ("vector_u", (1, 3), False), ("bias", (3,), True)]
    assert layer.count_params() == 21 and len(layer.trainable_weights) == 2
    assert abs(float(layer.vector_u.numpy().std()) - 0.02) < 0.02  # TruncatedNormal(stddev=0.02)
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "layer", "power_iterations"}
    assert config["power_iterations"] == 1 and config["layer"]["class_name"] == "Dense"
    embedded = SpectralNormalization(layers.Embedding(10, 4))
    embedded(np.array([[1, 2, 3]]))
    assert [w.name for w in embedded.weights] == ["embeddings", "vector_u"]


def test_config_and_keras_file_round_trip(tmp_path):
    layer = SpectralNormalization(layers.Conv2D(3, 2, name="inner"), power_iterations=2)
    x = np.random.default_rng(0).standard_normal((2, 5, 5, 2)).astype(np.float32)
    layer(x, training=True)  # vector_u moves away from its initial value
    config = layer.get_config()
    clone = SpectralNormalization.from_config(config)
    assert clone.get_config()["layer"]["config"] == config["layer"]["config"] and clone.power_iterations == 2
    again = keras_file_round_trip(layer, x, tmp_path)
    np.testing.assert_array_equal(again.vector_u.numpy(), layer.vector_u.numpy())


def test_trains_in_fit():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 4)).astype(np.float32)
    y = (x @ np.array([[0.5], [-0.3], [0.2], [0.1]], np.float32)).astype(np.float32)
    model = dendrite.Sequential([layers.Input(shape=(4,)), SpectralNormalization(layers.Dense(1))])
    model.compile(optimizer=dendrite.optimizers.Adam(0.05), loss="mse")
    u = model.layers[0].vector_u.numpy().copy()
    history = model.fit(x, y, batch_size=32, epochs=10, verbose=0).history
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert not np.allclose(model.layers[0].vector_u.numpy(), u)  # the power iteration ran in training


def test_errors_name_the_layer_and_what_is_wrong():
    with pytest.raises(ValueError, match=r"`layer` must be a layer instance with a kernel"):
        SpectralNormalization("dense")
    with pytest.raises(ValueError, match=r"SpectralNormalization 'sn': `power_iterations` must be a positive int"):
        SpectralNormalization(layers.Dense(2), power_iterations=0, name="sn")
    with pytest.raises(ValueError, match=r"the wrapped layer Dropout 'drop' has no `kernel` nor `embeddings`"):
        SpectralNormalization(layers.Dropout(0.5, name="drop"))(np.zeros((2, 3), np.float32))
    layer = SpectralNormalization(layers.Dense(2), name="sn2")
    layer(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"layer 'sn2' is incompatible with the layer: expected axis -1 .* value 3"):
        layer(np.zeros((2, 4), np.float32))
