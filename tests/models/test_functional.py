"""The functional Model and the graph attributes it shares with a Sequential of known input, as in Keras 3:
model.input/output/inputs/outputs, get_layer, layer.input/output, the InputLayer at the head of
model.layers, the feature-extraction pattern, and the adjustment of the data's rank to the model input's.
Expected lists and messages were taken from Keras 3.15."""
import re

import numpy as np
import pytest

import dendrite as keras
from dendrite import layers
from dendrite.testing import check_grads
from reference import ref_conv2d


def _base():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((6, 6, 1)), layers.Conv2D(2, 3, name="c1"), layers.Flatten(),
                             layers.Dense(3, name="out")])


def re_shape(shape):
    """A shape tuple as a regular expression."""
    return "\\(" + ", ".join(str(s) for s in shape) + (",\\)" if len(shape) == 1 else "\\)")


def _data(n=5, shape=(6, 6, 1), seed=1):
    return np.random.default_rng(seed).standard_normal((n,) + shape).astype(np.float32)


# ------------------------------------------------------------ model attributes
def test_functional_model_input_output_are_its_tensors():
    inp = keras.Input((4,))
    hidden = layers.Dense(3, name="hidden")
    out = layers.Dense(2, name="head")(hidden(inp))
    model = keras.Model(inp, out)
    assert model.input is inp and model.output is out
    assert model.inputs == [inp] and model.outputs == [out]
    assert isinstance(model.inputs, list) and isinstance(model.outputs, list)
    assert model.output.shape == (None, 2)


def test_functional_layers_start_with_the_input_layer_as_in_keras():
    inp = keras.Input((4,))
    model = keras.Model(inp, layers.Dense(2)(layers.Dense(3)(inp)))
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense", "Dense"]  # Keras 3.15
    input_layer = model.layers[0]
    assert input_layer.output is inp and input_layer.weights == [] and input_layer.count_params() == 0
    assert input_layer.input == []  # Keras 3: an InputLayer consumes no tensor
    assert model.layers[1].kernel.shape == (4, 3) and model.layers[2].kernel.shape == (3, 2)
    assert model.count_params() == 15 + 8 and len(model.weights) == 4
    # the Sequential's list stays without the InputLayer, as in Keras
    seq = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    assert [type(layer).__name__ for layer in seq.layers] == ["Dense", "Dense"]


def test_functional_summary_shows_the_input_layer_row_as_tf_keras_2(capsys):
    inp = keras.Input((4,), name="pixels")
    x = layers.Dense(3, name="hidden")(inp)
    model = keras.Model(inp, layers.Dense(2, name="head")(x), name="net")
    model.summary()
    assert capsys.readouterr().out.splitlines() == [
        'Model: "net"',
        "_" * 65,
        "Layer (type)                 Output Shape              Param #   ",
        "=" * 65,
        "pixels (InputLayer)          [(None, 4)]               0         ",
        "_" * 65,
        "hidden (Dense)               (None, 3)                 15        ",
        "_" * 65,
        "head (Dense)                 (None, 2)                 8         ",
        "=" * 65,
        "Total params: 23",
        "Trainable params: 23",
        "Non-trainable params: 0",
        "_" * 65,
    ]


def test_sequential_with_a_known_input_has_symbolic_input_and_output():
    base = _base()
    assert base.input.shape == (None, 6, 6, 1) and base.output.shape == (None, 3)
    assert base.inputs == [base.input] and base.outputs == [base.output]
    assert base.output is base.get_layer("out").output
    from_shape = keras.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(1)])
    assert from_shape.input.shape == (None, 4) and from_shape.output.shape == (None, 1)
    built = keras.Sequential([layers.Dense(3), layers.Dense(1)])
    built.build((None, 5))
    assert built.input.shape == (None, 5) and built.outputs[0].shape == (None, 1)
    on_data = keras.Sequential([layers.Dense(2)])
    on_data(np.ones((3, 7)))
    assert on_data.input.shape == (None, 7) and on_data.output.shape == (None, 2)


