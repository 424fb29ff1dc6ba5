"""The Keras 3 activations beyond the classic ones: values against Keras 3.15.1, float64 gradient
checks, use by name in layers, and get / serialize round-trips."""
import numpy as np
import pytest

import dendrite
from dendrite import GradientTape, activations, constant, layers
from dendrite.testing import check_grads, run_layer_test

X = np.array([-7.0, -3.0, -1.0, -0.5, -0.2, 0.0, 0.3, 0.5, 1.0, 2.0, 7.0])

# keras.activations.<name>(X) in float64, printed by Keras 3.15.1 (TensorFlow backend).
KERAS_VALUES = {
    "relu6": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.5, 1.0, 2.0, 6.0],
    "mish": [-0.006380263409573668, -0.14564746127562458, -0.3034014613741089, -0.22074377465173,
             -0.10714478086835713, 0.0, 0.20800137234811503, 0.37524521130489513, 0.8650983882673103,
             1.9439589595339946, 6.999988379809741],
    "hard_silu": [-0.0, -0.0, -0.3333333333333333, -0.20833333333333334, -0.09333333333333332, 0.0,
                  0.16499999999999998, 0.2916666666666667, 0.6666666666666666, 1.6666666666666667, 7.0],
    "log_sigmoid": [-7.000911466453775, -3.048587351573742, -1.3132616875182228, -0.9740769841801067,
                    -0.7981388693815918, -0.6931471805599453, -0.5543552444685271, -0.4740769841801067,
                    -0.31326168751822286, -0.1269280110429725, -0.0009114664537742447],
    "celu": [-0.9990881180344455, -0.950212931632136, -0.6321205588285577, -0.3934693402873666,
             -0.18126924692201815, 0.0, 0.3, 0.5, 1.0, 2.0, 7.0],
    "hard_tanh": [-1.0, -1.0, -1.0, -0.5, -0.2, 0.0, 0.3, 0.5, 1.0, 1.0, 1.0],
    "squareplus": [0.14005494464025903, 0.30277563773199456, 0.6180339887498949, 0.7807764064044151,
                   0.904987562112089, 1.0, 1.161187420807834, 1.2807764064044151, 1.618033988749895,
                   2.414213562373095, 7.140054944640259],
    "soft_shrink": [-6.5, -2.5, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.5, 6.5],
    "hard_shrink": [-7.0, -3.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 7.0],
    "tanh_shrink": [-6.0000016630560555, -2.0049452463132695, -0.23840584404423515, -0.03788284273999021,
                    -0.002624679775096006, 0.0, 0.008687387548409142, 0.03788284273999021, 0.23840584404423515,
                    1.035972419924183, 6.0000016630560555],
    "sparse_plus": [0.0, 0.0, 0.0, 0.0625, 0.16000000000000003, 0.25, 0.42250000000000004, 0.5625, 1.0, 2.0, 7.0],
    "sparse_sigmoid": [0.0, 0.0, 0.0, 0.25, 0.4, 0.5, 0.65, 0.75, 1.0, 1.0, 1.0],
}
KERAS_VALUES["hard_swish"] = KERAS_VALUES["hard_silu"]

# The same, with non-default arguments.
KERAS_VALUES_WITH_ARGS = [
    ("celu", {"alpha": 0.5}, [-0.49999958423564045, -0.4987606239116668, -0.43233235838169376,
                              -0.31606027941427883, -0.16483997698218036, 0.0, 0.3, 0.5, 1.0, 2.0, 7.0]),
    ("squareplus", {"b": 1}, [0.03553390593273775, 0.08113883008418976, 0.20710678118654757, 0.30901699437494745,
                              0.40990195135927854, 0.5, 0.6720153254455276, 0.8090169943749475, 1.2071067811865475,
                              2.118033988749895, 7.035533905932738]),
    ("soft_shrink", {"threshold": 1.0}, [-6.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 6.0]),
    ("hard_shrink", {"threshold": 1.0}, [-7.0, -3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 7.0]),
    ("threshold", {"threshold": 0.4, "default_value": -2.0},
     [-2.0, -2.0, -2.0, -2.0, -2.0, -2.0, -2.0, 0.5, 1.0, 2.0, 7.0]),
]

