"""keras.ops's array creation, shape, indexing, sorting and product functions against NumPy, with gradients."""
import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(2)
X = RNG.normal(size=(2, 3, 4)).astype(np.float32)


def test_creation_defaults(keras):
    ops = keras.ops
    assert ops.zeros((2, 3)).dtype == np.float32 and ops.ones(3).shape == (3,)
    assert ops.arange(5).dtype == np.int32 and ops.arange(0.0, 1.0, 0.25).numpy().tolist() == [0, 0.25, 0.5, 0.75]
    np.testing.assert_allclose(ops.linspace(0, 1, 5).numpy(), np.linspace(0, 1, 5))
    assert ops.linspace(0, 1, 5).dtype == np.float32
    np.testing.assert_allclose(ops.logspace(0, 2, 3).numpy(), [1, 10, 100])
    assert ops.full((2,), 7).numpy().tolist() == [7, 7] and ops.full_like(X, 1.5).shape == X.shape
    np.testing.assert_array_equal(ops.eye(3, 4, k=1).numpy(), np.eye(3, 4, 1))
    np.testing.assert_array_equal(ops.tri(3).numpy(), np.tri(3))
    assert ops.identity(2).numpy().tolist() == [[1, 0], [0, 1]]
    assert ops.zeros_like(np.array([1, 2])).dtype == np.int64 and ops.ones_like(X, dtype="int32").dtype == np.int32
    np.testing.assert_allclose(ops.hanning(5).numpy(), np.hanning(5))


def test_shapes_against_numpy(keras):
    ops = keras.ops
    checks = [
        (ops.reshape(X, (4, -1)), X.reshape(4, -1)), (ops.ravel(X), X.ravel()),
        (ops.transpose(X, (2, 0, 1)), X.transpose(2, 0, 1)), (ops.swapaxes(X, 0, 2), X.swapaxes(0, 2)),
        (ops.moveaxis(X, 0, -1), np.moveaxis(X, 0, -1)), (ops.expand_dims(X, (0, 2)), np.expand_dims(X, (0, 2))),
        (ops.squeeze(X[:1]), X[:1].squeeze()), (ops.concatenate([X, X], axis=1), np.concatenate([X, X], 1)),
        (ops.stack([X, X], axis=-1), np.stack([X, X], -1)), (ops.hstack([X, X]), np.hstack([X, X])),
        (ops.vstack([X[0], X[1]]), np.vstack([X[0], X[1]])), (ops.dstack([X[0], X[1]]), np.dstack([X[0], X[1]])),
        (ops.append(X, X), np.append(X, X)), (ops.tile(X, (2, 1, 1, 3)), np.tile(X, (2, 1, 1, 3))),
        (ops.repeat(X, 2, axis=1), np.repeat(X, 2, 1)), (ops.repeat(X, [1, 0, 2], axis=1), np.repeat(X, [1, 0, 2], 1)),
        (ops.flip(X, 1), np.flip(X, 1)), (ops.flip(X), np.flip(X)), (ops.roll(X, 2, axis=2), np.roll(X, 2, 2)),
        (ops.roll(X, -3), np.roll(X, -3)), (ops.rot90(X[0], 3), np.rot90(X[0], 3)),
        (ops.broadcast_to(X[0, 0], (5, 4)), np.broadcast_to(X[0, 0], (5, 4))),
        (ops.pad(X, [[0, 1], [2, 0], [1, 1]]), np.pad(X, [[0, 1], [2, 0], [1, 1]])),
        (ops.pad(X, 1, constant_values=3.0), np.pad(X, 1, constant_values=3.0)),
        (ops.tril(X[0], -1), np.tril(X[0], -1)), (ops.triu(X[0], 1), np.triu(X[0], 1)),
    ]
    for mode in ("reflect", "symmetric", "edge", "wrap"):
        checks.append((ops.pad(X, [[1, 1], [2, 1], [0, 3]], mode=mode), np.pad(X, [[1, 1], [2, 1], [0, 3]], mode=mode)))
    for out, ref in checks:
        assert out.shape == ref.shape
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-6)
    parts = ops.split(X, 2, axis=2)
    assert len(parts) == 2 and np.array_equal(parts[1].numpy(), X[:, :, 2:])
    assert [p.shape[1] for p in ops.split(X, [1], axis=1)] == [1, 2]
    assert [p.shape[2] for p in ops.array_split(X, 3, axis=2)] == [2, 1, 1]
    with pytest.raises(ValueError, match="do not divide"):
        ops.split(X, 3, axis=2)
    with pytest.raises(ValueError, match="not 1"):
        ops.squeeze(X, axis=0)


