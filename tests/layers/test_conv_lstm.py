"""ConvLSTM1D/2D/3D: outputs against Keras's (tests/fixtures/keras/layers4, same weights), gradients, Keras's
shapes, config keys and round trip, a Keras-written .keras file, masks, dropout, stateful, errors, and a
small next-frame model that learns to move squares."""
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.layers import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from dendrite.testing import check_grads
from keras_layers3 import keras_file_round_trip
from keras_layers4 import CASES, PATH, arrays, built, case_id, cases, model_arrays

_LSTM_CASES = cases("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")


@pytest.mark.parametrize("i, case", _LSTM_CASES, ids=case_id)
def test_outputs_match_keras(i, case):
    x, weights, expected = arrays(i)
    layer = built(case, x, weights)
    got = layer(x)
    got = got if isinstance(got, list) else [got]
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), e, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("i, case", _LSTM_CASES, ids=case_id)
def test_config_keys_and_symbolic_shapes_match_keras(i, case):
    x, weights, expected = arrays(i)
    layer = built(case, x, weights)
    config = layer.get_config()
    keras_config = case["config"]
    assert set(k for k, v in config.items() if not isinstance(v, dict)) - {"dtype"} == set(keras_config)  # (Keras: a policy)
    for key in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "return_sequences",
                "return_state", "go_backwards", "unit_forget_bias", "use_bias"):
        assert (list(config[key]) if isinstance(config[key], tuple) else config[key]) == keras_config[key]
    fresh = getattr(layers, case["layer"])(**case["kwargs"])
    out = fresh(layers.Input(shape=x.shape[1:]))
    out = out if isinstance(out, list) else [out]
    assert [tuple(o.shape) for o in out] == [(None,) + e.shape[1:] for e in expected]


@pytest.mark.parametrize("i", [1, 3, 6, 8])
def test_gradients(i):
    case = CASES[i]
    x, weights, _ = arrays(i)
    layer = built(case, x, [0.3 * w for w in weights])

    def f(x_):
        out = layer(x_)
        return out[0] if isinstance(out, list) else out
    check_grads(f, [x[:1, :2]], params=layer.trainable_weights)


def test_gradients_with_dropout_and_mask():
    layer = ConvLSTM1D(2, 3, padding="same", dropout=0.3, recurrent_dropout=0.2, return_sequences=True)
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 2))
    mask = np.array([[True, True, False], [True, False, True]])
    layer.build(x.shape)
    check_grads(lambda x_: layer(x_, training=True, mask=mask), [x], params=layer.trainable_weights)


def test_keras_saved_model_loads_and_predicts_the_same():
    x, y = model_arrays()
    model = dendrite.saving.load_model(PATH + "_model.keras")
    assert [type(layer).__name__ for layer in model.layers][1:3] == ["ConvLSTM2D", "ConvLSTM2D"]
    np.testing.assert_allclose(model.predict(x, verbose=0), y, rtol=1e-4, atol=1e-5)


def test_keras_file_round_trip(tmp_path):
    layer = ConvLSTM2D(3, 2, padding="same", return_sequences=True, kernel_regularizer="l2", dropout=0.1)
    keras_file_round_trip(layer, (2, 3, 5, 4, 2), tmp_path)
    layer = ConvLSTM3D(2, 2, data_format="channels_first")
    keras_file_round_trip(layer, (2, 2, 3, 4, 4, 3), tmp_path)


def test_defaults_and_parameter_counts():
    layer = ConvLSTM2D(4, 3)
    y = layer(np.zeros((2, 3, 6, 6, 2), np.float32))
    assert y.shape == (2, 4, 4, 4)
    # Keras 3.15: 4 * (3*3*2*4 + 3*3*4*4 + 4) = 880; the forget block of the bias starts at one
    assert layer.count_params() == 880
    np.testing.assert_array_equal(layer.cell.bias.numpy(), np.repeat([0.0, 1.0, 0.0, 0.0], 4))
    assert (layer.activation.__name__, layer.recurrent_activation.__name__) == ("tanh", "sigmoid")
    assert layer.cell.name == "conv_lstm_cell"


