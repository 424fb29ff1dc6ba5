"""keras.ops.core: conversions, eager control flow, slicing, scattering, segments and custom gradients; and every
keras.ops function building a layer of a functional model when given a KerasTensor."""
import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(5)


def test_conversions_and_facts(keras):
    ops = keras.ops
    x = ops.convert_to_tensor([1.0, 2.0])
    assert ops.is_tensor(x) and not ops.is_tensor(np.ones(2)) and ops.dtype(x) == "float32"
    assert isinstance(ops.convert_to_numpy(x), np.ndarray) and ops.shape(x) == (2,)
    assert ops.cast([1.7, -1.7], "int32").numpy().tolist() == [1, -1]
    assert ops.saturate_cast([300, -5], "uint8").numpy().tolist() == [255, 0]
    assert [u.numpy().tolist() for u in ops.unstack([[1, 2], [3, 4]], axis=1)] == [[1, 3], [2, 4]]


def test_control_flow(keras):
    ops = keras.ops
    assert float(ops.cond(ops.convert_to_tensor(True), lambda: 1.0, lambda: 2.0)) == 1.0
    assert ops.switch(5, [lambda v: v + 1, lambda v: v * 10], 3) == 30  # the index clamps to the last branch
    i, total = ops.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (0, 0))
    assert (i, total) == (4, 6)
    assert ops.while_loop(lambda v: v < 100, lambda v: v * 2, 1, maximum_iterations=3) == 8
    assert ops.fori_loop(0, 5, lambda k, acc: acc + k, 0) == 10
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.array([1.0, 2.0, 3.0]))
    assert float(carry) == 6.0 and ys.numpy().tolist() == [0.0, 2.0, 9.0]
    carry, ys = ops.scan(lambda c, x: (c + 1, None), 0, length=4)
    assert carry == 4 and ys is None
    pairs = ops.map(lambda row: {"s": ops.sum(row), "m": ops.max(row)}, np.arange(6.0).reshape(3, 2))
    assert pairs["s"].numpy().tolist() == [1.0, 5.0, 9.0] and pairs["m"].numpy().tolist() == [1.0, 3.0, 5.0]
    np.testing.assert_array_equal(ops.associative_scan(lambda a, b: a + b, np.arange(5.0)).numpy(),
                                  np.cumsum(np.arange(5.0)))
    np.testing.assert_array_equal(ops.associative_scan(lambda a, b: a + b, np.ones((2, 3)), axis=1).numpy(),
                                  np.cumsum(np.ones((2, 3)), 1))
    np.testing.assert_array_equal(ops.vectorized_map(lambda r: r * 2, np.eye(2)).numpy(), 2 * np.eye(2))


def test_slicing_scattering_and_segments(keras):
    ops = keras.ops
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(ops.slice(x, (1, 1), (2, 2)).numpy(), x[1:3, 1:3])
    upd = ops.slice_update(x, (0, 2), np.full((2, 2), -1.0)).numpy()
    ref = x.copy()
    ref[0:2, 2:4] = -1
    np.testing.assert_array_equal(upd, ref)
    np.testing.assert_array_equal(ops.scatter([[0, 1], [2, 3], [0, 1]], [1.0, 2.0, 3.0], (3, 4)).numpy(),
                                  [[0, 4, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2]])  # repeated indices add up
    out = ops.scatter_update(x, [[0, 0], [2, 3]], [-5.0, -6.0]).numpy()
    assert out[0, 0] == -5 and out[2, 3] == -6 and out[1, 1] == 5
    data = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(ops.segment_sum(data, [0, 0, 1]).numpy(), [[4, 6], [5, 6]])
    np.testing.assert_array_equal(ops.segment_max(data, [1, 0, 1], num_segments=3).numpy()[:2], [[3, 4], [5, 6]])
    assert ops.segment_max(data, [1, 0, 1], num_segments=3).numpy()[2, 0] == np.finfo(np.float64).min
    np.testing.assert_array_equal(ops.segment_min(data, [1, 0, 1]).numpy(), [[3, 4], [1, 2]])
    seqs = ops.extract_sequences(np.arange(6.0), 3, 2)
    np.testing.assert_array_equal(seqs.numpy(), [[0, 1, 2], [2, 3, 4]])
    check_grads(lambda d: ops.segment_sum(d, [1, 0, 1]) + ops.segment_max(d, [1, 0, 1]), [RNG.normal(size=(3, 2))])
    check_grads(lambda v: ops.scatter_update(np.zeros((2, 2)), [[0, 1], [1, 0]], v) +
                ops.slice_update(np.zeros((2, 2)), (0, 0), ops.reshape(v, (1, 2))), [RNG.normal(size=2)])


def test_loops_are_differentiable(keras):
    ops = keras.ops
    check_grads(lambda v: ops.fori_loop(0, 3, lambda i, acc: acc * v + 1.0, v), [RNG.normal(size=3)])
    check_grads(lambda v: ops.scan(lambda c, x: (c * x, c), ops.ones(2, "float64"), v)[1], [RNG.normal(size=(3, 2))])


def test_custom_gradient_replaces_the_tape_gradient(keras):
    ops = keras.ops
    import dendrite

    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))
        return ops.log(1 + e), grad

    x = dendrite.Variable(np.array([50.0, 0.0], np.float32))
    with dendrite.GradientTape() as tape:
        y = ops.sum(log1pexp(x))
    g = tape.gradient(y, x)
    np.testing.assert_allclose(np.asarray(g), [1.0, 0.5])  # the keras.io example (log1pexp)

    @ops.custom_gradient
    def clip_grad(x):
        return x * 3.0, lambda dy: dy * 0.0 + 7.0
    w = dendrite.Variable(np.ones(2, np.float32))
    with dendrite.GradientTape() as tape:
        z = ops.sum(clip_grad(w * 2.0))
    assert np.asarray(tape.gradient(z, w)).tolist() == [14.0, 14.0]  # grad_fn's 7, then the chain rule's 2


def test_keras_ops_on_keras_tensors_build_model_layers(keras):
    ops = keras.ops
    inputs = keras.Input((4,))
    h = ops.concatenate([ops.sin(inputs), ops.cumsum(inputs, axis=1)], axis=1)
    h = ops.einsum("bi,ij->bj", h, np.ones((8, 2), np.float32))
    out = ops.softmax(keras.layers.Dense(3)(h))
    model = keras.Model(inputs, out)
    x = RNG.normal(size=(5, 4)).astype(np.float32)
    pred = model.predict(x, verbose=0)
    assert pred.shape == (5, 3)
    np.testing.assert_allclose(pred.sum(1), 1.0, rtol=1e-5)
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, np.array([0, 1, 2, 0, 1]), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert "numpy" in dir(ops) and ops.nn.relu is not None and ops.linalg.inv is not None
    with pytest.raises(NotImplementedError, match="forward-mode differentiation is not part of dendrite"):
        ops.jvp  # noqa: B018
