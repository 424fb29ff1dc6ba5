"""Reduction over the batch (Keras 3's reduce_weighted_values) and sample weights, through the Loss classes."""
import numpy as np
import pytest

from dendrite import losses
from dendrite.autodiff import Tensor, array_of

RS = np.random.default_rng(0)


def test_reductions_and_sample_weight():
    y = np.array([[1.0], [2.0], [3.0], [4.0]], np.float32)
    p = np.zeros((4, 1), np.float32)
    per = np.array([1.0, 4.0, 9.0, 16.0])
    w = np.array([1.0, 0.5, 0.0, 2.0])

    def run(reduction, sw=None):
        return array_of(losses.MeanSquaredError(reduction=reduction)(y, p, sample_weight=sw))

    np.testing.assert_allclose(run("sum_over_batch_size"), per.mean())
    np.testing.assert_allclose(run("mean"), per.mean())
    np.testing.assert_allclose(run("auto"), per.mean())
    np.testing.assert_allclose(run("sum"), per.sum())
    np.testing.assert_allclose(run("none"), per)
    np.testing.assert_allclose(run(None), per)
    np.testing.assert_allclose(run("mean_with_sample_weight"), per.mean())
    np.testing.assert_allclose(run("sum_over_batch_size", w), (per * w).sum() / 4)
    np.testing.assert_allclose(run("sum", w), (per * w).sum())
    np.testing.assert_allclose(run("none", w), per * w)
    np.testing.assert_allclose(run("mean_with_sample_weight", w), (per * w).sum() / w.sum())
    np.testing.assert_allclose(run("sum_over_batch_size", w[:, None]), (per * w).sum() / 4)
    np.testing.assert_allclose(run("sum_over_batch_size", Tensor(w.astype(np.float32))), (per * w).sum() / 4)
    np.testing.assert_allclose(run("sum_over_batch_size", 2.0), per.mean() * 2)
    np.testing.assert_allclose(run("mean_with_sample_weight", np.zeros(4)), 0.0)


def test_sample_weight_broadcasts_per_sample_over_time_steps():
    y, p = RS.normal(size=(2, 3, 4)), RS.normal(size=(2, 3, 4))
    per = ((y - p) ** 2).mean(-1)
    w = np.array([1.0, 3.0])
    np.testing.assert_allclose(array_of(losses.MeanSquaredError()(y, p, sample_weight=w)), (per * w[:, None]).mean())
    np.testing.assert_allclose(array_of(losses.MeanSquaredError(reduction="mean_with_sample_weight")(
        y, p, sample_weight=w)), (per * w[:, None]).sum() / (3 * w.sum()))


def test_bad_reduction_and_sample_weight_raise():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(ValueError, match="mean_squared_error.*sample_weight"):
        losses.MeanSquaredError()(np.zeros((4, 1)), np.ones((4, 1)), sample_weight=np.ones(3))
