"""TensorFlow 1's graph-mode training (dendrite/compat/tf_graph_train.py): get_variable and variable_scope,
initializers, tf.gradients, the tf.compat.v1.train optimizers on a deferred loss, the streaming metrics."""
import os

import numpy as np
import pytest


def _mnist(n_train, n_test):
    path = os.path.join(os.environ.get("DENDRITE_DATA", "/work/shared/data"), "mnist.npz")
    with np.load(path, allow_pickle=False) as f:
        x, y, xt, yt = f["x_train"][:n_train], f["y_train"][:n_train], f["x_test"][:n_test], f["y_test"][:n_test]
    return x.reshape(-1, 784).astype("float32") / 255, y, xt.reshape(-1, 784).astype("float32") / 255, yt


@pytest.mark.parametrize("optimizer", ["GradientDescentOptimizer", "AdamOptimizer", "MomentumOptimizer"])
def test_softmax_regression_on_mnist_trains_by_feed_dict(tf1, optimizer):
    x_train, y_train, x_test, y_test = _mnist(2000, 500)
    x = tf1.placeholder(tf1.float32, [None, 784])
    labels = tf1.placeholder(tf1.int64, [None])
    W = tf1.Variable(tf1.zeros([784, 10]))
    b = tf1.Variable(tf1.zeros([10]))
    logits = tf1.matmul(x, W) + b
    loss = tf1.reduce_mean(tf1.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    step = tf1.train.get_or_create_global_step()
    settings = {"GradientDescentOptimizer": (0.5,), "AdamOptimizer": (0.01,), "MomentumOptimizer": (0.1, 0.9)}
    opt = getattr(tf1.train, optimizer)(*settings[optimizer])
    train = opt.minimize(loss, global_step=step)
    accuracy = tf1.reduce_mean(tf1.cast(tf1.equal(tf1.argmax(logits, 1), labels), tf1.float32))
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        losses = [sess.run([train, loss], {x: x_train[i:i + 100], labels: y_train[i:i + 100]})[1]
                  for i in range(0, 2000, 100)]
        test = sess.run(accuracy, {x: x_test, labels: y_test})
        assert sess.run(step) == 20 and losses[0] == pytest.approx(np.log(10), rel=1e-5)  # zeros: uniform
    assert np.mean(losses[-5:]) < 0.6 * losses[0] and test > 0.8  # chance is 0.1
    if optimizer == "AdamOptimizer":  # one Adam, its moments carried from run to run
        assert int(opt._made.iterations.value) == 20


def test_get_variable_scopes_reuse_and_initializers(tf1):
    with tf1.variable_scope("layer1"):
        w = tf1.get_variable("w", [3, 2], initializer=tf1.constant_initializer(0.5))
        b = tf1.get_variable("b", initializer=tf1.constant([1.0, 2.0]))
        g = tf1.get_variable("g", [100, 100])  # Glorot-uniform by default, as TensorFlow 1
    assert w.name == "layer1/w:0" and b.name == "layer1/b:0"
    limit = np.sqrt(6.0 / 200)
    assert np.abs(g.value).max() <= limit and np.abs(g.value).max() > 0.9 * limit
    with pytest.raises(ValueError, match=r"Variable layer1/w already exists, disallowed.*reuse=True"):
        with tf1.variable_scope("layer1"):
            tf1.get_variable("w", [3, 2])
    with tf1.variable_scope("layer1", reuse=True):
        assert tf1.get_variable("w") is w
        with pytest.raises(ValueError, match=r"Variable layer1/new does not exist.*AUTO_REUSE"):
            tf1.get_variable("new", [1])
    with tf1.variable_scope("layer1", reuse=tf1.AUTO_REUSE):
        assert tf1.get_variable("w") is w and tf1.get_variable("z", [1]).name == "layer1/z:0"
    with tf1.variable_scope("outer"):
        with tf1.variable_scope("inner") as scope:
            v = tf1.get_variable("v", [2], initializer=tf1.zeros_initializer())
            assert scope.name == "outer/inner" and v.name == "outer/inner/v:0"
    assert [x.name for x in tf1.trainable_variables()] == ["layer1/w:0", "layer1/b:0", "layer1/g:0", "layer1/z:0",
                                                           "outer/inner/v:0"]
    with pytest.raises(ValueError, match=r"initializer's value has shape \(2,\), but shape=\[3\]"):
        tf1.get_variable("bad", [3], initializer=np.ones(2, np.float32))


def test_tf_gradients_of_placeholders_and_variables_with_weights(tf1):
    x = tf1.placeholder(tf1.float32, [3])
    w = tf1.Variable([1.0, 2.0, 3.0])
    y = tf1.reduce_sum(w * x * x)
    dx, dw = tf1.gradients(y, [x, w])
    (weighted,) = tf1.gradients(w * x, x, grad_ys=tf1.constant([1.0, 0.0, 2.0]))
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        feed = {x: [1.0, -1.0, 2.0]}
        assert np.allclose(sess.run(dx, feed), [2.0, -4.0, 12.0])  # 2 w x
        assert np.allclose(sess.run(dw, feed), [1.0, 1.0, 4.0])  # x**2
        assert np.allclose(sess.run(weighted, feed), [1.0, 0.0, 6.0])
        assert sess.run(tf1.gradients(tf1.reduce_sum(x), [w])[0], feed) is None  # unconnected


def test_apply_gradients_with_clipped_gradients_and_a_fed_learning_rate(tf1):
    w = tf1.Variable([4.0, -4.0])
    rate = tf1.placeholder(tf1.float32, [])
    loss = tf1.reduce_sum(w * w)
    opt = tf1.train.GradientDescentOptimizer(rate)
    clipped = [(tf1.clip_by_value(g, -1.0, 1.0), v) for g, v in opt.compute_gradients(loss)]
    train = opt.apply_gradients(clipped)
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        sess.run(train, {rate: 0.5})
        assert np.allclose(sess.run(w), [3.5, -3.5])  # gradient 8 clipped to 1, times 0.5
        sess.run(train, {rate: 2.0})
        assert np.allclose(sess.run(w), [1.5, -1.5])


def test_streaming_metrics_update_read_and_restart(tf1):
    """tf.compat.v1.metrics' (value, update_op) on placeholders; figures from TensorFlow 2.21."""
    labels, preds = tf1.placeholder(tf1.int64, [None]), tf1.placeholder(tf1.int64, [None])
    acc, acc_op = tf1.metrics.accuracy(labels=labels, predictions=preds)
    mean, mean_op = tf1.metrics.mean(tf1.cast(preds, tf1.float32))
    with tf1.Session() as sess:
        sess.run([tf1.global_variables_initializer(), tf1.local_variables_initializer()])
        assert sess.run(acc_op, {labels: [1, 2, 3], preds: [1, 2, 0]}) == pytest.approx(2 / 3)
        assert sess.run([acc_op, mean_op], {labels: [1], preds: [0]}) == [0.5, 0.0]
        assert sess.run(acc) == 0.5 and sess.run(mean) == 0.0
        sess.run(tf1.local_variables_initializer())
        assert sess.run(acc_op, {labels: [1], preds: [1]}) == 1.0


def test_keras_layers_and_models_on_placeholders_train_with_a_v1_optimizer(tf1, tf, tmp_path):
    """TF 2.21 runs Keras 3 layers on TF 1 placeholders: the layers' weights join the graph's variables
    (minimize finds them, the initializer resets them, the Saver saves them)."""
    x, y = tf1.placeholder(tf1.float32, [None, 4]), tf1.placeholder(tf1.float32, [None, 1])
    hidden = tf.keras.layers.Dense(8, activation="relu")(x)
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1)])
    out = model(hidden)
    assert out.shape.as_list() == [None, 1] and len(tf1.trainable_variables()) == 4
    loss = tf1.reduce_mean(tf1.square(out - y))
    train = tf1.train.AdamOptimizer(0.01).minimize(loss)
    rng = np.random.default_rng(0)
    xs = rng.random((64, 4)).astype("float32")
    ys = xs.sum(1, keepdims=True)
    saver = tf1.train.Saver()
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        first = sess.run(loss, {x: xs, y: ys})
        for _ in range(200):
            sess.run(train, {x: xs, y: ys})
        trained = sess.run(loss, {x: xs, y: ys})
        path = saver.save(sess, str(tmp_path / "m"))
        sess.run(tf1.global_variables_initializer())  # the layers' initial weights again
        assert sess.run(loss, {x: xs, y: ys}) == pytest.approx(first)
        saver.restore(sess, path)
        assert sess.run(loss, {x: xs, y: ys}) == pytest.approx(trained)
    assert trained < 0.05 * first


def test_adadelta_optimizer_with_tensorflow_1s_defaults(tf1):
    """TF 1's AdadeltaOptimizer (learning_rate=0.001, rho=0.95, epsilon=1e-8): one step on w**2 from w=1,
    as its update rule gives it: a = 0.05 g**2, update = sqrt(eps) / sqrt(a + eps) * g, w -= lr * update."""
    w = tf1.Variable(1.0)
    opt = tf1.train.AdadeltaOptimizer()
    assert (opt._settings["rho"], opt._settings["epsilon"], opt._settings["learning_rate"]) == (0.95, 1e-8, 0.001)
    train = opt.minimize(w * w)
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        sess.run(train)
        g, eps = 2.0, 1e-8
        expected = 1.0 - 0.001 * np.sqrt(eps) / np.sqrt(0.05 * g * g + eps) * g
        assert sess.run(w) == pytest.approx(expected, rel=1e-6)
