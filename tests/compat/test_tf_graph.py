"""TensorFlow 1's graph mode (dendrite/compat/tf_graph.py): deferred tensors made by tf functions and operators
after ``disable_eager_execution()``, computed by Session.run from the variables' current values and the fed
placeholders. Expected figures are TensorFlow 2.21's for the same programs."""
import numpy as np
import pytest


def test_a_perceptron_trained_by_session_runs_gives_tensorflows_figures(tf1):
    """olegkleiman's TF 1 perceptron: the loss is built once and re-run; TF 2.21 prints 1.6, 0.76, and after
    a hundred minimize steps 0.0047364226."""
    x = tf1.constant(1.0, name="input")
    w = tf1.Variable(0.8, name="weight")
    y = tf1.multiply(w, x, name="output")
    loss = tf1.pow(y - tf1.constant(0.0), 2, "loss")
    sgd = tf1.train.GradientDescentOptimizer(learning_rate=0.025)
    grads_and_vars = sgd.compute_gradients(loss)
    assert grads_and_vars[0][1] is w and str(y) == 'Tensor("output:0", shape=(), dtype=float32)'
    sess = tf1.Session()
    sess.run(tf1.global_variables_initializer())
    assert sess.run(grads_and_vars[0][0]) == pytest.approx(1.6)
    assert sess.run(optim_step := sgd.apply_gradients(grads_and_vars)) is None
    assert sess.run(w) == pytest.approx(0.76)
    for _ in range(99):
        sess.run(optim_step)
    train = tf1.train.GradientDescentOptimizer(0.025).minimize(loss)
    sess.run(tf1.global_variables_initializer())  # back to 0.8
    for _ in range(100):
        sess.run(train)
    assert sess.run(y) == pytest.approx(0.0047364226, rel=1e-5)
    assert isinstance(sess.run(y), np.float32)  # a 0-d fetch is a NumPy scalar, as TensorFlow gives it


def test_placeholders_feed_shapes_names_and_clear_errors(tf1):
    x = tf1.placeholder(tf1.float32, [None, 3], name="x")
    scale = tf1.placeholder_with_default(2.0, shape=[])
    out = tf1.reduce_sum(x * scale, axis=1) + np.float32(1.0)
    assert out.shape.as_list() == [None] and x.shape.as_list() == [None, 3] and out.dtype == tf1.float32
    assert repr(x) == "<tf.Tensor 'x:0' shape=(None, 3) dtype=float32>"
    batch = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf1.Session() as sess:
        assert np.allclose(sess.run(out, feed_dict={x: batch}), [7.0, 25.0])
        assert np.allclose(sess.run(out, feed_dict={"x:0": batch, scale: 1.0}), [4.0, 13.0])  # fed by name
        fetched = sess.run({"sum": out, "pair": (x, out)}, feed_dict={x: batch})
        assert np.allclose(fetched["pair"][0], batch) and np.allclose(fetched["sum"], [7.0, 25.0])
        with pytest.raises(ValueError, match=r"must feed a value for placeholder tensor 'x' with dtype float32 "
                                             r"and shape \[\?,3\]"):
            sess.run(out)
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor 'x:0', which has "
                                             r"shape '\(\?, 3\)'"):
            sess.run(out, feed_dict={x: [1.0, 2.0, 3.0]})
    with pytest.raises(TypeError, match=r"Python `bool` is not allowed in graph mode.*tf.cond"):
        bool(out > 0)
    with pytest.raises(ValueError, match=r"must feed a value for placeholder tensor 'x'"):
        np.asarray(out)  # a value asked for outside a run: computed on the spot, but x has no value