@pytest.mark.parametrize("attribute", ["input", "output", "inputs", "outputs"])
def test_sequential_without_input_shape_has_no_input_yet(attribute):
    model = keras.Sequential([layers.Dense(3)], name="lazy")
    with pytest.raises(AttributeError, match=rf"Sequential model 'lazy' has no defined {attribute.rstrip('s')} yet"
                                             r".*Input.*model\.(in|out)put or model\.(in|out)puts"):
        getattr(model, attribute)


def test_get_layer_by_name_and_index_on_both_model_kinds():
    base = _base()
    assert base.get_layer("c1") is base.layers[0] and base.get_layer(index=-1) is base.get_layer("out")
    inp = keras.Input((4,))
    hidden = layers.Dense(3, name="hidden")
    model = keras.Model(inp, layers.Dense(2, name="head")(hidden(inp)))
    assert model.get_layer("hidden") is hidden and model.get_layer(index=1) is hidden
    assert type(model.get_layer(index=0)).__name__ == "InputLayer"
    assert model.get_layer(model.layers[0].name) is model.layers[0]


def test_get_layer_errors_name_what_exists():
    base = _base()
    with pytest.raises(ValueError, match=r"No such layer: nope\. Existing layers are: \['c1', 'flatten.*', 'out'\]"):
        base.get_layer("nope")
    with pytest.raises(ValueError, match=r"index 3, but the model only has 3 layers"):
        base.get_layer(index=3)
    with pytest.raises(ValueError, match=r"not both.*name='c1', index=0"):
        base.get_layer("c1", 0)
    with pytest.raises(ValueError, match=r"either a layer name or a layer index"):
        base.get_layer()


# ------------------------------------------------------------ layer.input / layer.output
def test_layer_input_and_output_are_the_tensors_of_its_call():
    inp = keras.Input((4,))
    hidden = layers.Dense(3)
    mid = hidden(inp)
    head = layers.Dense(2)
    out = head(mid)
    assert hidden.input is inp and hidden.output is mid
    assert head.input is mid and head.output is out


@pytest.mark.parametrize("attribute", ["input", "output"])
def test_layer_never_called_has_no_input_or_output(attribute):
    layer = layers.Dense(3, name="fresh")
    with pytest.raises(AttributeError, match=rf"The layer fresh has never been called and thus has no defined "
                                             rf"{attribute}\."):
        getattr(layer, attribute)
    layer(np.ones((2, 4)))  # a call on data builds the layer but makes no symbolic tensor
    with pytest.raises(AttributeError, match="never been called"):
        getattr(layer, attribute)


def test_a_layer_called_twice_reports_its_first_call_as_keras_3_does():
    inp = keras.Input((4,))
    shared = layers.Dense(4)
    first = shared(inp)
    second = shared(first)
    assert shared.input is inp and shared.output is first and second.shape == (None, 4)


def test_rebuilding_a_sequential_keeps_its_layers_outputs_connected():
    base = _base()
    c1 = base.get_layer("c1")
    before = c1.output
    base.add(layers.Dense(4, name="extra"))
    assert base.output.shape == (None, 4) and base.output is base.get_layer("extra").output
    assert c1.output is not before and c1.output is base.layers[1].input  # the current graph's tensors
    feat = keras.Model(base.input, c1.output)  # still reaches the model's input
    x = _data()
    np.testing.assert_allclose(feat.predict(x, verbose=0), ref_conv2d(x, *c1.get_weights()),
                               rtol=1e-5, atol=1e-5)
    base.pop()
    assert base.output is base.get_layer("out").output and base.output.shape == (None, 3)


def test_adding_to_a_sequential_built_from_data_moves_its_output():
    x = np.random.default_rng(4).standard_normal((2, 5)).astype(np.float32)
    s = keras.Sequential([layers.Dense(3)])
    s(x)  # built from the data: no Input was given
    s.add(layers.Dense(1))
    assert s.outputs[0].shape == (None, 1)  # Keras 3.15: (None, 1)
    assert keras.Model(s.inputs, s.outputs).predict(x, verbose=0).shape == (2, 1) == s.predict(x, verbose=0).shape
    s.pop()
    assert s.output.shape == (None, 3)


