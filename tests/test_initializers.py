import math

import numpy as np
import pytest

from dendrite import backend, initializers
from dendrite.initializers import compute_fans

TRUNC = 0.87962566103423978


@pytest.fixture(autouse=True)
def _seeded():
    backend.seed(1234)
    yield
    backend.seed(None)


# ------------------------------------------------------------------ fans
@pytest.mark.parametrize("shape, fans", [
    ((), (1, 1)),
    ((7,), (7, 7)),
    ((784, 200), (784, 200)),
    ((5, 4, 8), (20, 40)),             # Conv1D kernel: receptive field 5
    ((3, 3, 16, 32), (144, 288)),      # Conv2D kernel: receptive field 9
    ((2, 3, 3, 4, 6), (72, 108)),      # Conv3D kernel: receptive field 18
])
def test_compute_fans_matches_keras(shape, fans):
    assert compute_fans(shape) == fans


def test_fans_over_given_axes():
    """Keras 3's input_axes / output_axes: the fans are products over those axes, used only when both are
    given (an einsum kernel (in, heads, head_dim) has fan_in = in, fan_out = heads * head_dim)."""
    assert compute_fans((64, 4, 16), [0], [1, 2]) == (64, 64)
    assert compute_fans((64, 4, 16), [0], None) == (256, 1024)  # one alone: the usual rule
    init = initializers.VarianceScaling(1.0, "fan_in", "uniform", input_axes=[0], output_axes=[1, 2])
    w = init((64, 4, 16))
    limit = math.sqrt(3.0 / 64)
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.9 * limit  # (the usual rule: sqrt(3 / 256))
    with pytest.raises(ValueError, match=r"VarianceScaling: input_axes=\[3\] / output_axes=\[1\] do not fit "
                                         r"a weight of shape \(4, 5\)"):
        initializers.VarianceScaling(input_axes=[3], output_axes=[1])((4, 5))
    assert initializers.HeNormal(input_axes=0, output_axes=1).input_axes == [0]  # an int is one axis
    with pytest.raises(ValueError, match=r"GlorotUniform: expected `input_axes` to be None or a list of ints"):
        initializers.GlorotUniform(input_axes="0")


def test_keras_initializer_config_loads():
    """The config that Keras 3.15 writes for a Conv2D kernel initializer (module and registered_name
    included) gives the same initializer."""
    keras_config = {"module": "keras.initializers", "class_name": "GlorotUniform",
                    "config": {"seed": None, "input_axes": None, "output_axes": None}, "registered_name": None}
    init = initializers.get(keras_config)
    assert type(init) is initializers.GlorotUniform and init.input_axes is None


# ------------------------------------------------------- variance scaling
PRESETS = [
    # class, scale, mode, distribution
    (initializers.GlorotUniform, 1.0, "fan_avg", "uniform"),
    (initializers.GlorotNormal, 1.0, "fan_avg", "truncated_normal"),
    (initializers.HeUniform, 2.0, "fan_in", "uniform"),
    (initializers.HeNormal, 2.0, "fan_in", "truncated_normal"),
    (initializers.LecunUniform, 1.0, "fan_in", "uniform"),
    (initializers.LecunNormal, 1.0, "fan_in", "truncated_normal"),
]


@pytest.mark.parametrize("cls, scale, mode, distribution", PRESETS, ids=lambda p: getattr(p, "__name__", None))
@pytest.mark.parametrize("shape", [(300, 500), (3, 3, 32, 64)])
def test_variance_scaling_presets_follow_their_formula(cls, scale, mode, distribution, shape):
    init = cls()
    assert (init.scale, init.mode, init.distribution) == (scale, mode, distribution)
    w = init(shape)
    assert w.shape == shape and w.dtype == np.float32
    fan_in, fan_out = compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    var = scale / n
    if distribution == "uniform":
        limit = math.sqrt(3 * var)
        assert np.abs(w).max() <= np.float32(limit)
        assert np.abs(w).max() > 0.99 * limit
    else:
        bound = 2 * math.sqrt(var) / TRUNC
        assert np.abs(w).max() <= np.float32(bound)
        assert np.abs(w).max() > 0.95 * bound
    # The truncation constant makes the variance after truncation scale / n.
    assert abs(w.mean()) < 0.02 * math.sqrt(var)
    assert w.var() == pytest.approx(var, rel=0.03)


