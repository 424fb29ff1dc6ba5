"""keras.ops as Keras 3 programs use it: NumPy-style functions, nn and core functions, linalg, values checked
against NumPy (and Keras's documented dtypes / defaults), the differentiable ones gradient-checked."""
import numpy as np
import pytest

from dendrite.testing import check_grads


def test_creation_functions_follow_keras_dtypes(keras):
    ops = keras.ops
    assert ops.arange(5).dtype == np.int32 and ops.arange(0.0, 1.0, 0.25).dtype == np.float32
    assert ops.arange(2, 8, 3).numpy().tolist() == [2, 5]
    assert ops.zeros((2, 3)).dtype == np.float32 and ops.ones(4).shape == (4,)
    assert ops.full((2,), 7).numpy().tolist() == [7, 7]
    np.testing.assert_allclose(ops.linspace(0.0, 1.0, 5).numpy(), np.linspace(0, 1, 5))
    assert ops.eye(3, k=1).numpy().sum() == 2 and ops.identity(2).dtype == np.float32
    assert ops.tri(3).numpy().tolist() == np.tri(3).tolist()


def test_numpy_style_functions_against_numpy(keras):
    ops = keras.ops
    x = np.array([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]], dtype=np.float32)
    assert int(ops.argmax(x)) == 4 and ops.argmax(x, axis=1).numpy().tolist() == [0, 1]  # flattened by default
    assert ops.argmax(x).dtype == np.int32 and ops.argmin(x, axis=0, keepdims=True).shape == (1, 3)
    np.testing.assert_allclose(ops.cumsum(x).numpy(), np.cumsum(x))
    np.testing.assert_allclose(ops.cumprod(x, axis=1).numpy(), np.cumprod(x, axis=1))
    assert ops.argsort(x, axis=-1).numpy().tolist() == np.argsort(x, axis=-1).tolist()
    np.testing.assert_allclose(ops.sort(x, axis=0).numpy(), np.sort(x, axis=0))
    assert ops.greater(x, 1.0).numpy().tolist() == (x > 1).tolist()
    assert bool(ops.any(ops.isnan(np.array([1.0, np.nan])))) and not bool(ops.all(x > 0))
    np.testing.assert_allclose(ops.median(x, axis=1).numpy(), np.median(x, axis=1))
    np.testing.assert_allclose(ops.quantile(x, 0.5).numpy(), np.quantile(x, 0.5))
    assert [t.numpy().tolist() for t in ops.nonzero(np.array([0, 3, 0, 1]))] == [[1, 3]]
    assert ops.digitize(np.array([0.2, 1.5, 3.0]), np.array([1.0, 2.0])).numpy().tolist() == [0, 1, 2]
    np.testing.assert_allclose(ops.log2(8.0).numpy(), 3.0, rtol=1e-6)
    np.testing.assert_allclose(ops.logaddexp(1000.0, 1000.0).numpy(), 1000.0 + np.log(2.0), rtol=1e-6)
    assert ops.ndim(x) == 2 and ops.shape(x) == (2, 3) and int(ops.size(x)) == 6 and ops.dtype(x) == "float32"
    assert isinstance(ops.convert_to_numpy(ops.sin(x)), np.ndarray)


def test_shape_and_indexing_functions(keras):
    ops = keras.ops
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(ops.flip(x, axis=1).numpy(), np.flip(x, 1))
    np.testing.assert_array_equal(ops.roll(x, 1, axis=0).numpy(), np.roll(x, 1, 0))
    np.testing.assert_array_equal(ops.roll(x, 5).numpy(), np.roll(x, 5))
    np.testing.assert_array_equal(ops.repeat(x, 2, axis=1).numpy(), np.repeat(x, 2, 1))
    np.testing.assert_array_equal(ops.moveaxis(x[None], 0, -1).numpy(), np.moveaxis(x[None], 0, -1))
    assert [p.shape for p in ops.split(x, [1, 3], axis=1)] == [(3, 1), (3, 2), (3, 1)]
    with pytest.raises(ValueError, match="do not divide"):
        ops.split(x, 3, axis=1)
    idx = np.array([[3], [0], [1]])
    np.testing.assert_array_equal(ops.take_along_axis(x, idx, axis=1).numpy(), np.take_along_axis(x, idx, 1))
    np.testing.assert_array_equal(ops.slice(x, [1, 1], [2, 2]).numpy(), x[1:3, 1:3])
    updated = ops.slice_update(np.zeros((3, 3)), [1, 0], np.ones((1, 2)))
    assert updated.numpy().sum() == 2 and updated.numpy()[1, :2].tolist() == [1.0, 1.0]
    np.testing.assert_array_equal(ops.tril(x, -1).numpy(), np.tril(x, -1))
    np.testing.assert_array_equal(ops.triu(x).numpy(), np.triu(x))
    np.testing.assert_array_equal(ops.append(x[:1], x[1:], axis=0).numpy(), x)
    assert ops.vstack([np.ones(3), np.zeros(3)]).shape == (2, 3) and ops.hstack([np.ones(2), np.ones(3)]).shape == (5,)


