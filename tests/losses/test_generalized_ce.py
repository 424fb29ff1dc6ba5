"""CategoricalGeneralizedCrossEntropy against Keras 3.15 (tests/fixtures/keras/layers4_objects.json), its limits
(q -> 0: cross-entropy), gradients, config and errors."""
import numpy as np
import pytest

from dendrite import losses
from dendrite.testing import check_grads
from keras_objects4 import value

PROBS, LABELS = value("probs"), value("labels")


def test_values_match_keras():
    got = losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=0.7).numpy()
    np.testing.assert_allclose(got, value("gce"), rtol=1e-5)
    np.testing.assert_allclose(float(losses.CategoricalGeneralizedCrossEntropy()(LABELS, PROBS)), float(value("GCE")),
                               rtol=1e-5)
    np.testing.assert_allclose(float(losses.CategoricalGeneralizedCrossEntropy()(LABELS[:, None], PROBS)),
                               float(value("GCE")), rtol=1e-5)  # labels (batch, 1) too


def test_small_q_is_cross_entropy_and_gradients():
    small = losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=1e-4).numpy()
    np.testing.assert_allclose(small, -np.log(PROBS[np.arange(6), LABELS]), rtol=1e-3)
    check_grads(lambda p: losses.categorical_generalized_cross_entropy(LABELS, p, q=0.5), [PROBS.astype(np.float64)])


def test_config_and_errors():
    loss = losses.get({"class_name": "CategoricalGeneralizedCrossEntropy", "config": {"q": 0.3}})
    assert loss.q == 0.3 and loss.get_config()["name"] == "categorical_generalized_cross_entropy"
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.0)
    with pytest.raises(ValueError, match="class ids"):
        losses.categorical_generalized_cross_entropy(LABELS[:4], PROBS, q=0.5)
