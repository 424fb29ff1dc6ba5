"""Circle loss against Keras 3.15 (tests/fixtures/keras/layers4_objects.json): per-sample values, references,
the diagonal, the class's masked mean and 'sum', gradients, config, and training embeddings that cluster."""
import numpy as np
import pytest

import dendrite
from dendrite import layers, losses
from dendrite.testing import check_grads
from keras_objects4 import value

EMB, LABELS = value("emb"), value("labels")


def test_values_match_keras():
    np.testing.assert_allclose(losses.circle(LABELS, EMB).numpy(), value("circle"), rtol=1e-4, atol=1e-4)
    got = losses.circle(LABELS, EMB, ref_labels=np.array([0, 1, 2, 4, 1]), ref_embeddings=value("ref"), gamma=30,
                        margin=0.25)
    np.testing.assert_allclose(got.numpy(), value("circle_ref"), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(losses.circle(LABELS, EMB, remove_diagonal=False).numpy(), value("circle_nodiag"),
                               rtol=1e-4, atol=1e-4)
    # the class leaves the zero losses (samples without a positive) out of the mean, as Keras masks them
    np.testing.assert_allclose(float(losses.Circle()(LABELS, EMB)), float(value("Circle")), rtol=1e-4)
    np.testing.assert_allclose(float(losses.Circle(gamma=20.0, reduction="sum")(LABELS, EMB)),
                               float(value("Circle_sum")), rtol=1e-4)


def test_gradients_and_config():
    emb = EMB.astype(np.float64)
    check_grads(lambda e: losses.circle(LABELS, e, gamma=5.0), [emb])
    loss = losses.Circle(gamma=10.0, margin=0.3, remove_diagonal=False)
    config = loss.get_config()
    assert {k: config[k] for k in ("gamma", "margin", "remove_diagonal", "name")} == \
        {"gamma": 10.0, "margin": 0.3, "remove_diagonal": False, "name": "circle"}
    assert losses.Circle.from_config(config).get_config() == config
    assert isinstance(losses.get("Circle"), losses.Circle) and losses.get("circle") is losses.circle


def test_training_pulls_classes_together():
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((3, 8))
    y = np.repeat(np.arange(3), 20)
    x = (centers[y] + 0.8 * rng.standard_normal((60, 8))).astype(np.float32)
    dendrite.utils.set_random_seed(0)
    model = dendrite.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(4),
                                 layers.UnitNormalization()])
    model.compile(optimizer=dendrite.optimizers.Adam(0.01), loss=losses.Circle(gamma=10.0))
    before = model.evaluate(x, y, verbose=0, batch_size=60)
    model.fit(x, y, epochs=40, batch_size=60, verbose=0)
    assert model.evaluate(x, y, verbose=0, batch_size=60) < 0.5 * before


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="labels"):
        losses.circle(LABELS[:3], EMB)
    with pytest.raises(ValueError, match="embeddings"):
        losses.circle(LABELS, EMB[None])
