"""tf's control flow, function helpers, clipping, TensorArray and tf.nest, written the way TF 2 guides use them."""
import collections

import numpy as np
import pytest

from dendrite.testing import check_grads


def test_cond_case_and_switch_case_pick_branches(tf):
    x = tf.constant(3.0)
    assert float(tf.cond(x > 2.0, lambda: x * 2.0, lambda: x - 1.0)) == 6.0
    assert float(tf.cond(x < 2.0, lambda: x * 2.0, lambda: x - 1.0)) == 2.0
    out = tf.case([(x < 0.0, lambda: tf.constant(-1)), (x > 1.0, lambda: tf.constant(1))],
                  default=lambda: tf.constant(0))
    assert int(out) == 1
    assert int(tf.case([(x < 0.0, lambda: tf.constant(-1))], default=lambda: tf.constant(0))) == 0
    fns = [lambda: tf.constant(10), lambda: tf.constant(20)]
    assert int(tf.switch_case(tf.constant(1), fns)) == 20
    assert int(tf.switch_case(7, fns)) == 20  # out of range, no default: the last branch (TensorFlow's rule)
    assert int(tf.switch_case(7, fns, default=lambda: tf.constant(-5))) == -5
    with pytest.raises(ValueError, match="single boolean"):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)


def test_while_loop_keeps_the_structure_of_loop_vars(tf):
    i, total = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + tf.cast(i, tf.float32)),
                             (tf.constant(0), tf.constant(0.0)))
    assert int(i) == 5 and float(total) == 10.0
    out = tf.while_loop(lambda n: n < 10, lambda n: n * 2, [tf.constant(1)])
    assert isinstance(out, list) and int(out[0]) == 16
    capped = tf.while_loop(lambda n: True, lambda n: n + 1, [0], maximum_iterations=3)
    assert int(capped[0]) == 3
    with pytest.raises(ValueError, match="body returned 1 value"):
        tf.while_loop(lambda a, b: a < 3, lambda a, b: a + 1, (0, 1))


