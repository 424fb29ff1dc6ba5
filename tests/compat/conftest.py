import pytest

import dendrite.compat


@pytest.fixture
def tf():
    """The `tensorflow` namespace through the import hook, removed again after the test."""
    dendrite.compat.install()
    import tensorflow
    yield tensorflow
    dendrite.compat.uninstall()


@pytest.fixture
def keras():
    dendrite.compat.install()
    import keras as k
    yield k
    dendrite.compat.uninstall()


@pytest.fixture
def tf1(tf):
    """``tensorflow.compat.v1`` with eager execution disabled (TensorFlow 1's graph mode) for the test."""
    tf.compat.v1.disable_eager_execution()
    yield tf.compat.v1
    tf.compat.v1.enable_eager_execution()
