"""Calling layers and models as tf.keras 2 programs do: a second positional argument bound to call()'s parameter
(training, mask, a second input), the training default of call(), and add_weight by position in each era's
order."""
import numpy as np
import pytest


def test_second_positional_argument_binds_by_call_signature(tf):
    seen = {}

    class Noisy(tf.keras.layers.Layer):
        def call(self, x, training=None):
            seen["training"] = training
            return x

    class Masked(tf.keras.layers.Layer):
        def call(self, x, mask=None):
            seen["mask"] = mask
            return x

    class Pair(tf.keras.layers.Layer):
        def call(self, a, b):
            return a - b

    x = tf.ones((2, 3))
    Noisy()(x, True)
    assert seen["training"] is True
    Masked()(x, tf.constant([True, False]))
    np.testing.assert_array_equal(np.asarray(seen["mask"]), [True, False])
    np.testing.assert_array_equal(Pair()(x, 2 * x).numpy(), -np.ones((2, 3)))
    dropped = tf.keras.layers.Dropout(0.5)(tf.ones((50, 4)), True).numpy()
    assert set(np.unique(dropped)) <= {0.0, 2.0} and (dropped == 0).any()
    with pytest.raises(TypeError, match="Pass the other arguments by name"):
        Masked()(x, None, 3)
    with pytest.raises(TypeError, match="both by position and by name"):
        Noisy()(x, True, training=False)


def test_model_training_argument_forms(tf):
    seen = []

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(2)
            self.drop = tf.keras.layers.Dropout(0.5)

        def call(self, inputs, training=False):
            seen.append(training)
            return self.drop(self.dense(inputs), training=training)

    net, x = Net(), tf.ones((4, 3))
    net(x, True)
    net(x, training=False)
    net(x)  # call's default: False, as Keras 3 resolves it
    assert seen == [True, False, False]
    seq = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dropout(0.9)])
    np.testing.assert_array_equal(seq(x, False).numpy(), x.numpy())
    np.testing.assert_array_equal(seq(x, training=False).numpy(), x.numpy())


def test_add_weight_by_position_in_each_eras_order(tf):
    class Legacy(tf.keras.layers.Layer):
        def build(self, input_shape):
            # Keras 2: (name, shape, dtype, initializer, regularizer, trainable)
            self.k = self.add_weight("kernel", (input_shape[-1], 2), tf.float32, "ones", None, True)
            # Keras 3: (shape, initializer, dtype, trainable)
            self.b = self.add_weight((2,), "zeros", "float32", False)
            # dendrite's own: (name, shape, initializer)
            self.c = self.add_weight("c", (2,), "ones")

        def call(self, x):
            return tf.matmul(x, self.k) + self.b + self.c

    layer = Legacy()
    out = layer(tf.ones((1, 3)))
    np.testing.assert_array_equal(out.numpy(), [[4.0, 4.0]])
    assert [(w.name, w.trainable) for w in layer.weights] == [("kernel", True), ("variable", False), ("c", True)]
    with pytest.raises(TypeError, match="both by position and by name"):
        Legacy().add_weight("k", (2,), shape=(3,))
