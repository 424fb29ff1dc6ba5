"""Normalisation ops: batch_norm, batch_norm_inference and layer_norm against NumPy formulas written
here, and their fused backward passes through check_grads."""
import numpy as np
import pytest

from dendrite.autodiff import Tensor
from dendrite.autodiff.ops.normalization import batch_norm, batch_norm_inference, l2_normalize, layer_norm
from dendrite.testing import check_grads

EPS = 1e-3
# (shape, channel axis): channels-last images and features, channels-first, a middle axis, and sizes whose
# row counts have few divisors (the wide view then holds few channel vectors per row)
CASES = [((6, 4), -1), ((2, 3, 3, 5), -1), ((2, 5, 3, 3), 1), ((3, 4, 5), 1), ((7, 3), 1), ((2, 7, 3), 2)]


def _bshape(shape, axis):
    b = [1] * len(shape)
    b[axis] = shape[axis]
    return b


def _moments(x, axis):
    axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    return x.mean(axis=axes), x.var(axis=axes)


def _params(c, seed):
    rs = np.random.default_rng(seed)
    return rs.standard_normal(c) + 1.0, rs.standard_normal(c)


@pytest.mark.parametrize("shape, axis", CASES)
@pytest.mark.parametrize("use_gamma, use_beta", [(True, True), (False, True), (True, False), (False, False)])
def test_batch_norm_matches_formula(shape, axis, use_gamma, use_beta):
    x = (np.random.default_rng(0).standard_normal(shape) * 3 + 2).astype(np.float32)
    gamma, beta = _params(shape[axis], 1)
    gamma = gamma.astype(np.float32) if use_gamma else None
    beta = beta.astype(np.float32) if use_beta else None
    y, mean, var = batch_norm(Tensor(x), gamma, beta, axis=axis, epsilon=EPS)
    x64 = x.astype(np.float64)
    m, v = _moments(x64, axis)
    b = _bshape(shape, axis)
    expected = (x64 - m.reshape(b)) / np.sqrt(v.reshape(b) + EPS)
    if use_gamma:
        expected = expected * gamma.reshape(b)
    if use_beta:
        expected = expected + beta.reshape(b)
    assert y.dtype == np.float32 and y.shape == shape
    np.testing.assert_allclose(y.value, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(mean.value, m, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(var.value, v, rtol=1e-5)  # biased variance, as Keras


@pytest.mark.parametrize("shape, axis", CASES)
@pytest.mark.parametrize("use_gamma, use_beta", [(True, True), (False, True), (True, False), (False, False)])
def test_batch_norm_gradients(shape, axis, use_gamma, use_beta):
    x = np.random.default_rng(2).standard_normal(shape) * 2 + 1
    gamma, beta = _params(shape[axis], 3)
    inputs = [x] + ([gamma] if use_gamma else []) + ([beta] if use_beta else [])

    def f(t, *p):
        g = p[0] if use_gamma else None
        b = p[-1] if use_beta else None
        return batch_norm(t, g, b, axis=axis, epsilon=EPS)[0]
    check_grads(f, inputs)


def test_batch_norm_float32_on_large_offsets():
    # two-pass statistics: a large common offset does not destroy the variance in float32
    x = (np.random.default_rng(4).standard_normal((64, 50)) + 1000.0).astype(np.float32)
    _, _, var = batch_norm(Tensor(x))
    np.testing.assert_allclose(var.value, x.astype(np.float64).var(axis=0), rtol=1e-3)


@pytest.mark.parametrize("shape, axis", CASES)
@pytest.mark.parametrize("use_gamma, use_beta", [(True, True), (False, True), (True, False)])
def test_batch_norm_inference_matches_formula_and_gradients(shape, axis, use_gamma, use_beta):
    rs = np.random.default_rng(5)
    x = rs.standard_normal(shape)
    c = shape[axis]
    mean, var = rs.standard_normal(c), rs.random(c) + 0.5
    gamma, beta = _params(c, 6)
    b = _bshape(shape, axis)
    g = gamma if use_gamma else None
    bb = beta if use_beta else None
    y = batch_norm_inference(Tensor(x), Tensor(mean), Tensor(var), g, bb, axis=axis, epsilon=EPS)
    expected = (x - mean.reshape(b)) / np.sqrt(var.reshape(b) + EPS) * (gamma.reshape(b) if use_gamma else 1)
    expected = expected + (beta.reshape(b) if use_beta else 0)
    np.testing.assert_allclose(y.value, expected, rtol=1e-10)
    inputs = [x, mean, var] + ([gamma] if use_gamma else []) + ([beta] if use_beta else [])

    def f(t, m, v, *p):
        return batch_norm_inference(t, m, v, p[0] if use_gamma else None, p[-1] if use_beta else None,
                                    axis=axis, epsilon=EPS)
    check_grads(f, inputs)


@pytest.mark.parametrize("shape, axis", CASES)
@pytest.mark.parametrize("use_gamma, use_beta", [(True, True), (False, True), (False, False)])
def test_batch_norm_fused_relu_is_relu_of_batch_norm(shape, axis, use_gamma, use_beta):
    # activation='relu' gives max(batch_norm, 0), and its gradients pass check_grads
    rs = np.random.default_rng(8)
    x = rs.standard_normal(shape) * 2 + 0.5
    gamma, beta = _params(shape[axis], 9)
    g = gamma if use_gamma else None
    bb = beta if use_beta else None
    y, mean, var = batch_norm(Tensor(x), g, bb, axis=axis, epsilon=EPS, activation="relu")
    plain = batch_norm(Tensor(x), g, bb, axis=axis, epsilon=EPS)[0].value
    assert (plain < 0).any()
    np.testing.assert_array_equal(y.value, np.maximum(plain, 0))
    np.testing.assert_allclose(mean.value, _moments(x, axis)[0], rtol=1e-12)
    np.testing.assert_allclose(var.value, _moments(x, axis)[1], rtol=1e-12)
    inputs = [x] + ([gamma] if use_gamma else []) + ([beta] if use_beta else [])

    def f(t, *p):
        return batch_norm(t, p[0] if use_gamma else None, p[-1] if use_beta else None, axis=axis, epsilon=EPS,
                          activation="relu")[0]
    check_grads(f, inputs)


@pytest.mark.parametrize("shape, axis", CASES[:3])
def test_batch_norm_inference_fused_relu(shape, axis):
    rs = np.random.default_rng(10)
    x = rs.standard_normal(shape)
    c = shape[axis]
    mean, var = rs.standard_normal(c) * 0.3, rs.random(c) + 0.5
    gamma, beta = _params(c, 11)
    y = batch_norm_inference(Tensor(x), Tensor(mean), Tensor(var), gamma, beta, axis=axis, epsilon=EPS,
                             activation="relu")
    b = _bshape(shape, axis)
    expected = (x - mean.reshape(b)) / np.sqrt(var.reshape(b) + EPS) * gamma.reshape(b) + beta.reshape(b)
    assert (expected < 0).any()
    np.testing.assert_allclose(y.value, np.maximum(expected, 0), rtol=1e-10)
    check_grads(lambda t, m, v, gm, bt: batch_norm_inference(t, m, v, gm, bt, axis=axis, epsilon=EPS,
                                                             activation="relu"), [x, mean, var, gamma, beta])


def test_batch_norm_activation_other_than_relu_is_refused():
    with pytest.raises(ValueError, match=r"batch_norm: `activation` must be None or 'relu'.*'tanh'"):
        batch_norm(Tensor(np.ones((4, 3), np.float32)), activation="tanh")


@pytest.mark.parametrize("shape, axis", [((4, 6), -1), ((2, 3, 5), -1), ((2, 3, 5), [1, 2]), ((2, 3, 4, 2), [1, 3]),
                                         ((3, 4, 2), 1)])
def test_layer_norm_matches_formula_and_gradients(shape, axis):
    rs = np.random.default_rng(7)
    x = rs.standard_normal(shape) * 2 + 0.5
    axes = [a % len(shape) for a in ([axis] if isinstance(axis, int) else axis)]
    pshape = tuple(shape[a] for a in axes)
    gamma, beta = rs.standard_normal(pshape), rs.standard_normal(pshape)
    b = [shape[i] if i in axes else 1 for i in range(len(shape))]
    mean = x.mean(axis=tuple(axes), keepdims=True)
    var = x.var(axis=tuple(axes), keepdims=True)
    expected = (x - mean) / np.sqrt(var + EPS) * gamma.reshape(b) + beta.reshape(b)
    y = layer_norm(Tensor(x), gamma, beta, axis=axis, epsilon=EPS)
    np.testing.assert_allclose(y.value, expected, rtol=1e-10, atol=1e-12)
    check_grads(lambda t, g, bb: layer_norm(t, g, bb, axis=axis, epsilon=EPS), [x, gamma, beta])
    check_grads(lambda t: layer_norm(t, axis=axis, epsilon=EPS), [x])


def test_layer_norm_keeps_float32():
    x = np.random.default_rng(8).standard_normal((3, 5)).astype(np.float32)
    assert layer_norm(Tensor(x), np.ones(5, np.float32), np.zeros(5, np.float32)).dtype == np.float32


def test_errors_name_the_op_and_shapes():
    x = Tensor(np.zeros((4, 3), np.float32))
    with pytest.raises(ValueError, match=r"batch_norm: `gamma` must have shape \(3,\).*\(4, 3\).*\(5,\)"):
        batch_norm(x, np.ones(5, np.float32))
    with pytest.raises(ValueError, match=r"batch_norm_inference: `variance` must have shape \(3,\)"):
        batch_norm_inference(x, np.zeros(3, np.float32), np.ones(2, np.float32))
    with pytest.raises(ValueError, match="axis=2 is out of range"):
        batch_norm(x, axis=2)
    with pytest.raises(ValueError, match=r"layer_norm: `beta` must have shape \(3,\)"):
        layer_norm(x, None, np.zeros(4, np.float32))
    with pytest.raises(ValueError, match="layer_norm: axis=3"):
        layer_norm(x, axis=3)


@pytest.mark.parametrize("shape, axis", [((4, 6), -1), ((2, 3, 5), [1, 2]), ((3, 4, 2), 1)])
def test_l2_normalize_matches_formula_and_gradients(shape, axis):
    x = np.random.default_rng(9).standard_normal(shape)
    axes = tuple(a % len(shape) for a in ([axis] if isinstance(axis, int) else axis))
    expected = x / np.sqrt((x ** 2).sum(axis=axes, keepdims=True))
    np.testing.assert_allclose(l2_normalize(Tensor(x), axis).value, expected, rtol=1e-12)
    check_grads(lambda t: l2_normalize(t, axis), [x])


def test_l2_normalize_divides_tiny_vectors_by_epsilon_with_a_finite_gradient():
    x = np.array([[0.0, 0.0], [3e-13, 4e-13], [3.0, 4.0]])
    np.testing.assert_allclose(l2_normalize(Tensor(x)).value, [[0, 0], [0.3, 0.4], [0.6, 0.8]])
    # below epsilon the op is x / epsilon: linear, with slope 1e12 (steps of 1e-15 stay below it)
    check_grads(lambda t: l2_normalize(t, epsilon=1e-12), [x[:2]], eps=1e-15, rtol=1e-6)
    with pytest.raises(ValueError, match=r"l2_normalize: axis=2 is out of range.*\(3, 2\)"):
        l2_normalize(Tensor(x), 2)