def test_map_fn_scan_and_folds(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_allclose(tf.map_fn(lambda row: tf.reduce_sum(row), x).numpy(), [3.0, 7.0, 11.0])
    pair = tf.map_fn(lambda t: (t[0] * 2, t[1] + 1), (tf.constant([1, 2]), tf.constant([5, 6])))
    assert pair[0].numpy().tolist() == [2, 4] and pair[1].numpy().tolist() == [6, 7]
    np.testing.assert_allclose(tf.vectorized_map(lambda row: row * row, x).numpy(), x.numpy() ** 2)
    elems = tf.constant([1, 2, 3, 4])
    assert int(tf.foldl(lambda a, e: a + e, elems)) == 10
    assert int(tf.foldr(lambda a, e: a * 10 + e, elems)) == 4321  # from the end
    assert tf.scan(lambda a, e: a + e, elems).numpy().tolist() == [1, 3, 6, 10]
    assert tf.scan(lambda a, e: a + e, elems, initializer=tf.constant(100)).numpy().tolist() == [101, 103, 106, 110]
    assert tf.scan(lambda a, e: a + e, elems, reverse=True).numpy().tolist() == [10, 9, 7, 4]
    with pytest.raises(ValueError, match="same first dimension"):
        tf.map_fn(lambda t: t, (tf.ones([2]), tf.ones([3])))


def test_map_fn_and_clipping_are_differentiable(tf):
    rng = np.random.RandomState(1)
    x = rng.randn(3, 4)
    check_grads(lambda a: tf.map_fn(lambda row: tf.reduce_sum(row * row), a), [x])
    check_grads(lambda a: tf.clip_by_norm(a, 0.7), [x])
    check_grads(lambda a: tf.clip_by_norm(a, 0.7, axes=[1]), [x])
    check_grads(lambda a, b: tf.clip_by_global_norm([a, b], 1.5)[0][1], [x, rng.randn(2)])
    check_grads(lambda a: tf.scan(lambda acc, e: acc * e, a), [x])


def test_clip_by_norm_and_global_norm_values(tf):
    t = tf.constant([3.0, 4.0])  # norm 5
    np.testing.assert_allclose(tf.clip_by_norm(t, 1.0).numpy(), [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(tf.clip_by_norm(t, 10.0).numpy(), [3.0, 4.0])  # under the limit: unchanged
    clipped, norm = tf.clip_by_global_norm([t, None, tf.constant([12.0])], 6.5)
    assert float(norm) == pytest.approx(13.0) and clipped[1] is None
    np.testing.assert_allclose(clipped[0].numpy(), [1.5, 2.0], rtol=1e-6)
    np.testing.assert_allclose(clipped[2].numpy(), [6.0], rtol=1e-6)
    assert float(tf.linalg.global_norm([t])) == pytest.approx(5.0)


def test_custom_gradient_replaces_the_backward_pass(tf):
    @tf.custom_gradient
    def clipped_identity(y):
        def grad(dy):
            return tf.clip_by_norm(dy, 0.5)
        return y, grad

    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        out = clipped_identity(v * v)
    assert float(out) == 4.0
    assert float(tape.gradient(out, v)) == pytest.approx(2.0)  # d(v*v)/dv = 4, times the clipped 0.5

    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)
        return tf.math.log(1 + e), lambda dy: dy * (1 - 1 / (1 + e))

    x = tf.constant(10.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(tape.gradient(y, x)) == pytest.approx(1 - 1 / (1 + np.exp(10.0)), rel=1e-5)

    @tf.custom_gradient
    def scaled_product(a, b):
        return a * b, lambda dy: (dy * 10.0, None)

    a, b = tf.Variable(3.0), tf.Variable(4.0)
    with tf.GradientTape() as tape:
        z = scaled_product(a, b)
    ga, gb = tape.gradient(z, [a, b])
    assert float(ga) == 10.0 and gb is None

    @tf.custom_gradient
    def wrong(a, b):
        return a + b, lambda dy: dy
    with tf.GradientTape() as tape:
        z = wrong(a, b)
    with pytest.raises(ValueError, match="returned 1 input gradient"):
        tape.gradient(z, [a, b])


def test_py_function_and_numpy_function(tf):
    seen = []

    def on_tensors(a, b):
        seen.append(type(a).__name__)
        return a + b

    out = tf.py_function(on_tensors, [tf.constant(1.0), 2.0], Tout=tf.float32)
    assert float(out) == 3.0 and out.dtype == tf.float32 and seen == ["Tensor"]
    twice = tf.numpy_function(lambda a: (a * 2, np.sum(a)), [np.arange(3)], Tout=[tf.int64, tf.int64])
    assert twice[0].numpy().tolist() == [0, 2, 4] and int(twice[1]) == 3


def test_tensor_array_write_read_stack(tf):
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in range(4):
        ta = ta.write(i, tf.constant(float(i * i)))
    assert ta.stack().numpy().tolist() == [0.0, 1.0, 4.0, 9.0] and int(ta.size()) == 4
    assert float(ta.read(2)) == 4.0
    fixed = tf.TensorArray(tf.int32, size=2)
    fixed.write(0, [1, 2])
    assert fixed.stack().numpy().tolist() == [[1, 2], [0, 0]]  # unwritten elements read as zeros
    with pytest.raises(IndexError, match="dynamic_size=True"):
        fixed.write(5, [0, 0])
    unstacked = tf.TensorArray(tf.float32, size=3).unstack(tf.constant([[1.0], [2.0], [3.0]]))
    assert unstacked.gather([2, 0]).numpy().tolist() == [[3.0], [1.0]]
    assert unstacked.concat().numpy().tolist() == [1.0, 2.0, 3.0]


def test_scopes_and_static_helpers(tf):
    with tf.name_scope("block") as scope:
        assert scope == "block/"
    with tf.init_scope(), tf.control_dependencies([tf.constant(1)]):
        tf.no_op()
    np.testing.assert_array_equal(tf.get_static_value(tf.constant([1, 2])), [1, 2])
    x = tf.ones([2, 3])
    assert tf.ensure_shape(x, [None, 3]) is x
    with pytest.raises(ValueError, match=r"expected shape \[None, 4\]"):
        tf.ensure_shape(x, [None, 4])


def test_nest_flattens_and_packs_like_tensorflow(tf):
    Point = collections.namedtuple("Point", "x y")
    structure = {"b": [1, (2, 3)], "a": Point(4, 5), "c": None}
    assert tf.nest.flatten(structure) == [4, 5, 1, 2, 3, None]  # dict keys sorted, None a leaf
    assert tf.nest.flatten("text") == ["text"] and tf.nest.flatten(np.ones(2))[0].shape == (2,)
    views = {"b": [1, 2], "a": 3}  # a dict's views in their own order, as TensorFlow 2.21 reads them
    assert tf.nest.flatten(views.keys()) == ["b", "a"] and tf.nest.flatten(views.items()) == ["b", 1, 2, "a", 3]
    assert tf.nest.pack_sequence_as(views.values(), [5, 6, 7]) == [[5, 6], 7]
    packed = tf.nest.pack_sequence_as(structure, list("abcdef"))
    assert packed == {"b": ["c", ("d", "e")], "a": Point("a", "b"), "c": "f"} and list(packed) == ["b", "a", "c"]
    doubled = tf.nest.map_structure(lambda u, v: u + v, [1, (2, 3)], [10, (20, 30)])
    assert doubled == [11, (22, 33)]
    assert tf.nest.is_nested([1]) and not tf.nest.is_nested(tf.constant([1]))
    with pytest.raises(ValueError, match="same number of elements"):
        tf.nest.assert_same_structure([1, 2], [1, 2, 3])
    with pytest.raises(TypeError, match="same sequence type"):
        tf.nest.assert_same_structure([1, 2], (1, 2))
    with pytest.raises(ValueError, match="has 2 leaves"):
        tf.nest.pack_sequence_as([0, 0], [1])
    assert tf.nest.flatten_with_joined_string_paths({"a": [7, 8]}) == [("a/0", 7), ("a/1", 8)]


def test_tf_initializers_have_tensorflow_defaults(tf):
    w = tf.random_normal_initializer(seed=1)(shape=(200, 50), dtype="float32")
    assert w.shape == (200, 50) and w.dtype == np.float32 and abs(float(np.std(w)) - 0.05) < 0.005
    u = np.asarray(tf.random_uniform_initializer()(shape=(1000,)))
    assert u.min() >= -0.05 and u.max() <= 0.05
    assert np.all(np.asarray(tf.zeros_initializer()(shape=(2,), dtype="float32")) == 0)
    assert np.all(np.asarray(tf.ones_initializer()(shape=(2, 2))) == 1)
    np.testing.assert_array_equal(tf.constant_initializer(3.0)(shape=(2,)), [3.0, 3.0])
    variable = tf.Variable(initial_value=tf.zeros_initializer()(shape=(3,), dtype="float32"), trainable=True)
    assert variable.numpy().tolist() == [0.0, 0.0, 0.0]


def test_constant_initializer_reshapes_as_tensorflows(tf):
    """tf.constant_initializer reshapes a value of as many elements (TF 2.21; keras.initializers.Constant
    broadcasts): a hand-set (1, 3, 3) filter for a (3, 3, 1, 1) kernel, in the TF 2 handbook's CNN example."""
    kernel = tf.constant_initializer(np.arange(9).reshape(1, 3, 3))(shape=(3, 3, 1, 1))
    assert np.asarray(kernel).shape == (3, 3, 1, 1) and np.asarray(kernel).ravel().tolist() == list(range(9))
    conv = tf.keras.layers.Conv2D(1, 3, kernel_initializer=tf.constant_initializer(np.ones((1, 3, 3)) / 9))
    np.testing.assert_allclose(conv(tf.ones((1, 3, 3, 1))).numpy().ravel(), [1.0], rtol=1e-6)
    dense = tf.keras.layers.Dense(2, kernel_initializer=tf.constant_initializer([[1, 2], [3, 4], [5, 6]]))
    dense.build((None, 3))
    assert dense.kernel.numpy().tolist() == [[1, 2], [3, 4], [5, 6]] and dense.kernel.numpy().dtype == np.float32
    with pytest.raises(TypeError, match=r"has 3 elements .* the weight shape \(2, 2\) has 4"):
        tf.constant_initializer([1.0, 2.0, 3.0])(shape=(2, 2))


def test_math_family_values_and_gradients(tf):
    x = np.array([[0.3, -1.2, 2.0], [1.5, 0.0, -0.4]])
    np.testing.assert_allclose(tf.math.tan(x).numpy(), np.tan(x))
    np.testing.assert_allclose(tf.sin(x).numpy(), np.sin(x)) and np.testing.assert_allclose(tf.cosh(x), np.cosh(x))
    assert float(tf.atan2(1.0, -1.0)) == pytest.approx(3 * np.pi / 4)
    np.testing.assert_allclose(tf.math.divide_no_nan([1.0, 2.0], [0.0, 4.0]).numpy(), [0.0, 0.5])
    np.testing.assert_allclose(tf.math.multiply_no_nan([np.inf, 2.0], [0.0, 3.0]).numpy(), [0.0, 6.0])
    np.testing.assert_allclose(tf.math.xlogy([0.0, 2.0], [0.0, 3.0]).numpy(), [0.0, 2 * np.log(3.0)], rtol=1e-6)
    assert float(tf.math.floormod(-7.0, 3.0)) == 2.0 and int(tf.math.floormod(-7, 3)) == 2  # Python's sign rule
    assert float(tf.math.reduce_euclidean_norm([3.0, 4.0])) == 5.0
    assert float(tf.math.polyval([2.0, 0.0, 1.0], 3.0)) == 19.0  # 2x^2 + 1
    sums = tf.math.unsorted_segment_sum(tf.constant([[1, 2], [3, 4], [5, 6]]), [0, 2, 0], num_segments=3)
    assert sums.numpy().tolist() == [[6, 8], [0, 0], [3, 4]]
    assert tf.math.segment_mean([1.0, 3.0, 10.0], [0, 0, 1]).numpy().tolist() == [2.0, 10.0]
    assert bool(tf.math.is_non_decreasing([1, 1, 2])) and not bool(tf.math.is_strictly_increasing([1, 1, 2]))
    rng = np.random.RandomState(2)
    check_grads(lambda a: tf.math.divide_no_nan(a, a - a[0:1]), [rng.randn(3, 2)])
    check_grads(lambda a, b: tf.math.xlogy(a, b), [rng.randn(3), rng.uniform(0.5, 2, 3)])
    check_grads(lambda a: tf.math.floormod(a, 0.7), [rng.uniform(0.1, 2, 4) + 0.05])
    check_grads(lambda a: tf.math.unsorted_segment_mean(a, [1, 0, 1], 2), [rng.randn(3, 2)])
    check_grads(lambda a: tf.math.polyval([a[0], a[1], 2.0], a[2]), [rng.randn(3)])
