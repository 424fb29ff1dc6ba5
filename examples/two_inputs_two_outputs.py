"""A functional model with two inputs and two outputs, trained with one loss per output.

The inputs are an MNIST image and a small vector of numbers that come with it (here generated: think of
them as measurements recorded next to each handwritten digit). The model reads the image through a dense
layer, joins the result with the vector (Concatenate), and has two heads:

- "digit": which digit the image shows (classification, softmax over 10 classes);
- "score": a number that depends on both inputs, 0.1 * digit + 2 * m0 - m1 (regression, one linear unit).

    python examples/two_inputs_two_outputs.py            # the full run: 60,000 images, 5 epochs
    python examples/two_inputs_two_outputs.py --quick    # a few-second smoke run on a slice

(From a source checkout without `pip install .`: `PYTHONPATH=. python examples/two_inputs_two_outputs.py`.)
"""
import argparse

import numpy as np

import dendrite as keras
from dendrite import layers

parser = argparse.ArgumentParser(description="Two inputs joined by Concatenate, a classification and a "
                                             "regression head.")
parser.add_argument("--quick", action="store_true", help="train 3 epochs on 5,000 images (a smoke run)")
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()
keras.utils.set_random_seed(1)

# ## Prepare the data
# Images scaled to [0, 1]; for each image 4 measurements drawn uniformly from [0, 1), of which the score
# uses the first two (the model has to find out which).
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
epochs = args.epochs
if args.quick:
    x_train, y_train, x_test, y_test = x_train[:5000], y_train[:5000], x_test[:500], y_test[:500]
    epochs = 3
rng = np.random.default_rng(0)


def make_data(images, labels):
    """The model's inputs and targets as dicts keyed by the names of its Input layers and output layers."""
    measurements = rng.random((len(images), 4)).astype("float32")
    score = 0.1 * labels + 2.0 * measurements[:, 0] - measurements[:, 1]
    inputs = {"image": images.astype("float32") / 255.0, "measurements": measurements}
    targets = {"digit": labels, "score": score.astype("float32")[:, None]}
    return inputs, targets


train_inputs, train_targets = make_data(x_train, y_train)
test_inputs, test_targets = make_data(x_test, y_test)

# ## Build the model
# Each Input has a name: fit, evaluate and predict take dicts keyed by these names. The output layers'
# names ("digit", "score") key the losses, the loss weights, the metrics and the targets.
image = keras.Input(shape=(28, 28), name="image")
measurements = keras.Input(shape=(4,), name="measurements")
features = layers.Flatten()(image)
features = layers.Dense(128, activation="relu")(features)
joined = layers.Concatenate()([features, measurements])
hidden = layers.Dense(64, activation="relu")(joined)
digit = layers.Dense(10, activation="softmax", name="digit")(hidden)
score = layers.Dense(1, name="score")(hidden)
model = keras.Model(inputs=[image, measurements], outputs=[digit, score], name="two_heads")

# The summary of a graph has a "Connected to" column: which layer's output each layer reads.
model.summary()

# ## Compile: one loss per output
# The total loss the optimizer minimises is 1.0 * digit_loss + 0.5 * score_loss.
model.compile(
    optimizer="adam",
    loss={"digit": "sparse_categorical_crossentropy", "score": "mse"},
    loss_weights={"digit": 1.0, "score": 0.5},
    metrics={"digit": ["accuracy"], "score": ["mae"]},
)

# ## Train with dict data
history = model.fit(train_inputs, train_targets, batch_size=128, epochs=epochs, validation_split=0.1, verbose=2)

# The history has the total loss, each output's loss and each output's metrics, named <output>_<name>,
# and the same with val_ for the validation split.
print("history keys:", list(history.history))

# ## Evaluate and predict
results = model.evaluate(test_inputs, test_targets, batch_size=1000, verbose=0, return_dict=True)
print("test:", ", ".join(f"{k} {v:.4f}" for k, v in results.items()))
predicted = model.predict({"image": test_inputs["image"][:3], "measurements": test_inputs["measurements"][:3]},
                          verbose=0)
digits, scores = predicted  # one array per output, in the order of `outputs`
for k in range(3):
    print(f"image {k}: digit {digits[k].argmax()} (true {test_targets['digit'][k]}), "
          f"score {scores[k, 0]:.2f} (true {test_targets['score'][k, 0]:.2f})")
print(f"Test accuracy: {results['digit_accuracy']:.4f} (digit), test MAE: {results['score_mae']:.4f} (score)")
