"""BatchNormalization, LayerNormalization and UnitNormalization: Keras's weights and parameter counts, training and
inference against formulas written here, moving statistics, gradients, config and errors."""
import numpy as np
import pytest

from dendrite.autodiff import GradientTape, Tensor
from dendrite.layers.core import Input
from dendrite.layers.normalization import BatchNormalization, LayerNormalization, UnitNormalization
from dendrite.testing import check_grads

rs = np.random.default_rng(0)


def _count(weights):
    return sum(int(np.prod(w.shape)) for w in weights)


# ------------------------------------------------ Keras's numbers
@pytest.mark.parametrize("kwargs, shape, total, non_trainable, names", [
    # the codelab CNN+BN: BatchNormalization(scale=False, center=True) after Conv2D(24/48/64) and Dense(200)
    ({"scale": False}, (28, 28, 24), 72, 48, ["beta", "moving_mean", "moving_variance"]),
    ({"scale": False}, (14, 14, 48), 144, 96, ["beta", "moving_mean", "moving_variance"]),
    ({"scale": False}, (7, 7, 64), 192, 128, ["beta", "moving_mean", "moving_variance"]),
    ({"scale": False}, (200,), 600, 400, ["beta", "moving_mean", "moving_variance"]),
    ({}, (10,), 40, 20, ["gamma", "beta", "moving_mean", "moving_variance"]),
    ({"center": False}, (4, 4, 8), 24, 16, ["gamma", "moving_mean", "moving_variance"]),
    ({"axis": 1}, (6, 5, 5), 24, 12, ["gamma", "beta", "moving_mean", "moving_variance"]),
])
def test_batch_norm_weights_and_parameter_counts(kwargs, shape, total, non_trainable, names):
    layer = BatchNormalization(**kwargs)
    assert layer(Input(shape)).shape == (None,) + shape
    assert [w.name for w in layer.weights] == names
    assert layer.count_params() == total
    assert _count(layer.non_trainable_weights) == non_trainable
    assert _count(layer.trainable_weights) == total - non_trainable
    assert [w.name for w in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]


def test_batch_norm_keras_defaults():
    layer = BatchNormalization()
    assert (layer.axis, layer.momentum, layer.epsilon, layer.center, layer.scale) == (-1, 0.99, 1e-3, True, True)
    layer(np.zeros((2, 3), np.float32))
    for w, value in zip(layer.get_weights(), [1, 0, 0, 1]):  # gamma ones, beta zeros, mean zeros, variance ones
        np.testing.assert_array_equal(w, np.full(3, value, np.float32))


# ------------------------------------------------ training, moving statistics, inference
@pytest.mark.parametrize("shape, axis", [((16, 5, 5, 6), -1), ((32, 7), -1), ((8, 6, 4, 4), 1), ((4, 3, 5), 1)])
def test_training_output_is_normalised_and_moving_statistics_follow_the_formula(shape, axis):
    x = (rs.standard_normal(shape) * 3 + 5).astype(np.float32)
    layer = BatchNormalization(axis=axis, scale=False)
    y = layer(x, training=True).value
    axes = tuple(i for i in range(len(shape)) if i != axis % len(shape))
    np.testing.assert_allclose(y.mean(axis=axes), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=axes), 1 - 1e-3 / (x.var(axis=axes) + 1e-3), rtol=1e-4)
    mean, var = x.astype(np.float64).mean(axis=axes), x.astype(np.float64).var(axis=axes)  # biased variance
    np.testing.assert_allclose(layer.moving_mean.value, 0 * 0.99 + mean * 0.01, rtol=1e-5)
    np.testing.assert_allclose(layer.moving_variance.value, 1 * 0.99 + var * 0.01, rtol=1e-5)
    assert layer.moving_mean.value.dtype == np.float32
    # a second step moves the averages again
    layer(x, training=True)
    np.testing.assert_allclose(layer.moving_mean.value, (mean * 0.01) * 0.99 + mean * 0.01, rtol=1e-5)