def test_products_losses_and_nn_functions(keras):
    ops = keras.ops
    a, b = np.arange(6.0).reshape(2, 3), np.arange(3.0)
    np.testing.assert_allclose(ops.dot(a, b).numpy(), a.dot(b))
    assert float(ops.vdot(b, b)) == 5.0 and ops.outer(b, b).shape == (3, 3)
    probs = np.array([[0.1, 0.9], [0.8, 0.2]])
    np.testing.assert_allclose(ops.sparse_categorical_crossentropy(np.array([1, 0]), probs).numpy(),
                               -np.log([0.9, 0.8]), rtol=1e-6)
    np.testing.assert_allclose(ops.categorical_crossentropy(np.eye(2), probs).numpy(), -np.log([0.1, 0.2]), rtol=1e-6)
    logits = np.array([[2.0, -1.0]])
    np.testing.assert_allclose(ops.categorical_crossentropy(np.array([[1.0, 0.0]]), logits, from_logits=True).numpy(),
                               [np.log1p(np.exp(-3.0))], rtol=1e-6)
    bce = ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.7, 0.4]))
    np.testing.assert_allclose(bce.numpy(), -np.log([0.7, 0.6]), rtol=1e-6)  # elementwise, no mean
    assert float(ops.relu6(9.0)) == 6.0
    values, indices = ops.top_k(np.array([1.0, 5.0, 3.0]), 2)
    assert values.numpy().tolist() == [5.0, 3.0] and indices.dtype == np.int32
    assert ops.multi_hot(np.array([[0, 2], [1, 1]]), 3).numpy().tolist() == [[1, 0, 1], [0, 1, 0]]
    assert ops.max_pool(np.arange(16.0).reshape(1, 4, 4, 1), 2).numpy().ravel().tolist() == [5, 7, 13, 15]
    assert ops.average_pool(np.ones((1, 4, 2)), 2).shape == (1, 2, 2)


def test_control_flow_and_linalg(keras):
    ops = keras.ops
    assert ops.fori_loop(0, 4, lambda i, v: v + i, 0) == 6
    carry, ys = ops.scan(lambda c, x: (c + x, c * 2), 0.0, np.array([1.0, 2.0, 3.0]))
    assert float(carry) == 6.0 and ys.numpy().tolist() == [0.0, 2.0, 6.0]
    assert float(ops.switch(5, [lambda x: x + 1, lambda x: x * 10], 2.0)) == 20.0  # index clamped
    assert ops.associative_scan(lambda u, v: u + v, np.arange(4.0)).numpy().tolist() == [0, 1, 3, 6]
    assert ops.map(lambda r: ops.sum(r), np.ones((3, 2))).numpy().tolist() == [2, 2, 2]
    assert ops.segment_max(np.array([1, 5, 2]), np.array([0, 0, 1])).numpy().tolist() == [5, 2]
    m = np.array([[4.0, 1.0], [1.0, 3.0]])
    np.testing.assert_allclose(ops.inv(m).numpy(), np.linalg.inv(m))
    np.testing.assert_allclose(ops.linalg.cholesky(m).numpy(), np.linalg.cholesky(m))
    q, r = ops.linalg.qr(m)
    np.testing.assert_allclose((q.numpy() @ r.numpy()), m, atol=1e-12)


def test_keras_ops_on_keras_tensors_build_a_model(keras):
    inputs = keras.Input((3,))
    outputs = keras.ops.cos(keras.ops.flip(inputs, axis=1))
    model = keras.Model(inputs, outputs)
    x = np.array([[0.0, 1.0, 2.0]], dtype=np.float32)
    np.testing.assert_allclose(model(x).numpy(), np.cos(x[:, ::-1]), rtol=1e-6)


def test_differentiable_keras_ops_pass_check_grads(keras):
    ops = keras.ops
    rng = np.random.RandomState(0)
    x = rng.uniform(0.2, 0.9, (3, 4))
    for fn in (ops.arcsin, ops.tan, ops.log2, ops.tril, ops.ravel, lambda a: ops.flip(a, 0),
               lambda a: ops.roll(a, 1, 1), lambda a: ops.repeat(a, 2, 0), lambda a: ops.split(a, 2, 1)[1],
               lambda a: ops.take_along_axis(a, np.array([[0], [3], [1]]), 1), lambda a: ops.slice(a, [1, 0], [2, 3]),
               lambda a: ops.dot(a, a[0]), lambda a: ops.outer(a[0], a[1]), lambda a: ops.logaddexp(a, a * 2),
               lambda a: ops.average(a, axis=1, weights=np.array([1.0, 2.0, 3.0, 4.0])),
               lambda a: ops.categorical_crossentropy(np.eye(4)[:3], a),
               lambda a: ops.binary_crossentropy(np.ones((3, 4)) * 0.3, a),
               lambda a: ops.associative_scan(lambda u, v: u * v, a, axis=1),
               lambda a: ops.batch_normalization(a, a[0], a[1], axis=1)):
        check_grads(fn, [x])


def test_conv_family_matches_the_layers(keras):
    ops = keras.ops
    rng = np.random.RandomState(5)
    x = rng.randn(2, 6, 6, 3).astype("float32")
    layer = keras.layers.Conv2D(4, 3, padding="same", use_bias=False)
    expected = layer(x).numpy()
    np.testing.assert_allclose(ops.conv(x, layer.kernel, padding="same").numpy(), expected, rtol=1e-5, atol=1e-5)
    sep = keras.layers.SeparableConv2D(5, 3, use_bias=False)
    expected = sep(x).numpy()
    out = ops.separable_conv(x, sep.depthwise_kernel, sep.pointwise_kernel)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)
    tr = keras.layers.Conv2DTranspose(2, 3, strides=2, use_bias=False)
    expected = tr(x).numpy()
    np.testing.assert_allclose(ops.conv_transpose(x, tr.kernel, strides=2).numpy(), expected, rtol=1e-5, atol=1e-5)
    assert ops.conv(rng.randn(1, 8, 2), rng.randn(3, 2, 4)).shape == (1, 6, 4)  # 1-D
    check_grads(lambda a, k: ops.conv(a, k, strides=2, padding="same"), [rng.randn(1, 5, 5, 2), rng.randn(3, 3, 2, 3)])
