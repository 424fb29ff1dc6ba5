"""keras.ops's diagonals, differences, order statistics, grids and correlations against NumPy, with gradients."""
import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(3)
X = RNG.normal(size=(3, 4, 5)).astype(np.float32)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis", [None, 1, (0, 2)])
def test_quantile_percentile_median(keras, method, axis):
    ops = keras.ops
    for q in (0.3, [0.1, 0.5, 0.9]):
        for keepdims in (False, True):
            out = ops.quantile(X, q, axis=axis, method=method, keepdims=keepdims).numpy()
            ref = np.quantile(X, q, axis=axis, method=method, keepdims=keepdims)
            assert out.shape == ref.shape
            np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(ops.percentile(X, 40, axis=axis, method=method).numpy(),
                               np.percentile(X, 40, axis=axis, method=method), rtol=1e-6)
    np.testing.assert_allclose(ops.median(X, axis=axis).numpy(), np.median(X, axis=axis), rtol=1e-6)


def test_diagonals_differences_grids_and_correlations(keras):
    ops = keras.ops
    m = X[0]
    for out, ref in [(ops.diagonal(X, 1, 1, 2), np.diagonal(X, 1, 1, 2)), (ops.trace(m), np.trace(m)),
                     (ops.diag(m, -1), np.diag(m, -1)), (ops.diag(m[0], 2), np.diag(m[0], 2)),
                     (ops.diag(m[0], -1), np.diag(m[0], -1)), (ops.diagflat(m[:2, :2]), np.diagflat(m[:2, :2])),
                     (ops.diff(X, 2, axis=1), np.diff(X, 2, axis=1)), (ops.trapezoid(X, axis=1), np.trapezoid(X, axis=1)),
                     (ops.corrcoef(m), np.corrcoef(m))]:
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-5, atol=1e-6)
    for indexing in ("xy", "ij"):
        for out, ref in zip(ops.meshgrid([1, 2, 3], [4, 5], indexing=indexing),
                            np.meshgrid([1, 2, 3], [4, 5], indexing=indexing)):
            np.testing.assert_array_equal(out.numpy(), ref)
    for la, lv in [(7, 3), (6, 3), (3, 7), (4, 6), (5, 5)]:
        a, v = RNG.normal(size=la), RNG.normal(size=lv)
        for mode in ("valid", "same", "full"):
            np.testing.assert_allclose(ops.correlate(a, v, mode).numpy(), np.correlate(a, v, mode), atol=1e-12)
    assert ops.ndim(X) == 3 and int(ops.size(X)) == 60 and ops.shape(X) == (3, 4, 5)
    doubled = ops.vectorize(lambda v: v * 2)(np.array([[1.0, 2.0]]))
    assert doubled.numpy().tolist() == [[2.0, 4.0]]


def test_gradients(keras):
    ops = keras.ops
    a = RNG.normal(size=(4, 5))
    check_grads(lambda x: ops.quantile(x, [0.25, 0.6], axis=1), [a])
    check_grads(lambda x: ops.median(x) + ops.trace(x) + ops.sum(ops.diag(x[0], 1)), [a])
    check_grads(lambda x: ops.diff(x, axis=0) * ops.tril(x)[1:] + ops.corrcoef(x)[0, 1], [a])
    check_grads(lambda x: ops.correlate(x[0], x[1, :3], "same") + ops.trapezoid(x[2]), [a])
