"""Writes the model JSON fixtures that Keras made, for the model_from_json tests (not run in CI; needs real
Keras 3).

    KERAS_BACKEND=numpy python tools/make_keras_json_fixtures.py   # writes tests/fixtures/keras_json/

For each model below: ``<name>.json`` (exactly what Keras's ``model.to_json()`` returned) and
``<name>.npz`` (the weights in model.get_weights() order as w0, w1, ..., the inputs as x0, x1, ... and
Keras's predictions as y0, y1, ...). The versions that made them go into ``versions.json``. Only plain
arrays are written (np.savez; the tests load with allow_pickle=False).
"""
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "numpy")
import keras  # noqa: E402
from keras import layers  # noqa: E402
from make_keras_fixtures import made, save_arrays, save_versions  # noqa: E402 - the same files, the same way

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_json")


def sequential_mlp():
    return keras.Sequential([
        keras.Input((8,)),
        layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01),
                     kernel_constraint=keras.constraints.MaxNorm(2.0), name="hidden"),
        layers.BatchNormalization(name="bn"),
        layers.Dropout(0.25, name="drop"),
        layers.Dense(3, activation="softmax", kernel_initializer="he_normal", name="probs"),
    ], name="mlp")


def sequential_convnet():
    return keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(4, 3, activation="relu", padding="same", name="conv"),
        layers.MaxPooling2D(2, name="pool"),
        layers.Flatten(name="flat"),
        layers.Dense(2, name="logits"),
    ], name="convnet")


def functional_two_inputs():
    a = keras.Input((5,), name="features")
    b = keras.Input((3,), name="extra")
    h = layers.Dense(4, activation="tanh", name="encode")(a)
    h = layers.concatenate([h, b], name="joined")
    out = layers.Dense(2, activation="sigmoid", bias_initializer=keras.initializers.Constant(0.1), name="out")(h)
    return keras.Model([a, b], out, name="two_inputs")


MODELS = [sequential_mlp, sequential_convnet, functional_two_inputs]


def main():
    for name, model, rng in made(MODELS, OUT):
        # weights that are not the initial ones (BatchNormalization's moving statistics included)
        weights = [rng.standard_normal(w.shape).astype("float32") * 0.5 for w in model.get_weights()]
        model.set_weights([np.abs(w) + 0.5 if "variance" in v.path else w for w, v in zip(weights, model.weights)])
        xs = [rng.standard_normal((4,) + tuple(t.shape[1:])).astype("float32") for t in model.inputs]
        save_arrays(os.path.join(OUT, f"{name}.npz"), model, xs, model.predict(xs if len(xs) > 1 else xs[0], verbose=0))
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            f.write(model.to_json())
    save_versions(OUT)


if __name__ == "__main__":
    main()
