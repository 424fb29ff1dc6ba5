"""Writes weights files with real Keras 3 for the tests to load (not run in CI; needs Keras 3 and h5py).

    KERAS_BACKEND=numpy python tools/make_keras_weights_fixtures.py   # writes tests/fixtures/keras_weights/

The models are built by the functions below, which take the Keras module as an argument so that the tests
build the very same architecture with dendrite. For each: ``<name>.weights.h5`` (Keras 3's save_weights),
``<name>.h5`` (Keras's legacy HDF5 whole-model file, whose ``model_weights`` group is tf.keras 2's layout),
``<name>.keras`` (Keras 3's archive, compiled with Adam and the optimizer built) and ``<name>.npz`` with the
inputs (x0, ...), Keras's predictions (y0, ...) and its count_params() (params). The versions go into
versions.json.
"""
import json
import os
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_weights")


def dense_stack(keras):
    layers = keras.layers
    return keras.Sequential([keras.Input((8,)), layers.Dense(6, activation="relu"), layers.BatchNormalization(),
                             layers.Dropout(0.2), layers.Dense(3, activation="softmax")], name="dense_stack")


def recurrent_graph(keras):
    layers = keras.layers
    inner_in = keras.Input((5, 8))
    inner = keras.Model(inner_in, layers.Dense(8, activation="tanh")(inner_in), name="inner")
    tokens = keras.Input((5,), dtype="int32")
    h = inner(layers.Embedding(20, 8)(tokens))
    h = layers.LSTM(6, return_sequences=True)(h)
    h = layers.Bidirectional(layers.GRU(3, return_sequences=True))(h)
    h = layers.TimeDistributed(layers.Dense(2))(h)
    h = layers.Conv1D(4, 2)(h)
    h = layers.LayerNormalization()(h)
    return keras.Model(tokens, layers.Dense(1)(layers.GlobalAveragePooling1D()(h)), name="recurrent_graph")


def inputs(name, rng):
    if name == "dense_stack":
        return [rng.standard_normal((4, 8)).astype("float32")]
    return [rng.integers(0, 20, size=(4, 5)).astype("int32")]


MODELS = {"dense_stack": dense_stack, "recurrent_graph": recurrent_graph}


def write_model_files(keras, model, xs, out, name, legacy_h5=True):
    """``model``'s files under ``out`` (see the module's docstring; the legacy ``.h5`` only with ``legacy_h5``)
    and ``<name>.npz``: the inputs ``xs``, Keras's predictions and its count_params() (``params``)."""
    ys = model.predict(xs[0] if len(xs) == 1 else xs, verbose=0)
    model.save_weights(os.path.join(out, f"{name}.weights.h5"))
    if legacy_h5:
        model.save(os.path.join(out, f"{name}.h5"))
    model.compile(optimizer=keras.optimizers.Adam(0.002), loss="mse", metrics=["mae"])
    model.optimizer.build(model.trainable_variables)
    model.save(os.path.join(out, f"{name}.keras"))
    arrays = {f"x{i}": x for i, x in enumerate(xs)}
    arrays.update({f"y{i}": np.asarray(y) for i, y in enumerate(ys if isinstance(ys, list) else [ys])})
    np.savez(os.path.join(out, f"{name}.npz"), params=np.asarray(model.count_params()), **arrays)


def write_versions(keras, out):
    with open(os.path.join(out, "versions.json"), "w") as f:
        json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "numpy": np.__version__,
                   "python": sys.version.split()[0]}, f, indent=1)


def main():
    os.environ.setdefault("KERAS_BACKEND", "numpy")
    import keras
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    for name, build in MODELS.items():
        model = build(keras)
        for w in model.weights:  # away from the initial values, so that a load that did nothing would show
            w.assign(rng.standard_normal(w.shape).astype(w.dtype) * 0.5 + (1.0 if "variance" in w.path else 0.0))
        write_model_files(keras, model, inputs(name, rng), OUT, name)
    write_versions(keras, OUT)

if __name__ == "__main__":
    main()
