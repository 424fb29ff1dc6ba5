"""Keras 2 model methods the hooks add back (dendrite.compat.legacy_models)."""
import numpy as np


def test_model_reset_states_zeroes_every_stateful_layer(keras):
    from keras.layers import LSTM, Dense
    from keras.models import Sequential
    model = Sequential([keras.Input(batch_shape=(2, 3, 1)), LSTM(4, stateful=True, return_sequences=True),
                        LSTM(3, stateful=True), Dense(1)])
    x = np.random.default_rng(0).random((2, 3, 1)).astype("float32")
    first = model.predict(x, batch_size=2, verbose=0)
    second = model.predict(x, batch_size=2, verbose=0)
    assert not np.allclose(first, second)  # the states carried over from the first call
    model.reset_states()
    states = [s for layer in model.layers if getattr(layer, "stateful", False) for s in layer.states]
    assert len(states) == 4 and all(np.all(np.asarray(s.value) == 0) for s in states)
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), first, rtol=1e-6)
