"""Shared fixtures: seeded randomness and small MNIST slices from DENDRITE_DATA."""
import os
import sys

import numpy as np
import pytest

import dendrite

# tests/reference.py (loop-based reference implementations) is importable as `reference`
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# CI sets DENDRITE_DATA relative to the checkout (../shared/data); tests that start programs in
# another working directory must still find the data, so the children inherit it made absolute
if os.environ.get("DENDRITE_DATA"):
    os.environ["DENDRITE_DATA"] = os.path.abspath(os.environ["DENDRITE_DATA"])


@pytest.fixture(autouse=True)
def _seed():
    dendrite.utils.set_random_seed(1234)
    dendrite.layers.base.reset_names()
    yield
    # a test that changes the global image layout must not leak it into the next one
    assert dendrite.backend.image_data_format() == "channels_last", "a test left image_data_format changed"


@pytest.fixture
def channels_first():
    """backend.set_image_data_format('channels_first') for one test, restored afterwards."""
    dendrite.backend.set_image_data_format("channels_first")
    yield
    dendrite.backend.set_image_data_format("channels_last")


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


@pytest.fixture
def real_keras():
    """Real Keras 3 on its numpy backend, for the tests that check files and configs both ways; skipped where
    it is not installed (it never is in CI: tools/make_keras_*fixtures.py wrote the fixtures those tests read)."""
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    return pytest.importorskip("keras")
