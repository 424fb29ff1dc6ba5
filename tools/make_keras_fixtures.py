"""Writes the Keras-made fixtures the tests compare dendrite with (not run in CI; needs real Keras 3).

    KERAS_BACKEND=numpy python tools/make_keras_fixtures.py   # writes tests/fixtures/keras/

For each model below: ``<name>.json`` (Keras's model.get_config()) and ``<name>.npz`` (the weights in
model.get_weights() order as w0, w1, ..., the inputs as x0, x1, ... and Keras's predictions as y0,
y1, ...). The versions that made them go into ``versions.json``. Only plain arrays are written
(np.savez; the tests load with allow_pickle=False).
"""
import json
import os
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "numpy")
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras")


def two_inputs_two_outputs():
    a = keras.Input((4,), name="left")
    b = keras.Input((3,), name="right")
    h = layers.concatenate([layers.Dense(8, activation="relu", name="da")(a),
                            layers.Dense(8, activation="tanh", name="db")(b)], name="joined")
    h = layers.Add(name="shortcut")([h, layers.Dense(16, name="mix")(h)])
    cls = layers.Dense(3, activation="softmax", name="cls")(h)
    reg = layers.Dense(1, name="reg")(layers.Subtract(name="diff")([h, layers.Multiply(name="gate")([h, h])]))
    return keras.Model([a, b], [cls, reg], name="two_heads")


def shared_and_nested():
    encoder_in = keras.Input((6,), name="enc_in")
    encoder = keras.Model(encoder_in, layers.Dense(5, activation="relu", name="enc_dense")(encoder_in),
                          name="encoder")
    x1 = keras.Input((6,), name="first")
    x2 = keras.Input((6,), name="second")
    shared = layers.Dense(5, name="shared")
    e1, e2 = encoder(x1), encoder(x2)  # a nested model reused twice
    s1, s2 = shared(e1), shared(e2)  # a shared layer
    merged = layers.concatenate([layers.Maximum(name="mx")([s1, s2]), layers.Minimum(name="mn")([s1, s2]),
                                 layers.Average(name="avg")([s1, s2]),
                                 layers.Dot(axes=1, normalize=True, name="cos")([s1, s2])], name="cat")
    return keras.Model({"first": x1, "second": x2}, layers.Dense(2, name="out")(merged), name="siamese")


def dot_sequences():
    q = keras.Input((3, 4), name="q")
    k = keras.Input((5, 4), name="k")
    scores = layers.Dot(axes=(2, 2), name="scores")([q, k])
    return keras.Model([q, k], layers.Flatten(name="flat")(scores), name="dots")


MODELS = [two_inputs_two_outputs, shared_and_nested, dot_sequences]


def main():
    for name, model, rng in made(MODELS, OUT):
        xs = [rng.standard_normal((4,) + tuple(t.shape[1:])).astype("float32") for t in model.inputs]
        feed = dict(zip(model.input_names if hasattr(model, "input_names") else [t.name for t in model.inputs], xs)) \
            if isinstance(model._inputs_struct, dict) else xs
        save_arrays(os.path.join(OUT, f"{name}.npz"), model, xs, model.predict(feed, verbose=0))
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(model.get_config(), f, indent=1, sort_keys=True)
    save_versions(OUT)


def made(models, out):
    """(name, model, generator) for each of ``models`` (functions making a model), seeded as the fixtures
    are; creates the folder ``out``."""
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    for make in models:
        yield make.__name__, make(), rng


def save_arrays(path, model, xs, ys):
    """The weights (w0, w1, ...), the inputs (x0, ...) and the predictions (y0, ...) as plain arrays."""
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    arrays = {f"w{i}": w for i, w in enumerate(model.get_weights())}
    arrays.update({f"x{i}": x for i, x in enumerate(xs)})
    arrays.update({f"y{i}": np.asarray(y) for i, y in enumerate(ys)})
    np.savez(path, **arrays)


def save_versions(out):
    with open(os.path.join(out, "versions.json"), "w") as f:
        json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "numpy": np.__version__,
                   "python": sys.version.split()[0]}, f, indent=1)


if __name__ == "__main__":
    main()
