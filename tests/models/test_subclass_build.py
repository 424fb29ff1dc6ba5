"""``model.build(input_shape)`` of a subclassed model (models/subclass_build.py): the call runs once on zeros so
that the layers make their weights, as tf.keras 2 builds them (tf_keras 2.21 counts 7,883 parameters for this
model after build((None, 784)) or build([None, 784])); the first call on data builds without that extra run."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers


class TwoLayers(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden, self.out = layers.Dense(10, activation="relu"), layers.Dense(3)
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return self.out(self.hidden(x))


@pytest.mark.parametrize("shape", [(None, 784), [None, 784]])
def test_build_makes_the_layers_weights_and_summary_counts_them(shape, capsys):
    model = TwoLayers()
    model.build(input_shape=shape)
    assert model.built and model.hidden.kernel.shape == (784, 10) and len(model.weights) == 4
    assert model.count_params() == 7883
    model.summary()
    assert "Total params: 7,883" in capsys.readouterr().out
    model.compile("adam", "mse")
    x, y = np.random.default_rng(0).random((8, 784)), np.zeros((8, 3))
    model.fit(x, y, epochs=1, verbose=0)
    assert model.hidden.kernel.shape == (784, 10)


def test_the_first_call_on_data_builds_without_an_extra_run():
    model = TwoLayers()
    model(np.ones((2, 784), "float32"))
    assert model.calls == 1 and model.built


def test_a_model_whose_call_needs_real_data_is_still_marked_built():
    class Picky(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x):
            if float(keras.ops.sum(x)) == 0.0:
                raise ValueError("zeros are not data")
            return self.dense(x)

    model = Picky()
    model.build((None, 3))
    assert model.built and not model.dense.built
    assert model(np.ones((1, 3), "float32")).shape == (1, 2)


def test_a_multi_input_subclassed_model_builds_from_a_list_of_shapes():
    class Pair(keras.Model):
        def __init__(self):
            super().__init__()
            self.a, self.b = layers.Dense(2), layers.Dense(2)

        def call(self, inputs):
            return self.a(inputs[0]) + self.b(inputs[1])

    model = Pair()
    model.build([(None, 3), (None, 5)])
    assert model.a.kernel.shape == (3, 2) and model.b.kernel.shape == (5, 2)
