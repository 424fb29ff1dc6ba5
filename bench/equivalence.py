"""Does dendrite compute what TensorFlow-Keras computes? Builds a workload (A-D, Dropout left out so
that no randomness differs) in both, gives the Keras model dendrite's initial weights, then compares
inference outputs, training-mode outputs, the gradients of one batch (each against the same model in
float64, the truth), and the weights and outputs after N identical Adam steps (same batches, no
shuffling). Needs TensorFlow; prints the largest differences.

    python bench/equivalence.py D --steps 50
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from workloads import BATCH, keras_layers, load  # noqa: E402


def build(keras, name):
    layers = [layer for layer in keras_layers(name, keras.layers, keras.Input)
              if type(layer).__name__ != "Dropout"]
    model = keras.Sequential(layers)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def batch_gradients(framework, model, x, y):
    """Gradients of the mean categorical cross-entropy of one batch in training mode."""
    if framework.__name__ == "dendrite":
        tape = framework.GradientTape()
        with tape:
            loss = framework.ops.mean(framework.losses.categorical_crossentropy(y, model(x, training=True)))
    else:
        import tensorflow as tf
        tape = tf.GradientTape()
        with tape:
            loss = tf.reduce_mean(framework.losses.categorical_crossentropy(y, model(x, training=True)))
    return tape.gradient(loss, model.trainable_weights)


def worst(a, b):
    """Largest absolute difference, and the largest relative to the values' scale."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    d = np.abs(a - b).max()
    return d, d / max(np.abs(b).max(), 1e-12)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", choices=list("ABCD"))
    ap.add_argument("--steps", type=int, default=50)
    args = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import dendrite

    dendrite.utils.set_random_seed(0)
    xtr, ytr, xte, yte = load(args.model)
    bs = BATCH[args.model]
    ours, theirs = build(dendrite, args.model), build(keras, args.model)
    theirs.set_weights(ours.get_weights())

    probe = xte[:256]
    diff = worst(ours.predict(probe, verbose=0), theirs.predict(probe, verbose=0))[0]
    print(f"inference output       max |diff| {diff:.2e}")
    a = ours(probe, training=True)
    a = getattr(a, "value", a)
    print(f"training-mode output   max |diff| {worst(a, np.asarray(theirs(probe, training=True)))[0]:.2e}")

    x, y = xtr[:bs], ytr[:bs]
    grads_ours = [np.asarray(g) for g in batch_gradients(dendrite, ours, x, y)]
    grads_theirs = [np.asarray(g) for g in batch_gradients(keras, theirs, x, y)]
    dendrite.backend.set_floatx("float64")
    try:
        truth_model = build(dendrite, args.model)
        truth_model.set_weights([w.astype(np.float64) for w in ours.get_weights()])
        truth = [np.asarray(g) for g in batch_gradients(dendrite, truth_model, x.astype(np.float64),
                                                              y.astype(np.float64))]
    finally:
        dendrite.backend.set_floatx("float32")
    print("gradients of one batch, largest error relative to the float64 gradient's scale:")
    for v, g1, g2, g0 in zip(ours.trainable_weights, grads_ours, grads_theirs, truth):
        scale = np.abs(g0).max()
        print(f"  {v.name:8s} {str(g0.shape):18s} dendrite {np.abs(g1 - g0).max() / scale:.1e}   "
              f"keras {np.abs(g2 - g0).max() / scale:.1e}")

    n = args.steps * bs
    h1 = ours.fit(xtr[:n], ytr[:n], batch_size=bs, epochs=1, shuffle=False, verbose=0)
    h2 = theirs.fit(xtr[:n], ytr[:n], batch_size=bs, epochs=1, shuffle=False, verbose=0)
    print(f"after {args.steps} steps: train loss {h1.history['loss'][-1]:.4f} (dendrite) "
          f"{h2.history['loss'][-1]:.4f} (keras)")
    for i, (w1, w2) in enumerate(zip(ours.get_weights(), theirs.get_weights())):
        d, r = worst(w1, w2)
        print(f"  weight {i:2d} {str(w1.shape):18s} max |diff| {d:.2e} ({r:.1e} of its scale)")
    for label, x, y in (("test", xte, yte),):
        p1, p2 = ours.predict(x, batch_size=bs, verbose=0), theirs.predict(x, batch_size=bs, verbose=0)
        acc1, acc2 = (p1.argmax(1) == y.argmax(1)).mean(), (p2.argmax(1) == y.argmax(1)).mean()
        print(f"  {label} accuracy {acc1:.4f} (dendrite) {acc2:.4f} (keras); outputs max |diff| {worst(p1, p2)[0]:.2e}")


if __name__ == "__main__":
    main()
