"""Operators and functions on KerasTensors become layers of the functional model (layers/symbolic_ops): the sum,
difference or product of two tensors of one shape a merge layer, anything else a Lambda."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.layers.symbolic_ops import symbolic_aware


def test_operators_on_keras_tensors_build_a_model_that_computes_them():
    inputs = dendrite.Input((4,))
    hidden = layers.Dense(4, kernel_initializer="ones", bias_initializer="zeros")(inputs)
    residual = hidden
    hidden = layers.Dense(4, kernel_initializer="identity", bias_initializer="zeros")(hidden)
    hidden += residual
    out = -(2 * hidden - 1) / 4
    first_two = out[:, :2]
    model = dendrite.Model(inputs, [out, first_two, 1 - abs(first_two) ** 2])
    x = np.arange(8.0, dtype="float32").reshape(2, 4)
    row_sums = x.sum(axis=1, keepdims=True)
    expected = -(2 * (2 * np.repeat(row_sums, 4, axis=1)) - 1) / 4
    got, got_two, got_poly = model(x)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(got_two.numpy(), expected[:, :2], rtol=1e-6)
    np.testing.assert_allclose(got_poly.numpy(), 1 - expected[:, :2] ** 2, rtol=1e-5)
    assert first_two.shape == (None, 2) and sum(isinstance(l, layers.Lambda) for l in model.layers) >= 6


def test_a_model_with_symbolic_operations_trains():
    inputs = dendrite.Input((3,))
    a = layers.Dense(8, activation="relu")(inputs)
    b = layers.Dense(8)(inputs)
    out = layers.Dense(1)(a * b + a)
    model = dendrite.Model(inputs, out)
    model.compile("adam", "mse")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=20, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before


def test_symbolic_aware_functions_run_eagerly_on_tensors_and_build_layers_on_keras_tensors():
    concat = symbolic_aware(lambda tensors, axis: dendrite.ops.concatenate(tensors, axis=axis))
    eager = concat([np.ones((2, 1), "float32"), np.zeros((2, 2), "float32")], axis=1)
    assert eager.shape == (2, 3)
    inputs = dendrite.Input((2,))
    joined = concat([inputs, layers.Dense(3)(inputs)], axis=-1)
    assert joined.shape == (None, 5) and isinstance(joined.history[0], layers.Lambda)


def test_mixing_a_keras_tensor_with_a_tensor_of_values_is_refused_clearly():
    symbolic = dendrite.Input((3,))
    with pytest.raises(ValueError, match=r"given both a symbolic tensor .*keras.Input.*tensor with values.*inputs"):
        symbolic + dendrite.constant(np.ones((2, 3), "float32"))


def test_a_residual_sum_of_two_tensors_is_a_merge_layer_and_the_model_saves(tmp_path):
    inputs = dendrite.Input((6,))
    hidden = layers.Dense(6, activation="relu")(inputs)
    out = layers.Dense(2)((hidden + inputs) * hidden - inputs)  # x + inputs as a keras.io transformer block writes it
    model = dendrite.Model(inputs, out)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("Add") == kinds.count("Multiply") == kinds.count("Subtract") == 1 and "Lambda" not in kinds
    x = np.random.default_rng(0).standard_normal((5, 6)).astype("float32")
    model.save(tmp_path / "residual.keras")
    loaded = dendrite.models.load_model(tmp_path / "residual.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert (inputs + 1.0).history[0].__class__ is layers.Lambda  # a number: still the operation's Lambda
