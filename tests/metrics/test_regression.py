"""The probabilistic, regression and hinge metrics that existed before issue 20, checked against Keras 3's
values too (tests/fixtures/keras_metrics2)."""
import numpy as np
import pytest

from dendrite import metrics
from keras_metrics2_cases import cases, replay_metric

NAMES = ("Poisson", "KLDivergence", "LogCoshError", "Hinge", "SquaredHinge", "CategoricalHinge")


@pytest.mark.parametrize("label, case", cases("metrics", *NAMES))
def test_matches_keras(label, case):
    replay_metric(case)


@pytest.mark.parametrize("label, case", cases("metrics", "CosineSimilarity"))
def test_cosine_similarity_matches_keras(label, case):
    # dendrite's config also keeps `axis` (Keras accepts it but leaves it out of the config)
    m = metrics.CosineSimilarity()
    assert m.get_config() == {**case["config"], "axis": -1}
    for (y_true, y_pred, weight), expected in zip(case["updates"], case["results"]):
        m.update_state(np.float32(y_true), np.float32(y_pred), sample_weight=weight)
        assert m.result() == pytest.approx(expected, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("name, cls", [("poisson", metrics.Poisson), ("kl_divergence", metrics.KLDivergence),
                                       ("log_cosh_error", metrics.LogCoshError),
                                       ("cosine_similarity", metrics.CosineSimilarity), ("hinge", metrics.Hinge),
                                       ("squared_hinge", metrics.SquaredHinge),
                                       ("categorical_hinge", metrics.CategoricalHinge)])
def test_keras_names(name, cls):
    assert isinstance(metrics.get(name), cls)


def test_keras3_metric_functions_of_losses():
    """keras.metrics.huber / binary_focal_crossentropy / categorical_focal_crossentropy: the loss formulas,
    per sample, as tensors (Keras 3.15's values: tests/metrics/test_correlation.py)."""
    from dendrite import losses, metrics
    from dendrite.autodiff import Tensor
    y, p = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[0.2, 0.7], [0.9, 0.4]])
    for name in ("huber", "binary_focal_crossentropy", "categorical_focal_crossentropy"):
        got = getattr(metrics, name)(y, p)
        assert isinstance(got, Tensor) and got.shape == (2,)
        np.testing.assert_allclose(got.numpy(), getattr(losses, name)(y, p).numpy())
        assert metrics.get(name) is getattr(metrics, name) and getattr(metrics, name)._direction == "down"


def test_metric_functions_are_differentiable_as_keras_loss_functions():
    """Keras's metric functions are its loss functions: Keras 2's VAE builds its loss from
    ``original_dim * metrics.binary_crossentropy(x, x_decoded)``, so the decoder must get gradients through it
    (dendrite's returned NumPy values, which left the decoder untrained)."""
    from dendrite import layers, metrics
    from dendrite.autodiff import GradientTape
    rng = np.random.default_rng(0)
    x, target = rng.random((4, 3)).astype("float32"), (rng.random((4, 2)) > 0.5).astype("float32")
    dense = layers.Dense(2, activation="sigmoid")
    for name in ("binary_crossentropy", "mean_squared_error", "cosine_similarity"):
        with GradientTape() as tape:
            value = getattr(metrics, name)(target, dense(x))
        grads = tape.gradient(value, dense.trainable_weights)
        assert all(g is not None and np.abs(np.asarray(g)).sum() > 0 for g in grads), name
    p = np.array([[0.9, 0.2]], "float32")
    assert metrics.cosine_similarity(np.array([[1.0, 0.0]]), p).numpy()[0] > 0  # the similarity, not its negative