@pytest.mark.parametrize("kwargs, shape", [({}, (4, 3, 3, 5)), ({"scale": False}, (6, 8)),
                                           ({"axis": 1, "center": False}, (3, 4, 2, 2)),
                                           ({"momentum": 0.9, "epsilon": 0.1}, (5, 2, 6))])
def test_inference_uses_the_moving_statistics(kwargs, shape):
    layer = BatchNormalization(**kwargs)
    x = rs.standard_normal(shape).astype(np.float32)
    layer(x)
    c = shape[layer.axis]
    weights = [rs.standard_normal(c).astype(np.float32) for _ in layer.weights[:-1]] + \
              [rs.random(c).astype(np.float32) + 0.5]
    layer.set_weights(weights)
    named = dict(zip([w.name for w in layer.weights], weights))
    b = [1] * len(shape)
    b[layer.axis] = c
    eps = layer.epsilon
    expected = (x - named["moving_mean"].reshape(b)) / np.sqrt(named["moving_variance"].reshape(b) + eps)
    expected = expected * named.get("gamma", np.ones(c)).reshape(b) + named.get("beta", np.zeros(c)).reshape(b)
    for training in (None, False):
        np.testing.assert_allclose(layer(x, training=training).value, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(layer.moving_mean.value, named["moving_mean"])  # not updated


def test_frozen_layer_runs_in_inference_mode():
    layer = BatchNormalization()
    x = (rs.standard_normal((8, 4)) * 2 + 3).astype(np.float32)
    layer(x)
    layer.trainable = False
    before = layer.get_weights()
    y = layer(x, training=True).value
    np.testing.assert_allclose(y, x / np.sqrt(1 + 1e-3), rtol=1e-6)  # moving mean 0, variance 1
    for w, b in zip(layer.get_weights(), before):
        np.testing.assert_array_equal(w, b)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4


def test_tape_gives_gamma_and_beta_gradients_in_training():
    layer = BatchNormalization()
    x = Tensor(rs.standard_normal((6, 3)).astype(np.float32))
    with GradientTape() as tape:
        y = layer(x, training=True)
    grads = tape.gradient(y, layer.trainable_weights, output_gradients=np.ones_like(y.value))
    assert [g.shape for g in grads] == [(3,), (3,)]
    np.testing.assert_allclose(grads[0], 0, atol=1e-5)  # sum of a normalised batch is 0
    np.testing.assert_allclose(grads[1], 6.0)  # d sum(y) / d beta = batch size


# ------------------------------------------------ gradients
@pytest.mark.parametrize("kwargs, shape", [({}, (4, 3)), ({"scale": False}, (2, 3, 3, 4)),
                                           ({"center": False}, (3, 2, 2, 3)), ({"axis": 1}, (2, 3, 2, 2)),
                                           ({"scale": False, "center": False}, (5, 2))])
def test_batch_norm_gradients_in_training_and_inference(kwargs, shape):
    layer = BatchNormalization(**kwargs)
    x = rs.standard_normal(shape) * 2 + 1
    layer(x.astype(np.float32))
    for w in layer.trainable_weights:
        w.value[...] = rs.standard_normal(w.shape)
    layer.moving_variance.value[...] = rs.random(layer.moving_variance.shape) + 0.5
    check_grads(lambda t: layer(t, training=True), [x], params=layer.trainable_weights)
    check_grads(lambda t: layer(t, training=False), [x], params=layer.trainable_weights)


@pytest.mark.parametrize("axis, shape", [(-1, (3, 5)), (-1, (2, 3, 4)), ([1, 2], (2, 3, 4)), (1, (2, 3, 4)),
                                         ([-1, -3], (2, 3, 2, 4))])
def test_layer_norm_matches_formula_and_gradients(axis, shape):
    layer = LayerNormalization(axis=axis)
    x = rs.standard_normal(shape) * 3 + 1
    layer(x.astype(np.float32))
    for w in layer.weights:
        w.value[...] = rs.standard_normal(w.shape)
    axes = sorted(a % len(shape) for a in ([axis] if isinstance(axis, int) else axis))
    assert layer.gamma.shape == tuple(shape[a] for a in axes)
    b = [shape[i] if i in axes else 1 for i in range(len(shape))]
    x32 = x.astype(np.float32)
    mean = x32.mean(axis=tuple(axes), keepdims=True)
    var = x32.var(axis=tuple(axes), keepdims=True)
    expected = (x32 - mean) / np.sqrt(var + 1e-3) * layer.gamma.value.reshape(b) + layer.beta.value.reshape(b)
    np.testing.assert_allclose(layer(x32).value, expected, rtol=1e-4, atol=1e-5)
    check_grads(lambda t: layer(t, training=True), [x], params=layer.trainable_weights)


def test_layer_norm_weights_and_defaults():
    layer = LayerNormalization()
    assert (layer.axis, layer.epsilon, layer.center, layer.scale) == (-1, 1e-3, True, True)
    layer(Input((10, 16)))
    assert [w.name for w in layer.weights] == ["gamma", "beta"] and layer.count_params() == 32
    no_beta = LayerNormalization(axis=[1, 2], center=False)
    no_beta(Input((10, 16)))
    assert [w.name for w in no_beta.weights] == ["gamma"] and no_beta.count_params() == 160
    x = rs.standard_normal((2, 5)).astype(np.float32)
    plain = LayerNormalization(scale=False, center=False)
    expected = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(plain(x).value, expected, rtol=1e-5, atol=1e-6)


# ------------------------------------------------ config, regularizers, errors
@pytest.mark.parametrize("layer", [BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False,
                                                      gamma_initializer="zeros", gamma_regularizer="l2"),
                                   LayerNormalization(axis=[1, 2], epsilon=1e-6, scale=False)])
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_regularizer_losses():
    layer = BatchNormalization(gamma_regularizer="l2", beta_regularizer="l1")
    layer(np.ones((2, 3), np.float32))
    assert len(layer.losses) == 2


