"""CIFAR-100: 60,000 32x32 colour images in 100 classes grouped in 20 superclasses, read from the Toronto
binary version."""
import numpy as np

from . import _cifar

_BINARY = _cifar.Binary(
    "cifar100.load_data", "cifar-100-binary.tar.gz",
    "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec", "cifar-100-binary",
    {"train.bin": 50000, "test.bin": 10000}, label_bytes=2,
    python_names=["cifar-100-python-target", "cifar-100-python-target_archive", "cifar-100-python",
                  "cifar-100-python.tar.gz"])
# label_mode -> (the label byte of a record, the number of classes)
_LABELS = {"coarse": (0, 20), "fine": (1, 100)}


def load_data(label_mode="fine"):
    """Load CIFAR-100 as Keras does.

    ``label_mode`` is 'fine' (the 100 classes) or 'coarse' (the 20
    superclasses). Returns ``((x_train, y_train), (x_test, y_test))``: uint8
    images of shape (50000, 32, 32, 3) and (10000, 32, 32, 3) ((n, 3, 32, 32)
    when ``image_data_format()`` is 'channels_first'), and int64 labels of shape
    (50000, 1) and (10000, 1) (int64, not uint8: Keras builds them from Python
    lists).

    The data come from https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz
    (or its extracted ``cifar-100-binary/`` folder) in the places
    :mod:`dendrite.datasets` searches; Keras's pickled python version is not
    read, since loading a file never runs code from it.
    """
    if not isinstance(label_mode, str) or label_mode not in _LABELS:
        raise ValueError(f"cifar100.load_data: expected `label_mode` to be 'fine' or 'coarse'; "
                         f"received label_mode={label_mode!r}.")
    column = _LABELS[label_mode][0]
    out = {}
    for member, rec in _cifar.records(_BINARY):
        for mode, (byte, classes) in _LABELS.items():
            _cifar.check_labels(_BINARY, member, rec[:, byte], classes, f"{mode} label")
        x = np.ascontiguousarray(_cifar.images(rec[:, _BINARY.label_bytes:]))
        out[member] = (x, rec[:, column].astype(np.int64).reshape(-1, 1))
    return out["train.bin"], out["test.bin"]
