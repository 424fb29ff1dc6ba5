"""keras.ops's elementwise maths, arithmetic and reductions against NumPy, Keras's dtype rules, and gradients."""
import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(1)
X = RNG.uniform(0.2, 0.9, (3, 4)).astype(np.float32)


@pytest.mark.parametrize("name,ref", [
    ("sin", np.sin), ("cos", np.cos), ("tan", np.tan), ("arcsin", np.arcsin), ("arccos", np.arccos),
    ("arctan", np.arctan), ("sinh", np.sinh), ("cosh", np.cosh), ("tanh", np.tanh), ("arcsinh", np.arcsinh),
    ("arctanh", np.arctanh), ("expm1", np.expm1), ("log1p", np.log1p), ("log2", np.log2), ("log10", np.log10),
    ("exp2", np.exp2), ("cbrt", np.cbrt), ("exp", np.exp), ("log", np.log), ("sqrt", np.sqrt), ("abs", np.abs),
    ("absolute", np.abs), ("square", np.square), ("negative", np.negative), ("reciprocal", np.reciprocal),
    ("floor", np.floor), ("ceil", np.ceil), ("trunc", np.trunc), ("sign", np.sign), ("sinc", np.sinc),
    ("rsqrt", lambda v: 1 / np.sqrt(v)), ("deg2rad", np.deg2rad)])
def test_unary_against_numpy(keras, name, ref):
    out = getattr(keras.ops, name)(X)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), ref(X), rtol=2e-6, atol=1e-7)


def test_keras_dtype_rules(keras):
    ops = keras.ops
    ints = np.array([1, 4, 9], dtype=np.int32)
    assert ops.sqrt(ints).dtype == np.float32 and ops.sin(ints).dtype == np.float32  # floats read as floatx
    assert ops.square(ints).dtype == np.int32 and ops.abs(np.array([-2])).dtype == np.int64
    assert ops.add(ints, 1.5).dtype == np.float32  # a Python float beside int32: float32, not float64
    assert ops.add(np.float16([1.0]), 2.0).dtype == np.float16  # Python numbers are weak
    assert ops.add([1, 2], [3, 4]).dtype == np.int32 and ops.divide(ints, ints).dtype == np.float32
    assert ops.multiply(ints, np.float32([2.0])).dtype == np.float32
    assert ops.mean(ints).dtype == np.float32 and float(ops.mean(ints)) == pytest.approx(14 / 3)
    assert ops.sum(ints).dtype == np.int32 and ops.sum(np.array([True, True])).numpy() == 2
    assert ops.argmax(X).dtype == np.int32 and ops.floor(ints).dtype == np.float32


