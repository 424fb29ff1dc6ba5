"""MNIST digits read row by row by an LSTM: each 28 x 28 image is a sequence of 28 timesteps of 28 pixels.

The classic Keras recurrent-network exercise: one LSTM layer of 128 units reads the rows top to bottom,
and a softmax layer classifies the digit from the LSTM's last output.

    python examples/mnist_lstm.py            # the full run: 60,000 images, 10 epochs
    python examples/mnist_lstm.py --quick    # a few-second smoke run on a slice

The full run reaches 98.3% test accuracy after 10 epochs (97.9% after 5, 98.3% after 6), in about 200 s
of training on two cores.

(From a source checkout without `pip install .`, put the repository root on the path: `PYTHONPATH=. python
examples/mnist_lstm.py`.) MNIST is read from the folder named by DENDRITE_DATA, or downloaded once.
"""
import argparse
import time

import dendrite as keras
from dendrite import layers

parser = argparse.ArgumentParser(description="An LSTM classifying MNIST digits read as sequences of rows.")
parser.add_argument("--quick", action="store_true", help="train 1 epoch on 2,000 images (a smoke run)")
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()
keras.utils.set_random_seed(1)

# ## Prepare the data
# The images are (samples, 28, 28) uint8 arrays: read as (samples, timesteps, features) they are already the
# layout a recurrent layer takes. Scale the grey levels to [0, 1]; the labels stay integers 0-9, which
# sparse_categorical_crossentropy takes as they are.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
epochs = args.epochs
if args.quick:
    x_train, y_train, x_test, y_test = x_train[:2000], y_train[:2000], x_test[:500], y_test[:500]
    epochs = 1
print(f"x_train: {x_train.shape}, x_test: {x_test.shape}")

# ## Build the model
# LSTM(128) returns its output after the last row (return_sequences=False, the default): one vector of
# 128 numbers per image, which the Dense layer turns into the 10 class probabilities.
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.LSTM(128),
    layers.Dense(10, activation="softmax"),
])
model.summary()

# ## Train
# Adam with its default learning rate (0.001), batches of 128 images.
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])


class TestAccuracy(keras.callbacks.Callback):
    """Prints the test accuracy after every epoch (the model does not train on these images)."""

    def on_epoch_end(self, epoch, logs=None):
        _, acc = self.model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
        print(f"epoch {epoch + 1}: test accuracy {acc:.4f}")


start = time.perf_counter()
model.fit(x_train, y_train, batch_size=128, epochs=epochs, callbacks=[TestAccuracy()], verbose=2)
seconds = time.perf_counter() - start

# ## Evaluate
loss, accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
print(f"Test loss: {loss:.4f}")
print(f"Test accuracy: {accuracy:.4f} after {epochs} epoch{'s' if epochs != 1 else ''} ({seconds:.1f} s of training)")