NEW_NAMES = ["relu6", "mish", "hard_silu", "hard_swish", "log_sigmoid", "celu", "hard_tanh", "squareplus",
             "soft_shrink", "hard_shrink", "tanh_shrink", "log_softmax", "glu", "sparse_plus", "sparse_sigmoid",
             "sparsemax", "threshold"]

rs = np.random.default_rng(0)


def f64(a):
    return constant(a, dtype="float64")


@pytest.mark.parametrize("name", sorted(KERAS_VALUES))
def test_values_match_keras(name):
    out = activations.get(name)(f64(X))
    np.testing.assert_allclose(out.numpy(), KERAS_VALUES[name], rtol=1e-12, atol=1e-15)
    assert out.numpy().dtype == np.float64


@pytest.mark.parametrize("name,kwargs,expected", KERAS_VALUES_WITH_ARGS)
def test_values_with_arguments_match_keras(name, kwargs, expected):
    out = getattr(activations, name)(f64(X), **kwargs)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-15)


def test_glu_and_log_softmax_match_keras():
    m = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 4.0, -1.0, -0.5]])
    out = activations.glu(f64(m))
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out.numpy(), [[0.6224593312018546, -1.9051482536448665],
                                             [0.0, 1.5101626751925818]], rtol=1e-12, atol=1e-15)
    out = activations.glu(f64(m), axis=0)
    assert out.shape == (1, 4)
    np.testing.assert_allclose(out.numpy(), [[0.5, -1.964027580075817, 0.13447071068499755, 1.1326220063944363]],
                               rtol=1e-12)
    np.testing.assert_allclose(activations.get("log_softmax")(f64(m)).numpy(),
                               [[-2.2022534476793516, -5.202253447679352, -2.7022534476793516, -0.20225344767935172],
                                [-4.0355240643683095, -0.03552406436830981, -5.0355240643683095,
                                 -4.5355240643683095]], rtol=1e-12)


def test_sparsemax_is_the_projection_onto_the_simplex():
    # Martins & Astudillo (2016): max(x - tau, 0), tau = (sum of the k largest - 1) / k, k the size of the
    # support. Keras 3.15.1 agrees on the first row ([1, 0, 0]) but computes tau from the sum of the partial
    # sums (giving [0.2667, 0.1667, 0.0667] for the second row, which does not sum to 1); dendrite follows the
    # documented definition.
    x = np.array([[1.0, 0.0, -1.0], [0.2, 0.1, 0.0], [2.0, 1.5, 0.1]])
    expected = [[1.0, 0.0, 0.0], [0.7 / 3 + 0.2, 0.7 / 3 + 0.1, 0.7 / 3], [0.75, 0.25, 0.0]]
    out = activations.sparsemax(f64(x)).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(activations.sparsemax(f64(x.T), axis=0).numpy(), np.transpose(expected),
                               rtol=1e-12, atol=1e-15)
    # Adding a constant does not change the projection.
    np.testing.assert_allclose(activations.sparsemax(f64(x + 5.0)).numpy(), expected, rtol=1e-9, atol=1e-12)


