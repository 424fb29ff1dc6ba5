"""An image classifier trained from a folder of PNG files, as Keras's image-classification tutorials do it:
the example first writes a small folder of MNIST digits as PNGs (one sub-folder per digit), then reads it
with utils.image_dataset_from_directory (a training and a validation subset from one call), caches and
prefetches the batches, and trains a small CNN whose augmentation layers (RandomRotation, RandomZoom) act
only while training.

    python examples/image_folder_classifier.py            # 3,000 images, 5 epochs
    python examples/image_folder_classifier.py --quick    # 600 images, 2 epochs (a smoke run)

Needs Pillow (the images extra). (From a source checkout without `pip install .`:
`PYTHONPATH=. python examples/image_folder_classifier.py`.)
"""
import argparse
import os

import numpy as np
from PIL import Image

import dendrite as keras
from dendrite import data, layers

parser = argparse.ArgumentParser(description="Train a CNN on a folder of PNG digits it writes first.")
parser.add_argument("--data-dir", default="mnist-png", help="where the PNG folder is written and read")
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--quick", action="store_true", help="600 images, 2 epochs (a smoke run)")
args = parser.parse_args()
IMAGES, EPOCHS = (600, 2) if args.quick else (3000, args.epochs)  # how many digits become PNGs
keras.utils.set_random_seed(0)


def write_png_folder(folder, count):
    """``count`` MNIST training digits as <folder>/<digit>/<n>.png (skipped when the folder is there)."""
    if os.path.isdir(folder) and len(os.listdir(folder)) == 10:
        return
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    for digit in range(10):
        os.makedirs(os.path.join(folder, str(digit)), exist_ok=True)
    for n, (image, label) in enumerate(zip(x_train[:count], y_train[:count])):
        Image.fromarray(image.astype(np.uint8), mode="L").save(os.path.join(folder, str(label), f"{n:05d}.png"))


write_png_folder(args.data_dir, IMAGES)
train, valid = keras.utils.image_dataset_from_directory(
    args.data_dir, validation_split=0.2, subset="both", seed=1337, color_mode="grayscale",
    image_size=(28, 28), batch_size=32)
class_names = train.class_names
print("class names:", class_names)
train = train.cache().prefetch(data.AUTOTUNE)
valid = valid.cache().prefetch(data.AUTOTUNE)

model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.RandomRotation(0.05, fill_mode="constant"),   # up to +-18 degrees, training only
    layers.RandomZoom(0.1, fill_mode="constant"),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(len(class_names), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()
model.fit(train, validation_data=valid, epochs=EPOCHS, verbose=2)
loss, accuracy = model.evaluate(valid, verbose=0)
print(f"Test accuracy: {accuracy:.4f}")
