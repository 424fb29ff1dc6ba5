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
