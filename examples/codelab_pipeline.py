"""The codelab's input pipeline, end to end: MNIST read from the four raw IDX files with
FixedLengthRecordDataset, decoded, zipped, cached, shuffled, repeated, batched and prefetched, then fit with
steps_per_epoch and a one-batch validation set, as the TensorFlow codelab feeds its models.

    python examples/codelab_pipeline.py            # 60,000 images, 10 epochs of the codelab's dense network
    python examples/codelab_pipeline.py --quick    # a few-second smoke run

The IDX files (train-images-idx3-ubyte, ...) are written first from mnist.npz into --data-dir (default
./mnist-idx), so the example needs no download beyond what keras.datasets.mnist finds. Each image file has a
16-byte header (magic 2051, count, rows, cols as big-endian int32) followed by 28*28 bytes per image; each
label file an 8-byte header (magic 2049, count) and one byte per label.
(From a source checkout without `pip install .`: `PYTHONPATH=. python examples/codelab_pipeline.py`.)
"""
import argparse
import os
import struct

import numpy as np

import dendrite as keras
from dendrite import data, io, layers, ops

parser = argparse.ArgumentParser(description="The codelab's tf.data pipeline over the raw MNIST IDX files.")
parser.add_argument("--quick", action="store_true", help="2 epochs of 50 steps (a smoke run)")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--data-dir", default="mnist-idx", help="where the IDX files are written and read")
args = parser.parse_args()
keras.utils.set_random_seed(0)
BATCH_SIZE = 128


def write_idx_files(folder):
    """The four IDX files of MNIST, written from keras.datasets.mnist (skipped when they are there)."""
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    os.makedirs(folder, exist_ok=True)
    paths = {}
    for split, images, labels in (("train", x_train, y_train), ("t10k", x_test, y_test)):
        image_path = os.path.join(folder, f"{split}-images-idx3-ubyte")
        label_path = os.path.join(folder, f"{split}-labels-idx1-ubyte")
        if not os.path.exists(image_path):
            with open(image_path, "wb") as f:
                f.write(struct.pack(">iiii", 2051, len(images), 28, 28) + images.astype(np.uint8).tobytes())
        if not os.path.exists(label_path):
            with open(label_path, "wb") as f:
                f.write(struct.pack(">ii", 2049, len(labels)) + labels.astype(np.uint8).tobytes())
        paths[split] = (image_path, label_path)
    return paths


# ## The pipeline, as the codelab writes it
def read_label(record):
    label = io.decode_raw(record, "uint8")
    label = ops.reshape(label, [])
    return ops.one_hot(label, 10)


def read_image(record):
    image = io.decode_raw(record, "uint8")
    image = ops.cast(image, "float32") / 255.0
    return ops.reshape(image, [28 * 28])


def load_dataset(image_file, label_file):
    images = data.FixedLengthRecordDataset(image_file, 28 * 28, header_bytes=16)
    images = images.map(read_image, num_parallel_calls=data.AUTOTUNE)
    labels = data.FixedLengthRecordDataset(label_file, 1, header_bytes=8)
    labels = labels.map(read_label, num_parallel_calls=data.AUTOTUNE)
    return data.Dataset.zip((images, labels))


def training_dataset(image_file, label_file):
    dataset = load_dataset(image_file, label_file).cache()  # decoded once, served from memory afterwards
    dataset = dataset.shuffle(5000, reshuffle_each_iteration=True)
    return dataset.repeat().batch(BATCH_SIZE, drop_remainder=True).prefetch(data.AUTOTUNE)


def validation_dataset(image_file, label_file):
    # the whole test set as one batch, repeated: validation_steps=1 reads it each epoch
    return load_dataset(image_file, label_file).cache().batch(10000, drop_remainder=True).repeat()


paths = write_idx_files(args.data_dir)
train = training_dataset(*paths["train"])
valid = validation_dataset(*paths["t10k"])
print("element_spec:", train.element_spec)

model = keras.Sequential([
    keras.Input((28 * 28,)),
    layers.Dense(200, activation="relu"),
    layers.Dense(60, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()

steps_per_epoch = 60000 // BATCH_SIZE
epochs = args.epochs
if args.quick:
    steps_per_epoch, epochs = 50, 2
history = model.fit(train, steps_per_epoch=steps_per_epoch, epochs=epochs, validation_data=valid,
                    validation_steps=1, verbose=2)
print(f"final validation accuracy: {history.history['val_accuracy'][-1]:.4f}")
