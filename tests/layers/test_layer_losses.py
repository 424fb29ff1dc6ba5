"""Layer losses (dendrite/layers/layer_losses.py): tf.keras 2's add_loss of a zero-argument callable, kept and
evaluated each time ``losses`` is read. The figures were printed by tf.keras 2.21 (tf_keras with TF 2.21) for the
same program; Keras 3 refuses callables."""
import functools

import numpy as np
import pytest

import dendrite as d
from dendrite import layers


def _l2(weights, rate=0.01):
    return d.ops.multiply(rate, d.ops.sum(d.ops.square(weights)))


class PenalisedDense(layers.Layer):
    """A custom layer adding an L2 penalty on its kernel in build(), as tf.keras 2 tutorials did."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units), initializer="ones")
        self.add_loss(functools.partial(_l2, self.kernel))

    def call(self, x):
        return d.ops.matmul(x, self.kernel)


def test_a_callable_loss_is_evaluated_at_each_read_and_trains_as_tf_keras_2():
    layer = PenalisedDense(2)
    x = np.ones((3, 4), "float32")
    layer(x)
    np.testing.assert_allclose([float(v) for v in layer.losses], [0.08], rtol=1e-6)  # 0.01 * 8 ones
    layer(x)  # a new forward pass does not drop it (it is not a per-call loss)
    assert len(layer.losses) == 1
    model = d.Sequential([layers.Input((4,)), layer])
    model.compile("sgd", "mse")
    history = model.fit(x, np.zeros((3, 2), "float32"), epochs=2, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [16.08, 14.8132], rtol=1e-4)  # tf.keras 2.21's figures
    np.testing.assert_allclose(float(layer.losses[0]), 0.01 * np.sum(np.square(layer.kernel.numpy())), rtol=1e-6)


def test_the_callable_is_differentiated_through_a_tape():
    layer = PenalisedDense(1)
    layer(np.ones((1, 2), "float32"))
    with d.GradientTape() as tape:
        total = layer.losses[0]
    grad = tape.gradient(total, layer.kernel)
    np.testing.assert_allclose(np.asarray(grad), 0.02 * np.ones((2, 1)), rtol=1e-6)


def test_a_callable_that_needs_arguments_is_refused_naming_the_fix():
    layer = layers.Dense(1)
    with pytest.raises(TypeError, match=r"Dense.add_loss: a callable loss must take no arguments .*"
                                         r"functools.partial"):
        layer.add_loss(_l2)
