"""rejection_resample: classes come out in the target proportions."""
import numpy as np
import pytest

from dendrite import data


def _labels(n=4000):
    with np.load("/work/shared/data/mnist.npz") as f:
        return f["y_train"][:n].astype(np.int64)


def test_mnist_labels_resampled_to_a_skewed_target():
    y = _labels()
    target = np.array([0.5] + [0.5 / 9] * 9)
    ds = data.Dataset.from_tensor_slices(y).rejection_resample(lambda label: label, target, seed=0)
    assert ds.element_spec[0] == data.TensorSpec((), "int64")
    pairs = list(ds.as_numpy_iterator())
    classes = np.array([c for c, _ in pairs])
    assert all(c == v for c, v in pairs)  # (class, element)
    share = np.bincount(classes, minlength=10) / len(classes)
    assert abs(share[0] - 0.5) < 0.06 and np.all(np.abs(share[1:] - 0.5 / 9) < 0.03)


def test_known_initial_distribution_and_errors():
    y = (_labels(3000) < 2).astype(np.int64)  # about 21% ones
    initial = [1 - y.mean(), y.mean()]
    ds = data.Dataset.from_tensor_slices(y).rejection_resample(lambda v: v, [0.5, 0.5], initial_dist=initial, seed=1)
    classes = np.array([c for c, _ in ds.as_numpy_iterator()])
    assert abs(classes.mean() - 0.5) < 0.05
    with pytest.raises(ValueError, match="target_dist"):
        data.Dataset.range(3).rejection_resample(lambda v: v, [-1, 2])
    with pytest.raises(ValueError, match="one entry per class"):
        data.Dataset.range(3).rejection_resample(lambda v: v, [0.5, 0.5], initial_dist=[1.0])
    with pytest.raises(ValueError, match="outside"):
        list(data.Dataset.range(3).rejection_resample(lambda v: v, [0.5, 0.5]).as_numpy_iterator())