def test_errors_name_layer_and_shapes():
    layer = BatchNormalization(name="bn")
    layer(np.zeros((2, 4, 4, 3), np.float32))
    with pytest.raises(ValueError, match=r"'bn'.*axis 3.*value 3.*\(2, 4, 4, 5\)"):
        layer(np.zeros((2, 4, 4, 5), np.float32))
    with pytest.raises(ValueError, match=r"'bn'.*expected ndim=4.*\(2, 3\)"):
        layer(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"'bn2'.*axis=3.*\(2, 5, 4\)"):
        BatchNormalization(axis=3, name="bn2")(np.zeros((2, 5, 4), np.float32))
    with pytest.raises(ValueError, match=r"'bn3'.*axis=0.*batch axis"):
        BatchNormalization(axis=0, name="bn3")(np.zeros((2, 5), np.float32))
    with pytest.raises(ValueError, match=r"'bn4'.*axis 1.*\(None, None, 3\).*known size"):
        BatchNormalization(axis=1, name="bn4")(Input((None, 3)))
    with pytest.raises(TypeError, match=r"'bn5'.*`axis` must be an int.*\[1, 2\]"):
        BatchNormalization(axis=[1, 2], name="bn5")
    with pytest.raises(ValueError, match=r"momentum.*Received: momentum=1.5"):
        BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match=r"epsilon.*Received: epsilon=0"):
        LayerNormalization(epsilon=0)
    with pytest.raises(ValueError, match=r"'bn6'.*renorm=True.*not supported"):
        BatchNormalization(renorm=True, name="bn6")
    with pytest.raises(ValueError, match=r"'ln2'.*rms_scaling=True.*not supported"):
        LayerNormalization(rms_scaling=True, name="ln2")
    with pytest.raises(TypeError, match=r"'ln'.*`axis`.*'last'"):
        LayerNormalization(axis="last", name="ln")


@pytest.mark.parametrize("axis", [-1, 1, [1, 2]])
def test_unit_normalization_gives_unit_norms_and_gradients(axis):
    x = rs.standard_normal((2, 3, 4))
    axes = tuple(a % 3 for a in ([axis] if isinstance(axis, int) else axis))
    layer = UnitNormalization(axis)
    np.testing.assert_allclose(layer(x).numpy(), x / np.sqrt((x ** 2).sum(axis=axes, keepdims=True)), rtol=1e-6)
    check_grads(lambda t: layer(t), [x])
    assert layer(Input((None, 4))).shape == (None, None, 4) and layer.supports_masking
    config = layer.get_config()
    assert config["axis"] == axis and set(config) == {"name", "trainable", "dtype", "axis"}  # Keras's keys
    assert UnitNormalization.from_config(config).get_config() == config


