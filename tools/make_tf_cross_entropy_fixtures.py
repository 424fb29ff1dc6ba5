"""Writes what TensorFlow's Keras gives for a cross-entropy of a softmax or sigmoid output, whichever of the two
the loss expects, for tests/losses/test_output_logits.py (not run in CI; needs TensorFlow and tf_keras):

    /work/bvenv/bin/python tools/make_tf_cross_entropy_fixtures.py                          # Keras 3
    TF_USE_LEGACY_KERAS=1 /work/bvenv/bin/python tools/make_tf_cross_entropy_fixtures.py    # tf.keras 2

Keras on TensorFlow keeps the logits of every softmax and sigmoid output and its cross-entropies use them: a
sparse_categorical_crossentropy of a sigmoid output is the softmax cross-entropy of the logits. Each run writes
``tests/fixtures/cross_entropy/cross_entropy_logits_<keras major version>.json``: the inputs, the initial weights,
per (activation, loss) the loss of ``evaluate`` and the kernel after one SGD step of ``fit``.
"""
import json
import os

import numpy as np
import tensorflow as tf

keras = tf.keras
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "cross_entropy")
LOSSES = ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy"]


def main():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6, 4)).astype("float32")
    labels = np.array([0, 2, 1, 4, 3, 2])
    kernel = (rng.normal(size=(4, 5)) * 1.5).astype("float32")
    bias = (rng.normal(size=5) * 0.5).astype("float32")
    cases = []
    for activation in ("sigmoid", "softmax"):
        for loss in LOSSES:
            y = labels if loss.startswith("sparse") else np.eye(5, dtype="float32")[labels]
            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation=activation)])
            model.set_weights([kernel, bias])
            model.compile(optimizer=keras.optimizers.SGD(0.5), loss=loss)
            evaluated = float(model.evaluate(x, y, verbose=0))
            model.fit(x, y, batch_size=6, epochs=1, shuffle=False, verbose=0)
            cases.append({"activation": activation, "loss": loss, "evaluate": evaluated,
                          "kernel_after_step": model.get_weights()[0].tolist()})
    version = getattr(keras, "__version__", None)
    if version is None:  # tf.keras is tf_keras (TF_USE_LEGACY_KERAS=1)
        import tf_keras
        version = "tf_keras " + tf_keras.__version__
    major = "2" if version.startswith("tf_keras") else version.split(".")[0]
    out = {"versions": {"tensorflow": tf.__version__, "keras": version},
           "x": x.tolist(), "labels": labels.tolist(), "kernel": kernel.tolist(), "bias": bias.tolist(),
           "cases": cases}
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"cross_entropy_logits_{major}.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