def test_glorot_uniform_limit_on_a_dense_kernel():
    w = initializers.get("glorot_uniform")((784, 200))
    limit = math.sqrt(6 / (784 + 200))
    assert np.abs(w).max() <= np.float32(limit)
    assert w.var() == pytest.approx(limit ** 2 / 3, rel=0.02)


@pytest.mark.parametrize("mode, n", [("fan_in", 144), ("fan_out", 5760), ("fan_avg", 2952)])
@pytest.mark.parametrize("distribution", ["uniform", "untruncated_normal", "truncated_normal"])
def test_variance_scaling_modes_on_a_conv_kernel(mode, n, distribution):
    # kernel (3, 3, 16, 640): receptive field 9, fan_in 9*16, fan_out 9*640
    w = initializers.VarianceScaling(scale=3.0, mode=mode, distribution=distribution)((3, 3, 16, 640))
    assert w.var() == pytest.approx(3.0 / n, rel=0.03)
    if distribution == "untruncated_normal":
        assert np.abs(w).max() > 3.5 * math.sqrt(3.0 / n)  # tails are kept


def test_variance_scaling_normal_means_truncated_and_rejects_bad_args():
    assert initializers.VarianceScaling(distribution="Normal").distribution == "truncated_normal"
    with pytest.raises(ValueError, match=r"scale.*received scale=0"):
        initializers.VarianceScaling(scale=0)
    with pytest.raises(ValueError, match=r"mode.*'fan_in', 'fan_out', 'fan_avg'.*received mode='fan'"):
        initializers.VarianceScaling(mode="fan")
    with pytest.raises(ValueError, match=r"distribution.*received distribution='gamma'"):
        initializers.VarianceScaling(distribution="gamma")


# ----------------------------------------------------------- plain random
def test_random_uniform_defaults_and_bounds():
    init = initializers.RandomUniform()
    assert (init.minval, init.maxval) == (-0.05, 0.05)
    w = init((200, 300))
    assert w.min() >= np.float32(-0.05) and w.max() <= np.float32(0.05)
    assert w.var() == pytest.approx(0.1 ** 2 / 12, rel=0.03)
    w = initializers.RandomUniform(2.0, 3.0)((1000,), dtype="float64")
    assert w.dtype == np.float64 and 2.0 <= w.min() and w.max() < 3.0


def test_random_normal_defaults():
    init = initializers.RandomNormal()
    assert (init.mean, init.stddev) == (0.0, 0.05)
    w = initializers.RandomNormal(mean=1.0, stddev=0.5)((400, 500))
    assert w.mean() == pytest.approx(1.0, abs=0.005)
    assert w.std() == pytest.approx(0.5, rel=0.01)
    assert np.abs(w - 1.0).max() > 2 * 0.5  # not truncated


def test_truncated_normal_never_beyond_two_stddev():
    init = initializers.TruncatedNormal()
    assert (init.mean, init.stddev) == (0.0, 0.05)
    w = initializers.TruncatedNormal(mean=0.5, stddev=0.1)((400, 500))
    assert np.abs(w - 0.5).max() <= np.float32(0.2) + 1e-7
    assert np.abs(w - 0.5).max() > 0.199
    # A standard normal cut at +-2 keeps a variance of 0.8796^2 of the original.
    assert w.std() == pytest.approx(0.1 * TRUNC, rel=0.01)


def test_random_initializers_need_a_float_dtype():
    with pytest.raises(ValueError, match=r"GlorotUniform: expected a floating-point dtype.*int32"):
        initializers.GlorotUniform()((2, 2), dtype="int32")