def test_mask_keeps_states_at_masked_steps():
    layer = ConvLSTM1D(2, 3, padding="same", return_sequences=True, return_state=True)
    x = np.random.default_rng(1).standard_normal((2, 4, 5, 2)).astype(np.float32)
    mask = np.array([[True, True, True, True], [True, True, False, False]])
    seq, h, c = layer(x, mask=mask)
    _, h2, _ = layer(x[1:, :2])
    np.testing.assert_allclose(h.numpy()[1], h2.numpy()[0], rtol=1e-6)
    np.testing.assert_allclose(seq.numpy()[1, 3], seq.numpy()[1, 1], rtol=1e-6)  # the previous output kept


def test_stateful_carries_states_until_reset():
    layer = ConvLSTM2D(2, 3, padding="same", stateful=True)
    model = dendrite.Sequential([layers.Input(batch_shape=(2, 2, 4, 4, 1)), layer])
    x = np.random.default_rng(2).standard_normal((2, 4, 4, 4, 1)).astype(np.float32)
    whole = ConvLSTM2D(2, 3, padding="same")
    whole.build(x.shape)
    whole.set_weights(layer.get_weights())
    model(x[:, :2])
    second = model(x[:, 2:]).numpy()
    np.testing.assert_allclose(second, whole(x).numpy(), rtol=1e-5, atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(model(x[:, :2]).numpy(), whole(x[:, :2]).numpy(), rtol=1e-5, atol=1e-6)


def test_dropout_only_in_training():
    layer = ConvLSTM1D(3, 2, dropout=0.5, recurrent_dropout=0.5, seed=3)
    x = np.ones((2, 3, 6, 2), np.float32)
    a, b = layer(x).numpy(), layer(x).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(layer(x, training=True).numpy(), a)


@pytest.mark.parametrize("make, shape, match", [
    (lambda: ConvLSTM2D(2, 3), (2, 3, 5, 5), "rank 5"),
    (lambda: ConvLSTM2D(2, 3, strides=2, dilation_rate=2), None, "dilation_rate"),
    (lambda: ConvLSTM1D(2, 3, padding="causal"), None, "padding"),
    (lambda: ConvLSTM2D(0, 3), None, "filters"),
    (lambda: ConvLSTM2D(2, 3, dropout="a"), None, "dropout"),
])
def test_errors_name_the_argument(make, shape, match):
    with pytest.raises(ValueError, match=match):
        layer = make()
        layer(np.zeros(shape, np.float32))


def _moving_squares(n, frames, size, rng):
    """Sequences of a 2x2 square moving one pixel right per frame, and the frame after each sequence."""
    x = np.zeros((n, frames + 1, size, size, 1), np.float32)
    for k in range(n):
        r, c = rng.integers(0, size - 2), rng.integers(0, size - 2 - frames)
        for t in range(frames + 1):
            x[k, t, r:r + 2, c + t:c + t + 2] = 1.0
    return x[:, :-1], x[:, -1]


def test_next_frame_model_learns_moving_squares():
    rng = np.random.default_rng(0)
    x, y = _moving_squares(96, 3, 8, rng)
    dendrite.utils.set_random_seed(0)
    model = dendrite.Sequential([
        layers.Input((3, 8, 8, 1)),
        ConvLSTM2D(6, 3, padding="same"),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ])
    model.compile(optimizer=dendrite.optimizers.Adam(0.02), loss="binary_crossentropy")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=25, batch_size=32, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert after < 0.5 * before
    xt, yt = _moving_squares(16, 3, 8, rng)
    pred = model.predict(xt, verbose=0) > 0.5
    assert (pred == (yt > 0.5)).mean() > 0.97
