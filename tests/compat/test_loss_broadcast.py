"""Compatibility mode lets y_true broadcast to y_pred's shape in the losses, and binary cross-entropy take targets
outside [0, 1], as Keras does, with a warning; dendrite's own API keeps refusing both (dendrite/losses/inputs.py)."""
import numpy as np
import pytest

import dendrite

TOKENS = np.array([[1, 2, 3, 4, 5], [2, 3, 0, 0, 0]])
LABELS = np.array([[0.0], [1.0]])  # one label per sequence, while the model predicts one value per token


def _per_token_model(api):
    inputs = api.Input(shape=(None,), dtype="int64")
    hidden = api.layers.Embedding(input_dim=10, output_dim=4, embeddings_initializer="ones")(inputs)
    return api.Model(inputs, api.layers.Dense(1, kernel_initializer="ones")(hidden))


def test_keras_programs_broadcast_labels_with_a_warning(keras):
    model = _per_token_model(keras)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match=r"mean_squared_error: y_true of shape \(2, 1\) is broadcast to y_pred's "
                                         r"shape \(2, 5\), as Keras does"):
        loss = model.evaluate(TOKENS, LABELS, verbose=0)
    assert loss == pytest.approx(np.mean((4.0 - LABELS) ** 2))  # every token predicts 4 (4 ones times 1)
    assert np.isfinite(model.fit(TOKENS, LABELS, epochs=1, verbose=0).history["loss"][0])
    with pytest.raises(ValueError, match=r"y_true\.shape=\(2, 3\)"):  # shapes that do not broadcast: refused
        model.evaluate(TOKENS, np.zeros((2, 3)), verbose=0)


def test_dendrite_itself_refuses_the_mismatch():
    model = _per_token_model(dendrite)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"mean_squared_error: expected y_true with the same shape as y_pred"):
        model.evaluate(TOKENS, LABELS, verbose=0)


X = np.array([[0.5, -1.0], [2.0, 0.0]], np.float32)
PIXELS = np.array([[0.0, 255.0], [3.0, 1.0]], np.float32)  # targets not rescaled to [0, 1]
KERNEL = np.array([[1.0, 0.5], [-0.5, 2.0]], np.float32)


def _sigmoid_model(api):
    model = api.Sequential([api.layers.Dense(2, activation="sigmoid", use_bias=False, input_shape=(2,))])
    model.set_weights([KERNEL])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model


def test_keras_programs_may_give_binary_crossentropy_targets_outside_0_1(keras):
    """A denoising autoencoder fed unscaled pixels (hogum's notebook): Keras computes the loss without a check,
    here the sigmoid cross-entropy of the logits, so compatibility mode does too, warning once."""
    z = X @ KERNEL
    expected = np.mean(np.maximum(z, 0) - z * PIXELS + np.log1p(np.exp(-np.abs(z))))
    with pytest.warns(UserWarning, match=r"values from 0 to 255.*Keras computes the loss anyway"):
        assert _sigmoid_model(keras).evaluate(X, PIXELS, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_dendrite_itself_refuses_binary_targets_outside_0_1():
    with pytest.raises(ValueError, match=r"binary_crossentropy: expected targets y_true in \[0, 1\]"):
        _sigmoid_model(dendrite).evaluate(X, PIXELS, verbose=0)