def test_indexing_sorting_and_searching(keras):
    ops = keras.ops
    np.testing.assert_array_equal(ops.take(X, [2, 0], axis=1).numpy(), np.take(X, [2, 0], 1))
    np.testing.assert_array_equal(ops.take(X, [-1, 3]).numpy(), X.ravel()[[-1, 3]])  # negative indices wrap
    idx = np.argsort(X, axis=2)
    np.testing.assert_array_equal(ops.take_along_axis(X, idx, axis=2).numpy(), np.take_along_axis(X, idx, 2))
    np.testing.assert_array_equal(ops.sort(X, axis=1).numpy(), np.sort(X, 1))
    assert ops.argsort(X).dtype == np.int32 and np.array_equal(ops.argsort(X).numpy(), np.argsort(X))
    rows, cols = ops.nonzero([[0, 1], [2, 0]])
    assert rows.numpy().tolist() == [0, 1] and cols.numpy().tolist() == [1, 0]
    np.testing.assert_array_equal(ops.where(X > 0, X, 0.0).numpy(), np.where(X > 0, X, 0.0))
    assert ops.searchsorted([1, 3, 5], [2, 5], side="right").numpy().tolist() == [1, 3]
    assert ops.digitize([0.5, 1.5, 3.0], [1.0, 2.0]).numpy().tolist() == [0, 1, 2]
    assert ops.bincount([0, 1, 1, 3]).numpy().tolist() == [1, 2, 0, 1]
    assert ops.bincount([[0, 1], [1, 1]], minlength=3).numpy().tolist() == [[1, 1, 0], [0, 2, 0]]
    assert ops.isin([1, 2, 3], [2]).numpy().tolist() == [False, True, False]
    assert ops.select([np.array([True, False]), np.array([True, True])], [1, 2], default=0).numpy().tolist() == [1, 2]
    assert ops.get_item(X, (0, 1)).shape == (4,)
    assert ops.unique([3, 1, 3]).numpy().tolist() == [1, 3]


def test_products_against_numpy(keras):
    ops = keras.ops
    a, b = X[0], X[1]
    checks = [(ops.matmul(X, np.swapaxes(X, 1, 2)), X @ np.swapaxes(X, 1, 2)), (ops.dot(a, b.T), a @ b.T),
              (ops.dot(X, a.T), np.dot(X, a.T)), (ops.dot(a[0], b[0]), np.dot(a[0], b[0])),
              (ops.tensordot(X, X, axes=([1, 2], [1, 2])), np.tensordot(X, X, ([1, 2], [1, 2]))),
              (ops.tensordot(a, b.T, axes=1), np.tensordot(a, b.T, 1)), (ops.inner(a, b), np.inner(a, b)),
              (ops.outer(a[0], b[0]), np.outer(a[0], b[0])), (ops.vdot(a, b), np.vdot(a, b)),
              (ops.kron(a, b), np.kron(a, b)), (ops.cross(a[:, :3], b[:, :3]), np.cross(a[:, :3], b[:, :3])),
              (ops.einsum("bij,bkj->bik", X, X), np.einsum("bij,bkj->bik", X, X)),
              (ops.einsum("...ij,jk", X, a.T), np.einsum("...ij,jk", X, a.T)),
              (ops.einsum("ij,ij", a, b), np.einsum("ij,ij", a, b)), (ops.einsum("ii", a[:, :3]), np.trace(a[:, :3]))]
    for out, ref in checks:
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-5, atol=1e-6)


def test_gradients_through_shapes_indexing_and_products(keras):
    ops = keras.ops
    a = RNG.normal(size=(3, 4))
    b = RNG.normal(size=(4, 2))
    check_grads(lambda x: ops.sort(x, axis=1) * ops.arange(4.0), [a])
    check_grads(lambda x: ops.pad(x, [[1, 2], [2, 1]], mode="reflect"), [a])
    check_grads(lambda x: ops.roll(ops.tile(x, (1, 2)), 3, axis=1) + 0 * ops.repeat(x, 2, axis=1), [a])
    check_grads(lambda x, y: ops.einsum("ij,jk->ik", x, y) + ops.tensordot(x, y, 1) + ops.dot(x, y), [a, b])
    check_grads(lambda x: ops.cross(x[:, :3], x[:, 1:]) + ops.take_along_axis(x, np.argsort(x, 1), 1)[:, :3], [a])
    check_grads(lambda x: ops.concatenate(ops.split(x, 2, axis=1)[::-1], axis=0), [a])
    check_grads(lambda x: ops.kron(x, x[:2, :2]) * 1.0, [a])
