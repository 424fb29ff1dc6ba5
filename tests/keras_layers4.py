"""The Keras-made cases of tools/make_keras_layers4_fixtures.py (tests/fixtures/keras/layers4.*), replayed in
dendrite by the tests of ConvLSTM and the adaptive pooling layers."""
import json
import os

import numpy as np

from dendrite import layers

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "fixtures", "keras", "layers4")
with open(PATH + ".json") as f:
    CASES = json.load(f)["cases"]


def cases(*names):
    """(index, case) of the fixture cases of those layer classes: pytest parameters."""
    return [(i, c) for i, c in enumerate(CASES) if c["layer"] in names]


def case_id(value):
    return None if isinstance(value, dict) else str(value)


def arrays(i):
    """(input, [weights], [Keras's outputs]) of case ``i``."""
    case = CASES[i]
    with np.load(PATH + ".npz", allow_pickle=False) as data:
        return (data[f"x{i}"], [data[f"w{i}_{j}"] for j in range(case["weights"])],
                [data[f"y{i}_{k}"] for k in range(case["outputs"])])


def model_arrays():
    with np.load(PATH + ".npz", allow_pickle=False) as data:
        return data["model_x"], data["model_y"]


def built(case, x, weights):
    """The case's dendrite layer, built on ``x``'s shape with Keras's ``weights`` set in Keras's order."""
    layer = getattr(layers, case["layer"])(**case["kwargs"])
    layer.build(tuple(x.shape))
    assert [w.name for w in layer.weights] == case["weight_names"]
    if weights:
        layer.set_weights(weights)
    return layer
