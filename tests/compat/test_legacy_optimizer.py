"""tf.keras 2's ``optimizer.minimize`` (dendrite/compat/legacy_optimizer.py), which Keras 3 removed."""
import numpy as np
import pytest


def test_minimize_a_loss_function_takes_one_step_of_the_optimizer(tf):
    w = tf.Variable([1.0, -2.0])
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    steps = opt.minimize(lambda: tf.reduce_sum(w * w), var_list=[w])
    np.testing.assert_allclose(w.numpy(), [1.0 - 0.1 * 2.0, -2.0 + 0.1 * 4.0], rtol=1e-6)  # w - lr * 2w
    assert int(steps.numpy()) == 1


def test_minimize_takes_a_callable_var_list_and_a_loss_recorded_on_a_tape(tf):
    b = tf.Variable(3.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.5)
    opt.minimize(lambda: (b - 1.0) ** 2, var_list=lambda: [b])
    assert float(b.numpy()) == pytest.approx(3.0 - 0.5 * 4.0)
    with tf.GradientTape() as tape:
        loss = (b - 1.0) ** 2
    opt.minimize(loss, var_list=[b], tape=tape)
    assert float(b.numpy()) == pytest.approx(1.0)  # 1 - 0.5 * 0 stays
    with pytest.raises(ValueError, match=r"optimizer.minimize: `loss` is a Tensor, so pass the GradientTape"):
        opt.minimize(loss, var_list=[b])


def test_minimize_takes_one_variable_as_tf_keras_2_did(tf):
    w = tf.Variable([1.0, -2.0])  # opt.minimize(cost, w): Manning's Machine Learning with TensorFlow, 2nd ed.
    tf.keras.optimizers.SGD(learning_rate=0.25).minimize(lambda: tf.reduce_sum(w * w), w)
    np.testing.assert_allclose(w.numpy(), [0.5, -1.0], rtol=1e-6)


def test_a_linear_regression_written_with_minimize_fits(tf):
    rng = np.random.default_rng(0)
    x = rng.random(100).astype("float32")
    y = 3.0 * x + 2.0
    w, c = tf.Variable(0.0), tf.Variable(0.0)
    opt = tf.keras.optimizers.Adam(0.1)
    for _ in range(300):
        opt.minimize(lambda: tf.reduce_mean(tf.square(w * x + c - y)), var_list=[w, c])
    assert float(w.numpy()) == pytest.approx(3.0, abs=0.1) and float(c.numpy()) == pytest.approx(2.0, abs=0.1)


def test_a_constant_given_to_apply_gradients_is_refused_clearly(tf):
    w = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match=r"SGD.apply_gradients: a Tensor \(a constant, tf.constant\) cannot be "
                                        r"updated.*tf.Variable"):
        tf.keras.optimizers.SGD(0.1).apply_gradients([(tf.constant([0.1, 0.1]), w)])



def test_decayed_lr_gives_the_next_steps_rate_as_tf_keras_2(tf):
    """tf.keras 2's private ``_decayed_lr`` (TF 2.0-era custom loops log it): tf_keras 2.21 gives 0.0083333 after
    two steps of Adam(0.01, decay=0.1), and 0.0933033 for an ExponentialDecay(0.1, 10, 0.5) after one step."""
    w = tf.Variable(1.0)
    adam = tf.keras.optimizers.Adam(0.01, decay=0.1)
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = w * w
        adam.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
    rate = adam._decayed_lr(tf.float32)
    assert rate.dtype == tf.float32 and float(rate) == pytest.approx(0.00833333283662796, rel=1e-6)
    sgd = tf.keras.optimizers.SGD(tf.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))
    sgd.apply_gradients([(tf.constant(1.0), w)])
    assert float(sgd._decayed_lr("float64")) == pytest.approx(0.09330330044031143, rel=1e-6)