# ------------------------------------------------------ structured values
@pytest.mark.parametrize("shape", [(50, 30), (30, 50), (3, 3, 4, 8)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape):
    w = initializers.Orthogonal()(shape).astype(np.float64)
    m = w.reshape(-1, shape[-1])
    if m.shape[0] >= m.shape[1]:
        np.testing.assert_allclose(m.T @ m, np.eye(m.shape[1]), atol=1e-5)
    else:
        np.testing.assert_allclose(m @ m.T, np.eye(m.shape[0]), atol=1e-5)
    g = initializers.Orthogonal(gain=2.0, seed=3)((20, 10)).astype(np.float64)
    np.testing.assert_allclose(g.T @ g, 4 * np.eye(10), atol=1e-4)


def test_orthogonal_rejects_vectors():
    with pytest.raises(ValueError, match=r"Orthogonal: expected a shape of rank 2 or more; received shape=\(5,\)"):
        initializers.Orthogonal()((5,))


def test_identity_zeros_ones_constant():
    np.testing.assert_array_equal(initializers.Identity()((3, 3)), np.eye(3))
    np.testing.assert_array_equal(initializers.Identity(gain=2.0)((2, 4)), 2 * np.eye(2, 4))
    with pytest.raises(ValueError, match=r"Identity: expected a 2-D shape.*shape=\(2, 2, 2\) of rank 3"):
        initializers.Identity()((2, 2, 2))
    z = initializers.Zeros()((2, 3))
    assert z.dtype == np.float32 and not z.any()
    o = initializers.Ones()((4,), dtype="int32")
    assert o.dtype == np.int32 and (o == 1).all()
    c = initializers.Constant(3.5)((2, 2))
    assert c.dtype == np.float32 and (c == 3.5).all()
    assert (initializers.Constant()((3,)) == 0).all()
    np.testing.assert_array_equal(initializers.Constant([1.0, 2.0])((2, 2)), [[1, 2], [1, 2]])


def test_dtype_follows_floatx():
    backend.set_floatx("float64")
    try:
        assert initializers.HeNormal()((3, 4)).dtype == np.float64
        assert initializers.Zeros()((3,)).dtype == np.float64
    finally:
        backend.set_floatx("float32")


# ---------------------------------------------------------- seeding
@pytest.mark.parametrize("name", ["glorot_uniform", "he_normal", "random_normal", "truncated_normal",
                                  "random_uniform", "orthogonal", "lecun_uniform"])
def test_seeded_initializers_repeat_and_unseeded_follow_backend_seed(name):
    cls = type(initializers.get(name))
    a = cls(seed=7)((6, 5))
    np.testing.assert_array_equal(a, cls(seed=7)((6, 5)))
    np.testing.assert_array_equal(a, cls(seed=7)((6, 5)))
    assert not np.array_equal(a, cls(seed=8)((6, 5)))
    backend.seed(5)
    first, second = cls()((6, 5)), cls()((6, 5))
    assert not np.array_equal(first, second)
    backend.seed(5)
    np.testing.assert_array_equal(cls()((6, 5)), first)


def test_seed_must_be_an_integer():
    with pytest.raises(ValueError, match=r"^GlorotUniform: `seed` must be an integer >= 0 or None\. Received: "
                                         r"seed=1\.5 \(type float\)\. Pass e\.g\. seed=42"):
        initializers.GlorotUniform(seed=1.5)
    with pytest.raises(ValueError, match=r"GlorotUniform: `seed` must be an integer >= 0 or None\. Received: seed=-1\."):
        initializers.GlorotUniform(seed=-1)


# ------------------------------------------------------------ registry
@pytest.mark.parametrize("name, cls", [
    ("glorot_uniform", initializers.GlorotUniform), ("glorot_normal", initializers.GlorotNormal),
    ("he_uniform", initializers.HeUniform), ("he_normal", initializers.HeNormal),
    ("lecun_uniform", initializers.LecunUniform), ("lecun_normal", initializers.LecunNormal),
    ("zeros", initializers.Zeros), ("zero", initializers.Zeros),
    ("ones", initializers.Ones), ("one", initializers.Ones),
    ("constant", initializers.Constant), ("identity", initializers.Identity),
    ("random_uniform", initializers.RandomUniform), ("uniform", initializers.RandomUniform),
    ("random_normal", initializers.RandomNormal), ("normal", initializers.RandomNormal),
    ("truncated_normal", initializers.TruncatedNormal), ("orthogonal", initializers.Orthogonal),
    ("variance_scaling", initializers.VarianceScaling),
    ("GlorotUniform", initializers.GlorotUniform), ("Orthogonal", initializers.Orthogonal),
    ("OrthogonalInitializer", initializers.Orthogonal),
])
def test_get_resolves_names_and_aliases(name, cls):
    assert type(initializers.get(name)) is cls


def test_get_accepts_dicts_classes_instances_callables_and_none():
    init = initializers.get({"class_name": "RandomNormal", "config": {"mean": 1.0, "stddev": 2.0, "seed": 3}})
    assert isinstance(init, initializers.RandomNormal) and (init.mean, init.stddev, init.seed) == (1.0, 2.0, 3)
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    inst = initializers.Constant(2.0)
    assert initializers.get(inst) is inst

    def custom(shape, dtype=None):
        return np.full(shape, 7.0, dtype="float32")

    assert initializers.get(custom) is custom
    # a plain function as Keras 3.15.1 writes one (serialize_keras_object)
    assert initializers.serialize(custom) == {"module": "builtins", "class_name": "function", "config": "custom",
                                              "registered_name": "function"}
    assert initializers.get(None) is None


def test_get_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError) as info:
        initializers.get("glorot_unifrom")
    msg = str(info.value)
    assert "Received: identifier='glorot_unifrom'" in msg
    assert "Did you mean 'glorot_uniform'?" in msg
    for name in ["glorot_uniform", "he_normal", "zeros", "zero", "ones", "one", "constant", "uniform",
                 "normal", "random_uniform", "random_normal", "truncated_normal", "orthogonal",
                 "identity", "lecun_normal", "variance_scaling", "GlorotUniform"]:
        assert repr(name) in msg
    with pytest.raises(ValueError, match=r"initializers.get: expected a name.*received identifier=3"):
        initializers.get(3)