def test_unit_normalization_keras_values_and_zero_vectors():
    # Keras 3.15.1: UnitNormalization()([[3, 4], [0, 0]]) = [[0.6, 0.8], [0, 0]]
    np.testing.assert_allclose(UnitNormalization()(np.array([[3.0, 4.0], [0.0, 0.0]])).numpy(), [[0.6, 0.8], [0, 0]])
    # Keras 3.15.1: UnitNormalization(axis=[1, 2]) of ones((1, 2, 2)) = 0.5 everywhere
    np.testing.assert_allclose(UnitNormalization(axis=[1, 2])(np.ones((1, 2, 2))).numpy(), np.full((1, 2, 2), 0.5))


def test_unit_normalization_errors_name_the_layer():
    with pytest.raises(TypeError, match=r"UnitNormalization 'u': `axis` must be an int or a non-empty list of ints\. "
                                        r"Received: axis='x'"):
        UnitNormalization("x", name="u")
    with pytest.raises(ValueError, match=r"UnitNormalization 'v': axis=3 is out of range for inputs of shape "
                                         r"\(2, 3, 4\) \(rank 3\)"):
        UnitNormalization(3, name="v")(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"axis=\[1, -3\] is out of range"):
        UnitNormalization([1, -3]).compute_output_shape((None, 4))


# ------------------------------------------------------------ masks (Keras 3)
def _padded(seed=11):
    r = np.random.default_rng(seed)
    x = r.standard_normal((4, 5, 3)) * 2 + 1
    mask = np.arange(5)[None, :] < np.array([5, 3, 1, 4])[:, None]
    return x, mask


def test_batch_norm_in_training_takes_the_moments_over_the_unmasked_steps_as_keras_3():
    x, mask = _padded()
    layer = BatchNormalization(momentum=0.5, gamma_initializer="ones", beta_initializer="zeros")
    layer(x.astype(np.float32))
    gamma, beta = np.array([1.5, 0.5, 2.0]), np.array([0.1, -0.2, 0.3])
    layer.set_weights([gamma, beta, np.zeros(3), np.ones(3)])
    out = layer(Tensor(x.astype(np.float32)), training=True, mask=mask)
    kept = x[mask]  # (unmasked positions, channels)
    count = mask.sum() + 1e-7  # Keras 3 divides the masked sums by the count plus backend.epsilon()
    mean = kept.sum(0) / count
    var = ((kept - mean) ** 2).sum(0) / count
    expected = (x - mean) / np.sqrt(var + 1e-3) * gamma + beta  # every position normalised, masked ones too
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(out._keras_mask, mask)  # passed on
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.5 * mean, rtol=1e-5)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.5 + 0.5 * var, rtol=1e-5)
    unmasked = BatchNormalization()(x.astype(np.float32), training=True)
    assert not np.allclose(unmasked.numpy(), layer(x.astype(np.float32), training=True, mask=mask).numpy(), atol=1e-3)
    inference = layer(x.astype(np.float32), training=False, mask=mask)  # moving statistics: the mask changes nothing
    np.testing.assert_allclose(inference.numpy(), layer(x.astype(np.float32), training=False).numpy(), rtol=1e-6)
    check_grads(lambda t: layer(t, training=True, mask=mask), [x], params=layer.trainable_weights)


def test_batch_norm_mask_of_the_wrong_shape_is_named():
    layer = BatchNormalization(name="bn")
    x, _ = _padded()
    with pytest.raises(ValueError, match=r"BatchNormalization 'bn': the mask must have the input's shape without its "
                                         r"last axis, \(4, 5\) for inputs of shape \(4, 5, 3\).*\(4, 3\)"):
        layer(x, training=True, mask=np.ones((4, 3), bool))
