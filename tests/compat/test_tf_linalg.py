"""tf.linalg's added functions: TensorFlow's conventions (svd's (s, u, v), band_part, set_diag) against NumPy."""
import numpy as np

from dendrite.testing import check_grads

RNG = np.random.default_rng(8)
A = RNG.normal(size=(3, 3))
SPD = A @ A.T + 3 * np.eye(3)


def test_decompositions_and_solves(tf):
    la = tf.linalg
    s, u, v = la.svd(A)
    np.testing.assert_allclose((u.numpy() * s.numpy()) @ v.numpy().T, A, atol=1e-10)  # v, not v^T
    q, r = la.qr(RNG.normal(size=(4, 3)))
    assert q.shape == (4, 3) and r.shape == (3, 3)  # reduced by default
    e, _ = la.eigh(SPD)
    np.testing.assert_allclose(e.numpy(), np.linalg.eigvalsh(SPD))
    np.testing.assert_allclose(la.eigvalsh(SPD).numpy(), np.linalg.eigvalsh(SPD))
    chol = la.cholesky(SPD)
    rhs = RNG.normal(size=(3, 2))
    np.testing.assert_allclose(la.cholesky_solve(chol, rhs).numpy(), np.linalg.solve(SPD, rhs), rtol=1e-6)
    np.testing.assert_allclose(la.triangular_solve(np.triu(A) + 3 * np.eye(3), rhs, lower=False).numpy(),
                               np.linalg.solve(np.triu(A) + 3 * np.eye(3), rhs), rtol=1e-6)
    np.testing.assert_allclose(la.solve(A, rhs, adjoint=True).numpy(), np.linalg.solve(A.T, rhs), rtol=1e-6)
    np.testing.assert_allclose(la.logdet(SPD).numpy(), np.log(np.linalg.det(SPD)), rtol=1e-6)
    np.testing.assert_allclose(la.slogdet(A)[1].numpy(), np.linalg.slogdet(A)[1], rtol=1e-6)
    np.testing.assert_allclose(la.lstsq(A, rhs, l2_regularizer=0.1).numpy(),
                               np.linalg.solve(A.T @ A + 0.1 * np.eye(3), A.T @ rhs), rtol=1e-6)
    np.testing.assert_allclose(la.pinv(A).numpy(), np.linalg.pinv(A), rtol=1e-6)
    np.testing.assert_allclose(la.expm(np.zeros((2, 2))).numpy(), np.eye(2))
    np.testing.assert_allclose(la.expm(np.array([[0.0, 1.0], [-1.0, 0.0]])).numpy(),
                               [[np.cos(1), np.sin(1)], [-np.sin(1), np.cos(1)]], atol=1e-10)
    check_grads(lambda m: la.inv(m) + la.det(m) + la.logdet(m @ tf.linalg.matrix_transpose(m) + 3 * np.eye(3)), [A])


def test_structure_helpers(tf):
    la = tf.linalg
    ones = np.ones((4, 4))
    np.testing.assert_array_equal(la.band_part(ones, 1, 0).numpy(), np.tril(np.triu(ones, -1)))
    np.testing.assert_array_equal(la.band_part(ones, -1, 0).numpy(), np.tril(ones))  # TF: lower triangle
    np.testing.assert_array_equal(la.band_part(ones, 0, 0).numpy(), np.eye(4))  # TF: the diagonal
    sd = la.set_diag(np.zeros((2, 3, 3)), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).numpy()
    np.testing.assert_array_equal(sd[1], np.diag([4.0, 5.0, 6.0]))
    np.testing.assert_array_equal(la.set_diag(np.zeros((3, 3)), [7.0, 8.0], k=1).numpy(), np.diag([7.0, 8.0], 1))
    np.testing.assert_array_equal(la.matrix_transpose(np.zeros((2, 3, 4))).shape, (2, 4, 3))
    normalized, norm = la.normalize([3.0, 4.0])
    np.testing.assert_allclose(normalized.numpy(), [0.6, 0.8]) and np.testing.assert_allclose(norm.numpy(), [5.0])
    assert float(la.global_norm([np.array([3.0]), np.array([4.0])])) == 5.0
    np.testing.assert_array_equal(la.tensor_diag([1, 2]).numpy(), [[1, 0], [0, 2]])
    np.testing.assert_array_equal(la.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy(), [0, 0, 1])
    check_grads(lambda m, d: la.set_diag(m, d, k=-1) * la.band_part(m, 1, 1), [A, RNG.normal(size=2)])
