"""A layer's metrics (layers/layer_metrics.py): those held in its attributes (Keras 3) and tf.keras 2's add_metric,
logged by fit and evaluate beside the compiled ones. The tf.keras 2 figures were printed by tf_keras 2.21 running
the same model (x, y = RandomState(0).rand(32, 4), .rand(32, 1); kernels 0.1 and ones; SGD(0) so that nothing
moves)."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers

RNG = np.random.RandomState(0)
X = RNG.rand(32, 4).astype("float32")
Y = RNG.rand(32, 1).astype("float32")


class Std(layers.Layer):
    def call(self, x):
        self.add_metric(np.std(x.numpy()), name="std_of_activation")
        return x


def _model():
    inputs = keras.Input((4,))
    hidden = Std()(layers.Dense(3, kernel_initializer=keras.initializers.Constant(0.1), name="d")(inputs))
    outputs = layers.Dense(1, kernel_initializer="ones", name="o")(hidden)
    model = keras.Model(inputs, outputs)
    model.add_metric(outputs, name="mean_out", aggregation="mean")  # (tf_keras ran K.mean(outputs))
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    return model


def test_add_metric_in_call_and_on_a_functional_model_are_logged_as_tf_keras_2_logs_them():
    model = _model()
    history = model.fit(X, Y, epochs=1, batch_size=8, verbose=0, validation_data=(X, Y))
    assert list(history.history) == ["loss", "mae", "std_of_activation", "mean_out", "val_loss", "val_mae",
                                     "val_std_of_activation", "val_mean_out"]
    hidden = X @ np.full((4, 3), 0.1, "float32")
    batch_stds = [hidden[i:i + 8].std() for i in range(0, 32, 8)]
    assert history.history["val_std_of_activation"][0] == pytest.approx(np.mean(batch_stds), rel=1e-5)
    assert history.history["val_std_of_activation"][0] == pytest.approx(0.051306, abs=1e-6)  # tf_keras 2.21
    assert history.history["val_mean_out"][0] == pytest.approx(0.598169, abs=1e-6)  # tf_keras 2.21
    assert model.metrics_names == ["loss", "mae", "std_of_activation", "mean_out"]
    np.testing.assert_allclose(model.evaluate(X, Y, verbose=0),
                               [0.13304272, 0.29524577, 0.05901941, 0.59816897], rtol=1e-5)  # tf_keras 2.21


def test_a_metric_a_layer_holds_is_logged_and_reset_each_epoch_as_keras_3_does():
    class Counted(layers.Layer):
        def __init__(self):
            super().__init__()
            self.seen = keras.metrics.Sum(name="samples_seen")

        def call(self, x):
            self.seen.update_state(np.float32(x.shape[0]))
            return x

    model = keras.Sequential([keras.Input((4,)), Counted(), layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(X, Y, epochs=2, batch_size=8, verbose=0)
    assert history.history["samples_seen"] == [32.0, 32.0]
    assert model.evaluate(X, Y, batch_size=16, verbose=0, return_dict=True)["samples_seen"] == 32.0
    assert [m.name for m in model.metrics][-1] == "samples_seen"


def test_the_config_keeps_the_added_metric():
    model = _model()
    rebuilt = keras.Model.from_config(model.get_config(), custom_objects={"Std": Std})
    rebuilt.set_weights(model.get_weights())
    rebuilt.compile(optimizer="sgd", loss="mse")
    logs = rebuilt.evaluate(X, Y, verbose=0, return_dict=True)
    assert logs["mean_out"] == pytest.approx(0.59816897, rel=1e-5)
    added = [layer for layer in rebuilt.layers if type(layer).__name__ == "AddMetric"]
    assert [(a.metric_name, a.aggregation) for a in added] == [("mean_out", "mean")]


def test_add_metric_refuses_what_tf_keras_2_refuses_and_a_symbolic_value_on_a_layer():
    layer = layers.Dense(2)
    with pytest.raises(ValueError, match=r"Dense.add_metric: give the metric a name.*name='mean_activation'"):
        layer.add_metric(np.float32(1.0))
    with pytest.raises(ValueError, match=r"aggregation must be None or 'mean'.*'sum'"):
        layer.add_metric(np.float32(1.0), name="m", aggregation="sum")
    symbolic = layer(keras.Input((3,)))
    with pytest.raises(NotImplementedError, match=r"Dense.add_metric of a symbolic tensor.*functional Model"):
        layer.add_metric(symbolic, name="m")
