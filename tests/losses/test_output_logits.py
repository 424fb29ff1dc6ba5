"""The cross-entropies of a softmax or sigmoid output use its logits, whichever of the two the loss expects, as
Keras on TensorFlow does (Keras 3.15 and tf_keras 2.21): checked against their fixtures
(tools/make_tf_cross_entropy_fixtures.py) and against the closed forms, with gradients."""
import json
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers, losses
from dendrite.autodiff import Tensor, ops
from dendrite.testing import check_grads

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = [os.path.join(HERE, "fixtures", "cross_entropy", f"cross_entropy_logits_{v}.json") for v in (2, 3)]


def _log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def _sigmoid_ce(y, z):
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


@pytest.mark.parametrize("path", FIXTURES, ids=["tf_keras_2", "keras_3"])
def test_evaluate_and_one_sgd_step_match_tensorflow(path):
    with open(path) as f:
        fx = json.load(f)
    x, labels = np.array(fx["x"], np.float32), np.array(fx["labels"])
    for case in fx["cases"]:
        y = labels if case["loss"].startswith("sparse") else np.eye(5, dtype=np.float32)[labels]
        model = dendrite.Sequential([layers.Dense(5, activation=case["activation"], input_shape=(4,))])
        model.set_weights([np.array(fx["kernel"], np.float32), np.array(fx["bias"], np.float32)])
        model.compile(optimizer=dendrite.optimizers.SGD(0.5), loss=case["loss"])
        what = f"{case['activation']} output, {case['loss']}"
        np.testing.assert_allclose(model.evaluate(x, y, verbose=0), case["evaluate"], rtol=1e-5, err_msg=what)
        model.fit(x, y, batch_size=6, epochs=1, shuffle=False, verbose=0)
        np.testing.assert_allclose(model.get_weights()[0], case["kernel_after_step"], rtol=1e-4, atol=1e-6,
                                   err_msg=what)


def test_closed_forms_and_gradients_of_the_crossed_activations():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 4)) * 2
    labels = rng.integers(0, 4, 5)
    onehot = np.eye(4)[labels]
    expected_softmax_ce = -_log_softmax(z)[np.arange(5), labels]
    sparse_of_sigmoid = losses.sparse_categorical_crossentropy(labels, ops.sigmoid(Tensor(z)))
    np.testing.assert_allclose(sparse_of_sigmoid.numpy(), expected_softmax_ce, rtol=1e-10)
    cat_of_sigmoid = losses.categorical_crossentropy(onehot, ops.sigmoid(Tensor(z)))
    np.testing.assert_allclose(cat_of_sigmoid.numpy(), expected_softmax_ce, rtol=1e-10)
    binary_of_softmax = losses.binary_crossentropy(onehot, ops.softmax(Tensor(z)))
    np.testing.assert_allclose(binary_of_softmax.numpy(), _sigmoid_ce(onehot, z).mean(-1), rtol=1e-10)
    # the gradients flow into the logits as the closed forms say (float64 finite differences)
    check_grads(lambda t: losses.sparse_categorical_crossentropy(labels, ops.sigmoid(t)), [z])
    check_grads(lambda y, t: losses.binary_crossentropy(y, ops.softmax(t)), [onehot, z])
    # without logits (plain probabilities) the probability path is kept
    probs = 1 / (1 + np.exp(-z))
    renormalised = probs / probs.sum(-1, keepdims=True)
    np.testing.assert_allclose(losses.categorical_crossentropy(onehot, probs).numpy(),
                               -np.log(np.clip(renormalised, 1e-7, 1 - 1e-7))[np.arange(5), labels], rtol=1e-5)
