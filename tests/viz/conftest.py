import numpy as np
import pytest


def read_png(path):
    """The PNG as an (h, w, channels) float array in [0, 1]."""
    import matplotlib.image
    return matplotlib.image.imread(path)


def assert_drawn(path, min_size=(100, 100)):
    """The file is a PNG of at least ``min_size`` pixels (w, h) that is not blank."""
    img = read_png(path)
    h, w = img.shape[:2]
    assert w >= min_size[0] and h >= min_size[1], (w, h)
    assert img[..., :3].std() > 0.02  # not a blank canvas
    return img


@pytest.fixture
def mnist_small():
    from dendrite.datasets import mnist
    (x, y), _ = mnist.load_data()
    return x[:256].astype("float32") / 255, y[:256]
