"""Bidirectional and TimeDistributed: Keras's parameter counts, names and configs, outputs against the
wrapped layers run by hand, masks, states, gradients and errors."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.autodiff import ops
from dendrite.layers import GRU, LSTM, Bidirectional, Dense, Input, SimpleRNN, TimeDistributed
from dendrite.models import Sequential
from dendrite.testing import check_grads

N, T, F, U = 3, 4, 2, 3
MASK = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], bool)  # right-padded sequences


def _x(seed=1, shape=(N, T, F)):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _by_hand(layer):
    """Standalone copies of a Bidirectional's forward and backward layers, with the same weights."""
    fwd = type(layer.forward_layer).from_config({**layer.forward_layer.get_config(), "name": "f"})
    bwd = type(layer.backward_layer).from_config({**layer.backward_layer.get_config(), "name": "b"})
    fwd(_x())
    bwd(_x())
    fwd.set_weights(layer.forward_layer.get_weights())
    bwd.set_weights(layer.backward_layer.get_weights())
    return fwd, bwd


def test_bidirectional_parameter_count_names_and_weights():
    inner = LSTM(32)
    layer = Bidirectional(inner)
    model = Sequential([Input((20, 16)), layer])
    assert layer.count_params() == model.count_params() == 12_544
    assert model.output_shape == (None, 64)
    assert (layer.name, layer.forward_layer.name, layer.backward_layer.name) == \
        ("bidirectional", "forward_lstm", "backward_lstm")
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert len(layer.weights) == 6 and layer.weights[:3] == layer.forward_layer.weights
    assert not inner.built  # fresh copies from the config, as Keras
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 12,544" in lines


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_merges_forward_and_reversed_backward_outputs(merge_mode, return_sequences):
    x = _x()
    layer = Bidirectional(GRU(U, return_sequences=return_sequences), merge_mode=merge_mode)
    out = layer(x, mask=MASK)
    fwd, bwd = _by_hand(layer)
    y, y_rev = fwd(x, mask=MASK).value, bwd(x, mask=MASK).value
    if return_sequences:
        y_rev = y_rev[:, ::-1]
        # Keras forces zero_output_for_mask: masked steps give zeros, not the carried output
        assert layer.forward_layer.zero_output_for_mask and layer.backward_layer.zero_output_for_mask
        y = np.where(MASK[..., None], y, 0)
        y_rev = np.where(MASK[..., None], y_rev, 0)
    expected = {"concat": lambda: np.concatenate([y, y_rev], -1), "sum": lambda: y + y_rev,
                "mul": lambda: y * y_rev, "ave": lambda: (y + y_rev) / 2, None: lambda: [y, y_rev]}[merge_mode]()
    if merge_mode is None:
        assert isinstance(out, list) and len(out) == 2
        for a, b in zip(out, expected):
            np.testing.assert_allclose(a.value, b, rtol=1e-6, atol=1e-7)
    else:
        np.testing.assert_allclose(out.value, expected, rtol=1e-6, atol=1e-7)
        shape = layer.compute_output_shape((None, T, F))
        assert shape == (None,) + out.shape[1:]

    def f(t):
        o = layer(t, mask=MASK)
        return o if merge_mode is not None else ops.concatenate(o, axis=-1)
    check_grads(f, [x.astype(np.float64)], params=layer.trainable_weights, elementwise_limit=0)


def test_bidirectional_trains_in_a_sequential_model():
    r = np.random.default_rng(0)
    x = r.standard_normal((48, 5, 2)).astype(np.float32)
    y = (x[:, 0, 0] * x[:, -1, 1] > 0).astype(np.int64)  # needs the first and the last timestep
    model = Sequential([Input((5, 2)), Bidirectional(GRU(6)), Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0).history["loss"]
    assert history[-1] < history[0]


def test_bidirectional_return_state_and_initial_state():
    x = _x()
    layer = Bidirectional(LSTM(U, return_state=True))
    out = layer(x)
    assert len(out) == 5 and out[0].shape == (N, 2 * U)
    fwd, bwd = _by_hand(layer)
    for got, want in zip(out[1:], fwd(x)[1:] + bwd(x)[1:]):
        np.testing.assert_allclose(got.value, want.value, rtol=1e-6)
    states = [np.random.default_rng(i).standard_normal((N, U)).astype(np.float32) for i in range(4)]
    out = layer(x, initial_state=states)
    np.testing.assert_allclose(out[1].value, fwd(x, initial_state=states[:2])[1].value, rtol=1e-6)
    np.testing.assert_allclose(out[3].value, bwd(x, initial_state=states[2:])[1].value, rtol=1e-6)
    positional = layer(x, states)  # the second positional argument is the initial state, as in Keras
    np.testing.assert_allclose(positional[1].value, out[1].value, rtol=1e-6)
    np.testing.assert_allclose(positional[3].value, out[3].value, rtol=1e-6)
    assert layer.compute_output_shape((None, T, F)) == [(None, 2 * U)] + [(None, U)] * 4
    check_grads(lambda t, h: ops.concatenate(layer(t, initial_state=[h, h, h, h]), axis=-1),
                [x.astype(np.float64), states[0].astype(np.float64)], params=layer.trainable_weights,
                elementwise_limit=0)


def test_bidirectional_with_a_backward_layer_and_stateful():
    layer = Bidirectional(SimpleRNN(U, return_sequences=True),
                          backward_layer=SimpleRNN(2, activation="relu", return_sequences=True, go_backwards=True))
    assert layer(_x()).shape == (N, T, U + 2)
    assert layer.backward_layer.activation.__name__ == "relu"
    with pytest.raises(ValueError, match=r"different `go_backwards`"):
        Bidirectional(SimpleRNN(U), backward_layer=SimpleRNN(U))
    with pytest.raises(ValueError, match=r"same `return_sequences`.*True for the forward layer"):
        Bidirectional(SimpleRNN(U, return_sequences=True), backward_layer=SimpleRNN(U, go_backwards=True))
    stateful = Bidirectional(GRU(U, stateful=True))
    first = stateful(_x()).value
    assert len(stateful.states) == 2 and not np.allclose(stateful(_x()).value, first)
    stateful.reset_states()
    np.testing.assert_allclose(stateful(_x()).value, first, rtol=1e-6)
    with pytest.raises(AttributeError, match=r"needs a stateful layer"):
        layer.reset_states()


def test_bidirectional_config_round_trips():
    layer = Bidirectional(LSTM(U, return_sequences=True), merge_mode="sum", name="bi")
    layer(_x())
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "merge_mode", "layer", "backward_layer"}
    assert config["layer"]["class_name"] == "LSTM" and config["layer"]["config"]["name"] == "forward_lstm"
    assert config["backward_layer"]["config"]["go_backwards"]
    clone = Bidirectional.from_config(config)
    clone(_x())  # built as the original was (a built layer's config carries its build_config, as Keras's)
    assert clone.get_config() == config and clone.forward_layer.name == "forward_lstm"
    model = Sequential([Input((T, F)), layer, TimeDistributed(Dense(2))])
    again = Sequential.from_config(model.get_config())
    assert again.get_config() == model.get_config() and again.count_params() == model.count_params()
    source = Bidirectional(SimpleRNN(2))
    source(_x())
    weighted = Bidirectional(SimpleRNN(2), weights=source.get_weights())  # set once built, as Keras
    np.testing.assert_array_equal(weighted(_x()).value, source(_x()).value)


