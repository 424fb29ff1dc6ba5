"""tf.GradientTape's jacobian / batch_jacobian and gradients of gradients, in the style of the TF
advanced-autodiff guide (the op-by-op second-order checks: tests/autodiff/test_higher_order.py)."""
import numpy as np
import pytest


def test_jacobian_of_a_layer_matches_finite_differences(tf):
    x = tf.constant(np.random.RandomState(0).randn(3, 2).astype("float64"))
    w = tf.Variable(np.random.RandomState(1).randn(2, 4))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.tanh(tf.matmul(x, w))
    jac = tape.jacobian(y, w)
    assert jac.shape == (3, 4, 2, 4)
    eps, numeric = 1e-6, np.zeros((3, 4, 2, 4))
    for i in range(2):
        for j in range(4):
            d = np.zeros((2, 4))
            d[i, j] = eps
            numeric[:, :, i, j] = (np.tanh(x.numpy() @ (w.numpy() + d)) - np.tanh(x.numpy() @ (w.numpy() - d))) / (2 * eps)
    np.testing.assert_allclose(jac.numpy(), numeric, rtol=1e-6, atol=1e-8)
    both = tape.jacobian(y, [w, x])  # persistent: a second call, a list of sources
    assert both[0].shape == (3, 4, 2, 4) and both[1] is None  # x is not watched


def test_batch_jacobian_keeps_examples_apart(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stack([x[:, 0] * x[:, 1], x[:, 0] ** 2, x[:, 1]], axis=1)
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == (2, 3, 2)
    np.testing.assert_allclose(bj.numpy()[1], [[4.0, 3.0], [6.0, 0.0], [0.0, 1.0]])
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.jacobian(y, x)


def test_gradient_of_a_gradient_is_the_second_derivative(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        dy_dx = inner.gradient(y, x)
    assert float(dy_dx) == 3.0
    assert float(outer.gradient(dy_dx, x)) == 6.0
    with tf.GradientTape() as alone:  # a gradient taken with no outer tape is an ordinary tensor
        z = x * 2.0
    g = alone.gradient(z, x)
    with tf.GradientTape() as again:
        again.watch(g)
        w = g * 3.0
    assert float(again.gradient(w, g)) == 3.0


def test_watched_variables_answers_as_tensorflow_also_after_gradient(tf):
    """TF 2.21 (the autodiff guide): trainable variables an op read are watched, a non-trainable one only
    through watch(), a variable merely assigned to a Python name not at all; the answer is a tuple and
    outlives the gradient call; reset() forgets it."""
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b", trainable=False)
    c, d = tf.Variable(3.0, name="c"), tf.Variable(4.0, name="d")
    with tf.GradientTape() as tape:
        y = a * b
        d + 0.0
        unused = c  # noqa: F841 - no op reads it
    watched = tape.watched_variables()
    assert isinstance(watched, tuple) and [v.name for v in watched] == ["a:0", "d:0"]
    assert float(tape.gradient(y, a).numpy()) == 2.0
    assert [v.name for v in tape.watched_variables()] == ["a:0", "d:0"]
    with tf.GradientTape(watch_accessed_variables=False, persistent=True) as tape:
        tape.watch(c)
        y = a * b + c * d
        tape.watch(b)
    grads = tape.gradient(y, [a, b, c])
    # a is not watched, b only after the op that read it: both None, as TF 2.21 gives
    assert grads[0] is None and grads[1] is None and float(grads[2].numpy()) == 4.0
    assert sorted(v.name for v in tape.watched_variables()) == ["b:0", "c:0"]
    with tape:
        tape.reset()
        y = d * 2.0
    assert tape.watched_variables() == ()  # (d is not watched by this tape)
    with tf.GradientTape() as tape:
        d * 2.0
        tape.reset()
        a * 2.0
    assert [v.name for v in tape.watched_variables()] == ["a:0"]


def test_gradients_for_integer_sources_are_none(tf):
    """TF 2.21: only floating values are differentiated; an integer source (watched constant or Variable) gets
    None, next to the float sources' gradients."""
    x = tf.constant(10)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None
    n, w = tf.Variable(3), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        tape.watch(n)
        y = w * w * tf.cast(n, tf.float32)
    grads = tape.gradient(y, {"n": n, "w": [w]})
    assert grads["n"] is None and float(grads["w"][0].numpy()) == 12.0
