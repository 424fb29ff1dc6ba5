"""SimpleRNN, LSTM, GRU and RNN(cell): Keras's parameter counts, weights and defaults, outputs against the
step-by-step references of tests/reference_rnn.py, masking, go_backwards, return_sequences / return_state,
initial and stateful states, dropout in training only, gradients, configs, Sequential training and errors."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.layers import GRU, LSTM, RNN, Bidirectional, Input, SimpleRNN
from dendrite.models import Sequential
from dendrite.testing import check_grads, run_layer_test
import reference_rnn as ref

rs = np.random.default_rng(0)
N, T, F, U = 3, 4, 2, 3
MASK = np.array([[1, 1, 0, 1], [0, 1, 1, 0], [1, 1, 1, 1]], bool)
KINDS = [(SimpleRNN, {}, "simple_rnn"), (LSTM, {}, "lstm"), (GRU, {}, "gru"), (GRU, {"reset_after": False}, "gru")]


def _x(seed=1, shape=(N, T, F)):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _randomize(layer, seed=2):
    """Random weights (in Keras's shapes) so that biases and every gate matter."""
    r = np.random.default_rng(seed)
    layer.set_weights([r.standard_normal(w.shape).astype(np.float32) * 0.5 for w in layer.weights])
    return [w.astype(np.float64) for w in layer.get_weights()]


def _twins(a, b):
    """Two layers built on the same data, b given a's weights."""
    a(_x())
    b(_x())
    b.set_weights(a.get_weights())
    return a, b


def _reference(kind, kwargs, weights, x, **options):
    extra = {"reset_after": kwargs.get("reset_after", True)} if kind == "gru" else {}
    return ref.run(kind, x, *weights, **extra, **options)


# ------------------------------------------------------------ Keras's numbers
@pytest.mark.parametrize("make, shape, params", [
    (lambda: LSTM(64), (28, 28), 23_808),
    (lambda: GRU(32, reset_after=True), (10, 8), 4_032),
    (lambda: SimpleRNN(16), (5, 3), 320),
    (lambda: GRU(32, reset_after=False), (10, 8), 3_936),
])
def test_parameter_counts_as_keras(make, shape, params):
    layer = make()
    model = Sequential([Input(shape), layer])
    assert layer.count_params() == params and model.count_params() == params
    lines = []
    model.summary(print_fn=lines.append)
    assert f"Total params: {params:,}" in lines


def test_weights_in_keras_layout_names_and_initializers():
    lstm, gru, gru0, rnn = LSTM(4), GRU(4), GRU(4, reset_after=False), SimpleRNN(4)
    for layer in (lstm, gru, gru0, rnn):
        layer(_x())
        assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
        assert all(w.dtype == np.float32 for w in layer.weights)
    assert [w.shape for w in lstm.weights] == [(F, 16), (4, 16), (16,)]
    assert [w.shape for w in gru.weights] == [(F, 12), (4, 12), (2, 12)]
    assert [w.shape for w in gru0.weights] == [(F, 12), (4, 12), (12,)]
    assert [w.shape for w in rnn.weights] == [(F, 4), (4, 4), (4,)]
    # unit_forget_bias: ones for the forget gate (the second block), zeros elsewhere
    np.testing.assert_array_equal(lstm.cell.bias.value, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])
    plain = LSTM(4, unit_forget_bias=False, bias_initializer="ones")
    plain(_x())
    np.testing.assert_array_equal(plain.cell.bias.value, 1)
    np.testing.assert_array_equal(gru.cell.bias.value, 0)
    rk = rnn.cell.recurrent_kernel.value  # 'orthogonal'
    np.testing.assert_allclose(rk @ rk.T, np.eye(4), atol=1e-5)
    limit = np.sqrt(6 / (F + 16))  # 'glorot_uniform' over the (F, 4u) kernel
    assert np.abs(lstm.cell.kernel.value).max() <= limit


