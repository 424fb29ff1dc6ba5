"""The Keras 3 fixtures of the image augmentation layers (tests/fixtures/keras/augment.*, written by
tools/make_keras_augment_fixtures.py), replayed through dendrite's layers, for the test_image_*.py files."""
import json
import os

import numpy as np

import dendrite
from dendrite import layers

_BASE = os.path.join(os.path.dirname(__file__), "fixtures", "keras", "augment")
with open(_BASE + ".json") as _f:
    META = json.load(_f)
ARRAYS = dict(np.load(_BASE + ".npz", allow_pickle=False))
IGNORED_KEYS = {"name", "dtype", "trainable"}


def as_args(kwargs):
    """JSON lists back to the tuples the fixture script passed."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}


def cases(*names):
    return [c for c in META["cases"] if c["layer"] in names]


def case_id(case):
    flags = [f for f in ("unbatched", "channels_first") if case[f]] + ([] if case["training"] else ["inference"])
    return f"{case['layer']}-{case['kwargs']}-{'-'.join(flags) or 'batch'}"


def replay(case):
    """(dendrite's output, Keras's) for one recorded case."""
    kwargs = as_args(case["kwargs"])
    if case["channels_first"]:
        kwargs["data_format"] = "channels_first"
    layer = getattr(layers, case["layer"])(**kwargs)
    x = ARRAYS[case["input"]]
    if case["channels_first"]:
        x = np.transpose(x, (0, 3, 1, 2))
    if case["unbatched"]:
        x = x[1]
    return layer(x, training=case["training"]).numpy(), ARRAYS[case["output"]]


def configs(*names):
    return [c for c in META["configs"] if c["layer"] in names]


def compare_config(record, allow_extra=()):
    """dendrite's get_config for the recorded arguments against Keras's, key by key (names and dtypes apart;
    ``allow_extra``: keys dendrite adds)."""
    layer = getattr(layers, record["layer"])(**as_args(record["kwargs"]))
    ours = json.loads(json.dumps(layer.get_config()))
    theirs = record["config"]
    extra = set(ours) - set(theirs) - IGNORED_KEYS
    assert extra <= set(allow_extra), (record["layer"], extra)
    assert set(theirs) - set(ours) - IGNORED_KEYS == set(), record["layer"]
    for key in set(theirs) - IGNORED_KEYS:
        assert ours[key] == theirs[key], (record["layer"], key, ours[key], theirs[key])
    again = type(layer).from_config(layer.get_config())
    assert again.get_config() == layer.get_config()


def _plain(config):
    return json.loads(json.dumps(config))  # (a tuple written to the file comes back a list, as in Keras)


def keras_file_round_trip(layer, x, tmp_path):
    """``layer`` in a Sequential model saved to .keras and loaded: same class and config, same inference output."""
    model = dendrite.Sequential([layers.Input(shape=x.shape[1:]), layer])
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "augment.keras")
    model.save(path)
    loaded = dendrite.saving.load_model(path)
    again = loaded.layers[-1]
    assert type(again) is type(layer) and _plain(again.get_config()) == _plain(layer.get_config())
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-6)
    return again


def images(n=8, h=6, w=7, seed=0):
    """Integer-valued float32 RGB images in [0, 255]."""
    return np.random.default_rng(seed).integers(0, 256, (n, h, w, 3)).astype(np.float32)
