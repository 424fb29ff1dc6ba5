"""A tf.keras 2 program saving a trained model in the SavedModel layout three ways and loading it back."""
import os
import sys

import numpy as np
import tensorflow as tf
from tensorflow import keras

out = sys.argv[1]
rng = np.random.default_rng(0)
x = rng.random((96, 5)).astype("float32")
y = (x[:, 0] + x[:, 1] > 1).astype("int32")

model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(5,)),
                          keras.layers.Dense(2)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(x, y, epochs=2, verbose=0)
expected = model.predict(x, verbose=0)
before = model.evaluate(x, y, verbose=0)

model.save(os.path.join(out, "plain"))
model.save(os.path.join(out, "tf_format"), save_format="tf")
tf.saved_model.save(model, os.path.join(out, "nested", "exported"))
print("files", sorted(os.listdir(os.path.join(out, "plain"))))

for name in ("plain", "tf_format"):
    restored = tf.keras.models.load_model(os.path.join(out, name))
    same = np.allclose(restored.predict(x, verbose=0), expected, atol=1e-6)
    after = restored.evaluate(x, y, verbose=0)
    print(name, "same predictions", same, "same evaluation", np.allclose(after, before, atol=1e-6))
    restored.fit(x, y, epochs=1, verbose=0)  # the compile state and optimizer came back
    print(name, "optimizer steps", int(restored.optimizer.iterations.numpy()))

loaded = tf.saved_model.load(os.path.join(out, "nested", "exported"))
print("call same", np.allclose(loaded(tf.constant(x)).numpy(), expected, atol=1e-6))
serving = loaded.signatures["serving_default"]
outputs = serving(dense_input=tf.constant(x))
print("signature", sorted(outputs), np.allclose(outputs["dense_1"].numpy(), expected, atol=1e-6))
