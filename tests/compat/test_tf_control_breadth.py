"""tf's control flow and graph-era helpers, run eagerly, with TensorFlow's documented results."""
import numpy as np
import pytest

from dendrite.testing import check_grads


def test_cond_case_switch_and_loops(tf):
    x = tf.constant(2.0)
    assert float(tf.cond(x > 1.0, lambda: x * 10, lambda: x)) == 20.0
    assert float(tf.case([(x < 0, lambda: 1.0), (x > 1, lambda: 2.0)], default=lambda: 3.0)) == 2.0
    assert tf.switch_case(tf.constant(1), [lambda: "a", lambda: "b"]) == "b"
    i, s = tf.while_loop(lambda i, s: i < 10, lambda i, s: (i + 1, s + i), [tf.constant(0), tf.constant(0)])
    assert int(i) == 10 and int(s) == 45
    squares = tf.map_fn(lambda v: v * v, tf.constant([1.0, 2.0, 3.0]))
    assert squares.numpy().tolist() == [1.0, 4.0, 9.0]
    assert int(tf.foldl(lambda a, v: a + v, tf.constant([1, 2, 3, 4, 5, 6]))) == 21  # TF's doc example
    assert float(tf.foldr(lambda a, v: a - v, tf.constant([1.0, 2.0, 3.0]), initializer=10.0)) == 4.0
    np.testing.assert_array_equal(tf.scan(lambda a, v: a + v, tf.constant([1, 2, 3, 4, 5, 6])).numpy(),
                                  [1, 3, 6, 10, 15, 21])  # TF's doc example
    np.testing.assert_array_equal(tf.scan(lambda a, v: a + v, tf.constant([1, 2, 3]), reverse=True).numpy(), [6, 5, 3])
    with pytest.raises(ValueError, match="no predicate"):
        tf.case([(x < 0, lambda: 1.0)])


def test_tensor_array(tf):
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in range(3):
        ta = ta.write(i, tf.constant([float(i), 1.0]))
    assert int(ta.size()) == 3 and ta.stack().numpy().tolist() == [[0, 1], [1, 1], [2, 1]]
    assert ta.read(1).numpy().tolist() == [1.0, 1.0] and ta.gather([2, 0]).shape == (2, 2)
    fixed = tf.TensorArray(tf.int32, size=2).unstack([[1, 2], [3, 4]])
    assert fixed.concat().numpy().tolist() == [1, 2, 3, 4]
    with pytest.raises(IndexError, match="dynamic_size=True"):
        tf.TensorArray(tf.float32, size=1).write(3, 1.0)


def test_scopes_and_no_ops(tf):
    with tf.name_scope("outer") as outer:
        with tf.name_scope("inner") as inner:
            assert tf.get_current_name_scope() == "outer/inner"
        with tf.name_scope("abs/") as absolute:
            assert absolute == "abs/"
    assert (outer, inner) == ("outer/", "outer/inner/") and tf.get_current_name_scope() == ""
    with tf.init_scope(), tf.control_dependencies([tf.no_op()]):
        assert tf.group(tf.constant(1)) is None


def test_custom_gradient_py_function_and_checks(tf):
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))
        return tf.math.log(1 + e), grad

    x = tf.Variable([0.0, 30.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(log1pexp(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.5, 1.0])  # TF's doc example

    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scaled(x):
        def grad(dy, variables=None):
            return dy * 3.0, [dy * 5.0]
        return x * v, grad
    with tf.GradientTape() as tape:
        z = scaled(tf.constant(4.0))
    assert float(tape.gradient(z, v)) == 5.0  # the variable's gradient from grad_fn, not the tape's 4
    out = tf.py_function(lambda a, b: a + b, [1.0, 2.0], Tout=tf.float32)
    assert float(out) == 3.0 and out.dtype == np.float32
    assert tf.numpy_function(lambda a: a * 2, [np.arange(3)], tf.int64).numpy().tolist() == [0, 2, 4]
    assert tf.ensure_shape(tf.zeros((2, 3)), [None, 3]).shape == (2, 3)
    with pytest.raises(ValueError, match=r"expected shape \[None, 4\]"):
        tf.ensure_shape(tf.zeros((2, 3)), [None, 4])
    assert tf.get_static_value(tf.constant([1, 2])).tolist() == [1, 2]
    tf.assert_equal(tf.constant(1), 1)
    with pytest.raises(ValueError):
        tf.assert_less(tf.constant(2), 1)


def test_clipping_by_norm(tf):
    clipped = tf.clip_by_norm(tf.constant([[1.0, 1.0], [3.0, 4.0]]), 2.0, axes=[1])
    np.testing.assert_allclose(clipped.numpy(), [[1, 1], [1.2, 1.6]], rtol=1e-6)
    tensors, norm = tf.clip_by_global_norm([tf.constant([3.0]), None, tf.constant([4.0])], 1.0)
    assert float(norm) == pytest.approx(5.0) and tensors[1] is None
    np.testing.assert_allclose(tensors[0].numpy(), [0.6], rtol=1e-6)
    check_grads(lambda a: tf.clip_by_norm(a, 0.5), [np.array([0.3, -0.8, 0.4])])
    init = tf.random_normal_initializer(stddev=0.05)
    assert np.asarray(init((500,))).std() == pytest.approx(0.05, rel=0.15)
    assert np.asarray(tf.constant_initializer(3.0)((2,))).tolist() == [3.0, 3.0]
    assert np.asarray(tf.zeros_initializer()((2,))).tolist() == [0.0, 0.0]