@pytest.mark.parametrize("init, config", [
    # the keys of Keras 3.15's configs (input_axes / output_axes: see test_fans_over_given_axes)
    (initializers.GlorotUniform(seed=1), {"seed": 1, "input_axes": None, "output_axes": None}),
    (initializers.HeNormal(), {"seed": None, "input_axes": None, "output_axes": None}),
    (initializers.HeUniform(input_axes=[0], output_axes=[1, 2]), {"seed": None, "input_axes": [0],
                                                                  "output_axes": [1, 2]}),
    (initializers.VarianceScaling(2.0, "fan_out", "uniform", seed=4),
     {"seed": 4, "scale": 2.0, "mode": "fan_out", "distribution": "uniform", "input_axes": None,
      "output_axes": None}),
    (initializers.RandomUniform(), {"seed": None, "minval": -0.05, "maxval": 0.05}),
    (initializers.RandomNormal(stddev=0.1), {"seed": None, "mean": 0.0, "stddev": 0.1}),
    (initializers.TruncatedNormal(seed=2), {"seed": 2, "mean": 0.0, "stddev": 0.05}),
    (initializers.Orthogonal(gain=0.5), {"seed": None, "gain": 0.5}),
    (initializers.Identity(gain=3.0), {"gain": 3.0}),
    (initializers.Constant(0.25), {"value": 0.25}),
    (initializers.Zeros(), {}),
    (initializers.Ones(), {}),
])
def test_config_round_trip(init, config):
    assert init.get_config() == config
    again = type(init).from_config(init.get_config())
    assert again.get_config() == config
    data = initializers.serialize(init)
    assert data == {"module": "keras.initializers", "class_name": type(init).__name__, "config": config,
                    "registered_name": None}  # Keras 3.15.1's serialize_keras_object
    assert initializers.get(data).get_config() == config
    if config.get("seed") is not None:
        np.testing.assert_array_equal(again((4, 3)), init((4, 3)))


def test_from_config_names_unknown_arguments():
    with pytest.raises(TypeError, match=r"GlorotUniform.from_config: unknown argument\(s\) \['scale'\]"):
        initializers.GlorotUniform.from_config({"seed": None, "scale": 2.0})
