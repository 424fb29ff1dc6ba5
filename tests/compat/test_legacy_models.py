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


def test_keras_2_layer_node_accessors_and_to_yaml(keras):
    from keras.layers import Dense, Input
    from keras.models import Model
    a, b = Input((3,)), Input((5,))
    shared = Dense(2)
    out_a, out_b = shared(a), shared(Dense(3)(b))
    assert shared.get_input_at(0) is a and shared.get_output_at(1) is out_b
    assert shared.get_input_shape_at(1) == (None, 3) and shared.get_output_shape_at(0) == (None, 2)
    with np.testing.assert_raises_regex(ValueError, r"get_output_at: asked for node 2, but layer .* 2 time\(s\)"):
        shared.get_output_at(2)
    model = Model([a, b], [out_a, out_b])
    with np.testing.assert_raises_regex(RuntimeError, r"to_yaml\(\)` has been removed .*to_json\(\)"):
        model.to_yaml()


def test_keras_2_cudnn_layers_run_as_the_keras_3_layers_with_cudnns_settings(keras):
    from keras.layers import CuDNNGRU, CuDNNLSTM, Dense, GRU
    from keras.models import Sequential
    model = Sequential([CuDNNLSTM(8, input_shape=(5, 3), return_sequences=True), CuDNNGRU(4), Dense(1)])
    gru = model.layers[1]
    assert gru.reset_after and gru.recurrent_activation.__name__ == "sigmoid" and gru.name == "cu_dnngru"
    assert model.get_config()["layers"][1]["class_name"] == "LSTM"  # saved as the Keras 3 layer
    x = np.random.default_rng(0).random((4, 5, 3)).astype("float32")
    plain = GRU(4, reset_after=True)
    plain.build((None, 5, 8))
    plain.set_weights(gru.get_weights())
    hidden = model.layers[0](x)
    np.testing.assert_allclose(gru(hidden).numpy(), plain(hidden).numpy(), rtol=1e-6)


def test_keras_2_tensorboard_arguments_are_accepted(keras, tmp_path, capsys):
    from keras.callbacks import TensorBoard
    from keras.layers import Dense
    from keras.models import Sequential
    model = Sequential([Dense(1, input_dim=2)])
    model.compile("sgd", "mse")
    board = TensorBoard(log_dir=str(tmp_path), histogram_freq=1, batch_size=32, write_graph=True, write_grads=True)
    model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=1, verbose=0, validation_split=0.25, callbacks=[board])
    assert "batch_size, write_grads have no effect" in capsys.readouterr().err
    assert any(p.name.startswith("events") for p in tmp_path.rglob("*"))


def test_generator_methods_run_the_ceiling_of_a_float_step_count(keras):
    """Keras 2's loops ran while ``step < steps``: ``steps_per_epoch=60000/128`` ran 469 steps (a Portuguese
    course's augmentation script); Keras 3's fit takes integers only."""
    seen = []

    def batches():
        rng = np.random.default_rng(0)
        while True:
            seen.append(1)
            yield rng.normal(size=(4, 3)).astype("float32"), rng.integers(0, 2, (4,))

    model = keras.models.Sequential([keras.layers.Dense(2, activation="softmax", input_shape=(3,))])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit_generator(batches(), steps_per_epoch=10 / 4, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1 and len(seen) >= 3
    seen.clear()
    assert len(model.evaluate_generator(batches(), steps=3 / 2)) == 2 and len(seen) >= 2
    assert model.predict_generator(batches(), steps=1.5).shape == (8, 2)
