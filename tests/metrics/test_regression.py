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
    """keras.metrics.huber / binary_focal_crossentropy / categorical_focal_crossentropy: the loss formulas as
    per-sample NumPy values (Keras 3.15's values: tests/metrics/test_correlation.py)."""
    from dendrite import losses, metrics
    y, p = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[0.2, 0.7], [0.9, 0.4]])
    for name in ("huber", "binary_focal_crossentropy", "categorical_focal_crossentropy"):
        got = getattr(metrics, name)(y, p)
        assert isinstance(got, np.ndarray)
        np.testing.assert_allclose(got, getattr(losses, name)(y, p).numpy())
        assert metrics.get(name) is getattr(metrics, name) and getattr(metrics, name)._direction == "down"
