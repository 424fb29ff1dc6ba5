"""Writes what tf.keras 2 (tf_keras 2.21 in graph mode, as Keras 2 ran) gives for a loss function that closes over
the model's own symbolic layer outputs, Keras 2's VAE loss, for tests/layers/test_symbolic_binding.py (not run in
CI; needs TensorFlow and tf_keras: TF_USE_LEGACY_KERAS=1 /work/bvenv/bin/python
tools/make_tf_keras2_closure_loss_fixtures.py).

The model is deterministic (the decoder reads z_mean and z_log_var; no sampling) with fixed weights; the
fixture keeps the weights, the batch, the loss evaluate() reports, and the weights after two train_on_batch
steps of SGD(0.1), in tests/fixtures/tf_compat/keras2_closure_loss.npz.
"""
import os
import pathlib

os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.compat.v1.disable_eager_execution()
from tf_keras import backend as K, metrics  # noqa: E402
from tf_keras.layers import Concatenate, Dense, Input  # noqa: E402
from tf_keras.models import Model  # noqa: E402
from tf_keras.optimizers.legacy import SGD  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tf_compat" / "keras2_closure_loss.npz"


def main():
    rng = np.random.default_rng(5)
    x = Input(shape=(6,))
    h = Dense(4, activation="relu")(x)
    z_mean = Dense(2)(h)
    z_log_var = Dense(2)(h)
    decoded = Dense(6, activation="sigmoid")(Dense(3, activation="relu")(Concatenate()([z_mean, z_log_var])))
    vae = Model(x, decoded)

    def vae_loss(x, x_decoded_mean):
        xent_loss = 6 * metrics.binary_crossentropy(x, x_decoded_mean)
        kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        return K.mean(xent_loss + kl_loss)

    vae.compile(optimizer=SGD(0.1), loss=vae_loss)
    weights = [rng.normal(0, 0.5, w.shape).astype(np.float32) for w in vae.get_weights()]
    vae.set_weights(weights)
    batch = rng.random((8, 6)).astype(np.float32)
    out = {f"weight_{i}": w for i, w in enumerate(weights)}
    out.update(batch=batch, loss_before=np.float64(vae.evaluate(batch, batch, verbose=0)))
    steps = [vae.train_on_batch(batch, batch) for _ in range(2)]
    out.update(step_losses=np.array(steps, np.float64))
    out.update({f"after_{i}": w for i, w in enumerate(vae.get_weights())})
    np.savez(OUT, **out)
    print(f"wrote {OUT}: loss {out['loss_before']}, steps {steps}")


if __name__ == "__main__":
    main()
