"""compile/fit/evaluate details that Keras users rely on: which metrics sample weights reach, the logs'
metric names, and how steps_per_epoch walks through array data."""
import numpy as np
import pytest

import dendrite
from dendrite import layers

rng = np.random.default_rng(0)
X = rng.standard_normal((40, 4)).astype(np.float32)
Y = rng.integers(0, 3, 40)
SW = rng.uniform(0.1, 2, 40).astype(np.float32)


def model(**compile_args):
    dendrite.set_random_seed(3)
    m = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(3, activation="softmax")])
    m.compile("sgd", "sparse_categorical_crossentropy", **compile_args)
    return m


def test_sample_weights_reach_the_loss_and_weighted_metrics_only():
    m = model(metrics=["accuracy", "accuracy"], weighted_metrics=["accuracy", "sparse_categorical_crossentropy"])
    p = m.predict(X, verbose=0)
    hit = (p.argmax(1) == Y).astype(np.float64)
    nll = -np.log(p[np.arange(len(Y)), Y].astype(np.float64))
    logs = m.evaluate(X, Y, sample_weight=SW, return_dict=True, verbose=0)
    # Keras 3.15 gives these keys for this compile (its dict is sorted; the values are the same)
    assert list(logs) == ["loss", "accuracy", "accuracy_1", "weighted_accuracy", "sparse_categorical_crossentropy"]
    assert m.metrics_names == list(logs)
    np.testing.assert_allclose(logs["accuracy"], hit.mean(), rtol=1e-6)
    np.testing.assert_allclose(logs["accuracy_1"], hit.mean(), rtol=1e-6)
    np.testing.assert_allclose(logs["weighted_accuracy"], (hit * SW).sum() / SW.sum(), rtol=1e-6)
    np.testing.assert_allclose(logs["sparse_categorical_crossentropy"], (nll * SW).sum() / SW.sum(), rtol=1e-5)
    # the loss: weighted per sample, averaged over the samples (Keras's sum_over_batch_size)
    np.testing.assert_allclose(logs["loss"], (nll * SW).mean(), rtol=1e-5)
    assert abs(logs["accuracy"] - logs["weighted_accuracy"]) > 0.01  # the weights do matter here


def test_class_weights_leave_plain_metrics_unweighted_in_fit():
    cw = {0: 0.2, 1: 1.0, 2: 3.0}
    m = model(metrics=["accuracy"], weighted_metrics=["accuracy"])
    before = m.get_weights()
    h = m.fit(X, Y, class_weight=cw, epochs=1, batch_size=40, shuffle=False, verbose=0)
    m.set_weights(before)  # one full batch: the logged metrics are those of the weights before the step
    hit = (m.predict(X, verbose=0).argmax(1) == Y).astype(np.float64)
    w = np.array([cw[c] for c in Y])
    np.testing.assert_allclose(h.history["accuracy"][0], hit.mean(), rtol=1e-6)
    np.testing.assert_allclose(h.history["weighted_accuracy"][0], (hit * w).sum() / w.sum(), rtol=1e-6)


def test_a_weighted_metric_alone_keeps_its_own_name():
    m = model(weighted_metrics=["accuracy"])
    logs = m.evaluate(X, Y, sample_weight=SW, return_dict=True, verbose=0)
    assert list(logs) == ["loss", "accuracy"]
    hit = (m.predict(X, verbose=0).argmax(1) == Y).astype(np.float64)
    np.testing.assert_allclose(logs["accuracy"], (hit * SW).sum() / SW.sum(), rtol=1e-6)