# ------------------------------------------------------------ feature extraction
def test_feature_model_from_a_sequential_shares_weights_and_predicts_the_layer_output():
    base = _base()
    c1 = base.get_layer("c1")
    feat = keras.Model(base.inputs, c1.output)
    feat_by_index = keras.Model(base.input, base.layers[0].output)
    assert [type(layer).__name__ for layer in feat.layers] == ["InputLayer", "Conv2D"]  # Keras 3.15
    assert feat.get_layer("c1") is c1 and feat.weights[0] is c1.kernel
    x = _data()
    kernel, bias = c1.get_weights()
    expected = ref_conv2d(x, kernel, bias)
    np.testing.assert_allclose(feat.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(feat_by_index.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(feat.predict(x, verbose=0), c1(x).numpy(), rtol=1e-6, atol=1e-6)
    # training the base model moves the shared weights, and the feature model sees them
    base.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    base.fit(x, np.ones((5, 3)), epochs=2, verbose=0)
    new_kernel, new_bias = c1.get_weights()
    assert not np.allclose(new_kernel, kernel)
    np.testing.assert_allclose(feat.predict(x, verbose=0), ref_conv2d(x, new_kernel, new_bias),
                               rtol=1e-5, atol=1e-5)


def test_feature_model_from_a_functional_model_matches_numpy():
    keras.utils.set_random_seed(2)
    inp = keras.Input((5,))
    hidden = layers.Dense(4, activation="relu", name="hidden")
    model = keras.Model(inp, layers.Dense(2, activation="softmax")(hidden(inp)))
    feat = keras.Model(model.input, model.get_layer("hidden").output)
    x = np.random.default_rng(3).standard_normal((6, 5)).astype(np.float32)
    w, b = hidden.get_weights()
    np.testing.assert_allclose(feat.predict(x, verbose=0), np.maximum(x @ w + b, 0), rtol=1e-5, atol=1e-6)
    # and a new head on the extracted features trains without touching the frozen base
    hidden.trainable = False
    head = layers.Dense(1, name="new_head")
    transfer = keras.Model(model.input, head(model.get_layer("hidden").output))
    assert [type(layer).__name__ for layer in transfer.layers] == ["InputLayer", "Dense", "Dense"]
    transfer.compile(optimizer="sgd", loss="mse")
    transfer.fit(x, np.ones((6, 1)), epochs=2, verbose=0)
    np.testing.assert_array_equal(hidden.get_weights()[0], w)
    hk, hb = head.get_weights()
    np.testing.assert_allclose(transfer.predict(x, verbose=0), np.maximum(x @ w + b, 0) @ hk + hb,
                               rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------ input rank adjustment
def test_sequential_squeezes_or_adds_the_trailing_channel_axis_as_keras_3():
    model = keras.Sequential([keras.Input((6, 6, 1)), layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(3)])
    x = _data()
    with_axis = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.predict(x[..., 0], verbose=0), with_axis, rtol=1e-6)
    np.testing.assert_allclose(model(x[..., 0]).numpy(), with_axis, rtol=1e-5, atol=1e-6)
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros((5, 3), np.float32)
    weights = model.get_weights()
    model.fit(x[..., 0], y, epochs=1, batch_size=5, verbose=0, shuffle=False)
    after_2d = model.get_weights()
    model.set_weights(weights)
    model.fit(x, y, epochs=1, batch_size=5, verbose=0, shuffle=False)
    for a, b in zip(after_2d, model.get_weights()):  # the same step either way
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert model.evaluate(x[..., 0], y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)


def test_functional_squeezes_a_trailing_axis_of_size_one():
    inp = keras.Input((4,))
    model = keras.Model(inp, layers.Dense(2)(inp))
    x = np.random.default_rng(4).standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x[..., None], verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    column = keras.Input((3, 1))
    col_model = keras.Model(column, layers.Flatten()(column))
    np.testing.assert_allclose(col_model.predict(x[:, :3], verbose=0), x[:, :3], rtol=1e-6)


@pytest.mark.parametrize("shape", [(3, 4, 2), (3,), (3, 4, 1, 1), (3, 5)])
def test_other_input_shape_differences_are_clear_errors(shape):
    inp = keras.Input((4,))
    model = keras.Model(inp, layers.Dense(2)(inp), name="net")
    with pytest.raises(ValueError, match=rf"layer 'net'.*expected shape=\(None, 4\), found shape="
                                         rf"{re_shape(shape)}"):
        model.predict(np.ones(shape), verbose=0)


def test_sequential_other_rank_differences_are_clear_errors():
    model = keras.Sequential([keras.Input((6, 6, 1)), layers.Conv2D(2, 3), layers.Flatten()], name="cnn")
    with pytest.raises(ValueError,
                       match=r"layer 'cnn'.*expected shape=\(None, 6, 6, 1\), found shape=\(2, 6, 6, 1, 2\)"):
        model.predict(np.ones((2, 6, 6, 1, 2)), verbose=0)
    with pytest.raises(ValueError, match=r"layer 'cnn'.*found shape=\(2, 6, 6, 2, 1\)"):  # squeezed, still wrong
        model.predict(np.ones((2, 6, 6, 2, 1)), verbose=0)
    with pytest.raises(ValueError, match=r"layer 'cnn'.*found shape=\(2, 36\)"):
        model.predict(np.ones((2, 36)), verbose=0)
    flat = keras.Sequential([keras.Input((6, 6)), layers.Flatten()], name="flat")  # last size 6, not 1
    with pytest.raises(ValueError, match=r"layer 'flat'.*expected shape=\(None, 6, 6\), found shape=\(2, 6\)"):
        flat.predict(np.ones((2, 6)), verbose=0)


# ------------------------------------------------------------- get_config / from_config
def _same_function(a, b, x):
    """b rebuilt from a's config: same layer classes, names and shapes; with a's weights, same outputs."""
    assert [type(l).__name__ for l in a.layers] == [type(l).__name__ for l in b.layers]
    assert [l.name for l in a.layers] == [l.name for l in b.layers]
    assert [w.shape for w in a.get_weights()] == [w.shape for w in b.get_weights()]
    b.set_weights(a.get_weights())
    np.testing.assert_allclose(b.predict(x, verbose=0), a.predict(x, verbose=0), rtol=1e-6)


def test_sequential_config_round_trip():
    x = np.random.default_rng(1).standard_normal((5, 8, 8, 1)).astype(np.float32)
    with_input = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(3, 3, activation="relu"),
                                   layers.BatchNormalization(), layers.Flatten(), layers.Dropout(0.2),
                                   layers.Dense(4, kernel_constraint="max_norm", activation="softmax")],
                                  name="stack")
    again = keras.Sequential.from_config(with_input.get_config())
    assert again.name == "stack" and again.input.shape == (None, 8, 8, 1)
    assert isinstance(again.layers[-1].kernel_constraint, keras.constraints.MaxNorm)
    _same_function(with_input, again, x)
    no_input = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    again = keras.Sequential.from_config(no_input.get_config())
    assert not again.built and [l.units for l in again.layers] == [4, 2]
    with pytest.raises(ValueError, match="unknown layer class 'MyCustomLayer'"):
        keras.Sequential.from_config({"name": "s", "layers": [{"class_name": "MyCustomLayer", "config": {}}]})