def test_keras_defaults():
    lstm, gru = LSTM(3), GRU(3)
    assert lstm.activation.__name__ == "tanh" and lstm.recurrent_activation.__name__ == "sigmoid"
    assert lstm.use_bias and lstm.unit_forget_bias and gru.reset_after
    assert type(lstm.kernel_initializer).__name__ == "GlorotUniform"
    assert type(lstm.recurrent_initializer).__name__ == "Orthogonal"
    assert type(lstm.bias_initializer).__name__ == "Zeros"
    assert (lstm.dropout, lstm.recurrent_dropout, lstm.return_sequences, lstm.return_state, lstm.go_backwards,
            lstm.stateful, lstm.unroll) == (0.0, 0.0, False, False, False, False, False)
    assert lstm.cell.name == "lstm_cell" and gru.cell.name == "gru_cell"
    assert SimpleRNN(2).cell.name == "simple_rnn_cell" and lstm.name == "lstm"


# ------------------------------------------------------------ against the reference
@pytest.mark.parametrize("cls, kwargs, kind", KINDS)
@pytest.mark.parametrize("mask", [None, MASK])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_outputs_and_final_states_match_the_reference(cls, kwargs, kind, mask, go_backwards):
    x = _x()
    layer = cls(U, return_sequences=True, return_state=True, go_backwards=go_backwards, **kwargs)
    layer(x)
    weights = _randomize(layer)
    seq, last, states = _reference(kind, kwargs, weights, x, mask=mask, go_backwards=go_backwards)
    out = layer(x, mask=mask)
    assert isinstance(out, list) and len(out) == 1 + len(states)
    np.testing.assert_allclose(out[0].value, seq, rtol=1e-5, atol=1e-5)
    for got, want in zip(out[1:], states):
        np.testing.assert_allclose(got.value, want, rtol=1e-5, atol=1e-5)
    last_only = cls(U, go_backwards=go_backwards, **kwargs)
    last_only(x)
    last_only.set_weights(layer.get_weights())
    np.testing.assert_allclose(last_only(x, mask=mask).value, last, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cls, kwargs, kind", KINDS)
def test_initial_state_matches_the_reference(cls, kwargs, kind):
    x = _x()
    layer = cls(U, return_sequences=True, **kwargs)
    layer(x)
    weights = _randomize(layer)
    states = [np.random.default_rng(3 + i).standard_normal((N, U)) for i in range(2 if kind == "lstm" else 1)]
    seq, _, _ = _reference(kind, kwargs, weights, x, states=states)
    got = layer(x, initial_state=[s.astype(np.float32) for s in states])
    np.testing.assert_allclose(got.value, seq, rtol=1e-5, atol=1e-5)
    # the second positional argument is the initial state (Keras 3's call order, tf.keras 2's __call__):
    # a step-by-step loop writes ``out, *state = rnn(x_t, state)``
    positional = layer(x, [s.astype(np.float32) for s in states])
    np.testing.assert_allclose(positional.value, seq, rtol=1e-5, atol=1e-5)


def test_go_backwards_returns_the_reversed_sequence():
    x = _x()
    forward, backward = _twins(LSTM(U, return_sequences=True), LSTM(U, return_sequences=True, go_backwards=True))
    np.testing.assert_allclose(backward(x).value, forward(x[:, ::-1]).value, rtol=1e-6)


def test_unroll_is_accepted_and_changes_nothing():
    x = _x()
    rolled, unrolled = _twins(GRU(U, return_sequences=True), GRU(U, return_sequences=True, unroll=True))
    np.testing.assert_array_equal(unrolled(x, mask=MASK).value, rolled(x, mask=MASK).value)
    assert unrolled.get_config()["unroll"] is True


def test_generic_cells_step_through_autodiff_ops_and_match_the_reference():
    # softsign is not one of the fused op's activations: the cell's own call runs every step
    x = _x()
    layer = RNN(layers.LSTMCell(U, activation="softsign"), return_sequences=True, return_state=True)
    layer(x)
    weights = _randomize(layer)
    seq, _, states = ref.run("lstm", x, *weights, act=lambda a: a / (1 + np.abs(a)), mask=MASK, go_backwards=True)
    layer.go_backwards = True
    out = layer(x, mask=MASK)
    np.testing.assert_allclose(out[0].value, seq, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out[2].value, states[1], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cell, layer_cls, kwargs", [
    (layers.LSTMCell, LSTM, {}), (layers.GRUCell, GRU, {"reset_after": False}), (layers.SimpleRNNCell, SimpleRNN, {})])
