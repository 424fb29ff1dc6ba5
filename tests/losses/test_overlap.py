"""Dice and Tversky: Keras 3's values, gradients, names and use in fit."""
import numpy as np
import pytest

from dendrite import losses
from dendrite.testing import check_grads
from keras_metrics2_cases import cases, replay_loss

RS = np.random.default_rng(4)


@pytest.mark.parametrize("label, case", cases("losses", "Dice", "Tversky"))
def test_matches_keras(label, case):
    replay_loss(case)


def test_defaults_and_formula_by_hand():
    assert losses.Dice().get_config() == {"name": "dice", "reduction": "sum_over_batch_size", "axis": None}
    assert losses.Tversky().get_config() == {"name": "tversky", "reduction": "sum_over_batch_size", "alpha": 0.5,
                                             "beta": 0.5, "axis": None}
    y = np.array([[1.0, 1.0, 0.0, 0.0]])
    p = np.array([[0.5, 1.0, 0.5, 0.0]])
    assert float(losses.dice(y, p).value) == pytest.approx(1 - 2 * 1.5 / (2 + 2), rel=1e-6)
    # tp 1.5; y * (1 - p) = 0.5 is weighted by alpha, (1 - y) * p = 0.5 by beta
    assert float(losses.tversky(y, p, alpha=0.2, beta=0.6).value) == pytest.approx(1 - 1.5 / (1.5 + 0.1 + 0.3),
                                                                                   rel=1e-6)
    # alpha = beta = 0.5 is the Dice loss
    q = RS.uniform(size=(3, 5))
    t = RS.integers(0, 2, (3, 5)).astype(float)
    np.testing.assert_allclose(losses.tversky(t, q, axis=-1).value, losses.dice(t, q, axis=-1).value, rtol=1e-6)


def test_gradients():
    t = RS.integers(0, 2, (2, 3, 4)).astype(float)
    q = RS.uniform(0.05, 0.95, (2, 3, 4))
    check_grads(lambda p: losses.dice(t, p), [q])
    check_grads(lambda p: losses.dice(t, p, axis=[1, 2]), [q])
    check_grads(lambda y, p: losses.tversky(y, p, alpha=0.7, beta=0.3, axis=-1), [t, q])
    check_grads(lambda p: losses.Tversky(axis=-1)(t, p, sample_weight=np.array([1.0, 0.5])), [q])


def test_in_fit_by_name():
    import dendrite
    assert losses.get("dice") is losses.dice and isinstance(losses.get("Tversky"), losses.Tversky)
    x = RS.normal(size=(16, 4, 4, 1)).astype("float32")
    y = (x > 0).astype("float32")
    model = dendrite.Sequential([dendrite.layers.Input((4, 4, 1)),
                                 dendrite.layers.Conv2D(1, 3, padding="same", activation="sigmoid")])
    model.compile(dendrite.optimizers.Adam(0.05), losses.Dice(axis=[1, 2, 3]))
    history = model.fit(x, y, epochs=5, verbose=0).history
    assert history["loss"][-1] < history["loss"][0]
    config = losses.serialize(losses.Tversky(alpha=0.3, beta=0.7, axis=[1, 2]))
    again = losses.deserialize(config)
    assert (again.alpha, again.beta, again.axis) == (0.3, 0.7, [1, 2])


def test_bad_axis():
    with pytest.raises(ValueError, match="axis must be None"):
        losses.Dice(axis="last")
    with pytest.raises(ValueError, match="same shape"):
        losses.dice(np.ones((2, 3)), np.ones((2, 4)))