def test_functional_config_round_trip_keeps_shared_layers_shared():
    x = np.random.default_rng(2).standard_normal((5, 6)).astype(np.float32)
    i = keras.Input((6,), name="features")
    shared = layers.Dense(6, activation="tanh", name="shared")
    h = shared(shared(i))  # one layer called twice: one set of weights
    out = layers.Dense(2, name="head")(layers.Dropout(0.1)(h))
    model = keras.Model(i, out, name="net")
    config = model.get_config()
    shared_entry = next(entry for entry in config["layers"] if entry["name"] == "shared")
    history = [node["args"][0]["config"]["keras_history"] for node in shared_entry["inbound_nodes"]]
    assert history == [["features", 0, 0], ["shared", 0, 0]]  # the second call reads the first's output
    assert config["input_layers"] == ["features", 0, 0] and config["output_layers"] == ["head", 0, 0]  # as Keras 3
    again = keras.Model.from_config(config)
    assert again.name == "net" and again.layers[0].name == "features"
    assert len(again.get_weights()) == 4  # shared kernel and bias once, head kernel and bias
    _same_function(model, again, x)
    with pytest.raises(ValueError, match="expected a functional model's config"):
        keras.Model.from_config({"name": "x"})


# ------------------------------------------------------------ tensors given as keyword arguments
def _seq2seq(units=5, name="seq2seq"):
    enc_in, dec_in = keras.Input((6, 3), name="enc_in"), keras.Input((4, 2), name="dec_in")
    _, h, c = layers.LSTM(units, return_state=True, name="encoder")(enc_in)
    dec = layers.LSTM(units, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    return keras.Model([enc_in, dec_in], layers.Dense(2, name="head")(dec), name=name)


def _seq_data(n=8, seed=4):
    r = np.random.default_rng(seed)
    return r.standard_normal((n, 6, 3)).astype(np.float32), r.standard_normal((n, 4, 2)).astype(np.float32)


def test_a_decoder_started_from_the_encoders_states_runs_as_its_layers_do(capsys):
    keras.utils.set_random_seed(0)
    model = _seq2seq()
    assert [layer.name for layer in model.layers] == ["enc_in", "dec_in", "encoder", "decoder", "head"]
    # encoder 4*5*(3+5+1), decoder 4*5*(2+5+1), head 5*2+2: Keras's counts for this model
    assert model.count_params() == 180 + 160 + 12
    xe, xd = _seq_data()
    _, h, c = model.get_layer("encoder")(xe)
    expected = model.get_layer("head")(model.get_layer("decoder")(xd, initial_state=[h, c]))
    np.testing.assert_allclose(model.predict([xe, xd], verbose=0), expected.numpy(), rtol=1e-6)
    zero_start = model.get_layer("head")(model.get_layer("decoder")(xd)).numpy()
    assert not np.allclose(expected.numpy(), zero_start, atol=1e-3)  # the states matter
    model.summary()
    assert re.search(r"\ndecoder \(LSTM\) +\(None, 4, 5\) +160 +dec_in\[0\]\[0\] *\n +encoder\[0\]\[1\] *\n"
                     r" +encoder\[0\]\[2\]", capsys.readouterr().out)


def test_the_states_are_written_in_keras_3s_config_format_and_read_back():
    keras.utils.set_random_seed(0)
    model = _seq2seq()
    config = model.get_config()
    decoder = next(entry for entry in config["layers"] if entry["name"] == "decoder")
    (node,) = decoder["inbound_nodes"]
    assert node["args"][0]["config"]["keras_history"] == ["dec_in", 0, 0]
    assert [s["class_name"] for s in node["kwargs"]["initial_state"]] == ["__keras_tensor__"] * 2
    assert [s["config"]["keras_history"] for s in node["kwargs"]["initial_state"]] == [["encoder", 0, 1],
                                                                                        ["encoder", 0, 2]]
    assert node["kwargs"]["initial_state"][0]["config"]["shape"] == [None, 5]
    again = keras.Model.from_config(config)
    again.set_weights(model.get_weights())
    xe, xd = _seq_data()
    np.testing.assert_allclose(again.predict([xe, xd], verbose=0), model.predict([xe, xd], verbose=0), rtol=1e-6)
    assert again.get_config() == config


def test_the_seq2seq_model_trains_and_its_gradients_pass_through_the_initial_state():
    keras.utils.set_random_seed(0)
    model = _seq2seq(units=4)
    xe, xd = _seq_data(n=32)
    y = np.repeat(xe[:, -1:, :2], 4, axis=1)  # the decoder must carry what the encoder saw last
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    loss = model.fit([xe, xd], y, epochs=8, batch_size=16, verbose=0).history["loss"]
    assert loss[-1] < 0.8 * loss[0]
    encoder = model.get_layer("encoder")
    with keras.GradientTape() as tape:
        out = model([xe[:4], xd[:4]])
    grads = tape.gradient(out, encoder.trainable_weights)
    assert all(np.abs(g).max() > 0 for g in grads)  # the encoder learns only through the decoder's states
    check_grads(lambda a, b: model([a, b]), [xe[:3], xd[:3]], params=model.trainable_weights, elementwise_limit=0)


def test_a_decoder_shared_by_two_calls_keeps_each_calls_states():
    enc_in = keras.Input((6, 3), name="enc_in")
    first, second = keras.Input((4, 2), name="first"), keras.Input((4, 2), name="second")
    _, h, c = layers.LSTM(3, return_state=True, name="encoder")(enc_in)
    decoder = layers.GRU(3, return_sequences=True, name="decoder")
    a = decoder(first, initial_state=h)
    b = decoder(second, initial_state=[c])
    model = keras.Model([enc_in, first, second], layers.concatenate([a, b], name="both"))
    # the encoder 4*3*(3+3+1); the decoder GRU once: kernel 2x9, recurrent kernel 3x9, bias 2x9 (reset_after)
    assert len(model.get_layer("decoder").weights) == 3 and model.count_params() == 4 * 3 * 7 + (2 + 3 + 2) * 9
    entry = next(e for e in model.get_config()["layers"] if e["name"] == "decoder")
    assert [[s["config"]["keras_history"] for s in n["kwargs"]["initial_state"]] for n in entry["inbound_nodes"]] \
        == [[["encoder", 0, 1]], [["encoder", 0, 2]]]
    xe, xd = _seq_data()
    xd2 = xd[::-1].copy()
    _, h_, c_ = model.get_layer("encoder")(xe)
    dec = model.get_layer("decoder")
    expected = np.concatenate([dec(xd, initial_state=h_).numpy(), dec(xd2, initial_state=c_).numpy()], axis=-1)
    np.testing.assert_allclose(model.predict([xe, xd, xd2], verbose=0), expected, rtol=1e-6)
    again = keras.Model.from_config(model.get_config())
    again.set_weights(model.get_weights())
    np.testing.assert_allclose(again.predict([xe, xd, xd2], verbose=0), expected, rtol=1e-6)


def test_a_mask_given_as_a_tensor_of_the_graph():
    x, valid = keras.Input((6, 3), name="steps"), keras.Input((6,), dtype="bool", name="valid")
    seq = layers.GRU(4, return_sequences=True, name="gru")(x, mask=valid)
    last = layers.LSTM(2, name="last")(seq)  # reads the mask the GRU passed on with its sequence
    model = keras.Model([x, valid], [seq, last])
    xs, _ = _seq_data()
    xs = np.concatenate([xs, xs[:, :2]], axis=1)[:, :6, :].copy()
    lengths = np.array([6, 3, 1, 5, 2, 6, 4, 2])
    mask = np.arange(6)[None, :] < lengths[:, None]
    got_seq, got_last = model.predict([xs, mask], verbose=0)
    gru, lstm = model.get_layer("gru"), model.get_layer("last")
    want_seq = gru(xs, mask=mask)
    np.testing.assert_allclose(got_seq, want_seq.numpy(), rtol=1e-6)
    np.testing.assert_allclose(got_last, lstm(want_seq.numpy(), mask=mask).numpy(), rtol=1e-6)
    assert not np.allclose(got_seq, gru(xs).numpy(), atol=1e-4)
    node = next(e for e in model.get_config()["layers"] if e["name"] == "gru")["inbound_nodes"][0]
    assert node["kwargs"]["mask"]["config"]["keras_history"] == ["valid", 0, 0]


def test_bidirectional_starts_from_states_of_the_graph():
    x, ctx = keras.Input((5, 3), name="seq"), keras.Input((4,), name="ctx")
    states = [layers.Dense(3, activation="tanh", name=f"s{i}")(ctx) for i in range(4)]
    bi = layers.Bidirectional(layers.LSTM(3), name="bi")
    model = keras.Model([x, ctx], bi(x, initial_state=states))
    xs, _ = _seq_data()
    xs, cs = xs[:, :5], np.random.default_rng(7).standard_normal((8, 4)).astype(np.float32)
    given = [model.get_layer(f"s{i}")(cs) for i in range(4)]
    np.testing.assert_allclose(model.predict([xs, cs], verbose=0), bi(xs, initial_state=given).numpy(), rtol=1e-6)
    check_grads(lambda a, b: model([a, b]), [xs[:2], cs[:2]], params=model.trainable_weights, elementwise_limit=0)


# ------------------------------------------------------------ add_loss in a shared layer
class _OutputPenalty(layers.Layer):
    """Dense-like, adding 0.1 * sum(output**2) / batch with add_loss on each call."""

    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1], input_shape[-1]))

    def call(self, inputs):
        out = keras.ops.tanh(keras.ops.matmul(inputs, self.w))
        self.add_loss(keras.ops.multiply(keras.ops.sum(keras.ops.square(out)), 0.1 / inputs.shape[0]))
        return out


