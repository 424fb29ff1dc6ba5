"""The Keras-made cases of tools/make_keras_layers3_fixtures.py (tests/fixtures/keras/layers3.*), replayed in
dendrite by the tests of the 3-D layers, GroupNormalization, Discretization and SpectralNormalization; and
the checks they share: a layer saved in a .keras file (inside a model) comes back with its config, weights
and outputs, and the model's summary counts its parameters."""
import json
import os

import numpy as np

import dendrite
from dendrite import layers

HERE = os.path.dirname(os.path.abspath(__file__))
_PATH = os.path.join(HERE, "fixtures", "keras", "layers3")
with open(_PATH + ".json") as f:
    CASES = json.load(f)["cases"]


def cases(*names):
    """(index, case) of the fixture cases of those layer classes: pytest parameters, ids 'Layer-i'."""
    return [(i, c) for i, c in enumerate(CASES) if c["layer"] in names]


def case_id(value):
    return None if isinstance(value, dict) else str(value)


def arrays(i):
    """(input, [weights], Keras's output, extras) of case ``i`` (extras: the arrays named k{i}, u{i})."""
    with np.load(_PATH + ".npz", allow_pickle=False) as data:
        weights = [data[f"w{i}_{j}"] for j in range(CASES[i]["weights"])]
        extras = {k: data[f"{k}{i}"] for k in ("k", "u") if f"{k}{i}" in data}
        return data[f"x{i}"], weights, data[f"y{i}"], extras


def make(case):
    """The dendrite layer the case describes (not built)."""
    kwargs = dict(case["kwargs"])
    if "layer" in kwargs:
        inner, inner_kwargs = kwargs.pop("layer")
        return getattr(layers, case["layer"])(getattr(layers, inner)(**inner_kwargs), **kwargs)
    return getattr(layers, case["layer"])(**kwargs)


def built(case, x, weights):
    """make(case), built on ``x``'s shape with Keras's ``weights`` set in Keras's order."""
    layer = make(case)
    layer.build(tuple(x.shape))
    assert [w.name for w in layer.weights] == case["weight_names"]
    if weights:
        layer.set_weights(weights)
    return layer


def keras_file_round_trip(layer, x, tmp_path, **call):
    """``layer``'s config through from_config; then ``layer`` inside a Sequential model on inputs like ``x``:
    the summary's parameter count, and the model saved to a .keras file and loaded: the loaded layer has the
    same config, weights and outputs. ``x``: the inputs, or their shape (then standard normal float32 values)."""
    if isinstance(x, tuple):
        x = np.random.default_rng(0).standard_normal(x).astype(np.float32)
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    model = dendrite.Sequential([layers.Input(shape=x.shape[1:]), layer])
    lines = []
    model.summary(print_fn=lines.append)
    assert f"Total params: {layer.count_params():,}" in "\n".join(lines)
    expected = model(x, **call).numpy()
    path = str(tmp_path / "layer.keras")
    model.save(path)
    loaded = dendrite.saving.load_model(path)
    again = loaded.layers[-1]
    assert type(again) is type(layer) and again.get_config() == layer.get_config()
    for a, b in zip(again.get_weights(), layer.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(loaded(x, **call).numpy(), expected, rtol=1e-6, atol=1e-6)
    return again
