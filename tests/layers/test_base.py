"""Layer.add_weight as custom layers of each Keras era call it, and a custom layer called on a list of tensors."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.testing import check_grads


class Keras3Dense(layers.Layer):
    """The Keras 3 / Deep Learning with Python form: shape first, no name, the initializer by keyword."""

    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.W = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")
        self.scale = self.add_weight((1,), trainable=False)  # positional shape, default initializer

    def call(self, inputs):
        return (inputs @ self.W + self.b) * self.scale


def test_add_weight_takes_keras3s_shape_first_form_and_names_weights_itself():
    layer = Keras3Dense(3)
    out = layer(np.ones((2, 4), "float32"))
    assert out.shape == (2, 3)
    assert [w.name for w in layer.weights] == ["variable", "variable_1", "variable_2"]
    assert layer.W.shape == (4, 3) and np.all(layer.b.numpy() == 0)
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 1
    limit = np.sqrt(6 / (1 + 1))  # Keras 3's default initializer for a float weight: glorot_uniform
    assert abs(float(layer.scale.numpy()[0])) <= limit
    counter = layers.Layer().add_weight(shape=(), dtype="int32", name="count")
    assert counter.numpy() == 0 and counter.dtype == np.int32  # non-float weights start at zeros


def test_add_weight_keras2_keywords_and_errors():
    layer = layers.Layer(name="custom")
    w = layer.add_weight(name="kernel", shape=(2, 2), initializer="ones", trainable=True, aggregation="none")
    assert w.path == "custom/kernel" and w.numpy().sum() == 4
    with pytest.raises(ValueError, match=r"Layer 'custom'.add_weight\(\): give the weight's `shape`"):
        layer.add_weight(name="bias")
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['colour'\]"):
        layer.add_weight(shape=(2,), colour="red")


def test_add_variable_is_keras3s_shape_first_alias_and_keras2s_name_first_one():
    layer = layers.Layer(name="custom")
    w = layer.add_variable((2, 3), "ones", trainable=False)  # Keras 3: shape, initializer positionally
    assert w.shape == (2, 3) and w.numpy().sum() == 6 and w in layer.non_trainable_weights
    b = layer.add_variable(shape=(3,), initializer="zeros", name="bias", autocast=False)
    assert b.name == "bias" and b.numpy().tolist() == [0.0, 0.0, 0.0]
    k = layer.add_variable("kernel", (2, 2), initializer="ones")  # Keras 2: name first
    assert k.path == "custom/kernel" and k.numpy().sum() == 4


def test_a_custom_layer_gets_integer_inputs_as_integers_and_floats_in_its_dtype():
    """Keras casts only floating inputs: a custom embedding's call sees its integer ids."""
    seen = []

    class Lookup(layers.Layer):
        def build(self, input_shape):
            self.table = self.add_weight(shape=(10, 3), initializer="ones")

        def call(self, ids):
            seen.append(ids.dtype)
            return self.table[ids] if ids.dtype.kind in "iu" else ids

    out = Lookup()(np.array([[1, 2], [3, 0]], dtype="int32"))
    assert out.shape == (2, 2, 3) and seen[-1] == np.int32
    Lookup()(np.ones((2, 2), dtype="float64"))
    assert seen[-1] == np.float32
    assert layers.Dense(2)(np.ones((1, 3), dtype="int32")).dtype == np.float32  # built-in layers cast as before


def test_floating_tensors_of_another_precision_are_cast_to_the_layers_dtype():
    """Keras 3's autocast: a float64 Tensor (tf.constant of NumPy data) given to a float32 layer or model is
    computed in float32, and gradients still reach the float64 source; a float64 layer casts up."""
    from dendrite.autodiff import GradientTape, Tensor
    seen = []

    class Probe(layers.Layer):
        def call(self, x):
            seen.append(x.dtype)
            return x

    x64 = Tensor(np.linspace(-1, 1, 8).reshape(2, 4))
    Probe()(x64)
    assert seen[-1] == np.float32
    dense = layers.Dense(3, kernel_initializer="ones")
    with GradientTape() as tape:
        tape.watch(x64)
        out = dense(x64)
    assert out.dtype == np.float32
    grad = tape.gradient(out, x64)
    assert grad.dtype == np.float64 and np.allclose(grad, 3.0)
    model = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(2)])
    assert model(x64).dtype == np.float32
    assert layers.Dense(2, dtype="float64")(Tensor(np.ones((1, 4), np.float32))).dtype == np.float64
    assert Probe()(Tensor(np.array([[1, 2]], np.int64))).dtype == np.int64  # integers are left alone


def test_a_custom_layer_called_on_a_list_of_tensors_gets_them_on_the_tape():
    """``a, b = inputs`` in a user's layer gets the tensors themselves (Keras 3 keeps the structure), so the
    gradient reaches both; TF 2.21 gives [10, 10] for the sums below. A stacked copy had cut them off, so a
    VAE's Sampling([mean, log_var]) left the encoder untrained (corpus 36)."""
    class Sampling(dendrite.layers.Layer):
        def build(self, input_shape):
            self.shapes = input_shape

        def call(self, inputs):
            mean, log_var = inputs
            return mean + dendrite.ops.exp(0.5 * log_var) * 0.3

    layer = Sampling()
    mean = dendrite.Variable(np.ones((5, 2), np.float32))
    log_var = dendrite.Variable(np.zeros((5, 2), np.float32))
    with dendrite.GradientTape() as tape:
        loss = dendrite.ops.sum(layer([mean, log_var]))
    grads = tape.gradient(loss, [mean, log_var])
    assert [float(np.sum(g)) for g in grads] == pytest.approx([10.0, 1.5])
    assert layer.shapes == [(5, 2), (5, 2)]  # build gets a list of shapes, as Keras 3's
    check_grads(lambda m, v: layer([m, v]), [np.random.default_rng(0).normal(size=(3, 2)),
                                                np.random.default_rng(1).normal(size=(3, 2))])
