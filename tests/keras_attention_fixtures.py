"""What tools/make_keras_attention_fixtures.py wrote with real Keras (tests/fixtures/keras_attention): the layer
cases (each rebuilt and run in dendrite on Keras's inputs and weights) and the model builders, loaded once for
the attention and EinsumDense tests."""
import json
import os

import numpy as np

import dendrite
from keras_weight_builders import tool

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "keras_attention")
builders = tool("make_keras_attention_fixtures")

with open(os.path.join(FIXTURES, "layers.json")) as _f:
    CASES = json.load(_f)
_ARRAYS = np.load(os.path.join(FIXTURES, "layers.npz"), allow_pickle=False)


def cases_of(*classes):
    return sorted(name for name, case in CASES.items() if case["layer"] in classes)


def run_case(name):
    """``(layer, Keras's case entry, dendrite's outputs, Keras's outputs)``: the case's layer made in dendrite,
    called once to build, given Keras's weights and called again on Keras's inputs and masks."""
    case = CASES[name]
    layer = getattr(dendrite.layers, case["layer"])(**case["init"])
    inputs = [_ARRAYS[f"{name}/in{i}"] for i in range(3) if f"{name}/in{i}" in _ARRAYS.files]
    kwargs = dict(case["call"])
    for mask in case["masks"]:
        kwargs[mask] = [_ARRAYS[f"{name}/{mask}{i}"] for i in range(2)] if mask == "mask" else _ARRAYS[f"{name}/{mask}"]

    def call():
        if case["layer"] == "EinsumDense":
            out = layer(inputs[0])
        elif case["layer"] == "MultiHeadAttention":
            out = layer(*inputs, **kwargs)
        else:
            out = layer(inputs, **kwargs)
        return [np.asarray(o.value) for o in (out if isinstance(out, (list, tuple)) else [out])]
    call()
    layer.set_weights([_ARRAYS[f"{name}/w{i}"] for i in range(len(case["weights"]))])
    expected = [_ARRAYS[f"{name}/out{i}"] for i in range(3) if f"{name}/out{i}" in _ARRAYS.files]
    return layer, case, call(), expected


def comparable_config(config):
    """A layer config as JSON would carry it (tuples as lists), the dtype policy as its name, without the name."""
    config = json.loads(json.dumps(config, default=list))
    dtype = config.get("dtype")
    if isinstance(dtype, dict):
        config["dtype"] = dtype["config"]["name"]
    config.pop("name", None)
    return config


def model_arrays(name):
    """``(inputs, Keras's outputs, Keras's count_params())`` of a model fixture."""
    data = np.load(os.path.join(FIXTURES, name + ".npz"), allow_pickle=False)
    xs = [data[k] for k in sorted(k for k in data.files if k[0] == "x")]
    return xs[0] if len(xs) == 1 else xs, data["y0"], int(data["params"])
