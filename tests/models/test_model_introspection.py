"""Keras 3's model read-outs and the custom-step helpers compute_metrics / get_metrics_result, on MNIST."""
import numpy as np
import pytest

import dendrite
from dendrite import layers


def _model():
    inputs = dendrite.Input((784,))
    return dendrite.Model(inputs, layers.Dense(10, activation="softmax", name="out")(inputs))


def test_compile_switches_and_configs_as_keras():
    model = _model()
    assert model.run_eagerly is False and model.jit_compile is False and model.path == model.name
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], run_eagerly=True)
    assert model.run_eagerly is True and model.distribute_strategy is dendrite.distribute.get_strategy()
    config = model.get_compile_config()
    assert config["loss"] == "sparse_categorical_crossentropy" and config["metrics"] == ["accuracy"]
    assert config["optimizer"]["class_name"] == "Adam"
    other = _model()
    other.compile_from_config(config)
    assert other.optimizer.__class__.__name__ == "Adam" and other.get_compile_config() == config
    assert model.get_build_config() == {"input_shape": (None, 784)}
    dense = layers.Dense(3)
    dense.build_from_config({"input_shape": (None, 5)})
    assert dense.built and dense.kernel.shape == (5, 3) and dense.get_build_config() == {"input_shape": (None, 5)}


def test_a_train_step_returning_compute_metrics_trains(mnist_small):
    xtr, ytr, xte, yte = mnist_small

    class Stepped(dendrite.Model):
        def train_step(self, data):
            x, y = data
            with dendrite.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(x, y, y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.metrics[0].update_state(float(loss.value))
            return self.compute_metrics(x, y, y_pred)

    inputs = dendrite.Input((784,))
    model = Stepped(inputs, layers.Dense(10, activation="softmax")(inputs))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(xtr, ytr, epochs=3, batch_size=64, verbose=0)
    assert set(history.history) == {"loss", "accuracy"} and history.history["accuracy"][-1] > 0.75
    result = model.get_metrics_result()
    assert set(result) == {"loss", "accuracy"} and float(result["accuracy"]) == pytest.approx(
        history.history["accuracy"][-1])


def test_layers_answer_keras_3s_read_outs():
    layer = layers.Dense(2, name="d")
    assert layer.path == "d" and layer.input_dtype == "float32" and layer.metrics == []
    layer.tracker = dendrite.metrics.Mean(name="m")
    assert layer.metrics == [layer.tracker]
    layer.path = "/some/file"  # a subclass may keep a path of its own
    assert layer.path == "/some/file"
    layer.add_metric(np.float32(1.0), name="x")  # tf.keras 2's (layers/test_layer_metrics.py)
    assert [m.name for m in layer.metrics] == ["m", "x"]
