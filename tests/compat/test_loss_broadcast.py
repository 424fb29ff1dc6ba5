"""Compatibility mode lets y_true broadcast to y_pred's shape in the losses, as Keras does, with a warning;
dendrite's own API keeps refusing the mismatch (dendrite/losses/inputs.py)."""
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