def test_binary_and_comparisons(keras):
    ops = keras.ops
    a, b = X, X[::-1] + 0.1
    for name, ref in [("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply), ("divide", np.divide),
                      ("true_divide", np.divide), ("power", np.power), ("maximum", np.maximum),
                      ("minimum", np.minimum), ("arctan2", np.arctan2), ("floor_divide", np.floor_divide),
                      ("mod", np.mod), ("hypot", np.hypot), ("logaddexp", np.logaddexp),
                      ("logaddexp2", np.logaddexp2), ("equal", np.equal), ("not_equal", np.not_equal),
                      ("greater", np.greater), ("greater_equal", np.greater_equal), ("less", np.less),
                      ("less_equal", np.less_equal), ("fmod", np.fmod), ("heaviside", np.heaviside)]:
        np.testing.assert_allclose(getattr(ops, name)(a, b).numpy(), ref(a, b), rtol=2e-6, err_msg=name)
    assert ops.logical_and([True, False], [True, True]).numpy().tolist() == [True, False]
    assert ops.logical_xor([True, False], [True, True]).numpy().tolist() == [False, True]
    assert ops.bitwise_and([12], [10]).numpy().tolist() == [8] and ops.left_shift([1], [3]).numpy().tolist() == [8]
    assert ops.isclose([1.0, 2.0], [1.0 + 1e-9, 2.1]).numpy().tolist() == [True, False]
    np.testing.assert_allclose(ops.divide_no_nan([1.0, 2.0], [0.0, 4.0]).numpy(), [0.0, 0.5])
    np.testing.assert_allclose(ops.clip(X, 0.3, 0.6).numpy(), np.clip(X, 0.3, 0.6))
    assert ops.clip(np.array([-3, 5]), 0, 2).numpy().tolist() == [0, 2]
    assert ops.round(np.array([0.5, 1.5, 2.567]), 0).numpy().tolist() == [0.0, 2.0, 3.0]  # half to even
    np.testing.assert_array_equal(ops.nan_to_num(np.array([np.nan, np.inf])).numpy(),
                                  np.nan_to_num(np.array([np.nan, np.inf])))


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_against_numpy(keras, axis, keepdims):
    ops = keras.ops
    for name, ref in [("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min), ("amax", np.amax),
                      ("amin", np.amin), ("prod", np.prod), ("var", np.var), ("std", np.std), ("all", np.all),
                      ("any", np.any)]:
        out = getattr(ops, name)(X, axis=axis, keepdims=keepdims).numpy()
        np.testing.assert_allclose(out, ref(X, axis=axis, keepdims=keepdims), rtol=1e-5, err_msg=name)
    want = np.log(np.exp(X.astype(np.float64)).sum(axis=axis, keepdims=keepdims))
    np.testing.assert_allclose(ops.logsumexp(X, axis=axis, keepdims=keepdims).numpy(), want, rtol=1e-6)


def test_arg_reductions_cumulative_and_nan_functions(keras):
    ops = keras.ops
    assert ops.argmax(X, axis=1).numpy().tolist() == np.argmax(X, axis=1).tolist()
    assert int(ops.argmin(X)) == int(np.argmin(X))  # axis=None: the flat index
    assert ops.argmax(X, axis=0, keepdims=True).shape == (1, 4)
    assert ops.count_nonzero([[0, 1], [2, 0]], axis=0).numpy().tolist() == [1, 1]
    np.testing.assert_allclose(ops.cumsum(X, axis=1).numpy(), np.cumsum(X, axis=1), rtol=1e-6)
    np.testing.assert_allclose(ops.cumprod(X).numpy(), np.cumprod(X), rtol=1e-5)  # axis=None flattens
    assert ops.cumsum(np.array([1, 2, 3], np.int32)).dtype == np.int32
    v = np.array([1.0, np.nan, 3.0])
    assert float(ops.nansum(v)) == 4.0 and float(ops.nanmean(v)) == 2.0 and float(ops.nanmax(v)) == 3.0
    np.testing.assert_allclose(ops.average(X, axis=1, weights=[1, 2, 3, 4]).numpy(),
                               np.average(X, axis=1, weights=[1, 2, 3, 4]), rtol=1e-6)
    with pytest.raises(ValueError, match="need an `axis`"):
        ops.average(X, weights=[1, 2, 3, 4])


def test_gradients_through_the_keras_ops(keras):
    ops = keras.ops
    a = RNG.uniform(0.3, 0.8, (3, 4))
    b = RNG.uniform(0.3, 0.8, (3, 4))
    check_grads(lambda x: ops.sum(ops.sin(x) * ops.log1p(x) + ops.arctan(x), axis=1), [a])
    check_grads(lambda x, y: ops.logaddexp(x, y) + ops.hypot(x, y) + ops.arctan2(x, y), [a, b])
    check_grads(lambda x: ops.prod(x, axis=0) + ops.cumprod(x, axis=0)[-1], [a])
    check_grads(lambda x: ops.std(x, axis=1) + ops.sum(ops.var(x, axis=0)) + ops.logsumexp(x), [a])
    check_grads(lambda x, y: ops.divide_no_nan(x, y), [a, b])
