"""Loss functions and Loss objects given symbolic tensors (losses/symbolic.py) give a symbolic tensor: a Lambda in
the functional graph that computes the loss on the real tensors, as Keras 3's ops do on KerasTensors."""
import numpy as np
import pytest

import dendrite as keras
from dendrite import layers, losses

RNG = np.random.default_rng(0)
X = RNG.random((6, 5)).astype("float32")

FUNCTIONS = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
             "mean_squared_logarithmic_error", "huber", "log_cosh", "binary_crossentropy", "categorical_crossentropy",
             "hinge", "squared_hinge", "categorical_hinge", "kl_divergence", "poisson", "cosine_similarity",
             "binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "tversky"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_loss_function_on_keras_tensors_computes_in_the_model_what_it_computes_on_values(name):
    fn = getattr(losses, name)
    inputs = keras.Input((5,))
    outputs = layers.Dense(5, activation="softmax")(inputs)
    symbolic = fn(inputs, outputs)
    assert isinstance(symbolic, layers.KerasTensor)
    model = keras.Model(inputs, [outputs, symbolic])
    predicted, value = model(X)
    np.testing.assert_allclose(value.numpy(), fn(X, predicted).numpy(), rtol=1e-6)
    assert symbolic.shape == (None,) or symbolic.shape == ()


def test_sparse_categorical_crossentropy_and_its_keyword_arguments_on_keras_tensors():
    labels, inputs = keras.Input((1,), dtype="int32"), keras.Input((5,))
    logits = layers.Dense(3)(inputs)
    symbolic = losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    model = keras.Model([labels, inputs], [logits, symbolic])
    y = np.array([[0], [1], [2], [1], [0], [2]], "int32")
    got_logits, value = model([y, X])
    expected = losses.sparse_categorical_crossentropy(y, got_logits, from_logits=True)
    np.testing.assert_allclose(value.numpy(), expected.numpy(), rtol=1e-6)


def test_a_loss_object_on_keras_tensors_gives_the_reduced_loss():
    inputs = keras.Input((5,))
    outputs = layers.Dense(5)(inputs)
    symbolic = losses.MeanSquaredError()(inputs, outputs)
    assert isinstance(symbolic, layers.KerasTensor) and symbolic.shape == ()
    predicted, value = keras.Model(inputs, [outputs, symbolic])(X)
    assert float(value) == pytest.approx(float(np.mean((X - predicted.numpy()) ** 2)), rel=1e-6)


def test_the_loss_functions_on_values_are_unchanged_and_differentiable():
    from dendrite.testing import check_grads
    y = RNG.random((4, 3))
    check_grads(lambda p: losses.mean_squared_error(y, p), [RNG.random((4, 3))])
    check_grads(lambda p: losses.binary_crossentropy(y, p), [RNG.uniform(0.1, 0.9, (4, 3))])
