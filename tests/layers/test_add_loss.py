"""tf.keras 2's functional ``model.add_loss(symbolic_tensor)`` (models/functional.py, layers/add_loss.py): the loss,
computed from the model's inputs and layer outputs, joins the graph through an AddLoss layer and is added to
the compiled loss at every step. The tf.keras 2 figures below were printed by tf_keras 2.21 running the same
model (constant kernel 0.1, zero bias, x = RandomState(0).rand(8, 4))."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.layers.add_loss import AddLoss
from dendrite.testing import check_grads

X = np.random.RandomState(0).rand(8, 4).astype("float32")
W = np.full((4, 3), 0.1, "float32")


def _mean(t):
    return layers.Lambda(lambda v: keras.ops.mean(v))(t)


def _model():
    inputs = keras.Input((4,))
    outputs = layers.Dense(3, kernel_initializer=keras.initializers.Constant(0.1), name="d")(inputs)
    return inputs, outputs, keras.Model(inputs, outputs)


def test_added_losses_are_computed_each_step_and_summed_with_the_compiled_loss():
    inputs, outputs, model = _model()
    model.add_loss(0.5 * _mean(inputs))
    model.add_loss(_mean(outputs * outputs))
    y = X @ W
    added = 0.5 * X.mean() + (y ** 2).mean()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    assert model.evaluate(X, verbose=0) == pytest.approx(added, rel=1e-6)
    assert model.evaluate(X, verbose=0) == pytest.approx(0.34375685453414917, rel=1e-6)  # tf_keras 2.21
    model.compile(optimizer="sgd", loss="mse")
    zeros = np.zeros((8, 3), "float32")
    assert model.evaluate(X, zeros, verbose=0) == pytest.approx(added + (y ** 2).mean(), rel=1e-6)
    assert [layer.name for layer in model.layers if isinstance(layer, AddLoss)] == ["add_loss", "add_loss_1"]
    assert model.layers[-1].get_config()["unconditional"] is False
    np.testing.assert_allclose(model.predict(X, verbose=0), y, rtol=1e-6)  # the outputs are unchanged


def test_a_loss_per_sample_is_summed_and_trains_as_tf_keras_2_does():
    inputs, outputs, model = _model()
    model.add_loss(layers.Lambda(lambda v: keras.ops.sum(keras.ops.square(v), axis=-1))(outputs))
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    y = X @ W
    # Keras 3 sums what add_loss gives; tf_keras 2.21 logs the mean (0.16537688) but its gradient is the sum's
    assert model.evaluate(X, verbose=0) == pytest.approx((y ** 2).sum(), rel=1e-6)
    model.fit(X, epochs=1, batch_size=8, verbose=0)
    np.testing.assert_allclose(model.get_layer("d").get_weights()[0][0], [-0.10207785] * 3, rtol=1e-5)


def test_a_vae_trains_on_its_added_loss_with_validation_data_without_targets():
    rng = np.random.default_rng(0)
    x = (rng.random((256, 16)) < 0.3).astype("float32")
    inputs = keras.Input((16,))
    h = layers.Dense(8, activation="relu")(inputs)
    z_mean, z_log_var = layers.Dense(2)(h), layers.Dense(2)(h)
    z = layers.Lambda(lambda a: a[0] + keras.ops.exp(0.5 * a[1]) * keras.random.normal(tuple(a[0].shape)))(
        [z_mean, z_log_var])
    outputs = layers.Dense(16, activation="sigmoid")(layers.Dense(8, activation="relu")(z))
    vae = keras.Model(inputs, outputs)
    reconstruction = keras.losses.binary_crossentropy(inputs, outputs) * 16
    kl = layers.Lambda(lambda a: -0.5 * keras.ops.sum(1 + a[1] - keras.ops.square(a[0]) - keras.ops.exp(a[1]),
                                                      axis=-1))([z_mean, z_log_var])
    vae.add_loss(_mean(reconstruction + kl))
    vae.compile(optimizer=keras.optimizers.Adam(0.01))
    history = vae.fit(x, epochs=8, batch_size=32, validation_data=(x, None), verbose=0)
    assert sorted(history.history) == ["loss", "val_loss"]
    assert history.history["loss"][-1] < 0.9 * history.history["loss"][0]


def test_the_config_keeps_the_added_loss_and_the_rebuilt_model_computes_it():
    inputs, outputs, model = _model()
    per_sample = layers.Dense(1, use_bias=False, kernel_initializer="ones", trainable=False)(outputs * outputs)
    model.add_loss(per_sample)
    model.compile(optimizer="sgd")
    expected = model.evaluate(X, verbose=0)
    rebuilt = keras.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    rebuilt.compile(optimizer="sgd")
    assert [type(layer).__name__ for layer in rebuilt.layers][-1] == "AddLoss"
    assert rebuilt.evaluate(X, verbose=0) == pytest.approx(expected, rel=1e-6)
    assert expected == pytest.approx(((X @ W) ** 2).sum(), rel=1e-6)


def test_a_model_with_an_added_loss_adds_it_when_called_inside_another_model():
    inputs, outputs, inner = _model()
    inner.add_loss(_mean(outputs * outputs))
    outer_in = keras.Input((4,))
    outer = keras.Model(outer_in, layers.Dense(1)(inner(outer_in)))
    outer(X)
    assert len(outer.losses) == 1
    assert float(outer.losses[0]) == pytest.approx(((X @ W) ** 2).mean(), rel=1e-6)


def test_add_loss_layer_passes_its_input_on_and_its_loss_is_differentiable():
    layer = AddLoss()
    x = np.random.default_rng(1).standard_normal((3, 2))

    def f(v):
        out = layer(v)
        return keras.ops.add(keras.ops.sum(out), keras.ops.multiply(layer.losses[-1], 2.0))
    check_grads(lambda v: layer(v), [x])
    check_grads(f, [x])


def test_a_symbolic_loss_not_computed_from_the_model_inputs_is_refused_and_the_model_still_works():
    inputs, outputs, model = _model()
    other = keras.Input((4,), name="other")
    with pytest.raises(ValueError, match=r"not connected to the inputs.*'other'"):
        model.add_loss(_mean(other))
    model.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(X, X @ W, verbose=0) == pytest.approx(0.0, abs=1e-10)


def test_add_loss_of_a_symbolic_tensor_on_a_layer_names_the_functional_model():
    inputs = keras.Input((4,))
    dense = layers.Dense(2)
    outputs = dense(inputs)
    with pytest.raises(NotImplementedError, match=r"Dense.add_loss of a symbolic tensor.*only a functional Model"):
        dense.add_loss(_mean(outputs))
