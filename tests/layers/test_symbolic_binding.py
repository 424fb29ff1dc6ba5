"""Keras 2's loss over a model's own symbolic layer outputs (dendrite.layers.symbolic_binding): a loss function
that reads the encoder's ``z_mean`` / ``z_log_var`` (Keras 2's VAE) trains and evaluates on the forward pass's
values, as tf.keras 2 computed it in graph mode (tests/fixtures/tf_compat/keras2_closure_loss.npz, written by
tools/make_tf_keras2_closure_loss_fixtures.py with tf_keras 2.21)."""
import os

import numpy as np
import pytest

import dendrite
import dendrite.compat
from dendrite import layers
from dendrite.layers import symbolic_binding

FIXTURE = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "tf_compat", "keras2_closure_loss.npz")


@pytest.fixture
def keras2():
    """Keras 2's namespaces (the compatibility mode): K and metrics as the Keras 2 VAE imports them."""
    dendrite.compat.install()
    import keras
    from keras import backend, metrics
    yield keras, backend, metrics
    dendrite.compat.uninstall()


def _vae(expected, keras2):
    _, K, metrics = keras2
    x = layers.Input(shape=(6,))
    h = layers.Dense(4, activation="relu")(x)
    z_mean = layers.Dense(2)(h)
    z_log_var = layers.Dense(2)(h)
    decoded = layers.Dense(6, activation="sigmoid")(
        layers.Dense(3, activation="relu")(layers.Concatenate()([z_mean, z_log_var])))
    vae = dendrite.Model(x, decoded)

    def vae_loss(x, x_decoded_mean):  # Keras 2's example: the KL term reads the encoder's symbolic outputs
        xent_loss = 6 * metrics.binary_crossentropy(x, x_decoded_mean)
        kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        return K.mean(xent_loss + kl_loss)

    vae.compile(optimizer=dendrite.optimizers.SGD(0.1), loss=vae_loss)
    vae.set_weights([expected[f"weight_{i}"] for i in range(10)])
    return vae


def test_a_loss_over_the_models_own_tensors_trains_as_tf_keras_2(keras2):
    with np.load(FIXTURE, allow_pickle=False) as f:
        expected = {k: f[k] for k in f.files}
    vae, batch = _vae(expected, keras2), expected["batch"]
    assert vae._binds_symbolic
    np.testing.assert_allclose(vae.evaluate(batch, batch, verbose=0), expected["loss_before"], rtol=1e-5)
    history = vae.fit(batch, batch, batch_size=8, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], expected["step_losses"], rtol=1e-5)
    for i, weight in enumerate(vae.get_weights()):
        np.testing.assert_allclose(weight, expected[f"after_{i}"], rtol=1e-4, atol=1e-6)
    assert not symbolic_binding.active()  # the binding ends with the step
    assert vae.predict(batch, verbose=0).shape == (8, 6)


def test_closures_globals_and_defaults_are_found(keras2):
    _, ops, _ = keras2
    x = layers.Input(shape=(3,))
    hidden = layers.Dense(2)(x)

    def plain(y, p):
        return ops.mean(ops.square(y - p))

    def by_default(y, p, h=hidden):
        return ops.mean(ops.square(y - p)) + ops.mean(h)

    def nested():
        def loss(y, p):
            return ops.mean(hidden) + ops.mean(p)
        return loss

    assert not symbolic_binding.closes_over_symbolic(plain)
    assert not symbolic_binding.closes_over_symbolic(["mse", plain, {"a": "mae"}])
    assert symbolic_binding.closes_over_symbolic(by_default)
    assert symbolic_binding.closes_over_symbolic(nested())
    assert symbolic_binding.closes_over_symbolic({"out": [plain, by_default]})


def test_a_tensor_of_another_model_and_a_tensor_outside_a_step_raise_clearly(keras2):
    _, ops, _ = keras2
    other = layers.Dense(2)(layers.Input(shape=(3,)))
    x = layers.Input(shape=(3,))
    model = dendrite.Model(x, layers.Dense(3)(x))

    def loss(y, p):
        return ops.mean(ops.square(y - p)) + ops.mean(other)

    model.compile("sgd", loss=loss)
    data = np.ones((4, 3), "float32")
    with pytest.raises(ValueError, match="which this model's forward pass does not compute"):
        model.fit(data, data, verbose=0)
    with pytest.raises(ValueError, match="given both a symbolic tensor .* and a tensor with values"):
        model(data) + other  # a Tensor and a KerasTensor outside a training step
    symbolic = np.ones(3, "float32") * other[:, :1]  # NumPy on the left still builds the graph
    assert isinstance(symbolic, dendrite.layers.node.KerasTensor) and symbolic.shape == (None, 3)
