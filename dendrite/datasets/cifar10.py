"""CIFAR-10: 60,000 32x32 colour images in 10 classes, read from the Toronto binary version."""
import numpy as np

from . import _cifar

_TRAIN = [f"data_batch_{i}.bin" for i in range(1, 6)]
_TEST = "test_batch.bin"
# python_names: Keras's pickled python version as Keras 3 (...-target) and Keras 2 leave it in a cache
_BINARY = _cifar.Binary(
    "cifar10.load_data", "cifar-10-binary.tar.gz",
    "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", "cifar-10-batches-bin",
    {**{name: 10000 for name in _TRAIN}, _TEST: 10000}, label_bytes=1,
    python_names=["cifar-10-batches-py-target", "cifar-10-batches-py-target_archive", "cifar-10-batches-py",
                  "cifar-10-batches-py.tar.gz", "cifar-10-python.tar.gz"])
CLASSES = 10


def load_data():
    """Load CIFAR-10 as Keras does.

    Returns ``((x_train, y_train), (x_test, y_test))``: uint8 images of shape
    (50000, 32, 32, 3) and (10000, 32, 32, 3) ((n, 3, 32, 32) when
    ``image_data_format()`` is 'channels_first'), and uint8 labels 0-9 of shape
    (50000, 1) and (10000, 1). The classes are airplane, automobile, bird, cat,
    deer, dog, frog, horse, ship and truck. The training images are the five
    batches in order, as Keras stacks them.

    The data come from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz
    (or its extracted ``cifar-10-batches-bin/`` folder) in the places
    :mod:`dendrite.datasets` searches; Keras's pickled python version is not
    read, since loading a file never runs code from it.
    """
    sizes = _BINARY.members
    n_train = sum(sizes[name] for name in _TRAIN)
    x_train = np.empty(_cifar.image_shape(n_train), np.uint8)
    y_train = np.empty((n_train, 1), np.uint8)
    x_test = np.empty(_cifar.image_shape(sizes[_TEST]), np.uint8)
    y_test = np.empty((sizes[_TEST], 1), np.uint8)
    starts = {name: sum(sizes[n] for n in _TRAIN[:i]) for i, name in enumerate(_TRAIN)}
    for member, rec in _cifar.records(_BINARY):
        _cifar.check_labels(_BINARY, member, rec[:, 0], CLASSES)
        if member == _TEST:
            x, y, start = x_test, y_test, 0
        else:
            x, y, start = x_train, y_train, starts[member]
        x[start:start + len(rec)] = _cifar.images(rec[:, 1:])
        y[start:start + len(rec), 0] = rec[:, 0]
    return (x_train, y_train), (x_test, y_test)
