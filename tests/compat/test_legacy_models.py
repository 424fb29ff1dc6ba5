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


def test_keras_2_faq_intermediate_output_with_the_learning_phase_and_make_predict_function(keras):
    """Keras 2's FAQ: K.function([model.input, K.learning_phase()], [layer.output]) called with the phase's value
    (0: inference, dropout off; 1: training, dropout on); Flask tutorials' model._make_predict_function()."""
    from keras import backend as K
    from keras.layers import Dense, Dropout
    from keras.models import Sequential
    model = Sequential([Dense(64, input_dim=3, activation="relu", kernel_initializer="ones"), Dropout(0.5)])
    model._make_predict_function()
    x = np.ones((4, 3), "float32")
    get_output = K.function([model.layers[0].input, K.learning_phase()], [model.layers[1].output])
    test_mode = get_output([x, 0])[0]
    np.testing.assert_allclose(test_mode, np.full((4, 64), 3.0))
    train_mode = get_output([x, 1])[0]
    assert set(np.unique(train_mode)) <= {0.0, 6.0} and (train_mode == 0).any()  # dropped, the rest scaled by 2
    with np.testing.assert_raises_regex(ValueError, r"K.function: expected 2 input value\(s\).*learning phase"):
        get_output([x])


def test_keras_1_model_input_output_keywords(keras, capsys):
    from keras.layers import Dense, Input
    from keras.models import Model
    a, b = Input((3,)), Input((2,))
    model = Model(input=[a, b], output=Dense(1)(keras.layers.concatenate([a, b])))
    assert model.output_shape == (None, 1) and len(model.inputs) == 2
    assert "Keras 1 spelling of Model(inputs=..., outputs=...)" in capsys.readouterr().err
    with np.testing.assert_raises_regex(TypeError, r"unrecognized keyword argument\(s\) \['input'\]"):
        Model(input=a)
