"""A lookup table's gradient (dendrite/autodiff/row_gradient.py): the optimizers that square the gradient (or
take its absolute value) do it per occurrence of a row, as Keras 3 does with the IndexedSlices TensorFlow
gives; three fit steps of an Embedding model match TensorFlow 2.21's weights
(tests/fixtures/tf_embedding/steps.npz, written by tools/make_tf_embedding_fixtures.py)."""
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers, optimizers

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "tf_embedding",
                       "steps.npz")
OPTIMIZERS = {"adam": lambda: optimizers.Adam(0.05), "rmsprop": lambda: optimizers.RMSprop(0.05),
              "adagrad": lambda: optimizers.Adagrad(0.5), "nadam": lambda: optimizers.Nadam(0.05),
              "adamax": lambda: optimizers.Adamax(0.05), "sgd": lambda: optimizers.SGD(0.5),
              "adadelta": lambda: optimizers.Adadelta(5.0), "lamb": lambda: optimizers.Lamb(0.05),
              "adamw": lambda: optimizers.AdamW(0.05), "ftrl": lambda: optimizers.Ftrl(0.5),
              "lion": lambda: optimizers.Lion(0.05)}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_embedding_steps_match_tensorflow(name):
    with np.load(FIXTURE, allow_pickle=False) as f:
        data = dict(f)
    model = dendrite.Sequential([dendrite.Input((5,), dtype="int32"), layers.Embedding(6, 3), layers.Flatten(),
                                 layers.Dense(1)])
    model.set_weights([data["w0"], data["w1"], data["w2"]])
    model.compile(OPTIMIZERS[name](), "mse")
    model.fit(data["x"], data["y"], batch_size=4, epochs=3, shuffle=False, verbose=0)
    for i, got in enumerate(model.get_weights()):
        np.testing.assert_allclose(got, data[f"{name}_{i}"], rtol=1e-5, atol=1e-6)


def test_the_occurrences_change_only_what_optimizers_square():
    """The table's gradient reads as the plain dense sum; a row looked up three times gets the sum of three
    squares in Adam's second moment, not the square of the sum."""
    table = dendrite.Variable(np.zeros((4, 2), np.float32), name="table")
    with dendrite.GradientTape() as tape:
        rows = dendrite.ops.take(table, np.array([1, 1, 1, 3]), axis=0)
        loss = dendrite.ops.sum(rows * np.array([[1.0, 2.0]] * 4, np.float32))
    grad = tape.gradient(loss, table)
    dense = np.array([[0, 0], [3, 6], [0, 0], [1, 2]], np.float32)
    assert np.array_equal(grad, dense) and repr(grad) == repr(dense) and type(grad * 2).__name__ == "RowGradient"
    assert (grad * 2).occurrences is None  # computed from it: a plain sum
    adam = optimizers.Adam(0.1, beta_2=0.5)
    adam.apply([grad], [table])
    velocity = {v.name: v for v in adam.variables}["table_velocity"]
    assert np.allclose(velocity.numpy(), 0.5 * np.array([[0, 0], [3, 12], [0, 0], [1, 4]], np.float32))


def test_a_custom_loop_applying_tensor_gradients_matches_tensorflow_too():
    """tape.gradient's results handed to apply_gradients as Tensors (as a tf.GradientTape loop does) keep the
    table's occurrences: Adam's three steps match TensorFlow's fit."""
    with np.load(FIXTURE, allow_pickle=False) as f:
        data = dict(f)
    model = dendrite.Sequential([dendrite.Input((5,), dtype="int32"), layers.Embedding(6, 3), layers.Flatten(),
                                 layers.Dense(1)])
    model.set_weights([data["w0"], data["w1"], data["w2"]])
    adam = optimizers.Adam(0.05)
    for _ in range(3):
        with dendrite.GradientTape() as tape:
            loss = dendrite.ops.mean((model(data["x"]) - data["y"]) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        adam.apply_gradients(zip([dendrite.Tensor(g) for g in grads], model.trainable_variables))
    for i, got in enumerate(model.get_weights()):
        np.testing.assert_allclose(got, data[f"adam_{i}"], rtol=1e-5, atol=1e-6)
