"""Shared fixtures: seeded randomness and small MNIST slices from DENDRITE_DATA."""

import numpy as np
import pytest

import dendrite


@pytest.fixture(autouse=True)
def _seed():
    dendrite.utils.set_random_seed(1234)
    dendrite.layers.base.reset_names()
    yield


@pytest.fixture(scope="session")
def mnist():
    """MNIST as Keras returns it (CI points DENDRITE_DATA at a local copy)."""
    return dendrite.datasets.mnist.load_data()


@pytest.fixture(scope="session")
def mnist_small(mnist):
    """2,000 training and 500 test images, scaled to [0, 1], flat, with one-hot labels."""
    (xtr, ytr), (xte, yte) = mnist
    xtr = xtr[:2000].reshape(-1, 784).astype(np.float32) / 255
    xte = xte[:500].reshape(-1, 784).astype(np.float32) / 255
    return xtr, ytr[:2000], xte, yte[:500]
