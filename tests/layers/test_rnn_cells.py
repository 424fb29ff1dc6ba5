"""The cells used standalone (one timestep, Keras 3's call(inputs, states, training)), against the
step-by-step references; StackedRNNCells; gradients, configs and errors."""
import numpy as np
import pytest

from dendrite import layers
from dendrite.autodiff import ops
from dendrite.layers import GRUCell, LSTMCell, RNN, SimpleRNNCell, StackedRNNCells
from dendrite.testing import check_grads
import reference_rnn as ref

N, F, U = 3, 2, 4


def _data(seed=0):
    r = np.random.default_rng(seed)
    return r.standard_normal((N, F)).astype(np.float32), [r.standard_normal((N, U)).astype(np.float32)
                                                          for _ in range(2)]


def _randomize(cell, seed=1):
    r = np.random.default_rng(seed)
    cell.set_weights([r.standard_normal(w.shape).astype(np.float32) * 0.5 for w in cell.weights])
    return [w.astype(np.float64) for w in cell.get_weights()]


@pytest.mark.parametrize("cell, kind, extra", [
    (lambda: SimpleRNNCell(U), "simple_rnn", {}), (lambda: LSTMCell(U), "lstm", {}),
    (lambda: GRUCell(U), "gru", {"reset_after": True}), (lambda: GRUCell(U, reset_after=False), "gru",
                                                          {"reset_after": False})])
def test_one_step_matches_the_reference(cell, kind, extra):
    cell = cell()
    x, states = _data()
    states = states[:2 if kind == "lstm" else 1]
    cell(x, states)
    weights = _randomize(cell)
    out, new = cell(x, states)
    want_out, want_states = ref.STEPS[kind](x.astype(np.float64), [s.astype(np.float64) for s in states],
                                            *weights, **extra)
    np.testing.assert_allclose(out.value, want_out, rtol=1e-5, atol=1e-6)
    assert len(new) == len(want_states)
    for a, b in zip(new, want_states):
        np.testing.assert_allclose(a.value, b, rtol=1e-5, atol=1e-6)
    assert cell.state_size == ([U, U] if kind == "lstm" else U) and cell.output_size == U
    if kind != "lstm":  # a single state given as a tensor comes back as one
        out1, new1 = cell(x, states[0])
        np.testing.assert_allclose(new1.value, want_out, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cell", [lambda: SimpleRNNCell(U), lambda: LSTMCell(U), lambda: GRUCell(U),
                                  lambda: GRUCell(U, reset_after=False),
                                  lambda: LSTMCell(U, dropout=0.3, recurrent_dropout=0.3)])
def test_step_gradients(cell):
    cell = cell()
    x, (h, c) = _data(2)
    n_states = 2 if isinstance(cell, LSTMCell) else 1
    cell(x, [h, c][:n_states])

    def f(x_, *states):
        out, new = cell(x_, list(states), training=True)
        return ops.concatenate([out] + new, axis=-1)
    check_grads(f, [x, h, c][:1 + n_states], params=cell.trainable_weights, elementwise_limit=0)


def test_cell_dropout_masks_last_until_reset_and_apply_in_training_only():
    cell = GRUCell(U, dropout=0.5, recurrent_dropout=0.5)
    x, (h, _) = _data()
    plain = cell(x, [h])[0].value
    np.testing.assert_array_equal(cell(x, [h], training=False)[0].value, plain)
    a = cell(x, [h], training=True)[0].value
    np.testing.assert_array_equal(cell(x, [h], training=True)[0].value, a)  # the cached masks (Keras)
    assert cell.get_dropout_mask(x).shape == (3, N, F)  # one per gate (recurrent_dropout > 0)
    cell.reset_dropout_mask()
    cell.reset_recurrent_dropout_mask()
    assert not np.array_equal(cell(x, [h], training=True)[0].value, a)
    assert LSTMCell(U, dropout=0.5).get_dropout_mask(x).shape == (N, F)  # one shared mask otherwise


def test_stacked_cells_equal_stacked_layers():
    x = np.random.default_rng(3).standard_normal((N, 5, F)).astype(np.float32)
    mask = np.array([[1, 1, 0, 1, 1], [0, 1, 1, 1, 0], [1, 1, 1, 1, 1]], bool)
    # softsign is not computed by the fused ops: the stack steps its cells through their calls
    stacked = RNN(StackedRNNCells([LSTMCell(3), GRUCell(U, activation="softsign")]), return_sequences=True,
                  return_state=True)
    first = layers.LSTM(3, return_sequences=True)
    second = layers.GRU(U, activation="softsign", return_sequences=True, return_state=True)
    stacked(x)
    second(first(x))
    stacked.set_weights(first.get_weights() + second.get_weights())
    out, (h1, c1), (h2,) = stacked(x, mask=mask)
    want, want_h = second(first(x, mask=mask), mask=mask)
    np.testing.assert_allclose(out.value, want.value, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h2.value, want_h.value, rtol=1e-5, atol=1e-6)
    assert stacked.cell.state_size == [[3, 3], U] and stacked.cell.output_size == U
    assert stacked.compute_output_shape((None, 5, F)) == [(None, 5, U), [(None, 3), (None, 3)], (None, U)]
    check_grads(lambda t: stacked(t, mask=mask)[0], [x.astype(np.float64)], params=stacked.trainable_weights,
                elementwise_limit=0)


def test_cell_configs_round_trip():
    for cell in (SimpleRNNCell(2, dropout=0.1, seed=3), LSTMCell(2, unit_forget_bias=False),
                 GRUCell(2, reset_after=False, recurrent_regularizer="l1")):
        config = cell.get_config()
        assert type(cell).from_config(config).get_config() == config
    stacked = StackedRNNCells([LSTMCell(2), SimpleRNNCell(3)])
    assert StackedRNNCells.from_config(stacked.get_config()).get_config() == stacked.get_config()


def test_cell_errors():
    with pytest.raises(NotImplementedError, match=r"LSTMCell 'lstm_cell'.*wrap it in RNN\(cell\)"):
        LSTMCell(2)(layers.Input((3,)), [])
    with pytest.raises(ValueError, match=r"`dropout` must be a float in \[0, 1\]; received dropout='x'"):
        GRUCell(2, dropout="x")
    with pytest.raises(ValueError, match=r"every cell must have a `call` method and a `state_size`"):
        StackedRNNCells([LSTMCell(2), object()])
    cell = SimpleRNNCell(2)
    cell(np.zeros((1, 3), np.float32), [np.zeros((1, 2), np.float32)])
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 3"):
        cell(np.zeros((1, 4), np.float32), [np.zeros((1, 2), np.float32)])
