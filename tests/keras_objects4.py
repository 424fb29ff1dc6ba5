"""The Keras 3.15 values of tests/fixtures/keras/layers4_objects.json (tools/make_keras_layers4_fixtures.py):
the inputs and Keras's results of the losses, metrics, optimizer and regularizer of the layers4 family."""
import json
import os

import numpy as np

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "keras", "layers4_objects.json")
with open(_PATH) as f:
    _VALUES = json.load(f)["values"]


def value(name, dtype=np.float32):
    """The fixture's ``name`` as an array (labels as int64)."""
    return np.asarray(_VALUES[name], np.int64 if name == "labels" else dtype)