def test_log_sigmoid_is_stable_for_large_inputs():
    x = np.array([-1000.0, -50.0, 50.0, 1000.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is fine
        t = f64(x)
        with GradientTape() as tape:
            tape.watch(t)
            y = activations.log_sigmoid(t)
            total = dendrite.ops.sum(y)
        grad = tape.gradient(total, t)
        y32 = activations.log_sigmoid(constant(x.astype(np.float32))).numpy()
    # Keras 3.15.1: [-1000.0, -50.0, -1.9287498479639178e-22, -0.0]; the gradient is sigmoid(-x).
    np.testing.assert_allclose(y.numpy(), [-1000.0, -50.0, -1.9287498479639178e-22, 0.0], rtol=1e-12)
    np.testing.assert_allclose(grad, [1.0, 1.0, 1.9287498479639178e-22, 0.0], rtol=1e-12)
    assert y32.dtype == np.float32 and np.all(np.isfinite(y32))
    np.testing.assert_allclose(y32, [-1000.0, -50.0, -1.9287498e-22, 0.0], rtol=1e-6)


def test_squareplus_does_not_cancel_for_very_negative_inputs():
    # (x + sqrt(x**2 + b)) / 2 = b / (2 * (sqrt(x**2 + b) - x)); in float32 the first form rounds to 0 at
    # x = -1e4 (Keras 3.15.1 returns 0.0 there), the second keeps the value, ~b / (4 |x|).
    x = np.array([-1e4, -100.0], dtype=np.float32)
    out = activations.squareplus(constant(x)).numpy()
    exact = 4.0 / (2 * (np.sqrt(x.astype(np.float64) ** 2 + 4) - x.astype(np.float64)))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, exact, rtol=1e-6)
    # b = 0 is relu.
    np.testing.assert_array_equal(activations.squareplus(f64(X), b=0).numpy(), np.maximum(X, 0))


def test_branches_do_not_leak_nan_from_infinities():
    x = constant(np.array([-np.inf, -0.2, np.inf], dtype=np.float32))
    np.testing.assert_array_equal(activations.threshold(x, 0.4, -2.0).numpy(), [-2.0, -2.0, np.inf])
    np.testing.assert_allclose(activations.sparse_plus(x).numpy(), [0.0, 0.16, np.inf], rtol=1e-6)
    np.testing.assert_array_equal(activations.soft_shrink(x).numpy(), [-np.inf, 0.0, np.inf])
    np.testing.assert_array_equal(activations.hard_shrink(x).numpy(), [-np.inf, 0.0, np.inf])
    np.testing.assert_array_equal(activations.relu6(x).numpy(), [0.0, 0.0, 6.0])
    np.testing.assert_array_equal(activations.hard_tanh(x).numpy(), np.float32([-1.0, -0.2, 1.0]))


@pytest.mark.parametrize("name", NEW_NAMES)
def test_float32_stays_float32(name):
    fn = activations.get(name)
    x = constant(rs.uniform(-4, 4, (3, 4)).astype(np.float32))
    out = fn(x, 0.4, -1.0) if name == "threshold" else fn(x)
    assert out.numpy().dtype == np.float32


def _away_from(kinks, shape, low=-8.0, high=8.0, gap=0.05):
    """Random values at least ``gap`` from every kink (where finite differences would straddle one)."""
    x = rs.uniform(low, high, shape)
    for k in kinks:
        near = np.abs(x - k) < gap
        x[near] = k + np.where(x[near] >= k, 2 * gap, -2 * gap)
    return x


GRADIENT_CASES = [
    ("relu6", lambda x: activations.relu6(x), [0.0, 6.0]),
    ("mish", lambda x: activations.mish(x), []),
    ("hard_silu", lambda x: activations.hard_silu(x), [-3.0, 3.0]),
    ("hard_swish", lambda x: activations.get("hard_swish")(x), [-3.0, 3.0]),
    ("log_sigmoid", lambda x: activations.log_sigmoid(x), []),
    ("celu", lambda x: activations.celu(x), [0.0]),
    ("celu_alpha", lambda x: activations.celu(x, alpha=0.7), [0.0]),
    ("hard_tanh", lambda x: activations.hard_tanh(x), [-1.0, 1.0]),
    ("squareplus", lambda x: activations.squareplus(x), []),
    ("squareplus_b", lambda x: activations.squareplus(x, b=0.5), []),
    ("soft_shrink", lambda x: activations.soft_shrink(x), [-0.5, 0.5]),
    ("hard_shrink", lambda x: activations.hard_shrink(x, threshold=1.0), [-1.0, 1.0]),
    ("tanh_shrink", lambda x: activations.tanh_shrink(x), []),
    ("threshold", lambda x: activations.threshold(x, 0.4, -2.0), [0.4]),
    ("sparse_plus", lambda x: activations.sparse_plus(x), [-1.0, 1.0]),
    ("sparse_sigmoid", lambda x: activations.sparse_sigmoid(x), [-1.0, 1.0]),
    ("log_softmax", lambda x: activations.log_softmax(x), []),
    ("glu", lambda x: activations.glu(x), []),
    ("glu_axis0", lambda x: activations.glu(x, axis=0), []),
]


@pytest.mark.parametrize("name,fn,kinks", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
def test_gradients_float64(name, fn, kinks):
    check_grads(fn, [_away_from(kinks, (4, 6))])


def test_squareplus_gradient_at_zero_and_far_out():
    check_grads(activations.squareplus, [np.array([0.0, -1e3, 1e3, -30.0, 30.0])])


def test_sparsemax_gradient_float64():
    x = rs.normal(0.0, 1.0, (4, 5))
    support = activations.sparsemax(f64(x)).numpy() > 0
    assert support.sum(axis=-1).max() > 1  # some rows spread over several entries
    check_grads(activations.sparsemax, [x])
    check_grads(lambda t: activations.sparsemax(t, axis=0), [x])


def test_dense_with_relu6_by_name():
    layer = layers.Dense(3, activation="relu6")
    x = rs.normal(0.0, 3.0, (5, 4))
    out = layer(x).numpy()
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(out, np.clip(x @ kernel + bias, 0.0, 6.0), rtol=1e-6, atol=1e-6)
    assert layer.get_config()["activation"] == "relu6"
    assert layers.Dense.from_config(layer.get_config()).activation is activations.relu6
    run_layer_test(layers.Dense, {"units": 3, "activation": "relu6"}, (2, 4), (2, 3),
                   expected_num_trainable_weights=2)


def test_activation_layer_with_mish_and_model_training():
    layer = run_layer_test(layers.Activation, {"activation": "mish"}, (3, 4), (3, 4))
    x = np.array([[-1.0, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(layer(x).numpy(), [[KERAS_VALUES["mish"][2], 0.0, KERAS_VALUES["mish"][7],
                                                   KERAS_VALUES["mish"][9]]], rtol=1e-6)
    model = dendrite.Sequential([layers.Input((4,)), layers.Dense(8, activation="hard_swish"),
                                 layers.Activation("mish"), layers.Dense(1, activation="log_sigmoid")])
    model.compile(optimizer="adam", loss="mse")
    data = rs.normal(size=(32, 4)).astype(np.float32)
    target = -np.ones((32, 1), np.float32)
    history = model.fit(data, target, epochs=3, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.layers[0].get_config()["activation"] == "hard_silu"


@pytest.mark.parametrize("name", NEW_NAMES)
def test_get_and_serialize_round_trip(name):
    fn = activations.get(name)
    saved = activations.serialize(fn)
    # Keras 3.15.1: get("hard_swish") is hard_silu, serialized as 'hard_silu'; the other names as themselves.
    assert saved == ("hard_silu" if name == "hard_swish" else name)
    assert activations.get(saved) is fn
    assert getattr(activations, name) is fn


def test_swish_is_silu_and_saved_as_silu():
    # Keras 3.15.1: get("swish").__name__ == "silu", and Dense(activation="swish") saves "silu".
    assert activations.get("swish") is activations.silu is activations.swish
    assert activations.serialize(activations.get("swish")) == "silu"
    assert layers.Dense(2, activation="swish").get_config()["activation"] == "silu"


def test_unknown_name_lists_the_new_names():
    with pytest.raises(ValueError, match=r"Unknown activation: 'relu7'.*hard_silu.*mish.*relu6"):
        activations.get("relu7")


def test_bad_arguments_name_what_was_expected():
    x = f64(X)
    with pytest.raises(ValueError, match=r"celu: `alpha` must be non-zero.*Received: alpha=0.0"):
        activations.celu(x, alpha=0)
    with pytest.raises(ValueError, match=r"celu: `alpha` must be a number. Received: alpha='1'"):
        activations.celu(x, alpha="1")
    with pytest.raises(ValueError, match=r"squareplus: `b` must be non-negative.*Received: b=-1.0"):
        activations.squareplus(x, b=-1)
    with pytest.raises(ValueError, match=r"soft_shrink: `threshold` must be a number. Received: threshold=None"):
        activations.soft_shrink(x, threshold=None)
    with pytest.raises(ValueError, match=r"threshold: `default_value` must be a number"):
        activations.threshold(x, 0.5, default_value="zero")
    with pytest.raises(TypeError, match="default_value"):
        activations.threshold(x, 0.5)
    with pytest.raises(ValueError, match=r"glu: the size of `axis` must be divisible by 2.*x.shape=\(2, 3\)"):
        activations.glu(constant(np.ones((2, 3))))
    with pytest.raises(ValueError, match=r"glu: `axis` must be an integer axis.*Received: axis=2"):
        activations.glu(constant(np.ones((2, 4))), axis=2)