def test_operators_and_numpy_operands_defer_on_variables_until_run(tf1):
    """``w * x`` with a graph-mode Variable is an operation: a run sees the variable's value at that time."""
    w = tf1.Variable([1.0, 2.0], name="w")
    expr = np.array([10.0, 10.0], np.float32) * w - 1.0
    doubled = w.assign(w * 2.0)
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        assert np.allclose(sess.run(expr), [9.0, 19.0])
        assert np.allclose(sess.run(doubled), [2.0, 4.0])
        assert np.allclose(sess.run(expr), [19.0, 39.0])  # re-run: the new value
        assert np.allclose(sess.run(w[1] ** 2), 16.0) and np.allclose(sess.run(-w // 3), [-1.0, -2.0])
        sess.run(tf1.global_variables_initializer())  # back to the initial value
        assert np.allclose(sess.run(w), [1.0, 2.0])
    assert np.allclose(np.asarray(expr), [9.0, 19.0])  # no placeholder: computed on the spot


def test_graphs_names_default_sessions_and_eval(tf1):
    graph = tf1.Graph()
    with graph.as_default():
        a = tf1.constant(3.0)
        v = tf1.Variable(2.0, name="v")
        prod = tf1.multiply(a, v, name="prod")
        prod2 = tf1.multiply(v, v, name="prod")
        assert prod.graph is graph and tf1.get_default_graph() is graph
    assert prod2.name == "prod_1:0" and graph.get_tensor_by_name("prod:0") is prod
    assert [op.name for op in graph.get_operations()] == ["v", "prod", "prod_1"]
    with tf1.Session(graph=graph) as sess:
        assert sess.run("prod:0") == 6.0 and sess.run(["prod_1:0", v]) == [4.0, 2.0]
        with sess.as_default():
            assert prod.eval() == 6.0 and tf1.get_default_session() is sess
    sess = tf1.InteractiveSession(graph=graph)
    update = v.assign_add(1.0)
    update.op.run()
    assert prod.eval() == 9.0
    sess.close()
    tf1.reset_default_graph()
    assert tf1.get_default_graph().get_operations() == []


def test_eager_again_and_keras_fit_unaffected_by_graph_mode(tf1, tf):
    """A Keras program that disables eager execution (for speed, in Keras 2 days) trains as before: only tf
    functions of deferred tensors defer."""
    assert tf1.executing_eagerly() is False and tf.executing_eagerly() is False
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    history = model.fit(x, (x[:, 0] > 0).astype("int64"), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert float(tf.reduce_sum(tf.constant([1.0, 2.0]))) == 3.0  # eager values stay eager
    tf1.enable_eager_execution()
    assert tf.executing_eagerly() is True
    assert isinstance(tf.Variable(1.0) * 2.0, tf.Tensor) and float(tf.Variable(1.0) * 2.0) == 2.0


def test_cond_and_while_loop_on_deferred_tensors_keep_the_gradient_path(tf1):
    """tf.cond on a fed ``training`` flag (TF 1's dropout idiom) and a while_loop over a placeholder: figures
    from TensorFlow 2.21 running this graph."""
    x = tf1.placeholder(tf1.float32, [None, 2])
    training = tf1.placeholder_with_default(False, shape=[])
    W = tf1.Variable([[1.0], [2.0]])
    h = tf1.matmul(x, W)
    out = tf1.cond(training, lambda: h * 2.0, lambda: tf1.identity(h))
    (grad,) = tf1.gradients(tf1.reduce_sum(out), [W])
    _, total = tf1.while_loop(lambda i, acc: tf1.less(i, 3), lambda i, acc: (i + 1, acc + tf1.reduce_sum(x)),
                              [tf1.constant(0), tf1.constant(0.0)])
    feed = {x: [[1.0, 1.0], [2.0, 3.0]]}
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        value, g = sess.run([out, grad], feed)
        assert np.allclose(value, [[3.0], [8.0]]) and np.allclose(g, [[3.0], [4.0]])
        value, g = sess.run([out, grad], {**feed, training: True})
        assert np.allclose(value, [[6.0], [16.0]]) and np.allclose(g, [[6.0], [8.0]])
        assert sess.run(total, feed) == 21.0 and sess.graph is tf1.get_default_graph()


def test_a_keras_layer_holding_tf_variables_trains_in_graph_mode(tf1, tf):
    """Under fit's GradientTape nothing is deferred: a custom layer whose weights are tf.Variables (graph-mode
    variables here) computes eagerly and its weights get gradients."""
    class Linear(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.w = tf.Variable(tf.zeros([int(input_shape[-1]), 1]), name="w")
            self.b = tf.Variable(tf.zeros([1]), name="b")

        def call(self, inputs):
            return tf.matmul(inputs, self.w) + self.b

    x = np.random.default_rng(1).normal(size=(128, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    model = tf.keras.Sequential([tf.keras.Input((3,)), Linear()])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    assert np.allclose(model.layers[0].w.numpy().ravel(), [1.0, -2.0, 0.5], atol=0.1)
    assert model.predict(x[:2], verbose=0).shape == (2, 1)


def test_inferring_a_shape_never_runs_an_update(tf1):
    """Printing an assign or a training step (which infers its shape) changes no variable."""
    v = tf1.Variable(1.0)
    update = v.assign_add(5.0)
    text = str(update) + repr(update) + str(update.shape)
    train = tf1.train.GradientDescentOptimizer(0.1).minimize(v * v)
    text += repr(train) + str(train)
    assert "AssignAdd" in text and float(v.value) == 1.0
    with tf1.Session() as sess:
        assert sess.run(update) == 6.0 and sess.run(v) == 6.0
