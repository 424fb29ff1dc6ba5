"""Writes the fixture that tests/autodiff/test_row_gradient.py compares dendrite with (not run in CI; needs real
TensorFlow 2.21 with Keras 3):

    python tools/make_tf_embedding_fixtures.py   # writes tests/fixtures/tf_embedding/steps.npz

An Embedding(6, 3) whose batch looks rows up several times, followed by a Dense(1): three fit steps of each
optimizer from the same starting weights. TensorFlow gives the optimizer the table's gradient as IndexedSlices,
and the optimizers that square it (or take its absolute value) do so per occurrence. Saved: the inputs
``x``, targets ``y``, the starting weights ``w0``/``w1``/``w2`` and, per optimizer, the weights after the steps
(``<name>_0`` ... ``<name>_2``). Plain arrays only (the test loads with allow_pickle=False)."""
import json
import os

import numpy as np
import tensorflow as tf
import keras

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tf_embedding")
OPTIMIZERS = {"adam": lambda: keras.optimizers.Adam(0.05), "rmsprop": lambda: keras.optimizers.RMSprop(0.05),
              "adagrad": lambda: keras.optimizers.Adagrad(0.5), "nadam": lambda: keras.optimizers.Nadam(0.05),
              "adamax": lambda: keras.optimizers.Adamax(0.05), "sgd": lambda: keras.optimizers.SGD(0.5),
              "adadelta": lambda: keras.optimizers.Adadelta(5.0), "lamb": lambda: keras.optimizers.Lamb(0.05),
              "adamw": lambda: keras.optimizers.AdamW(0.05), "ftrl": lambda: keras.optimizers.Ftrl(0.5),
              "lion": lambda: keras.optimizers.Lion(0.05)}


def model():
    return keras.Sequential([keras.Input((5,), dtype="int32"), keras.layers.Embedding(6, 3),
                             keras.layers.Flatten(), keras.layers.Dense(1)])


def main():
    rng = np.random.default_rng(3)
    x = np.array([[0, 0, 0, 1, 2], [0, 0, 3, 3, 4], [5, 0, 0, 0, 0], [1, 2, 1, 2, 0]], np.int32)
    y = rng.normal(size=(4, 1)).astype("float32")
    start = model()
    weights = [w.astype("float32") for w in start.get_weights()]
    out = {"x": x, "y": y, **{f"w{i}": w for i, w in enumerate(weights)}}
    for name, make in OPTIMIZERS.items():
        net = model()
        net.set_weights(weights)
        net.compile(make(), "mse")
        net.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
        out.update({f"{name}_{i}": w for i, w in enumerate(net.get_weights())})
    os.makedirs(OUT, exist_ok=True)
    np.savez(os.path.join(OUT, "steps.npz"), **out)
    with open(os.path.join(OUT, "versions.json"), "w") as f:
        json.dump({"tensorflow": tf.__version__, "keras": keras.__version__}, f)


if __name__ == "__main__":
    main()