def test_a_shared_layer_adds_one_loss_per_call_of_the_forward_pass_as_keras_3():
    keras.utils.set_random_seed(0)
    x = keras.Input((3,))
    shared = _OutputPenalty(name="shared")
    twice = layers.Dense(3, activity_regularizer="l2", name="twice")
    out = layers.Dense(1, name="head")(shared(twice(shared(twice(x)))))
    model = keras.Model(x, out)
    data = np.random.default_rng(5).standard_normal((4, 3)).astype(np.float32)
    model(data)
    model(data)  # the next forward pass starts afresh
    assert len(model.losses) == 4  # each layer's loss of both its calls, not only the last
    w, (k, b) = shared.w.numpy(), twice.get_weights()
    a1 = data @ k + b
    s1 = np.tanh(a1 @ w)
    a2 = s1 @ k + b
    s2 = np.tanh(a2 @ w)
    expected = 0.1 * ((s1 ** 2).sum() + (s2 ** 2).sum()) / 4 + 0.01 * ((a1 ** 2).sum() + (a2 ** 2).sum()) / 4
    np.testing.assert_allclose(sum(float(l.numpy()) for l in model.losses), expected, rtol=1e-5)
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros((4, 1), np.float32)
    np.testing.assert_allclose(model.evaluate(data, y, verbose=0),
                               np.mean(model.predict(data, verbose=0) ** 2) + expected, rtol=1e-5)
    shared(data)
    assert len(shared.losses) == 1  # called on its own: a forward pass of one call

    def total_penalty(inputs):
        model(inputs)
        losses = model.losses
        total = losses[0]
        for loss in losses[1:]:
            total = keras.ops.add(total, loss)
        return total
    check_grads(total_penalty, [data], params=model.trainable_weights)