def test_rnn_over_a_builtin_cell_equals_the_layer(cell, layer_cls, kwargs):
    x = _x()
    layer, wrapped = _twins(layer_cls(U, return_sequences=True, **kwargs),
                            RNN(cell(U, **kwargs), return_sequences=True))
    np.testing.assert_allclose(wrapped(x, mask=MASK).value, layer(x, mask=MASK).value, rtol=1e-6)
    assert wrapped.count_params() == layer.count_params()


class MinimalRNNCell(layers.Layer):
    """The custom cell of Keras's RNN documentation: no training argument, one state."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units), "uniform")
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, self.units), "uniform")

    def call(self, inputs, states):
        output = dendrite.ops.add(dendrite.ops.matmul(inputs, self.kernel),
                                  dendrite.ops.matmul(states[0], self.recurrent_kernel))
        return output, [output]


def test_a_custom_cell_runs_in_rnn_with_gradients():
    x = _x()
    layer = RNN(MinimalRNNCell(U), return_sequences=True)
    out = layer(x, mask=MASK).value
    k, rk = (w.astype(np.float64) for w in layer.get_weights())
    seq, _, _ = ref.run("simple_rnn", x, k, rk, act=lambda a: a, mask=MASK)
    np.testing.assert_allclose(out, seq, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((None, T, F)) == (None, T, U)
    check_grads(lambda t: layer(t, mask=MASK), [x.astype(np.float64)], params=layer.trainable_weights)


# ------------------------------------------------------------ dropout
def test_dropout_only_in_training_and_one_mask_per_sequence():
    # linear SimpleRNN, identity kernels, no bias: h_t = (x_t * m + h_{t-1} * r), with x = ones at t = 0 only
    layer = SimpleRNN(64, activation=None, use_bias=False, dropout=0.5, recurrent_dropout=0.5,
                      kernel_initializer="identity", recurrent_initializer="identity", return_sequences=True)
    x = np.zeros((2, 5, 64), np.float32)
    x[:, 0] = 1
    np.testing.assert_array_equal(layer(x).value, np.broadcast_to(x[:, :1], x.shape))  # inference: no dropout
    np.testing.assert_array_equal(layer(x, training=False).value, layer(x).value)
    out = layer(x, training=True).value
    h0 = out[:, 0]
    assert set(np.unique(h0)) == {0.0, 2.0}  # kept inputs scaled by 1 / (1 - 0.5)
    r = np.where(h0 > 0, out[:, 1] / np.where(h0 > 0, h0, 1), 0)
    assert set(np.unique(r[h0 > 0])) == {0.0, 2.0}
    for t in range(2, 5):  # the same recurrent mask at every step: h_t = h_{t-1} * r
        np.testing.assert_array_equal(out[:, t], out[:, t - 1] * r)
    assert not np.array_equal(layer(x, training=True).value, out)  # a new mask for each call


class Stepping(layers.Layer):
    """A custom cell around a built-in one: RNN steps it through its call (autodiff ops), not the fused op."""

    def __init__(self, cell, **kwargs):
        super().__init__(**kwargs)
        self.inner = cell
        self.state_size, self.output_size = cell.state_size, cell.output_size

    def build(self, input_shape):
        self.inner._maybe_build(input_shape)

    def call(self, inputs, states, training=None):
        return self.inner.call(inputs, states, training=training)


@pytest.mark.parametrize("cls, kwargs", [(LSTM, {}), (GRU, {}), (GRU, {"reset_after": False}), (SimpleRNN, {})])
@pytest.mark.parametrize("recurrent_dropout", [0.0, 0.4])
def test_fused_dropout_equals_the_cell_stepping_with_the_same_masks(cls, kwargs, recurrent_dropout):
    # both draw their masks from the same generator in the same order (one per gate with recurrent_dropout,
    # Keras's implementation 1), once per sequence
    x = _x()
    fused = cls(U, dropout=0.3, recurrent_dropout=recurrent_dropout, return_sequences=True, **kwargs)
    stepped = RNN(Stepping(fused.cell_class(U, dropout=0.3, recurrent_dropout=recurrent_dropout, **kwargs)),
                  return_sequences=True)
    fused(x)
    stepped(x)
    stepped.set_weights(_randomize(fused))
    dendrite.utils.set_random_seed(7)
    a = fused(x, training=True, mask=MASK).value
    dendrite.utils.set_random_seed(7)
    b = stepped(x, training=True, mask=MASK).value
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.allclose(a, fused(x, mask=MASK).value)


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_stacked_cells_fused_one_after_the_other_equal_stepping_them_together(go_backwards, return_sequences):
    x = _x(shape=(N, 5, F))
    mask = np.array([[1, 1, 0, 1, 1], [0, 1, 1, 1, 0], [0, 0, 0, 0, 0]], bool)
    options = {"return_sequences": return_sequences, "return_state": True, "go_backwards": go_backwards}
    fused = RNN([layers.LSTMCell(3), layers.GRUCell(U), layers.SimpleRNNCell(2)], **options)
    stepped = RNN([Stepping(layers.LSTMCell(3)), Stepping(layers.GRUCell(U)), Stepping(layers.SimpleRNNCell(2))],
                  **options)
    fused(x)
    stepped(x)
    stepped.set_weights(_randomize(fused))
    a, b = fused(x, mask=mask), stepped(x, mask=mask)
    assert len(a) == len(b) == 4
    for got, want in zip(_flat(a), _flat(b)):
        np.testing.assert_allclose(got.value, want.value, rtol=1e-5, atol=1e-6)
    check_grads(lambda t: fused(t, mask=mask)[0], [x.astype(np.float64)], params=fused.trainable_weights,
                elementwise_limit=0)


def _flat(nested):
    return [t for item in nested for t in (_flat(item) if isinstance(item, list) else [item])]


# ------------------------------------------------------------ stateful
def test_stateful_carries_the_states_across_calls_until_reset():
    x = _x(shape=(N, 6, F))
    whole, stateful = _twins(LSTM(U), LSTM(U, stateful=True))
    stateful.reset_states()
    stateful(x[:, :3])
    np.testing.assert_allclose(stateful(x[:, 3:]).value, whole(x).value, rtol=1e-5, atol=1e-6)
    h = stateful.states[0].value.copy()
    np.testing.assert_allclose(h, whole(x).value, rtol=1e-5, atol=1e-6)
    stateful.reset_states()
    np.testing.assert_array_equal(stateful.states[0].value, 0)
    np.testing.assert_allclose(stateful(x[:, 3:]).value, whole(x[:, 3:]).value, rtol=1e-6)
    assert len(stateful.weights) == 3  # the states are not weights
    with pytest.raises(ValueError, match=r"LSTM 'lstm_1'.*batches of 3 samples; received a batch of 2.*batch_size=3"):
        stateful(x[:2])


def test_stateful_needs_a_fixed_batch_size_in_a_model():
    with pytest.raises(ValueError, match=r"stateful=True.*batch size must be static.*Input\(batch_shape="):
        Sequential([Input((T, F)), GRU(U, stateful=True)])
    model = Sequential([Input(batch_shape=(N, T, F)), GRU(U, stateful=True)])
    a = model.predict(_x(), verbose=0)
    b = model.predict(_x(), verbose=0)
    assert not np.allclose(a, b)  # the second call started from the first one's states
    model.layers[0].reset_states()
    np.testing.assert_allclose(model.predict(_x(), verbose=0), a, rtol=1e-6)


# ------------------------------------------------------------ gradients
@pytest.mark.parametrize("cls, kwargs, kind", KINDS)
@pytest.mark.parametrize("options, call", [
    ({}, {}),
    ({"return_sequences": True}, {"mask": MASK}),
    ({"return_state": True, "go_backwards": True}, {"mask": MASK}),
])
def test_gradients(cls, kwargs, kind, options, call):
    layer = cls(U, **options, **kwargs)
    layer(_x())
    _randomize(layer)

    def f(x):
        out = layer(x, **call)
        return dendrite.ops.concatenate(out, axis=-1) if isinstance(out, list) else out
    check_grads(f, [_x(4).astype(np.float64)], params=layer.trainable_weights, elementwise_limit=0)


def test_gradients_through_initial_state_stateful_calls_and_dropout():
    x = _x(5).astype(np.float64)
    h0, c0 = (np.random.default_rng(i).standard_normal((N, U)) for i in (6, 7))
    lstm = LSTM(U, return_sequences=True)
    lstm(_x())
    check_grads(lambda x_, h_, c_: lstm(x_, initial_state=[h_, c_]), [x, h0, c0], params=lstm.trainable_weights)
    stateful = GRU(U, stateful=True)
    stateful(_x())
    carried = stateful.states[0].value.copy()  # a constant for the next call, as in Keras

    def second_call(x_):
        stateful.states[0].value[...] = carried
        return stateful(x_)
    check_grads(second_call, [x], params=stateful.trainable_weights, elementwise_limit=0)
    assert not np.allclose(carried, 0)
    dropped = LSTM(U, dropout=0.3, recurrent_dropout=0.3)
    dropped(_x())
    check_grads(lambda x_: dropped(x_, training=True), [x], params=dropped.trainable_weights, elementwise_limit=0)


def test_run_layer_test_and_float64_layers():
    run_layer_test(GRU, {"units": 2, "return_sequences": True}, (2, 3, 4), (2, 3, 2), expected_num_trainable_weights=3)
    out = LSTM(2, dtype="float64")(_x())  # the data is cast to the layer's dtype, and computed in it
    assert out.dtype == np.float64 and LSTM(2)(_x().astype(np.float64)).dtype == np.float32


# ------------------------------------------------------------ in a model
def test_sequential_lstm_on_mnist_rows_trains(mnist):
    # the brief's model: each image a sequence of 28 rows of 28 pixels
    (xtr, ytr), _ = mnist
    x, y = xtr[:256].astype(np.float32) / 255, ytr[:256]
    model = Sequential([Input((28, 28)), LSTM(64), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert model.count_params() == 23_808 + 650
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < history[0] - 0.05
    assert model.predict(x[:5], verbose=0).shape == (5, 10)


def test_stacked_layers_and_regularizers_in_a_model():
    model = Sequential([Input((5, 3)), GRU(4, return_sequences=True, kernel_regularizer="l2"), SimpleRNN(2)])
    assert model.output_shape == (None, 2) and len(model.losses) == 1
    assert model.layers[0].output_shape == (None, 5, 4)
    inputs = Input((5, 3))
    functional = dendrite.Model(inputs, layers.Dense(1)(LSTM(2)(inputs)))
    assert functional.predict(_x(shape=(2, 5, 3)), verbose=0).shape == (2, 1) and functional.count_params() == 48 + 3


# ------------------------------------------------------------ config
KERAS_KEYS = {"name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
              "zero_output_for_mask", "units", "activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
              "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint",
              "bias_constraint", "dropout", "recurrent_dropout"}


@pytest.mark.parametrize("cls, extra", [(SimpleRNN, set()),
                                        (LSTM, {"recurrent_activation", "unit_forget_bias", "seed"}),
                                        (GRU, {"recurrent_activation", "reset_after", "seed"})])
def test_configs_have_keras_keys_and_round_trip(cls, extra):
    layer = cls(3, dropout=0.2, return_sequences=True, kernel_regularizer="l2", recurrent_constraint="non_neg",
                name="rec")
    config = layer.get_config()
    assert set(config) == KERAS_KEYS | extra
    assert config["recurrent_initializer"] == {"module": "keras.initializers", "class_name": "Orthogonal",
                                               "config": {"seed": None, "gain": 1.0},
                                               "registered_name": None}  # as Keras 3.15.1 writes it
    clone = cls.from_config(config)
    assert clone.get_config() == config
    rnn_keys = {"return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask"}
    assert set(layer.cell.get_config()) == (set(config) - rnn_keys - {"activity_regularizer"}) | {"seed"}
    model = Sequential([Input((T, F)), cls(2, return_sequences=True), cls(3)])
    again = Sequential.from_config(model.get_config())
    assert again.get_config() == model.get_config() and again.count_params() == model.count_params()


def test_rnn_config_round_trips_with_its_cell():
    layer = RNN([layers.LSTMCell(3), layers.GRUCell(2, reset_after=False)], return_sequences=True)
    config = layer.get_config()
    assert config["cell"]["class_name"] == "StackedRNNCells"
    assert [c["class_name"] for c in config["cell"]["config"]["cells"]] == ["LSTMCell", "GRUCell"]
    assert RNN.from_config(config).get_config() == config


# ------------------------------------------------------------ errors
def test_errors_name_the_layer_the_shapes_and_the_fix():
    layer = LSTM(4)
    with pytest.raises(ValueError, match=r"LSTM 'lstm'.*expected ndim=3, found ndim=2.*\(5, 7\).*x\[\.\.\., None\]"
                                         r".*\(5, 7, 1\).*\(5, 1, 7\)"):
        layer(np.zeros((5, 7), np.float32))
    layer(np.zeros((5, 7, 2), np.float32))
    with pytest.raises(ValueError, match=r"LSTM 'lstm'.*axis -1.*value 2.*\(5, 7, 3\).*built for 2 features"):
        layer(np.zeros((5, 7, 3), np.float32))
    with pytest.raises(ValueError, match=r"GRU 'gru'.*expected ndim=3"):
        Sequential([Input((8,)), GRU(3)])
    with pytest.raises(ValueError, match=r"single output tensor, but SimpleRNN 'simple_rnn' gives 2.*functional API"):
        Sequential([Input((T, F)), SimpleRNN(3, return_state=True)])
    with pytest.raises(ValueError, match=r"LSTM 'lstm_1': `initial_state` must hold 2 tensor\(s\) of shapes "
                                         r"\[\(None, 2\), \(None, 2\)\]; received shapes \[\(None, 2\), \(None, 3\)\]"):
        LSTM(2)(Input((T, F)), initial_state=[Input((2,)), Input((3,))])
    with pytest.raises(ValueError, match=r"GRU 'dec': `initial_state` must hold 1 tensor\(s\).*received shapes "
                                         r"\[\(None, 2\), \(None, 2\)\]"):
        GRU(2, name="dec")(Input((T, F)), initial_state=[Input((2,)), Input((2,))])
    with pytest.raises(ValueError, match=r"on a symbolic input, `initial_state` must hold symbolic tensors.*ndarray"):
        LSTM(2)(Input((T, F)), initial_state=[np.zeros((1, 2)), np.zeros((1, 2))])
    with pytest.raises(ValueError, match=r"`mask` must have shape \(batch, timesteps\) = \(None, 4\).*\(None, 5\)"):
        SimpleRNN(2)(Input((T, F)), mask=Input((5,), dtype="bool"))
    with pytest.raises(ValueError, match=r"on a symbolic input, `mask` must be a symbolic tensor.*ndarray"):
        SimpleRNN(2)(Input((T, F)), mask=MASK)
    with pytest.raises(ValueError, match=r"`mask` or `initial_state` is a symbolic tensor but the input is data"):
        layer(np.zeros((5, 7, 2), np.float32), initial_state=[Input((4,)), Input((4,))])
    with pytest.raises(ValueError, match=r"`mask` must have shape \(batch, timesteps\) = \(5, 7\)"):
        layer(np.zeros((5, 7, 2), np.float32), mask=np.ones((5, 6), bool))
    with pytest.raises(ValueError, match=r"`initial_state` must hold 2 array\(s\) of shapes \[\(5, 4\), \(5, 4\)\]"):
        layer(np.zeros((5, 7, 2), np.float32), initial_state=[np.zeros((5, 4))])
    with pytest.raises(TypeError, match=r"^LSTM: unrecognized keyword.*unitz"):
        LSTM(3, unitz=2)
    with pytest.raises(ValueError, match=r"positive integer for `units`.*units=0"):
        GRU(0)
    with pytest.raises(ValueError, match=r"`cell` must have a `call\(inputs, states\)` method"):
        RNN(object())


def test_return_state_gives_one_symbolic_tensor_per_output_in_a_functional_model():
    inputs = Input((T, F))
    out, h, c = LSTM(4, return_state=True, return_sequences=True, name="enc")(inputs)
    assert (out.shape, h.shape, c.shape) == ((None, T, 4), (None, 4), (None, 4))
    model = dendrite.Model(inputs, [layers.Dense(1)(h), c])
    x = np.random.default_rng(0).standard_normal((3, T, F)).astype(np.float32)
    eager = model.get_layer("enc")(x)
    pred_h, pred_c = model.predict(x, verbose=0)
    np.testing.assert_allclose(pred_c, eager[2].numpy(), rtol=1e-6)
    np.testing.assert_allclose(pred_h, model.layers[-1](eager[1]).numpy(), rtol=1e-5, atol=1e-6)
    fwd, bwd = Bidirectional(GRU(3, return_sequences=True), merge_mode=None)(inputs)
    assert fwd.shape == bwd.shape == (None, T, 3)
