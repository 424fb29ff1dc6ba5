"""A TF 2 tutorial-style program: a generated CSV read with tf.data.experimental.make_csv_dataset (features
packed from the OrderedDict of columns), a Keras model fitted on it and evaluated."""
import os
import tempfile

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
n = 600
x1, x2, x3 = rng.normal(size=n), rng.normal(size=n), rng.uniform(0, 10, size=n)
label = ((x1 + 0.5 * x2 - 0.1 * x3) > -0.5).astype(int)
folder = tempfile.mkdtemp()
path = os.path.join(folder, "train.csv")
with open(path, "w") as f:
    f.write("x1,x2,x3,kind,label\n")
    for a, b, c, y in zip(x1, x2, x3, label):
        f.write(f"{a:.5f},{b:.5f},{c:.3f},{'odd' if int(c) % 2 else 'even'},{y}\n")

ds = tf.data.experimental.make_csv_dataset(path, batch_size=32, label_name="label", select_columns=[
    "x1", "x2", "x3", "label"], num_epochs=1, shuffle=True, shuffle_seed=1)
features, labels = next(iter(ds))
print("columns", list(features.keys()), "label dtype", labels.dtype.name)


def pack(features, label):
    return tf.stack([tf.cast(v, tf.float32) for v in features.values()], axis=1), label


train = ds.map(pack)
model = tf.keras.Sequential([tf.keras.layers.Input((3,)), tf.keras.layers.Dense(16, activation="relu"),
                             tf.keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train, epochs=5, verbose=0)
loss, acc = model.evaluate(train, verbose=0)
print(f"csv accuracy {acc:.3f}")