# ------------------------------------------------------------ a subclass of Model built as MyModel(inputs, outputs)
class _TrackedLoss(keras.Model):
    """The "Customizing fit()" guide's model built the functional way: its own train_step, a loss tracker of
    its own and the metrics property listing it; nothing else (the graph comes from inputs and outputs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.steps_seen = 0

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        with keras.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True), sample_weight=sample_weight)
        self.optimizer.apply(tape.gradient(loss, self.trainable_variables), self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.steps_seen += 1
        return {"loss": self.loss_tracker.result()}

    @property
    def metrics(self):
        return [self.loss_tracker]


def _regression(make):
    keras.utils.set_random_seed(3)
    x = keras.Input((4,), name="x")
    return make(x, layers.Dense(1, name="out")(layers.Dense(6, activation="tanh", name="hidden")(x)))


def test_a_model_subclass_called_with_inputs_and_outputs_is_functional_and_fit_uses_its_train_step():
    data = np.random.default_rng(8).standard_normal((48, 4)).astype(np.float32)
    target = data @ np.array([[1.0], [-1.0], [0.5], [2.0]], np.float32)
    model = _regression(lambda i, o: _TrackedLoss(i, o, name="custom"))
    assert isinstance(model, _TrackedLoss) and isinstance(model, keras.models.Functional) and type(model) is _TrackedLoss
    assert model.name == "custom" and [layer.name for layer in model.layers] == ["x", "hidden", "out"]
    assert model.count_params() == 4 * 6 + 6 + 6 + 1
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    history = model.fit(data, target, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    assert model.steps_seen == 9 and list(history) == ["loss"]
    plain = _regression(lambda i, o: keras.Model(i, o))  # the same weights to start, the built-in train_step
    plain.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    reference = plain.fit(data, target, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(history["loss"], reference["loss"], rtol=1e-5)
    for a, b in zip(model.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    again = _regression(lambda i, o: _TrackedLoss(inputs=i, outputs=o))  # the keyword form, a second instance
    assert isinstance(again, keras.models.Functional) and again.steps_seen == 0
    clone = _TrackedLoss.from_config(model.get_config())
    assert type(clone) is _TrackedLoss and clone.name == "custom" and hasattr(clone, "loss_tracker")
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6)

    class Fresh(keras.Model):  # never built yet: from_config makes it functional, as Keras 3 revives such classes
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

        def doubled(self, x):
            return 2 * self.predict(x, verbose=0)

    revived = Fresh.from_config(model.get_config())
    revived.set_weights(model.get_weights())
    np.testing.assert_allclose(revived.doubled(data), 2 * model.predict(data, verbose=0), rtol=1e-6)


def test_a_model_subclass_with_its_own_arguments_stays_a_subclassed_model():
    class Scaled(keras.Model):
        def __init__(self, units, factor):  # two positional arguments that are not tensors
            super().__init__()
            self.dense, self.factor = layers.Dense(units), factor

        def call(self, inputs):
            return self.dense(inputs) * self.factor

    model = Scaled(3, 2.0)
    assert not isinstance(model, keras.models.Functional)
    assert model(np.ones((2, 5), np.float32)).shape == (2, 3)


def test_model_from_config_takes_custom_objects():
    """Keras's Model.from_config(config, custom_objects={...}) finds the program's own layer class by name (the
    ML-with-TF cookbook's MyCustomDense, whose get_config gives only its units); it was a TypeError."""
    import dendrite

    class MyCustomDense(dendrite.layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")
            self.b = self.add_weight(shape=(self.units,), initializer="random_normal")

        def call(self, inputs):
            return dendrite.ops.matmul(inputs, self.w) + self.b

        def get_config(self):
            return {"units": self.units}

    inputs = dendrite.Input((12, 4))
    model = dendrite.Model(inputs, MyCustomDense(2)(inputs))
    config = model.get_config()
    with pytest.raises(ValueError, match="unknown layer class 'MyCustomDense'"):
        dendrite.Model.from_config(config)
    for rebuild in (dendrite.Model.from_config, type(model).from_config):
        again = rebuild(config, custom_objects={"MyCustomDense": MyCustomDense})
        assert isinstance(again.layers[1], MyCustomDense) and again.layers[1].units == 2
        again.set_weights(model.get_weights())
        x = np.random.default_rng(0).random((3, 12, 4)).astype("float32")
        np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_a_model_called_on_a_symbolic_input_of_another_size_is_refused():
    """A model used as a layer of another checks the known sizes of the input it is given, as Keras does,
    instead of computing shapes for the wrong input (a colorization tutorial called an 8x8 model on 16x16)."""
    inner_in = keras.Input((8, 8, 1))
    inner = keras.Model(inner_in, layers.Conv2D(2, 3, padding="same")(inner_in))
    with pytest.raises(ValueError, match=r"Input 0 of layer 'functional.*' is incompatible with the layer: expected "
                                         r"shape=\(None, 8, 8, 1\), found shape=\(None, 16, 16, 1\)"):
        inner(keras.Input((16, 16, 1)))
    assert inner(keras.Input((8, 8, 1))).shape == (None, 8, 8, 2)
    assert inner(keras.Input((None, None, 1))).shape[-1] == 2  # unknown sizes are not refused