def test_bidirectional_errors():
    with pytest.raises(ValueError, match=r"invalid merge mode.*'max'"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match=r"`layer` must be a layer instance"):
        Bidirectional("lstm")
    with pytest.raises(ValueError, match=r"single output tensor, but Bidirectional 'bidirectional' gives 2"):
        Sequential([Input((T, F)), Bidirectional(LSTM(2), merge_mode=None)])
    with pytest.raises(ValueError, match=r"Bidirectional 'bidirectional_1'.*expected min_ndim=3.*x\[\.\.\., None\]"):
        Bidirectional(LSTM(2))(np.zeros((2, 5), np.float32))


def test_time_distributed_dense():
    x = _x(shape=(N, T, 5))
    dense = Dense(4, activation="relu")
    layer = TimeDistributed(dense)
    out = layer(x)
    assert out.shape == (N, T, 4) and layer.count_params() == 24
    expected = np.stack([dense(x[:, t]).value for t in range(T)], axis=1)
    np.testing.assert_allclose(out.value, expected, rtol=1e-6)
    assert layer.compute_output_shape((None, T, 5)) == (None, T, 4)
    check_grads(lambda t: layer(t), [x.astype(np.float64)], params=layer.trainable_weights)
    model = Sequential([Input((T, 5)), TimeDistributed(Dense(3)), LSTM(2)])
    assert model.output_shape == (None, 2) and model.layers[0].output_shape == (None, T, 3)
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "layer"} and config["layer"]["class_name"] == "Dense"
    assert TimeDistributed.from_config(config).get_config() == config
    images = TimeDistributed(layers.Conv2D(2, 3))
    assert images(np.zeros((2, 3, 6, 6, 1), np.float32)).shape == (2, 3, 4, 4, 2)
    with pytest.raises(ValueError, match=r"expected min_ndim=3"):
        TimeDistributed(Dense(2))(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"`layer` must be a layer instance"):
        TimeDistributed(Dense)


class _Residual(layers.Wrapper):
    """A user's wrapper, as Keras programs write them: its own call around the wrapped layer."""

    def call(self, inputs):
        return layers.concatenate([self.layer(inputs), inputs])


def test_wrapper_base_class_for_custom_wrappers(tmp_path):
    inputs = Input((3,))
    wrapped = _Residual(Dense(2, name="inner"))
    outputs = wrapped(inputs)
    assert tuple(outputs.shape) == (None, 5)  # traced from the subclass's call
    model = dendrite.Model(inputs, outputs)
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    y = model(x).numpy()
    np.testing.assert_allclose(y[:, 2:], x)
    assert [w.name for w in wrapped.weights] == ["kernel", "bias"]
    config = wrapped.get_config()
    assert config["layer"]["class_name"] == "Dense"
    path = str(tmp_path / "w.keras")
    model.save(path)
    loaded = dendrite.saving.load_model(path, custom_objects={"_Residual": _Residual})
    np.testing.assert_allclose(loaded(x).numpy(), y, rtol=1e-6)
    check_grads(lambda v: wrapped(v), [x[:2]], params=wrapped.trainable_weights)


def test_wrapper_alone_runs_its_layer_and_refuses_non_layers():
    plain = layers.Wrapper(Dense(4))
    assert tuple(plain(Input((3,))).shape) == (None, 4)
    with pytest.raises(ValueError, match="layer instance"):
        layers.Wrapper("dense")
