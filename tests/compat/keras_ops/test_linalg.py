"""keras.ops.linalg against numpy.linalg, with gradients of the differentiable ones."""
import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(6)
B = RNG.normal(size=(2, 3, 3))
SPD = B @ np.swapaxes(B, 1, 2) + 3 * np.eye(3)


def test_values_against_numpy(keras):
    la = keras.ops.linalg
    np.testing.assert_allclose(la.inv(B).numpy(), np.linalg.inv(B), rtol=1e-6)
    np.testing.assert_allclose(la.det(B).numpy(), np.linalg.det(B), rtol=1e-6)
    sign, logabs = la.slogdet(B)
    np.testing.assert_allclose(sign.numpy(), np.linalg.slogdet(B)[0])
    np.testing.assert_allclose(keras.ops.logdet(SPD).numpy(), np.log(np.linalg.det(SPD)), rtol=1e-6)
    rhs = RNG.normal(size=(2, 3, 2))
    np.testing.assert_allclose(la.solve(B, rhs).numpy(), np.linalg.solve(B, rhs), rtol=1e-6)
    np.testing.assert_allclose(la.cholesky(SPD).numpy(), np.linalg.cholesky(SPD), rtol=1e-6)
    np.testing.assert_allclose(la.solve_triangular(np.tril(B[0]) + 3 * np.eye(3), rhs[0], lower=True).numpy(),
                               np.linalg.solve(np.tril(B[0]) + 3 * np.eye(3), rhs[0]), rtol=1e-6)
    q, r = la.qr(B[0])
    np.testing.assert_allclose((q.numpy() @ r.numpy()), B[0], atol=1e-10)
    u, s, vt = la.svd(B[0])
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(B[0])[1])
    w, _ = la.eigh(SPD[0])
    np.testing.assert_allclose(w.numpy(), np.linalg.eigh(SPD[0])[0])
    np.testing.assert_allclose(la.lstsq(B[0], rhs[0]).numpy(), np.linalg.lstsq(B[0], rhs[0], rcond=None)[0])
    lu, piv = la.lu_factor(B[0])
    n = 3
    lower, upper = np.tril(lu.numpy(), -1) + np.eye(n), np.triu(lu.numpy())
    perm = np.arange(n)
    for k, p in enumerate(piv.numpy()):
        perm[[k, p]] = perm[[p, k]]
    np.testing.assert_allclose(lower @ upper, B[0][perm], atol=1e-10)
    for kwargs in [{}, {"ord": 1, "axis": 1}, {"ord": "fro", "axis": (1, 2)}, {"ord": np.inf}, {"ord": 3, "axis": -1}]:
        x = B if "axis" in kwargs and kwargs.get("axis") != 1 or not kwargs else B[0]
        np.testing.assert_allclose(la.norm(x, **kwargs).numpy(), np.linalg.norm(x, **kwargs), rtol=1e-6)
    with pytest.raises(ValueError, match="square"):
        la.inv(np.ones((2, 3)))


def test_gradients(keras):
    la = keras.ops.linalg
    check_grads(lambda m: la.inv(m), [B])
    check_grads(lambda m: la.det(m) + la.slogdet(m)[1], [B])
    check_grads(lambda m, r: la.solve(m, r), [B, RNG.normal(size=(2, 3, 2))])
    check_grads(lambda m, r: la.solve(m, r), [B[0], RNG.normal(size=3)])
    sym = lambda m: m @ np.swapaxes(m, -1, -2) + 3 * np.eye(3)  # noqa: E731
    check_grads(lambda m: la.cholesky(m @ keras.ops.swapaxes(m, -1, -2) + 3 * np.eye(3)), [B])
    assert sym(B).shape == SPD.shape
    check_grads(lambda m: la.norm(m) + la.norm(m, ord=3, axis=-1), [B])
